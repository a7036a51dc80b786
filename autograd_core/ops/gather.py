"""Picking elements by index (numpy's take, take_along_axis, choose,
put_along_axis) and sliding windows.

Picks are integer indexing, whose backward adds the gradient back at the
picked positions: an index picked twice gets both gradients. Sliding windows
are a pair of Functions, each the other's backward: the windows of x, and
the sum of windows back into x's shape.
"""
import itertools

import numpy as np

from ..function import Function
from .common import as_tensor, int_sequence
from .layout import axis_index


def plain_indices(indices):
    indices = np.asarray(indices.data if hasattr(indices, "_ctx") else indices)
    if indices.dtype.kind not in "iub" and indices.size:
        raise IndexError(f"indices must be integers, got {indices.dtype}")
    return indices.astype(np.intp, copy=False)


def take(a, indices, axis=None, mode="raise"):
    x = as_tensor(a)
    index = plain_indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = axis_index(axis, x.ndim)
    n = x.shape[axis]
    if mode == "wrap":
        index = index % n if n else index
    elif mode == "clip":
        index = np.clip(index, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    elif index.size and (index.max() >= n or index.min() < -n):
        bad = index.max() if index.max() >= n else index.min()
        raise IndexError(f"index {bad} is out of bounds for axis {axis} with size {n}")
    return x[(slice(None),) * axis + (index,)]


def along_axis_index(shape, indices, axis):
    """The integer index that picks `indices` along `axis` and keeps the other
    axes in place (numpy's construction for take_along_axis)."""
    if indices.ndim != len(shape):
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    index = []
    for d, n in enumerate(shape):
        if d == axis:
            index.append(indices)
        else:
            index.append(np.arange(n).reshape((1,) * d + (n,) + (1,) * (len(shape) - d - 1)))
    return tuple(index)


def take_along_axis(arr, indices, axis=-1):
    x = as_tensor(arr)
    index = plain_indices(indices)
    if axis is None:
        if index.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        x, axis = x.reshape(-1), 0
    return x[along_axis_index(x.shape, index, axis_index(axis, x.ndim))]


def put_along_axis(arr, indices, values, axis):
    """A new array: `arr` with `values` put at `indices` along `axis`. Where
    an index repeats, the last value wins, as in numpy (earlier ones get no
    gradient)."""
    from .sorting import where
    from .shape import IndexAdd
    x = as_tensor(arr)
    index = plain_indices(indices)
    shape = x.shape
    if axis is None:
        if index.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        x, axis = x.reshape(-1), 0
    axis = axis_index(axis, x.ndim)
    index = along_axis_index(x.shape, index % x.shape[axis] if x.shape[axis] else index, axis)
    picked = np.broadcast_arrays(*index)
    flat = np.ravel_multi_index(picked, x.shape).reshape(-1)
    last = np.zeros(flat.size, dtype=bool)
    last[flat.size - 1 - np.unique(flat[::-1], return_index=True)[1]] = True
    v = as_tensor(values)
    if v.dtype != x.dtype:
        v = v.astype(x.dtype)
    v = v.broadcast_to(picked[0].shape)
    written = np.zeros(x.shape, dtype=bool)
    written[tuple(picked)] = True
    scattered = IndexAdd.apply(where(last.reshape(picked[0].shape), v, 0), x.shape, tuple(picked))
    return where(written, scattered, x).reshape(shape)


def choose(a, choices, mode="raise"):
    """out[i] = choices[a[i]][i], the choices broadcast together."""
    from .joining import stack
    index = plain_indices(a)
    options = [as_tensor(c) for c in choices]
    n = len(options)
    if mode == "wrap":
        index = index % n
    elif mode == "clip":
        index = np.clip(index, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"choose: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    elif index.size and (index.min() < 0 or index.max() >= n):
        raise ValueError("invalid entry in choice array")
    shape = np.broadcast_shapes(index.shape, *[c.shape for c in options])
    stacked = stack([c.broadcast_to(shape) for c in options], axis=0)
    return take_along_axis(stacked, np.broadcast_to(index, shape)[None], axis=0)[0]


class WindowView(Function):
    """numpy's sliding_window_view: a read-only view of x."""

    @staticmethod
    def forward(ctx, x, window, axes):
        ctx.shape, ctx.window, ctx.axes = x.shape, window, axes
        return np.lib.stride_tricks.sliding_window_view(x, window, axis=axes)

    @staticmethod
    def backward(ctx, grad):
        return WindowSum.apply(grad, ctx.shape, ctx.window, ctx.axes)


class WindowSum(Function):
    """Every window added back at its place in an array of `shape`: one
    slice-add per position in the window."""

    @staticmethod
    def forward(ctx, windows, shape, window, axes):
        ctx.window, ctx.axes = window, axes
        out = np.zeros(shape, dtype=windows.dtype)
        n = len(shape)
        for offset in itertools.product(*[range(w) for w in window]):
            start = [0] * n
            for a, o in zip(axes, offset):
                start[a] += o
            region = tuple(slice(s, s + windows.shape[d]) for d, s in enumerate(start))
            out[region] += windows[(Ellipsis,) + offset]
        return out

    @staticmethod
    def backward(ctx, grad):
        return WindowView.apply(grad, ctx.window, ctx.axes)


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    t = as_tensor(x)
    if writeable:
        raise ValueError("sliding_window_view: writeable=True would let writes into the windows "
                         "change the Tensor behind the graph's back; Tensors give read-only windows")
    window = int_sequence(window_shape)
    if axis is None:
        if len(window) != t.ndim:
            raise ValueError(f"Since axis is `None`, must provide window_shape for all dimensions "
                             f"of `x`; got {len(window)} window_shape elements and `x.ndim` is {t.ndim}.")
        axes = tuple(range(t.ndim))
    else:
        axes = tuple(axis_index(a, t.ndim) for a in int_sequence(axis))
        if len(window) != len(axes):
            raise ValueError(f"Must provide matching length window_shape and axis; got "
                             f"{len(window)} window_shape elements and {len(axes)} axes elements.")
    return WindowView.apply(t, window, axes)
