"""numpy's reductions with numpy's keywords (dtype, initial, where, ddof,
weights), written with the Tensor reductions. (`sum` shadows Python's
builtin in this module on purpose: it is numpy's; max and min are named
amax and amin, numpy's other names, so that Python's stay usable here.)"""
import numpy as np

from ..axes import normalize_axes
from .common import as_tensor, cast_for
from .layout import permute
from .sorting import where as select_where

NO = np._NoValue


def kept(keepdims):
    """numpy's keepdims, where `np._NoValue` (passed along by wrappers) means False."""
    return False if keepdims is NO else bool(keepdims)


def _by_numpy(x, initial):
    """An integer or boolean reduction with initial= is numpy's own (its
    casting of initial to the result's dtype, its errors): such a Tensor has
    no gradient to keep."""
    return initial is not NO and x.dtype.kind in "biu"


def _numpy(function, x, axis, keepdims, initial, where, **extra):
    mask = {} if where is NO else {"where": where.data if hasattr(where, "_ctx") else where}
    return as_tensor(np.asarray(function(x.data, axis=axis, keepdims=kept(keepdims),
                                         initial=initial, **mask, **extra)))


def _masked(x, where, fill):
    if where is NO or where is True:
        return x
    mask = where.data if hasattr(where, "_ctx") else np.asarray(where)
    return select_where(mask, x, fill)


def sum(a, axis=None, dtype=None, keepdims=False, initial=NO, where=NO):
    x = as_tensor(a)
    if _by_numpy(x, initial):
        return _numpy(np.sum, x, axis, keepdims, initial, where, dtype=dtype)
    x = _masked(cast_for(x, dtype, "numpy.sum"), where, 0)
    out = x.sum(axis=axis, keepdims=kept(keepdims))
    return out if initial is NO else out + initial


def prod(a, axis=None, dtype=None, keepdims=False, initial=NO, where=NO):
    x = as_tensor(a)
    if _by_numpy(x, initial):
        return _numpy(np.prod, x, axis, keepdims, initial, where, dtype=dtype)
    x = _masked(cast_for(x, dtype, "numpy.prod"), where, 1)
    out = x.prod(axis=axis, keepdims=kept(keepdims))
    return out if initial is NO else out * initial


def mean(a, axis=None, dtype=None, keepdims=False, *, where=NO):
    x = cast_for(as_tensor(a), dtype, "numpy.mean")
    if where is NO or where is True:
        return x.mean(axis=axis, keepdims=kept(keepdims))
    mask = np.broadcast_to(where.data if hasattr(where, "_ctx") else np.asarray(where), x.shape)
    total = _masked(x, mask, 0).sum(axis=axis, keepdims=kept(keepdims))
    return total / mask.sum(axis=axis, keepdims=kept(keepdims)).astype(total.dtype)


def _extreme(name, pick):
    def reduce(a, axis=None, keepdims=False, initial=NO, where=NO):
        x = as_tensor(a)
        if _by_numpy(x, initial):
            return _numpy(getattr(np, name), x, axis, keepdims, initial, where)
        if where is not NO and where is not True:
            if initial is NO:
                raise ValueError(f"reduction operation '{name}' does not have an identity, so to "
                                 "use a where mask one has to specify 'initial'")
            x = _masked(x, where, initial)
        out = getattr(x, name)(axis=axis, keepdims=kept(keepdims))
        return out if initial is NO else pick(out, initial)
    reduce.__name__ = name
    return reduce


def _maximum(a, b):
    from .elementwise import maximum
    return maximum(a, b)


def _minimum(a, b):
    from .elementwise import minimum
    return minimum(a, b)


amax = _extreme("max", _maximum)
amin = _extreme("min", _minimum)


def var(a, axis=None, dtype=None, ddof=0, keepdims=False, *, where=NO, correction=NO):
    deviations, axes, divisor = _deviations(a, axis, dtype, ddof, keepdims, where, correction,
                                            "numpy.var")
    with np.errstate(divide="ignore", invalid="ignore"):
        return (deviations * deviations).sum(axis=axes, keepdims=kept(keepdims)) / divisor


def std(a, axis=None, dtype=None, ddof=0, keepdims=False, *, where=NO, correction=NO):
    """The 2-norm of the deviations over sqrt(n - ddof): at constant values
    its gradient is 0, and so is its second derivative (no nan)."""
    from .norms import VectorNorm
    deviations, axes, divisor = _deviations(a, axis, dtype, ddof, keepdims, where, correction,
                                            "numpy.std")
    with np.errstate(divide="ignore", invalid="ignore"):
        return VectorNorm.apply(deviations, 2, axes, kept(keepdims)) / np.sqrt(divisor)


def _deviations(a, axis, dtype, ddof, keepdims, where, correction, what):
    """For var and std: x minus its mean over `axis` (0 outside `where`), the
    axes, and numpy's divisor max(n - ddof, 0) per result: with ddof >= n the
    variance is inf (nan for 0/0), as numpy's, never negative."""
    if correction is not NO:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    x = cast_for(as_tensor(a), dtype, what)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    axes = normalize_axes(axis, x.ndim)
    if where is NO or where is True:
        n = np.asarray(int(np.prod([x.shape[i] for i in axes], dtype=np.int64)))
        with np.errstate(invalid="ignore"):
            deviations = x - x.mean(axis=axes, keepdims=True)
    else:
        mask = np.broadcast_to(where.data if hasattr(where, "_ctx") else np.asarray(where), x.shape)
        n = mask.sum(axis=axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = _masked(x, mask, 0).sum(axis=axes, keepdims=True) / n.astype(x.dtype)
        deviations = _masked(x - mean, mask, 0)
        n = n if kept(keepdims) else n.reshape([k for i, k in enumerate(n.shape) if i not in axes])
    return deviations, axes, np.maximum(n - ddof, 0).astype(x.dtype)


def nansum(a, axis=None, dtype=None, keepdims=False, initial=NO, where=NO):
    x = cast_for(as_tensor(a), dtype, "numpy.nansum")
    x = select_where(np.isnan(x.data), 0, x) if x.dtype.kind == "f" else x
    return sum(x, axis, None, keepdims, initial, where)


def nanmean(a, axis=None, dtype=None, keepdims=False, *, where=NO):
    x = cast_for(as_tensor(a), dtype, "numpy.nanmean")
    present = ~np.isnan(x.data)
    if where is not NO and where is not True:
        present = present & np.asarray(where.data if hasattr(where, "_ctx") else where)
    total = select_where(present, x, 0).sum(axis=axis, keepdims=kept(keepdims))
    with np.errstate(divide="ignore", invalid="ignore"):
        return total / present.sum(axis=axis, keepdims=kept(keepdims)).astype(total.dtype)


def ptp(a, axis=None, keepdims=False):
    x = as_tensor(a)
    return x.max(axis=axis, keepdims=kept(keepdims)) - x.min(axis=axis, keepdims=kept(keepdims))


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    x = as_tensor(a)
    keepdims = kept(keepdims)
    if weights is None:
        avg = x.mean(axis=axis, keepdims=keepdims)
        scale = np.full(avg.shape, x.size // avg.size if avg.size else 0, dtype=avg.dtype)
        return (avg, scale) if returned else avg
    w = as_tensor(weights)
    if w.shape != x.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
        axes = tuple(int(i) % x.ndim for i in axes)
        if w.shape != tuple(x.shape[i] for i in axes):
            raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
        order = np.argsort(axes)
        w = permute(w, order)
        w = w.reshape(tuple(x.shape[i] if i in axes else 1 for i in range(x.ndim)))
    total = w.broadcast_to(x.shape).sum(axis=axis, keepdims=keepdims)
    if (total.data == 0).any():
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    avg = (x * w).sum(axis=axis, keepdims=keepdims) / total
    if returned:
        return avg, total.broadcast_to(avg.shape) if total.shape != avg.shape else total
    return avg
