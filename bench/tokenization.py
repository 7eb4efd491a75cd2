"""Tokenization throughput on the same real documents, in one process: documents/s and tokens/s of
(a) raw sentencepiece `encode` (pre-processed text, batch call), (b) `SPTokenizer` through fastai's pipeline
(`parallel_tokenize` with fastai's pre-processing rules, as `TextBlock`/`TextDataLoaders` run it), and
(c) fastai's default spaCy word tokenizer through the same pipeline; also (b0) the `SPTokenizer` call alone on the
pre-processed text, and fastai's pre-processing rules alone. Prints ratios; asserts nothing.

    python bench/tokenization.py [--docs 20000] [--workers 2]
"""
import sys, os
import argparse, time
from pathlib import Path

import pandas as pd
from fastai.text.all import parallel_tokenize, defaults, compose, SpacyTokenizer
from multifit_fastai.tokenizer import SPTokenizer

DATA = Path(__file__).resolve().parents[1]/'tests'/'data'/'debian_en_sample.csv.gz'


def run(name, f, n_docs):
    t0 = time.perf_counter(); n_toks = f(); dt = time.perf_counter() - t0
    print(f"  {name:45} {n_docs/dt:9.0f} docs/s {n_toks/dt:11.0f} tokens/s")
    return n_docs/dt


def main(n_docs, workers):
    base = pd.read_csv(DATA).text.tolist()
    docs = (base * (n_docs//len(base) + 1))[:n_docs]  # the 1,120 real documents, repeated to n_docs
    tok = SPTokenizer('en', vocab_sz=8000).train(base)
    prep = compose(*defaults.text_proc_rules)
    pre = [prep(d) for d in docs]
    print(f"{n_docs} documents ({len(base)} distinct English Debian descriptions), {workers} workers for (b) and (c):")
    a = run('(a) raw sentencepiece encode (pre-processed)', lambda: sum(map(len, tok.sp.encode(pre))), n_docs)
    b0 = run('(b0) SPTokenizer call alone (pre-processed)', lambda: sum(map(len, tok(pre))), n_docs)
    r = run('     fastai pre-processing rules alone', lambda: len([prep(d) for d in docs]) and 0, n_docs)
    b = run('(b) SPTokenizer via fastai parallel_tokenize', lambda: sum(len(t) for _, t in parallel_tokenize(docs, tok, n_workers=workers)), n_docs)
    c = run('(c) fastai spaCy tokenizer, same pipeline', lambda: sum(len(t) for _, t in parallel_tokenize(docs, SpacyTokenizer('en'), n_workers=workers)), n_docs)
    print(f"(b0)/(a) = {b0/a:.2f}x   (b)/(a) = {b/a:.2f}x   (b)/(c) = {b/c:.1f}x")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--docs', type=int, default=20000); p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    main(a.docs, a.workers)
