"""Initialisers: bounds, spread and reproducibility from a numpy Generator."""
import math

import numpy as np
import pytest

import nn


def weight(shape=(200, 300)):
    return nn.Parameter(np.zeros(shape, dtype=np.float32))


def test_uniform_normal_zeros():
    w = nn.init.uniform_(weight(), -0.5, 0.25, rng=np.random.default_rng(0))
    assert w.data.min() >= -0.5 and w.data.max() < 0.25 and w.dtype == np.float32
    w = nn.init.normal_(weight(), 1.0, 0.1, rng=np.random.default_rng(0))
    assert abs(w.data.mean() - 1.0) < 0.01 and abs(w.data.std() - 0.1) < 0.01
    assert not nn.init.zeros_(w).data.any()


def test_xavier_and_kaiming_bounds():
    w = nn.init.xavier_uniform_(weight(), rng=np.random.default_rng(0))
    bound = math.sqrt(6 / (300 + 200))
    assert w.data.max() <= bound and w.data.max() > 0.95 * bound
    w = nn.init.kaiming_uniform_(weight(), rng=np.random.default_rng(0))
    bound = math.sqrt(2) * math.sqrt(3 / 300)
    assert w.data.max() <= bound and w.data.max() > 0.95 * bound
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        nn.init.xavier_uniform_(nn.Parameter(np.zeros(3)))


def test_seeded_generators_reproduce():
    a = nn.init.kaiming_uniform_(weight(), rng=np.random.default_rng(7))
    b = nn.init.kaiming_uniform_(weight(), rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.data, b.data)
    nn.init.manual_seed(3)
    c = nn.Linear(4, 4)
    nn.init.manual_seed(3)
    np.testing.assert_array_equal(c.weight.data, nn.Linear(4, 4).weight.data)
