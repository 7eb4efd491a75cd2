"""`multifit predict` over many documents: streamed in chunks vs read whole, side by side in one run. Asserts nothing.

Trains a small classifier on DDTP-7 (`--lang`, shipped; one epoch: its accuracy does not matter here), writes `--docs`
real descriptions (DDTP-7's, repeated) to a text file, one per line, and classifies it with `multifit predict` in a fresh
process for each `--chunk` (`0`: the whole file at once, as `predict` did before it streamed). Prints each run's
documents per second and peak resident memory (the process's `ru_maxrss`), and the ratios.

    python bench/predict_stream.py                          # 100,000 documents, chunks of 4,096 vs the whole file
    python bench/predict_stream.py --docs 20000 --chunk 1024 4096 0
"""
import argparse, resource, subprocess, sys, tempfile, time
from pathlib import Path
from multifit_fastai.data import ddtp7

CHILD = '''import resource, sys, time
from multifit_fastai.cli import main
start = time.time(); rc = main(sys.argv[1:])
print(rc, time.time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)'''

def predict(learner, docs, out, chunk):
    "Run `multifit predict` in a fresh process: (seconds, peak RSS in MB)."
    r = subprocess.run([sys.executable, '-c', CHILD, 'predict', str(learner), '--input', str(docs), '--output', str(out),
                        '--chunk', str(chunk or 10**9)], capture_output=True, text=True, check=True)
    rc, secs, rss = r.stderr.strip().splitlines()[-1].split()
    assert rc == '0', r.stderr
    return float(secs), int(rss) / 1024

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--lang', default='de'); p.add_argument('--docs', type=int, default=100_000)
    p.add_argument('--chunk', type=int, nargs='+', default=[4096, 0])
    a = p.parse_args()
    df = ddtp7(a.lang)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        train = df.groupby(['split', 'label']).head(100).query("split != 'test'")
        train.to_csv(d/'train.csv', index=False)
        subprocess.run([sys.executable, '-c', 'import sys; from multifit_fastai.cli import main; sys.exit(main())', 'train-classifier',
                        '--data', str(d/'train.csv'), '--run_dir', str(d/'clas'), '--vocab_sz', '2000', '--epochs', '1'],
                       check=True, capture_output=True)
        texts = df.text.str.replace(r'\s+', ' ', regex=True)
        lines = (texts.tolist() * (a.docs // len(texts) + 1))[:a.docs]
        (d/'docs.txt').write_text('\n'.join(lines) + '\n', encoding='utf-8')
        mb = (d/'docs.txt').stat().st_size / 2**20
        print(f"{a.docs:,} documents ({mb:.0f} MB, {sum(map(len, lines)) / a.docs:.0f} characters on average), small preset, bf16 where native")
        res = {}
        for c in a.chunk:
            secs, rss = predict(d/'clas'/'learner.pkl', d/'docs.txt', d/f'out{c}.csv', c)
            res[c] = secs, rss
            print(f"  {'chunks of ' + format(c, ',') if c else 'whole file':<18} {a.docs / secs:8.0f} docs/s  {secs:7.1f} s  peak RSS {rss:7.0f} MB")
        if 0 in res:
            for c,(secs, rss) in res.items():
                if c: print(f"  chunks of {c:,} vs whole file: {res[0][0] / secs:.2f}x the speed, {rss / res[0][1]:.2f}x the memory")

if __name__ == '__main__': main()
