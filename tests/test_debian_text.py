"Fetching and unpacking real Debian packages: needs apt and network access to Debian, so it never runs in CI."
import os, shutil
import pytest
from multifit_fastai.debian_text import apt_has, fetch_debs, extract_deb, fetch_packages, fortune_docs, manpage_docs

def _apt_ok():
    "apt-get and dpkg-deb exist and apt's package lists know `fortunes-min` (a cheap probe); never in CI."
    return (not os.environ.get('CI') and shutil.which('apt-get') is not None and shutil.which('dpkg-deb') is not None
            and apt_has('fortunes-min'))

needs_apt = pytest.mark.skipif(not _apt_ok(), reason="needs apt with package lists (and is never run in CI)")

@pytest.mark.slow
@needs_apt
def test_fetch_extract(tmp_path):
    debs = fetch_debs(['fortunes-min'], tmp_path/'debs')
    assert len(debs) == 1 and debs[0].name.startswith('fortunes-min_') and debs[0].suffix == '.deb'
    mtime = debs[0].stat().st_mtime_ns
    assert fetch_debs(['fortunes-min'], tmp_path/'debs')[0].stat().st_mtime_ns == mtime  # cached, not fetched again
    assert not list((tmp_path/'debs').glob('.download-*'))  # no temporary directory left behind
    root = extract_deb(debs[0], tmp_path/'root'/'fortunes-min')
    assert (root/'usr/share/games/fortunes/fortunes').is_file()
    counts = {}
    docs = list(fortune_docs(root, counts=counts))
    assert len(docs) > 100 and counts['docs'] == len(docs)
    assert not list((tmp_path/'root').glob('.fortunes-min-*'))
    with pytest.raises(ValueError, match='no-such-package-xyz'): fetch_debs(['no-such-package-xyz'], tmp_path/'debs')

@pytest.mark.slow
@needs_apt
def test_fetch_packages_manpages(tmp_path):
    "The English originals: real man pages rendered, `.so` includes skipped."
    root, = fetch_packages(['manpages'], tmp_path)
    counts = {}
    docs = list(manpage_docs(root, 'en', counts=counts))
    assert counts['docs'] == len(docs) > 100 and counts['includes_skipped'] > 0 and not counts.get('failed')
    assert any(d.startswith('NAME\n') and 'DESCRIPTION' in d for d in docs)

@pytest.mark.slow
@needs_apt
def test_fetch_libreoffice_help(tmp_path):
    "The English LibreOffice help: thousands of pages, each paragraph kept once, no code listings."
    from multifit_fastai.html_text import html_docs, html_root
    root, = fetch_packages(['libreoffice-help-en-us'], tmp_path)
    counts = {}
    docs = list(html_docs(html_root(root, 'libreoffice-help', 'en'), counts=counts, dedup=True))
    assert counts['files'] > 2000 and counts['docs'] == len(docs) > 3000 and counts['repeated'] > 0
    text = '\n'.join(docs)
    assert 'Related Topics' not in text and 'Help content debug info' not in text
