"Convert a notebook to the py-percent form `tools/py2nb.py` reads (outputs dropped). Usage: python tools/nb2py.py nbs/NN_name.ipynb dst.py"
import sys, nbformat
def convert(src, dst):
    out = []
    for c in nbformat.read(src, as_version=4).cells:
        if c.cell_type == 'markdown': out += ['# %% [md]'] + [('# ' + l) if l else '#' for l in c.source.split('\n')]
        else: out += ['# %%'] + c.source.split('\n')
        out.append('')
    open(dst, 'w').write('\n'.join(out))
if __name__ == '__main__': convert(*sys.argv[1:3])
