"""Language-model training throughput (tokens/s) in fp32 and bf16 autocast, side by side in ONE process.

A step = forward + loss + backward + Adam step of `multifit_config(AWD_QRNN, preset)`'s language model on a batch of
`--bs` x `--bptt` token ids, on fastai's default device (CUDA where present, else the CPU with all its threads).
Reports the median tokens/s of each precision and the bf16/fp32 ratio, and whether the device runs bf16 natively
(`bf16_supported`, which decides the learners' default). Asserts nothing.

    python bench/lm_throughput.py                       # small and paper presets, vocab 15k, bs 64
    python bench/lm_throughput.py --preset small --steps 5 --vocab 8000
"""
import argparse, statistics, time
import torch, torch.nn.functional as F
from fastai.torch_core import default_device
from fastai.text.models.core import get_language_model
from multifit_fastai.models import AWD_QRNN
from multifit_fastai.models import multifit_config
from multifit_fastai.callbacks import bf16_supported

def step_times(model, x, y, bf16, steps, dev):
    opt = torch.optim.Adam(model.parameters(), 1e-3); ts = []
    for i in range(steps + 1):
        if dev.type == 'cuda': torch.cuda.synchronize()
        t = time.perf_counter()
        with torch.autocast(dev.type, torch.bfloat16, enabled=bf16):
            out = model(x)[0]
        loss = F.cross_entropy(out.float().view(-1, out.shape[-1]), y.reshape(-1))
        loss.backward(); opt.step(); opt.zero_grad(); model.reset()
        if dev.type == 'cuda': torch.cuda.synchronize()
        if i: ts.append(time.perf_counter() - t)  # the first step warms up
    return statistics.median(ts)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', nargs='+', default=['small', 'paper']); ap.add_argument('--vocab', type=int, default=15000)
    ap.add_argument('--bs', type=int, default=64); ap.add_argument('--bptt', type=int, default=70)
    ap.add_argument('--steps', type=int, default=8)
    a = ap.parse_args()
    dev = default_device()
    where = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'CPU, {torch.get_num_threads()} threads'
    print(f"device: {where}; native bf16: {bf16_supported(dev)}; batch {a.bs} x {a.bptt}, vocab {a.vocab}")
    for preset in a.preset:
        torch.manual_seed(0)
        model = get_language_model(AWD_QRNN, a.vocab, config=multifit_config(AWD_QRNN, preset)).to(dev)
        ids = torch.randint(0, a.vocab, (a.bs, a.bptt + 1), device=dev)
        tps = {p: a.bs * a.bptt / step_times(model, ids[:, :-1], ids[:, 1:], p == 'bf16', a.steps, dev) for p in ('fp32', 'bf16')}
        print(f"{preset:>6}: fp32 {tps['fp32']:>10,.0f} tokens/s | bf16 {tps['bf16']:>10,.0f} tokens/s | bf16/fp32 {tps['bf16'] / tps['fp32']:.2f}x")

if __name__ == '__main__': main()
