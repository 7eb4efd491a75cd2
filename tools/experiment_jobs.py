"""One job of an experiment split over seeds (and noise levels), for machines with many cores or a GPU.

python tools/experiment_jobs.py check                      -> on CUDA: the Triton QRNN vs the reference loop (JSON)
python tools/experiment_jobs.py lm LANG TOKENS             -> the shared corpus and pretrained + fine-tuned bundle
python tools/experiment_jobs.py rows EXP LANG SEED [NOISE] -> one seed's rows, in $RES/rows/EXP-LANG-SEED[-NOISE].csv
python tools/experiment_jobs.py rows recipe LANG SEED I    -> the I-th setting only of `recipe` (RECIPE_CHANGES) or `finetuning` (FINETUNING)
python tools/experiment_jobs.py rows EXP LANG SEED OPTION  -> with the experiment's OPTION on (`bootstrapping`: soft)
python tools/experiment_jobs.py rows tokens LANG SEED N    -> `tokens` at one corpus size N (all: the whole, the bundle)
python tools/experiment_jobs.py rows tokenization LANG SEED N -> subword vs word tokens, LMs pretrained on N tokens
python tools/experiment_jobs.py lm LANG all [SETTING]      -> the LM of the scale's `full_lm` (with a recipe setting's changes)
python tools/experiment_jobs.py lm LANG shipped            -> the shipped bundle fine-tuned on DDTP-7 (the `bundle` scales)
python tools/experiment_jobs.py lm LANG shipped backwards  -> the same for the backward bundle LANG-bwd (`ensemble`)
python tools/experiment_jobs.py lm LANG TOKENS tokens      -> the LM `tokens` (the experiment) pretrains on TOKENS tokens
python tools/experiment_jobs.py lm LANG TOKENS word        -> `tokenization`'s word-token LM (shipped: as the bundle, CORPORA)
python tools/experiment_jobs.py rows EXP@SCALE LANG SEED   -> one seed's rows at another scale than $SCALE, in $RES/rows/SCALE/

Build the language models first (`lm`), then run the `rows` jobs in parallel (tools/experiment_jobs.sh does both), and
put the rows together with tools/collect_results.py. Env: RES (work folder), SCALE (default small), THREADS, CORPORA (a
folder of corpora, one per language, to pretrain on instead of the shipped ones: e.g. from `multifit data build-corpus`).
"""
import os, sys, json, time
from pathlib import Path
RES = Path(os.environ.get('RES', '/tmp/res'))
TH = int(os.environ.get('THREADS', '2'))

def setup():
    import torch
    torch.set_num_threads(TH)
    from fastai.torch_core import defaults
    defaults.cpus = TH
    if os.environ.get('MF_NO_TRITON'):
        import multifit_fastai.qrnn as q; q._TRITON = False

def check():
    import torch
    from multifit_fastai.qrnn import forget_mult
    from multifit_fastai.models import AWD_QRNN
    from multifit_fastai.models import multifit_config
    from fastai.text.models.core import get_language_model
    torch.manual_seed(0)
    out = dict(device=torch.cuda.get_device_name(), torch=torch.__version__)
    args = [torch.rand(8, 70, 64, device='cuda', requires_grad=True), torch.randn(8, 70, 64, device='cuda', requires_grad=True),
            torch.randn(8, 64, device='cuda', requires_grad=True)]
    res = []
    for impl in ('auto', 'loop'):
        c = forget_mult(*args, impl=impl)
        res.append([c, *torch.autograd.grad((c * c).sum(), args)])
    out['forget_mult_max_err'] = max((a - b).abs().max().item() for a, b in zip(*res))
    m = get_language_model(AWD_QRNN, 500, config=multifit_config(AWD_QRNN, 'small')).eval()
    x = torch.randint(0, 500, (4, 70))
    with torch.no_grad():
        m.reset(); cpu = m(x)[0]; m.cuda(); m.reset(); gpu = m(x.cuda())[0].cpu()
    out['lm_cpu_vs_cuda_max_err'] = (cpu - gpu).abs().max().item()
    import multifit_fastai.qrnn as q
    out['triton'] = q._triton_kernels() is not None
    out['ok'] = out['forget_mult_max_err'] < 1e-4 and out['lm_cpu_vs_cuda_max_err'] < 1e-3
    print(json.dumps(out))
    return out['ok']

def scale(lang, name=None):
    "The scale `name` (default: $SCALE), pretraining on $CORPORA/`lang` if $CORPORA is set."
    from multifit_fastai.experiments import SCALES
    sc = dict(SCALES[name or os.environ.get('SCALE', 'small')])
    if os.environ.get('CORPORA'): sc['corpus'] = Path(os.environ['CORPORA'])/lang
    return sc

def lm(lang, tokens, setting=None):
    from multifit_fastai.experiments import RECIPE_CHANGES, _lm, _setting_lm, _word_lm, tokens_scale
    sc, run = scale(lang), RES/'lms'/'x'
    if setting == 'word': return _word_lm(lang, run, sc, tokens=tokens if tokens == 'shipped' else int(tokens))
    if tokens == 'shipped': return _lm(lang, run, dict(sc, backwards=setting == 'backwards'), 'shipped')
    if setting == 'tokens': return _lm(lang, run, tokens_scale(sc, int(tokens)))
    if tokens != 'all': return _lm(lang, run, sc, int(tokens))
    _lm(lang, run, _setting_lm(sc, RECIPE_CHANGES[list(RECIPE_CHANGES)[int(setting)]] if setting is not None else {}))

def rows(exp, lang, seed, frac=None):
    import multifit_fastai.experiments as E
    exp, _, at = exp.partition('@')
    kwargs = {}
    parts = dict(recipe=E.RECIPE_CHANGES, finetuning=E.FINETUNING)  # experiments split by setting
    if frac is not None and exp in parts: kwargs['settings'] = dict([list(parts[exp].items())[int(frac)]])
    elif frac is not None and exp == 'tokens': kwargs['tokens'] = (None if frac == 'all' else int(frac),)
    elif frac is not None and exp == 'tokenization': kwargs['tokens'] = int(frac)
    elif frac is not None and frac.isidentifier(): kwargs[frac] = True  # an option of the experiment
    elif frac is not None: kwargs['fracs'] = (float(frac),)
    sc = dict(scale(lang, at or None), seeds=(int(seed),))
    start, name = time.time(), f"{exp}-{lang}-{seed}" + ('' if frac is None else f"-{frac}")
    r = E.EXPERIMENTS[exp](lang, RES/'lms'/(name + (f'@{at}' if at else '')), sc, **kwargs)
    out = RES/'rows'/at  # rows of another scale than $SCALE: in a folder of their own
    out.mkdir(exist_ok=True, parents=True)
    r.assign(minutes=(time.time() - start) / 60).to_csv(out/f'{name}.tmp', index=False)
    os.replace(out/f'{name}.tmp', out/f'{name}.csv')

if __name__ == '__main__':
    cmd, *a = sys.argv[1:]
    if cmd == 'check':
        import torch
        sys.exit(0 if not torch.cuda.is_available() or check() else 1)
    setup()
    dict(lm=lm, rows=rows)[cmd](*a)
