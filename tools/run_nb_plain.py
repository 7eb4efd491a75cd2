#!/usr/bin/env python
"""Run notebooks' code cells as plain Python, for a machine that has the library's requirements but not nbdev or
IPython (a GPU machine, where the `#|cuda` cells are the point).

Usage: python tools/run_nb_plain.py [--cuda_only] nbs/05a_training.ipynb [...]
Each notebook runs from nbs/ in a fresh namespace, cell after cell, stopping at the first error (exit 1). `#|cuda`
cells run only when CUDA is available, `#|eval: false` cells never; `#|slow` cells run, as in the tests. With
`--cuda_only`, only the `#|cuda` cells run, after the cells that define what they use (`#|export` cells and cells of imports only).
Prints each cell's number, its flags and seconds.
"""
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from nbtext import split_directives, src  # noqa: E402


def _imports_only(code:str) -> bool:
    return all(l.startswith(("import ", "from ")) for l in code.splitlines() if l.strip())


def run(nb:Path, cuda:bool, cuda_only:bool=False) -> float:
    "Run the code cells of `nb` in order (with `cuda_only`: the definitions and the `#|cuda` cells); seconds of the latter."
    ns, cuda_secs = {"__name__": "__main__"}, 0.
    cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells):
        dirs, code = split_directives(src(cell))
        if dirs.get("eval:", "").strip().lower() == "false" or ("cuda" in dirs and not cuda): continue
        if cuda_only and not ("export" in dirs or "cuda" in dirs or _imports_only(code)): continue
        if "nbdev" in code: continue  # (the closing `nbdev_export()`: not part of a run)
        start = time.time()
        exec(compile(src(cell), f"{nb.name}[{i}]", "exec"), ns)
        secs = time.time() - start
        if "cuda" in dirs: cuda_secs += secs
        print(f"{nb.name} cell {i} {' '.join(sorted(dirs))} {secs:.1f}s", flush=True)
    return cuda_secs


def main(argv=None):
    import torch
    argv = sys.argv[1:] if argv is None else argv
    cuda, cuda_only = torch.cuda.is_available(), "--cuda_only" in argv
    cuda = cuda or os.environ.get("MULTIFIT_TEST_FLAGS") == "cuda"  # (to try the cells on a CPU)
    sys.path.insert(0, str(ROOT))
    for p in [Path(a).resolve() for a in argv if a != "--cuda_only"]:
        os.chdir(p.parent)
        secs = run(p, cuda, cuda_only)
        where = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU" if cuda else "no CUDA: #|cuda cells skipped"
        print(f"passed {p.name} ({where}; #|cuda cells {secs:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
