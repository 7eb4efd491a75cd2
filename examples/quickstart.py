"""Quick start: an AWD_QRNN (MultiFiT) language model and topic classifier with fastai's plain API, on real text.

Data: 1,120 English Debian package descriptions labelled with 7 topics (tests/data, built by
tools/make_test_sample.py). The model is MultiFiT's architecture scaled down to train in a few minutes on 2 CPU
cores; pass --paper for the paper's dimensions (emb 400, 4 x 1550 QRNN layers). The full MultiFiT recipe
(SentencePiece, pretraining, bootstrapping) is being built; this script shows the model core working end to end.
"""
import argparse, time
from pathlib import Path

import pandas as pd
from fastai.text.all import TextDataLoaders, language_model_learner, text_classifier_learner, accuracy, Perplexity, set_seed
from multifit_fastai.all import AWD_QRNN, awd_qrnn_lm_config, awd_qrnn_clas_config

DATA = Path(__file__).resolve().parents[1]/'tests'/'data'/'debian_en_sample.csv.gz'


def main(epochs_lm=4, epochs_clas=4, paper=False, out='quickstart_run'):
    df = pd.read_csv(DATA)
    Path(out).mkdir(parents=True, exist_ok=True)
    size = {} if paper else dict(emb_sz=128, n_hid=256, n_layers=3)
    print(f"{len(df)} documents, {df.label.nunique()} topics, {int(df.is_valid.sum())} for validation")
    set_seed(42)
    t0 = time.time()
    dls_lm = TextDataLoaders.from_df(df, text_col='text', is_lm=True, valid_col='is_valid', bs=32, seq_len=70, seed=42)
    lm = language_model_learner(dls_lm, AWD_QRNN, config=dict(awd_qrnn_lm_config, **size), pretrained=False,
                                metrics=[accuracy, Perplexity()], path=out)
    print(f"language model: {sum(p.numel() for p in lm.model.parameters()):,} parameters, vocab {len(dls_lm.vocab):,}")
    lm.fit_one_cycle(epochs_lm, 1e-2)
    set_seed(42)
    dls = TextDataLoaders.from_df(df, text_col='text', label_col='label', valid_col='is_valid', bs=32, seed=42)
    clas = text_classifier_learner(dls, AWD_QRNN, config=dict(awd_qrnn_clas_config, **size), pretrained=False,
                                   drop_mult=0.5, metrics=accuracy, path=out)
    clas.fit_one_cycle(epochs_clas, 2e-2)
    clas.export('classifier.pkl')
    majority = df[df.is_valid].label.value_counts(normalize=True).max()
    print(f"LM validation perplexity {lm.recorder.values[-1][3]:.1f}; classifier validation accuracy "
          f"{clas.recorder.values[-1][2]:.3f} (majority class {majority:.3f}); {time.time()-t0:.0f} s")
    print(f"exported learner: {clas.path/'classifier.pkl'} (load with fastai's load_learner)")
    txt = df[df.is_valid].text.iloc[0]
    print(f"predict({txt[:60]!r}...) -> {clas.predict(txt)[0]}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--epochs-lm', type=int, default=4)
    p.add_argument('--epochs-clas', type=int, default=4)
    p.add_argument('--paper', action='store_true', help="use the paper's model dimensions (slow on CPU)")
    p.add_argument('--out', default='quickstart_run', help='directory for the exported learner')
    a = p.parse_args()
    main(a.epochs_lm, a.epochs_clas, a.paper, a.out)
