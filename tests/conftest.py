import os

import numpy as np
import pytest


def _load_torch():
    """PyTorch is the reference; CI installs it, so there it must import."""
    try:
        import torch
    except ImportError:
        if os.environ.get("CI"):
            raise
        return None
    torch.set_num_threads(1)
    return torch


TORCH = _load_torch()


@pytest.fixture
def torch():
    if TORCH is None:
        pytest.skip("PyTorch is not installed (CI installs it)")
    return TORCH


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
