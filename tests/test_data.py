"The shipped DDTP-7 data through the documented fastai recipes."
import pytest
from fastai.text.all import TextDataLoaders, DataBlock, CategoryBlock, ColReader, ColSplitter
from multifit_fastai.data import ddtp7, ddtp7_source, ddtp7_lm_texts, DDTP_TOPICS
from multifit_fastai.tokenizer import text_block


@pytest.fixture(scope='module')
def de(): return ddtp7('de', ('train', 'valid')).groupby(['split', 'label']).head(15).reset_index(drop=True)


def test_textdataloaders_recipe(de):
    dls = TextDataLoaders.from_df(de, text_col='text', label_col='label', valid_col='is_valid', bs=8, seq_len=72)
    assert set(dls.vocab[1]) == set(DDTP_TOPICS)
    assert len(dls.valid_ds) == de.is_valid.sum() and len(dls.train_ds) == (~de.is_valid).sum()
    x, y = dls.one_batch()
    assert x.shape[0] == 8 and y.shape == (8,)


def test_datablock_subword_recipe(de):
    dls = DataBlock(blocks=(text_block('text', lang='de', vocab_sz=800), CategoryBlock), get_x=ColReader('text'),
                    get_y=ColReader('label'), splitter=ColSplitter('is_valid')).dataloaders(de, bs=8)
    assert len(dls.vocab[0]) >= 800 and dls.one_batch()[0].shape[0] == 8


@pytest.mark.parametrize('lang', ['de', 'fr', 'es', 'ja', 'zh'])
def test_shipped_teacher_pool_and_lm_text_do_not_leak(lang):
    d = ddtp7(lang, ('train', 'valid', 'test', 'lm'))
    assert not set(ddtp7_source(lang).family) & set(d.family)
    held_out = set(d[d.split.isin(['valid', 'test'])].text)
    assert held_out and not set(ddtp7_lm_texts(lang)) & held_out
