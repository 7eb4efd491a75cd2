"""Multi-process speed-up of `multifit pretrain --nproc N` on this machine, side by side in one run. Asserts nothing.

Pretrains the same model on the same real corpus (DDTP-7 descriptions of `--lang`, shipped) with the same global
batch, once in one process with all the cores' threads and once in `--nproc` processes sharing them out
(`cores / N` threads each), and prints each run's training minutes (from its bundle: the fit alone, not the start-up)
and the speed-up. The runs are fp32 unless `--bf16`.

    python bench/distributed.py                        # small preset, 2 processes, 2 epochs
    python bench/distributed.py --preset paper --epochs 1
"""
import argparse, json, os, subprocess, sys, tempfile
from pathlib import Path
from multifit_fastai.corpus import CorpusWriter
from multifit_fastai.data import ddtp7

ENTRY = 'import sys; from multifit_fastai.cli import main; sys.exit(main())'

def run(corpus, run_dir, nproc, threads, args):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    subprocess.run([sys.executable, '-c', ENTRY, 'pretrain', str(corpus), '--run_dir', str(run_dir), '--nproc', str(nproc), *args],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads((run_dir/'bundle'/'bundle.json').read_text())

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--lang', default='de'); p.add_argument('--docs', type=int, default=8000)
    p.add_argument('--preset', default='small'); p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--bs', type=int, default=32); p.add_argument('--nproc', type=int, default=2)
    p.add_argument('--bf16', action='store_true')
    a = p.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        with CorpusWriter(d/'corpus', a.lang, valid_pct=0.05, seed=0) as w:
            for t in ddtp7(a.lang).text[:a.docs]: w.add(t)
        args = ['--preset', a.preset, '--epochs', str(a.epochs), '--bs', str(a.bs), '--vocab_sz', '2000'] + ([] if a.bf16 else ['--fp32'])
        one = run(d/'corpus', d/'one', 1, cores, args)
        many = run(d/'corpus', d/'many', a.nproc, max(1, cores // a.nproc), args)
    print(f"{a.preset} preset, {a.epochs} epochs, global batch {a.bs}, {'bf16' if a.bf16 else 'fp32'}, {cores} cores")
    for name, r in ((f'1 process x {cores} threads', one), (f'{a.nproc} processes x {max(1, cores // a.nproc)} threads', many)):
        print(f"  {name:<28} {r['train_minutes']:6.2f} min   valid loss {r['valid_loss']:.4f}   ({r['hardware']})")
    print(f"  speed-up: {one['train_minutes'] / many['train_minutes']:.2f}x")

if __name__ == '__main__': main()
