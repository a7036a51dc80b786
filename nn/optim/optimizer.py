"""`Optimizer`: parameter groups, state, and the checked step, as PyTorch's.

`param_groups` is a list of dicts, one per group: its "params" and its own
hyperparameters ("lr", "momentum", ...), filled from the optimizer's
defaults. Changing `opt.param_groups[i]["lr"]` changes the next step (that
is what schedulers do); `opt.lr` does not exist, as in PyTorch, and
assigning it raises rather than being silently ignored.

Parameters are updated in place under no_grad (`p.sub_(...)`), as PyTorch
does; where a graph that may still run backward holds a parameter's array,
the parameter gets a new array instead (copy-on-write, see Tensor._update),
so that graph keeps the values it was computed from. Recorded under
`mutation_guard(False)`, nothing is held: a step between two backwards of a
retained graph then changes what the second one sees, as any other write
would. Stepping while another thread computes with the same parameters is a
race, as in PyTorch.
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor


def subtract_(p, delta):
    """p -= delta: the one place where optimizers write parameters (step()
    calls the updates under no_grad, once for all of them)."""
    p.sub_(delta)


def lerp_(a, b, weight):
    """a += weight * (b - a) in place, rounded as torch.lerp rounds."""
    if weight < 0.5:
        a += weight * (b - a)
    else:
        a[...] = b - (b - a) * (1 - weight)


# PyTorch's optimizer options that change the numbers and are not implemented
# here, with the value each has in PyTorch when off: a parameter group (given,
# or loaded from a PyTorch state_dict) that asks for anything else is refused,
# never ignored. (foreach, fused and capturable change only how PyTorch runs
# the step, not its numbers: any value is accepted and kept.)
TORCH_OPTIONS = {"maximize": False, "differentiable": False}


class Optimizer:
    torch_options = TORCH_OPTIONS  # (Adam adds decoupled_weight_decay)

    def __init__(self, params, defaults):
        name = type(self).__name__
        if hasattr(params, "parameters") and hasattr(params, "state_dict"):
            raise TypeError(f"{name} takes the parameters, not the {type(params).__name__}: pass "
                            "model.parameters()")
        if isinstance(params, (Tensor, dict)):
            raise TypeError(f"{name} takes an iterable of parameters or of parameter groups "
                            f"(dicts), not a single {type(params).__name__}; pass "
                            "model.parameters() or [tensor]")
        self.defaults = dict(defaults)
        self.state = {}  # parameter -> its buffers (momentum, averages, step)
        self.param_groups = []
        if isinstance(params, set):
            raise TypeError(f"{name}: parameters must come in a fixed order (a list), not a "
                            "set, or the optimizer state would not match them after loading")
        groups = list(params)
        if not groups:
            raise ValueError(f"{name} got an empty parameter list; pass "
                             "model.parameters() of a model that has parameters")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a dict with "params" and any hyperparameters that differ from
        the defaults (e.g. a smaller "lr" for a pretrained body)."""
        name = type(self).__name__
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{name}: a parameter group is a dict with a 'params' entry, "
                            f"got {type(group).__name__}")
        params = group["params"]
        if isinstance(params, set):
            raise TypeError(f"{name}: parameters must come in a fixed order (a list), not a "
                            "set, or the optimizer state would not match them after loading")
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = set()
        for i, p in enumerate(params):
            # (a leaf that does not require grad is kept, as PyTorch keeps it: a frozen
            # parameter gets no gradient, so the step leaves it as it is)
            if not isinstance(p, Tensor) or not p.is_leaf:
                what = "a result of ops" if isinstance(p, Tensor) else f"a {type(p).__name__}"
                raise TypeError(f"{name}: parameter {i} is not a leaf Tensor (it is {what}); "
                                "pass model.parameters() or a list of parameters")
            if id(p) in seen:
                raise ValueError(f"{name}: parameter {i} appears more than once "
                                 "in the parameter list")
            seen.add(id(p))
        if any(id(p) in seen for g in self.param_groups for p in g["params"]):
            raise ValueError(f"{name}: some parameters appear in more than one parameter "
                             "group; give each parameter to one group")
        group = dict(self.defaults, **{k: v for k, v in group.items() if k != "params"})
        self._check_torch_options(group)
        self._check(group)
        group["params"] = params
        self.param_groups.append(group)

    def _check(self, group):
        """Raise ValueError for hyperparameters out of range (per optimizer)."""

    def _check_torch_options(self, group):
        if self.torch_options.keys().isdisjoint(group):  # (the common case: one call)
            return
        for key, off in self.torch_options.items():
            if key in group and not (group[key] is off or group[key] == off and
                                     type(group[key]) is type(off)):
                raise ValueError(
                    f"{type(self).__name__}: {key}={group[key]!r} is not implemented here "
                    f"(PyTorch's option; only {off!r} is): the step would silently do "
                    "something else. Remove it from the parameter group or state_dict"
                    + ("; AdamW decays weights decoupled, Adam as L2"
                       if key == "decoupled_weight_decay" else ""))

    def __setattr__(self, name, value):
        if name in self.__dict__.get("defaults", ()) and name not in self.__dict__:
            raise AttributeError(_hyperparameter_message(self, name))
        object.__setattr__(self, name, value)

    def __getattr__(self, name):  # only reached when the attribute does not exist
        if name in self.__dict__.get("defaults", ()):
            raise AttributeError(_hyperparameter_message(self, name))
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and not set_to_none:
                    p.grad = Tensor(np.zeros_like(p.grad.data))
                else:
                    p.grad = None

    def step(self, closure=None):
        """Update every parameter that has a gradient (calling `closure()`
        first, to recompute the loss, if given; its value is returned).
        Gradients are checked first, so a step that fails changes nothing."""
        for group in self.param_groups:
            self._check_torch_options(group)  # (set after the group was added, say)
        loss = None
        if closure is not None:
            with ag.enable_grad():
                loss = closure()
        todo, i = [], -1
        for group in self.param_groups:
            for p in group["params"]:
                i += 1
                grad = p.grad
                if grad is None:
                    continue
                data, g = p.data, grad.data
                if g.shape != data.shape:
                    raise ValueError(f"{type(self).__name__}.step: parameter {i} has shape "
                                     f"{data.shape} but its .grad has shape {g.shape}; a "
                                     "gradient must have its parameter's shape")
                todo.append((p, g if g.dtype == data.dtype else g.astype(data.dtype), group))
        state = self.state
        with ag.no_grad():
            # A parameter whose array a live graph holds (read-only) takes a new
            # one; one that shares its array on purpose (detach(), from_numpy())
            # refuses: find out before anything is updated, so that a step that
            # fails changes nothing
            for p, _, _ in todo:
                if not p.data.flags.writeable:
                    p.sub_(0.0)
            for p, g, group in todo:
                own = state.get(p)
                if own is None:
                    own = state[p] = {}
                self._update(p, g, group, own)
        return loss

    def _update(self, p, g, group, state):
        raise NotImplementedError

    # -- state ----------------------------------------------------------------
    def _params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self):
        """{"state": {parameter index: buffers}, "param_groups": [hyperparameters
        with "params" as indices]}, numbered across groups as in PyTorch; the
        arrays are copies, and it saves with nn.save."""
        index = {id(p): i for i, p in enumerate(self._params())}
        state = {index[id(p)]: {k: np.array(v) for k, v in s.items()}
                 for p, s in self.state.items() if id(p) in index and s}
        groups, start = [], 0
        for group in self.param_groups:
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = list(range(start, start + len(group["params"])))
            start += len(group["params"])
            groups.append(saved)
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Load what `state_dict()` gave (also after nn.save and nn.load).
        Everything is checked before anything changes."""
        groups, state = state_dict["param_groups"], state_dict["state"]
        if isinstance(groups, dict):
            groups = [groups]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"the optimizer state has {len(groups)} parameter groups, but "
                             f"this optimizer has {len(self.param_groups)}; load the state "
                             "of an optimizer over the same parameters")
        for saved, group in zip(groups, self.param_groups):
            self._check_torch_options({k: _plain(v) for k, v in saved.items()})
            if "params" in saved and len(np.atleast_1d(saved["params"])) != len(group["params"]):
                raise ValueError("a parameter group of the optimizer state has "
                                 f"{len(np.atleast_1d(saved['params']))} parameters where "
                                 f"this optimizer's has {len(group['params'])}; load the state "
                                 "of an optimizer over the same parameters")
        params = self._params()
        # a checkpoint gives back lists where the state was a dict keyed 0, 1, ...
        entries = enumerate(state) if isinstance(state, list) else state.items()
        state = {int(i): dict(s) for i, s in entries}
        bad = [i for i in state if not 0 <= i < len(params)]
        if bad:
            raise KeyError(f"optimizer state has entries for parameters {bad}, but there are "
                           f"only {len(params)}")
        loaded = {}
        for i, s in state.items():
            p, buffers = params[i], {}
            for k, v in s.items():
                v = np.array(v.data if isinstance(v, Tensor) else v)
                if v.ndim and v.shape != p.shape:
                    raise ValueError(f"optimizer state {k!r} of parameter {i} has shape "
                                     f"{v.shape}, but the parameter has shape {p.shape}; load "
                                     "the state of an optimizer over the same parameters")
                buffers[k] = v.astype(p.dtype) if v.ndim and v.dtype.kind == "f" else v
            loaded[p] = buffers
        for saved, group in zip(groups, self.param_groups):
            group.update({k: _plain(v) for k, v in saved.items() if k != "params"})
        self.state = loaded

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.__dict__.get("param_groups", ())):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])


def _hyperparameter_message(opt, name):
    return (f"{type(opt).__name__} has no attribute {name!r}: as in PyTorch, hyperparameters "
            f"live in param_groups (one dict per group); use opt.param_groups[0][{name!r}], "
            f"or for every group: for g in opt.param_groups: g[{name!r}] = value")


def _plain(v):
    """A hyperparameter back from a checkpoint (an array) as a number or tuple."""
    if isinstance(v, (int, float, bool, str, tuple)) or v is None:
        return v
    v = np.asarray(v)
    return v.item() if v.ndim == 0 else tuple(v.tolist())
