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


# -- numpy's functions (numpy_api.py): fewer examples each, as there are many -----------

import scipy.special as sp  # noqa: E402

# a few seconds for all of them together in CI; the dev profile runs 200 each
few = settings(max_examples=15 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 200)

NUMPY_UNARY = {
    "log2": (np.log2, dict(low=0.2)), "log10": (np.log10, dict(low=0.2)),
    "log1p": (np.log1p, dict(low=-0.5)), "expm1": (np.expm1, {}), "exp2": (np.exp2, {}),
    "tan": (np.tan, dict(low=-1.2, high=1.2)), "sinh": (np.sinh, {}), "cosh": (np.cosh, {}),
    "arcsin": (np.arcsin, dict(low=-0.9, high=0.9)), "arccos": (np.arccos, dict(low=-0.9, high=0.9)),
    "arctan": (np.arctan, {}), "arcsinh": (np.arcsinh, {}), "arccosh": (np.arccosh, dict(low=1.2, high=3.0)),
    "arctanh": (np.arctanh, dict(low=-0.9, high=0.9)), "reciprocal": (np.reciprocal, dict(low=0.3)),
    "square": (np.square, {}), "cbrt": (np.cbrt, dict(away_from=0.0)), "fabs": (np.fabs, dict(away_from=0.0)),
    "deg2rad": (np.deg2rad, {}), "rad2deg": (np.rad2deg, {}), "sinc": (np.sinc, {}),
    "erf": (sp.erf, {}), "erfc": (sp.erfc, {}), "expit": (sp.expit, {}),
    "erfinv": (sp.erfinv, dict(low=-0.9, high=0.9)), "ndtr": (sp.ndtr, {}),
    "gamma": (sp.gamma, dict(low=0.3, high=3.0)),
    "logit": (sp.logit, dict(low=0.1, high=0.9)), "gammaln": (sp.gammaln, dict(low=0.3, high=3.0)),
    "digamma": (sp.digamma, dict(low=0.3, high=3.0)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_UNARY))
@few
@given(shape=shapes, seed=st.integers(0, 2 ** 16))
def test_numpy_unary(name, shape, seed):
    f, domain = NUMPY_UNARY[name]
    check(f, [array(shape, seed, **domain)], seed)


NUMPY_BINARY = {  # (f, domain of a, domain of b)
    "remainder": (np.remainder, dict(low=-0.9, high=0.9, away_from=0.0), dict(low=1.1, high=1.9)),
    "mod_operator": (lambda a, b: a % b, dict(low=0.1, high=0.9), dict(low=-1.9, high=-1.1)),
    "fmod": (np.fmod, dict(low=-0.9, high=0.9, away_from=0.0), dict(low=1.1, high=1.9)),
    "logaddexp": (np.logaddexp, {}, {}), "logaddexp2": (np.logaddexp2, {}, {}),
    "fmax": (np.fmax, {}, dict(away_from=0.0)), "fmin": (np.fmin, {}, dict(away_from=0.0)),
    "arctan2": (np.arctan2, {}, dict(low=0.3)), "hypot": (np.hypot, dict(low=0.3), {}),
    "copysign": (np.copysign, dict(away_from=0.0), dict(away_from=0.0)),
    "xlogy": (sp.xlogy, {}, dict(low=0.2)), "xlog1py": (sp.xlog1py, {}, dict(low=-0.5)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_BINARY))
@few
@given(pair=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_numpy_binary_broadcast(name, pair, seed):
    f, domain_a, domain_b = NUMPY_BINARY[name]
    a = array(pair.input_shapes[0], seed, **domain_a)
    b = array(pair.input_shapes[1], seed + 1, **domain_b)
    if name == "fmax" or name == "fmin":
        b = np.asarray(b + 0.02)  # a and b never equal: a tie is a kink
    check(f, [a, b], seed)


def _axis(data, ndim):
    return data.draw(st.integers(-ndim, ndim - 1))


def _axes_or_none(data, ndim):
    return data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                               st.lists(st.integers(0, ndim - 1), unique=True, min_size=1).map(tuple)))


def _numpy_axis_op(name, shape, data):
    """A numpy call on Tensors with axes and keywords drawn at random, and
    how to make its input (distinct values where ties would be kinks)."""
    ndim = len(shape)
    axis = _axis(data, ndim)
    size = shape[axis % ndim]
    keep = data.draw(st.booleans())
    if name == "var_std":
        axes = _axes_or_none(data, ndim)
        n = int(np.prod([shape[a] for a in (range(ndim) if axes is None else np.atleast_1d(axes))]))
        ddof = data.draw(st.integers(0, max(n - 1, 0)))
        f = np.var if data.draw(st.booleans()) else np.std
        return (lambda t: f(t, axis=axes, ddof=ddof, keepdims=keep)), "distinct"
    if name == "nan_reductions":
        axes = _axes_or_none(data, ndim)
        mask = data.draw(hnp.arrays(bool, shape))
        if data.draw(st.booleans()):
            return (lambda t: np.nansum(np.where(mask, t, np.nan), axis=axes, keepdims=keep)), "any"
        mask.flat[0] = True  # one value at least: the mean of nothing is nan
        return (lambda t: np.nanmean(np.where(mask, t, np.nan), keepdims=keep)), "any"
    if name == "average":
        weights = np.random.default_rng(size).uniform(0.5, 2.0, size)
        return (lambda t: np.average(t, axis=axis, weights=weights.astype(t.dtype))), "any"
    if name == "ptp":
        return (lambda t: np.ptp(t, axis=axis, keepdims=keep)), "distinct"
    if name == "cumsum_cumprod":
        f = np.cumsum if data.draw(st.booleans()) else np.cumprod
        ax = data.draw(st.one_of(st.none(), st.just(axis)))
        return (lambda t: f(t, axis=ax)), "any"
    if name == "diff":
        n = data.draw(st.integers(0, size))
        return (lambda t: np.diff(t, n=n, axis=axis)), "any"
    if name == "sort_partition":
        if data.draw(st.booleans()):
            return (lambda t: np.sort(t, axis=axis)), "distinct"
        kth = data.draw(st.integers(0, size - 1))
        return (lambda t: np.partition(t, kth, axis=axis)), "distinct"
    if name == "norm":
        ord_ = data.draw(st.sampled_from([None, 1, 2, 3, np.inf, -np.inf]))
        return (lambda t: np.linalg.norm(t, ord=ord_, axis=axis, keepdims=keep)), "distinct"
    if name == "flip_roll":
        shift = data.draw(st.integers(-4, 4))
        return (lambda t: np.roll(np.flip(t, axis), shift, axis=axis)), "any"
    if name == "tile_repeat":
        reps = tuple(data.draw(st.lists(st.integers(1, 2), min_size=1, max_size=4)))
        count = data.draw(st.integers(0, 2))
        return (lambda t: np.repeat(np.tile(t, reps), count, axis=axis)), "any"
    if name == "moveaxis_expand":
        dest = _axis(data, ndim)
        return (lambda t: np.squeeze(np.expand_dims(np.moveaxis(t, axis, dest), 0), 0)), "any"
    if name == "take":
        index = np.array(data.draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=5)))
        return (lambda t: np.take(t, index, axis=axis)), "any"
    if name == "take_along_axis":
        index = data.draw(hnp.arrays(np.intp, shape, elements=st.integers(0, size - 1)))
        return (lambda t: np.take_along_axis(t, index, axis=axis)), "any"
    if name == "sliding_window":
        window = data.draw(st.integers(1, size))
        return (lambda t: np.lib.stride_tricks.sliding_window_view(t, window, axis=axis)), "any"
    if name == "pad":
        mode = data.draw(st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]))
        width = data.draw(st.integers(0, 2))
        if mode == "reflect" and min(shape) == 1:
            mode = "edge"  # reflect needs two elements
        return (lambda t: np.pad(t, width, mode=mode)), "any"
    if name == "split":
        pieces = np.array_split(np.arange(size), data.draw(st.integers(1, size)))
        weights = [np.float64(i + 1) for i in range(len(pieces))]
        return (lambda t: np.concatenate([p * w for p, w in zip(
            np.array_split(t, len(pieces), axis=axis), weights)], axis=axis)), "any"
    if name == "diagonal_trace_tri":
        if ndim < 2:
            return (lambda t: np.tril(t, 0)), "any"
        other = data.draw(st.integers(0, ndim - 1).filter(lambda a: a != axis % ndim))
        offset = data.draw(st.integers(-2, 2))
        f = data.draw(st.sampled_from(["diagonal", "trace", "tril", "triu"]))
        if f in ("tril", "triu"):
            return (lambda t: getattr(np, f)(t, offset)), "any"
        return (lambda t: getattr(np, f)(t, offset, axis, other)), "any"
    if name == "rot90":
        if ndim < 2:
            return (lambda t: np.flipud(t)), "any"
        other = data.draw(st.integers(0, ndim - 1).filter(lambda a: a != axis % ndim))
        k = data.draw(st.integers(-4, 4))
        return (lambda t: np.rot90(t, k, axes=(axis % ndim, other))), "any"
    raise KeyError(name)


NUMPY_AXIS_OPS = ["var_std", "nan_reductions", "average", "ptp", "cumsum_cumprod", "diff",
                  "sort_partition", "norm", "flip_roll", "tile_repeat", "moveaxis_expand", "take",
                  "take_along_axis", "sliding_window", "pad", "split", "diagonal_trace_tri", "rot90"]


@pytest.mark.parametrize("name", NUMPY_AXIS_OPS)
@few
@given(shape=nonempty, data=st.data())
def test_numpy_axis_functions(name, shape, data):
    f, kind = _numpy_axis_op(name, shape, data)
    seed = data.draw(st.integers(0, 2 ** 16))
    x = array(shape, seed)
    if kind == "distinct":  # no two values equal, none near 0: sorting, max and abs stay smooth
        n = x.size
        x = (np.random.default_rng(seed).permutation(n) + 1.0).reshape(shape) * 0.3 * np.sign(x + 0.01)
    check(f, [x], seed)


@few
@given(data=st.data())
def test_numpy_products(data):
    """tensordot and einsum on random shapes, and dot/inner/outer/kron."""
    seed = data.draw(st.integers(0, 2 ** 16))
    k = data.draw(st.integers(0, 2))
    free_a = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    free_b = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    shared = data.draw(hnp.array_shapes(min_dims=k, max_dims=k, max_side=3)) if k else ()
    a, b = array(free_a + shared, seed), array(shared + free_b, seed + 1)
    which = data.draw(st.sampled_from(["tensordot", "einsum", "dot", "inner", "outer", "kron"]))
    if which == "tensordot":
        check(lambda x, y: np.tensordot(x, y, k), [a, b], seed)
    elif which == "einsum":
        letters = "abcdefg"
        sa = letters[:len(free_a)] + "xyz"[:k]
        sb = "xyz"[:k] + letters[len(free_a):len(free_a) + len(free_b)]
        check(lambda x, y: np.einsum(f"{sa},{sb}", x, y), [a, b], seed)
    elif which == "dot":
        b_shape = free_b[:-1] + (2,) + free_b[-1:] if free_b else (2,)  # 2 against a's last axis
        check(np.dot, [array(free_a + (2,), seed), array(b_shape, seed + 1)], seed)
    elif which == "inner":
        check(np.inner, [array(free_a + (2,), seed), array(free_b + (2,), seed + 1)], seed)
    else:
        check(getattr(np, which), [a, b], seed)


@few
@given(data=st.data())
def test_numpy_linalg(data):
    """inv, det, slogdet, solve, pinv, cholesky, eigh and svd values, and
    matrix norms, batched over random leading axes."""
    seed = data.draw(st.integers(0, 2 ** 16))
    batch = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=2))
    n = data.draw(st.integers(1, 3))
    which = data.draw(st.sampled_from(["inv", "det", "slogdet", "solve", "pinv", "cholesky",
                                       "eigvalsh", "svd", "norm"]))
    a = array(batch + (n, n), seed) + 3 * np.eye(n)
    if which == "solve":
        b = array(batch + (n, data.draw(st.integers(1, 2))), seed + 1)
        check(np.linalg.solve, [a, b], seed)
    elif which == "pinv":
        m = data.draw(st.integers(1, 3))
        check(np.linalg.pinv, [array(batch + (n, m), seed) + 2 * np.eye(n, m)], seed)
    elif which in ("cholesky", "eigvalsh"):
        f = getattr(np.linalg, which)
        check(lambda t: f(np.tril(t) + np.swapaxes(np.tril(t, -1), -1, -2)),
              [a + np.arange(n) * np.eye(n)], seed)
    elif which == "svd":
        m = data.draw(st.integers(1, 3))
        x = array(batch + (n, m), seed) + 2 * np.eye(n, m) * (1 + np.arange(m))[: min(n, m)].sum()
        check(lambda t: np.linalg.svd(t, compute_uv=False), [x], seed)
    elif which == "norm":
        ord_ = data.draw(st.sampled_from([None, "fro", "nuc", 1, -1, np.inf, -np.inf]))
        rng = np.random.default_rng(seed)  # distinct entries, and no two row or column sums equal
        x = (rng.permutation(n * n) + 1.0 + rng.uniform(0, 0.1, n * n)).reshape(n, n) * 0.3
        check(lambda t: np.linalg.norm(t, ord_), [x], seed)
    elif which == "slogdet":
        check(lambda t: np.linalg.slogdet(t)[1], [a], seed)
    else:
        check(getattr(np.linalg, which), [a], seed)


@few
@given(shape=shapes, data=st.data())
def test_numpy_selection_and_joining(shape, data):
    seed = data.draw(st.integers(0, 2 ** 16))
    x = array(shape, seed)
    which = data.draw(st.sampled_from(["where", "select", "choose", "stack", "atleast",
                                       "append", "clip", "nan_to_num", "kron", "einsum_diagonal"]))
    mask = data.draw(hnp.arrays(bool, shape))
    if which == "where":
        other = data.draw(st.booleans())
        check((lambda t: np.where(mask, t, t * t)) if other else (lambda t: np.where(mask, 1.5, t)),
              [x], seed)
    elif which == "select":
        check(lambda t: np.select([mask, ~mask], [t * 2, t * t], default=0.5), [x], seed)
    elif which == "choose":
        check(lambda t: np.choose(mask.astype(int), [t, np.exp(t)]), [x], seed)
    elif which == "stack":
        f = data.draw(st.sampled_from([np.vstack, np.hstack, np.dstack, np.column_stack,
                                       np.stack, np.concatenate]))
        if f in (np.concatenate, np.column_stack) and not shape:
            f = np.stack  # numpy refuses 0-d arrays there
        if f is np.column_stack and len(shape) > 2:
            f = np.vstack
        check(lambda t: f([t, t * 2]), [x], seed)
    elif which == "atleast":
        f = data.draw(st.sampled_from([np.atleast_1d, np.atleast_2d, np.atleast_3d]))
        check(lambda t: f(t) * 1.0, [x], seed)
    elif which == "append":
        check(lambda t: np.append(t, t * 3), [x], seed)
    elif which == "clip":
        lo = array(shape[-1:], seed + 1)
        if x.shape == lo.shape:  # keep the bound clear of x: a tie is a kink
            lo = np.asarray(lo + np.where(np.abs(lo - x) < 0.05, 0.1, 0))
        check(lambda t, b: np.clip(t, b, 3.0), [x, lo], seed)
    elif which == "nan_to_num":
        bad = np.where(mask, np.inf, 0.0)
        check(lambda t: np.nan_to_num(t + bad.astype(t.dtype), posinf=2.0), [x], seed)
    elif which == "kron":
        check(lambda t: np.kron(t, np.arange(1.0, 3.0, dtype=t.dtype)), [x], seed)
    else:  # repeated letters: a diagonal; a letter summed inside one operand
        n = data.draw(st.integers(1, 3))
        check(lambda t: np.einsum("ii,jk->ij", t, t[:, :1]), [array((n, n), seed)], seed)
