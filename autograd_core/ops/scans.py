"""Running sums and products along an axis, and differences (numpy's cumsum,
cumprod, diff)."""
import numpy as np

from ..function import Function
from ..axes import normalize_axes
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
    x = cast_for(as_tensor(a), dtype, f"numpy.{function.__name__.lower()}")
    if axis is None:
        x, axis = x.reshape(-1), 0
    return function.apply(x, _one(axis, x.ndim, function.__name__.lower()) if x.ndim else None)


def _one(axis, ndim, what):
    """One axis: a scan (or diff) runs along a single one, as numpy and PyTorch insist."""
    if axis is None or isinstance(axis, (tuple, list)):  # (numpy refuses them too)
        raise TypeError(f"{what}: axis must be one integer, got {axis!r}")
    return normalize_axes(axis, ndim)[0]


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
    axis = _one(axis, x.ndim, "diff")
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


def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy's gradient: central differences inside, one-sided ones (first or
    second order) at the edges; spacing a number per axis or coordinates."""
    from .joining import concatenate
    x = as_tensor(f)
    axes = normalize_axes(axis, x.ndim) if axis is None else \
        tuple(normalize_axes(a, x.ndim)[0] for a in ((axis,) if np.ndim(axis) == 0 else axis))
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    if not varargs:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        spacings = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    out = []
    for ax, h in zip(axes, spacings):
        if hasattr(h, "_ctx"):
            if h.requires_grad:  # (computed from its values: the gradient would be lost)
                raise TypeError("numpy.gradient: a spacing or coordinates that require grad "
                                "get no gradient here; pass h.detach(), or write the "
                                "differences with Tensor operations")
            h = h.data
        n = x.shape[ax]
        if np.ndim(h) == 1 and len(h) != n:
            raise ValueError(f"when 1d, distances must match the length of the corresponding "
                             f"dimension (got {len(h)} coordinates for {n} values)")
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        uniform = np.ndim(h) == 0
        dx = h if uniform else np.diff(np.asarray(h, dtype=np.float64))

        def part(start, stop):
            index = [slice(None)] * x.ndim
            index[ax] = slice(start, stop)
            return x[tuple(index)]

        def along(v):  # coordinate-dependent weights, broadcast along `ax`
            if uniform:
                return v
            shape = [1] * x.ndim
            shape[ax] = -1
            return np.reshape(v, shape).astype(x.dtype if x.dtype.kind == "f" else np.float64)

        if uniform:
            inside = (part(2, None) - part(None, -2)) / (2.0 * dx)
        else:
            d1, d2 = dx[:-1], dx[1:]
            inside = (along(-d2 / (d1 * (d1 + d2))) * part(None, -2) + along((d2 - d1) / (d1 * d2))
                      * part(1, -1) + along(d1 / (d2 * (d1 + d2))) * part(2, None))
        d0, dn = (dx, dx) if uniform else (dx[0], dx[-1])
        if edge_order == 1:
            first = (part(1, 2) - part(0, 1)) / d0
            last = (part(n - 1, n) - part(n - 2, n - 1)) / dn
        else:
            if uniform:
                a, b, c = -1.5 / dx, 2.0 / dx, -0.5 / dx
                p, q, r = 0.5 / dx, -2.0 / dx, 1.5 / dx
            else:
                d1, d2 = dx[0], dx[1]
                a, b, c = -(2 * d1 + d2) / (d1 * (d1 + d2)), (d1 + d2) / (d1 * d2), -d1 / (d2 * (d1 + d2))
                d1, d2 = dx[-2], dx[-1]
                p, q, r = d2 / (d1 * (d1 + d2)), -(d2 + d1) / (d1 * d2), (2 * d2 + d1) / (d2 * (d1 + d2))
            a, b, c, p, q, r = (float(v) for v in (a, b, c, p, q, r))
            first = a * part(0, 1) + b * part(1, 2) + c * part(2, 3)
            last = p * part(n - 3, n - 2) + q * part(n - 2, n - 1) + r * part(n - 1, n)
        out.append(concatenate([first, inside, last], axis=ax))
    return out[0] if len(out) == 1 else tuple(out)
