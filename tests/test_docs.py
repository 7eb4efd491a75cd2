"""The docs site as a reader gets it: rendered from the notebooks by `tools/make_docs.py`, then read back page by page.
No progress-bar residue, every relative link and image resolves (anchors included), every heading has an id, no
heading is empty, no `nan` in a table."""
import re, sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import make_docs  # noqa: E402


class Page(HTMLParser):
    "What the checks need of one page: its ids, links, headings in order with what follows them, table cells, text."
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.cells, self.text = set(), [], [], []
        self.events, self.in_main, self.head, self.cell = [], False, None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a: self.ids.add(a['id'])
        for k in ('href', 'src'):
            if a.get(k): self.links.append(a[k])
        if tag == 'main': self.in_main = True
        if tag == 'footer': self.in_main = False
        if not self.in_main: return
        if re.fullmatch(r'h[1-6]', tag):
            self.head = [int(tag[1]), a.get('id'), '']
            self.events.append(('h', self.head))
        elif tag in ('img', 'table', 'pre') and self.head is None: self.events.append(('content', tag))
        if tag == 'td': self.cell = ''
    def handle_endtag(self, tag):
        if re.fullmatch(r'h[1-6]', tag): self.head = None
        if tag == 'td' and self.cell is not None:
            self.cells.append(self.cell.strip())
            self.cell = None
    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None: self.cell += data
        if not self.in_main: return
        if self.head is not None: self.head[2] += data
        elif data.strip(): self.events.append(('content', data.strip()[:40]))


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    make_docs.build(out)
    pages = {}
    for f in sorted(out.glob('*.html')):
        p = Page()
        p.feed(f.read_text(encoding='utf-8'))
        pages[f.name] = p
    return out, pages


def test_every_notebook_and_page_is_rendered(site):
    out, pages = site
    assert {make_docs.page_name(nb) for nb in make_docs.notebooks()} <= set(pages)
    assert len(pages) > 30 and (out/'style.css').is_file()


def test_no_progress_bar_residue(site):
    _, pages = site
    bad = {n: m.group(0) for n, p in pages.items()
           if (m := re.search(r'█|\r|\|[-█ ]{10,}\||\d+\.\d\d% \[\d+/\d+', ''.join(p.text)))}
    assert not bad, bad


def test_links_and_images_resolve(site):
    out, pages = site
    bad = []
    for name, p in pages.items():
        for url in p.links:
            if re.match(r'^([a-z]+:|//)', url): continue  # http(s), mailto, data: URIs
            path, _, anchor = url.partition('#')
            # (a file of the repository outside the site is linked as `../path`: the site is `docs/` in the repository)
            target = ROOT/path[3:] if path.startswith('../') else out/path if path else out/name
            if not target.exists(): bad.append((name, url, 'no such file'))
            elif anchor and target.suffix == '.html':
                if anchor not in pages[target.name].ids: bad.append((name, url, 'no such anchor'))
    assert not bad, bad[:20]


def test_headings_have_ids_and_content(site):
    _, pages = site
    no_id, empty = [], []
    for name, p in pages.items():
        ev = p.events
        for i, (kind, h) in enumerate(ev):
            if kind != 'h': continue
            if not h[1]: no_id.append((name, h[2]))
            rest = ev[i+1:]
            nxt = next((j for j, (k, o) in enumerate(rest) if k == 'h' and o[0] <= h[0]), len(rest))
            if not any(k == 'content' for k, _ in rest[:nxt]) and not any(k == 'h' for k, _ in rest[:nxt]):
                empty.append((name, h[2].replace('#', '').strip()))
    assert not no_id, no_id[:20]
    assert not empty, empty


def test_no_nan_in_tables(site):
    _, pages = site
    bad = [(n, c) for n, p in pages.items() for c in p.cells if c.lower() in ('nan', '<na>')]
    assert not bad, bad[:20]


def test_api_and_command_line_reference(site):
    "One API page per module with an entry per public name; the command-line page has every command's `--help`."
    from multifit_fastai.cli import COMMANDS
    out, pages = site
    assert {'multifit_learner', 'multifit_lm_learner', 'keep_weight_dropout_working'} <= pages['api_learner.html'].ids
    assert 'main' in pages['api_cli.html'].ids and 'usage: multifit' not in (out/'api_cli.html').read_text()
    cli = (out/'cli.html').read_text()
    missing = [name for name in COMMANDS if f'usage: multifit {name} ' not in cli]
    assert not missing, missing
    assert 'parameter</th>' in (out/'api_learner.html').read_text()


def described(page, param):
    "The descriptions of `param` in a page's parameter tables (parameter, type, default, description)."
    return [page.cells[i+3] for i, c in enumerate(page.cells[:-3]) if c == param]


def test_parameters_described(site):
    "What fastcore's `docments` leaves out is described too: fastai's parameters passed on, `**kwargs`."
    _, pages = site
    assert all("fastai's text_classifier_learner" in d for d in described(pages['api_learner.html'], 'seq_len'))
    assert described(pages['api_bundle.html'], 'meta')[0].startswith('Anything else to record in bundle.json')
    models = pages['api_models.html']  # (fastcore gives a last `**kwargs`' comment to the return value)
    assert described(models, 'overrides')[0].startswith('Any config key')
    assert not any(d.startswith('Any config key') for d in described(models, 'returns'))


def test_api_pages_are_the_same_in_every_process():
    "Defaults and constants print without set order or memory addresses, so regenerating the site changes nothing."
    import api_docs
    assert api_docs.stable_repr({'nav': {'b', 'a'}, 'f': [print, re.sub]}) == "{'nav': {'a', 'b'}, 'f': [print, sub]}"
    assert api_docs.stable_repr((1,)) == '(1,)' and api_docs.stable_repr(set()) == 'set()'
