"""Shape and axis bookkeeping shared by the ops (no gradients here)."""
import operator

import numpy as np


class _Unset:
    """The default of an argument whose being given at all matters (the
    spelling rule: `dim=None` given is PyTorch's spelling, not given is not)."""

    def __repr__(self):
        return "unset"


UNSET = _Unset()


def integer(n, what):
    """`n` as an int, refusing floats and the like (which would be truncated)."""
    try:
        return operator.index(n)
    except TypeError:
        raise TypeError(f"{what} must be integers, got {n!r} ({type(n).__name__})") from None


def normalize_axes(axis, ndim):
    """`axis` (None, an int or a tuple) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    try:
        axes = (operator.index(axis),)
    except TypeError:
        axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    if any(isinstance(a, (bool, np.bool_)) for a in (axis, *axes)):  # (numpy refuses them too)
        raise TypeError(f"axis {axis!r}: a bool is not an axis (in PyTorch, var(True) and "
                        "std(False) mean unbiased=); write unbiased= or ddof=, or an int axis")
    out = []
    for a in axes:
        a = integer(a, "axes")
        if not -max(ndim, 1) <= a < max(ndim, 1):  # (a 0-d tensor takes 0 and -1, as in PyTorch)
            raise ValueError(f"axis {a} is out of range for a tensor with {ndim} dimensions")
        out.append(a % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"axis {axis} repeats an axis")
    return tuple(sorted(out)) if ndim else ()


def one_axis(axis, dim, default=None):
    """numpy's `axis` or PyTorch's `dim`: the same thing under two names,
    refused when both are given (unset or None is not given)."""
    axis_given = axis is not UNSET and axis is not None
    dim_given = dim is not UNSET and dim is not None
    if axis_given and dim_given:
        raise TypeError(f"give axis= or dim=, not both (got axis={axis}, dim={dim})")
    if dim_given:
        return dim
    return axis if axis_given else default


def axis_args(ndim, axis, keepdims, dim, keepdim):
    """Reductions take numpy's axis/keepdims and PyTorch's dim/keepdim. An
    empty dim (`dim=()`) reduces over every axis, as in PyTorch."""
    if keepdim is not None and keepdim is not UNSET:
        keepdims = keepdim
    if isinstance(dim, (tuple, list)) and not dim:
        dim = None
    return normalize_axes(one_axis(axis, dim), ndim), bool(keepdims)


def count(shape, axes):
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


def reduced_shape(shape, axes):
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def kept_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def stable_shift(data, axes):
    """The max along `axes` (kept), as a constant; 0 where it is not finite."""
    if data.size == 0:
        return np.zeros(kept_shape(data.shape, axes), dtype=data.dtype)
    m = data.max(axis=axes, keepdims=True)
    return np.where(np.isfinite(m), m, 0).astype(data.dtype, copy=False)


def shape_arg(shape):
    """`f(2, 3)` and `f((2, 3))` both mean the shape (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(integer(n, "sizes of a shape") for n in shape)


def permutation(axes, ndim):
    if axes is None:
        return tuple(reversed(range(ndim)))
    axes = tuple(integer(a, "axes") for a in axes)
    if any(not -ndim <= a < ndim for a in axes) or \
            sorted(a % ndim if ndim else a for a in axes) != list(range(ndim)):
        hint = " (to swap two axes use swapaxes(a, b))" if len(axes) == 2 and ndim != 2 else ""
        raise ValueError(f"transpose/permute needs a permutation of all {ndim} axes, "
                         f"got {tuple(axes)}{hint}")
    return tuple(a % ndim for a in axes)


def expand_shape(shape, target):
    """PyTorch's expand: -1 keeps a size; otherwise numpy broadcasting rules."""
    lead = len(target) - len(shape)
    if lead < 0:
        raise ValueError(f"cannot broadcast shape {shape} to the shorter shape {target}")
    out = tuple(shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(target))
    try:
        np.broadcast_shapes(shape, out)
        if np.broadcast_shapes(shape, out) != out:
            raise ValueError
    except ValueError:
        raise ValueError(f"cannot broadcast shape {shape} to {target}") from None
    return out


def squeezed_shape(shape, axis, strict=True):
    """`shape` without the axes of size 1 named (all, for None). numpy refuses
    an axis whose size is not 1 (`strict`); PyTorch leaves it."""
    if axis is None:
        return tuple(n for n in shape if n != 1)
    axes = normalize_axes(axis, len(shape))
    for a in axes:
        if shape[a] != 1 and strict:
            raise ValueError(f"cannot squeeze axis {a} of shape {shape}: its size is {shape[a]}, "
                             "not 1 (PyTorch's squeeze(dim=...) leaves such an axis)")
    return reduced_shape(shape, [a for a in axes if shape[a] == 1])


def flattened_shape(shape, start, end):
    if not shape:
        if start not in (0, -1) or end not in (0, -1):
            raise ValueError(f"flatten({start}, {end}) of a 0-d tensor: axes are 0 or -1")
        return (1,)
    n = len(shape)
    for a in (start, end):
        if not -n <= integer(a, "flatten's axes") < n:
            raise ValueError(f"flatten: axis {a} is out of range for a tensor with {n} dimensions")
    start, end = start % n, end % n
    if start > end:
        raise ValueError(f"flatten: start_dim {start} comes after end_dim {end}")
    return shape[:start] + (int(np.prod(shape[start:end + 1])),) + shape[end + 1:]


def plain_index(index, ndim):
    """An index with Tensors and lists turned into numpy arrays (a 0-d
    integer one into an int: an element is a view, as PyTorch's); refused
    where numpy and PyTorch would pick different elements or lay them out
    differently, for a tensor of `ndim` axes."""
    if isinstance(index, list) and any(
            isinstance(i, (list, tuple, np.ndarray)) or hasattr(i, "_ctx") for i in index):
        raise IndexError(
            f"t[{index!r}]: a list of lists, arrays or Tensors as the index means one index "
            "array in numpy and a tuple of indices in PyTorch; write t[np.array(...)] for "
            "numpy's, or a tuple, t[tuple(...)], for PyTorch's")
    if isinstance(index, tuple):
        index = tuple(_plain_index_item(i) for i in index)
        _refuse_other_layout(index, ndim)
        return index
    return _plain_index_item(index)


def _refuse_other_layout(index, ndim):
    """numpy counts integers and scalar booleans among the advanced indices
    when index arrays are present; PyTorch takes them as basic ones. Where
    that moves the indexed axes (t[0, :, [1, 2]]), refuse."""
    kinds = [_index_kind(i) for i in index]
    bools = kinds.count("bool")
    if "array" not in kinds and not (bools == 1 and "int" in kinds) and bools < 2:
        return  # basic indexing alone (or one bool): the two agree
    if bools > 1 or bools and "array" in kinds:
        raise IndexError("a scalar bool beside index arrays or other scalar bools in one index "
                         "is laid out differently by numpy (one indexed axis) and PyTorch (a new "
                         "axis each); index in two steps")
    used = sum(np.ndim(i) if k == "array" and np.asarray(i).dtype == bool else 1
               for i, k in zip(index, kinds) if k in ("array", "int", "slice"))
    # result axes each item makes ahead of the indexed ones (PyTorch's bool: a new axis)
    widths = [1 if k in ("slice", "none", "bool") else max(ndim - used, 0) if k == "ellipsis"
              else 0 for k in kinds]
    # numpy: integers and bools are advanced too, and any slice, None or ... (even an
    # empty one) between advanced indices puts the indexed axes first
    at = [n for n, k in enumerate(kinds) if k in ("array", "int", "bool")]
    apart = any(kinds[n] in ("slice", "none", "ellipsis") for n in range(at[0], at[-1]))
    numpy_place = 0 if apart else sum(widths[:at[0]])
    # PyTorch: integers select first and a bool is a new axis; only arrays are advanced,
    # apart when an axis lies between them
    at = [n for n, k in enumerate(kinds) if k in ("array", "bool")]
    apart = any(widths[n] for n in range(at[0], at[-1]) if kinds[n] != "array")
    torch_place = 0 if apart else sum(widths[:at[0]])
    if numpy_place != torch_place:
        raise IndexError(
            "index arrays (or a scalar bool) with an integer, a slice or ... between them "
            "(t[0, :, [1, 2]]) lay the result out differently in numpy (the indexed axes "
            "first) and PyTorch (the integer first); index in two steps, t[0][:, [1, 2]], "
            "or move the axes yourself")


def _index_kind(i):
    if i is None:
        return "none"
    if i is Ellipsis:
        return "ellipsis"
    if isinstance(i, slice):
        return "slice"
    if isinstance(i, (bool, np.bool_)) or isinstance(i, np.ndarray) and i.ndim == 0 \
            and i.dtype == bool:
        return "bool"
    if isinstance(i, np.ndarray) and i.ndim:
        return "array"
    return "int"


def _plain_index_item(i):
    if hasattr(i, "_ctx"):  # a Tensor of indices or a mask
        i = i.data
    elif isinstance(i, list):
        return np.asarray(i)
    if isinstance(i, np.ndarray) and i.dtype == np.uint8:
        raise IndexError("a uint8 index means integer positions in numpy and a mask in "
                         "PyTorch; convert it: .astype(bool) for a mask, .astype(np.int64) "
                         "for positions")
    if isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype.kind in "iu":
        return int(i)  # an element, a view as PyTorch's, not numpy's advanced-index copy
    return i


def copy_index_arrays(index):
    """`index` with its numpy arrays copied (slices, ints and the rest as they are)."""
    if isinstance(index, tuple):
        return tuple(i.copy() if isinstance(i, np.ndarray) else i for i in index)
    return index.copy() if isinstance(index, np.ndarray) else index


def is_basic_index(index):
    """Ints, slices, None and Ellipsis only: no element is selected twice."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


def pad_widths(widths, ndim):
    """numpy's pad_width: an int, a (before, after) pair, or one pair per axis."""
    w = np.asarray(widths, dtype=np.int64)
    if w.ndim == 0:
        w = np.full((ndim, 2), int(w))
    elif w.shape == (2,):
        w = np.tile(w, (ndim, 1))
    if w.shape != (ndim, 2) or (w < 0).any():
        raise ValueError(f"pad widths {widths!r} do not fit a tensor with {ndim} dimensions: "
                         "give an int, (before, after), or one (before, after) pair per axis")
    return tuple((int(a), int(b)) for a, b in w)


def sum_to(g, shape, what="gradient"):
    """Sum a broadcast gradient back to `shape` (works on arrays and Tensors)."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead == 1 and shape and g.shape[1:] == shape:  # (the common case: a bias over a batch)
        return g.sum(axis=0)
    if lead < 0 or any(n != 1 and n != m for n, m in zip(shape, g.shape[lead:])):
        raise RuntimeError(f"{what} returned a gradient of shape {g.shape} for an input of "
                           f"shape {shape}; the shapes must match (or broadcast)")
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape)
                                      if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape)
