#!/usr/bin/env python
"""Put the rows of experiment runs together in docs/results/<experiment>-<lang>/ (rows.csv, results.md, results.png).

Usage: python tools/collect_results.py --where "2 CPU cores" [--scale small] [--out docs/results] ROWS...
ROWS are CSV files of rows (`model`, `seed`, `test`, ...): either `multifit experiment`'s
`<run_dir>/<exp>-<lang>/rows.csv`, or files named `<exp>-<lang>-<seed>[-<setting>].csv` (runs split over seeds, as on
a many-core or GPU machine). Rows already collected are kept, except those of a (seed, setting: noise, tokens or
change, model, machine) given again, which are replaced: one row per model, seed, setting and machine (a run with an
option, e.g. bootstrapping's `soft`, repeats its teacher). `--where` is stored per row (column `ran_on`) and named in
the table's note; where a setting's seed ran on several machines, the table has a row per setting and machine
(`experiment_report`).
With `--lms RES/lms`, the epoch-by-epoch history of every shipped bundle fine-tuned there (`lm-LANG-shipped-Nep`) is
added to OUT/lm_finetuning.csv (language, the schedule's epochs, then `history.csv`'s columns), and every LM pretrained
on a sample of a corpus there (`lm-LANG-Ntok-...`, for `tokens`) to OUT/lm_tokens.csv (its corpus tokens, vocabulary,
perplexity on the corpus' validation text, then after fine-tuning on DDTP-7's), and every word-token LM of
`tokenization` (`lm-LANG-word-...`) to OUT/lm_words.csv (its `lm.json`: corpus tokens, vocabulary, perplexity after
fine-tuning, share of DDTP-7's tokens outside its vocabulary).
"""
import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from multifit_fastai.bundle import bundle_info  # noqa: E402
from multifit_fastai.experiments import EXPERIMENTS, experiment_axes, experiment_report  # noqa: E402


def key(path: Path):
    "The (experiment, language) of a rows file."
    name = path.parent.name if path.name == 'rows.csv' else path.stem
    m = re.match(rf"({'|'.join(EXPERIMENTS)})-([a-z]{{2}})(?:-|$)", name)
    if not m: raise SystemExit(f"{path}: cannot tell the experiment and language from its name")
    return m.groups()


def merge(path: Path, new: pd.DataFrame, ids: list):
    "The rows already in `path` (if any) that `new` does not give again by `ids`, then `new`."
    if not path.exists(): return new
    old = pd.read_csv(path)
    return pd.concat([old[~old.set_index(ids).index.isin(new.set_index(ids).index)], new], ignore_index=True)


def collect(files, where, scale='small', out=ROOT/'docs'/'results'):
    new = {}
    for f in map(Path, files): new.setdefault(key(f), []).append(pd.read_csv(f).assign(ran_on=where))
    for (exp, lang), parts in sorted(new.items()):
        rows, dest = pd.concat(parts, ignore_index=True), out/f'{exp}-{lang}'
        axes = [c for c in experiment_axes(exp)[0] if c != 'model']  # a setting's columns (noise, tokens, change)
        ids = ['seed'] + axes + ['model', 'ran_on']  # a row's identity
        rows = rows.drop_duplicates(ids, ignore_index=True)
        rows = merge(dest/'rows.csv', rows, ids)
        order = [c for c in ids if c not in ('change', 'model', 'ran_on')]
        rows = rows.sort_values(order, kind='stable', ignore_index=True)  # settings and models in run order
        experiment_report(exp, lang, rows, dest, scale, where=' and '.join(rows.ran_on.unique()))
        print(f"{dest}: {len(rows)} rows, seeds {sorted(int(s) for s in rows.seed.unique())}")


def collect_lms(lms, where, out):
    "The fine-tuning histories of the shipped bundles in `lms`, added to `out`/lm_finetuning.csv."
    parts = []
    for d in sorted(Path(lms).glob('lm-*-shipped-*ep')):
        if not (d/'history.csv').exists(): continue
        lang, _, epochs = d.name[len('lm-'):-len('ep')].rpartition('-shipped-')  # (a backward LM: `LANG-bwd`)
        h = pd.read_csv(d/'history.csv').drop(columns='time')
        parts.append(h.assign(lang=lang, schedule_epochs=int(epochs), ran_on=where))
    if not parts: return
    new, dest = pd.concat(parts, ignore_index=True), out/'lm_finetuning.csv'
    ids = ['lang', 'schedule_epochs']
    new = merge(dest, new, ids)
    new = new[ids + [c for c in new if c not in ids]].sort_values(ids + ['epoch'], ignore_index=True)
    new.to_csv(dest, index=False, float_format='%.4f')
    print(f"{dest}: {new.groupby(ids).ngroups} fine-tuning runs")


def collect_tokens_lms(lms, where, out):
    "The LMs pretrained on samples of a corpus in `lms` (for `tokens`), added to `out`/lm_tokens.csv."
    rows = []
    for d in sorted(Path(lms).glob('lm-*-*tok-*v-*ep')):
        if not (d/'finetune'/'bundle'/'bundle.json').exists(): continue  # (still fine-tuning)
        info, h = bundle_info(d/'pretrain'/'bundle'), pd.read_csv(d/'finetune'/'history.csv')
        rows.append(dict(lang=info['lang'], corpus_tokens=info['corpus_tokens'], vocab=len(info['vocab']),
                         pretrain_epochs=info['epochs'], pretrain_perplexity=info['valid_perplexity'],
                         finetune_epochs=len(h), finetune_perplexity=h.perplexity.iloc[-1], lm=d.name, ran_on=where))
    if not rows: return
    ids, dest = ['lm', 'ran_on'], out/'lm_tokens.csv'
    new = merge(dest, pd.DataFrame(rows), ids).sort_values(['lang', 'corpus_tokens'], ignore_index=True)
    new.to_csv(dest, index=False, float_format='%.4f')
    print(f"{dest}: {len(new)} language models")


def collect_word_lms(lms, where, out):
    "The word-token LMs of `tokenization` in `lms` (once fine-tuned), added to `out`/lm_words.csv."
    rows = [dict(json.loads((d/'lm.json').read_text(encoding='utf-8')), lm=d.name, ran_on=where)
            for d in sorted(Path(lms).glob('lm-*-word-*')) if (d/'lm.json').exists()]
    if not rows: return
    ids, dest = ['lm', 'ran_on'], out/'lm_words.csv'
    new = merge(dest, pd.DataFrame(rows).drop(columns='corpus'), ids)  # (`corpus`: a path on the machine it ran on)
    new.sort_values(['lang', 'arch', 'corpus_tokens'], ignore_index=True).to_csv(dest, index=False, float_format='%.4f')
    print(f"{dest}: {len(new)} language models")


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('files', nargs='*')
    ap.add_argument('--where', required=True, help="the machine the rows come from, e.g. '2 CPU cores'")
    ap.add_argument('--scale', default='small')
    ap.add_argument('--out', default=ROOT/'docs'/'results', type=Path, help="the folder of the experiments' folders")
    ap.add_argument('--lms', type=Path, help="a work folder's `lms`: add its LMs' histories and perplexities")
    a = ap.parse_args()
    if a.files: collect(a.files, a.where, a.scale, a.out)
    if a.lms:
        a.out.mkdir(parents=True, exist_ok=True)
        collect_lms(a.lms, a.where, a.out)
        collect_tokens_lms(a.lms, a.where, a.out)
        collect_word_lms(a.lms, a.where, a.out)
