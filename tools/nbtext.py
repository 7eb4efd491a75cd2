"Small helpers shared by tools/make_readme.py and tools/make_docs.py (no quarto needed)."
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
_re_directive = re.compile(r"^\s*#\s*\|\s*([\w-]+:?)(.*)$")
_re_ansi = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def read_nb(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def src(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def split_directives(code):
    "Return (directives dict, code without the leading `#|` directive lines)."
    lines, dirs = code.splitlines(), {}
    i = 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if m: dirs[m.group(1).strip()] = m.group(2).strip()
        elif lines[i].strip(): break
        i += 1
    return dirs, "\n".join(lines[i:]).strip("\n")


def is_hidden(dirs):
    return "hide" in dirs or "include:" in dirs and dirs["include:"].lower() == "false"


def show_output(dirs):
    return not ("hide_output" in dirs or "output:" in dirs and dirs["output:"].lower() == "false")


def text(x):
    return "".join(x) if isinstance(x, list) else (x or "")


def strip_ansi(s):
    return _re_ansi.sub("", s)


def notebooks():
    return sorted(p for p in NBS.glob("*.ipynb") if not p.name.startswith(("_", ".")))
