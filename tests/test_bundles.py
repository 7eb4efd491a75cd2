"The pretrained bundles shipped with the package: each loads by its language code and runs; MODELS.md's example runs."
import re
from pathlib import Path

import pandas as pd
import pytest
import torch

from fastai.text.all import CategoryBlock, ColReader, ColSplitter, DataBlock
from multifit_fastai.bundle import bundle_info, bundle_tokenizer, shipped_bundles
from multifit_fastai.learner import multifit_learner
from multifit_fastai.data import ddtp7
from multifit_fastai.tokenizer import subword_block
from multifit_fastai.bundle import SHIPPED_BUNDLES

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ('en', 'de', 'fr', 'es', 'ja', 'zh')


def sample(lang:str, n:int=4) -> pd.DataFrame:
    "`n` DDTP-7 training and `n` validation documents of each of two labels, with `is_valid`."
    df = ddtp7(lang, ('train', 'valid'))
    labels = df.label.value_counts().index[:2]
    df = df[df.label.isin(labels)].groupby(['split', 'label']).head(n)
    return df.assign(is_valid=df.split.eq('valid')).reset_index(drop=True)


def test_all_six_shipped():
    assert sorted(shipped_bundles()) == sorted(SHIPPED)


@pytest.mark.parametrize('code', SHIPPED)
def test_bundle_card(code):
    info = bundle_info(code)
    assert info['lang'] == code and info['stage'] == 'pretrain' and info['epochs'] == 10
    assert info['corpus_tokens'] >= 1_000_000 and info['train_minutes'] > 0
    assert 1 < info['valid_perplexity'] < 1000 and 1 < info['ddtp7_valid_perplexity'] < 1000
    assert info['hardware'].startswith('NVIDIA'), info['hardware']  # pretrained on a GPU
    assert len(info['vocab']) == 15_000 and info['weights'] == 'float16'
    assert sum(f.stat().st_size for f in (SHIPPED_BUNDLES/code).iterdir()) <= 8e6


@pytest.mark.parametrize('code', SHIPPED)
def test_shipped_bundle_classifies(code):
    "Tokenize DDTP-7 documents with the bundle's tokenizer; one batch through `multifit_learner(dls, pretrained=code)`."
    df, tok = sample(code), bundle_tokenizer(code)
    ids = tok.sp.encode(df.text[0])
    assert len(ids) > 3 and tok.sp.piece_to_id('xxunk') not in ids[:3]  # the language's own subwords
    dls = DataBlock(blocks=(subword_block(tok, 'text'), CategoryBlock), get_x=ColReader('text'), get_y=ColReader('label'),
                    splitter=ColSplitter('is_valid')).dataloaders(df, bs=4, device='cpu')
    learn = multifit_learner(dls, pretrained=code)
    lm = torch.load(SHIPPED_BUNDLES/code/'lm.pth', weights_only=True)  # the encoder is the bundle's (fp16 on disk, fp32 here)
    enc = learn.model[0].module.state_dict()
    assert enc['encoder.weight'].dtype == torch.float32
    for k, v in lm.items():
        if k.startswith('0.'): assert torch.equal(enc[k[2:]], v.float()), k
    xb, yb = dls.one_batch()
    learn.model.eval()
    with torch.no_grad(): out = learn.model(xb)[0]
    assert out.shape == (len(yb), 2) and torch.isfinite(out).all()


def test_models_md_example():
    "MODELS.md's Python example, as written, on DDTP-7 documents."
    code = re.search(r"^```python\n(.*?)^```", (ROOT/'MODELS.md').read_text(encoding='utf-8'), flags=re.M | re.S)[1]
    ns = dict(df=sample('de', 40))  # (the example's batch is 32)
    exec(code, ns)
    assert ns['learn'].dls.vocab[0][:2] == bundle_tokenizer('de').vocab[:2]
    with torch.no_grad(): assert ns['learn'].model.eval()(ns['dls'].one_batch()[0])[0].shape[1] == 2
