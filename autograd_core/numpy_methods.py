"""Tensor methods in numpy's names (and PyTorch's where numpy has none),
attached to the class at import, as methods.py attaches the core ones.

The spelling rule where the two libraries mean different things by one name:

- `sort`: numpy's ndarray.sort sorts in place and returns None; PyTorch's
  returns (values, indices). `t.sort(dim=...)` or `t.sort(descending=...)`
  is PyTorch's; without those keywords it is numpy's, in place, and refused
  (with the fix) on a tensor that requires grad, whose gradient it would lose.
- `repeat`: numpy repeats each element along an axis, PyTorch tiles the whole
  tensor. Only `axis=` (numpy's keyword) says which, so `t.repeat(2, axis=1)`
  is numpy's and `t.repeat(2, 1)` raises, naming repeat_interleave and tile.
- `split` and `chunk` are PyTorch's (ndarray has neither; np.split is numpy's);
  `norm` is PyTorch's (numpy's is np.linalg.norm).
"""
import numpy as np

from .engine import is_grad_enabled
from .numpy_api import no_grad_result
from .ops import layout, norms, products, scans, sorting
from .ops.binary import Remainder
from .ops.common import as_tensor
from .ops.unary import Positive
from .inplace import update
from .tensor import Tensor


def method(fn):
    """Attach `fn` to Tensor under its own name."""
    setattr(Tensor, fn.__name__, fn)
    return fn


# -- operators: % has a gradient, // (piecewise constant) none -------------------------
Tensor.__mod__ = Remainder.apply
Tensor.__rmod__ = lambda self, other: Remainder.apply(other, self)
Tensor.__floordiv__ = lambda self, other: no_grad_result(np.floor_divide, self, other)
Tensor.__rfloordiv__ = lambda self, other: no_grad_result(np.floor_divide, other, self)
Tensor.__pos__ = lambda self: self


# -- numpy's names ---------------------------------------------------------------------
@method
def ravel(self, order="C"):
    return layout.ravel(self, order)


@method
def cumsum(self, axis=None, dtype=None, *, dim=None):
    return scans.cumsum(self, axis if dim is None else dim, dtype)


@method
def cumprod(self, axis=None, dtype=None, *, dim=None):
    return scans.cumprod(self, axis if dim is None else dim, dtype)


@method
def dot(self, other):
    return products.dot(self, other)


@method
def round(self, decimals=0):
    """numpy's and PyTorch's round (half to even): no gradient."""
    return no_grad_result(np.round, self, decimals)


@method
def diagonal(self, offset=0, axis1=0, axis2=1, *, dim1=None, dim2=None):
    return layout.diagonal(self, offset, axis1 if dim1 is None else dim1,
                           axis2 if dim2 is None else dim2)


@method
def trace(self, offset=0, axis1=0, axis2=1, dtype=None):
    return products.trace(self, offset, axis1, axis2, dtype)


@method
def tolist(self):
    return self.data.tolist()


@method
def copy(self):
    """A copy that stays in the graph (its gradient flows back)."""
    return Positive.apply(self) if self.dtype.kind == "f" else as_tensor(self.data.copy())


@method
def argsort(self, axis=-1, kind=None, *, dim=None, descending=False, stable=None):
    if dim is not None or descending:
        return sorting.sort_with_indices(self, axis if dim is None else dim, descending).indices
    return as_tensor(np.argsort(self.data, axis=axis, kind=kind, stable=stable))


@method
def sort(self, axis=-1, kind=None, order=None, *, dim=None, descending=None, stable=None):
    if dim is not None or descending is not None:  # PyTorch's spelling: PyTorch's answer
        if order is not None or kind is not None:
            raise TypeError("sort: dim=/descending= are PyTorch's spelling, which takes no "
                            "kind= or order=")
        return sorting.sort_with_indices(self, axis if dim is None else dim, bool(descending),
                                         bool(stable))
    if self.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "Tensor.sort() is numpy's here: it sorts the tensor in place and returns None, "
            "which would lose the gradient of a tensor that requires grad. For the sorted "
            "values with their gradient use s = np.sort(t, axis); for PyTorch's "
            "(values, indices) use t.sort(dim=-1)")
    # in place as numpy's; if a live graph saved the array, into a new one (inplace.py)
    update(self, _sort_into, (axis, kind, order, stable), "sort")


def _sort_into(data, axis, kind, order, stable, out, casting):
    if out is data:
        data.sort(axis=axis, kind=kind, order=order, stable=stable)
    else:
        out[...] = np.sort(data, axis=axis, kind=kind, order=order, stable=stable)
    return out


@method
def repeat(self, *args, **kwargs):
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
    return layout.repeat(self, repeats[0], kwargs["axis"])


# -- PyTorch's names where numpy has none -------------------------------------------
@method
def numel(self):
    return int(self.data.size)


Tensor.clone = Tensor.copy


@method
def repeat_interleave(self, repeats, dim=None):
    return layout.repeat(self, repeats, dim)


@method
def tile(self, *reps):
    if len(reps) == 1 and not isinstance(reps[0], (int, np.integer)):
        reps = tuple(reps[0])
    return layout.tile(self, reps)


@method
def masked_fill(self, mask, value):
    """`value` where `mask` holds (the gradient of self is 0 there)."""
    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"masked_fill: the mask must be boolean, got {mask.dtype}")
    if np.broadcast_shapes(mask.shape, self.shape) != self.shape:
        raise ValueError(f"masked_fill: a mask of shape {mask.shape} does not broadcast to {self.shape}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise ValueError("masked_fill only supports a 0-dimensional value tensor")
        value = value.astype(self.dtype)
    return sorting.where(mask, value, self)


@method
def split(self, split_size_or_sections, dim=0):
    """PyTorch's split: pieces of the given size (the last may be smaller), or
    of the sizes in a list."""
    dim = layout.axis_index(dim, self.ndim)
    n = self.shape[dim]
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
    lead = (slice(None),) * dim
    bounds = np.cumsum([0] + sizes)
    return tuple(self[lead + (slice(int(a), int(b)),)] for a, b in zip(bounds[:-1], bounds[1:]))


@method
def chunk(self, chunks, dim=0):
    """PyTorch's chunk: pieces of ceil(n / chunks) (so possibly fewer pieces)."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    n = self.shape[layout.axis_index(dim, self.ndim)]
    return self.split(max(-(-n // chunks), 1), dim)


@method
def topk(self, k, dim=-1, largest=True, sorted=True):
    return sorting.topk(self, k, dim, largest, sorted)


@method
def norm(self, p="fro", dim=None, keepdim=False, *, axis=None, keepdims=None):
    """PyTorch's norm: the p-norm of the entries over `dim` (all of them by
    default); 'fro' is the 2-norm, 'nuc' the nuclear norm of a matrix."""
    return norms.tensor_norm(self, p, dim, keepdim, axis=axis, keepdims=keepdims)
