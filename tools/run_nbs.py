#!/usr/bin/env python
"""Execute notebooks in place so their stored outputs (used by README.md and docs/) are fresh.

Usage: python tools/run_nbs.py [nbs/index.ipynb ...]   (default: nbs/index.ipynb)
Runs each notebook from nbs/ with execnb (stops at the first error), then `nbdev_clean`s it.
Like the tests, cells flagged `#|slow` run; `#|cuda` cells run only when CUDA is available
(override with MULTIFIT_TEST_FLAGS); `#|eval: false` cells are skipped.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from nbtext import split_directives, src  # noqa: E402


def _run_flags():
    env = os.environ.get("MULTIFIT_TEST_FLAGS")
    if env is not None: return set(env.split())
    import torch
    return {"slow", "cuda"} if torch.cuda.is_available() else {"slow"}


def _skipper(skip):
    def _no_eval(cell):
        if cell.cell_type != "code": return True
        dirs, _ = split_directives(src(cell))
        return bool(skip & dirs.keys()) or dirs.get("eval:", "").lower() == "false"
    return _no_eval


def main(argv=None):
    from execnb.shell import CaptureShell
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(p).resolve() for p in argv] or [ROOT / "nbs" / "index.ipynb"]
    sys.path.insert(0, str(ROOT))
    skip = {"slow", "cuda"} - _run_flags()
    for p in paths:
        cwd = os.getcwd()
        os.chdir(p.parent)
        try: CaptureShell(p).execute(p, p, exc_stop=True, preproc=_skipper(skip))
        finally: os.chdir(cwd)
        subprocess.run([sys.executable, "-c", "import sys; from nbdev.clean import nbdev_clean; nbdev_clean(fname=sys.argv[1])",
                        str(p)], check=True, cwd=ROOT)
        print(f"executed {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
