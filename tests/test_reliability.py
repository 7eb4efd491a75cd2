"""Runs that survive SIGKILL: `multifit pretrain`, `finetune-lm` and `train-classifier` killed in the middle of an epoch
and continued with `--resume` end with what an uninterrupted run ends with (on a CPU: the same numbers, up to float
rounding), on small real data (DDTP-7 German). Each command is run three times: uninterrupted, killed during its second
epoch, resumed.
"""
import json, os, re, signal, subprocess, sys, time

import pandas as pd
import pytest
import torch

from multifit_fastai.corpus import CorpusWriter
from multifit_fastai.data import ddtp7
from multifit_fastai.reliability import load_checkpoint
from multifit_fastai.tokenizer import SPTokenizer

ENTRY = 'import sys; from multifit_fastai.cli import main; sys.exit(main())'
ENV = dict(os.environ)
E = 2  # epochs of each run: killed in the middle of the second one
TOL = 1e-5  # relative: float rounding (a resume that gets the data order or a random state wrong is off by far more)


def multifit(*args):
    r = subprocess.run([sys.executable, '-c', ENTRY, *map(str, args)], capture_output=True, text=True, env=ENV, timeout=900)
    assert r.returncode == 0, f"multifit {' '.join(map(str, args))} failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def killed(run_dir, *args):
    "Start `multifit ARGS`, SIGKILL it as soon as its first epoch is saved (so in the middle of the next one)."
    ck = run_dir/'models'/'resume.pth'
    p = subprocess.Popen([sys.executable, '-c', ENTRY, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    start = time.time()
    while not ck.exists():
        assert p.poll() is None, f"it ended before its first checkpoint:\n{p.communicate()}"
        assert time.time() - start < 600
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    assert p.returncode == -signal.SIGKILL
    return load_checkpoint(ck)['state']['epoch']


def interrupted_and_resumed(d, name, *args):
    "The uninterrupted run `d/ref_<name>`, and `d/<name>` killed then resumed; the epoch the kill came after."
    multifit(*args, '--run_dir', d/f'ref_{name}')
    epoch = killed(d/name, *args, '--run_dir', d/name)
    out = multifit(*args, '--run_dir', d/name, '--resume')
    assert f'resumed after epoch {epoch} of {E}' in out, out
    assert not (d/name/'models'/'resume.pth').exists()  # a finished run keeps no checkpoint
    assert not [p for p in (d/name).rglob('.*tmp*')]  # no partial file behind
    return epoch


def same_history(d, name):
    h, ref = (pd.read_csv(d/n/'history.csv').drop(columns='time') for n in (name, f'ref_{name}'))
    assert h.epoch.tolist() == list(range(E)), h
    pd.testing.assert_frame_equal(h, ref)


def rel_diff(w, ref) -> float:
    "The largest relative difference between the tensors of two state dicts with the same keys."
    assert w.keys() == ref.keys()
    return max(((w[k].double() - ref[k].double()).norm() / ref[k].double().norm().clamp_min(1e-12)).item() for k in ref)


def same_bundle(d, name):
    "The same weights and loss (up to float rounding: MKL's threaded BLAS need not give the same bits in another process)."
    w, ref = (torch.load(d/n/'bundle'/'lm.pth', weights_only=True) for n in (name, f'ref_{name}'))
    assert rel_diff(w, ref) < TOL, rel_diff(w, ref)
    info, ref_info = (json.loads((d/n/'bundle'/'bundle.json').read_text()) for n in (name, f'ref_{name}'))
    assert info['valid_loss'] == pytest.approx(ref_info['valid_loss'], rel=TOL), (info['valid_loss'], ref_info['valid_loss'])


@pytest.fixture(scope='module')
def d(tmp_path_factory):
    d = tmp_path_factory.mktemp('reliability')
    with CorpusWriter(d/'corpus', 'de', valid_pct=0.1, seed=0) as w:
        for t in ddtp7('de').text[:400]: w.add(t)
    ddtp7('de').groupby('split').head(150).query("split != 'test'").to_csv(d/'labelled.csv', index=False)
    return d

def clas(d, epochs=None): return ['train-classifier', '--data', d/'labelled.csv', '--vocab_sz', 500, '--bs', 16, '--fp32', '--epochs', epochs or E]


@pytest.mark.slow
def test_pretrain_resumes_after_sigkill(d):
    interrupted_and_resumed(d, 'pre', 'pretrain', d/'corpus', '--vocab_sz', 500, '--bptt', 30, '--bs', 16, '--epochs', E, '--fp32')
    same_history(d, 'pre'); same_bundle(d, 'pre')
    sps = [SPTokenizer('de').load(d/n/'tokenizer.model').sp for n in ('pre', 'ref_pre')]  # (the files differ: they name their temp input)
    assert [[(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())] for sp in sps][0] == \
           [[(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())] for sp in sps][1]


@pytest.mark.slow
def test_finetune_resumes_after_sigkill(d):
    if not (d/'ref_pre'/'bundle').exists():
        multifit('pretrain', d/'corpus', '--vocab_sz', 500, '--bptt', 30, '--bs', 16, '--epochs', 1, '--fp32', '--run_dir', d/'ref_pre')
    interrupted_and_resumed(d, 'ft', 'finetune-lm', d/'ref_pre'/'bundle', '--data', 'ddtp7:de', '--max_texts', 300,
                            '--epochs', E, '--bs', 16, '--bptt', 30, '--fp32')
    same_history(d, 'ft'); same_bundle(d, 'ft')


@pytest.mark.slow
def test_classifier_resumes_after_sigkill(d):
    interrupted_and_resumed(d, 'clas', *clas(d))
    same_history(d, 'clas')
    w, ref = (torch.load(d/n/'models'/'best.pth', weights_only=True) for n in ('clas', 'ref_clas'))
    assert rel_diff(w, ref) < TOL  # the same best epoch
    assert (d/'clas'/'learner.pkl').is_file()
    r = subprocess.run([sys.executable, '-c', ENTRY, *map(str, clas(d)), '--run_dir', d/'clas', '--resume'], capture_output=True, text=True, env=ENV)
    assert r.returncode == 1 and 'is finished' in r.stderr, r.stderr  # nothing left to resume


@pytest.mark.slow
def test_resume_refuses_another_run(d):
    r = subprocess.run([sys.executable, '-c', ENTRY, *map(str, clas(d, epochs=E+1)), '--run_dir', d/'clas', '--resume'],
                       capture_output=True, text=True, env=ENV)
    assert r.returncode == 1 and 'holds another run' in r.stderr and f'epochs: {E} then, {E+1} now' in r.stderr, r.stderr


@pytest.mark.slow
def test_nan_loss_stops_the_run_with_a_message(d):
    "A learning rate far too high: the loss turns NaN in the first epoch; the run stops there, says where and why, writes no bundle."
    args = ['pretrain', d/'corpus', '--run_dir', d/'nan', '--vocab_sz', 500, '--bptt', 30, '--bs', 16, '--epochs', E, '--fp32', '--lr', '1e10']
    r = subprocess.run([sys.executable, '-c', ENTRY, *map(str, args)], capture_output=True, text=True, env=ENV, timeout=600)
    assert r.returncode == 1 and 'Traceback' not in r.stderr, r.stderr
    assert re.search(r'error: the training loss became (NaN|infinite) at epoch 0, batch \d+ \(step \d+\); no epoch had finished', r.stderr), r.stderr
    assert 'start it with a lower learning rate (--lr)' in r.stderr
    assert not (d/'nan'/'bundle').exists() and not (d/'nan'/'models'/'resume.pth').exists()
