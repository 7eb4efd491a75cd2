#!/usr/bin/env python
"""Run notebooks' code cells as plain Python, for a machine that has the library's requirements but not nbdev or
IPython (a GPU machine, where the `#|cuda` cells are the point).

Usage: python tools/run_nb_plain.py nbs/05a_pipeline.ipynb [...]
Each notebook runs from nbs/ in a fresh namespace, cell after cell, stopping at the first error (exit 1). `#|cuda`
cells run only when CUDA is available, `#|eval: false` cells never; `#|slow` cells run, as in the tests.
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


def run(nb:Path, cuda:bool) -> float:
    "Run the code cells of `nb` in order; seconds taken by its `#|cuda` cells."
    ns, cuda_secs = {"__name__": "__main__"}, 0.
    cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells):
        dirs, _ = split_directives(src(cell))
        if dirs.get("eval:", "").strip().lower() == "false" or ("cuda" in dirs and not cuda): continue
        start = time.time()
        exec(compile(src(cell), f"{nb.name}[{i}]", "exec"), ns)
        secs = time.time() - start
        if "cuda" in dirs: cuda_secs += secs
        print(f"{nb.name} cell {i} {' '.join(sorted(dirs))} {secs:.1f}s", flush=True)
    return cuda_secs


def main(argv=None):
    import torch
    cuda = torch.cuda.is_available()
    sys.path.insert(0, str(ROOT))
    for p in [Path(a).resolve() for a in (sys.argv[1:] if argv is None else argv)]:
        os.chdir(p.parent)
        secs = run(p, cuda)
        where = torch.cuda.get_device_name() if cuda else "no CUDA: #|cuda cells skipped"
        print(f"passed {p.name} ({where}; #|cuda cells {secs:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
