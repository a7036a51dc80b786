"""Checking gradients against central finite differences, in float64."""
import numpy as np

from .autograd import grad
from .tensor import Tensor


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _to_float64(inputs):
    """Fresh float64 leaves for the float inputs; others pass through."""
    out = []
    for x in inputs:
        if isinstance(x, Tensor) and x.dtype.kind == "f":
            out.append(Tensor(x.data, dtype=np.float64, requires_grad=x.requires_grad))
        else:
            out.append(x)
    return out


def _outputs(fn, inputs):
    return [o for o in _as_tuple(fn(*inputs))]


def _numerical_jacobians(fn, inputs, wrt, eps):
    """J[k][i] of shape (out_k.size, in_i.size), by central differences."""
    n_out = [o.size for o in _outputs(fn, inputs)]
    jac = [[np.zeros((m, inputs[i].size)) for i in wrt] for m in n_out]
    for col, i in enumerate(wrt):
        flat = inputs[i].data.reshape(-1)  # a view: perturbs the input in place
        for j in range(flat.size):
            keep = flat[j]
            flat[j] = keep + eps
            plus = [o.data.reshape(-1).astype(np.float64) for o in _outputs(fn, inputs)]
            flat[j] = keep - eps
            minus = [o.data.reshape(-1).astype(np.float64) for o in _outputs(fn, inputs)]
            flat[j] = keep
            for k, (p, m) in enumerate(zip(plus, minus)):
                jac[k][col][:, j] = (p - m) / (2 * eps)
    return jac


def _analytical_jacobians(fn, inputs, wrt):
    outputs = _outputs(fn, inputs)
    jac = [[np.zeros((o.size, inputs[i].size)) for i in wrt] for o in outputs]
    targets = [inputs[i] for i in wrt]
    for k, o in enumerate(outputs):
        if not o.requires_grad:
            continue
        for row in range(o.size):
            seed = np.zeros(o.size)
            seed[row] = 1.0
            grads = grad(o, targets, seed.reshape(o.shape), retain_graph=True, allow_unused=True)
            for col, g in enumerate(grads):
                if g is not None:
                    jac[k][col][row] = g.data.reshape(-1)
    return jac


def _ignores_upstream(fn, inputs, wrt):
    """A message if some backward is not multiplied by its upstream gradient
    (a zero one must give zero gradients): with an upstream gradient of 1,
    which the Jacobian rows use, finite differences could not tell."""
    targets = [inputs[i] for i in wrt]
    for k, o in enumerate(_outputs(fn, inputs)):
        if not o.requires_grad:
            continue
        grads = grad(o, targets, np.zeros(o.shape), retain_graph=True, allow_unused=True)
        for i, g in zip(wrt, grads):
            if g is not None and np.any(np.isfinite(g.data) & (g.data != 0)):  # (0 * nan is
                # nan: a nan derivative is for the Jacobian comparison to report)
                return (f"gradcheck failed: with a zero upstream gradient for output[{k}], "
                        f"backward gives input[{i}] a nonzero gradient: a backward rule is not "
                        "multiplied by its grad_output")
    return None


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare `fn`'s backward with central differences, for every input that
    requires grad and every output; float inputs are promoted to float64.

    Returns True when all entries agree within atol + rtol * |numerical|;
    otherwise raises `GradcheckError` naming the worst entry (or returns False
    with raise_exception=False).
    """
    inputs = _to_float64(_as_tuple(inputs))
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    unscaled = _ignores_upstream(fn, inputs, wrt)
    if unscaled is not None:
        if raise_exception:
            raise GradcheckError(unscaled)
        return False
    analytical = _analytical_jacobians(fn, inputs, wrt)
    numerical = _numerical_jacobians(fn, inputs, wrt, eps)
    worst = None
    for k, (a_row, n_row) in enumerate(zip(analytical, numerical)):
        for col, (a, n) in enumerate(zip(a_row, n_row)):
            # finite pairs within tolerance agree; of the others, only nan with nan and an
            # infinity with the same infinity do (a nan excess would compare as agreement)
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(a) & np.isfinite(n)
                same = (np.isnan(a) & np.isnan(n)) | (np.isinf(a) & (a == n))
                excess = np.where(finite, np.abs(a - n) - (atol + rtol * np.abs(n)),
                                  np.where(same, -1.0, np.inf))
            if excess.size and excess.max() > 0 and (worst is None or excess.max() > worst[0]):
                r, c = np.unravel_index(np.argmax(excess), excess.shape)
                worst = (excess.max(), k, wrt[col], r, c, a[r, c], n[r, c])
    if worst is None:
        return True
    _, k, i, r, c, a, n = worst
    out_shape = _outputs(fn, inputs)[k].shape
    message = (f"gradcheck failed: d output[{k}]{_position(r, out_shape)} / "
               f"d input[{i}]{_position(c, inputs[i].shape)}: backward gives "
               f"{a:.10g}, finite differences give {n:.10g} (atol={atol}, rtol={rtol})")
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True):
    """Check second derivatives: gradcheck of v -> grad(fn(x), x, v, create_graph=True)."""
    inputs = _to_float64(_as_tuple(inputs))
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    outputs = _outputs(fn, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [Tensor(rng.standard_normal(o.shape), dtype=np.float64, requires_grad=True)
                        for o in outputs]
    grad_outputs = _to_float64(_as_tuple(grad_outputs))
    n = len(inputs)

    def first_derivatives(*args):
        xs, vs = args[:n], args[n:]
        pairs = [(o, v) for o, v in zip(_outputs(fn, xs), vs) if o.requires_grad]
        gs = grad([o for o, _ in pairs], [xs[i] for i in wrt], [v for _, v in pairs],
                  create_graph=True, allow_unused=True)
        return tuple(g if g is not None else Tensor(np.zeros(xs[i].shape)) for g, i in zip(gs, wrt))

    return gradcheck(first_derivatives, tuple(inputs) + tuple(grad_outputs), eps, atol, rtol,
                     raise_exception)


def _position(flat_index, shape):
    return [int(i) for i in np.unravel_index(flat_index, shape)]


class GradcheckError(RuntimeError):
    """Backward and finite differences disagree."""
