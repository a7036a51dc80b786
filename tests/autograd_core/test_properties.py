"""Hypothesis: every differentiable op on random shapes (0-d to 4-d, size-1
axes, broadcasting pairs, random axes and index expressions), checked against
central differences in float64 with a random upstream gradient, and checked
to keep float32 as float32.

Profiles: "ci" (the default: fixed seed, 200 examples per op) and "dev"
(1,000 per op, random seed): HYPOTHESIS_PROFILE=dev python -m pytest ...
"""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import Tensor

settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None)
settings.register_profile("dev", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3)
nonempty = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3)


def numerical_vjp(f, arrays, upstream, eps=1e-6):
    grads = []
    for i, x in enumerate(arrays):
        g = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
            plus[i][j] += eps
            minus[i][j] -= eps
            diff = f(*[Tensor(a) for a in plus]).data - f(*[Tensor(a) for a in minus]).data
            g[j] = np.sum(upstream * diff) / (2 * eps)
        grads.append(g)
    return grads


def check(f, arrays, seed):
    """Backward with a random upstream gradient against central differences,
    then the same op in float32."""
    rng = np.random.default_rng(seed)
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    out = f(*xs)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    for x, expected in zip(xs, numerical_vjp(f, arrays, upstream)):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, expected, rtol=1e-5, atol=1e-6)
    xs32 = [Tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    out32 = f(*xs32)
    assert out32.dtype == np.float32
    out32.backward(np.ones(out32.shape, dtype=np.float32))
    assert all(x.grad.dtype == np.float32 for x in xs32)


def array(shape, seed, low=-2.0, high=2.0, away_from=None):
    x = np.random.default_rng(seed).uniform(low, high, shape)
    if away_from is not None:  # keep clear of a kink: at least 0.05 from it
        x = np.where(np.abs(x - away_from) < 0.05, away_from + 0.1, x)
    return x


UNARY = {
    "neg": (lambda t: -t, {}),
    "exp": (lambda t: t.exp(), {}),
    "log": (lambda t: t.log(), dict(low=0.2)),
    "sqrt": (lambda t: t.sqrt(), dict(low=0.2)),
    "abs": (lambda t: t.abs(), dict(away_from=0.0)),
    "sin": (lambda t: t.sin(), {}),
    "cos": (lambda t: t.cos(), {}),
    "tanh": (lambda t: t.tanh(), {}),
    "sigmoid": (lambda t: t.sigmoid(), {}),
    "relu": (lambda t: t.relu(), dict(away_from=0.0)),
    "pow": (lambda t: t ** 3, {}),
    "rpow": (lambda t: 1.5 ** t, {}),
    "clip": (lambda t: t.clip(-1.0, 1.0) * (t.abs() - 1.0).abs().clip(min=0.05), dict(away_from=1.0)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(shape=shapes, seed=st.integers(0, 2 ** 16))
def test_unary(name, shape, seed):
    f, domain = UNARY[name]
    x = array(shape, seed, **domain)
    if name == "clip":
        x = np.where(np.abs(x + 1) < 0.05, -1.1, x)
    check(f, [x], seed)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 0.5),
    "pow": lambda a, b: (a * a + 0.5) ** b,
    "maximum": lambda a, b: ag.maximum(a, b + 0.5),
    "minimum": lambda a, b: ag.minimum(a, b - 0.5),
    "where": lambda a, b: ag.where(a.data > 0, a, b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_binary_broadcast(name, pair, seed):
    a, b = (array(s, seed + i) for i, s in enumerate(pair.input_shapes))
    check(BINARY[name], [a, b], seed)


REDUCTIONS = ["sum", "mean", "max", "min", "prod", "var", "std", "logsumexp"]


@pytest.mark.parametrize("op", REDUCTIONS)
@given(shape=nonempty, data=st.data())
def test_reductions(op, shape, data):
    ndim = len(shape)
    axis = data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                               st.lists(st.integers(0, ndim - 1), unique=True, min_size=1)
                               .map(tuple)))
    keepdims = data.draw(st.booleans())
    seed = data.draw(st.integers(0, 2 ** 16))
    x = array(shape, seed, low=0.5 if op in ("prod",) else -2.0)
    if op in ("var", "std"):
        x = x + np.arange(x.size).reshape(shape) * 0.3  # no two values equal: std stays smooth
    check(lambda t: getattr(t, op)(axis=axis, keepdims=keepdims), [x], seed)


@given(shape=nonempty, data=st.data())
def test_softmax_family(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    seed = data.draw(st.integers(0, 2 ** 16))
    x = array(shape, seed) * 3
    check(lambda t: t.softmax(axis) * t.log_softmax(axis), [x], seed)


SHAPE_OPS = ["transpose", "reverse", "flatten", "pad", "expand", "cat", "stack"]


@pytest.mark.parametrize("op", range(len(SHAPE_OPS)), ids=SHAPE_OPS)
@given(shape=nonempty, data=st.data())
def test_shape_ops(op, shape, data):
    seed = data.draw(st.integers(0, 2 ** 16))
    ndim = len(shape)
    perm = tuple(data.draw(st.permutations(range(ndim))))
    widths = data.draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                min_size=ndim, max_size=ndim))
    start = data.draw(st.integers(0, ndim - 1))
    ops = [
        lambda t: t.transpose(perm) * 1.5,
        lambda t: t.reshape(-1)[::-1],
        lambda t: t.flatten(start).unsqueeze(0).squeeze(0),
        lambda t: t.pad(widths, value=0.5).exp(),
        lambda t: t.unsqueeze(0).expand(2, *shape) * t,
        lambda t: ag.cat([t, t * 2], axis=start),
        lambda t: ag.stack([t, t.exp()], axis=-1),
    ]
    check(ops[op], [array(shape, seed)], seed)


def index_expressions(shape):
    """Basic and advanced index expressions that fit `shape`."""
    def axis_index(n):
        return st.one_of(
            st.integers(-n, n - 1),
            st.builds(slice, st.one_of(st.none(), st.integers(-n, n)),
                      st.one_of(st.none(), st.integers(-n, n)),
                      st.one_of(st.none(), st.sampled_from([1, 2, -1, -2]))))
    basic = st.tuples(*[axis_index(n) for n in shape])
    with_new_axis = basic.map(lambda ix: (None,) + ix)
    ellipsis = st.integers(-shape[-1], shape[-1] - 1).map(lambda i: (Ellipsis, i))
    repeats = st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=5).map(
        lambda idx: np.array(idx))
    mask = hnp.arrays(bool, shape)
    return st.one_of(basic, with_new_axis, ellipsis, repeats, mask)


@given(shape=nonempty, data=st.data())
def test_indexing(shape, data):
    index = data.draw(index_expressions(shape))
    seed = data.draw(st.integers(0, 2 ** 16))
    x = array(shape, seed)
    if np.asarray(x[index]).size == 0:
        return  # an empty selection has nothing to check
    check(lambda t: t[index] * 2, [x], seed)


@given(data=st.data())
def test_matmul_batched(data):
    n, k, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    batch = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2))
    left_vector, right_vector = data.draw(st.booleans()), data.draw(st.booleans())
    a_shape = (k,) if left_vector else batch.input_shapes[0] + (n, k)
    b_shape = (k,) if right_vector else batch.input_shapes[1] + (k, m)
    seed = data.draw(st.integers(0, 2 ** 16))
    check(lambda a, b: a @ b, [array(a_shape, seed), array(b_shape, seed + 1)], seed)
