"""The bodies of the Tensor methods in numpy's names (and PyTorch's where
numpy has none), and the spelling rule where the two disagree:

- `sort`: numpy's ndarray.sort sorts in place and returns None; PyTorch's
  returns (values, indices). `t.sort(dim=..., descending=...)` is PyTorch's;
  without those keywords it is numpy's, in place, refused (with the fix) on a
  tensor that requires grad, whose gradient an in-place sort would lose.
- `repeat`: numpy repeats each element along an axis, PyTorch tiles the whole
  tensor. Only `axis=` (numpy's keyword) says which, so `t.repeat(2, axis=1)`
  is numpy's and `t.repeat(2, 1)` raises, naming repeat_interleave and tile.
- `split` and `chunk` are PyTorch's (ndarray has neither; np.split is numpy's).
"""
import numpy as np

from ..engine import is_grad_enabled
from . import layout, norms, products, scans, sorting
from .binary import Remainder
from .common import as_tensor
from .unary import Positive

def remainder(a, b):
    return Remainder.apply(a, b)


def ravel(t, order):
    return layout.ravel(t, order)


def cumsum(t, axis, dtype, dim):
    return scans.cumsum(t, axis if dim is None else dim, dtype)


def cumprod(t, axis, dtype, dim):
    return scans.cumprod(t, axis if dim is None else dim, dtype)


def dot(t, other):
    return products.dot(t, other)


def diagonal(t, offset, axis1, axis2, dim1, dim2):
    return layout.diagonal(t, offset, axis1 if dim1 is None else dim1, axis2 if dim2 is None else dim2)


def trace(t, offset, axis1, axis2, dtype):
    return products.trace(t, offset, axis1, axis2, dtype)


def clone(t):
    """A copy that stays in the graph (its gradient flows back to t)."""
    return Positive.apply(t) if t.dtype.kind == "f" else as_tensor(t.data.copy())


def masked_fill(t, mask, value):
    """PyTorch's: `value` where `mask` holds (the gradient of t is 0 there)."""
    mask = mask.data if hasattr(mask, "_ctx") else np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"masked_fill: the mask must be boolean, got {mask.dtype}")
    if np.broadcast_shapes(mask.shape, t.shape) != t.shape:
        raise ValueError(f"masked_fill: a mask of shape {mask.shape} does not broadcast to {t.shape}")
    if hasattr(value, "_ctx") and value.ndim != 0:
        raise ValueError("masked_fill only supports a 0-dimensional value tensor")
    if hasattr(value, "_ctx") and value.dtype != t.dtype:
        value = value.astype(t.dtype)
    return sorting.where(mask, value, t)


def _pieces(t, sizes, dim):
    lead = (slice(None),) * dim
    bounds = np.cumsum([0] + list(sizes))
    return tuple(t[lead + (slice(int(a), int(b)),)] for a, b in zip(bounds[:-1], bounds[1:]))


def split(t, split_size_or_sections, dim):
    """PyTorch's split: pieces of the given size (the last may be smaller), or
    of the sizes in a list."""
    dim = layout.axis_index(dim, t.ndim)
    n = t.shape[dim]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size <= 0:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [size] * (n // size) + ([n % size] if n % size or n == 0 else [])
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise ValueError(f"split: sizes {sizes} add up to {sum(sizes)}, but dimension "
                             f"{dim} has size {n}")
    return _pieces(t, sizes, dim)


def chunk(t, chunks, dim):
    """PyTorch's chunk: pieces of ceil(n / chunks) (so possibly fewer pieces)."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    n = t.shape[layout.axis_index(dim, t.ndim)]
    return split(t, max(-(-n // chunks), 1), dim)


def topk(t, k, dim, largest, sorted):
    return sorting.topk(t, k, dim, largest, sorted)


def norm(t, p, dim, keepdim, axis, keepdims):
    return norms.tensor_norm(t, p, dim, keepdim, axis=axis, keepdims=keepdims)


def argsort(t, axis, kind, dim, descending, stable):
    if dim is not None or descending:
        return sorting.sort_with_indices(t, axis if dim is None else dim, descending).indices
    return as_tensor(np.argsort(t.data, axis=axis, kind=kind, stable=stable))


def sort(t, axis, kind, order, dim, descending, stable):
    if dim is not None or descending is not None:  # PyTorch's spelling: PyTorch's answer
        if order is not None or kind is not None:
            raise TypeError("sort: dim=/descending= are PyTorch's spelling, which takes no "
                            "kind= or order=")
        return sorting.sort_with_indices(t, axis if dim is None else dim, bool(descending),
                                         bool(stable))
    if t.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "Tensor.sort() is numpy's here: it sorts the tensor in place and returns None, "
            "which would lose the gradient of a tensor that requires grad. For the sorted "
            "values with their gradient use s = np.sort(t, axis); for PyTorch's "
            "(values, indices) use t.sort(dim=-1)")
    t.data.sort(axis=axis, kind=kind, order=order, stable=stable)


def repeat(t, args, kwargs):
    unknown = set(kwargs) - {"repeats", "axis"}
    if unknown:
        raise TypeError(f"Tensor.repeat got an unexpected keyword argument {sorted(unknown)[0]!r}")
    if "axis" not in kwargs:
        raise TypeError(
            "Tensor.repeat means two things: numpy's repeats each element (np.repeat), "
            "PyTorch's tiles the whole tensor. Say which: t.repeat(n, axis=a) (axis=None "
            "for the flattened tensor) or t.repeat_interleave(n, dim=a) for numpy's, "
            "t.tile(reps) for PyTorch's")
    repeats = args + ((kwargs["repeats"],) if "repeats" in kwargs else ())
    if len(repeats) != 1:
        raise TypeError("Tensor.repeat(repeats, axis=...) takes one repeats argument (an int "
                        "or one count per element)")
    return layout.repeat(t, repeats[0], kwargs["axis"])


def repeat_interleave(t, repeats, dim):
    return layout.repeat(t, repeats, dim)


def tile(t, reps):
    if len(reps) == 1 and not isinstance(reps[0], (int, np.integer)):
        reps = tuple(reps[0])
    return layout.tile(t, reps)

