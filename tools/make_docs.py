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


def _hl(code, lang):
    try: lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound: lexer = None
    if lexer is None: return f'<pre class="highlight"><code>{html.escape(code)}</code></pre>'
    return f'<pre class="highlight"><code>{highlight(code, lexer, HtmlFormatter(nowrap=True))}</code></pre>'


MD = MarkdownIt("commonmark", {"html": True, "highlight": lambda code, lang, attrs: _hl(code, lang)}).enable(["table", "strikethrough"])


def _local_links(h):
    "Links written for the README (`docs/page.html`) point, on the site, to the page beside it."
    return re.sub(r'href="docs/', 'href="', h)


MD_PAGES = [("models.html", "Pretrained models", ROOT / "MODELS.md")]  # Markdown files rendered as pages


def page_name(nb): return "index.html" if nb.stem == "index" else f"{nb.stem}.html"


def nb_title(nb_json, nb):
    for c in nb_json["cells"]:
        if c["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", src(c), flags=re.M)
            if m: return m.group(1).strip()
    return nb.stem


def _output_html(o):
    t = o.get("output_type")
    if t == "stream":
        cls = "stderr" if o.get("name") == "stderr" else "stream"
        return f'<pre class="output {cls}">{html.escape(strip_ansi(text(o.get("text"))))}</pre>'
    if t == "error":
        return f'<pre class="output error">{html.escape(strip_ansi(chr(10).join(o.get("traceback", []))))}</pre>'
    d = o.get("data", {})
    if "image/png" in d:
        data = "".join(d["image/png"]).replace("\n", "") if isinstance(d["image/png"], list) else d["image/png"].replace("\n", "")
        return f'<div class="output"><img alt="output" src="data:image/png;base64,{data}"></div>'
    if "image/svg+xml" in d: return f'<div class="output">{text(d["image/svg+xml"])}</div>'
    if "text/html" in d: return f'<div class="output html">{text(d["text/html"])}</div>'
    if "text/markdown" in d: return f'<div class="output md">{MD.render(text(d["text/markdown"]))}</div>'
    if "text/plain" in d: return f'<pre class="output">{html.escape(text(d["text/plain"]))}</pre>'
    return ""


def render_body(nb_json):
    parts = []
    for c in nb_json["cells"]:
        s = src(c)
        if c["cell_type"] == "markdown":
            parts.append(f'<div class="md">{_local_links(MD.render(s))}</div>')
        elif c["cell_type"] == "code":
            dirs, code = split_directives(s)
            if is_hidden(dirs): continue
            block = [] if ("echo:" in dirs and dirs["echo:"].lower() == "false") or not code.strip() else [
                f'<div class="input">{highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))}</div>']
            if show_output(dirs): block += [h for h in map(_output_html, c.get("outputs", [])) if h]
            if block: parts.append('<div class="cell">' + "".join(block) + "</div>")
    return "\n".join(parts)


CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:.7rem 1.5rem;font-weight:600;font-size:1.1rem}
header a{color:#fff;text-decoration:none}
header .ver{font-weight:400;opacity:.7;font-size:.85rem;margin-left:.5rem}
.wrap{display:flex;max-width:1200px;margin:0 auto}
nav{flex:0 0 210px;padding:1.5rem 1rem;border-right:1px solid #d0d7de;min-height:calc(100vh - 48px)}
nav ul{list-style:none;margin:0;padding:0}
nav li{margin:.2rem 0}
nav a{display:block;padding:.25rem .5rem;border-radius:6px;color:#1f2328;text-decoration:none;font-size:.95rem}
nav a:hover{background:#f3f4f6}
nav a.active{background:#ddf4ff;color:#0969da;font-weight:600}
main{flex:1;min-width:0;padding:1.5rem 2.5rem 4rem}
h1{font-size:2rem;margin-top:0;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
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
.output img{max-width:min(100%,720px);height:auto}
table{border-collapse:collapse;margin:.5rem 0}
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


def build(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nbs = notebooks()
    nbs = sorted(nbs, key=lambda p: (p.stem != "index", p.name))  # index first
    loaded = {nb: read_nb(nb) for nb in nbs}
    titles = {nb: nb_title(loaded[nb], nb) for nb in nbs}
    pyg = HtmlFormatter(style="default", cssclass="highlight").get_style_defs(".highlight")
    written = []
    pages = [(page_name(nb), "Overview" if nb.stem == "index" else titles[nb], nb) for nb in nbs]
    pages += [(name, title, md) for name, title, md in MD_PAGES if md.exists()]
    for name, title, src_ in pages:
        nav = "\n".join(_nav_item(n, t, n == name) for n, t, _ in pages)
        body = render_body(loaded[src_]) if src_ in loaded else f'<div class="md">{_local_links(MD.render(src_.read_text(encoding="utf-8")))}</div>'
        page = PAGE.format(title=html.escape(title), version=_version(), nav=nav, body=body, nb=src_.relative_to(ROOT).as_posix())
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
