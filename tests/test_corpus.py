"Corpus building under hard crashes (SIGKILL), resumed Wikipedia builds and tokenization, on real text."
import os
import re
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from multifit_fastai import corpus_dls, wikipedia
from multifit_fastai.corpus import CorpusWriter, corpus_files, corpus_info
from multifit_fastai.wikipedia import WikiPage, prepare_wikipedia, write_wiki_dump
from multifit_fastai.corpus_dls import tokenize_corpus
from multifit_fastai.tokenizer import SPTokenizer

DATA = Path(__file__).parent/'data'
ROOT = Path(__file__).resolve().parents[1]
KW = dict(shard_mb=0.02, valid_pct=0.1, min_chars=20)


@pytest.fixture(scope='module')
def texts():
    return pd.read_csv(DATA/'debian_en_sample.csv.gz').text.tolist()


def shards(d):
    return {s: [f.read_bytes() for f in corpus_files(d, s)] for s in ('train', 'valid')}


def build(d, texts, **kw):
    with CorpusWriter(d, 'en', **kw) as w:
        for t in texts: w.add(t, source='debian')
    return corpus_info(d)


_KILL = """
import os, signal, sys, pandas as pd
from multifit_fastai.corpus import CorpusWriter
texts = pd.read_csv(sys.argv[2]).text.tolist()
w = CorpusWriter(sys.argv[1], 'en', shard_mb=0.02, valid_pct=0.1, min_chars=20, resume=sys.argv[4]=='resume')
if sys.argv[4] == 'race':  # killed after the first valid shard is renamed to its final name, before corpus.json records it
    ckpt = w.checkpoint
    def checkpoint():
        if w.info['shards']['valid']: os.kill(os.getpid(), signal.SIGKILL)
        ckpt()
    w.checkpoint = checkpoint
for i,t in enumerate(texts):
    if i == int(sys.argv[3]): os.kill(os.getpid(), signal.SIGKILL)  # no cleanup of any kind
    w.add(t, source='debian')
w.close()
"""


@pytest.mark.skipif(not hasattr(signal, 'SIGKILL'), reason='needs SIGKILL')
@pytest.mark.parametrize('how', ['kill', 'race'])
def test_writer_resumes_after_sigkill(texts, tmp_path, how):
    ref = build(tmp_path/'ref', texts, **KW)
    script = tmp_path/'kill.py'
    script.write_text(_KILL)
    run = lambda *a: subprocess.run([sys.executable, str(script), str(tmp_path/'c'), str(DATA/'debian_en_sample.csv.gz'), *a],
                                    cwd=ROOT, capture_output=True)
    assert run('650' if how=='kill' else '-1', how).returncode == -signal.SIGKILL
    part = corpus_info(tmp_path/'c')
    assert not part['complete'] and 0 < part['writer']['n_seen'] < 650  # the last checkpoint: the last finished shard
    if how == 'race':  # the valid shard is finished on disk, while corpus.json still has part of it as partial
        assert (tmp_path/'c'/'valid'/'00000.txt').exists() and part['writer']['partial']['valid'] > 0 and not part['shards']['valid']
    assert list((tmp_path/'c').glob('train/*.partial'))  # documents after the checkpoint were written, but are not recorded
    assert run('-1', 'resume').returncode == 0
    done = corpus_info(tmp_path/'c')
    for k in ('n_docs', 'n_tokens', 'shards', 'sources', 'skipped', 'complete'): assert done[k] == ref[k], k
    assert shards(tmp_path/'c') == shards(tmp_path/'ref')
    assert not list((tmp_path/'c').glob('*/*.partial'))


def test_writer_complete_corpus_is_kept(texts, tmp_path):
    "A build stopped by `max_tokens` is complete; resuming it adds nothing."
    small = build(tmp_path/'c', texts[:500], max_tokens=10_000, **KW)
    assert 10_000 <= sum(small['n_tokens'].values()) and small['complete']
    with CorpusWriter(tmp_path/'c', 'en', resume=True, max_tokens=10_000, **KW) as w:
        assert w.complete and not w.add(texts[0])  # a complete corpus is left as it is
    with pytest.raises(ValueError, match="other settings.*max_tokens"):  # the cap is part of what the corpus is
        CorpusWriter(tmp_path/'c', 'en', resume=True, max_tokens=20_000, **KW)
    assert corpus_info(tmp_path/'c') == small


def _pages(texts):
    pages = [WikiPage(f'Page {i}', 0, i+1, False, f"{{{{Infobox|x={i}}}}}\n'''Page {i}''' is a [[Debian|package]].\n{t}")
             for i,t in enumerate(texts)]
    pages[3] = WikiPage('Alias', 0, 4, True, '#REDIRECT [[Page 1]]')
    return pages


def test_wikipedia_resume_does_not_clean_again(texts, tmp_path, monkeypatch):
    dump = write_wiki_dump(_pages(texts[:300]), tmp_path/'enwiki-pages-articles-multistream.xml.bz2', pages_per_stream=20)
    ref = prepare_wikipedia(dump, 'en', tmp_path/'ref', progress=False, **KW)
    calls, strip = [], wikipedia.strip_wikitext
    def interrupted(text, *args):
        if len(calls) == 200: raise KeyboardInterrupt
        calls.append(1); return strip(text, *args)
    monkeypatch.setattr(wikipedia, 'strip_wikitext', interrupted)
    with pytest.raises(KeyboardInterrupt): prepare_wikipedia(dump, 'en', tmp_path/'c', progress=False, **KW)
    part = corpus_info(tmp_path/'c')
    assert part['writer']['n_seen'] == 201 and sum(part['n_docs'].values()) == 200  # 200 articles and a redirect
    calls.clear()
    monkeypatch.setattr(wikipedia, 'strip_wikitext', lambda text, *args: calls.append(1) or strip(text, *args))
    info = prepare_wikipedia(dump, 'en', tmp_path/'c', progress=False, **KW)
    assert len(calls) == 99  # only the pages after the interruption are cleaned
    for k in ('n_docs', 'n_tokens', 'shards', 'skipped'): assert info[k] == ref[k], k
    assert shards(tmp_path/'c') == shards(tmp_path/'ref')
    assert ref['skipped'] == {'redirect': 1} and ref['sources'] == {dump.name: 299}
    with pytest.raises(ValueError, match="cannot resume .* with other settings"):
        prepare_wikipedia(dump, 'en', tmp_path/'c', valid_pct=0.5, shard_mb=0.05, min_chars=20)


@pytest.fixture(scope='module')
def tok(texts):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return SPTokenizer('en', vocab_sz=800).train(texts[:400])


def test_tokenize_corpus_resumes(texts, tok, tmp_path, monkeypatch):
    build(tmp_path/'c', texts[:600], **KW)
    ref = tokenize_corpus(tmp_path/'c', tok, dest=tmp_path/'ref', progress=False)
    real, n = corpus_dls._tok_shard, []
    def crash(*args, **kwargs):
        if len(n) == 3: raise KeyboardInterrupt
        n.append(1); return real(*args, **kwargs)
    monkeypatch.setattr(corpus_dls, '_tok_shard', crash)
    with pytest.raises(KeyboardInterrupt): tokenize_corpus(tmp_path/'c', tok, progress=False, chunk_docs=7)
    monkeypatch.setattr(corpus_dls, '_tok_shard', real)
    st = tokenize_corpus(tmp_path/'c', tok, progress=False, chunk_docs=7)  # chunking does not change the ids
    assert st == ref and len(st['shards']['train']) > 3
    for o in st['shards']['train'] + st['shards']['valid']:
        a, b = np.load(tmp_path/'c'/'ids'/o['path']), np.load(tmp_path/'ref'/o['path'])
        assert a.dtype == np.uint16 and len(a) == o['n_ids'] and np.array_equal(a, b)
        assert (a == 2).sum() >= o['n_docs']  # an xxbos per document
    assert not [p for p in (tmp_path/'c'/'ids').rglob('*') if p.suffix in ('.partial', '.tmp') or '.tmp.' in p.name or p.name.startswith('.')]


def test_tokenize_corpus_bad_input(texts, tok, tmp_path):
    d = tmp_path/'c'
    with CorpusWriter(d, 'en', **KW) as w:
        for t in texts[:50]: w.add(t)
        w.checkpoint()
        with pytest.raises(ValueError, match='not complete'): tokenize_corpus(d, tok)
    f = corpus_files(d)[0]
    f.write_bytes(f.read_bytes() + 'caf\xe9\n'.encode('latin-1'))
    with pytest.raises(ValueError, match=re.escape(f'{f} is not valid UTF-8')): tokenize_corpus(d, tok, progress=False)
    with pytest.raises(ValueError, match='needs a trained SPTokenizer'): tokenize_corpus(d, SPTokenizer())
    assert corpus_dls._ids_dtype(65536) == np.uint16 and corpus_dls._ids_dtype(65537) == np.int32
