"""Replace text in one cell of a notebook, keeping every cell's id and outputs (the notebooks are the source of truth).

Usage: python tools/nbsub.py nbs/NN_name.ipynb OLD_FILE NEW_FILE
OLD_FILE's text must occur exactly once in the notebook's cell sources; it is replaced by NEW_FILE's text.
Insert a new cell after the one holding OLD_FILE's text with `--after` (NEW_FILE then is the new cell's source;
its first line `# %% [md]` makes it a Markdown cell).
"""
import json, sys, uuid
from pathlib import Path

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']
def _lines(s): return s.splitlines(keepends=True)

def sub(nb, old, new, after=False):
    "Replace the text `old` (once in `nb`) by `new`, or insert `new` as a cell after `old`'s cell with `after`."
    p = Path(nb); d = json.loads(p.read_text(encoding='utf-8'))
    hits = [(i, c) for i, c in enumerate(d['cells']) if old in _src(c)]
    n = sum(_src(c).count(old) for _, c in hits)
    if n != 1: sys.exit(f"{nb}: the text occurs {n} times, not once")
    i, c = hits[0]
    if after:
        md = new.startswith('# %% [md]\n')
        body = new.split('\n', 1)[1] if md else new
        cell = dict(cell_type='markdown' if md else 'code', id=uuid.uuid4().hex[:8], metadata={}, source=_lines(body.rstrip('\n')))
        if not md: cell.update(execution_count=None, outputs=[])
        d['cells'].insert(i + 1, cell)
    else:
        s = _src(c).replace(old, new)
        c['source'] = _lines(s) if isinstance(c['source'], list) else s  # as the notebook stores it
    p.write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')

if __name__ == '__main__':
    nb, old, new = [a for a in sys.argv[1:] if a != '--after']
    sub(nb, Path(old).read_text(encoding='utf-8'), Path(new).read_text(encoding='utf-8'), after='--after' in sys.argv)
