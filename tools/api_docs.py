"""The API reference (one page per module: signatures and parameter tables, as nbdev's `show_doc` shows them) and the
command-line reference (each command's `--help`), as HTML bodies for tools/make_docs.py."""
import ast
import html
import importlib
import inspect
import re

from nbtext import ROOT

PKG = "multifit_fastai"


def modules():
    "The package's modules that export names, in the order of their notebooks."
    out = []
    for p in sorted((ROOT / PKG).glob("*.py")):
        if p.stem.startswith("_") or p.stem == "all": continue
        m = re.search(r"File to edit: \.\./nbs/(\S+)\.ipynb", p.read_text(encoding="utf-8"))
        out.append((m.group(1) if m else p.stem, p.stem))
    return [stem for _, stem in sorted(out)]


def _code(s): return f"<code>{html.escape(str(s))}</code>"


def _anno(a):
    if a is inspect.Parameter.empty or a is type(None): return ""
    return a if isinstance(a, str) else getattr(a, "__name__", str(a).replace("typing.", ""))


def stable_repr(o):
    "`repr(o)` that is the same in every process, at any depth: sets sorted, functions and classes by name (no address)."
    if inspect.isfunction(o) or inspect.isclass(o) or inspect.isbuiltin(o): return o.__name__
    if isinstance(o, (set, frozenset)) and o: return "{" + ", ".join(sorted(map(stable_repr, o))) + "}"
    if isinstance(o, dict): return "{" + ", ".join(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in o.items()) + "}"
    if isinstance(o, list): return "[" + ", ".join(map(stable_repr, o)) + "]"
    if isinstance(o, tuple): return "(" + ", ".join(map(stable_repr, o)) + ("," if len(o) == 1 else "") + ")"
    return repr(o)


def _default(d):
    if d is inspect.Parameter.empty: return ""
    r = stable_repr(d)
    return r if len(r) <= 40 else r[:37] + "..."


def _signature(name, f):
    try: sig = inspect.signature(f)
    except (TypeError, ValueError): return name
    ps = [p for p in sig.parameters.values() if p.name != "self"]
    args = ", ".join(p.name + (f"={_default(p.default)}" if p.default is not inspect.Parameter.empty else "")
                     for p in ps if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)) + \
        "".join(f", {'*' if p.kind == p.VAR_POSITIONAL else '**'}{p.name}" for p in ps
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
    return f"{name}({args.lstrip(', ')})"


def _own_params(g):
    "The parameters `g` declares itself (not those `@delegates` adds to its signature)."
    code = g.__code__
    return code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]


def _passed_on(f, name):
    "For a parameter `f` takes from another function with `@delegates` and nobody describes: where it goes, linked."
    g = getattr(f, "__delwrap__", None)
    while g is not None and hasattr(g, "__code__") and name not in _own_params(g): g = getattr(g, "__delwrap__", None)
    if g is None or not hasattr(g, "__code__"): return ""
    mod = g.__module__
    if not mod.startswith("fastai."): return f"Passed on to `{g.__qualname__}`"
    url = f"https://docs.fast.ai/{mod.removeprefix('fastai.')}.html#{g.__qualname__.lower()}"
    return f"Passed on to fastai's [`{g.__qualname__}`]({url})"


def _star_docment(f, name):
    "The comment after `*name` or `**name` in `f`'s signature (fastcore's `docments` leaves those out)."
    try: code = inspect.getsource(f)
    except (TypeError, OSError): return ""
    m = re.search(rf"\*{{1,2}}{name}\b\s*,?\s*#\s*(.*)", code)
    return m.group(1).strip() if m else ""


def _params_table(f):
    "Parameter, type, default and description of each argument (fastcore's docments), then what it returns."
    from fastcore.docments import docments
    try: d = docments(f, full=True, returns=True)
    except Exception: return ""
    rows = [(k, v) for k, v in d.items() if k not in ("self", "return")]
    if not rows: return ""
    for k, v in rows: v['docment'] = v['docment'] or _star_docment(f, k) or _passed_on(f, k)
    body = "".join(f"<tr><td>{_code(k)}</td><td>{html.escape(str(_anno(v['anno'])))}</td>"
                   f"<td>{html.escape(_default(v['default']))}</td><td>{_inline(v['docment'])}</td></tr>"
                   for k, v in rows)
    ret = d.get("return", {})
    if ret.get("docment") == rows[-1][1]['docment']: ret = {}  # docments gives a last `**kwargs`' comment to the return
    if ret.get("docment"):
        body += f"<tr><td><b>returns</b></td><td>{html.escape(str(_anno(ret['anno'])))}</td><td></td>" \
                f"<td>{_inline(ret['docment'])}</td></tr>"
    return ("<table class=\"params\"><thead><tr><th>parameter</th><th>type</th><th>default</th><th>description</th>"
            f"</tr></thead><tbody>{body}</tbody></table>")


def _inline(s):
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").renderInline(s)


def _doc(o):
    from markdown_it import MarkdownIt
    d = inspect.getdoc(o) or ""
    return MarkdownIt("commonmark").render(d) if d else ""


def _patched(mod_name):
    "Functions the module adds to a class with `@patch`: (class name, function name)."
    tree = ast.parse((ROOT / PKG / f"{mod_name}.py").read_text(encoding="utf-8"))
    out = []
    for n in tree.body:
        if isinstance(n, ast.FunctionDef) and any(getattr(d, "id", None) == "patch" for d in n.decorator_list):
            a = n.args.args[0].annotation
            if isinstance(a, ast.Name): out.append((a.id, n.name))
    return out


def _entry(title, obj, sig_obj=None, kind=""):
    sig = _signature(title, sig_obj or obj)
    return (f'<h4>{html.escape(title)}</h4><dl class="api"><dt>{kind}{html.escape(sig)}</dt><dd>{_doc(obj)}'
            f"{_params_table(sig_obj or obj)}</dd></dl>")


def _class_entry(name, cls):
    init = cls.__init__ if "__init__" in vars(cls) else None
    parts = [_entry(name, cls, init, "class ")] if init else [
        f'<h4>{html.escape(name)}</h4><dl class="api"><dt>class {html.escape(name)}</dt><dd>{_doc(cls)}</dd></dl>']
    for k, v in vars(cls).items():
        if k.startswith("_") or not inspect.isfunction(v) or not v.__doc__: continue
        parts.append(f'<dl class="api method"><dt>{html.escape(name)}.{html.escape(_signature(k, v))}</dt>'
                     f"<dd>{_doc(v)}{_params_table(v)}</dd></dl>")
    return "".join(parts)


def module_page(mod_name):
    "The API reference of one module: each name of `__all__`, then the methods it patches onto other classes."
    mod = importlib.import_module(f"{PKG}.{mod_name}")
    head = (f"<h1>{PKG}.{mod_name}</h1><blockquote><p>{_inline((mod.__doc__ or '').strip())}</p></blockquote>"
            f"<p><code>from {PKG}.{mod_name} import *</code> (or <code>from {PKG}.all import *</code>)</p>")
    parts = []
    commands = set(map(id, getattr(mod, "COMMANDS", {}).values()))  # (the commands: on the command-line page)
    if commands: head += '<p>Its commands are on the <a href="cli.html">command-line page</a>.</p>'
    for name in getattr(mod, "__all__", []):
        o = getattr(mod, name)
        if id(o) in commands: continue
        if inspect.isclass(o): parts.append(_class_entry(name, o))
        elif callable(o): parts.append(_entry(name, o))
        else:
            r = stable_repr(o)
            parts.append(f'<h4>{html.escape(name)}</h4><dl class="api"><dt>{html.escape(name)}</dt><dd>'
                         f'<pre class="highlight"><code>{html.escape(r if len(r) < 600 else r[:600] + " ...")}</code>'
                         "</pre></dd></dl>")
    for cls_name, fn in _patched(mod_name):
        cls = getattr(mod, cls_name, None)
        f = getattr(cls, fn, None) if cls is not None else None
        if f is not None: parts.append(_entry(f"{cls_name}.{fn}", f))
    return head + "".join(parts)


def cli_page():
    "Every `multifit` command with its `--help`, as the console script prints it."
    from fastcore.script import anno_parser
    from multifit_fastai.cli import COMMANDS
    parts = ["<h1>Command line</h1><p>The <code>multifit</code> console script: <code>multifit COMMAND --help</code> "
             "prints what is below. Every command reads and writes its data in <code>--data_dir</code> "
             "(default: <code>$MULTIFIT_DATA</code>, else <code>~/.multifit_fastai</code>); <code>--progress</code> "
             "shows progress bars when the output is not a terminal.</p>"]
    for name, f in sorted(COMMANDS.items()):
        usage = anno_parser(f, prog=f"multifit {name}").format_help()
        usage = re.sub(r"\n\s*--pdb .*?\n(?=\s*--xtra)", "\n", usage, flags=re.S)  # fastcore's debugging options
        usage = re.sub(r"\n\s*--pdb\b.*|\n\s*--xtra\b.*", "", usage)
        parts.append(f"<h2>multifit {html.escape(name)}</h2><p>{_inline((f.__doc__ or '').splitlines()[0])}</p>"
                     f'<pre class="output">{html.escape(usage)}</pre>')
    return "".join(parts)


def export_cell(mod_name, code):
    """What an `#|export` cell shows on its chapter's page: the API entry of each function and class it defines (as
    `show_doc` would), its other statements as code; nothing for a cell of imports."""
    try: tree = ast.parse(code)
    except SyntaxError: return None
    mod = importlib.import_module(f"{PKG}.{mod_name}")
    public = set(getattr(mod, "__all__", []))
    parts, rest = [], []
    for n in tree.body:
        if isinstance(n, (ast.Import, ast.ImportFrom)): continue
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            patched = [d for d in getattr(n, "decorator_list", []) if getattr(d, "id", None) == "patch"]
            if patched and isinstance(n.args.args[0].annotation, ast.Name):
                cls = getattr(mod, n.args.args[0].annotation.id, None)
                if cls is not None and hasattr(cls, n.name):
                    parts.append(_entry(f"{n.args.args[0].annotation.id}.{n.name}", getattr(cls, n.name)))
                continue
            if n.name in public:
                o = getattr(mod, n.name)
                parts.append(_class_entry(n.name, o) if inspect.isclass(o) else _entry(n.name, o))
            continue  # (private helpers: their source is one click away, in the module)
        rest.append(ast.get_source_segment(code, n, padded=True))
    return parts, "\n".join(r for r in rest if r)
