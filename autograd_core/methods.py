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
from collections import namedtuple

import numpy as np

from . import ops
from .axes import (axis_args, count, expand_shape, flattened_shape, normalize_axes, one_axis,
                   pad_widths, permutation, plain_index, reduced_shape, shape_arg,
                   squeezed_shape, stable_shift)
from .numpy_api import array_function, array_ufunc, no_grad_result
from .tensor import Tensor

ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])  # PyTorch's max(dim=...)


def method(fn):
    """Attach `fn` to Tensor under its own name."""
    setattr(Tensor, fn.__name__, fn)
    return fn


def operator(name, fn):
    setattr(Tensor, name, fn)


# -- arithmetic: numbers on either side; integer arrays never promote floats --
# (an op's `apply` is a plain function: as a Tensor attribute it is the method itself)
Tensor.add = Tensor.__add__ = ops.Add.apply
Tensor.sub = Tensor.__sub__ = Tensor.subtract = ops.Sub.apply
Tensor.mul = Tensor.__mul__ = Tensor.multiply = ops.Mul.apply
Tensor.div = Tensor.__truediv__ = Tensor.divide = ops.Div.apply
Tensor.pow = Tensor.__pow__ = ops.Pow.apply
Tensor.neg = Tensor.__neg__ = ops.Neg.apply
for _name, _op in (("__radd__", ops.Add), ("__rsub__", ops.Sub), ("__rmul__", ops.Mul),
                   ("__rtruediv__", ops.Div), ("__rpow__", ops.Pow)):
    operator(_name, (lambda op: lambda self, other: op.apply(other, self))(_op))


@method
def matmul(self, other):
    return ops.matmul(self, other)


Tensor.__matmul__ = Tensor.matmul
Tensor.__rmatmul__ = lambda self, other: ops.matmul(other, self)


# -- comparisons and logic: no gradient ----------------------------------------
for _name, _ufunc in (("__lt__", np.less), ("__le__", np.less_equal), ("__gt__", np.greater),
                      ("__ge__", np.greater_equal), ("__eq__", np.equal),
                      ("__ne__", np.not_equal), ("__and__", np.logical_and),
                      ("__or__", np.logical_or), ("__rand__", np.logical_and),
                      ("__ror__", np.logical_or)):
    operator(_name, (lambda u: lambda self, other: no_grad_result(u, self, other))(_ufunc))
Tensor.__invert__ = lambda self: no_grad_result(np.logical_not, self)


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


# -- reductions: numpy's axis/keepdims, PyTorch's dim/keepdim ---------------------
@method
def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return ops.Sum.apply(self, *axis_args(self.ndim, axis, keepdims, dim, keepdim))


@method
def prod(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return ops.Prod.apply(self, *axis_args(self.ndim, axis, keepdims, dim, keepdim))


@method
def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    axes, keep = axis_args(self.ndim, axis, keepdims, dim, keepdim)
    return self.sum(axes, keep) / count(self.shape, axes)


@method
def max(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """numpy's max (ties share the gradient); with dim=, PyTorch's (values, indices)."""
    _no_tensor_axis(axis, "max", "maximum")
    if dim is not None:
        return _values_and_indices(self, np.argmax, dim, keepdims if keepdim is None else keepdim)
    return ops.Max.apply(self, *axis_args(self.ndim, axis, keepdims, None, keepdim))


@method
def min(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """numpy's min (ties share the gradient); with dim=, PyTorch's (values, indices)."""
    _no_tensor_axis(axis, "min", "minimum")
    if dim is not None:
        return _values_and_indices(self, np.argmin, dim, keepdims if keepdim is None else keepdim)
    return -ops.Max.apply(-self, *axis_args(self.ndim, axis, keepdims, None, keepdim))


def _no_tensor_axis(axis, name, elementwise):
    if isinstance(axis, (Tensor, np.ndarray)):
        raise TypeError(f"t.{name}(other) compares elementwise in PyTorch but takes an axis in "
                        f"numpy; write {elementwise}(t, other) for the elementwise {name}")


def _values_and_indices(t, arg, dim, keepdim):
    """PyTorch's max/min over `dim`: the values (the gradient goes to the
    index picked, as in PyTorch) and their indices."""
    axis, = normalize_axes(dim, t.ndim) if np.ndim(dim) == 0 else (None,)
    if axis is None:
        raise TypeError(f"dim= takes one axis, got {dim!r}")
    picked = arg(t.data, axis=axis, keepdims=True)
    index = list(np.indices(picked.shape, sparse=True))
    index[axis] = picked
    values = t[tuple(index)]
    if not keepdim:
        values, picked = values.squeeze(axis), picked.squeeze(axis)
    return ValuesIndices(values, Tensor._make(picked, False, None, ()))


@method
def var(self, axis=None, keepdims=False, ddof=None, *, dim=None, keepdim=None, unbiased=None,
        correction=None):
    """numpy's var (ddof=0); PyTorch's spelling (dim=, unbiased=, correction=)
    gives PyTorch's answer, unbiased unless told otherwise."""
    ddof = _ddof(ddof, dim, unbiased, correction)
    axes, keep = axis_args(self.ndim, axis, keepdims, dim, keepdim)
    centered = self - self.mean(axes, keepdims=True)
    return (centered * centered).sum(axes, keep) / (count(self.shape, axes) - ddof)


@method
def std(self, axis=None, keepdims=False, ddof=None, *, dim=None, keepdim=None, unbiased=None,
        correction=None):
    return ops.StdSqrt.apply(self.var(axis, keepdims, ddof, dim=dim, keepdim=keepdim,
                                      unbiased=unbiased, correction=correction))


def _ddof(ddof, dim, unbiased, correction):
    torch_given = [name for name, v in (("unbiased", unbiased), ("correction", correction))
                   if v is not None]
    if ddof is not None:
        if torch_given:
            raise TypeError(f"give numpy's ddof= or PyTorch's {torch_given[0]}=, not both")
        return ddof
    if len(torch_given) == 2:
        raise TypeError("give unbiased= or correction=, not both")
    if unbiased is not None:
        return 1 if unbiased else 0
    if correction is not None:
        return correction
    return 1 if dim is not None else 0


@method
def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    axes, keep = axis_args(self.ndim, axis, keepdims, dim, keepdim)
    shift = stable_shift(self.data, axes)  # a constant: exp never overflows
    out = (self - shift).exp().sum(axes, keepdims=True).log() + shift
    return out if keep else out.reshape(reduced_shape(self.shape, axes))


@method
def log_softmax(self, axis=-1, *, dim=None):
    return self - self.logsumexp(one_axis(axis, dim), keepdims=True)


@method
def softmax(self, axis=-1, *, dim=None):
    axis = one_axis(axis, dim)
    e = (self - stable_shift(self.data, normalize_axes(axis, self.ndim))).exp()
    return e / e.sum(axis, keepdims=True)


@method
def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.argmax, self, axis, keepdims, dim, keepdim)


@method
def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.argmin, self, axis, keepdims, dim, keepdim)


@method
def any(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.any, self, axis, keepdims, dim, keepdim)


@method
def all(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.all, self, axis, keepdims, dim, keepdim)


def _no_grad_reduction(fn, t, axis, keepdims, dim, keepdim):
    axis = one_axis(axis, dim)
    keepdims = keepdims if keepdim is None else keepdim
    return Tensor._make(np.asarray(fn(t.data, axis=axis, keepdims=keepdims)), False, None, ())


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
def squeeze(self, axis=None, *, dim=None):
    return self.reshape(squeezed_shape(self.shape, one_axis(axis, dim)))


@method
def unsqueeze(self, axis=None, *, dim=None):
    axis = one_axis(axis, dim)
    return self.reshape(np.expand_dims(np.empty(self.shape, dtype=bool), axis).shape)


@method
def flatten(self, start_dim=0, end_dim=-1, *, order=None):
    if isinstance(start_dim, str) or order is not None:  # numpy's flatten(order)
        from .ops.layout import numpy_flatten
        return numpy_flatten(self, start_dim, end_dim, order)
    return self.reshape(flattened_shape(self.shape, start_dim, end_dim))


Tensor.__getitem__ = lambda self, index: ops.GetItem.apply(self, plain_index(index))


@method
def pad(self, widths, value=0):
    return ops.Pad.apply(self, pad_widths(widths, self.ndim), value)


# -- numpy functions and ufuncs on Tensors (also what backward rules call) -------
Tensor.__array_ufunc__ = lambda self, ufunc, method, *inputs, **kwargs: \
    array_ufunc(ufunc, method, inputs, kwargs)
Tensor.__array_function__ = lambda self, func, types, args, kwargs: \
    array_function(func, args, kwargs)
