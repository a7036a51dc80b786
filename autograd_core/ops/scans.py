"""Running sums and products along an axis, and differences (numpy's cumsum,
cumprod, diff)."""
import numpy as np

from ..function import Function
from .axes import normalize_axes
from .common import as_tensor, cast_for


class Cumsum(Function):
    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        return np.cumsum(x, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        # each input reaches every later output: the sum of the gradients from
        # its position to the end, a cumsum run backwards
        return np.flip(np.cumsum(np.flip(grad, ctx.axis), axis=ctx.axis), ctx.axis)


class Cumprod(Function):
    @staticmethod
    def forward(ctx, x, axis):
        out = np.cumprod(x, axis=axis)
        ctx.save_for_backward(x, out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        axis = ctx.axis
        if not (x == 0).any():
            later = np.flip(np.cumsum(np.flip(grad * out, axis), axis=axis), axis)
            return later / x
        return cumprod_grad_with_zeros(x, grad, axis)


def cumprod_grad_with_zeros(x, grad, axis):
    """d(sum_j g_j out_j)/dx_i = sum_{j >= i} g_j prod_{k <= j, k != i} x_k,
    written without dividing by x: row i of an n x n copy of x has x_i set to
    1, its cumprod gives the products, and a triangle keeps j >= i. Costs n^2
    per line; used only when x holds a zero."""
    n = x.shape[axis]
    moved, g = np.moveaxis(x, axis, -1), np.moveaxis(grad, axis, -1)
    eye = np.eye(n, dtype=bool)
    products = np.cumprod(np.where(eye, 1, moved[..., None, :]), axis=-1)
    later = np.triu(np.ones((n, n), dtype=bool))
    result = (np.where(later, products, 0) * g[..., None, :]).sum(axis=-1)
    return np.moveaxis(result, -1, axis)


def _scan(function, a, axis, dtype):
    x = cast_for(as_tensor(a), dtype)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return function.apply(x, normalize_axes(axis, x.ndim)[0] if x.ndim else None)


def cumsum(a, axis=None, dtype=None):
    x = as_tensor(a)
    if x.ndim == 0:
        return _scan(Cumsum, x.reshape(1), 0, dtype)
    return _scan(Cumsum, x, axis, dtype)


def cumprod(a, axis=None, dtype=None):
    x = as_tensor(a)
    if x.ndim == 0:
        return _scan(Cumprod, x.reshape(1), 0, dtype)
    return _scan(Cumprod, x, axis, dtype)


def diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    """Differences of neighbours along `axis`, `n` times (numpy's slicing)."""
    x = as_tensor(a)
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n}")
    if x.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = normalize_axes(axis, x.ndim)[0]
    parts = []
    for extra in (prepend, append):
        if extra is np._NoValue:
            parts.append(None)
            continue
        extra = as_tensor(extra)
        if extra.ndim == 0:
            shape = list(x.shape)
            shape[axis] = 1
            extra = extra.broadcast_to(tuple(shape))
        parts.append(extra)
    from .joining import concatenate
    if parts[0] is not None or parts[1] is not None:
        x = concatenate([p for p in (parts[0], x, parts[1]) if p is not None], axis=axis)
    lead = (slice(None),) * axis
    for _ in range(n):
        x = x[lead + (slice(1, None),)] - x[lead + (slice(None, -1),)]
    return x
