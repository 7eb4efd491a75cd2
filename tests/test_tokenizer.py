"SPTokenizer inside fastai's pipeline: parallel tokenization, and a learner's export/load_learner round trip."
from pathlib import Path

import pandas as pd
import pytest
# the SentencePiece model was trained in a temporary folder that no longer exists: the export must carry it
import torch
from fastai.text.all import (DataBlock, CategoryBlock, ColReader, ColSplitter, text_classifier_learner, load_learner,
                             parallel_tokenize, defaults, compose, set_seed, Tokenizer)
from multifit_fastai.models import AWD_QRNN, awd_qrnn_clas_config
from multifit_fastai.tokenizer import SPTokenizer, subword_block, check_vocab

DATA = Path(__file__).parent/'data'


@pytest.fixture(scope='module')
def df(): return pd.read_csv(DATA/'debian_en_sample.csv.gz').groupby('label').head(30).reset_index(drop=True)


def test_parallel_tokenize_trains_once_in_main_process(df):
    tok = SPTokenizer('en', vocab_sz=1000)
    out = dict(parallel_tokenize(df.text.tolist(), tok, defaults.text_proc_rules, n_workers=2))
    assert tok.trained  # trained by the `setup` hook, before the workers started
    f = compose(*defaults.text_proc_rules)
    for i in (0, 17, len(df)-1):
        assert list(out[i]) == next(iter(tok([f(df.text[i])])))
        assert tok.decode(out[i]) == f(df.text[i]).replace('\n', ' ')  # newlines are spaces to SentencePiece


def test_learner_export_restores_tokenizer(df, tmp_path):
    set_seed(0)
    tok = SPTokenizer('en', vocab_sz=1000)
    dls = DataBlock(blocks=(subword_block(tok, 'text'), CategoryBlock), get_x=ColReader('text'), get_y=ColReader('label'),
                    splitter=ColSplitter('is_valid')).dataloaders(df, bs=16)
    learn = text_classifier_learner(dls, AWD_QRNN, config=dict(awd_qrnn_clas_config, emb_sz=32, n_hid=64, n_layers=2),
                                    pretrained=False, path=tmp_path)
    check_vocab(tok, learn.model)
    learn.fit(1, 1e-3)
    learn.export('clas.pkl')
    learn2 = load_learner(tmp_path/'clas.pkl')
    tok2 = next(t for t in learn2.dls.tfms[0] if isinstance(t, Tokenizer)).tok
    assert isinstance(tok2, SPTokenizer) and tok2 is not tok and tok2.trained and tok2.vocab == learn2.dls.vocab[0]
    check_vocab(tok2, learn2.model)
    text = df.text[df.is_valid].iloc[0]
    probs2 = learn2.predict(text)[2]
    assert torch.allclose(learn.predict(text)[2], probs2, atol=1e-6)
