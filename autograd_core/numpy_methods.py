"""Tensor methods in numpy's names (and PyTorch's where numpy has none),
attached to the class at import, as methods.py attaches the core ones.

The spelling rule where the two libraries mean different things by one name:

- `sort`: numpy's ndarray.sort sorts in place and returns None; PyTorch's
  returns (values, indices). `t.sort(dim=...)` or `t.sort(descending=...)`
  is PyTorch's; `t.sort(axis=...)` is numpy's, in place, and refused (with
  the fix) on a tensor that requires grad, whose gradient it would lose.
  `t.sort()` alone, and positional arguments ((axis, kind) in numpy, (dim,
  descending) in PyTorch), raise, naming both spellings. `argsort` is
  the same: its first positional argument is the axis in both, a second one
  raises.
- `cumsum`/`cumprod` of a 0-d tensor: numpy's (axis=0) has shape (1,),
  PyTorch's (dim=0) shape (); a positional axis there raises.
- `repeat`: numpy repeats each element along an axis, PyTorch tiles the whole
  tensor. Only `axis=` (numpy's keyword) says which, so `t.repeat(2, axis=1)`
  is numpy's and `t.repeat(2, 1)` raises, naming repeat_interleave and tile.
- `split` and `chunk` are PyTorch's (ndarray has neither; np.split is numpy's);
  `norm` is PyTorch's (numpy's is np.linalg.norm).
"""
import numpy as np

from .axes import UNSET, one_axis
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
def cumsum(self, *args, dim=UNSET, **kwargs):
    """numpy's cumsum(axis=None, dtype=None) (None: the flattened tensor), or
    PyTorch's cumsum(dim, dtype=...)."""
    return _scan(scans.cumsum, "cumsum", self, args, kwargs, dim)


@method
def cumprod(self, *args, dim=UNSET, **kwargs):
    """numpy's cumprod(axis=None, dtype=None), or PyTorch's cumprod(dim, dtype=...)."""
    return _scan(scans.cumprod, "cumprod", self, args, kwargs, dim)


def _scan(scan, name, t, args, kwargs, dim):
    unknown = set(kwargs) - {"axis", "dtype"}
    if unknown or len(args) + len(kwargs) > 2 or (len(args) == 2 and "dtype" in kwargs) or \
            (args and "axis" in kwargs):
        raise TypeError(f"Tensor.{name} takes (axis=None, dtype=None) as numpy's, or dim= and "
                        f"dtype= as PyTorch's; got {len(args)} positional argument(s) and "
                        f"{sorted(kwargs) or 'no keywords'}")
    axis = args[0] if args else kwargs.get("axis", UNSET)
    dtype = args[1] if len(args) == 2 else kwargs.get("dtype")
    if dim is UNSET or dim is None:
        if args and args[0] is not None and t.ndim == 0:
            raise TypeError(f"{name}({args[0]}) of a 0-d tensor means two things: numpy's "
                            f"{name}(axis=0) gives shape (1,), PyTorch's {name}(dim=0) keeps "
                            "shape (); say which with axis= or dim=")
        return scan(t, None if axis is UNSET else axis, dtype)
    dim = _one_dim(one_axis(axis, dim), name)
    if t.ndim == 0:  # PyTorch's: a 0-d tensor stays 0-d
        if dim not in (0, -1):
            raise np.exceptions.AxisError(dim, 0)
        return scan(t, None, dtype).reshape(())
    return scan(t, dim, dtype)


def _one_dim(dim, name):
    """PyTorch's dim= of an op along one axis: an int (a tuple, even (), is refused)."""
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}: dim= takes one axis (an int), got {dim!r}")
    return int(dim)


@method
def dot(self, other):
    return products.dot(self, other)


@method
def round(self, decimals=0):
    """numpy's and PyTorch's round (half to even): no gradient."""
    return no_grad_result(np.round, self, decimals)


@method
def diagonal(self, offset=0, axis1=UNSET, axis2=UNSET, *, dim1=UNSET, dim2=UNSET):
    """numpy's diagonal(offset, axis1, axis2), PyTorch's (offset, dim1, dim2)."""
    return layout.diagonal(self, offset, one_axis(axis1, dim1, default=0),
                           one_axis(axis2, dim2, default=1))


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
def argsort(self, *args, axis=UNSET, kind=None, order=None, dim=UNSET, descending=UNSET,
            stable=None):
    """numpy's argsort(axis=-1, kind=None) (None: the flattened tensor), or
    PyTorch's argsort(dim=-1, descending=False); one positional argument is
    the axis in both."""
    if len(args) > 1:
        raise TypeError(_positional_sort("argsort", "takes a kind (a string) second",
                                         "takes descending (a bool) second"))
    if args:
        if axis is not UNSET:
            raise TypeError("argsort() got multiple values for argument 'axis'")
        if self.ndim == 0:
            raise TypeError("argsort(0) of a 0-d tensor means two things: numpy's "
                            "argsort(axis=0) gives shape (1,), PyTorch's argsort(dim=0) shape (); "
                            "say which with axis= or dim=")
        axis = args[0]
    pytorch = dim is not UNSET or descending is not UNSET
    dim = one_axis(axis, dim)
    if pytorch:
        _pytorch_sort_keywords("argsort", axis, kind, order)
        return sorting.sort_with_indices(self, -1 if dim is None else _one_dim(dim, "argsort"),
                                         bool(descending) if descending is not UNSET else False,
                                         bool(stable)).indices
    return as_tensor(np.argsort(self.data, axis=-1 if axis is UNSET else axis, kind=kind,
                                order=order, stable=stable))


@method
def sort(self, *args, axis=UNSET, kind=None, order=None, dim=UNSET, descending=UNSET,
         stable=None):
    """numpy's sort(axis=-1, kind=None) in place (returns None), or PyTorch's
    sort(dim=-1, descending=False), which returns (values, indices)."""
    if args:
        raise TypeError(_positional_sort("sort", "sorts in place and returns None",
                                         "returns (values, indices)"))
    if all(a is UNSET for a in (axis, dim, descending)) and kind is None and order is None:
        raise TypeError("t.sort() means two things: numpy's sorts t in place and returns "
                        "None, PyTorch's returns (values, indices) and leaves t as it was. "
                        "Write t.sort(axis=-1) for numpy's, t.sort(dim=-1) for PyTorch's")
    if dim is not UNSET or descending is not UNSET:  # PyTorch's spelling: PyTorch's answer
        dim = one_axis(axis, dim)
        _pytorch_sort_keywords("sort", axis, kind, order)
        return sorting.sort_with_indices(self, -1 if dim is None else _one_dim(dim, "sort"),
                                         bool(descending) if descending is not UNSET else False,
                                         bool(stable))
    axis = -1 if axis is UNSET else axis
    if self.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "Tensor.sort() is numpy's here: it sorts the tensor in place and returns None, "
            "which would lose the gradient of a tensor that requires grad. For the sorted "
            "values with their gradient use s = np.sort(t, axis); for PyTorch's "
            "(values, indices) use t.sort(dim=-1)")
    # in place as numpy's; if a live graph saved the array, into a new one (inplace.py)
    update(self, _sort_into, (axis, kind, order, stable), "sort")


def _positional_sort(name, numpy_result, pytorch_result):
    return (f"Tensor.{name}'s positional arguments mean different things in numpy (axis, "
            f"kind) and PyTorch (dim, descending): write {name}(axis=0) for numpy's, which "
            f"{numpy_result}, or {name}(dim=0) (with descending=True) for PyTorch's, which "
            f"{pytorch_result}")


def _pytorch_sort_keywords(name, axis, kind, order):
    if kind is not None or order is not None:
        raise TypeError(f"{name}: dim=/descending= are PyTorch's spelling, which takes no "
                        "kind= or order=")
    if axis is not UNSET:
        raise TypeError(f"{name}: dim=/descending= are PyTorch's spelling, which names the "
                        "axis dim=, not numpy's axis=")


def _sort_into(data, axis, kind, order, stable, out):
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
    axis = None if dim is None else _one_dim(dim, "repeat_interleave")
    return layout.repeat(self, repeats, axis)


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
    elif self.dtype.kind in "iu":  # the tensor's dtype, as PyTorch's (2.5 into int64 is 2)
        info = np.iinfo(self.dtype)
        if not info.min <= np.asarray(value, dtype=np.float64) <= info.max:  # (nan fails too)
            raise ValueError(f"masked_fill: {value!r} cannot be converted to {self.dtype} "
                             "without overflow")
        value = np.asarray(value).astype(self.dtype)
    elif self.dtype.kind == "b":
        value = np.asarray(value).astype(bool)
    return sorting.where(mask, value, self)


@method
def split(self, split_size_or_sections, dim=0):
    """PyTorch's split: pieces of the given size (the last may be smaller), or
    of the sizes in a list."""
    dim = _along(self, dim, "split")
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
    axis = _along(self, dim, "chunk")
    n = self.shape[axis]
    if n == 0:  # PyTorch's: `chunks` empty pieces
        return tuple(self[(slice(None),) * axis + (slice(0, 0),)] for _ in range(chunks))
    return self.split(-(-n // chunks), dim)


def _along(t, dim, name):
    """The one axis split and chunk cut along (a 0-d tensor has none, as in PyTorch)."""
    if t.ndim == 0:
        raise ValueError(f"{name} expects at least a 1-dimensional tensor, got a 0-d one; "
                         "reshape it first: t.reshape(1)")
    return layout.axis_index(_one_dim(dim, name), t.ndim)


@method
def topk(self, k, dim=-1, largest=True, sorted=True):
    return sorting.topk(self, k, _one_dim(dim, "topk"), largest, sorted)


@method
def norm(self, p="fro", dim=None, keepdim=UNSET, *, axis=None, keepdims=UNSET):
    """PyTorch's norm: the p-norm of the entries over `dim` (all of them by
    default, or for an empty dim, as PyTorch); 'fro' is the 2-norm, 'nuc' the
    nuclear norm of a matrix. numpy's names axis=/keepdims= mean the same."""
    if keepdim is not UNSET and keepdims is not UNSET:
        raise TypeError("norm: give keepdim= or keepdims=, not both")
    keep = keepdims if keepdim is UNSET else keepdim
    return norms.tensor_norm(self, p, dim, False if keep is UNSET else keep, axis=axis)
