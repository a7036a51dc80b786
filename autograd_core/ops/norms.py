"""numpy.linalg.norm (vector and matrix norms), and PyTorch's Tensor.norm.

The p-norm is one Function. Its gradient at a zero vector is 0, as
PyTorch's, and so is its second derivative there (PyTorch's is nan): the
division runs on a safe stand-in, so no unselected branch is nan.
"""
import numpy as np

from ..function import Function
from ..axes import kept_shape, normalize_axes
from .common import as_tensor
from .layout import moveaxis


class VectorNorm(Function):
    """(sum |x|^p over `axes`) ^ (1/p), for a finite p != 0."""

    @staticmethod
    def forward(ctx, x, p, axes, keepdims):
        ctx.p, ctx.kept = p, kept_shape(x.shape, axes)
        if p == 2:
            out = np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims))
        else:
            with np.errstate(divide="ignore"):
                out = np.sum(np.abs(x) ** p, axis=axes, keepdims=keepdims) ** (1.0 / p)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        p = ctx.p
        out, grad = np.reshape(out, ctx.kept), np.reshape(grad, ctx.kept)
        zero = out == 0
        safe = np.where(zero, 1, out)
        if p == 2:
            return x * np.where(zero, 0, grad / safe)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(zero, 0, grad / safe ** (p - 1))
            # sign(x) |x|^(p-1) is 0 at x = 0 for any p, as in PyTorch (not 0 * inf); the
            # formula not picked there keeps its inf, so that differentiated again (p < 2,
            # where the second derivative is unbounded at 0) it gives nan, as PyTorch does
            return np.where(x == 0, 0, np.sign(x) * np.abs(x) ** (p - 1)) * scale


def _vector_norm(x, ord, axes, keepdims):
    if ord is None or ord == 2:
        return VectorNorm.apply(x, 2, axes, keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    if ord == np.inf:
        return x.abs().max(axis=axes, keepdims=keepdims)
    if ord == -np.inf:
        return x.abs().min(axis=axes, keepdims=keepdims)
    if ord == 0:  # a count: no gradient
        return as_tensor((x.data != 0).sum(axis=axes, keepdims=keepdims).astype(x.dtype))
    if ord == 1:
        return x.abs().sum(axis=axes, keepdims=keepdims)
    return VectorNorm.apply(x, float(ord), axes, keepdims)


def _matrix_norm(x, ord, row, col, keepdims):
    from .decompositions import svd
    if ord in (None, "fro", "f"):
        out = VectorNorm.apply(x, 2, tuple(sorted((row, col))), False)
    elif ord == "nuc" or ord in (2, -2):
        s = svd(moveaxis(x, (row, col), (-2, -1)), compute_uv=False)
        out = s.sum(axis=-1) if ord == "nuc" else s.max(axis=-1) if ord == 2 else s.min(axis=-1)
    elif ord in (1, -1):
        sums = x.abs().sum(axis=row)
        c = col - 1 if col > row else col
        out = sums.max(axis=c) if ord == 1 else sums.min(axis=c)
    elif ord in (np.inf, -np.inf):
        sums = x.abs().sum(axis=col)
        r = row - 1 if row > col else row
        out = sums.max(axis=r) if ord == np.inf else sums.min(axis=r)
    else:
        raise ValueError("Invalid norm order for matrices.")
    if keepdims:
        out = out.reshape(kept_shape(x.shape, (row, col)))
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    t = as_tensor(x)
    if t.dtype.kind not in "f":
        t = t.astype(np.float64)
    if axis is None:
        if ord is None:  # the 2-norm of all entries, whatever the shape
            return VectorNorm.apply(t, 2, tuple(range(t.ndim)), bool(keepdims))
        if t.ndim == 1:
            axis = 0
        elif t.ndim == 2:
            axis = (0, 1)
        else:
            raise ValueError("Improper number of dimensions to norm.")
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    if len(axes) == 1:
        return _vector_norm(t, ord, normalize_axes(axes, t.ndim), bool(keepdims))
    if len(axes) == 2:
        row, col = (int(a) % t.ndim for a in axes)
        if row == col:
            raise ValueError("Duplicate axes given.")
        return _matrix_norm(t, ord, row, col, bool(keepdims))
    raise ValueError("Improper number of dimensions to norm.")


def tensor_norm(t, p="fro", dim=None, keepdim=False, *, axis=None):
    """PyTorch's Tensor.norm: the p-norm of the entries over `dim` (all of
    them by default, and for an empty dim, as in PyTorch); 'fro' is the
    2-norm, 'nuc' the nuclear norm of a matrix. `axis` is accepted as
    numpy's name for dim."""
    if axis is not None:
        if dim is not None:
            raise TypeError("norm: give dim= or axis=, not both")
        dim = axis
    if t.dtype.kind != "f":  # integers and booleans: in float64 (x * x would overflow them)
        t = t.astype(np.float64)
    if isinstance(dim, (tuple, list)) and not dim:
        dim = None
    keepdim = bool(keepdim)
    if p == "nuc":
        if dim is None:
            if t.ndim != 2:
                raise ValueError("norm: p='nuc' needs a matrix, or dim= naming two axes")
            dim = (0, 1)
        row, col = (int(a) % t.ndim for a in dim)
        return _matrix_norm(t, "nuc", row, col, keepdim)
    axes = normalize_axes(dim, t.ndim)
    return _vector_norm(t, 2 if p == "fro" else p, axes, keepdim)
