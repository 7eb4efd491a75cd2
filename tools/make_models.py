#!/usr/bin/env python
"""Write MODELS.md, the model card of the bundles shipped in multifit_fastai/bundles, with the datasheet of their corpora.

Usage: python tools/make_models.py [--corpora DIR ...]
--corpora: the corpus directories the bundles were pretrained on (`multifit data build-corpus --lang L --dest DIR`);
their counts per source are saved to docs/results/corpora.csv, which later runs read.
"""
import argparse, sys
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from multifit_fastai.corpus import corpus_datasheet  # noqa: E402
from multifit_fastai.training import model_card  # noqa: E402
from multifit_fastai.bundle import SHIPPED_BUNDLES  # noqa: E402

SHEET = ROOT/'docs'/'results'/'corpora.csv'

INTRO = """# Pretrained models

A MultiFiT bundle is a pretrained language model with its tokenizer: a QRNN LM (`AWD_QRNN`) and the SentencePiece
model it reads text with. Bundles shipped with the package load by language code, offline:

```python
from multifit_fastai.all import *
tok = bundle_tokenizer('de')                     # tokenize your data with the bundle's tokenizer
dls = DataBlock(blocks=(subword_block(tok, 'text'), CategoryBlock), get_x=ColReader('text'),
                get_y=ColReader('label'), splitter=ColSplitter('is_valid')).dataloaders(df, bs=32)
learn = multifit_learner(dls, pretrained='de')   # the classifier starts from the bundle's encoder
bundle_info('de')                                # corpus, epochs, perplexity, training time, hardware
```

On the command line: `--bundle de` (`multifit finetune-lm de ...`, `multifit train-classifier --bundle de ...`),
`multifit bundle list`, `multifit bundle info de`. Your own bundles install under a name with
`multifit bundle pack BUNDLE --name NAME` (in `$MULTIFIT_DATA/bundles`, found before the shipped ones). Shipped
weights are stored in fp16 (the language model only; the encoder is its first module) and restored to fp32 on load.
"""

MAKING = """## How they are made

Each bundle is pretrained on a corpus of Debian's translated documentation and DDTP-7's training families (never
its validation or test families: every Debian source is filtered against them), one per language:

```
multifit data build-corpus --lang L --dest tmp/ship/corpora/L     # apt fetches the Debian packages
BS=256 bash tools/ship_bundles.sh en ja zh; BS=256 bash tools/ship_bundles.sh de fr es   # on the GPU
python tools/make_models.py --corpora tmp/ship/corpora/*          # this page
```

`tools/ship_bundles.sh` runs `multifit pretrain` for each language (the exact command is in each row below) and
`multifit bundle pack --measure`, which records the perplexity on DDTP-7's validation descriptions (text no model
trains on) beside the perplexity on the corpus' own held-out documents.

The shipped six were pretrained on one NVIDIA H200 in two runs of three languages side by side (en ja zh: 5.5
minutes, de fr es: 3.3 minutes, wall time of the whole runs, tokenizer training and packing included; the "minutes"
column is the training alone). The batch is 256 sequences of 70 tokens rather than the recipe's 32: the small
model's step is bound by kernel launches, not arithmetic (the GPU was 13-68% busy), so a larger batch costs little
more per step, and 10 epochs of all six corpora at 64 would not have fitted the session's 15 GPU-minutes. The peak
learning rate is the recipe's (2e-2). Held-out perplexity is on each corpus' own validation documents;
DDTP-7 perplexity on DDTP-7's validation descriptions, which no model trains on (Chinese and Japanese count
characters differently from the other languages, so perplexities compare within a language only).
"""

def datasheet_md(sheet:pd.DataFrame) -> str:
    "Tokens per source (rows) and language (columns), with the totals; token counts as `CorpusWriter` counts them."
    t = sheet.pivot_table(index='source', columns='lang', values='tokens', aggfunc='sum', sort=False)
    order = [s for s in sheet.source.drop_duplicates() if s != 'total'] + ['total']
    t = t.reindex(order)
    t = t.apply(lambda c: c.map(lambda v: '' if pd.isna(v) else f'{int(v):,}'))
    return t.to_markdown()

def runs_out(sheet:pd.DataFrame, goal:int=10_000_000) -> str:
    "Where Debian stops short of `goal` tokens per language."
    tot = sheet[sheet.source == 'total'].set_index('lang').tokens
    short = ', '.join(f"{l} {n / 1e6:.1f}M" for l,n in tot.items() if n < goal)
    if not short: return ""
    return (f"Debian runs out below {goal / 1e6:.0f}M tokens per language: {short} with the sources built in (man pages, "
            "fortunes, the Debian reference, developer's reference and handbook, the LibreOffice and GIMP help, the installation "
            "guide, the Debian FAQ, the New Maintainers' Guide, GNOME's help, and DDTP-7's training families; KDE's "
            "translated handbooks are not read yet, and Debian's release notes are not packaged). Far beyond that takes "
            "Wikipedia, the paper's corpus: "
            "`multifit data prepare-wikipedia DUMP --lang L` on a local dump.\n")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--corpora', nargs='*', help='corpus directories to record in docs/results/corpora.csv')
    ap.add_argument('--out', default=str(ROOT/'MODELS.md'))
    a = ap.parse_args(argv)
    if a.corpora:
        SHEET.parent.mkdir(parents=True, exist_ok=True)
        corpus_datasheet(a.corpora).to_csv(SHEET, index=False)
    card = model_card()
    if not list(SHIPPED_BUNDLES.glob('*/bundle.json')):
        card += ("\n`tools/ship_bundles.sh` makes them in one run on a GPU machine (about 450k tokens/s for the paper-size "
                 "model on an H100/H200). On 2 CPU cores without native bf16 the small model trains at about 3k tokens/s, "
                 "about 20 minutes per epoch of one language's corpus, so they wait for a GPU session.\n")
    parts = [INTRO, "## The shipped bundles\n", card, MAKING]
    if SHEET.exists():
        sheet = pd.read_csv(SHEET)
        parts += ["## Corpora\n", "Tokens per source (whitespace words; characters for Chinese and Japanese), from each corpus' "
                  "`corpus.json` (`docs/results/corpora.csv`):\n", datasheet_md(sheet) + "\n", runs_out(sheet)]
    text = '\n'.join(parts)
    tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(text, encoding='utf-8'); tmp.replace(a.out)
    print(f"wrote {a.out}: {len(list(SHIPPED_BUNDLES.glob('*/bundle.json')))} bundle(s)")

if __name__ == '__main__': main()
