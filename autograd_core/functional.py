"""Whole derivatives of a function at a point, as torch.autograd.functional.

`f` takes Tensors (one, or a tuple passed as separate arguments) and returns
a Tensor or a tuple of Tensors; inputs, vectors and results follow that
structure: a tuple in, a tuple out. Results are detached unless
`create_graph=True`; then they stay connected to the inputs (and vectors)
you passed, so they can be differentiated again.
"""
import functools

import numpy as np

from .autograd import grad
from .engine import enable_grad, is_grad_enabled
from .ops import View, stack
from .tensor import Tensor


def _recording(function):
    """Run with grad mode on, as PyTorch's functional does: inside no_grad the
    derivatives would all be zero (nothing recorded)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with enable_grad():
            return function(*args, **kwargs)
    return wrapper


WRAP = "wrap it: Tensor(x)"
COMPUTE = "compute them with Tensor operations (not on .data or .numpy())"


def _as_tuple(x, what, fix=WRAP):
    """One Tensor, or a tuple (or list) of Tensors; anything else is refused
    before it is iterated (an ndarray would come apart into its rows)."""
    single = isinstance(x, Tensor)
    if not single and not isinstance(x, (tuple, list)):
        kind = "a numpy array" if isinstance(x, np.ndarray) else f"a {type(x).__name__}"
        raise TypeError(f"{what} is {kind}, not a Tensor or a tuple of Tensors; {fix}")
    items = (x,) if single else tuple(x)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"{what}[{i}] is a {type(t).__name__}, not a Tensor; {fix}")
    return single, items


def _inputs(x, create_graph):
    """What to differentiate with respect to: under create_graph, a new node
    on each input that requires grad (so the results depend on it); else a
    fresh leaf holding its values."""
    single, xs = _as_tuple(x, "inputs")
    connected = create_graph and is_grad_enabled()
    return single, tuple(View.apply(t) if connected and t.requires_grad else
                         Tensor(t.data, dtype=t.dtype, requires_grad=True) for t in xs)


def _outputs(f, xs):
    out = f(*xs)
    single, outs = _as_tuple(out, "the function's output", COMPUTE)
    return single, outs


def _vectors(v, like, what):
    """`v` shaped as `like` (a tuple of Tensors): one Tensor per item."""
    if v is None:
        return None
    if isinstance(v, (np.ndarray, np.generic, int, float)):  # one vector (not its rows)
        v = Tensor(np.asarray(v))
    _, vs = _as_tuple(v if isinstance(v, Tensor) else tuple(
        t if isinstance(t, Tensor) else Tensor(np.asarray(t)) for t in v), what)
    if len(vs) != len(like) or any(a.shape != b.shape for a, b in zip(vs, like)):
        raise ValueError(f"{what} must match {len(like)} tensor(s) of shapes "
                         f"{[t.shape for t in like]}, got shapes {[t.shape for t in vs]}")
    return vs


def _grads(outs, xs, vs, create_graph):
    """sum_k v_k^T d out_k / d x, for each x; zeros (not None) where x is unused."""
    pairs = [(o, v) for o, v in zip(outs, vs or [None] * len(outs)) if o.requires_grad]
    if not pairs:
        return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in xs)
    gs = grad([o for o, _ in pairs], list(xs), [v for _, v in pairs], retain_graph=True,
              create_graph=create_graph, allow_unused=True)
    return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) if g is None else g
                 for g, x in zip(gs, xs))


def _result(single, items, create_graph):
    items = tuple(t if create_graph else t.detach() for t in items)
    return items[0] if single else items


@_recording
def vjp(f, x, v=None, create_graph=False):
    """(f(x), v^T J): the outputs and the vector-Jacobian product. `v` has the
    outputs' structure (it may be left out for one output of one element)."""
    single, xs = _inputs(x, create_graph)
    single_out, outs = _outputs(f, xs)
    vs = _vectors(v, outs, "v")
    if vs is None and not all(o.size == 1 for o in outs):
        raise ValueError("vjp: v can be left out only when the function returns one element")
    return (_result(single_out, outs, create_graph),
            _result(single, _grads(outs, xs, vs, create_graph), create_graph))


@_recording
def jvp(f, x, v, create_graph=False):
    """(f(x), J v): the outputs and the Jacobian-vector product, `v` shaped as
    the inputs. Computed as the derivative of the vjp, which is linear in u,
    with respect to u."""
    single, xs = _inputs(x, create_graph)
    vs = _vectors(v, xs, "v")
    single_out, outs = _outputs(f, xs)
    us = tuple(Tensor(np.zeros(o.shape, dtype=o.dtype), requires_grad=True) for o in outs)
    pullback = _grads(outs, xs, us, create_graph=True)
    total = sum(((g * w).sum() for g, w in zip(pullback, vs)), Tensor(np.zeros((), outs[0].dtype)))
    jv = _grads((total,), us, None, create_graph)
    return _result(single_out, outs, create_graph), _result(single_out, jv, create_graph)


@_recording
def jacobian(f, x, create_graph=False):
    """d f(x) / d x, each of shape out.shape + x.shape: a Tensor for one
    input and one output, a tuple over inputs (or over outputs), a tuple of
    tuples for several of both (result[i][j] = d out_i / d x_j)."""
    single, xs = _inputs(x, create_graph)
    single_out, outs = _outputs(f, xs)
    per_output = []
    for o in outs:
        rows = []
        for k in range(o.size):
            seed = np.zeros(o.size, dtype=o.dtype)
            seed[k] = 1
            rows.append(_grads((o,), xs, (Tensor(seed.reshape(o.shape)),), create_graph))
        jac = tuple(stack([r[i] for r in rows]).reshape(o.shape + xi.shape) if rows else
                    Tensor(np.zeros(o.shape + xi.shape, dtype=xi.dtype))
                    for i, xi in enumerate(xs))
        per_output.append(_result(single, jac, create_graph))
    return per_output[0] if single_out else tuple(per_output)


@_recording
def hessian(f, x, create_graph=False):
    """Second derivatives of a scalar f, of shape x.shape + x.shape (for
    several inputs, result[i][j] = d2 f / d x_i d x_j)."""
    single, xs = _as_tuple(x, "inputs")

    def gradient(*ys):
        _, outs = _outputs(f, ys)
        _require_scalar(outs, "hessian")
        gs = _grads(outs, ys, None, create_graph=True)
        return gs[0] if single else gs
    return jacobian(gradient, xs[0] if single else xs, create_graph)


@_recording
def hvp(f, x, v, create_graph=False):
    """(f(x), H v) for a scalar f: the Hessian times a vector, without forming H."""
    single, xs = _inputs(x, create_graph)
    vs = _vectors(v, xs, "v")
    _, outs = _outputs(f, xs)
    _require_scalar(outs, "hvp")
    g = _grads(outs, xs, None, create_graph=True)
    total = sum(((gi * vi).sum() for gi, vi in zip(g, vs)), Tensor(np.zeros((), outs[0].dtype)))
    return (_result(True, outs, create_graph),
            _result(single, _grads((total,), xs, None, create_graph), create_graph))


def vhp(f, x, v, create_graph=False):
    """(f(x), v^T H) for a scalar f: equal to hvp's H v, the Hessian of a
    twice differentiable f being symmetric (as torch.autograd.functional.vhp)."""
    return hvp(f, x, v, create_graph)


def _require_scalar(outs, what):
    if len(outs) != 1 or outs[0].size != 1:
        raise ValueError(f"{what} needs a function with one output value; f returned shapes "
                         f"{[o.shape for o in outs]}")
