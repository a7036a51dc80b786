"""Gradient clipping, as torch.nn.utils: call between backward() and step()."""
import math

import numpy as np

from autograd_core import Tensor


def _with_grads(parameters):
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"parameter {i} is a {type(p).__name__}, not a Tensor; pass "
                            "model.parameters()")
    return [p for p in params if p.grad is not None]


def _set_grad(p, values):
    p.grad = Tensor(np.asarray(values, dtype=p.grad.dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale all gradients together so that their joint norm (all of them as
    one vector) is at most max_norm; returns that norm before clipping, as a
    0-d Tensor. The scale is max_norm / (norm + 1e-6), capped at 1, as in
    PyTorch."""
    norm_type = float(norm_type)
    params = _with_grads(parameters)
    if not params:
        return Tensor(0.0)
    grads = [p.grad.data for p in params]
    if norm_type == math.inf:
        total = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in grads)
    elif norm_type == -math.inf:  # the smallest magnitude, as PyTorch's
        total = min(float(np.min(np.abs(g))) if g.size else math.inf for g in grads)
    elif norm_type == 0:  # PyTorch's: the 0-"norm" of the per-tensor norms, so the count
        total = float(sum(bool(np.any(g)) for g in grads))  # of gradients not all zero
    else:
        norms = [np.sum(np.abs(g.astype(np.float64)) ** norm_type) for g in grads]
        total = float(np.sum(norms)) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"the total norm of order {norm_type} of the gradients is {total}, "
                           "so they cannot be clipped; pass error_if_nonfinite=False to "
                           "clip anyway")
    coef = min(max_norm / (total + 1e-6), 1.0)
    for p in params:
        _set_grad(p, p.grad.data * coef)
    return Tensor(np.asarray(total, dtype=np.result_type(*grads)))


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry into [-clip_value, clip_value]."""
    if clip_value < 0:
        raise ValueError(f"clip_value must be >= 0, got {clip_value}")
    for p in _with_grads(parameters):
        _set_grad(p, np.clip(p.grad.data, -clip_value, clip_value))
