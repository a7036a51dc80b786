"""SGD, Adam, AdamW and RMSprop, step for step as PyTorch's (the same
arithmetic in the same order, so they agree to rounding)."""
import math

import numpy as np

from .optimizer import TORCH_OPTIONS, Optimizer, lerp_, subtract_


def _check_non_negative(opt, group, names):
    bad = {k: group[k] for k in names if not group[k] >= 0}
    if bad:
        raise ValueError(f"{type(opt).__name__} needs {', '.join(names)} >= 0, got "
                         + ", ".join(f"{k}={v}" for k, v in bad.items()))


class SGD(Optimizer):
    """p -= lr * d, where d is the gradient plus weight decay, through momentum
    (with dampening) and optionally Nesterov's look-ahead."""

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def _check(self, group):
        names = ("lr", "momentum", "weight_decay")
        if not all(group[k] >= 0 for k in names):
            raise ValueError(f"SGD needs lr, momentum and weight_decay >= 0, got "
                             f"{', '.join(str(group[k]) for k in names)}")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening 0")

    def _update(self, p, g, group, state):
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p.data
        momentum = group["momentum"]
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g)
            else:  # the buffer is ours alone: state_dict() hands out copies
                buf *= momentum
                buf += (1 - group["dampening"]) * g
            g = g + momentum * buf if group["nesterov"] else buf
        subtract_(p, group["lr"] * g)


class Adam(Optimizer):
    """Adam (Kingma and Ba), with L2 weight decay added to the gradient, and
    optionally AMSGrad's running maximum of the second moment."""

    decoupled = False
    torch_options = dict(TORCH_OPTIONS, decoupled_weight_decay=False)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad))

    def _check(self, group):
        lr, betas, eps = group["lr"], tuple(group["betas"]), group["eps"]
        if not (lr >= 0 and eps >= 0 and len(betas) == 2 and all(0 <= b < 1 for b in betas)
                and group["weight_decay"] >= 0):
            raise ValueError(f"{type(self).__name__} needs lr >= 0, eps >= 0, weight_decay >= 0 "
                             f"and betas in [0, 1), got lr={lr}, betas={betas}, eps={eps}, "
                             f"weight_decay={group['weight_decay']}")

    def _update(self, p, g, group, state):
        lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
        decay = 0.0
        if wd and self.decoupled:  # AdamW: p *= 1 - lr * wd, folded into the one write
            decay = p.data * (lr * wd)
        elif wd:
            g = g + wd * p.data
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(g), exp_avg_sq=np.zeros_like(g))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(g)
        state["step"] = step = int(state["step"]) + 1
        m, v = state["exp_avg"], state["exp_avg_sq"]  # ours alone, updated in place
        lerp_(m, g, 1 - beta1)
        v *= beta2
        v += (1 - beta2) * g * g
        if group["amsgrad"]:
            if "max_exp_avg_sq" not in state:  # amsgrad switched on mid-run
                state["max_exp_avg_sq"] = np.zeros_like(v)
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        step_size = lr / (1 - beta1 ** step)
        denom = np.sqrt(v) / math.sqrt(1 - beta2 ** step) + group["eps"]
        subtract_(p, decay + step_size * m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter): each step
    also shrinks p by lr * weight_decay * p (default weight_decay 0.01)."""

    decoupled = True
    torch_options = dict(TORCH_OPTIONS, decoupled_weight_decay=True)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class RMSprop(Optimizer):
    """Divides the gradient by a running root mean square of it (centered:
    of its deviation from its running mean), optionally with momentum."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def _check(self, group):
        _check_non_negative(self, group, ("lr", "alpha", "eps", "weight_decay", "momentum"))

    def _update(self, p, g, group, state):
        alpha, momentum = group["alpha"], group["momentum"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p.data
        if not state:
            state.update(step=0, square_avg=np.zeros_like(g))
        state["step"] = int(state["step"]) + 1
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * g * g
        if group["centered"]:
            grad_avg = state.setdefault("grad_avg", np.zeros_like(g))
            lerp_(grad_avg, g, 1 - alpha)
            avg = np.sqrt(square_avg + (-1 * grad_avg) * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += group["eps"]
        if momentum > 0:
            buf = state.setdefault("momentum_buffer", np.zeros_like(g))
            buf *= momentum
            buf += g / avg
            subtract_(p, group["lr"] * buf)
        else:
            subtract_(p, group["lr"] * g / avg)
