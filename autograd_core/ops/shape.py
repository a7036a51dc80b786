"""Ops that move elements around: their backward puts gradients back."""
import numpy as np

from ..function import Function
from ..tensor import Tensor
from ..axes import copy_index_arrays, is_basic_index, sum_to


class View(Function):
    """The same values as a new node (a numpy view): what to differentiate
    with respect to when the input itself must stay connected."""

    elementwise = True

    @staticmethod
    def forward(ctx, x):
        return x.view()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Reshape(Function):
    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)


class Transpose(Function):
    @staticmethod
    def forward(ctx, x, axes):
        ctx.inverse = tuple(np.argsort(axes))
        return x.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(ctx.inverse)


class BroadcastTo(Function):
    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return sum_to(grad, ctx.shape)


class GetItem(Function):
    @staticmethod
    def forward(ctx, x, index):
        # index arrays are copied: the caller may reuse theirs before backward
        ctx.shape, ctx.index = x.shape, copy_index_arrays(index)
        out = x[index]
        if type(out) is not np.ndarray:  # an integer per axis: a 0-d view, as PyTorch's t[i]
            out = x[(*index, ...) if type(index) is tuple else (index, ...)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return IndexAdd.apply(grad, ctx.shape, ctx.index)


class IndexAdd(Function):
    """zeros(shape) with `grad` added at `index`: repeated indices accumulate."""

    @staticmethod
    def forward(ctx, grad, shape, index):
        ctx.index = index
        grad = np.asarray(grad)  # a 0-d gradient may arrive as a plain number
        out = np.zeros(shape, dtype=grad.dtype)
        if is_basic_index(index):
            out[index] = grad
        else:
            np.add.at(out, index, grad)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index]


class Pad(Function):
    same_float = (0, 2)
    keeps_first_dtype = True  # (np.pad casts the fill value to x's dtype)

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.inside = tuple(slice(before, before + n) for (before, _), n in zip(widths, x.shape))
        return np.pad(x, widths, constant_values=value)

    @staticmethod
    def backward(ctx, grad):
        inner = grad[ctx.inside]
        # the fill value (a Tensor that requires grad) gets every padded position's gradient
        return inner, None, (grad.sum() - inner.sum() if ctx.needs_input_grad[2] else None)


class Cat(Function):
    same_float = range(1, Function.ANY)  # every array joined

    @staticmethod
    def forward(ctx, axis, *arrays):
        ctx.axis = axis
        ctx.bounds = np.cumsum([0] + [a.shape[axis] for a in arrays])
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.axis
        return (None,) + tuple(grad[lead + (slice(int(lo), int(hi)),)]
                               for lo, hi in zip(ctx.bounds[:-1], ctx.bounds[1:]))


def cat(tensors, axis=0, *, dim=None):
    """Join tensors along an existing axis (numpy's concatenate)."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat() needs at least one tensor")
    axis = axis if dim is None else dim
    ndim = tensors[0].ndim
    if not -ndim <= axis < ndim:
        raise ValueError(f"cat: axis {axis} is out of range for {ndim}-d tensors")
    axis %= ndim
    shapes = [t.shape for t in tensors]
    if any(len(s) != ndim or s[:axis] + s[axis + 1:] != shapes[0][:axis] + shapes[0][axis + 1:]
           for s in shapes):
        raise ValueError(f"cat: shapes {shapes} must match except along axis {axis}")
    return Cat.apply(axis, *tensors)


def stack(tensors, axis=0, *, dim=None):
    """Join tensors of one shape along a new axis."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack() needs at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors must have one shape, got {sorted(shapes)}")
    axis = axis if dim is None else dim
    return cat([t.unsqueeze(axis) for t in tensors], axis=axis % (tensors[0].ndim + 1))
