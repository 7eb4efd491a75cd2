"Convert a py-percent file (cells start with `# %%`, markdown cells `# %% [md]` with `# `-prefixed lines) to an .ipynb without outputs. Usage: python tools/py2nb.py src.py nbs/NN_name.ipynb"
import sys, nbformat, re
def convert(src, dst):
    cells, cur, kind = [], [], None
    def flush():
        if kind is None: return
        text = '\n'.join(cur).strip('\n')
        if kind=='md':
            text = '\n'.join(l[2:] if l.startswith('# ') else l[1:] if l.startswith('#') else l for l in text.split('\n'))
            cells.append(nbformat.v4.new_markdown_cell(text))
        else: cells.append(nbformat.v4.new_code_cell(text))
    for line in open(src).read().split('\n'):
        if line.startswith('# %%'):
            flush(); cur=[]; kind = 'md' if '[md]' in line else 'code'
        else: cur.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "python3", "language": "python", "name": "python3"}}
    for i,c in enumerate(nb.cells): c['id'] = f'c{i:03d}'
    nbformat.write(nb, dst)
if __name__=='__main__': convert(sys.argv[1], sys.argv[2])
