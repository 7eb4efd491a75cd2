"AWD_QRNN through fastai's plain learner API: export/load_learner round trips and encoder transfer, on real text."
from pathlib import Path

import pandas as pd
import pytest
import torch
from fastai.text.all import (TextDataLoaders, language_model_learner, text_classifier_learner, load_learner,
                             set_seed, accuracy)
from multifit_fastai.models import AWD_QRNN, awd_qrnn_lm_config, awd_qrnn_clas_config

DATA = Path(__file__).parent/'data'/'debian_en_sample.csv.gz'
SMALL = dict(emb_sz=64, n_hid=128, n_layers=3)


@pytest.fixture(scope='module')
def df():
    d = pd.read_csv(DATA)
    return d.groupby('label').head(40).reset_index(drop=True)  # 280 documents, all 7 topics


@pytest.fixture(scope='module')
def lm_learner(df, tmp_path_factory):
    set_seed(0)
    dls = TextDataLoaders.from_df(df, text_col='text', is_lm=True, valid_col='is_valid', bs=16, seq_len=40, seed=0)
    learn = language_model_learner(dls, AWD_QRNN, config=dict(awd_qrnn_lm_config, **SMALL), pretrained=False,
                                   path=tmp_path_factory.mktemp('lm'))
    learn.fit(1, 3e-3)
    return learn


def test_lm_export_load_learner(lm_learner):
    learn = lm_learner
    learn.export('lm.pkl')
    learn2 = load_learner(learn.path/'lm.pkl')
    x = learn.dls.valid.one_batch()[0][:4]
    preds = []
    for l in (learn, learn2):
        m = l.model.eval(); m.reset()
        with torch.no_grad(): preds.append(m(x)[0])
    assert torch.equal(preds[0], preds[1])
    # the carried state makes the next chunk depend on the previous one, identically in both learners
    with torch.no_grad(): nxt = [l.model(x)[0] for l in (learn, learn2)]
    assert torch.equal(nxt[0], nxt[1]) and not torch.equal(nxt[0], preds[0])


def test_classifier_export_predict_and_encoder(df, lm_learner, tmp_path):
    lm_learner.save_encoder('enc')
    set_seed(0)
    dls = TextDataLoaders.from_df(df, text_col='text', label_col='label', valid_col='is_valid',
                                  text_vocab=lm_learner.dls.vocab, bs=16, seed=0)
    learn = text_classifier_learner(dls, AWD_QRNN, config=dict(awd_qrnn_clas_config, **SMALL), pretrained=False,
                                    drop_mult=0.5, metrics=accuracy, path=lm_learner.path)
    learn.load_encoder('enc')
    enc, lm_enc = learn.model[0].module, lm_learner.model[0]
    assert torch.equal(enc.encoder.weight, lm_enc.encoder.weight)
    assert torch.equal(enc.rnns[2].layers[0].linear.weight_raw, lm_enc.rnns[2].layers[0].linear.weight_raw)
    learn.unfreeze(); learn.fit(1, 1e-3)
    learn.export(tmp_path/'clas.pkl')
    learn2 = load_learner(tmp_path/'clas.pkl')
    texts = df.text[df.is_valid].tolist()[:3] + ['A tiny document.']
    for t in texts:
        lbl, idx, probs = learn.predict(t)
        lbl2, idx2, probs2 = learn2.predict(t)
        assert lbl == lbl2 and torch.allclose(probs, probs2, atol=1e-6)
        assert abs(probs.sum().item() - 1) < 1e-5 and str(lbl) in set(df.label)
    preds, targs = learn2.get_preds(dl=learn2.dls.test_dl(df[df.is_valid]), with_input=False)[:2]
    assert preds.shape == (int(df.is_valid.sum()), 7)
