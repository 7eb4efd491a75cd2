"""Forget-mult candidates on this machine, in one process: forward + backward at MultiFiT's layer size.

Candidates: the plain autograd loop (`forget_mult(impl='loop')`), `ForgetMult` (hand-written backward, what
`forget_mult` uses), `torch.compile` of the loop (inductor; timed after compilation, compile time reported), and
the fused `QRNNPool` node (activations + forget-mult + output gate). Also the cost of one weight-dropout mask on a
4650 x 1550 weight: fastai's `F.dropout` vs `QRNNWeightDropout`. Prints medians; asserts nothing.

    python bench/forget_mult.py [--bs 64 --sl 70 --nh 1550 --steps 5 --no-compile]
"""
import argparse, statistics, time

import torch, torch.nn as nn, torch.nn.functional as F
from fastai.text.all import WeightDropout
from multifit_fastai.qrnn import forget_mult, forget_mult_loop, QRNNPool, QRNNWeightDropout


def med(fn, steps):
    fn(); ts = []
    for _ in range(steps):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1e3


def main(bs, sl, nh, steps, compile_):
    torch.manual_seed(0)
    f = torch.rand(bs, sl, nh, requires_grad=True); z = torch.randn(bs, sl, nh, requires_grad=True)
    def fb(fm): return lambda: fm(f, z).sum().backward()
    print(f"forget-mult fwd+bwd, bs {bs} x seq {sl} x hidden {nh}, median of {steps}:")
    res = {'loop': med(fb(lambda f, z: forget_mult(f, z, impl='loop')), steps),
           'ForgetMult': med(fb(forget_mult), steps)}
    if compile_:
        comp = torch.compile(lambda f, z: forget_mult_loop(f.transpose(0, 1), z.transpose(0, 1)).transpose(0, 1))
        t0 = time.perf_counter(); comp(f, z).sum().backward(); ct = time.perf_counter() - t0
        res['torch.compile'] = med(fb(comp), steps)
        print(f"  torch.compile: first call (compilation) {ct:.1f} s")
    g = torch.randn(sl, bs, 3*nh, requires_grad=True); h0 = torch.zeros(bs, nh)
    res['QRNNPool (gates->h)'] = med(lambda: QRNNPool.apply(g, h0, None, True, True)[0].sum().backward(), steps)
    for k, v in res.items(): print(f"  {k:22} {v:8.1f} ms   ({res['loop']/v:.1f}x vs loop)")
    w = nn.Linear(1550, 4650)
    print("weight-dropout mask + masked weight, 4650 x 1550, p=0.2:")
    for name, cls in [('fastai WeightDropout', WeightDropout), ('QRNNWeightDropout', QRNNWeightDropout)]:
        wd = cls(nn.Linear(1550, 4650), 0.2, 'weight').train()
        print(f"  {name:22} {med(wd._setweights, steps):8.1f} ms")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--sl', type=int, default=70)
    p.add_argument('--nh', type=int, default=1550); p.add_argument('--steps', type=int, default=5)
    p.add_argument('--no-compile', action='store_true')
    a = p.parse_args()
    main(a.bs, a.sl, a.nh, a.steps, not a.no_compile)
