"""`import_multifit_v1` against fastai v1's maths. No released file can be used (nothing is downloaded), so the tests
build state dicts with the exact names and shapes of the released models (15,000 x 400 embeddings; QRNN layers of
4,650 x 800, 4,650 x 1,550 twice and 1,200 x 1,550), in both key layouts, and a v1 vocabulary: its eight special
tokens, then pieces, some of which the target tokenizer (a real SentencePiece model on German DDTP-7) has and some it
lacks, in another order. The reference is the v1 forward pass written from its maths, not with this package's modules.
"""
import contextlib, io, pickle, re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from fastai.text.models.core import get_language_model
from fastcore.test import test_close as assert_close, test_eq as assert_eq, test_fail as assert_fails

from multifit_fastai.bundle import _bundle_weights, bundle_info, bundle_tokenizer
from multifit_fastai.cli import main
from multifit_fastai.data import ddtp7
from multifit_fastai.import_v1 import V1_SPECIALS, import_multifit_v1, read_itos, v1_config
from multifit_fastai.models import AWD_QRNN
from multifit_fastai.tokenizer import SPTokenizer


def v1_file(d, itos, layout, seed=0, emb=400, hid=1550, n=4):
    "A synthetic fastai v1 MultiFiT LM state dict, released names and shapes, saved as fastai v1's `Learner.save` did."
    g = torch.Generator().manual_seed(seed)
    def r(*s): return torch.randn(*s, generator=g) * 0.1
    sd = {'0.encoder.weight': r(len(itos), emb)}
    sd['0.encoder_dp.emb.weight'] = sd['0.encoder.weight']
    for i in range(n):
        n_in, n_out = (emb * 2 if i == 0 else hid), (emb if i == n - 1 else hid)
        w, p = r(3 * n_out, n_in), f'0.rnns.{i}.' + ('layers.0.' if layout == 'new' else '') + 'linear.'
        sd[p+'weight_raw'], sd[p+'module.weight'], sd[p+'module.bias'] = w, w.clone(), r(3 * n_out)
    sd['1.decoder.weight'], sd['1.decoder.bias'] = sd['0.encoder.weight'], r(len(itos))
    torch.save({'model': sd, 'opt': {}}, d/f'v1_{layout}.pth')
    return sd


def v1_forward(sd, ids, n=4):
    "fastai v1's QRNN language model (eval mode), from its maths: logits over the v1 vocabulary, (bs, sl, vocab)."
    x = F.embedding(ids, sd['0.encoder.weight']).transpose(0, 1)  # time first
    for i in range(n):
        key = rf'0\.rnns\.{i}\.(layers\.0\.)?linear\.(weight_raw|module\.bias)$'
        w, b = [v for k, v in sd.items() if re.match(key, k)]
        if i == 0: x = torch.cat([x, torch.cat([torch.zeros_like(x[:1]), x[:-1]])], 2)  # window 2: [x_t, x_{t-1}]
        z, f, o = (x @ w.T + b).chunk(3, 2)
        z, f, o, c, cs = z.tanh(), f.sigmoid(), o.sigmoid(), torch.zeros_like(z[0]), []
        for t in range(len(z)):
            c = f[t] * z[t] + (1 - f[t]) * c
            cs.append(c)
        x = o * torch.stack(cs)
    return (x @ sd['1.decoder.weight'].T + sd['1.decoder.bias']).transpose(0, 1)


@pytest.fixture(scope='module')
def v1(tmp_path_factory):
    "The target tokenizer, a shuffled v1 vocabulary holding two thirds of its pieces, and the tokens they share."
    d = tmp_path_factory.mktemp('v1')
    tok = SPTokenizer('de', vocab_sz=3000).train(ddtp7('de').text[:3000].tolist())
    rng = np.random.default_rng(0)
    pieces = [tok.vocab[i] for i in rng.permutation(np.arange(9, len(tok.vocab)))[:2000]]
    itos = ['▁' + t for t in V1_SPECIALS] + pieces + [f'▁v1only{i}' for i in range(15000 - 8 - len(pieces))]
    with open(d/'itos.pkl', 'wb') as f: pickle.dump(itos, f)
    shared = set(tok.vocab) & ({t.lstrip('▁') if t[1:] in V1_SPECIALS else t for t in itos})
    return d, tok, itos, shared


def test_read_itos(v1):
    d, _, itos, _ = v1
    assert_eq(read_itos(d/'itos.pkl'), itos)


@pytest.mark.parametrize('layout', ['old', 'new'])
def test_imported_model_computes_what_v1_computed(v1, layout):
    d, tok, itos, shared = v1
    words = [t for t in tok.vocab if t in shared][:40]
    v1_ids = {t: i for i, t in enumerate(itos)}
    def v1_id(t): return v1_ids[t] if t in v1_ids else v1_ids['▁'+t]
    ids_new = torch.tensor([[tok.vocab.index(t) for t in words[:20]], [tok.vocab.index(t) for t in words[20:]]])
    ids_v1 = torch.tensor([[v1_id(t) for t in words[:20]], [v1_id(t) for t in words[20:]]])
    cols_new = torch.tensor([tok.vocab.index(t) for t in sorted(shared)])
    cols_v1 = torch.tensor([v1_id(t) for t in sorted(shared)])
    sd = v1_file(d, itos, layout)
    b = import_multifit_v1(d/f'v1_{layout}.pth', d/'itos.pkl', d/f'bundle_{layout}', tok=tok)
    info = bundle_info(b)
    assert_eq((info['v1_rows_matched'], info['v1_rows'], info['lang'], info['config']),
            (len(shared), len(tok.vocab), 'de', dict(emb_sz=400, n_hid=1550, n_layers=4)))
    assert_eq(bundle_tokenizer(b).vocab, tok.vocab)
    model = get_language_model(AWD_QRNN, len(tok.vocab), v1_config(sd)).eval()
    model.load_state_dict(_bundle_weights(b))
    model.reset()
    with torch.no_grad(): ours, ref = model(ids_new)[0], v1_forward(sd, ids_v1)
    assert_close(ours[..., cols_new], ref[..., cols_v1], eps=1e-4)
    # rows v1 lacks are the mean row (and mean bias), as fastai does for new tokens
    w = _bundle_weights(b)
    missing = [i for i, t in enumerate(tok.vocab) if t not in shared]
    assert_close(w['0.encoder.weight'][missing[0]], sd['0.encoder.weight'].mean(0))
    assert_close(w['1.decoder.bias'][missing[0]], sd['1.decoder.bias'].mean())


@pytest.fixture(scope='module')
def full(v1):
    "A v1-style SentencePiece model (trained with v1's special tokens), its vocabulary as v1 wrote it, small weights."
    d = v1[0]
    v1_tok = SPTokenizer('de', vocab_sz=2000, special_toks=V1_SPECIALS).train(ddtp7('de').text[:3000].tolist())
    v1_tok.save(d/'spm.model')
    itos_full = [t if t not in V1_SPECIALS else '▁' + t for t in v1_tok.vocab]  # v1 wrote its specials as pieces
    (d/'itos.txt').write_text('\n'.join(itos_full) + '\n', encoding='utf-8')
    v1_file(d, itos_full, 'new', emb=16, hid=24)
    return d, v1_tok, itos_full


def test_released_tokenizer_matches_every_row(full):
    d, _, itos_full = full
    b = import_multifit_v1(d/'v1_new.pth', d/'itos.txt', d/'bundle_full', sp_model=d/'spm.model', lang='de', hf=True)
    assert_eq((bundle_info(b)['v1_rows_matched'], bundle_info(b)['v1_rows']), (len(itos_full), len(itos_full)))
    assert_eq(bundle_tokenizer(b).special_toks, V1_SPECIALS)
    assert (b/'model.safetensors').exists()


class Evil:
    def __reduce__(self): return (print, ('this must not run',))


def test_bad_files_are_refused(v1, full):
    d, tok = v1[0], v1[1]
    with open(d/'evil.pkl', 'wb') as f: pickle.dump(['xxunk', Evil()], f)
    assert_fails(lambda: read_itos(d/'evil.pkl'), contains='refusing to load builtins.print')
    torch.save({'weight': torch.zeros(2)}, d/'other.pth')
    assert_fails(lambda: import_multifit_v1(d/'other.pth', d/'itos.pkl', d/'x', tok=tok),
              contains='not a fastai v1 language model')
    assert_fails(lambda: import_multifit_v1(d/'v1_new.pth', d/'itos.pkl', d/'x', tok=tok),
              contains='the vocabulary has 15000 tokens but the embedding')
    assert_fails(lambda: import_multifit_v1(d/'v1_new.pth', d/'itos.txt', d/'x'), contains='pass the target tokenizer')
    assert not (d/'x').exists()


def test_cli(full):
    d, v1_tok, itos_full = full
    with contextlib.redirect_stdout(io.StringIO()) as o:
        args = ['import-v1', str(d/'v1_new.pth'), str(d/'itos.txt'), str(d/'spm.model'), str(d/'cli'), '--lang', 'de']
        assert_eq(main(args), 0)
    assert f"({len(itos_full)} of {len(itos_full)} rows matched)" in o.getvalue(), o.getvalue()
    assert_eq(bundle_tokenizer(d/'cli').vocab, v1_tok.vocab)
