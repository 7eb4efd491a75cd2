"""Training-step speed of AWD_QRNN vs fastai's AWD_LSTM at the paper's dimensions (MultiFiT Table 4), in ONE process.

Settings (paper, Table 4): language model batch 64 x bptt 70 (vocab 15k), classifier batch 32 x 500 tokens.
A step = forward + loss + backward + Adam step. Reported: median ms/step over `--steps` timed steps (after one
warm-up step), speed-ups of the QRNN over (a) fastai's AWD_LSTM (weight-dropped LSTMs, which lose PyTorch's fused
LSTM path) and (b) the same AWD_LSTM with plain fused `nn.LSTM` layers (no weight dropout), and the QRNN step's
matmul-only lower bound: the same GEMMs (forward, grad-input, grad-weight of every QRNN linear map and of the
decoder) timed alone. Prints ratios measured side by side; asserts nothing.

    python bench/qrnn_vs_lstm.py                      # fp32 and bf16 autocast, LM and classifier
    python bench/qrnn_vs_lstm.py --prec bf16 --task lm --steps 5
    python bench/qrnn_vs_lstm.py --csv docs/results/qrnn_vs_lstm.csv   # the rows the README's speed table shows
"""
import argparse, statistics, time

import pandas as pd

import torch, torch.nn as nn, torch.nn.functional as F
from fastai.text.all import AWD_LSTM, WeightDropout, awd_lstm_lm_config, awd_lstm_clas_config, get_language_model, get_text_classifier
from fastai.text.models.core import _model_meta
from multifit_fastai.models import AWD_QRNN, awd_qrnn_lm_config, awd_qrnn_clas_config

VOCAB, N_CLASS = 15000, 4


class FusedLSTM(AWD_LSTM):
    "AWD_LSTM whose layers are plain `nn.LSTM`s (no weight dropout), so PyTorch's fused LSTM kernel is used."
    def _one_rnn(self, n_in, n_out, bidir, weight_p, l): return nn.LSTM(n_in, n_out, 1, batch_first=True, bidirectional=bidir)

_model_meta[FusedLSTM] = _model_meta[AWD_LSTM]
SAME_DIMS = dict(emb_sz=400, n_hid=1550, n_layers=4)
ARCHS = {'AWD_QRNN': (AWD_QRNN, awd_qrnn_lm_config, awd_qrnn_clas_config),
         'AWD_LSTM (fastai)': (AWD_LSTM, dict(awd_lstm_lm_config, **SAME_DIMS), dict(awd_lstm_clas_config, **SAME_DIMS)),
         'fused nn.LSTM': (FusedLSTM, dict(awd_lstm_lm_config, **SAME_DIMS), dict(awd_lstm_clas_config, **SAME_DIMS))}


def make(task, name):
    arch, lm_cfg, clas_cfg = ARCHS[name]
    torch.manual_seed(0)
    if task == 'lm':
        m = get_language_model(arch, VOCAB, lm_cfg)
        x, y = torch.randint(2, VOCAB, (64, 70)), torch.randint(2, VOCAB, (64, 70))
    else:
        m = get_text_classifier(arch, VOCAB, N_CLASS, seq_len=72, config=clas_cfg, max_len=72*20)
        x, y = torch.randint(2, VOCAB, (32, 500)), torch.randint(0, N_CLASS, (32,))
    return m.train(), x, y


def time_steps(m, x, y, prec, steps):
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    def step():
        if hasattr(m, 'reset'): m.reset()
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=prec == 'bf16'):
            out = m(x)[0]
        loss = F.cross_entropy(out.float().reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward(); opt.step(); opt.zero_grad()
    ts = []
    for i in range(steps + 1):
        t0 = time.perf_counter(); step(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts[1:]) * 1e3


def gemm_bound(m, x, prec, steps):
    "Time only the GEMMs of the QRNN step: for each linear map (and the decoder) Y=XW^T, dX=dY W, dW=dY^T X."
    dt = torch.bfloat16 if prec == 'bf16' else torch.float32
    enc = m[0] if isinstance(m[0], AWD_QRNN) else m[0].module
    tokens = x.numel()
    shapes = [tuple(r.layers[0].linear.weight_raw.shape) for r in enc.rnns]
    if hasattr(m[1], 'decoder'): shapes.append(tuple(m[1].decoder.weight.shape))
    mats = [(torch.randn(tokens, i, dtype=dt), torch.randn(o, i, dtype=dt), torch.randn(tokens, o, dtype=dt)) for o, i in shapes]
    def run():
        for X, W, dY in mats: X @ W.t(); dY @ W; dY.t() @ X
    ts = []
    for i in range(steps + 1):
        t0 = time.perf_counter(); run(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts[1:]) * 1e3


def main(tasks, precs, steps, archs):
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {steps} steps after 1 warm-up\n")
    print(f"{'task':5} {'prec':5} {'model':18} {'ms/step':>9} {'QRNN speed-up':>14}")
    res = {}
    for task in tasks:
        for prec in precs:
            for name in archs:
                m, x, y = make(task, name)
                res[task, prec, name] = t = time_steps(m, x, y, prec, steps)
                if name == 'AWD_QRNN': res[task, prec, 'gemm'] = gemm_bound(m, x, prec, steps)
                q = res[task, prec, 'AWD_QRNN']
                print(f"{task:5} {prec:5} {name:18} {t:9.0f} {'' if name == 'AWD_QRNN' else f'{t/q:13.2f}x'}", flush=True)
                del m
            g = res[task, prec, 'gemm']
            print(f"{task:5} {prec:5} {'QRNN GEMMs alone':18} {g:9.0f}   step / GEMM bound = {res[task, prec, 'AWD_QRNN']/g:.2f}x", flush=True)
    return res


def rows(res, tasks, precs):
    "One row per task and precision: each model's ms/step and the QRNN's GEMM bound (`reports.speed_table` reads it)."
    shape = {'lm': ('LM', 'bs 64 x bptt 70'), 'clas': ('classifier', 'bs 32 x 500')}
    prec = {'fp32': 'fp32', 'bf16': 'bf16 autocast'}
    cols = {'AWD_QRNN_ms': 'AWD_QRNN', 'AWD_LSTM_ms': 'AWD_LSTM (fastai)', 'fused_LSTM_ms': 'fused nn.LSTM',
            'GEMM_bound_ms': 'gemm'}
    return pd.DataFrame([dict(task=shape[t][0], shape=shape[t][1], precision=prec[p],
                              **{c: round(res[t, p, k]) for c, k in cols.items()}) for t in tasks for p in precs])


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--task', default='lm,clas', help='comma-separated: lm, clas')
    p.add_argument('--prec', default='fp32,bf16', help='comma-separated: fp32, bf16 (CPU autocast)')
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--archs', default=','.join(ARCHS), help='comma-separated model names')
    p.add_argument('--csv', help='also write the rows (all three models) to this CSV')
    a = p.parse_args()
    tasks, precs = a.task.split(','), a.prec.split(',')
    res = main(tasks, precs, a.steps, a.archs.split(','))
    if a.csv: rows(res, tasks, precs).to_csv(a.csv, index=False)
