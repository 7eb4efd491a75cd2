#!/usr/bin/env python
"""Check built corpora for DDTP-7 valid/test text: every held-out description (whitespace collapsed, 30 characters or
more), whole or as one of its lines, looked for in every document of the corpus. Prints the count per corpus.

Usage: python tools/check_leaks.py CORPUS_DIR ...   (exit status 1 if any corpus holds held-out text)
"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fastprogress.fastprogress import progress_bar  # noqa: E402
from multifit_fastai.corpus import corpus_info, corpus_files  # noqa: E402
from multifit_fastai.debian_corpus import HeldOut  # noqa: E402
from multifit_fastai.data import ddtp7  # noqa: E402

def leaks(corpus) -> int:
    "Documents of `corpus` (train and valid) that contain a DDTP-7 valid/test line of 30+ characters."
    held = HeldOut(ddtp7(corpus_info(corpus)['lang'], ('valid', 'test')).text)
    files = list(corpus_files(corpus, 'train')) + list(corpus_files(corpus, 'valid'))
    return sum(held(doc) for f in files for doc in progress_bar(f.read_text(encoding='utf-8').splitlines(), leave=False))

if __name__ == '__main__':
    bad = 0
    for c in sys.argv[1:]:
        n = leaks(c); bad += n
        print(f"{c}: {n} document(s) with DDTP-7 valid/test text", flush=True)
    sys.exit(1 if bad else 0)
