"""Joining arrays and splitting them, numpy's way: everything is cat (a
Function) after reshapes, or slicing."""
import numpy as np

from . import shape as _shape
from .common import as_tensor, cast_for
from .layout import atleast_1d, atleast_2d, atleast_3d, axis_index


def _joined(arrays, dtype, casting):
    tensors = [as_tensor(a) for a in arrays]
    if not tensors:
        raise ValueError("need at least one array to concatenate")
    # casting= is checked against dtype=, or else against the joined dtype, which follows
    # the dtype rule (integers never promote a float: float32 with int64 is float32)
    floats = [t.dtype for t in tensors if t.dtype.kind == "f"]
    target = np.dtype(dtype) if dtype is not None else \
        np.result_type(*(floats or [t.dtype for t in tensors]))
    for t in tensors:
        if not np.can_cast(t.dtype, target, casting):
            raise TypeError(f"Cannot cast array data from dtype('{t.dtype}') to "
                            f"dtype('{target}') according to the rule {casting!r}")
    if dtype is not None:
        tensors = [cast_for(t, dtype, "numpy.concatenate") for t in tensors]
    return tensors


def concatenate(arrays, axis=0, *, dtype=None, casting="same_kind"):
    tensors = _joined(arrays, dtype, casting)
    if axis is None:
        tensors, axis = [t.reshape(-1) for t in tensors], 0
    if tensors[0].ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return _shape.cat(tensors, axis=axis)


def stack(arrays, axis=0, *, dtype=None, casting="same_kind"):
    return _shape.stack(_joined(arrays, dtype, casting), axis=axis)


def append(arr, values, axis=None):
    a, v = as_tensor(arr), as_tensor(values)
    if axis is None:
        return _shape.cat([a.reshape(-1), v.reshape(-1)], axis=0)
    return _shape.cat([a, v], axis=axis)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return concatenate([atleast_2d(t) for t in _joined(tup, dtype, casting)], axis=0)


def row_stack(tup, *, dtype=None, casting="same_kind"):
    return vstack(tup, dtype=dtype, casting=casting)


def hstack(tup, *, dtype=None, casting="same_kind"):
    tensors = [atleast_1d(t) for t in _joined(tup, dtype, casting)]
    return concatenate(tensors, axis=0 if tensors[0].ndim == 1 else 1)


def dstack(tup):
    return concatenate([atleast_3d(t) for t in _joined(tup, None, "same_kind")], axis=2)


def column_stack(tup):
    tensors = [as_tensor(t) for t in tup]
    return concatenate([t.reshape(-1, 1) if t.ndim < 2 else t for t in tensors], axis=1)


def array_split(ary, indices_or_sections, axis=0):
    """Pieces along `axis`: n nearly equal ones, or cut at the given indices."""
    x = as_tensor(ary)
    axis = axis_index(axis, x.ndim)
    n = x.shape[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        size, extra = divmod(n, sections)
        bounds = np.cumsum([0] + extra * [size + 1] + (sections - extra) * [size])
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    lead = (slice(None),) * axis
    return [x[lead + (slice(int(lo), int(hi)),)] for lo, hi in zip(bounds[:-1], bounds[1:])]


def split(ary, indices_or_sections, axis=0):
    x = as_tensor(ary)
    if np.ndim(indices_or_sections) == 0:
        n = x.shape[axis_index(axis, x.ndim)]
        if n % int(indices_or_sections):
            raise ValueError("array split does not result in an equal division")
    return array_split(x, indices_or_sections, axis)


def _split_at_least(name, ary, ndim, axis, indices_or_sections):
    x = as_tensor(ary)
    if x.ndim < ndim:
        raise ValueError(f"{name} only works on arrays of {ndim} or more dimensions")
    return split(x, indices_or_sections, axis)


def vsplit(ary, indices_or_sections):
    return _split_at_least("vsplit", ary, 2, 0, indices_or_sections)


def hsplit(ary, indices_or_sections):
    x = as_tensor(ary)
    if x.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(x, indices_or_sections, 1 if x.ndim > 1 else 0)


def dsplit(ary, indices_or_sections):
    return _split_at_least("dsplit", ary, 3, 2, indices_or_sections)
