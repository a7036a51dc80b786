"""numpy's functions that are one step from an existing rule (clip, sinc,
nan_to_num, linspace, real/imag for real numbers, ...), and ufunc methods
(reduce, accumulate, outer) as reductions, scans and broadcasting."""
import inspect
import operator

import numpy as np

from ..engine import is_grad_enabled
from ..numpy_dispatch import refuse
from .common import as_tensor, is_tensor
from .unary import NanToNum, Positive, Sinc

NO = np._NoValue


def _needs_grad(*xs):
    return any(is_tensor(x) and x.requires_grad for x in xs)


def float_power(a, b):
    from .elementwise import Pow
    a, b = as_tensor(a), as_tensor(b)
    wide = np.result_type(a.dtype, b.dtype, np.float64)
    return Pow.apply(a.astype(wide), b.astype(wide))


def clip(a, a_min=NO, a_max=NO, *, min=NO, max=NO):
    from .elementwise import maximum, minimum
    for old, new, name in ((a_min, min, "min"), (a_max, max, "max")):
        if old is not NO and new is not NO:
            raise ValueError(f"clip: pass a_{name} or {name}, not both")
    lo = None if a_min is NO and min is NO else (min if a_min is NO else a_min)
    hi = None if a_max is NO and max is NO else (max if a_max is NO else a_max)
    x = as_tensor(a)
    if _needs_grad(lo, hi):  # bounds that require grad get their share, as in maximum/minimum
        y = x if lo is None else maximum(x, lo)
        return y if hi is None else minimum(y, hi)
    if lo is None and hi is None:  # numpy's answer: the values as they are
        return copy(x)
    plain = [b.data if is_tensor(b) else b for b in (lo, hi)]
    return x.clip(*plain)


def sinc(x):
    return Sinc.apply(as_tensor(x))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not copy:
        refuse("numpy.nan_to_num", "copy", False, "it would change the Tensor in place; "
                "assign the result instead (x = np.nan_to_num(x))")
    t = as_tensor(x)
    if t.dtype.kind != "f":
        return as_tensor(t.data.copy())
    return NanToNum.apply(t, nan, posinf, neginf)


def real(val):
    return as_tensor(val)  # real numbers are their own real part


def real_if_close(a, tol=100):
    return as_tensor(a)


def copy(a, order="K", subok=False):
    t = as_tensor(a)
    return Positive.apply(t) if t.dtype.kind == "f" else as_tensor(t.data.copy(order=order))


def matrix_transpose(x, /):
    t = as_tensor(x)
    if t.ndim < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, but it is {t.ndim}")
    return t.swapaxes(-1, -2)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    t = as_tensor(a)
    if _needs_grad(fill_value):  # the fill carries its gradient
        return fill_value.astype(dtype or t.dtype).broadcast_to(
            tuple(shape) if shape is not None else t.shape) * 1
    fill = fill_value.data if is_tensor(fill_value) else fill_value
    return as_tensor(np.full_like(t.data, fill, dtype=dtype, order=order, shape=shape))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """numpy's linspace, differentiable in start and stop."""
    from .layout import moveaxis
    from .sorting import where
    if device not in (None, "cpu"):
        refuse("numpy.linspace", "device", device)
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    s, e = as_tensor(start), as_tensor(stop)
    kind = np.result_type(s.data, e.data, float(num))
    s, e = s.astype(kind), e.astype(kind)
    shape = np.broadcast_shapes(s.shape, e.shape)
    div = num - 1 if endpoint else num
    steps = np.arange(num, dtype=kind).reshape((-1,) + (1,) * len(shape))
    delta = e - s
    step = delta / div if div > 0 else float("nan")
    y = s + steps * (step if div > 0 else delta)
    if endpoint and num > 1:  # the last sample is stop itself, as in numpy
        y = where((np.arange(num) == num - 1).reshape(steps.shape), e.broadcast_to(shape), y)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None:
        y = (np.floor(y) if np.dtype(dtype).kind in "iu" else y).astype(dtype)
    return (y, step) if retstep else y


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    from .scans import cumsum
    return _cumulative(cumsum, 0, x, axis, dtype, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    from .scans import cumprod
    return _cumulative(cumprod, 1, x, axis, dtype, include_initial)


def _cumulative(scan, initial, x, axis, dtype, include_initial):
    from .joining import concatenate
    t = as_tensor(x)
    if axis is None:
        if t.ndim > 1:
            raise ValueError("axis must be specified for multi-dimensional arrays.")
        axis = 0
    out = scan(t, axis, dtype)
    if include_initial:
        shape = list(out.shape)
        shape[axis] = 1
        out = concatenate([np.full(shape, initial, dtype=out.dtype), out], axis=axis)
    return out


def ufunc_method(ufunc, method, inputs, kwargs, reduce, accumulate):
    """ufunc.reduce as the matching reduction, ufunc.accumulate as the scan."""
    from ..numpy_dispatch import (gradless_dtype, numbers_result, plain, qualified_name,
                                  refuse_ufunc_out)
    name = f"{qualified_name(ufunc)}.{method}"
    kwargs = dict(kwargs)
    refuse_ufunc_out(name, kwargs)
    kwargs.pop("out", None)
    if gradless_dtype(name, kwargs.get("dtype"), inputs):  # numpy's own answer, on the numbers
        return numbers_result(getattr(ufunc, method)(*plain(inputs), **plain(kwargs)))
    x, = inputs
    axis = kwargs.pop("axis", 0)
    function = reduce[ufunc] if method == "reduce" else accumulate[ufunc]
    accepted = inspect.signature(function).parameters
    for key, value in kwargs.items():
        if key not in accepted:
            refuse(name, key, value)
    return function(x, axis=axis, **kwargs)


def ufunc_outer(ufunc, rule, inputs, kwargs):
    """ufunc.outer(a, b): a's axes, then b's, every pair combined."""
    from ..numpy_dispatch import qualified_name
    for key, value in kwargs.items():
        if not (key == "out" and value in (None, (None,))):
            refuse(f"{qualified_name(ufunc)}.outer", key, value)
    a, b = (as_tensor(x) for x in inputs)
    return rule(a.reshape(a.shape + (1,) * b.ndim), b)
