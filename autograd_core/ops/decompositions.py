"""numpy.linalg's inverse, determinants, solve, pseudo-inverse and
factorizations, batched over leading axes like numpy's.

Backward rules use matmul, solve and inv on the saved inputs and outputs, so
they are differentiable again. Where a rule divides by a difference of
eigenvalues or singular values, the difference is replaced by 1 where it is
0 and the term set to 0: the term only matters for eigenvectors of a
repeated eigenvalue, whose gradient does not exist, and a nan there would
poison the gradient of the values, which does.

cholesky and eigh read one triangle of their argument (the lower one, by
default), as numpy's do; their gradient is the gradient of that function:
the other triangle gets 0. On symmetric perturbations it agrees with
PyTorch's (which assumes the argument symmetric).

Functions with several outputs (eigh, svd) return them packed into one
array along the last axis, and `unpack` splits it, as Tensors or arrays.
"""
from collections import namedtuple

import numpy as np

from ..function import Function
from .common import as_tensor

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def T(x):
    return np.swapaxes(x, -1, -2)


def square_check(name, a):
    if np.ndim(a) < 2 or np.shape(a)[-1] != np.shape(a)[-2]:
        raise np.linalg.LinAlgError(f"{name}: last 2 dimensions of the array must be square, "
                                    f"got shape {np.shape(a)}")


def singular_error(name):
    return np.linalg.LinAlgError(
        f"{name}: the matrix is singular (determinant 0). Its inverse does not exist, and "
        f"the gradient of {name} there is not computed: keep the matrix invertible (e.g. add "
        "a small multiple of the identity)")


def lower_triangle_weights(n, dtype):
    """Weights that turn a symmetric gradient into the gradient of a function
    reading only the lower triangle: 2 below the diagonal, 1 on it, 0 above."""
    return (2 * np.tri(n, dtype=dtype) - np.eye(n, dtype=dtype))


def off_diagonal_reciprocal(d):
    """1 / d off the diagonal and where d != 0; 0 elsewhere (never nan)."""
    n = np.shape(d)[-1]
    zero = np.eye(n, dtype=bool) | (d == 0)
    return np.where(zero, 0, 1 / np.where(zero, 1, d))


class Inv(Function):
    @staticmethod
    def forward(ctx, a):
        out = np.linalg.inv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -(T(out) @ grad @ T(out))


class Det(Function):
    @staticmethod
    def forward(ctx, a):
        square_check("det", a)
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        if (out == 0).any():
            raise singular_error("det")
        return (grad * out)[..., None, None] * T(np.linalg.inv(a))


class LogAbsDet(Function):
    """log |det a|, slogdet's second output (the sign has no gradient)."""

    @staticmethod
    def forward(ctx, a):
        square_check("slogdet", a)
        sign, out = np.linalg.slogdet(a)
        ctx.singular = bool((sign == 0).any())
        ctx.save_for_backward(a)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        if ctx.singular:
            raise singular_error("slogdet")
        return grad[..., None, None] * T(np.linalg.inv(a))


class Solve(Function):
    """x with a @ x = b; a 1-d b is one vector (numpy 2's rule)."""

    same_float = (0, 1)

    @staticmethod
    def forward(ctx, a, b):
        out = np.linalg.solve(a, b)
        ctx.vector = np.ndim(b) == 1
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if ctx.vector:
            gb = np.linalg.solve(T(a), grad[..., None])[..., 0]
            ga = -(gb[..., :, None] * out[..., None, :]) if need_a else None
        else:
            gb = np.linalg.solve(T(a), grad)
            ga = -(gb @ T(out)) if need_a else None
        return ga, gb if need_b else None


class Pinv(Function):
    """Moore-Penrose pseudo-inverse; the gradient of Golub and Pereyra,
    valid where the rank does not change."""

    @staticmethod
    def forward(ctx, a, rcond, hermitian, rtol):
        out = np.linalg.pinv(a, rcond=rcond, hermitian=hermitian, rtol=rtol)
        if ctx.needs_input_grad[0]:
            if hermitian:
                raise TypeError("numpy.linalg.pinv(hermitian=True) reads one triangle of a "
                                "matrix that requires grad, which has no gradient here; symmetrize "
                                "it first, (a + a.mT) / 2, and leave hermitian=False")
            # the rule holds where no singular value was cut but numerically zero ones:
            # the pseudo-inverse keeps as many as a has above its rounding level
            if a.size and _rank(out) < _rank(a):
                raise ValueError("numpy.linalg.pinv: rcond/rtol cut nonzero singular values of a "
                                 "matrix that requires grad, where this gradient does not hold; "
                                 "cut them yourself (an explicit SVD) or lower rcond")
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, p = ctx.saved_tensors
        m, n = np.shape(a)[-2:]
        left = np.eye(m, dtype=bool) - a @ p   # I - A A+
        right = np.eye(n, dtype=bool) - p @ a  # I - A+ A
        return (-(T(p) @ grad @ T(p)) + left @ T(grad) @ p @ T(p)
                + T(p) @ p @ T(grad) @ right), None, None, None


def _rank(m):
    """Singular values above the rounding level of `m`'s dtype (per matrix: the least)."""
    s = np.linalg.svd(m, compute_uv=False)
    level = s.max(axis=-1, keepdims=True) * max(m.shape[-2:]) * np.finfo(m.dtype).eps * 10
    return (s > level).sum(axis=-1).min()


class Cholesky(Function):
    """L with L L^T = a, reading a's lower triangle."""

    @staticmethod
    def forward(ctx, a):
        square_check("cholesky", a)
        out = np.linalg.cholesky(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        L, = ctx.saved_tensors
        n = np.shape(L)[-1]
        # phi: the lower triangle with half the diagonal (Murray, 2016)
        phi = (T(L) @ grad) * (np.tri(n, dtype=L.dtype) - 0.5 * np.eye(n, dtype=L.dtype))
        inv = np.linalg.inv(L)
        s = T(inv) @ phi @ inv
        return (s + T(s)) * (0.5 * lower_triangle_weights(n, L.dtype))


def pack(*arrays, batch):
    """Arrays with the same leading `batch` axes, flattened after them and
    joined along the last axis."""
    return np.concatenate([np.reshape(a, np.shape(a)[:batch] + (-1,)) for a in arrays], axis=-1)


def unpack(packed, shapes):
    """The arrays `pack` joined, given their shapes after the batch axes."""
    batch, out, start = np.shape(packed)[:-1], [], 0
    for shape in shapes:
        size = int(np.prod(shape, dtype=np.int64))
        out.append(np.reshape(packed[..., start:start + size], batch + shape))
        start += size
    return out


class Eigh(Function):
    """Eigenvalues (ascending) and eigenvectors of the symmetric matrix read
    from a's lower triangle, packed."""

    @staticmethod
    def forward(ctx, a):
        square_check("eigh", a)
        w, v = np.linalg.eigh(a)
        ctx.n = w.shape[-1]
        out = pack(w, v, batch=w.ndim - 1)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        n = ctx.n
        w, v = unpack(out, [(n,), (n, n)])
        gw, gv = unpack(grad, [(n,), (n, n)])
        f = off_diagonal_reciprocal(w[..., None, :] - w[..., :, None])  # 1 / (w_j - w_i)
        middle = f * (T(v) @ gv) + np.eye(n, dtype=bool) * gw[..., None, :]
        g = v @ middle @ T(v)
        return (g + T(g)) * (0.5 * lower_triangle_weights(n, v.dtype))


class Svd(Function):
    """The thin SVD a = U diag(S) Vh, packed; Townsend's (2016) gradient."""

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.m, ctx.k, ctx.n = u.shape[-2], s.shape[-1], vh.shape[-1]
        out = pack(u, s, vh, batch=s.ndim - 1)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        m, k, n = ctx.m, ctx.k, ctx.n
        shapes = [(m, k), (k,), (k, n)]
        u, s, vh = unpack(out, shapes)
        gu, gs, gvh = unpack(grad, shapes)
        v, gv = T(vh), T(gvh)
        s2 = s * s
        f = off_diagonal_reciprocal(s2[..., None, :] - s2[..., :, None])  # 1 / (s_j^2 - s_i^2)
        j = f * (T(u) @ gu - T(gu) @ u)
        kk = f * (T(v) @ gv - T(gv) @ v)
        inner = j * s[..., None, :] + np.eye(k, dtype=bool) * gs[..., None, :] + s[..., :, None] * kk
        safe = np.where(s == 0, 1, s)
        g = u @ inner @ vh
        if m > k:
            g = g + (np.eye(m, dtype=bool) - u @ T(u)) @ (gu / safe[..., None, :]) @ vh
        if n > k:
            g = g + (u / safe[..., None, :]) @ T(gv) @ (np.eye(n, dtype=bool) - v @ vh)
        return g


class SvdVals(Function):
    """Singular values only: the gradient is U diag(g) Vh."""

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.u, ctx.vh = u, vh
        ctx.save_for_backward(a)
        return s

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        if isinstance(a, np.ndarray):
            u, vh = ctx.u, ctx.vh
        else:  # create_graph: vectors that depend on a, through the differentiable SVD
            u, _, vh = svd(a, full_matrices=False)
        return (u * grad[..., None, :]) @ vh


# -- numpy's signatures --------------------------------------------------------

def _singular(a):
    try:
        np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return True
    return False


def inv(a):
    t = as_tensor(a)
    square_check("inv", t)
    try:
        return Inv.apply(t)
    except ValueError:  # numpy's LinAlgError, as the engine reports forward's errors
        if _singular(t.data):
            raise singular_error("inv") from None
        raise


def det(a):
    return Det.apply(as_tensor(a))


def slogdet(a):
    t = as_tensor(a)
    square_check("slogdet", t)
    sign = np.linalg.slogdet(t.data)[0]
    return SlogdetResult(as_tensor(np.asarray(sign)), LogAbsDet.apply(t))


def solve(a, b):
    a, b = as_tensor(a), as_tensor(b)
    square_check("solve", a)
    try:
        return Solve.apply(a, b)
    except ValueError:
        if _singular(a.data):
            raise singular_error("solve") from None
        raise


def pinv(a, rcond=None, hermitian=False, *, rtol=np._NoValue):
    return Pinv.apply(as_tensor(a), rcond, hermitian, rtol)


def cholesky(a, /, *, upper=False):
    t = as_tensor(a)
    if upper:  # reads the upper triangle: the lower one of the transpose
        return T(Cholesky.apply(T(t)))
    return Cholesky.apply(t)


def eigh(a, UPLO="L"):
    t = as_tensor(a)
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    square_check("eigh", t)
    n = t.shape[-1]
    w, v = unpack(Eigh.apply(T(t) if UPLO == "U" else t), [(n,), (n, n)])
    return EighResult(w, v)


def eigvalsh(a, UPLO="L"):
    return eigh(a, UPLO)[0]


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    t = as_tensor(a)
    if hermitian and t.requires_grad:
        raise ValueError("svd: hermitian=True is not differentiable here; pass hermitian=False "
                         "(the same values for a symmetric matrix)")
    if hermitian:
        return _plain_svd(t, full_matrices, compute_uv, hermitian)
    if not compute_uv:
        return SvdVals.apply(t)
    m, n = t.shape[-2:]
    if full_matrices and m != n:
        if not t.requires_grad:
            return _plain_svd(t, full_matrices, compute_uv, hermitian)
        raise ValueError(f"svd: with full_matrices=True the extra {max(m, n) - min(m, n)} "
                         "singular vectors of a non-square matrix are not unique, so they have "
                         "no gradient; pass full_matrices=False")
    k = min(m, n)
    u, s, vh = unpack(Svd.apply(t), [(m, k), (k,), (k, n)])
    return SVDResult(u, s, vh)


def _plain_svd(t, full_matrices, compute_uv, hermitian):
    result = np.linalg.svd(t.data, full_matrices=full_matrices, compute_uv=compute_uv,
                           hermitian=hermitian)
    return SVDResult(*map(as_tensor, result)) if compute_uv else as_tensor(result)
