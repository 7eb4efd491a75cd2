"""LM fine-tuning's data loading: fastai's `TextBlock` DataLoaders against `texts_lm_dls` (id streams), side by side.

Both read the same documents (DDTP-7's fine-tuning text, `ddtp7_lm_texts`) with the same tokenizer (a shipped
bundle's), the same split and batch shape, on the CPU's main thread as `Learner.fit` draws them. Reports the time to
build each `DataLoaders`, the milliseconds per training batch over one epoch (the second of two), and the ratio.
Asserts nothing; the tests check that both give the same batches (05a_training).

    python bench/lm_loaders.py                     # de, bs 64 x bptt 70
    python bench/lm_loaders.py --lang fr --bs 32
"""
import argparse
import time
import pandas as pd
from fastai.data.block import DataBlock
from fastai.data.transforms import ColReader, RandomSplitter
from multifit_fastai.bundle import bundle_tokenizer
from multifit_fastai.data import ddtp7_lm_texts
from multifit_fastai.tokenizer import subword_block
from multifit_fastai.training import texts_lm_dls

def textblock_dls(texts, tok, bs, bptt, valid_pct=0.1, seed=42):
    "fastai's way: a `DataBlock` of `subword_block` over a DataFrame (what `finetune_lm` used before id streams)."
    blk = subword_block(tok, 'text', is_lm=True, seq_len=bptt)
    return DataBlock(blocks=blk, get_x=ColReader('text'), splitter=RandomSplitter(valid_pct, seed=seed)).dataloaders(
        pd.DataFrame({'text': list(texts)}), bs=bs, seq_len=bptt, device='cpu')

def epoch_ms(dl):
    "Milliseconds per batch of one pass over `dl` (after a first, warming pass)."
    for _ in range(2):
        start, n = time.perf_counter(), 0
        for _ in dl: n += 1
    return 1e3 * (time.perf_counter() - start) / n, n

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--lang', default='de')
    ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--bptt', type=int, default=70)
    a = ap.parse_args()
    texts, tok = list(ddtp7_lm_texts(a.lang)), bundle_tokenizer(a.lang)
    print(f"DDTP-7 {a.lang}: {len(texts):,} documents, batch {a.bs} x {a.bptt}")
    res = {}
    for name, make in (('fastai TextBlock', lambda: textblock_dls(texts, tok, a.bs, a.bptt)),
                       ('id streams (texts_lm_dls)', lambda: texts_lm_dls(texts, tok, a.bs, a.bptt))):
        start = time.perf_counter()
        dls = make()
        build = time.perf_counter() - start
        res[name], n = epoch_ms(dls.train.new(device='cpu'))
        print(f"{name:>26}: build {build:5.1f} s | {n} batches | {res[name]:6.2f} ms/batch")
    old, new = res.values()
    print(f"id streams draw a batch {old / new:.1f}x faster")

if __name__ == '__main__': main()
