"""Where a training step through `Learner.fit` spends its time: torch's profiler around MultiFiT's learner.

Builds the learner `multifit bench` times (synthetic batches from `perf.synthetic_lm_dls`/`synthetic_clas_dls`, the
preset's sizes) with fastai's `Adam` or `TorchAdamW`, runs a few warm-up steps, then profiles `--steps` steps and
writes the operators that take the most time (self CPU time, and CUDA time where there is a GPU), the wall time of a
step, the device time of a step and the kernels launched per step. Asserts nothing.

    python bench/profile_step.py                                    # LM, paper preset, fp32, both optimizers
    python bench/profile_step.py --task classifier --bf16 --out profile.txt
"""
import argparse, statistics
import torch
from torch.profiler import ProfilerActivity, profile
from fastai.optimizer import Adam
from multifit_fastai.callbacks import TorchAdamW
from multifit_fastai.perf import fit_steps, learners, synthetic_clas_dls, synthetic_lm_dls

def profile_steps(task, preset, bf16, opt_func, steps, vocab_sz):
    mk = synthetic_lm_dls if task == 'lm' else synthetic_clas_dls
    dls = mk(vocab_sz, 64 if task == 'lm' else 32, 70 if task == 'lm' else 500, n_batches=steps + 3)
    learn = learners(task, dls, preset, bf16, opt_func)['MultiFiT (AWD_QRNN)']
    fit_steps(learn, 2, warmup=1)  # the optimizer's state, kernels compiled
    cuda = torch.cuda.is_available()
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    with profile(activities=acts) as prof: times = fit_steps(learn, steps, warmup=0)
    ev = prof.key_averages()
    step_ms = 1e3 * statistics.median(times)
    head = f"{task}, preset {preset}, {'bf16' if bf16 else 'fp32'}, {opt_func.__name__}: step {step_ms:.1f} ms (median)"
    if cuda:
        dev_us = sum(e.self_device_time_total for e in ev)
        kernels = sum(e.count for e in ev if e.device_type.name == 'CUDA')
        head += f", device busy {dev_us / 1e3 / steps:.1f} ms, {kernels / steps:.0f} kernels per step"
    sort = 'self_cuda_time_total' if cuda else 'self_cpu_time_total'
    return head + '\n' + ev.table(sort_by=sort, row_limit=25, max_name_column_width=60) + '\n'

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--task', default='lm', choices=['lm', 'classifier'])
    p.add_argument('--preset', default='paper')
    p.add_argument('--bf16', action='store_true', help='bf16 autocast (default fp32)')
    p.add_argument('--opt', default='both', choices=['both', 'Adam', 'TorchAdamW'])
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--vocab', type=int, default=15000)
    p.add_argument('--out', help='also write the report to this file')
    a = p.parse_args()
    opts = [Adam, TorchAdamW] if a.opt == 'both' else [dict(Adam=Adam, TorchAdamW=TorchAdamW)[a.opt]]
    report = '\n'.join(profile_steps(a.task, a.preset, a.bf16, o, a.steps, a.vocab) for o in opts)
    print(report)
    if a.out:
        with open(a.out, 'w', encoding='utf-8') as f: f.write(report)
