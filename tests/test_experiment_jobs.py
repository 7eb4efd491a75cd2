"The GPU runs' tooling, end to end on the CPU at the `bundle_tiny` scale: job lists, packed language models, reuse, rows."
import json, os, shutil, subprocess, sys, tarfile
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

def _run(tmp, name, out, lms_in):
    out.mkdir()
    env = dict(os.environ, SCALE='bundle_tiny', RES=str(tmp/f'res-{name}'), OUT=str(out), NP='2', THREADS='1', LIMIT='600',
               WHEELS=str(tmp/'no-wheels'), LMS_IN=str(lms_in), PY=sys.executable)
    r = subprocess.run(['bash', 'tools/gpu_results.sh', str(tmp/'smoke')], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0 and 'finished' in r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout

def test_gpu_results_jobs(tmp_path):
    (tmp_path/'smoke.lms').write_text("# the shipped German bundle, fine-tuned\nde shipped\n")
    (tmp_path/'smoke.jobs').write_text("baselines de 0\nbaselines@bundle_tiny de 1\n")
    first = _run(tmp_path, 'first', tmp_path/'out1', tmp_path/'none')
    packed = tmp_path/'out1'/'lm-de-shipped-1ep.tar'
    assert packed.exists() and 'reusing' not in first
    with tarfile.open(tmp_path/'out1'/'res.tgz') as t: t.extractall(tmp_path/'res1', filter='data')
    rows = pd.read_csv(tmp_path/'res1'/'rows'/'baselines-de-0.csv')
    assert rows.model.tolist()[1:] == ['MultiFiT from scratch (no pretraining)',
                                       'bag of words (TF-IDF + logistic regression, tuned on valid)']
    assert rows.test.between(0, 1).all() and rows.seed.eq(0).all()
    assert pd.read_csv(tmp_path/'res1'/'rows'/'bundle_tiny'/'baselines-de-1.csv').seed.eq(1).all()  # another scale, its folder
    docs = tmp_path/'docs'  # the rows and the LM's fine-tuning history, put together as for docs/results
    subprocess.run([sys.executable, 'tools/collect_results.py', '--where', 'here', '--scale', 'bundle_tiny',
                    '--out', str(docs), '--lms', str(tmp_path/'res-first'/'lms'),
                    str(tmp_path/'res1'/'rows'/'baselines-de-0.csv')],
                   cwd=ROOT, check=True, capture_output=True)
    assert pd.read_csv(docs/'baselines-de'/'rows.csv').ran_on.eq('here').all()
    h = pd.read_csv(docs/'lm_finetuning.csv')
    assert h[['lang', 'schedule_epochs', 'epoch']].values.tolist() == [['de', 1, 0]] and h.perplexity.gt(1).all()
    (tmp_path/'carried').mkdir(); packed.rename(tmp_path/'carried'/packed.name)
    second = _run(tmp_path, 'second', tmp_path/'out2', tmp_path/'carried')  # a later call reuses the packed LM
    assert 'reusing lm-de-shipped-1ep' in second
    assert sorted(p.name for p in (tmp_path/'out2').iterdir()) == ['res.tgz']  # nothing fine-tuned, nothing packed again
    assert [p.name for p in (tmp_path/'res-first'/'lms'/'lm-de-shipped-1ep').iterdir()] != ['bundle']  # a fine-tuning run
    assert [p.name for p in (tmp_path/'res-second'/'lms'/'lm-de-shipped-1ep').iterdir()] == ['bundle']  # the packed LM only

def test_lm_reuses_a_finished_pretraining(tmp_path, monkeypatch):
    "A run cut while fine-tuning its LM keeps the pretraining: the next run fine-tunes the pretrained bundle again."
    import multifit_fastai.experiments as E
    sc, run = dict(E.SCALES['bundle_tiny'], pretrain_epochs=1), tmp_path/'x'
    first = E._lm('de', run, sc, 2000)
    pre = first.parents[1]/'pretrain'/'bundle'/'bundle.json'
    made = pre.read_bytes()
    shutil.rmtree(first.parents[1]/"finetune")  # as if cut during fine-tuning
    def pretrain(*a, **k): raise AssertionError('pretrained again')
    monkeypatch.setattr(E, 'pretrain', pretrain)
    again = E._lm('de', run, sc, 2000)
    assert again == first and (again/'bundle.json').exists() and pre.read_bytes() == made
    subprocess.run([sys.executable, 'tools/collect_results.py', '--where', 'here', '--out', str(tmp_path),
                    '--lms', str(tmp_path)], cwd=ROOT, check=True, capture_output=True)  # its perplexities, collected
    lm = pd.read_csv(tmp_path/'lm_tokens.csv').iloc[0]
    assert lm.lang == 'de' and 0 < lm.corpus_tokens <= 2000 and lm.pretrain_epochs == 1 and lm.finetune_epochs == 1
    assert lm.vocab <= 500 and lm.pretrain_perplexity > 1 and lm.finetune_perplexity > 1

def test_collect_keeps_a_row_per_setting(tmp_path):
    "Rows of one seed and model at two corpus sizes (`tokens`) are two settings; a size given again replaces its row."
    def rows(name, tokens, test):
        pd.DataFrame(dict(model=['MultiFiT, pretrained'], tokens=[tokens], seed=[0], test=[test])).to_csv(
            tmp_path/f'{name}.csv', index=False)
        return str(tmp_path/f'{name}.csv')
    def collect(*files):
        subprocess.run([sys.executable, 'tools/collect_results.py', '--where', 'here', '--scale', 'bundle',
                        '--out', str(tmp_path/'docs'), *files], cwd=ROOT, check=True, capture_output=True)
        return pd.read_csv(tmp_path/'docs'/'tokens-de'/'rows.csv').set_index('tokens').test.to_dict()
    both = collect(rows('tokens-de-0-100000', 98896, .6), rows('tokens-de-0-all', 2860838, .7))
    assert both == {98896: .6, 2860838: .7}
    assert collect(rows('tokens-de-0-100000', 98896, .65)) == {98896: .65, 2860838: .7}

def test_tokenization_jobs(tmp_path):
    "Subword vs word tokens over jobs: the LMs built by the `lm` jobs (the word-token one: `_word_lm`), a seed a job."
    (tmp_path/'tok.lms').write_text("de 2000 tokens\nde 2000 word\n")
    (tmp_path/'tok.jobs').write_text("tokenization de 0 2000\ntokenization de 1 2000\n")
    env = dict(os.environ, SCALE='bundle_tiny', RES=str(tmp_path/'res'), NP='2', THREADS='1', PY=sys.executable)
    r = subprocess.run(['bash', 'tools/experiment_jobs.sh', str(tmp_path/'tok')], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0 and 'finished' in r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
    assert r.stdout.count('rc=0') == 4, r.stdout[-2000:]
    word = tmp_path/'res'/'lms'/'lm-de-word-AWD_QRNN-2000tok-10x1ep'
    info = json.loads((word/'lm.json').read_text())
    assert info['bs'] == 16 and info['epochs'] == 10 and info['vocab'] > 50  # pretrained as the subword LM was
    rows = pd.concat(pd.read_csv(tmp_path/'res'/'rows'/f'tokenization-de-{s}-2000.csv') for s in (0, 1))
    sub = json.loads((tmp_path/'res'/'lms'/'lm-de-2000tok-15000v-10x1ep'/'finetune'/'bundle'/'bundle.json').read_text())
    names = [f"subword (SentencePiece, {len(sub['vocab']):,} pieces)", f"word (spaCy, {info['vocab']:,} words)"]
    assert rows.groupby('seed').model.apply(list).tolist() == [names, names]
    assert rows.tokens.nunique() == 1 and 0 < rows.tokens.iloc[0] <= 2000 and rows.test.between(0, 1).all()
    subprocess.run([sys.executable, 'tools/collect_results.py', '--where', 'here', '--out', str(tmp_path/'docs'),
                    '--lms', str(tmp_path/'res'/'lms')], cwd=ROOT, check=True, capture_output=True)
    lm = pd.read_csv(tmp_path/'docs'/'lm_words.csv').iloc[0]
    assert (lm.lm, lm.vocab, lm.corpus_tokens) == (word.name, info['vocab'], rows.tokens.iloc[0])
    assert 0 < lm.unk_share < 1 and lm.finetune_perplexity > 1
