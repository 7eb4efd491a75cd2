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
