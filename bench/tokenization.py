"""Tokenization throughput on the same real documents (DDTP-7's), in one process: `multifit_fastai.perf.tokenizer_bench`
(sentencepiece + fastai's rules, `SPTokenizer` through fastai's `parallel_tokenize`, streaming `tokenize_corpus`),
and fastai's default spaCy word tokenizer through the same pipeline. Prints rates and ratios; asserts nothing.

    python bench/tokenization.py [--docs 20000] [--workers 2] [--lang en]
"""
import argparse
import pandas as pd
from fastai.text.all import parallel_tokenize, SpacyTokenizer, defaults
from multifit_fastai.data import ddtp7
from multifit_fastai.perf import tokenizer_bench, _rate


def main(n_docs, workers, lang):
    rows = tokenizer_bench(lang, n_docs, n_workers=workers)
    base = ddtp7(lang).text.tolist()
    docs = (base * (n_docs // len(base) + 1))[:n_docs]
    rows.append(_rate('fastai spaCy tokenizer, same pipeline',
                      lambda: sum(len(t) for _, t in parallel_tokenize(docs, SpacyTokenizer(lang), n_workers=workers)), n_docs))
    rows[-1]['vs_raw'] = rows[-1]['docs_per_s'] / rows[0]['docs_per_s']
    print(f"{n_docs} DDTP-7 {lang} documents, {workers} workers for fastai's pipeline:")
    print(pd.DataFrame(rows).to_markdown(index=False, floatfmt='.2f'))
    print(f"SPTokenizer via fastai / spaCy via fastai: {rows[1]['docs_per_s'] / rows[-1]['docs_per_s']:.1f}x")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--docs', type=int, default=20000); p.add_argument('--workers', type=int, default=defaults.cpus)
    p.add_argument('--lang', default='en')
    a = p.parse_args()
    main(a.docs, a.workers, a.lang)
