#!/usr/bin/env python
"""Render nbs/*.ipynb to a static HTML site in docs/ without quarto (uses stored outputs, no execution).

Needs markdown-it-py and pygments (both in the `dev` extra).
Usage: python tools/make_docs.py [--out docs]
"""
import argparse
import base64
import html
import re
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbtext import ROOT, is_hidden, notebooks, read_nb, show_output, split_directives, src, strip_ansi, text  # noqa: E402
import api_docs  # noqa: E402


def _hl(code, lang):
    try: lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound: lexer = None
    if lexer is None: return f'<pre class="highlight"><code>{html.escape(code)}</code></pre>'
    return f'<pre class="highlight"><code>{highlight(code, lexer, HtmlFormatter(nowrap=True))}</code></pre>'


MD = MarkdownIt("commonmark", {"html": True, "highlight": lambda code, lang, attrs: _hl(code, lang)}).enable(["table", "strikethrough"])


def _local_links(h):
    "Links written for the README (`docs/page.html`) point, on the site, to the page beside it; other repository files up."
    h = re.sub(r'href="docs/', 'href="', h)
    def fix(m):
        url = m.group(2)
        if re.match(r"^([a-z]+:|#|\.\./|/)", url) or not url: return m.group(0)
        path = url.split("#")[0]
        page = MD_PAGE_OF.get(path)
        if page: return f'{m.group(1)}="{page}"'
        if path.endswith(".html") or not (ROOT / path).exists(): return m.group(0)
        return f'{m.group(1)}="../{url}"'  # a file of the repository, beside the docs folder
    return re.sub(r'(href|src)="([^"]*)"', fix, h)


def slug(s):
    "A heading's anchor: lower case words joined by '-'."
    return re.sub(r"[^\w]+", "-", html.unescape(re.sub(r"<[^>]+>", "", s)).lower()).strip("-") or "section"


def heading_ids(h):
    "Give every heading an id (unique on the page), as quarto does, with a link to itself."
    seen = {}
    def add(m):
        base = slug(m.group(3))
        seen[base] = seen.get(base, 0) + 1
        id_ = base if seen[base] == 1 else f"{base}-{seen[base]}"
        return f'<h{m.group(1)}{m.group(2)} id="{id_}">{m.group(3)} <a class="anchor" href="#{id_}">#</a></h{m.group(1)}>'
    return re.sub(r'<h([1-6])((?:\s+(?!id=)[^>]*)?)>(.*?)</h\1>', add, h, flags=re.S)


MD_PAGES = [("models.html", "Pretrained models", ROOT / "MODELS.md"),
            ("datasheet.html", "DDTP-7 datasheet", ROOT / "multifit_fastai" / "ddtp7" / "DATASHEET.md")]  # Markdown files rendered as pages
MD_PAGE_OF = {str(f.relative_to(ROOT)): name for name, _, f in MD_PAGES}  # repository path -> its page


def page_name(nb): return "index.html" if nb.stem == "index" else f"{nb.stem}.html"


def nb_title(nb_json, nb):
    for c in nb_json["cells"]:
        if c["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", src(c), flags=re.M)
            if m: return m.group(1).strip()
    return nb.stem


_re_bar = re.compile(r"^\s*(\S.*?:\s*)?\|[█ -]*\|\s*\d+\.\d+%\s*\[|^[█\s]*$")


def clean_stream(s):
    "Text as a terminal leaves it: each line's last carriage-return state; progress bars and their stray blocks dropped."
    lines = [next((p for p in reversed(l.split("\r")) if p.strip()), "") for l in strip_ansi(s).split("\n")]
    kept = [l.rstrip() for l in lines if not _re_bar.search(l)]
    return "\n".join(kept).strip("\n")


def _output_html(o, alt="figure"):
    t = o.get("output_type")
    if t == "stream":
        cls = "stderr" if o.get("name") == "stderr" else "stream"
        body = clean_stream(text(o.get("text")))
        return f'<pre class="output {cls}">{html.escape(body)}</pre>' if body.strip() else ""
    if t == "error":
        return f'<pre class="output error">{html.escape(strip_ansi(chr(10).join(o.get("traceback", []))))}</pre>'
    d = o.get("data", {})
    if "image/png" in d:
        data = "".join(d["image/png"]).replace("\n", "") if isinstance(d["image/png"], list) else d["image/png"].replace("\n", "")
        return f'<div class="output"><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></div>'
    if "image/svg+xml" in d: return f'<div class="output">{text(d["image/svg+xml"])}</div>'
    if "text/html" in d: return f'<div class="output html">{flat_tables(text(d["text/html"]))}</div>'
    if "text/markdown" in d: return f'<div class="output md">{_local_links(MD.render(text(d["text/markdown"])))}</div>'
    if "text/plain" in d: return f'<pre class="output">{html.escape(text(d["text/plain"]))}</pre>'
    return ""


def flat_tables(h):
    "pandas' row of index names folded into the header row above it: one header row per table."
    def fold(m):
        first, second = m.group(1), m.group(2)
        names = [c.strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", second, flags=re.S)]
        k = next((i for i, c in enumerate(names) if not c), len(names))
        if k == 0 or any(names[k:]): return m.group(0)
        heads = re.findall(r"<th[^>]*>.*?</th>", first, flags=re.S)
        if len(heads) < k: return m.group(0)
        col = re.sub(r"<[^>]+>", "", heads[k - 1]).strip()  # the columns' name, above the last index column
        labels = names[:k - 1] + [names[k - 1] + (f" / {col}" if col else "")]
        for old, label in zip(heads[:k], labels): first = first.replace(old, f"<th>{label}</th>", 1)
        return f"<thead>{first}</thead>"
    return re.sub(r"<thead>\s*(<tr[^>]*>.*?</tr>)\s*(<tr[^>]*>.*?</tr>)\s*</thead>", fold, h, flags=re.S)


def _no_nan(h):
    "A missing value in a table reads as a dash, not `NaN`."
    return re.sub(r"<td([^>]*)>\s*(NaN|nan|&lt;NA&gt;)\s*</td>", r"<td\1>–</td>", h)


def _alt(heading, code):
    "An image's alt text: the plot's title or the call that drew it, and the section it is in."
    m = re.search(r"(?:title|set_title)\(\s*f?['\"]([^'\"]+)", code) or re.search(r"^(\w[\w.]*\(.*?\))", code, flags=re.M)
    what = m.group(1)[:80] if m else "plot"
    return f"{what} ({heading})" if heading else what


def default_exp(nb_json):
    "The module a notebook exports to (its `#|default_exp`), or None."
    for c in nb_json["cells"]:
        m = re.search(r"^#\|\s*default_exp\s+(\S+)", src(c), flags=re.M) if c["cell_type"] == "code" else None
        if m: return m.group(1)
    return None


def _code_html(code):
    return f'<div class="input">{highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))}</div>'


def _export_html(mod, code):
    "An `#|export` cell as the API entries of what it defines (`show_doc` style), its other statements as code."
    got = api_docs.export_cell(mod, code)
    if got is None: return _code_html(code)
    entries, rest = got
    return "".join(([_code_html(rest)] if rest.strip() else []) + entries)


def render_body(nb_json):
    parts, heading, mod = [], "", default_exp(nb_json)
    for c in nb_json["cells"]:
        s = src(c)
        if c["cell_type"] == "markdown":
            if re.fullmatch(r"\s*#+\s*Export\s*-?\s*", s): continue  # nbdev's heading over the hidden export cell
            heads = re.findall(r"^#+\s+(.+)$", s, flags=re.M)
            heading = heads[-1].strip() if heads else heading
            parts.append(f'<div class="md">{_local_links(MD.render(s))}</div>')
        elif c["cell_type"] == "code":
            dirs, code = split_directives(s)
            if is_hidden(dirs): continue
            if mod and "export" in dirs:
                h = _export_html(mod, code)
                if h: parts.append(f'<div class="cell">{h}</div>')
                continue
            block = [] if dirs.get("echo:", "").lower() == "false" or not code.strip() else [_code_html(code)]
            if show_output(dirs): block += [h for o in c.get("outputs", []) if (h := _output_html(o, _alt(heading, code)))]
            if block: parts.append('<div class="cell">' + "".join(block) + "</div>")
    return heading_ids("\n".join(parts))


CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:.7rem 1.5rem;font-weight:600;font-size:1.1rem}
header a{color:#fff;text-decoration:none}
header .ver{font-weight:400;opacity:.7;font-size:.85rem;margin-left:.5rem}
.wrap{display:flex;max-width:1400px;margin:0 auto}
nav{flex:0 0 210px;padding:1.5rem 1rem;border-right:1px solid #d0d7de;min-height:calc(100vh - 48px)}
nav ul{list-style:none;margin:0;padding:0}
nav li{margin:.2rem 0}
nav a{display:block;padding:.25rem .5rem;border-radius:6px;color:#1f2328;text-decoration:none;font-size:.95rem}
nav a:hover{background:#f3f4f6}
nav a.active{background:#ddf4ff;color:#0969da;font-weight:600}
main{flex:1;min-width:0;padding:1.5rem 2.5rem 4rem}
h1{font-size:2rem;margin-top:0;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
h1 .anchor,h2 .anchor,h3 .anchor,h4 .anchor{visibility:hidden;text-decoration:none;color:#57606a;font-weight:400}
h1:hover .anchor,h2:hover .anchor,h3:hover .anchor,h4:hover .anchor{visibility:visible}
nav li.section{margin:1rem 0 .3rem;padding:0 .5rem;font-size:.75rem;font-weight:600;text-transform:uppercase;color:#57606a}
dl.api dt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;margin-top:1.5rem}
h2{border-bottom:1px solid #eaeef2;padding-bottom:.2rem;margin-top:2rem}
a{color:#0969da}
blockquote{margin:0 0 1rem;padding:.2rem 1rem;color:#57606a;border-left:4px solid #d0d7de}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:#f6f8fa;padding:.1em .3em;border-radius:4px}
pre{overflow-x:auto;padding:.8rem 1rem;border-radius:6px;margin:.5rem 0;font-size:.86rem;line-height:1.45}
pre code{background:none;padding:0;font-size:1em}
.highlight{background:#f6f8fa;border-radius:6px}
.highlight pre{background:#f6f8fa;margin:0}
pre.highlight{background:#f6f8fa}
.output.md{padding:0 .5rem}
.output.html table{font-size:.9rem}
.cell{margin:1rem 0}
.input .highlight{border-left:3px solid #0969da}
pre.output{background:#fff;border:1px solid #eaeef2;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#24292f}
pre.stderr{background:#fff8f0}
pre.error{background:#ffebe9;color:#82071e}
.output img{max-width:100%;height:auto}
.output.html{overflow-x:auto}
td{white-space:nowrap}
table{border-collapse:collapse;margin:.5rem 0}
table.params{font-size:.88rem;width:100%}
table.params td{white-space:normal}
table.params td:first-child,table.params td:nth-child(3){white-space:nowrap}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem}
footer{color:#57606a;font-size:.8rem;margin-top:3rem;border-top:1px solid #eaeef2;padding-top:.5rem}
@media (max-width:800px){.wrap{display:block}nav{border-right:none;border-bottom:1px solid #d0d7de;min-height:0}main{padding:1rem}}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - multifit_fastai</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><a href="index.html">multifit_fastai</a><span class="ver">{version}</span></header>
<div class="wrap">
<nav><ul>
{nav}
</ul></nav>
<main>
{body}
<footer>Generated from <code>{nb}</code> by <code>tools/make_docs.py</code>.</footer>
</main>
</div>
</body>
</html>
"""


def _version():
    m = re.search(r"^version\s*=\s*(\S+)", (ROOT / "settings.ini").read_text(), flags=re.M)
    return f"v{m.group(1)}" if m else ""


def _nav_item(href, label, active):
    cls = ' class="active"' if active else ""
    return f'<li><a href="{href}"{cls}>{html.escape(label)}</a></li>'


START = ["index", "quick_start", "10_your_language", "models.html", "datasheet.html"]  # first pages, in this order
RESULTS = ["08_results", "11_performance"]


def section(name):
    "The sidebar section a page is listed in."
    stem = name.removesuffix(".html")
    if stem in START or name in START: return "Start"
    if stem in RESULTS: return "Results"
    if stem == "cli" or stem.startswith("api_"): return "Reference"
    return "Guides"


def _nav(pages, current):
    out = []
    for sec in ("Start", "Guides", "Results", "Reference"):
        items = [(n, t) for n, t, _ in pages if section(n) == sec]
        if items: out.append(f'<li class="section">{sec}</li>' + "".join(_nav_item(n, t, n == current) for n, t in items))
    return "\n".join(out)


def _order(name):
    stem = name.removesuffix(".html")
    key = START.index(stem) if stem in START else START.index(name) if name in START else len(START)
    return key, "" if name == "cli.html" else name  # (the command line first among the references)


def build(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nbs = notebooks()
    loaded = {nb: read_nb(nb) for nb in nbs}
    titles = {nb: nb_title(loaded[nb], nb) for nb in nbs}
    pyg = HtmlFormatter(style="default", cssclass="highlight").get_style_defs(".highlight")
    pages = [(page_name(nb), "Overview" if nb.stem == "index" else titles[nb], nb) for nb in nbs]
    pages += [(name, title, md) for name, title, md in MD_PAGES if md.exists()]
    pages += [("cli.html", "Command line", "multifit --help")] + [(f"api_{m}.html", m, m) for m in api_docs.modules()]
    pages = sorted(pages, key=lambda p: _order(p[0]))
    written = []
    for name, title, src_ in pages:
        if src_ in loaded: body, origin = render_body(loaded[src_]), src_.relative_to(ROOT).as_posix()
        elif isinstance(src_, Path):
            body = heading_ids(f'<div class="md">{_local_links(MD.render(src_.read_text(encoding="utf-8")))}</div>')
            origin = src_.relative_to(ROOT).as_posix()
        elif src_ == "multifit --help": body, origin = heading_ids(api_docs.cli_page()), src_
        else: body, origin = heading_ids(api_docs.module_page(src_)), f"multifit_fastai/{src_}.py"
        page = PAGE.format(title=html.escape(title), version=_version(), nav=_nav(pages, name), body=_no_nan(body),
                           nb=origin)
        (out / name).write_text(page, encoding="utf-8")
        written.append(name)
    (out / "style.css").write_text(CSS.strip() + "\n" + pyg + "\n", encoding="utf-8")  # one stylesheet for all pages
    (out / ".nojekyll").write_text("")
    for stale in sorted(out.glob("*.html")):  # pages of deleted/renamed notebooks
        if stale.name not in written and "by <code>tools/make_docs.py</code>" in stale.read_text(encoding="utf-8"):
            stale.unlink()
            print(f"removed stale {stale}")
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "docs"))
    a = ap.parse_args(argv)
    for w in build(a.out): print(f"wrote {Path(a.out) / w}")


if __name__ == "__main__":
    main()
