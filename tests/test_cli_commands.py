"""The `multifit` commands run through `main` as a user runs them (nbs/09_cli.ipynb documents them): the data
commands, the pipeline (pretrain, finetune-lm, train-classifier, evaluate, predict), sampling options, named bundles,
bootstrapping, experiments, the benchmark and the demo, on small real data (the shipped German corpus and DDTP-7).
"""
import contextlib, inspect, io, json, os, tempfile
from pathlib import Path

import pandas as pd
import pytest
from fastcore.test import test_eq as assert_eq

from multifit_fastai.bundle import bundle_info
from multifit_fastai.callbacks import RECIPE
from multifit_fastai.cli import bootstrap_cmd, demo_cmd, finetune_cmd, main, pretrain_cmd, train_cmd
from multifit_fastai.corpus import corpus_info
from multifit_fastai.wikipedia import WikiPage, write_wiki_dump
from multifit_fastai.data import ddtp7
from multifit_fastai.demo import demo

LISTS = Path(__file__).parent/'data'/'ddtp_lists'
small = ['--epochs', '1', '--bs', '16']


def test_prepare_wikipedia_and_build_corpus_errors(tmp_path):
    out = tmp_path
    body = "'''Seite {i}''' ist ein [[Artikel|Beispielartikel]] über Debian-Pakete.{{{{Infobox}}}} "
    pages = [WikiPage(f'Seite {i}', 0, i, None, body.format(i=i) * 20) for i in range(1, 40)]
    pages.append(WikiPage('Umleitung', 0, 99, 'Seite 1', '#WEITERLEITUNG [[Seite 1]]'))
    dump = write_wiki_dump(pages, out/'dewiki-pages-articles.xml.bz2', 'de')
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['data', 'prepare-wikipedia', str(dump), '--lang', 'de', '--dest', str(out/'wiki'), '--valid_pct', '0.1']), 0)
    print(o.getvalue()[-300:])
    info = corpus_info(out/'wiki')
    assert_eq(sum(info['n_docs'].values()), 39)
    assert 'Infobox' not in (out/'wiki'/'train'/'00000.txt').read_text()
    with contextlib.redirect_stderr(io.StringIO()) as e:
        assert_eq(main(['data', 'prepare-wikipedia', str(out/'missing.xml.bz2'), '--dest', str(out/'wiki2')]), 1)
    assert 'missing.xml.bz2' in e.getvalue(), e.getvalue()
    with contextlib.redirect_stderr(io.StringIO()) as e:
        assert_eq(main(['data', 'build-corpus', '--lang', 'xx', '--dest', str(Path(tempfile.mkdtemp())/'xx')]), 1)
    assert 'multifit data build-ddtp --langs xx' in e.getvalue() and '--no_ddtp' in e.getvalue(), e.getvalue()


@pytest.fixture(scope='module')
def run(tmp_path_factory, de_corpus):
    "The pipeline from the command line: pretrain, finetune-lm, train-classifier, evaluate; a small labelled CSV."
    run = tmp_path_factory.mktemp('cli')
    de_corpus(run/'corpus', 800)
    ddtp7('de').groupby(['split', 'label']).head(12).to_csv(run/'de.csv', index=False)  # a small labelled CSV
    data = ['--data', str(run/'de.csv')]
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['pretrain', str(run/'corpus'), '--run_dir', str(run/'pre'), '--vocab_sz', '800', '--bptt', '40', *small]), 0)
        assert_eq(main(['finetune-lm', str(run/'pre'/'bundle'), '--run_dir', str(run/'ft'), '--bptt', '40', '--last_epoch', *small, *data]), 0)
        assert_eq(main(['train-classifier', '--bundle', str(run/'ft'/'bundle'), '--run_dir', str(run/'clas'), *small, *data]), 0)
        assert_eq(main(['evaluate', str(run/'clas'/'learner.pkl'), *data]), 0)
    print(o.getvalue()[-200:])
    assert 'test accuracy' in o.getvalue() and (run/'clas'/'history.csv').exists()
    assert '% [' not in o.getvalue() and '█' not in o.getvalue()  # not on a terminal: no progress bars
    with contextlib.redirect_stdout(io.StringIO()) as o: assert_eq(main(['evaluate', str(run/'clas'/'learner.pkl'), *data, '--progress']), 0)
    assert '% [' in o.getvalue() and 'test accuracy' in o.getvalue()
    return run


def data(run): return ['--data', str(run/'de.csv')]


def test_predict_json_and_bad_input(run):
    (run/'docs.txt').write_text('Ein Texteditor für Programmierer\nEin Strategiespiel mit Panzern\n', encoding='utf-8')
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['predict', str(run/'clas'/'learner.pkl'), '--input', str(run/'docs.txt'), '--format', 'json']), 0)
    preds = json.loads(o.getvalue())
    assert len(preds) == 2 and all('label' in p for p in preds)
    (run/'bad.csv').write_text('body\nx\n')
    with contextlib.redirect_stderr(io.StringIO()) as e:
        assert_eq(main(['predict', str(run/'clas'/'learner.pkl'), '--input', str(run/'bad.csv')]), 1)
    assert "has no column 'text'" in e.getvalue()


def test_sampling_options_baseline_and_data_dir(run):
    data_ = data(run)
    from multifit_fastai.baseline import BOW_FEATURES, BOW_CS
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['train-classifier', '--bundle', str(run/'ft'/'bundle'), '--run_dir', str(run/'clas_n'), '--train_size', '35', *small, *data_]), 0)
        assert_eq(main(['finetune-lm', str(run/'pre'/'bundle'), '--run_dir', str(run/'ft_n'), '--max_texts', '20', '--bptt', '40', *small, '--epochs', '2', *data_]), 0)
        assert_eq(main(['baseline', *data_, '--lang', 'de', '--run_dir', str(run/'bow'), '--train_size', '35']), 0)
        assert_eq(main(['pretrain', str(run/'corpus'), '--run_dir', str(run/'pre_n'), '--vocab_sz', '800', '--bptt', '40', '--max_tokens', '3000', *small]), 0)
    assert_eq(json.loads((run/'clas_n'/'config.json').read_text())['n_docs'], 35 + (pd.read_csv(run/'de.csv').split == 'valid').sum())
    assert_eq(json.loads((run/'ft_n'/'config.json').read_text())['n_texts'], 20)
    kept = json.loads((run/'ft_n'/'bundle'/'bundle.json').read_text())['kept_epoch']
    assert_eq(kept, pd.read_csv(run/'ft_n'/'history.csv').valid_loss.idxmin())
    assert json.loads((run/'ft_n'/'config.json').read_text())['keep_best']  # (the default)
    assert not json.loads((run/'ft'/'config.json').read_text())['keep_best']  # (--last_epoch)
    res = json.loads((run/'bow'/'results.json').read_text())
    assert_eq(sorted(res), ['choice', 'test', 'valid'])
    assert 0 <= res['valid'] <= 1 and 0 <= res['test'] <= 1
    assert res['choice']['features'] in BOW_FEATURES and res['choice']['C'] in BOW_CS and len(res['choice']['tries']) == len(BOW_FEATURES) * len(BOW_CS)
    assert 'valid accuracy' in o.getvalue() and 'test accuracy' in o.getvalue()
    with contextlib.redirect_stdout(io.StringIO()) as o:
        try: main(['data', 'build-corpus', '--help'])
        except SystemExit: pass
    assert '--no_ddtp' in o.getvalue() and 'Leave out' in o.getvalue()
    out2 = Path(tempfile.mkdtemp())  # DDTP-7 built into a data folder of its own: `--data_dir` finds it for every command
    with contextlib.redirect_stdout(io.StringIO()):
        assert_eq(main(['data', 'build-ddtp', '--langs', 'de', '--lists', str(LISTS), '--data_dir', str(out2)]), 0)
        assert_eq(main(['baseline', '--data', 'ddtp7:de', '--run_dir', str(out2/'bow'), '--data_dir', str(out2)]), 0)
    assert (out2/'ddtp7'/'de.csv.xz').exists() and (out2/'bow'/'results.json').exists()
    assert 'MULTIFIT_DATA' not in os.environ or os.environ['MULTIFIT_DATA'] != str(out2)  # restored after the command
    assert_eq(json.loads((run/'pre_n'/'config.json').read_text())['max_tokens'], 3000)
    assert (run/'pre_n'/'bundle'/'bundle.json').exists()


def test_named_bundles(run, monkeypatch):
    data_ = data(run)
    monkeypatch.setenv('MULTIFIT_DATA', str(run/'data'))  # an empty data folder
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['bundle', 'pack', str(run/'pre'/'bundle'), '--name', 'xx', '--measure']), 0)
        assert_eq(main(['bundle', 'list']), 0)
        assert_eq(main(['bundle', 'info', 'xx']), 0)
        assert_eq(main(['export-hf', 'xx', str(run/'hf'/'multifit-xx')]), 0)
        assert_eq(main(['train-classifier', '--bundle', 'xx', '--run_dir', str(run/'clas_xx'), *small, *data_]), 0)
    out = o.getvalue()
    assert f"xx\t{run/'data'/'bundles'/'xx'}" in out, out
    info = json.loads(out[out.index('{'):out.index('}\n', out.index('"weights"')) + 1])
    assert_eq((info['lang'], info['weights'], info['vocab_sz'], info['epochs']), ('de', 'float16', 800, 1))
    assert info['ddtp7_valid_perplexity'] > 1 and info['command'].startswith(f"multifit pretrain {run/'corpus'} --preset small --vocab_sz 800")
    assert info['corpus_tokens'] > 0 and info['train_minutes'] >= 0 and info['hardware'].endswith(('fp32', 'bf16')), info
    assert_eq(json.loads((run/'clas_xx'/'config.json').read_text())['bundle'], 'xx')
    assert_eq(sorted(p.name for p in (run/'hf'/'multifit-xx').iterdir()), ['README.md', 'bundle.json', 'config.json', 'model.safetensors', 'spm.model'])
    assert_eq(bundle_info(run/'hf'/'multifit-xx')['ddtp7_valid_perplexity'], info['ddtp7_valid_perplexity'])
    assert '| ddtp7_valid_perplexity |' in (run/'hf'/'multifit-xx'/'README.md').read_text()
    with contextlib.redirect_stderr(io.StringIO()) as e: assert_eq(main(['bundle', 'info', 'qq']), 1)
    assert "no bundle 'qq'" in e.getvalue() and '(de, en, es, fr, ja, xx, zh)' in e.getvalue(), e.getvalue()  # yours and the shipped


def test_bootstrap(run):
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['bootstrap', '--lang', 'de', '--run_dir', str(run/'boot'), '--teacher', str(run/'clas'/'learner.pkl'),
                      '--clas_epochs', '1', '--bs', '16', '--vocab_sz', '500', '--soft', '--per_label', '6', '--unlabelled',
                      '--keep', '0.5']), 0)
    assert 'teacher (zero-shot)' in o.getvalue() and 'soft labels' in o.getvalue(), o.getvalue()
    cfg, pl = json.loads((run/'boot'/'config.json').read_text()), pd.read_csv(run/'boot'/'pseudo_labels.csv')
    assert_eq((cfg['n_unlabelled'], cfg['keep']), (6 * 7, 0.5))  # 6 per label of DDTP-7's 7, from the `lm` split
    assert_eq((pl.split == 'valid').sum(), 6 * 7)  # the valid split whole; half of each label's 84 training labels:
    assert 42 <= (pl.split == 'train').sum() <= 42 + 7, pl.split.value_counts()
    with contextlib.redirect_stderr(io.StringIO()) as e: assert_eq(main(['bootstrap', '--teacher', 'nope']), 1)
    assert 'unknown teacher' in e.getvalue()


def test_experiment_and_bench(run):
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['experiment', 'speed', '--lang', 'de', '--run_dir', str(run/'exp'), '--scale', 'tiny']), 0)
    assert 'AWD_QRNN' in o.getvalue() and (run/'exp'/'speed-de'/'results.png').exists()
    with contextlib.redirect_stdout(io.StringIO()) as o: assert_eq(main(['bench', '--quick', '--n', '2', '--out', str(run/'bench')]), 0)
    assert 'Training step through `Learner.fit`' in o.getvalue() and (run/'bench'/'bench.json').exists()


def test_demo(run):
    with contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['demo', '--lang', 'fr', '--run_dir', str(run/'demo'), '--vocab_sz', '500', '--pretrain_tokens', '8000',
                      '--pretrain_epochs', '1', '--finetune_epochs', '1', '--clas_epochs', '1', '--bs', '16', '--per_label', '8',
                      '--lrs', '2e-2', '1e-2', '4e-2']), 0)
    assert '| MultiFiT: pretrained + fine-tuned LM' in o.getvalue() and 'majority class' in o.getvalue()
    assert_eq(json.loads((run/'demo'/'config.json').read_text())['lang'], 'fr')
    with contextlib.redirect_stderr(io.StringIO()) as e, contextlib.redirect_stdout(io.StringIO()) as o:
        assert_eq(main(['demo', '--lang', 'xx', '--run_dir', str(run/'demo_xx'), '--lists', str(LISTS)]), 1)
    assert 'no Translation-xx list' in e.getvalue() and not (run/'demo_xx').exists() and 'Traceback' not in e.getvalue()
    assert_eq(json.loads((run/'demo'/'config.json').read_text())['lrs'], [2e-2, 1e-2, 4e-2])


def test_one_set_of_defaults():
    "The Python functions, the commands and the demo all take their defaults from `RECIPE`; `--help` shows them."
    from multifit_fastai.training import pretrain, finetune_lm, train_classifier
    defaults = lambda f: {k: p.default for k,p in inspect.signature(f).parameters.items()}
    for stage, fs in (('pretrain', (pretrain, pretrain_cmd)), ('finetune', (finetune_lm, finetune_cmd)), ('clas', (train_classifier, train_cmd))):
        for f in fs: assert_eq([defaults(f)[k] for k in ('epochs', 'lr', 'bs')], [RECIPE[f'{stage}_epochs'], RECIPE[f'{stage}_lr'], RECIPE['bs']])
    for f in (pretrain, pretrain_cmd, train_classifier, train_cmd): assert_eq(defaults(f)['vocab_sz'], RECIPE['vocab_sz'])
    assert_eq(defaults(demo)['lrs'], (RECIPE['pretrain_lr'], RECIPE['finetune_lr'], RECIPE['clas_lr']))
    assert_eq([defaults(f)[k] for f in (demo, demo_cmd, bootstrap_cmd) for k in ('bs', 'clas_epochs')], [RECIPE['bs'], RECIPE['clas_epochs']] * 3)
    with contextlib.redirect_stdout(io.StringIO()) as o:
        try: main(['train-classifier', '--help'])
        except SystemExit: pass
    assert f"(default: {RECIPE['clas_lr']})" in o.getvalue() and f"(default: {RECIPE['bs']})" in o.getvalue()
