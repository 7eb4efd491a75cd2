"""Build multifit_fastai/corpora/<lang>.txt.xz: the small language-model corpora shipped with the package.

Each is a seeded sample (about 6 MB of UTF-8 text) of `debian_corpus_docs(lang, ...)`: Debian's man pages, fortunes
and translated manuals for the language (fetched with `apt-get download` into CACHE, which needs apt and a Debian
mirror) plus DDTP-7's training-family descriptions (from the shipped DDTP-7 data).
Usage: python tools/make_corpus_samples.py [CACHE] [LANG ...]   (default cache /tmp/debcache, langs en de fr es ja zh)
"""
import sys, warnings
from pathlib import Path
from multifit_fastai.debian_corpus import debian_corpus_docs, sample_corpus_file

def main(cache='/tmp/debcache', *langs):
    out = Path(__file__).resolve().parents[1]/'multifit_fastai'/'corpora'
    for lang in langs or ('en', 'de', 'fr', 'es', 'ja', 'zh'):
        counts = {}
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            got = sample_corpus_file(debian_corpus_docs(lang, cache, counts=counts), out/f'{lang}.txt.xz')
        print(lang, got, (out/f'{lang}.txt.xz').stat().st_size, 'bytes;', counts, [str(o.message)[:120] for o in w], flush=True)

if __name__ == '__main__': main(*sys.argv[1:])
