"The `multifit` console script, run as a user would (a subprocess), on the real apt-list fixture."
import io, json, re, shutil, signal, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent/'data'


def exe():
    path = shutil.which('multifit', path=str(Path(sys.executable).parent)) or shutil.which('multifit')
    assert path, "the `multifit` console script is not installed (pip install -e .)"
    return path


def multifit(*args, **kw):
    return subprocess.run([exe(), *map(str, args)], capture_output=True, text=True, timeout=300, **kw)


def test_help_lists_commands():
    r = multifit('--help')
    assert r.returncode == 0 and 'data build-ddtp' in r.stdout


def test_build_ddtp_from_lists(tmp_path):
    r = multifit('data', 'build-ddtp', '--langs', 'en', 'de', '--lists', DATA/'ddtp_lists', '--dest', tmp_path)
    assert r.returncode == 0, r.stderr
    de = pd.read_csv(tmp_path/'de.csv.xz')
    assert {'train', 'valid', 'test'} <= set(de.split) and de.text_en.notna().all()
    assert '### de' in (tmp_path/'DATASHEET.md').read_text()


def test_build_ddtp_bad_lists(tmp_path):
    bad = tmp_path/'lists'; shutil.copytree(DATA/'ddtp_lists', bad)
    tr = next(bad.glob('*Translation-de')); tr.write_bytes(tr.read_bytes()[:5000])  # a download cut mid-stanza
    r = multifit('data', 'build-ddtp', '--langs', 'de', '--lists', bad, '--dest', tmp_path/'out')
    assert r.returncode == 1 and 'truncated' in r.stderr and tr.name in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path/'out'/'de.csv.xz').exists()


@pytest.mark.slow
def test_train_from_scratch_then_predict_on_stdin(tmp_path):
    from multifit_fastai.data import ddtp7
    ddtp7('de').groupby(['split', 'label']).head(10).to_csv(tmp_path/'de.csv', index=False)
    r = multifit('train-classifier', '--data', tmp_path/'de.csv', '--run_dir', tmp_path/'clas', '--vocab_sz', '600',
                 '--epochs', '1', '--bs', '16')
    assert r.returncode == 0, r.stderr
    docs = 'Ein Texteditor für Programmierer\nEin Strategiespiel mit Panzern\n'
    r = multifit('predict', tmp_path/'clas'/'learner.pkl', input=docs)  # documents on stdin, CSV on stdout
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout))
    assert len(out) == 2 and set(out.label) <= set(ddtp7('de').label)
    probs = out.filter(like='prob_')
    assert probs.shape[1] == 7 and ((probs.sum(axis=1) - 1).abs() < 1e-3).all()
    r = multifit('predict', tmp_path/'clas'/'learner.pkl', input='ok\n\n')
    assert r.returncode == 1 and 'empty document' in r.stderr
    r = multifit('predict', tmp_path/'clas'/'learner.pkl', '--output', tmp_path/'out.xml', input=docs)
    assert r.returncode == 1 and 'cannot tell the format of' in r.stderr and not (tmp_path/'out.xml').exists()
    r = multifit('predict', tmp_path/'missing.pkl', input='x\n')
    assert r.returncode == 1 and 'no exported classifier' in r.stderr
    # A large file, streamed: Ctrl-C mid-way leaves no output and no temporary file; run whole, every document, in order
    texts = ddtp7('de').text.str.replace(r'\s+', ' ', regex=True)[:2000]
    (tmp_path/'big.txt').write_text('\n'.join(texts) + '\n', encoding='utf-8')
    args, out = [exe(), 'predict', tmp_path/'clas'/'learner.pkl', '--input', tmp_path/'big.txt', '--chunk', '100'], tmp_path/'big.csv'
    p = subprocess.Popen([*map(str, args), '--output', str(out)], stderr=subprocess.PIPE, text=True,  # (Ctrl-C as in a terminal, even
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # where a background job ignores it)
    for _ in range(1200):
        if list(tmp_path.glob('.big.csv.tmp*')) or p.poll() is not None: break
        time.sleep(0.1)
    p.send_signal(signal.SIGINT); err = p.communicate(timeout=120)[1]
    assert p.returncode == 130 and 'interrupted' in err and 'Traceback' not in err, err
    assert not out.exists() and not list(tmp_path.glob('.big.csv.tmp*'))
    r = multifit(*args[1:], '--output', out)
    assert r.returncode == 0, r.stderr
    preds = pd.read_csv(out)
    assert len(preds) == len(texts) and 'text' not in preds and preds.label.isin(ddtp7('de').label).all()


@pytest.mark.slow
def test_demo_in_a_language_the_package_does_not_ship(tmp_path):
    "`multifit demo --lang it` from an empty data folder: DDTP-7 and the Debian corpus are built, then the whole demo runs."
    data = tmp_path/'data'
    shutil.copytree(DATA/'debcache_it', data/'debcache')  # the .debs a first run fetches with apt (offline here)
    r = multifit('demo', '--lang', 'it', '--data_dir', data, '--lists', DATA/'ddtp_lists', '--sources', 'manpages',
                 '--run_dir', tmp_path/'demo', '--vocab_sz', '400', '--pretrain_tokens', '8000', '--pretrain_epochs', '1',
                 '--finetune_epochs', '1', '--clas_epochs', '1', '--bs', '8', '--train_size', '0')
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "building DDTP-7 for 'it'" in out and "building the Debian corpus of 'it'" in out, out
    assert re.search(r'pretraining on [\d,]+ tokens x 1 epochs: about \d+ minutes on CPU', out) or 'on NVIDIA' in out, out
    assert out.index('pretraining on') < out.index('[2/5]')  # the estimate comes before the pretraining
    assert '| MultiFiT: pretrained + fine-tuned LM' in out and '| majority class' in out
    res = pd.read_csv(tmp_path/'demo'/'results.csv')
    assert len(res) == 4 and res.test.between(0, 1).all() and res.valid.between(0, 1).all()
    assert (data/'ddtp7'/'it.csv.xz').exists()
    corpus = json.loads((data/'corpora'/'it-debian'/'corpus.json').read_text())
    assert corpus['complete'] and set(corpus['sources']) == {'manpages', 'ddtp'}
    sample = json.loads((tmp_path/'demo'/'corpus'/'corpus.json').read_text())
    assert sample['sampled_from']['corpus'] == str((data/'corpora'/'it-debian').resolve())
    assert 6000 < sum(sample['n_tokens'].values()) < 11000  # about --pretrain_tokens


def test_unknown_command():
    r = multifit('bogus', '--x', '1')
    assert r.returncode == 2 and "unknown command 'bogus'" in r.stderr and 'commands:' in r.stderr


BAD_CSV = {  # file content -> what the error must say
    'extra.csv': ('text,label\nEin Spiel, für zwei,games\nEin Editor,editors\n', 'line 2 has 3 fields, the header 2'),
    'header.csv': ('text,label\n', 'holds no documents (only its header)'),
    'empty.csv': ('', 'is empty (a CSV file starts with a header line'),
    'quote.csv': ('text,label\n"Ein Spiel,games\nEin Editor,editors\n', 'a quote opened in row 2 is never closed'),
    'binary.csv': (bytes(range(256)) * 8, 'is not valid UTF-8 (bad byte at offset 128): a binary file'),
    'latin1.csv': ('text,label\nEin Spiel für zwei,games\n'.encode('latin1'), 'is not valid UTF-8 (bad byte at offset 22)'),
    'nolabel.csv': ('text,topic\nEin Spiel,games\n', "has no column(s) label (columns: text, topic)"),
    'blank.csv': ('text,label\nEin Spiel,games\n   ,editors\n', 'empty document(s), e.g. at row 3'),
    'oneclass.csv': ('text,label,split\nEin Spiel,games,train\nNoch ein Spiel,games,train\nEin Editor,editors,valid\n',
                     "a single class ('games')"),
    'novalid.csv': ('text,label\nEin Spiel,games\nEin Editor,editors\n', 'no validation documents'),
    'unseen.csv': ('text,label,split\nEin Spiel,games,train\nEin Editor,editors,train\nEin Browser,web,valid\n',
                   "the validation documents have label(s) no training document has ('web')"),
}


@pytest.mark.parametrize('name', list(BAD_CSV))
def test_bad_training_file_is_named_and_writes_nothing(tmp_path, capsys, name):
    "In-process (`main`), as the console script runs it: a one-line error naming the file and the problem; no run directory."
    from multifit_fastai.cli import main
    content, msg = BAD_CSV[name]
    f = tmp_path/name; f.write_bytes(content if isinstance(content, bytes) else content.encode('utf-8'))
    assert main(['train-classifier', '--data', str(f), '--run_dir', str(tmp_path/'run'), '--epochs', '1']) == 1
    err = capsys.readouterr().err
    assert msg in err and 'Traceback' not in err, err
    if name not in ('oneclass.csv', 'novalid.csv', 'unseen.csv'): assert str(f) in err, err
    assert not (tmp_path/'run').exists()  # nothing written: not even the run's config
    assert f.read_bytes() == (content if isinstance(content, bytes) else content.encode('utf-8'))  # the input is untouched


def test_full_disk_is_an_error_not_a_traceback(tmp_path, capsys, monkeypatch):
    "A write that fails (here: the disk fills up while results.json is written) names the file; the temp file is gone."
    import errno
    from multifit_fastai.cli import main
    from multifit_fastai.data import ddtp7
    ddtp7('de').groupby(['split', 'label']).head(20).to_csv(tmp_path/'de.csv', index=False)
    real = Path.write_text
    def full(self, *a, **k):
        if '.results.json' in self.name: raise OSError(errno.ENOSPC, 'No space left on device')
        return real(self, *a, **k)
    monkeypatch.setattr(Path, 'write_text', full)
    assert main(['baseline', '--data', str(tmp_path/'de.csv'), '--run_dir', str(tmp_path/'run')]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path/'run'/'results.json'}: No space left on device" in err and 'Traceback' not in err, err
    assert sorted(p.name for p in (tmp_path/'run').iterdir()) == ['config.json']  # no results.json, no temp file
