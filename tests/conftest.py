"Shared pytest configuration for multifit_fastai."
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running test (still run by default in CI)")
    config.addinivalue_line("markers", "notebook: executes one notebook in nbs/ with nbdev's test machinery")
    config.addinivalue_line("markers", "cuda: needs a CUDA device")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def de_corpus(tmp_path_factory):
    "Make a corpus of the first `n` documents of the shipped German corpus in `dest` (5% of them for validation)."
    from multifit_fastai.corpus import CorpusWriter, corpus_files
    from multifit_fastai.debian_corpus import shipped_corpus
    def make(dest, n):
        full = shipped_corpus("de", tmp_path_factory.mktemp("shipped_de"))
        with open(corpus_files(full)[0], encoding="utf-8") as f, CorpusWriter(dest, "de", valid_pct=0.05) as w:
            for _, line in zip(range(n), f): w.add(line)
        return dest
    return make
