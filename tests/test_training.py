"""The training functions beyond the chapter's tiny run (nbs/05a_training.ipynb): `fit_minutes` leaves the learner as
it found it, soft labels train and round-trip through `export`, the `head` schedule keeps the encoder, the model card
of a pretrained bundle and the command that remakes it. On real data: the shipped German corpus, bundle and DDTP-7."""
import json, math

import pytest
import torch
from fastai.torch_core import set_seed
from fastcore.test import test_eq as assert_eq, test_fail as assert_fails

from multifit_fastai.bundle import (_bundle_weights, bundle_backwards, bundle_info, bundle_tokenizer, pack_bundle,
                                    resolve_bundle)
from multifit_fastai.callbacks import RECIPE
from multifit_fastai.cli import main
from multifit_fastai.corpus import corpus_info
from multifit_fastai.corpus_dls import corpus_lm_dls
from multifit_fastai.data import ddtp7
from multifit_fastai.learner import multifit_lm_learner
from multifit_fastai.prediction import predict
from multifit_fastai.training import (bundle_card, fit_minutes, model_card, pretrain, pretrain_command,
                                      train_classifier)


@pytest.fixture(scope='module')
def run(tmp_path_factory, de_corpus):
    "A folder with a small German corpus (1,500 documents of the shipped one)."
    run = tmp_path_factory.mktemp('training')
    de_corpus(run/'corpus', 1500)
    return run


@pytest.fixture(scope='module')
def de():
    return ddtp7('de').groupby(['split', 'label']).head(12).reset_index(drop=True)


def test_fit_minutes_puts_the_learner_back(run):
    "The estimate trains a few batches, then restores weights and optimizer: a fit after it is the fit without it."
    tok = bundle_tokenizer('de')
    learn = multifit_lm_learner(corpus_lm_dls(run/'corpus', tok, bs=16, seq_len=40, dest=run/'ids', progress=False),
                                stage='pretrain')
    w0 = {k: v.clone() for k, v in learn.model.state_dict().items()}
    assert fit_minutes(learn, 1) > 0 and learn.opt is None
    assert all(torch.equal(w0[k], v.to(w0[k].device)) for k, v in learn.model.state_dict().items())
    def trained(probe):  # one epoch from the same seed (8,000 training ids: a dozen batches)
        set_seed(0)
        dls = corpus_lm_dls(run/'corpus', tok, bs=16, seq_len=40, dest=run/'ids', progress=False, max_ids=8000,
                            chunk_len=1000)
        learn = multifit_lm_learner(dls, stage='pretrain')
        if probe: fit_minutes(learn, 1)
        with learn.no_bar(), learn.no_logging(): learn.fit_multifit(1, 1e-2)
        return learn.model.state_dict()
    w1, w2 = trained(False), trained(True)
    assert all(torch.equal(w1[k], w2[k]) for k in w1)


def test_pretrain_bundle_and_model_card(run):
    b = pretrain(run/'corpus', run/'pretrain', vocab_sz=1000, epochs=1, bs=16, bptt=40)
    info = bundle_info(b)
    assert_eq((info['stage'], info['epochs'], info['corpus_tokens']),
              ('pretrain', 1, corpus_info(run/'corpus')['n_tokens']['train']))
    assert math.isclose(info['valid_perplexity'], math.exp(info['valid_loss']), rel_tol=1e-3)
    assert info['train_minutes'] > 0 and info['estimated_minutes'] > 0 and info['hardware'].endswith(('bf16', 'fp32'))
    assert (run/'pretrain'/'history.csv').exists() and (run/'pretrain'/'models'/'lm_0.pth').exists()
    card = bundle_card(b, bs=16, bptt=40)
    assert_eq(card['corpus_sources'], {'unnamed': sum(corpus_info(run/'corpus')['n_tokens'].values())})
    assert 1 < card['ddtp7_valid_perplexity'] < len(info['vocab']) / 2
    assert_eq(card['command'], f"multifit pretrain {run/'corpus'} --preset small --vocab_sz 1000 --epochs 1 "
                               f"--lr {RECIPE['pretrain_lr']} --bs 16 --bptt 40 --seed 42")
    card_md = model_card({'de': pack_bundle(b, dest=run/'shipped'/'de', **card)})
    assert '| de ' in card_md and 'AWD_QRNN small' in card_md and f"{card['ddtp7_valid_perplexity']:.1f}" in card_md
    assert f"`{card['command']}`" in card_md
    assert_eq(model_card({}), "No pretrained bundles are shipped yet.\n")


def test_card_command_remakes_a_sampled_backward_bundle(run):
    "The command on a bundle's card carries every option of its run: through the CLI it pretrains the same bundle."
    b = pretrain(run/'corpus', run/'bwd', vocab_sz=1000, epochs=1, bs=16, bptt=40, max_tokens=20_000, backwards=True)
    cmd = pretrain_command(b)
    assert cmd.endswith(' --max_tokens 20000 --backwards'), cmd
    assert_eq(main(cmd.split()[1:] + ['--run_dir', str(run/'bwd-again')]), 0)
    again = run/'bwd-again'/'bundle'
    assert bundle_backwards(again) and bundle_info(again)['corpus_tokens'] == bundle_info(b)['corpus_tokens']
    w, w2 = _bundle_weights(b), _bundle_weights(again)
    assert all(torch.equal(w[k], w2[k]) for k in w)  # the same seed, sample and options: the same weights


def test_soft_labels_train_and_round_trip(run, de):
    "A classifier learns from probabilities (here another classifier's, as a teacher's would be)."
    labelled = de[de.split != 'test']
    clas = train_classifier(labelled, run/'classifier', 'de', epochs=1, bs=16)
    soft = labelled[['text', 'is_valid']].join(predict(clas, labelled, progress=False).filter(like='prob_'))
    sclas = train_classifier(soft, run/'soft', 'de', epochs=1, bs=16, soft=True)
    assert_eq(list(sclas.dls.vocab[1]), list(clas.dls.vocab[1]))
    p = predict(run/'soft'/'learner.pkl', de[de.split == 'test'].head(3))  # export / load_learner round trip
    assert set(p.label) <= set(clas.dls.vocab[1]) and p.filter(like='prob_').shape[1] == len(clas.dls.vocab[1])
    assert_fails(lambda: train_classifier(soft[['text', 'is_valid']], run/'x', soft=True), contains='prob_<class>')


def test_head_schedule_keeps_the_encoder(run, de):
    frozen = train_classifier(de[de.split != 'test'], run/'head', 'de', epochs=1, bs=16, schedule='head')
    enc = _bundle_weights(resolve_bundle('de'), 'encoder')  # (a shipped bundle keeps the LM: its first module)
    for k, v in frozen.model[0].module.state_dict().items(): assert torch.equal(v, enc[k].to(v.dtype)), k
    assert_eq(json.loads((run/'head'/'config.json').read_text())['schedule'], 'head')
    assert_fails(lambda: train_classifier(de, run/'y', 'de', schedule='slowly'), contains="unknown schedule 'slowly'")
