"""Initialisers: bounds, spread and reproducibility from a numpy Generator."""
import math

import numpy as np
import pytest

import autograd_core as ag
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
    ag.manual_seed(3)
    c = nn.Linear(4, 4)
    ag.manual_seed(3)
    np.testing.assert_array_equal(c.weight.data, nn.Linear(4, 4).weight.data)


def test_ag_manual_seed_reproduces_every_draw_of_nn(rng):
    import random

    def draws():
        linear = nn.Linear(3, 3).weight.data.copy()
        conv = nn.Conv2d(1, 2, 3).weight.data.copy()
        embedding = nn.Embedding(4, 2).weight.data.copy()
        dropped = nn.Dropout(0.5)(np.ones((4, 4))).numpy().copy()
        scalar = [p.data for p in nn.scalar.MLP(2, [3, 1]).parameters()]
        return linear, conv, embedding, dropped, scalar, random.random()

    ag.manual_seed(11)
    first = draws()
    ag.manual_seed(11)
    again = draws()
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], draws()[0])  # and the generator moves on
