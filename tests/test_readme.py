"README.md must be what tools/make_readme.py generates from nbs/index.ipynb."
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_readme  # noqa: E402


def test_readme_in_sync():
    expected = make_readme.render()
    actual = (ROOT / "README.md").read_text(encoding="utf-8")
    assert actual == expected, "README.md is out of date: run `python tools/make_readme.py`"


def test_readme_render_is_deterministic():
    assert make_readme.render() == make_readme.render()


def test_readme_has_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:sh|bash|shell)\s*\n(.*?)^```", readme, flags=re.M | re.S)
    assert len(blocks) == 2, f"expected exactly 2 sh/bash set-up commands, found {len(blocks)}"
    cmds = [b.strip() for b in blocks]
    assert all(len(c.splitlines()) == 1 for c in cmds), cmds
    assert cmds[0] == "pip install -c constraints.txt -e . && multifit demo"
    assert cmds[1] == 'pip install -c constraints.txt -e ".[dev]" && python -m pytest tests'
