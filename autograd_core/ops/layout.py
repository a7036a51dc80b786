"""numpy's functions that rearrange elements: written with reshape,
transpose, broadcast_to, indexing and where (each of them a Function whose
backward puts the gradient back), plus roll as a Function of its own."""
import operator

import numpy as np

from ..function import Function
from ..axes import normalize_axes
from .common import as_tensor, int_sequence


def axis_index(axis, ndim):
    """One axis, negative allowed, as a non-negative int (numpy's AxisError)."""
    if not -ndim <= axis < max(ndim, 1) or (ndim == 0 and axis not in (0, -1)):
        raise np.exceptions.AxisError(axis, ndim)
    return int(axis) % max(ndim, 1)


def axes_list(axis, ndim):
    """An int or a sequence of axes, in the given order (not sorted)."""
    return [axis_index(a, ndim) for a in int_sequence(axis)]


def permute(x, order):
    """x with its axes in `order` (numpy's transpose(x, axes): no ambiguity)."""
    from .shape import Transpose
    order = tuple(int(i) for i in order)
    if sorted(a % max(x.ndim, 1) for a in order) != list(range(x.ndim)):
        raise ValueError(f"axes {order} are not a permutation of the {x.ndim} axes")
    order = tuple(a % x.ndim for a in order) if x.ndim else order
    return x if order == tuple(range(x.ndim)) else Transpose.apply(x, order)


def reversed_axes(x):
    return permute(x, range(x.ndim - 1, -1, -1))


def reshape(a, shape, order="C", *, copy=None):
    x = as_tensor(a)
    shape = int_sequence(shape)
    if order == "A":
        order = "F" if x.data.flags.f_contiguous and not x.data.flags.c_contiguous else "C"
    if order == "F":
        return reversed_axes(reversed_axes(x).reshape(shape[::-1]))
    if order != "C":
        raise ValueError(f"reshape: order must be one of 'C', 'F' or 'A', got {order!r}")
    return x.reshape(shape)


def ravel(a, order="C"):
    x = as_tensor(a)
    if order == "C" or x.ndim <= 1:
        return x.reshape(-1)
    if order == "F":
        return reversed_axes(x).reshape(-1)
    if order not in ("A", "K"):
        raise ValueError(f"ravel: order must be one of 'C', 'F', 'A' or 'K', got {order!r}")
    # 'A' and 'K' follow the array's layout in memory: the positions of an
    # index array laid out like x's data, read in that order
    positions = np.empty_like(x.data, dtype=np.intp)
    positions[...] = np.arange(x.size).reshape(x.shape)
    return x.reshape(-1)[np.ravel(positions, order=order)]


def numpy_flatten(x, start_dim, end_dim, order):
    """ndarray.flatten(order): the elements in that order, as ravel(order).
    Tensor.flatten is PyTorch's (start_dim, end_dim) for ints; a string is
    numpy's order, so the two spellings never meet in one call."""
    if order is None:
        order, start_dim = start_dim, 0
    if start_dim != 0 or end_dim != -1:
        raise TypeError("flatten: a string (or order=) is numpy's flatten(order), which takes "
                        "no start_dim/end_dim; for PyTorch's give ints: flatten(start_dim, end_dim)")
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"flatten: order must be one of 'C', 'F', 'A' or 'K', got {order!r}")
    return ravel(x, order)


def transpose(a, axes=None):
    x = as_tensor(a)
    return reversed_axes(x) if axes is None else permute(x, axes)


def swapaxes(a, axis1, axis2):
    x = as_tensor(a)
    return x.swapaxes(axis_index(axis1, x.ndim), axis_index(axis2, x.ndim))


def moveaxis(a, source, destination):
    x = as_tensor(a)
    src, dst = axes_list(source, x.ndim), axes_list(destination, x.ndim)
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(x.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, order)


def rollaxis(a, axis, start=0):
    x = as_tensor(a)
    n = x.ndim
    axis = axis_index(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(f"'start' arg requires {-n} <= start < {n + 1}, but {start} was passed in")
    if axis < start:
        start -= 1
    order = [i for i in range(n) if i != axis]
    order.insert(start, axis)
    return permute(x, order)


def expand_dims(a, axis):
    x = as_tensor(a)
    axes = normalize_axes(axis, x.ndim + len(int_sequence(axis)))
    shape = iter(x.shape)
    return x.reshape(tuple(1 if i in axes else next(shape) for i in range(x.ndim + len(axes))))


def squeeze(a, axis=None):
    return as_tensor(a).squeeze(axis)


def _at_least(arys, ndim, place):
    out = []
    for a in arys:
        x = as_tensor(a)
        out.append(x if x.ndim >= ndim else x.reshape(place(x.shape)))
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys):
    return _at_least(arys, 1, lambda s: (1,))


def atleast_2d(*arys):
    return _at_least(arys, 2, lambda s: (1,) * (2 - len(s)) + s)


def atleast_3d(*arys):
    return _at_least(arys, 3, lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)])


def broadcast_to(array, shape, subok=False):
    return as_tensor(array).broadcast_to(int_sequence(shape))


def broadcast_arrays(*args, subok=False):
    tensors = [as_tensor(a) for a in args]
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return tuple(t.broadcast_to(shape) for t in tensors)


def flip(m, axis=None):
    x = as_tensor(m)
    axes = normalize_axes(axis, x.ndim)
    return x[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(x.ndim))]


def flipud(m):
    x = as_tensor(m)
    if x.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(x, 0)


def fliplr(m):
    x = as_tensor(m)
    if x.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(x, 1)


def rot90(m, k=1, axes=(0, 1)):
    """numpy's own construction: flips and one transpose."""
    x = as_tensor(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == x.ndim:
        raise ValueError("Axes must be different.")
    a0, a1 = axis_index(axes[0], x.ndim), axis_index(axes[1], x.ndim)
    k %= 4
    if k == 0:
        return x[...]
    if k == 2:
        return flip(flip(x, a0), a1)
    order = list(range(x.ndim))
    order[a0], order[a1] = order[a1], order[a0]
    return permute(flip(x, a1), order) if k == 1 else flip(permute(x, order), a1)


class Roll(Function):
    @staticmethod
    def forward(ctx, x, shift, axis):
        ctx.shift, ctx.axis = shift, axis
        return np.roll(x, shift, axis)

    @staticmethod
    def backward(ctx, grad):
        back = -ctx.shift if isinstance(ctx.shift, int) else tuple(-s for s in ctx.shift)
        return np.roll(grad, back, ctx.axis)


def roll(a, shift, axis=None):
    x = as_tensor(a)
    shift = int_sequence(shift)
    shift = shift[0] if len(shift) == 1 else shift
    if axis is not None:
        axis = axes_list(axis, x.ndim)
        axis = axis[0] if len(axis) == 1 else tuple(axis)
    return Roll.apply(x, shift, axis)


def tile(A, reps):
    """Copies side by side: each axis spread to (reps, n), broadcast, merged."""
    x = as_tensor(A)
    reps = int_sequence(reps)
    reps = (1,) * (x.ndim - len(reps)) + reps
    shape = (1,) * (len(reps) - x.ndim) + x.shape
    spread = x.reshape(tuple(v for n in shape for v in (1, n)))
    copies = spread.broadcast_to(tuple(v for r, n in zip(reps, shape) for v in (r, n)))
    return copies.reshape(tuple(r * n for r, n in zip(reps, shape)))


def repeat(a, repeats, axis=None):
    """Each element `repeats` times along `axis` (the flattened array for None)."""
    x = as_tensor(a)
    if axis is None or x.ndim == 0:  # (numpy repeats a 0-d array as a 1-d one)
        x, axis = x.reshape(-1), 0 if axis is None else axis
    axis = axis_index(axis, x.ndim)
    counts = np.asarray(repeats.data if hasattr(repeats, "_ctx") else repeats)
    if counts.ndim == 0 or counts.size == 1:
        r = int(counts.reshape(()))
        if r < 0:
            raise ValueError("repeat: repeats may not contain negative values.")
        s = x.shape
        spread = x.reshape(s[:axis + 1] + (1,) + s[axis + 1:])
        return spread.broadcast_to(s[:axis + 1] + (r,) + s[axis + 1:]).reshape(
            s[:axis] + (s[axis] * r,) + s[axis + 1:])
    index = np.repeat(np.arange(x.shape[axis]), counts)
    return x[(slice(None),) * axis + (index,)]


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal of axes (axis1, axis2), as the last axis: a view, as
    PyTorch's (an in-place write into it changes `a`)."""
    x = as_tensor(a)
    if x.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    a1, a2 = axis_index(axis1, x.ndim), axis_index(axis2, x.ndim)
    if a1 == a2:
        raise ValueError("axis1 and axis2 cannot be the same")
    return Diagonal.apply(x, operator.index(offset), a1, a2)


def _diagonal_view(x, offset, a1, a2):
    """numpy's diagonal view, writeable where `x` is (numpy makes it read-only
    by default, for a change of its own still to come)."""
    view = np.diagonal(x, offset, a1, a2)
    if x.flags.writeable:
        view.setflags(True)
    return view


class Diagonal(Function):
    @staticmethod
    def forward(ctx, x, offset, a1, a2):
        ctx.shape = x.shape
        return _diagonal_view(x, offset, a1, a2)

    @staticmethod
    def backward(ctx, grad):
        offset, a1, a2 = ctx.inputs[1:]
        return DiagonalEmbed.apply(grad, ctx.shape, offset, a1, a2)


class DiagonalEmbed(Function):
    """zeros(shape) with `grad` on the diagonal (Diagonal's backward)."""

    @staticmethod
    def forward(ctx, grad, shape, offset, a1, a2):
        out = np.zeros(shape, dtype=np.result_type(grad))
        _diagonal_view(out, offset, a1, a2)[...] = grad
        return out

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, *ctx.inputs[2:])


def diagonal_positions(n, m, offset):
    length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    i = np.arange(length)
    return (i, i + offset) if offset >= 0 else (i - offset, i)


def diag(v, k=0):
    from .shape import IndexAdd
    x = as_tensor(v)
    if x.ndim == 2:  # a copy, as numpy's (read-only there) and PyTorch's diag
        return diagonal(x, k).copy()
    if x.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = x.shape[0] + abs(k)
    return IndexAdd.apply(x, (n, n), diagonal_positions(n, n, k))


def tril(m, k=0):
    x = as_tensor(m)
    from .sorting import where
    zero = np.zeros((), x.dtype)  # (of x's dtype: a Python 0 would make booleans int64)
    return where(np.tri(*x.shape[-2:] if x.ndim >= 2 else x.shape * 2, k=k, dtype=bool), x, zero)


def triu(m, k=0):
    x = as_tensor(m)
    from .sorting import where
    zero = np.zeros((), x.dtype)
    below = np.tri(*x.shape[-2:] if x.ndim >= 2 else x.shape * 2, k=k - 1, dtype=bool)
    return where(below, zero, x)


GATHER_PAD_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(array, pad_width, mode="constant", **kwargs):
    """Constant padding as a Function; edge, reflect, symmetric and wrap as
    a gather from the original elements (numpy pads an index array)."""
    from .shape import Pad
    x = as_tensor(array)
    widths = pad_pairs(pad_width, x.ndim)
    if mode in ("constant", "empty"):  # 'empty' leaves the pad undefined in numpy: zeros here
        value = kwargs.pop("constant_values", 0) if mode == "constant" else 0
        _refuse_pad_keywords(mode, kwargs)
        if hasattr(value, "_ctx"):
            if value.requires_grad:
                raise TypeError("pad: constant_values as a Tensor that requires grad is not "
                                "supported; pad with 0 and add the values with a mask")
            value = value.data
        return Pad.apply(x, widths, value)
    if mode in GATHER_PAD_MODES:
        if kwargs.get("reflect_type", "even") != "even":
            raise ValueError("pad: reflect_type='odd' is not supported on Tensors; only 'even'")
        kwargs.pop("reflect_type", None)
        _refuse_pad_keywords(mode, kwargs)
        positions = np.pad(np.arange(x.size).reshape(x.shape), widths, mode=mode)
        return x.reshape(-1)[positions]
    raise ValueError(f"pad: mode {mode!r} is not supported on Tensors; use one of 'constant', "
                     "'edge', 'reflect', 'symmetric', 'wrap' or 'empty'")


def pad_pairs(pad_width, ndim):
    """numpy's pad_width forms (n, (before, after), one pair per axis) as pairs."""
    w = np.asarray(pad_width.data if hasattr(pad_width, "_ctx") else pad_width)
    try:
        if w.dtype.kind not in "iu" and w.size:
            raise ValueError
        w = w.astype(np.intp)
        if w.size == 1:
            w = w.reshape(1, 1)
        elif w.ndim == 1 and w.size == 2:
            w = w.reshape(1, 2)
        w = np.broadcast_to(w, (ndim, 2)) if w.ndim == 2 else None
    except ValueError:
        w = None
    if w is None:
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit an array with {ndim} "
                         "dimensions: give an int, (before, after), or one pair per axis")
    if (w < 0).any():
        raise ValueError("index can't contain negative values")
    return tuple((int(b), int(e)) for b, e in w)


def _refuse_pad_keywords(mode, kwargs):
    if kwargs:
        raise TypeError(f"pad: unsupported keyword(s) for mode {mode!r}: {', '.join(kwargs)}")
