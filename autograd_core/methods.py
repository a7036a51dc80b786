"""What you compute with a Tensor: its operators and methods, each routed
to its op in `ops/`, attached to the class at import (tensor.py stays the
node itself, and imports nothing that imports it).

Names are numpy's where the data lives (`axis`, `keepdims`) and PyTorch's
where PyTorch has the concept. The spelling rule: PyTorch's spelling never
gives numpy's answer where the two disagree. `t.max(axis=1)` is numpy's
(the values), `t.max(dim=1)` PyTorch's (values and indices); `t.var(axis=0)`
is numpy's (ddof=0), `t.var(dim=0)` PyTorch's (unbiased); a call whose
meaning differs between the two and cannot be told apart raises.
"""
import numpy as np

from . import ops
from .axes import (UNSET, expand_shape, flattened_shape, normalize_axes, one_axis, pad_widths,
                   permutation, plain_index, shape_arg, squeezed_shape)
from .numpy_api import array_function, array_ufunc, no_grad_result
from .tensor import Tensor

def method(fn):
    """Attach `fn` to Tensor under its own name (less a trailing `_`: `max_`
    here is `Tensor.max`, so that Python's own max stays itself in this file)."""
    setattr(Tensor, fn.__name__.removesuffix("_"), fn)
    return fn


def operator(name, fn):
    setattr(Tensor, name, fn)


# -- arithmetic: numbers on either side; integer arrays never promote floats --
# (an op's `apply` is a plain function: as a Tensor attribute it is the method itself)
Tensor.__add__, Tensor.__sub__, Tensor.__mul__ = ops.Add.apply, ops.Sub.apply, ops.Mul.apply
Tensor.__truediv__, Tensor.__pow__ = ops.Div.apply, ops.Pow.apply
Tensor.neg = Tensor.__neg__ = ops.Neg.apply


# the named methods, with PyTorch's keywords (t.add(y, alpha=2) is t + 2 * y)
@method
def add(self, other, *, alpha=1):
    return ops.Add.apply(self, _times(other, alpha))


@method
def sub(self, other, *, alpha=1):
    return ops.Sub.apply(self, _times(other, alpha))


def _times(other, alpha):
    """alpha * other, a list as numbers (not repeated, as list * 3 would be)."""
    if alpha == 1:
        return other
    if type(other) in (int, float):  # (numbers stay numbers: they never promote)
        return other * alpha
    return ops.Mul.apply(other if isinstance(other, Tensor) else np.asarray(other), alpha)


@method
def mul(self, other):
    return ops.Mul.apply(self, other)


@method
def div(self, other, *, rounding_mode=None):
    if rounding_mode is not None:
        raise ValueError(f"div: rounding_mode={rounding_mode!r} is not implemented here (its "
                         "result has no gradient): write t // other for 'floor', "
                         "np.trunc(t / other) for 'trunc'")
    return ops.Div.apply(self, other)


@method
def pow_(self, exponent):
    return ops.Pow.apply(self, exponent)


Tensor.subtract, Tensor.multiply, Tensor.divide = Tensor.sub, Tensor.mul, Tensor.div
for _name, _op in (("__radd__", ops.Add), ("__rsub__", ops.Sub), ("__rmul__", ops.Mul),
                   ("__rtruediv__", ops.Div), ("__rpow__", ops.Pow)):
    operator(_name, (lambda op: lambda self, other: op.apply(other, self))(_op))


@method
def matmul(self, other):
    return ops.matmul(self, other)


Tensor.__matmul__ = Tensor.matmul
Tensor.__rmatmul__ = lambda self, other: ops.matmul(other, self)


# -- comparisons and logic: no gradient ----------------------------------------
# (& | ^ ~ are bitwise, as numpy's and PyTorch's: logical on booleans,
# bit by bit on integers, refused by numpy on floats)
for _name, _ufunc in (("__lt__", np.less), ("__le__", np.less_equal), ("__gt__", np.greater),
                      ("__ge__", np.greater_equal), ("__eq__", np.equal),
                      ("__ne__", np.not_equal), ("__and__", np.bitwise_and),
                      ("__or__", np.bitwise_or), ("__xor__", np.bitwise_xor),
                      ("__rand__", np.bitwise_and), ("__ror__", np.bitwise_or),
                      ("__rxor__", np.bitwise_xor)):
    operator(_name, (lambda u: lambda self, other: no_grad_result(u, self, other))(_ufunc))
Tensor.__invert__ = lambda self: no_grad_result(np.invert, self)


# -- elementwise ---------------------------------------------------------------
for _name, _op in (("exp", ops.Exp), ("log", ops.Log), ("sqrt", ops.Sqrt), ("abs", ops.Abs),
                   ("sin", ops.Sin), ("cos", ops.Cos), ("tanh", ops.Tanh),
                   ("sigmoid", ops.Sigmoid), ("relu", ops.Relu)):
    operator(_name, _op.apply)
Tensor.__abs__ = Tensor.abs


@method
def clip(self, min=None, max=None):
    """Values limited to [min, max] (either may be None); PyTorch's clamp."""
    if min is None and max is None:
        raise ValueError("clip/clamp needs min=, max= or both")
    return ops.Clip.apply(self, min, max)


Tensor.clamp = Tensor.clip


@method
def maximum(self, other):
    return ops.maximum(self, other)


@method
def minimum(self, other):
    return ops.minimum(self, other)


@method
def astype(self, dtype):
    return self if self.dtype == dtype else ops.Cast.apply(self, np.dtype(dtype))


Tensor.float = lambda self: self.astype(np.float32)
Tensor.double = lambda self: self.astype(np.float64)


# -- shape -------------------------------------------------------------------------
@method
def reshape(self, *shape):
    shape = shape_arg(shape)
    return self if shape == self.shape else ops.Reshape.apply(self, shape)


Tensor.view = Tensor.reshape


@method
def transpose(self, *axes):
    """numpy's transpose: the axes reversed, or permuted as `t.transpose((2, 0, 1))`
    or `t.transpose(2, 0, 1)`. PyTorch's `t.transpose(a, b)` swaps two axes:
    done where numpy would refuse (not 2-D), refused where the two differ."""
    as_tuple = len(axes) == 1 and isinstance(axes[0], (tuple, list))
    axes = shape_arg(axes)
    if len(axes) == 2 and not as_tuple and self.ndim != 2:
        return self.swapaxes(*axes)
    if len(axes) == 2 and not as_tuple and permutation(axes, 2) == (0, 1):
        raise ValueError(f"transpose{axes} on a 2-D tensor is ambiguous: numpy keeps the "
                         "axes in that order, PyTorch swaps them; write .T or swapaxes(0, 1) "
                         "to swap, or leave the tensor as it is")
    return ops.Transpose.apply(self, permutation(axes or None, self.ndim))


@method
def permute(self, *axes):
    return ops.Transpose.apply(self, permutation(shape_arg(axes), self.ndim))


@method
def swapaxes(self, axis1, axis2):
    if self.ndim == 0:  # (axes 0 and -1 of a 0-d tensor: itself, as in PyTorch)
        normalize_axes(axis1, 0), normalize_axes(axis2, 0)
        return ops.View.apply(self)
    (a,), (b,) = normalize_axes(axis1, self.ndim), normalize_axes(axis2, self.ndim)
    order = list(range(self.ndim))
    order[a], order[b] = order[b], order[a]
    return ops.Transpose.apply(self, tuple(order))


Tensor.T = property(lambda self: ops.Transpose.apply(self, permutation(None, self.ndim)))
Tensor.mT = property(lambda self: self.swapaxes(-1, -2))


@method
def broadcast_to(self, *shape):
    shape = expand_shape(self.shape, shape_arg(shape))
    return self if shape == self.shape else ops.BroadcastTo.apply(self, shape)


Tensor.expand = Tensor.broadcast_to


@method
def squeeze(self, axis=UNSET, *, dim=UNSET):
    """numpy's: `axis` must have size 1; PyTorch's `dim=` leaves an axis that has not."""
    strict = dim is UNSET
    return self.reshape(squeezed_shape(self.shape, one_axis(axis, dim), strict))


@method
def unsqueeze(self, axis=UNSET, *, dim=UNSET):
    axis = one_axis(axis, dim, default=UNSET)
    if axis is UNSET:
        raise TypeError("unsqueeze needs the position of the new axis: unsqueeze(0), or dim=0")
    return self.reshape(np.expand_dims(np.empty(self.shape, dtype=bool), axis).shape)


@method
def flatten(self, start_dim=0, end_dim=-1, *, order=None):
    """PyTorch's flatten(start_dim, end_dim); numpy's flatten(order) (a string) is ravel's."""
    if isinstance(start_dim, str) or order is not None:  # numpy's flatten(order)
        from .ops.layout import numpy_flatten
        return numpy_flatten(self, start_dim, end_dim, order)
    return self.reshape(flattened_shape(self.shape, start_dim, end_dim))


Tensor.__getitem__ = lambda self, index: ops.GetItem.apply(self, plain_index(index, self.ndim))


# -- PyTorch's names for what numpy spells otherwise (no disagreement) ------------
Tensor.dim = lambda self: self.data.ndim
Tensor.t = lambda self: self.T if self.ndim == 2 else ops.View.apply(self) if self.ndim < 2 \
    else _refuse_t(self)
Tensor.contiguous = lambda self: self  # numpy arrays need no such step here
Tensor.long = lambda self: self.astype(np.int64)
Tensor.int = lambda self: self.astype(np.int32)
Tensor.bool = lambda self: self.astype(np.bool_)


def _refuse_t(t):
    raise ValueError(f"t() transposes tensors of at most 2 dimensions, this one has {t.ndim}; "
                     "use transpose(a, b) or permute")


@method
def to(self, dtype):
    """PyTorch's `to(dtype)`: `astype`. (There are no devices: numpy runs on the CPU.)"""
    if isinstance(dtype, str) and dtype in ("cpu",):
        return self
    return self.astype(dtype)


@method
def index_select(self, dim, index):
    """PyTorch's index_select: whole slices along `dim`, at `index` (1-D integers)."""
    index = index.data if isinstance(index, Tensor) else np.asarray(index)
    if index.ndim != 1 or index.dtype.kind not in "iu":
        raise ValueError(f"index_select needs a 1-D integer index, got {index.dtype} of shape "
                         f"{index.shape}")
    axis, = normalize_axes(dim, self.ndim)
    return self[(slice(None),) * axis + (index,)]


@method
def gather(self, dim, index):
    """PyTorch's gather: out[i][j] = t[index[i][j]][j] for dim 0; the result
    has the index's shape, which must not exceed t's along the other axes
    (PyTorch's rule, where numpy's take_along_axis would broadcast)."""
    index = np.asarray(index.data if isinstance(index, Tensor) else index)
    axis, = normalize_axes(dim, self.ndim) if self.ndim else (0,)
    if index.ndim != max(self.ndim, 1) and not (self.ndim == 0 and index.ndim == 0) or any(
            i > n for d, (i, n) in enumerate(zip(index.shape, self.shape)) if d != axis):
        raise ValueError(f"gather: an index of shape {index.shape} for a tensor of shape "
                         f"{self.shape} along dim {dim}: it needs as many axes, and no more "
                         "entries than the tensor along the others (as in PyTorch)")
    if self.ndim == 0:
        return np.take_along_axis(self.reshape(1), index.reshape(1), axis=0).reshape(index.shape)
    corner = tuple(slice(None) if d == axis else slice(0, i) for d, i in enumerate(index.shape))
    return np.take_along_axis(self[corner], index, axis=axis)


@method
def pad(self, widths, value=0):
    return ops.Pad.apply(self, pad_widths(widths, self.ndim), value)


# -- numpy functions and ufuncs on Tensors (also what backward rules call) -------
Tensor.__array_ufunc__ = lambda self, ufunc, method, *inputs, **kwargs: \
    array_ufunc(ufunc, method, inputs, kwargs)
Tensor.__array_function__ = lambda self, func, types, args, kwargs: \
    array_function(func, args, kwargs)
