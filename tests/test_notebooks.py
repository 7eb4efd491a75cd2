"""Execute every notebook in nbs/ (names not starting with '_' or '.') with nbdev's test machinery.

Cells flagged `#|slow` are run by default; cells flagged `#|cuda` only when CUDA is available.
Override the set of flags to run with MULTIFIT_TEST_FLAGS (space separated), e.g.
`MULTIFIT_TEST_FLAGS="" python -m pytest tests` skips all flagged cells.
"""
import contextlib
import io
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
ALL_FLAGS = {"slow", "cuda"}  # keep in sync with tst_flags in settings.ini


def notebooks():
    return sorted(p for p in NBS.glob("*.ipynb") if not p.name.startswith(("_", ".")))


def run_flags():
    "Flags whose cells are executed."
    env = os.environ.get("MULTIFIT_TEST_FLAGS")
    if env is not None: return set(env.split())
    flags = {"slow"}
    try:
        import torch
        if torch.cuda.is_available(): flags.add("cuda")
    except Exception:
        pass
    return flags


def test_notebooks_found():
    assert (NBS / "index.ipynb").exists(), "nbs/index.ipynb is missing"
    assert notebooks(), "no notebooks found in nbs/"


@pytest.mark.notebook
@pytest.mark.parametrize("nb", notebooks(), ids=lambda p: p.name)
def test_notebook(nb, monkeypatch):
    from nbdev.test import test_nb
    monkeypatch.setenv("IN_TEST", "1")  # same as nbdev_test; restored after the test
    monkeypatch.syspath_prepend(str(ROOT))
    force = run_flags()
    skip = sorted(ALL_FLAGS - force)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        ok, secs = test_nb(nb, skip_flags=skip, force_flags=sorted(force), basepath=None)
    if not ok:
        pytest.fail(f"notebook {nb.name} failed (skipped flags: {skip}):\n{err.getvalue()}", pytrace=False)
