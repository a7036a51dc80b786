"""Products that contract axes: tensordot and einsum as Functions; dot,
inner, outer, vdot, kron, cross and trace written with them (numpy's meanings)."""
import warnings

import numpy as np

from ..function import Function
from ..axes import normalize_axes
from .common import as_tensor
from .einsum import einsum  # noqa: F401  (einsum lives beside its parser)


class Tensordot(Function):
    """Sum of a * b over `axes_a` of a against `axes_b` of b; the free axes of
    a, then those of b, make the result."""

    same_float = (0, 1)

    @staticmethod
    def forward(ctx, a, b, axes_a, axes_b):
        ctx.save_for_backward(a, b)
        ctx.axes = axes_a, axes_b
        return np.tensordot(a, b, (axes_a, axes_b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        axes_a, axes_b = ctx.axes
        free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
        free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
        k = len(free_a)
        need_a, need_b = ctx.needs_input_grad[:2]
        da = db = None
        # tensordot leaves the uncontracted axes in their own order: a's free
        # axes then b's contracted ones (for da), a's contracted ones then b's
        # free axes (for db); each is then put back in its input's axis order
        if need_a:
            da = np.tensordot(grad, b, (list(range(k, np.ndim(grad))), free_b))
            order = free_a + [axes_a[axes_b.index(j)] for j in sorted(axes_b)]
            da = np.transpose(da, tuple(int(i) for i in np.argsort(order)))
        if need_b:
            db = np.tensordot(a, grad, (free_a, list(range(k))))
            order = [axes_b[axes_a.index(i)] for i in sorted(axes_a)] + free_b
            db = np.transpose(db, tuple(int(i) for i in np.argsort(order)))
        return da, db


def tensordot(a, b, axes=2):
    a, b = as_tensor(a), as_tensor(b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > a.ndim or n > b.ndim:
            raise ValueError(f"tensordot: cannot contract {n} axes of shapes {a.shape} and {b.shape}")
        axes_a, axes_b = tuple(range(a.ndim - n, a.ndim)), tuple(range(n))
    else:
        try:
            axes_a, axes_b = axes
        except (TypeError, ValueError):
            raise ValueError(f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}") from None
        axes_a = (axes_a,) if isinstance(axes_a, (int, np.integer)) else tuple(axes_a)
        axes_b = (axes_b,) if isinstance(axes_b, (int, np.integer)) else tuple(axes_b)
        if len(axes_a) != len(axes_b):
            raise ValueError(f"tensordot: {len(axes_a)} axes of a against {len(axes_b)} of b")
        for i, n in [(i, a.ndim) for i in axes_a] + [(j, b.ndim) for j in axes_b]:
            if not -n <= int(i) < n:  # (numpy's error: an axis out of range is never wrapped)
                raise IndexError(f"tensordot: axis {i} is out of range for {n} dimensions")
        axes_a = tuple(int(i) % a.ndim if a.ndim else int(i) for i in axes_a)
        axes_b = tuple(int(i) % b.ndim if b.ndim else int(i) for i in axes_b)
        for i, j in zip(axes_a, axes_b):
            if i >= a.ndim or j >= b.ndim or a.shape[i] != b.shape[j]:
                raise ValueError(f"tensordot: shape-mismatch for sum: axes {axes_a} of {a.shape} "
                                 f"against axes {axes_b} of {b.shape}")
    return Tensordot.apply(a, b, axes_a, axes_b)


def dot(a, b):
    """numpy's dot: a product for 0-d operands, else the last axis of a
    against the second-to-last of b (the only one, for 1-d b)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim <= 2 and b.ndim <= 2:
        return a @ b
    return tensordot(a, b, ([a.ndim - 1], [max(b.ndim - 2, 0)]))


def inner(a, b):
    """Sum over the last axes of a and b (a product for 0-d operands)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, ([a.ndim - 1], [b.ndim - 1]))


def outer(a, b):
    a, b = as_tensor(a), as_tensor(b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def vdot(a, b):
    """Both flattened, then their dot product."""
    a, b = as_tensor(a), as_tensor(b)
    if a.size != b.size:
        raise ValueError(f"vdot: vectors have different lengths ({a.size} and {b.size})")
    return tensordot(a.reshape(-1), b.reshape(-1), 1)


def kron(a, b):
    """Blocks a[i] * b: the two arrays' axes interleaved, then merged."""
    a, b = as_tensor(a), as_tensor(b)
    nd = max(a.ndim, b.ndim)
    sa, sb = (1,) * (nd - a.ndim) + a.shape, (1,) * (nd - b.ndim) + b.shape
    spread_a = a.reshape(tuple(x for n in sa for x in (n, 1)))
    spread_b = b.reshape(tuple(x for n in sb for x in (1, n)))
    return (spread_a * spread_b).reshape(tuple(m * n for m, n in zip(sa, sb)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross products of 3-vectors (a 2-vector counts as z = 0; two 2-vectors
    give the z component only, as numpy does)."""
    from .joining import stack
    from .layout import moveaxis
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(as_tensor(a), axisa, -1), moveaxis(as_tensor(b), axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    z = a0 * b1 - a1 * b0
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=3)
        return z
    a2 = a[..., 2] if a.shape[-1] == 3 else 0
    b2 = b[..., 2] if b.shape[-1] == 3 else 0
    x, y = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2
    shape = np.broadcast_shapes(np.shape(x), np.shape(y), z.shape)
    out = stack([as_tensor(c).broadcast_to(shape) for c in (x, y, z)], axis=-1)
    return moveaxis(out, -1, normalize_axes(axisc, out.ndim)[0])


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    from .layout import diagonal
    from .common import cast_for
    # (numpy sums the diagonal in `dtype`: each element cast first)
    return cast_for(diagonal(as_tensor(a), offset, axis1, axis2), dtype, "numpy.trace").sum(axis=-1)
