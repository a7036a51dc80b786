"""Reductions over `axes` (a normalized tuple), with or without kept dims."""
import numpy as np

from ..function import Function
from ..axes import kept_shape


class Sum(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdims):
        ctx.shape, ctx.kept = x.shape, kept_shape(x.shape, axes)
        return x.sum(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        return np.broadcast_to(grad.reshape(ctx.kept), ctx.shape)


class Max(Function):
    """The largest values over `axes`; ties share the gradient equally."""

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        return _extreme(ctx, x, axes, keepdims, np.max)

    @staticmethod
    def backward(ctx, grad):
        share, = ctx.saved_tensors
        return grad.reshape(ctx.kept) * share


class Min(Max):
    """The smallest values (computed as such: -max(-x) would wrap unsigned integers)."""

    @staticmethod
    def forward(ctx, x, axes, keepdims):
        return _extreme(ctx, x, axes, keepdims, np.min)


def _extreme(ctx, x, axes, keepdims, pick):
    if x.size == 0:
        raise ValueError(f"{pick.__name__} of an empty tensor (shape {x.shape}) has no value")
    top = pick(x, axis=axes, keepdims=True)
    hits = x == top
    if np.isnan(top).any():  # a nan is the max: its gradient goes to the nan, as PyTorch's
        hits |= np.isnan(x) & np.isnan(top)
    # ties share the gradient equally; a constant, as the derivative of a mask is 0
    ctx.save_for_backward((hits / hits.sum(axis=axes, keepdims=True)).astype(x.dtype))
    ctx.kept = top.shape
    return top if keepdims else top.squeeze(axis=axes)


class Prod(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdims):
        ctx.save_for_backward(x)
        ctx.axes, ctx.kept = axes, kept_shape(x.shape, axes)
        return x.prod(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        grad = grad.reshape(ctx.kept)
        if not (x == 0).any():
            return grad * x.prod(axis=ctx.axes, keepdims=True) / x
        return grad * product_of_others(x, ctx.axes)


def product_of_others(x, axes):
    """For each element, the product of the others along `axes` (zeros allowed).

    Moves the reduced axes last, flattens them to n, and multiplies each row
    of an n x n copy with its diagonal set to 1. Written with numpy calls that
    Tensors also support, so it is differentiable in turn.
    """
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = x.transpose(rest + list(axes))
    n = int(np.prod([x.shape[a] for a in axes]))
    flat = moved.reshape(moved.shape[:len(rest)] + (1, n))
    eye = np.eye(n, dtype=bool)
    others = np.where(eye, 1, flat).prod(axis=-1)
    back = np.argsort(rest + list(axes))
    return others.reshape(moved.shape).transpose(tuple(back))
