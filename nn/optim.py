"""Optimizers that update Parameters in place, step for step as PyTorch's.

The update writes into each parameter's array, as PyTorch does, unless the
array is read-only: then a graph that may still run backward holds it (see
`autograd_core.mutation_guard`), and the parameter gets a new array instead,
so that graph keeps the values it was computed from. Recorded under
`mutation_guard(False)`, nothing is read-only: a step between two backwards
of a retained graph then changes what the second one sees, as any other
write would. Stepping while another thread computes with the same
parameters is a race, as in PyTorch."""
import math

import numpy as np

from autograd_core import Tensor


class Optimizer:
    def __init__(self, params, defaults):
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list; pass "
                             "model.parameters() of a model that has parameters")
        seen = set()
        for i, p in enumerate(params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(f"{type(self).__name__}: parameter {i} is not a Tensor that "
                                "requires grad")
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: parameter {i} appears more than once "
                                 "in the parameter list")
            seen.add(id(p))
        self.params = params
        self.defaults = dict(defaults)
        self.state = {}  # per parameter index: buffers such as momentum

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        """Update every parameter that has a gradient. Gradients are checked
        first, so a step that fails changes nothing."""
        todo = []
        for i, p in enumerate(self.params):
            if p.grad is not None:
                data, g = p.data, p.grad.data
                if g.shape != data.shape:
                    raise ValueError(f"{type(self).__name__}.step: parameter {i} has shape "
                                     f"{data.shape} but its .grad has shape {g.shape}; a "
                                     "gradient must have its parameter's shape")
                todo.append((i, p, data, g.astype(data.dtype, copy=False)))
        for i, p, data, g in todo:
            delta = self._delta(i, data, g)  # (this updates the parameter's buffers)
            if data.flags.writeable:
                try:
                    np.subtract(data, delta, out=data)
                    continue
                except ValueError:  # a graph in another thread saved it meanwhile
                    pass
            p.data = np.subtract(data, delta, dtype=data.dtype)

    def state_dict(self):
        return {"state": {i: {k: np.copy(v) for k, v in s.items()} for i, s in self.state.items()},
                "param_groups": [dict(self.defaults)]}

    def load_state_dict(self, state_dict):
        groups, state = state_dict["param_groups"], state_dict["state"]
        # a checkpoint gives back lists where the state was a dict keyed 0, 1, ...
        entries = enumerate(state) if isinstance(state, list) else state.items()
        state = {int(i): dict(s) for i, s in entries}
        bad = [i for i in state if not 0 <= i < len(self.params)]
        if bad:
            raise KeyError(f"optimizer state has entries for parameters {bad}, but there are "
                           f"only {len(self.params)}")
        state = {i: {k: np.array(v) for k, v in s.items()} for i, s in state.items()}
        for i, s in state.items():
            for k, v in s.items():
                if v.ndim and v.shape != self.params[i].shape:
                    raise ValueError(f"optimizer state {k!r} of parameter {i} has shape "
                                     f"{v.shape}, but the parameter has shape "
                                     f"{self.params[i].shape}; load the state of an optimizer "
                                     "over the same parameters")
        self.defaults.update({k: _plain(v) for k, v in groups[0].items()})
        self.state = state


def _plain(v):
    v = np.asarray(v)
    return v.item() if v.ndim == 0 else tuple(v.tolist())


class SGD(Optimizer):
    """p -= lr * d, where d is the gradient plus weight decay, through momentum
    (dampening 0) and optionally Nesterov's look-ahead."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError(f"SGD needs lr, momentum and weight_decay >= 0, got {lr}, "
                             f"{momentum}, {weight_decay}")
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay,
                                      nesterov=nesterov))

    def _delta(self, i, p, g):
        """What to subtract from parameter `i` (now `p`, gradient `g`)."""
        d = self.defaults
        if d["weight_decay"]:
            g = g + d["weight_decay"] * p
        if d["momentum"]:
            state = self.state.setdefault(i, {})
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.copy()
            else:  # the buffer is ours alone: state_dict() hands out copies
                buf *= d["momentum"]
                buf += g
            g = g + d["momentum"] * buf if d["nesterov"] else buf
        return d["lr"] * g


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if lr < 0 or eps < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"Adam needs lr >= 0, eps >= 0 and betas in [0, 1), got lr={lr}, "
                             f"betas={betas}, eps={eps}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay))

    def _delta(self, i, p, g):
        d = self.defaults
        beta1, beta2 = d["betas"]
        if d["weight_decay"]:
            g = g + d["weight_decay"] * p
        state = self.state.setdefault(i, {})
        if not state:
            state.update(step=np.array(0), exp_avg=np.zeros_like(p), exp_avg_sq=np.zeros_like(p))
        state["step"] = step = state["step"] + 1
        m, v = state["exp_avg"], state["exp_avg_sq"]  # ours alone, updated in place
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        correction1 = 1 - beta1 ** int(step)
        correction2 = 1 - beta2 ** int(step)
        denom = np.sqrt(v) / math.sqrt(correction2) + d["eps"]
        return (d["lr"] / correction1) * m / denom
