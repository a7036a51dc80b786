"""numpy's calling conventions on Tensors: arrays made from Tensors (refused
when a gradient would be lost), keywords (honoured or refused by name),
results without a gradient, and the Tensor methods where numpy's and
PyTorch's spellings meet."""
import inspect
import re

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor
from autograd_core import numpy_api


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


# -- arrays made from Tensors ---------------------------------------------------------

CONTAINERS = {
    "np.array": lambda x: np.array([x, x]),
    "np.asarray": lambda x: np.asarray(x),
    "np.r_": lambda x: np.r_[x, x],
    "np.c_": lambda x: np.c_[x, x],
    "list to np.mean": lambda x: np.mean([x, x * 2]),
    "list to np.sum": lambda x: np.sum([x, x]),
    "Tensor of a list": lambda x: Tensor([x, x]),
    "array assignment": lambda x: np.zeros(3).__setitem__(slice(None), x),
}


@pytest.mark.parametrize("route", sorted(CONTAINERS))
def test_making_an_array_of_a_tensor_that_requires_grad_raises(route):
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="its gradient would be lost"):
        CONTAINERS[route](x)


def test_the_gradient_through_a_numpy_container_is_not_lost():
    x = leaf(3.0)
    with pytest.raises(RuntimeError, match="np.stack"):
        x * np.array([x, x]).sum()  # d/dx would silently be 6, not 12
    (x * np.stack([x, x]).sum()).backward()
    assert x.grad.item() == 12.0
    y = leaf(1.0)
    np.mean(np.stack([x, y])).backward()
    assert y.grad.item() == 0.5


def test_the_explicit_routes_to_an_array():
    x = leaf([1.0, 2.0])
    for array in (x.numpy(), x.detach().numpy(), np.asarray(x.detach()), x.data):
        np.testing.assert_array_equal(array, [1.0, 2.0])
    with ag.no_grad():  # no graph is recorded, so nothing is lost
        np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(Tensor([1.0, 2.0])), [1.0, 2.0])  # no grad needed
    assert np.asarray(x.detach(), dtype=np.float32).dtype == np.float32
    assert not np.shares_memory(np.array(x.detach(), copy=True), x.data)


def test_a_backward_that_leaves_the_graph_through_asarray_fails_loudly():
    class Opaque(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return np.sin(x)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * np.cos(np.asarray(x))

    x = leaf([0.3])
    y = Opaque.apply(x).sum()
    with pytest.raises(RuntimeError, match="gradient would be lost"):
        ag.grad(y, [x], create_graph=True)


def test_plot_history_takes_loss_tensors():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    from nn import viz
    x = leaf([1.0, 2.0])
    losses = [(x * x).sum(), (x * 3).sum()]
    fig = viz.plot_history(losses)
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), [5.0, 9.0])


# -- keywords ---------------------------------------------------------------------------

def test_ufunc_out_and_where_are_refused_by_name():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    with pytest.raises(TypeError, match=r"out=.*assign the result"):
        np.add(a, b, out=np.empty(2))
    with pytest.raises(TypeError, match=r"where=.*uninitialized"):
        np.add(a, b, where=np.array([True, False]))
    with pytest.raises(TypeError, match="where="):
        np.less(a, b, where=np.array([True, False]))
    with pytest.raises(TypeError, match="subok="):
        np.exp(a, subok=False)
    assert np.add(a, b, where=True).shape == (2,)  # the default is no mask at all


def test_ufunc_dtype_decides_the_computation():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = np.multiply(a, b, dtype=np.float32)
    assert c.dtype == np.float32
    c.sum().backward()
    assert a.grad.dtype == np.float64 and np.array_equal(a.grad.data, [3.0, 4.0])
    f = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    assert np.exp(f, dtype=np.float64).dtype == np.float64
    assert np.exp(f, signature=(np.float64, np.float64)).dtype == np.float64
    with pytest.raises(TypeError):  # numpy's own refusal: float64 to float32 is not 'safe'
        np.add(a, b, dtype=np.float32, casting="safe")
    with pytest.raises(TypeError, match="cannot carry a gradient"):
        np.add(a, b, dtype=np.int64, casting="unsafe")
    ints = np.add(Tensor([1.5, 2.5]), 1, dtype=np.int64, casting="unsafe")
    assert ints.dtype == np.int64 and not ints.requires_grad
    assert np.add(a, b, order="F").shape == (2,)  # memory layout only


def test_ufunc_methods():
    x = leaf(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(np.add.reduce(x).data, [3.0, 5.0, 7.0])  # axis=0, as numpy
    np.testing.assert_array_equal(np.add.reduce(x, axis=1, keepdims=True).data, [[3.0], [12.0]])
    assert np.multiply.reduce(x, axis=None).item() == 0.0
    assert np.maximum.reduce(x, axis=1).data.tolist() == [2.0, 5.0]
    np.testing.assert_array_equal(np.add.accumulate(x).data, np.add.accumulate(x.data))
    np.testing.assert_array_equal(np.multiply.accumulate(x, axis=1).data,
                                  np.multiply.accumulate(x.data, axis=1))
    outer = np.multiply.outer(x[0], x[1])
    np.testing.assert_array_equal(outer.data, np.multiply.outer(x.data[0], x.data[1]))
    (np.add.reduce(x, axis=1).sum() + outer.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[1 + 12, 1 + 12, 1 + 12], [1 + 3, 1 + 3, 1 + 3]])
    with pytest.raises(TypeError, match="numpy.add.reduceat has no gradient rule"):
        np.add.reduceat(x, [0, 1])
    with pytest.raises(TypeError, match="out="):
        np.add.reduce(x, out=np.empty(3))


def test_keyword_and_positional_spellings_agree():
    x = leaf(np.arange(12.0).reshape(3, 4) / 7)
    same = [
        (np.clip(x, 0.2, 1.0), np.clip(x, a_min=0.2, a_max=1.0), np.clip(x, min=0.2, max=1.0),
         x.clip(0.2, 1.0), x.clip(min=0.2, max=1.0)),
        (np.clip(x, None, None), x * 1),  # numpy's: no bound, the values as they are
        (np.swapaxes(x, 0, 1), np.swapaxes(x, axis1=0, axis2=1)),
        (np.sum(x, 0, None, None, True), np.sum(x, axis=0, keepdims=True)),
        (np.var(x, 1, None, None, 1), np.var(x, axis=1, ddof=1), np.var(x, axis=1, correction=1)),
        (np.linalg.norm(x, 2, 0, True), np.linalg.norm(x, ord=2, axis=0, keepdims=True)),
        (np.tensordot(x, x, 2), np.tensordot(x, x, axes=2)),
        (np.concatenate([x, x], 1), np.concatenate((x, x), axis=1)),
        (np.repeat(x, 2, 1), np.repeat(x, repeats=2, axis=1)),
        (np.take(x, [0, 2], 1), np.take(x, indices=[0, 2], axis=1)),
        (np.cumsum(x, 1), np.cumsum(x, axis=1)),
        (np.roll(x, 1, 0), np.roll(x, shift=1, axis=0)),
        (np.pad(x, 1, "edge"), np.pad(x, pad_width=1, mode="edge")),
        (np.diff(x, 1, 0), np.diff(x, n=1, axis=0)),
        (np.where(x.data > 0.5, x, 0.0), np.where(x > 0.5, x, 0.0)),
    ]
    for group in same:
        for other in group[1:]:
            np.testing.assert_array_equal(group[0].data, other.data)
            assert other.requires_grad


def test_reduction_keywords_are_honoured():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    mask = np.array([[True, False, True], [False, True, True]])
    assert np.sum(x, where=mask).item() == 15.0
    assert np.sum(x, initial=10.0).item() == 31.0
    assert np.prod(x, axis=1, where=mask).data.tolist() == [3.0, 30.0]
    assert np.mean(x, where=mask).item() == 15.0 / 4
    assert np.max(x, where=mask, initial=-1.0).item() == 6.0
    assert np.min(x, axis=1, initial=2.5).data.tolist() == [1.0, 2.5]
    assert np.sum(x, dtype=np.float32).dtype == np.float32
    assert np.cumsum(x, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="identity"):
        np.max(x, where=mask)  # numpy's own rule: a mask needs initial=
    np.sum(x, where=mask).backward()
    np.testing.assert_array_equal(x.grad.data, mask.astype(float))


@pytest.mark.parametrize("call, keyword", [
    (lambda x: np.sum(x, out=np.empty(())), "out"),
    (lambda x: np.var(x, mean=np.zeros(())), "mean"),
    (lambda x: np.sort(x, order="f"), "order"),
    (lambda x: np.einsum("i->i", x, out=np.empty(3)), "out"),
    (lambda x: np.cumsum(x, out=np.empty(3)), "out"),
    (lambda x: np.nan_to_num(x, copy=False), "copy"),
    (lambda x: np.pad(x, 1, mode="constant", stat_length=2), "stat_length"),
    (lambda x: np.linspace(x[0], x[1], 3, device="gpu"), "device"),
    (lambda x: np.lib.stride_tricks.sliding_window_view(x, 2, writeable=True), "writeable"),
])
def test_unsupported_keywords_are_refused_by_name(call, keyword):
    with pytest.raises((TypeError, ValueError), match=keyword):
        call(leaf([1.0, 2.0, 3.0]))


def test_a_keyword_numpy_does_not_know_is_numpys_error():
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'foo'"):
        np.sum(leaf([1.0]), foo=1)


def test_every_rule_takes_numpys_parameter_names():
    for func, rule in numpy_api.FUNCTIONS.items():
        theirs = inspect.signature(func).parameters
        open_ended = any(p.kind is p.VAR_KEYWORD for p in theirs.values())  # einsum's **kwargs
        ours = inspect.signature(rule.impl).parameters
        for name, p in ours.items():
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                assert name in theirs or open_ended, f"{rule.name}: {name} is not numpy's"


def test_put_along_axis_writes_in_place_only_where_no_gradient_is_lost():
    t = Tensor(np.zeros((2, 3)))
    assert np.put_along_axis(t, np.array([[1], [2]]), 5.0, axis=1) is None
    np.testing.assert_array_equal(t.data, [[0, 5, 0], [0, 0, 5]])
    x = leaf(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="ag.put_along_axis"):
        np.put_along_axis(x, np.array([[1], [2]]), 5.0, axis=1)
    y = ag.put_along_axis(x, np.array([[1], [2]]), 5.0, axis=1)
    np.testing.assert_array_equal(y.data, t.data)
    assert not x.data.any()


def test_linspace_is_differentiable_in_its_ends():
    a, b = leaf(1.0), leaf(3.0)
    y = np.linspace(a, b, 5)
    np.testing.assert_allclose(y.data, np.linspace(1.0, 3.0, 5))
    (y * np.arange(5.0)).sum().backward()
    np.testing.assert_allclose([a.grad.item(), b.grad.item()],
                               [np.dot(np.linspace(1, 0, 5), np.arange(5.0)),
                                np.dot(np.linspace(0, 1, 5), np.arange(5.0))])
    ys, step = np.linspace(a, b, 4, endpoint=False, retstep=True)
    np.testing.assert_allclose(ys.data, np.linspace(1.0, 3.0, 4, endpoint=False))
    assert step.item() == 0.5
    assert ag.linspace(0, 1, 3).dtype == np.float32 and ag.linspace(0, 1, 3).shape == (3,)


# -- results without a gradient -----------------------------------------------------------

NO_GRADIENT = {
    "zeros_like": lambda x: np.zeros_like(x),
    "ones_like": lambda x: np.ones_like(x),
    "full_like": lambda x: np.full_like(x, 2.0),
    "empty_like": lambda x: np.empty_like(x),
    "argsort": lambda x: np.argsort(x),
    "argpartition": lambda x: np.argpartition(x, 1),
    "argmax": lambda x: np.argmax(x, axis=0),
    "flatnonzero": lambda x: np.flatnonzero(x),
    "searchsorted": lambda x: np.searchsorted(np.sort(x.data), x),
    "sign": lambda x: np.sign(x),
    "floor": lambda x: np.floor(x),
    "ceil": lambda x: np.ceil(x),
    "round": lambda x: np.round(x, 1),
    "around": lambda x: np.around(x),
    "rint": lambda x: np.rint(x),
    "trunc": lambda x: np.trunc(x),
    "isnan": lambda x: np.isnan(x),
    "isinf": lambda x: np.isinf(x),
    "isfinite": lambda x: np.isfinite(x),
    "less": lambda x: np.less(x, 0.5),
    "greater_equal": lambda x: x >= 0.5,
    "floor_divide": lambda x: x // 0.5,
    "isclose": lambda x: np.isclose(x, 0.5),
}


@pytest.mark.parametrize("name", sorted(NO_GRADIENT))
def test_results_without_a_gradient(name):
    x = leaf([0.25, -1.5, 2.0])
    out = NO_GRADIENT[name](x)
    expected = NO_GRADIENT[name](x.detach().numpy())
    if isinstance(expected, np.generic):  # numpy gives a scalar: so do we
        assert out == expected and isinstance(out, np.generic)
        return
    assert isinstance(out, Tensor) and not out.requires_grad
    if name != "empty_like":
        np.testing.assert_array_equal(out.data, expected)
    assert out.shape == np.shape(expected) and out.dtype == np.asarray(expected).dtype


def test_facts_and_indices_come_as_numpy_gives_them():
    x = leaf([[0.0, 1.0], [2.0, 0.0]])
    assert np.shape(x) == (2, 2) and np.ndim(x) == 2 and np.size(x) == 4
    assert np.allclose(x, x.data) is True
    rows, cols = np.nonzero(x)
    assert rows.data.tolist() == [0, 1] and cols.data.tolist() == [1, 0]
    picked = x[np.nonzero(x)]
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 1], [1, 0]])
    assert np.where(x > 0)[0].data.tolist() == [0, 1]


def test_a_piecewise_constant_factor_in_a_loss():
    x = leaf([0.5, -2.0])
    (x * np.sign(x)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, -1.0])


def test_complex_numbers_stay_out():
    x = leaf([1.0, 2.0])
    with pytest.raises(TypeError, match="numbers or booleans"):
        Tensor(np.array([1j]))
    with pytest.raises(TypeError, match="Tensor holds real numbers"):
        np.add(x, 1j)
    with pytest.raises(TypeError, match="Tensor holds real numbers"):
        np.einsum("i,i->i", x, np.array([1j, 2j]))


# -- errors -------------------------------------------------------------------------------

def test_missing_rules_name_the_real_function_and_only_methods_that_exist():
    import scipy.special as sp
    x = leaf([0.5, 0.25])
    with pytest.raises(TypeError, match=r"^scipy\.special\.i0 has no gradient rule"):
        sp.i0(x)
    for name in dir(np):
        ufunc = getattr(np, name)
        if not isinstance(ufunc, np.ufunc) or ufunc.nin != 1 or ufunc in numpy_api.UFUNCS \
                or ufunc in numpy_api.NO_GRADIENT_UFUNCS:
            continue
        try:
            ufunc(x)
        except TypeError as e:
            message = str(e)
        else:
            continue
        if "has no gradient rule" not in message:
            continue  # numpy's own refusal of float input (bitwise ops and the like)
        assert message.startswith(f"numpy.{ufunc.__name__} has no gradient rule"), message
        if "Tensor method" in message:
            assert callable(getattr(Tensor, ufunc.__name__, None)), message


def test_a_function_without_a_rule_names_the_closest_supported_way():
    x = leaf([1.0, np.nan])
    with pytest.raises(TypeError, match=r"numpy.nanmax has no gradient rule.*np.max\(np.where"):
        np.nanmax(x)
    assert np.nanmax(x.detach()) == 1.0  # without a gradient: numpy's answer


def _numpy_quietly(f, *args, **kwargs):
    with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore", RuntimeWarning)
        return f(*args, **kwargs)


@pytest.mark.parametrize("f", [np.var, np.std])
@pytest.mark.parametrize("data, kwargs", [
    ([1.0, 2.0], {"ddof": 3}),  # n - ddof < 0: inf (PyTorch's too), never a negative variance
    ([1.0, 2.0], {"ddof": 2}),  # n - ddof = 0: inf
    ([1.0, 1.0], {"ddof": 2}),  # 0 / 0: nan
    ([[1.0, 2.0, 4.0], [3.0, 3.0, 5.0]], {"axis": 0, "ddof": 2}),
    ([[1.0, 2.0, 4.0], [3.0, 3.0, 5.0]], {"axis": 1, "ddof": 3, "keepdims": True}),
    (np.zeros((0, 3)), {"axis": 0}),  # no values: nan
    ([1.0, 2.0], {"correction": 5}),
])
def test_var_and_std_with_ddof_at_least_n_give_numpys_answer(f, data, kwargs):
    data = np.asarray(data)
    ours = f(leaf(data), **kwargs)
    expected = _numpy_quietly(f, data, **kwargs)
    assert ours.shape == np.shape(expected)
    np.testing.assert_array_equal(ours.data, expected)


MASK = np.array([[True, False, True, True], [False, False, False, False], [True, True, False, True]])


@pytest.mark.parametrize("f", [np.var, np.std])
@pytest.mark.parametrize("kwargs", [{}, {"ddof": 1}, {"axis": 1}, {"axis": 0, "ddof": 1},
                                    {"axis": 1, "keepdims": True}, {"axis": (0, 1), "ddof": 2},
                                    {"axis": 1, "ddof": 3}])
def test_var_and_std_honour_where(f, kwargs, torch, rng):
    data = rng.standard_normal((3, 4))
    x = leaf(data)
    ours = f(x, where=MASK, **kwargs)
    expected = _numpy_quietly(f, data, where=MASK, **kwargs)
    assert ours.shape == np.shape(expected)
    np.testing.assert_allclose(ours.data, expected, rtol=1e-12, equal_nan=True)
    ddof = kwargs.get("ddof", 0)
    if ddof > 1:
        return  # (the rows of 3 selected values are inf: no derivatives to check)
    assert ag.gradcheck(lambda t: f(t, where=MASK[2], axis=1, ddof=ddof), (leaf(data),))
    assert ag.gradgradcheck(lambda t: f(t, where=MASK[0], axis=1, ddof=ddof), (leaf(data),))
    # the gradient is PyTorch's for the selected values (0 elsewhere)
    if "axis" not in kwargs:
        t = torch.tensor(data, requires_grad=True)
        getattr(t[torch.tensor(MASK)], f.__name__)(correction=ddof).backward()
        f(x, where=MASK, ddof=ddof).backward()
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)


def test_every_reduction_that_takes_where_honours_it():
    """README: reductions honour where= (numpy's: the masked-out entries take no part)."""
    from autograd_core.numpy_api import FUNCTIONS
    data = np.arange(12.0).reshape(3, 4) / 5 + 0.5
    mask = MASK | np.array([True, False, False, False])  # every row and column has a value
    takes_where = [f for f, rule in FUNCTIONS.items() if "where" in rule.signature.parameters]
    assert {np.sum, np.mean, np.var, np.std, np.max} <= set(takes_where)
    for f in takes_where:
        extra = {"initial": 0.0} if f in (np.max, np.amax, np.min, np.amin) else {}
        for axis in (None, 0, 1):
            ours = f(leaf(data), axis=axis, where=mask, **extra)
            np.testing.assert_allclose(ours.data, f(data, axis=axis, where=mask, **extra),
                                       rtol=1e-12, err_msg=f.__name__)


GRADLESS_DTYPE_CALLS = {
    "numpy.sum": lambda t: np.sum(t, dtype=int),
    "numpy.sum ": lambda t: np.sum(t, 0, np.int32),  # dtype given positionally
    "numpy.sum  ": lambda t: np.sum(t, dtype=int, where=Tensor([True, False, True, True])),
    "numpy.prod": lambda t: np.prod(t, dtype=bool),
    "numpy.mean": lambda t: np.mean(t, dtype=np.int64),
    "numpy.var": lambda t: np.var(t, dtype=np.int64),
    "numpy.std": lambda t: np.std(t, dtype=np.int64),
    "numpy.nansum": lambda t: np.nansum(t, dtype=int),
    "numpy.nanmean": lambda t: np.nanmean(t, dtype=int),
    "numpy.cumsum": lambda t: np.cumsum(t, dtype=int),
    "numpy.cumsum ": lambda t: t.cumsum(dtype=int),
    "numpy.cumprod": lambda t: np.cumprod(t, dtype=int),
    "numpy.cumulative_sum": lambda t: np.cumulative_sum(t, dtype=int),
    "numpy.cumulative_prod": lambda t: np.cumulative_prod(t, dtype=int),
    "numpy.trace": lambda t: np.trace(t.reshape(2, 2), dtype=int),
    "numpy.concatenate": lambda t: np.concatenate([t, t], dtype=int),
    "numpy.stack": lambda t: np.stack([t, t], dtype=int),
    "numpy.vstack": lambda t: np.vstack([t, t], dtype=int),
    "numpy.hstack": lambda t: np.hstack([t, t], dtype=int),
    "numpy.einsum": lambda t: np.einsum("i->", t, dtype=int),
    "numpy.linspace": lambda t: np.linspace(t[0], t[1], 3, dtype=int),
    "numpy.full_like": lambda t: np.full_like(t, t[0], dtype=int),
    "numpy.add.reduce": lambda t: np.add.reduce(t, dtype=int),
    "numpy.multiply.accumulate": lambda t: np.multiply.accumulate(t, dtype=int),
    "numpy.add": lambda t: np.add(t, 1, dtype=int),  # (numpy's casting rule would refuse first)
    "numpy.add ": lambda t: np.add(t, 1, dtype=int, casting="unsafe"),
    "numpy.multiply": lambda t: np.multiply(t, 2, signature=(None, None, np.int64)),
}


@pytest.mark.parametrize("name", GRADLESS_DTYPE_CALLS)
def test_an_integer_dtype_gives_numpys_answer_or_is_refused_where_grad_would_be_lost(name):
    """With a gradient at stake the result, which could carry none, is refused
    (as PyTorch's 'Autograd not support dtype: Long'), not a result that
    quietly drops it; without, it is numpy's own (its value or its error)."""
    call = GRADLESS_DTYPE_CALLS[name]
    x = leaf([1.5, 2.5, 3.5, 4.5])
    with pytest.raises(TypeError, match=f"^{name.strip()}: dtype .* cannot carry a gradient.*"
                                        r"t.detach\(\)"):
        call(x)
    try:
        expected = _numpy_quietly(call, x.data)
    except TypeError as e:  # numpy's casting rules, for instance
        expected = e
    for no_gradient_wanted in (lambda: call(x.detach()), lambda: _under_no_grad(call, x)):
        if isinstance(expected, Exception):
            with pytest.raises(type(expected), match=re.escape(str(expected))):
                no_gradient_wanted()
            continue
        result = no_gradient_wanted()
        assert not result.requires_grad and result.dtype == expected.dtype
        np.testing.assert_array_equal(result.data, expected)


def _under_no_grad(call, x):
    with ag.no_grad():
        return call(x)


def test_a_floating_dtype_keeps_the_gradient():
    x = leaf([1.5, 2.5])
    y = np.sum(x, dtype=np.float32)
    assert y.dtype == np.float32 and y.requires_grad
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])
    assert np.full_like(x, 3, dtype=int).data.tolist() == [3, 3]  # no gradient to carry from 3


DIAGONAL = np.eye(3, dtype=bool)
IN_PLACE = {  # numpy's functions that write into their first argument, and a fix they name
    "numpy.copyto": (lambda a: np.copyto(a, np.full((3, 3), 2.0)), r"dst.copy_\(new\)"),
    "numpy.copyto ": (lambda a: np.copyto(a, 7.0, where=DIAGONAL), r"np.where\(where, src, dst\)"),
    "numpy.put": (lambda a: np.put(a, [0, 4], [5.0, 6.0]), r"ag.put_along_axis"),
    "numpy.place": (lambda a: np.place(a, DIAGONAL, [2.0, 3.0]), r"np.where\(mask, vals, arr\)"),
    "numpy.putmask": (lambda a: np.putmask(a, DIAGONAL, 2.0), r"np.where\(mask, values, a\)"),
    "numpy.fill_diagonal": (lambda a: np.fill_diagonal(a, 0.0), r"np.where\(np.eye"),
    "numpy.put_along_axis": (lambda a: np.put_along_axis(a, np.zeros((1, 3), int), 5.0, axis=0),
                             r"ag.put_along_axis\(arr, indices, values, axis\)"),
    "numpy.add.at": (lambda a: np.add.at(a, [0, 0], 1.0), r"np.eye\(len\(a\)\)\[indices\].T @ b"),
    "numpy.multiply.at": (lambda a: np.multiply.at(a, [1], 3.0), r"ag.put_along_axis\(a, "),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_numpy_in_place_functions_update_parameters_under_no_grad_as_copy_does(name):
    call, _ = IN_PLACE[name]
    start = np.arange(9.0).reshape(3, 3)
    expected = start.copy()
    assert call(expected) is None
    p = leaf(start)
    with ag.no_grad():
        assert call(p) is None  # (used to say "no gradient rule ... write an autograd_core.Function")
    np.testing.assert_array_equal(p.data, expected)
    assert p.requires_grad and p.is_leaf
    t = Tensor(start)  # no gradient at stake: numpy's, with grad mode on too
    call(t)
    np.testing.assert_array_equal(t.data, expected)


@pytest.mark.parametrize("name", IN_PLACE)
def test_numpy_in_place_functions_are_refused_with_the_fix_where_backward_would_be_wrong(name):
    call, fix = IN_PLACE[name]
    p = leaf(np.arange(9.0).reshape(3, 3))
    with pytest.raises(TypeError, match=rf"^{name.strip()} writes into its argument '\w+' in "
                                        "place") as info:
        call(p)
    assert "under `with no_grad():`" in str(info.value) and re.search(fix, str(info.value))
    np.testing.assert_array_equal(p.data, np.arange(9.0).reshape(3, 3))  # unchanged


def test_numpy_in_place_functions_leave_a_graph_its_saved_values():
    w, x = leaf([1.0, 1.0, 1.0]), Tensor([1.0, 2.0, 3.0])
    loss = (w * x).sum()  # Mul saved x's array
    np.copyto(x, np.zeros(3))  # x takes a new array (as x.copy_ would), the graph keeps its own
    np.testing.assert_array_equal(x.data, [0.0, 0.0, 0.0])
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 2.0, 3.0])


def test_numpy_in_place_into_an_array_from_a_tensor_that_requires_grad_is_refused():
    dst = np.zeros(3)
    with pytest.raises(TypeError, match=r"numpy array 'dst' the values of a Tensor that requires "
                                        r"grad, which would lose their gradient: pass t.detach"):
        np.copyto(dst, leaf([1.0, 2.0, 3.0]))
    assert not dst.any()
    with ag.no_grad():
        np.copyto(dst, leaf([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(dst, [1.0, 2.0, 3.0])


def test_a_function_without_a_rule_computes_on_the_numbers_under_no_grad():
    x = leaf([3.0, 1.0, 2.0])
    with pytest.raises(TypeError, match="numpy.median has no gradient rule"):
        np.median(x)
    with ag.no_grad():  # no gradient wanted: numpy's answer, not "no gradient rule"
        assert np.median(x) == 2.0
        np.testing.assert_array_equal(np.heaviside(x, 0.5), [1.0, 1.0, 1.0])
