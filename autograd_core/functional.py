"""Whole derivatives of a function at a point, as PyTorch's autograd.functional.

`f` takes one Tensor (or a tuple of them, passed as separate arguments) and
returns one Tensor. Results are detached unless `create_graph=True`.
"""
import numpy as np

from .autograd import grad
from .ops import stack
from .tensor import Tensor


def _leaves(x):
    """Fresh leaves that require grad, so `f`'s graph starts at them."""
    single = isinstance(x, Tensor)
    xs = (x,) if single else tuple(x)
    for i, t in enumerate(xs):
        if not isinstance(t, Tensor):
            raise TypeError(f"inputs[{i}] is a {type(t).__name__}; pass Tensors")
    return single, tuple(Tensor(t.data, dtype=t.dtype, requires_grad=True) for t in xs)


def _call(f, xs):
    out = f(*xs)
    if not isinstance(out, Tensor):
        raise TypeError(f"the function must return one Tensor, got {type(out).__name__}")
    return out


def _grads(out, xs, v, create_graph):
    """grad that gives zeros (not None) for inputs the output does not use."""
    if not out.requires_grad:
        return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in xs)
    gs = grad(out, xs, v, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) if g is None else g
                 for g, x in zip(gs, xs))


def _result(single, items, create_graph):
    items = tuple(t if create_graph else t.detach() for t in items)
    return items[0] if single else items


def vjp(f, x, v=None, create_graph=False):
    """(f(x), v^T J): the output and the vector-Jacobian product."""
    single, xs = _leaves(x)
    out = _call(f, xs)
    return out.detach(), _result(single, _grads(out, xs, v, create_graph), create_graph)


def jvp(f, x, v, create_graph=False):
    """(f(x), J v), computed by differentiating the vjp (linear in u) w.r.t. u."""
    single, xs = _leaves(x)
    vs = (v,) if single else tuple(v)
    out = _call(f, xs)
    u = Tensor(np.zeros(out.shape, dtype=out.dtype), requires_grad=True)
    pullback = _grads(out, xs, u, create_graph=True)
    total = sum(((g * w).sum() for g, w in zip(pullback, vs)), Tensor(np.zeros((), out.dtype)))
    jv = _grads(total, (u,), None, create_graph)[0]
    return out.detach(), jv if create_graph else jv.detach()


def jacobian(f, x, create_graph=False):
    """d f(x) / d x, of shape f(x).shape + x.shape (a tuple for tuple inputs)."""
    single, xs = _leaves(x)
    out = _call(f, xs)
    rows = []
    for k in range(max(out.size, 1) if out.size else 0):
        seed = np.zeros(out.size, dtype=out.dtype)
        seed[k] = 1
        rows.append(_grads(out, xs, seed.reshape(out.shape), create_graph))
    jac = []
    for i, xi in enumerate(xs):
        if rows:
            j = stack([r[i] for r in rows]).reshape(out.shape + xi.shape)
        else:
            j = Tensor(np.zeros(out.shape + xi.shape, dtype=xi.dtype))
        jac.append(j)
    return _result(single, jac, create_graph)


def hessian(f, x, create_graph=False):
    """Second derivatives of a scalar f, of shape x.shape + x.shape."""
    single, xs = _leaves(x)
    if not single:
        raise TypeError("hessian takes one Tensor input")

    def gradient(x):
        out = _call(f, (x,))
        _require_scalar(out, "hessian")
        return _grads(out, (x,), None, create_graph=True)[0]
    return jacobian(gradient, xs[0], create_graph)


def hvp(f, x, v, create_graph=False):
    """(f(x), H v) for a scalar f: the Hessian times a vector, without forming H."""
    single, xs = _leaves(x)
    vs = (v,) if single else tuple(v)
    out = _call(f, xs)
    _require_scalar(out, "hvp")
    g = _grads(out, xs, None, create_graph=True)
    total = sum(((gi * vi).sum() for gi, vi in zip(g, vs)), Tensor(np.zeros((), out.dtype)))
    return out.detach(), _result(single, _grads(total, xs, None, create_graph), create_graph)


def _require_scalar(out, what):
    if out.size != 1:
        raise ValueError(f"{what} needs a function with one output value; f returned shape {out.shape}")
