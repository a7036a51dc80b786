"""Hypothesis: binary ops on random broadcast-compatible shapes, checked
against finite differences with a random upstream gradient."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import Tensor

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "maximum": lambda a, b: ag.maximum(a, b * 1.5),
    "where": lambda a, b: ag.where(a.data > 0, a, b),
}


def numerical_vjp(f, arrays, upstream, eps=1e-6):
    grads = []
    for i, x in enumerate(arrays):
        g = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
            plus[i][j] += eps
            minus[i][j] -= eps
            fp = f(*[Tensor(a) for a in plus]).data
            fm = f(*[Tensor(a) for a in minus]).data
            g[j] = np.sum(upstream * (fp - fm)) / (2 * eps)
        grads.append(g)
    return grads


@settings(max_examples=60, deadline=None, derandomize=True)
@given(name=st.sampled_from(sorted(BINARY)),
       shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_binary_ops_broadcast(name, shapes, seed):
    rng = np.random.default_rng(seed)
    f = BINARY[name]
    arrays = [rng.standard_normal(s) for s in shapes.input_shapes]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    out = f(*xs)
    assert out.shape == shapes.result_shape
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    for x, expected in zip(xs, numerical_vjp(f, arrays, upstream)):
        assert x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad.data, expected, rtol=1e-5, atol=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=3), data=st.data())
def test_reductions_over_random_axes(shape, data):
    axes = data.draw(st.lists(st.integers(0, len(shape) - 1), unique=True, min_size=1))
    keepdims = data.draw(st.booleans())
    op = data.draw(st.sampled_from(["sum", "mean", "max", "logsumexp"]))
    rng = np.random.default_rng(len(shape))
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    f = lambda t: getattr(t, op)(axis=tuple(axes), keepdims=keepdims)  # noqa: E731
    expected_shape = np.sum(x.data, axis=tuple(axes), keepdims=keepdims).shape
    assert f(x).shape == expected_shape
    assert ag.gradcheck(f, (x,))
