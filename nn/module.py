"""`Module`, `Parameter` and `Buffer`: layers as objects that own their state.

Assigning a `Parameter` or a `Module` to an attribute registers it, and
`register_buffer` registers a Tensor that is state but not trained (such as
BatchNorm's running statistics), so `parameters()`, `buffers()`,
`state_dict()` and the printed tree find them by name. A plain list or dict
of Modules is refused (its parameters would silently go untrained): use
`ModuleList` or `ModuleDict`.
"""
import weakref
from collections import OrderedDict, namedtuple

import numpy as np

from autograd_core import Tensor

from .init import copy_values

# Which module calls made which Tensor, for drawing graphs grouped by module:
# id(output) -> (weak reference to the output, [(module, ids of the Tensors it
# was given), ...] innermost call first). An entry lives exactly as long as
# its output: it keeps ids, not the arguments, since a module may return its
# own input (Identity, Dropout in eval mode), which the entry would then keep
# alive for ever. (Not a WeakKeyDictionary: that compares keys with ==, which
# is elementwise for Tensors.)
_module_calls = {}


def record_module_call(out, module, args):
    key = id(out)
    entry = _module_calls.get(key)
    if entry is None or entry[0]() is not out:
        # (the dict bound as a default: at interpreter exit the global may be gone)
        entry = (weakref.ref(out, lambda _, key=key, calls=_module_calls: calls.pop(key, None)),
                 [])
        _module_calls[key] = entry
    entry[1].append((module, {id(a) for a in args if isinstance(a, Tensor)}))


def module_calls(tensor):
    """The module calls that returned `tensor`, innermost first: [(module, input ids)]."""
    entry = _module_calls.get(id(tensor))
    return entry[1] if entry is not None and entry[0]() is tensor else []


class StateDictError(ValueError, RuntimeError):
    """A state dict entry that does not fit (a RuntimeError, as PyTorch raises)."""


class StateDictMismatch(KeyError, RuntimeError):
    """Missing or unexpected state dict keys (a RuntimeError, as PyTorch raises)."""

    def __str__(self):
        return str(self.args[0])


class Parameter(Tensor):
    """A leaf Tensor that requires grad: a weight a Module owns.

    Copying or pickling one copies its values and `requires_grad` only, as
    PyTorch does: no gradient, hooks or graph come along."""

    __slots__ = ()

    def __init__(self, data, requires_grad=True, dtype=None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __reduce_ex__(self, protocol):
        return type(self), (np.array(self.data), self.requires_grad)

    def __repr__(self):
        return "Parameter" + super().__repr__()[len("Tensor"):]


class Buffer(Tensor):
    """A Tensor a Module keeps as state without training it (made by
    `register_buffer`). Copied and pickled by value, like a Parameter."""

    __slots__ = ()

    def __reduce_ex__(self, protocol):
        return type(self), (np.array(self.data),)


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of layers and networks: subclass it and define `forward`."""

    def __init__(self):
        state = self.__dict__
        state["_parameters"] = OrderedDict()
        state["_buffers"] = OrderedDict()
        state["_non_persistent_buffers"] = set()
        state["_modules"] = OrderedDict()
        state["training"] = True

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}.__init__ must call super().__init__() "
                                 "before assigning attributes")
        if name in self._buffers and not isinstance(value, (Parameter, Module)):
            value = self._buffers[name] = _as_buffer(name, value)  # a new value for a buffer
            object.__setattr__(self, name, value)
            return
        # As PyTorch: a name keeps its place when it gets a new value of its
        # kind (so the layers run, and state_dict lists, in the same order),
        # and a parameter or submodule name takes only its kind, or None
        if isinstance(value, Parameter):
            self._forget(name, keep=self._parameters)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._forget(name, keep=self._modules)
            self._modules[name] = value
        else:
            for kind, table, fix in (
                    ("parameter", self._parameters, "wrap it, nn.Parameter(value), or "
                                                    "delete the parameter first"),
                    ("submodule", self._modules, "delete the submodule first")):
                if name in table:
                    if value is not None:
                        raise TypeError(
                            f"cannot assign a {type(value).__name__} as {kind} {name!r} of "
                            f"{type(self).__name__} (a {kind} or None expected): it would "
                            f"silently stop being trained and saved; {fix}")
                    del table[name]
            _refuse_plain_container(self, name, value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self._forget(name)
        object.__delattr__(self, name)

    def _forget(self, name, keep=None):
        for table in (self._parameters, self._modules, self._buffers):
            if table is not keep:
                table.pop(name, None)
        self._non_persistent_buffers.discard(name)

    def register_buffer(self, name, tensor, persistent=True):
        """Keep `tensor` (an array, a Tensor, or None) as state: it is in
        `buffers()`, in `state_dict()` unless `persistent=False`, and loaded
        by `load_state_dict`, but it is not a parameter."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("call super().__init__() before register_buffer()")
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"buffer name must be a non-empty string without '.', got {name!r}")
        if name not in self._buffers and hasattr(self, name):
            raise KeyError(f"cannot register buffer {name!r}: the attribute already exists")
        self._forget(name)
        self._buffers[name] = _as_buffer(name, tensor)
        if not persistent:
            self._non_persistent_buffers.add(name)
        object.__setattr__(self, name, self._buffers[name])

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        out = self.forward(*args, **kwargs)
        if isinstance(out, Tensor) and out.requires_grad:
            record_module_call(out, self, args)
        return out

    # -- the tree -------------------------------------------------------------
    def named_children(self):
        """(name, child) for each direct submodule, a child held under two
        names listed once (as PyTorch's, so `apply` visits it once)."""
        seen = set()
        for name, child in self._modules.items():
            if id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self):
        for _, child in self.named_children():
            yield child

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module and all below it; a module
        reached twice (shared) is listed once unless remove_duplicate=False."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name,
                                           remove_duplicate)

    def modules(self):
        return (m for _, m in self.named_modules())

    def _named_members(self, kind, prefix, recurse):
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            _refuse_plain_containers_in(module)
            for name, t in getattr(module, kind).items():
                if t is not None and id(t) not in seen:
                    seen.add(id(t))
                    yield (f"{module_name}.{name}" if module_name else name), t

    def named_parameters(self, prefix="", recurse=True):
        """(dotted name, Parameter) for every parameter, each once (a tied
        parameter under its first name)."""
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        return (p for _, p in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True):
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        return (b for _, b in self.named_buffers(recurse=recurse))

    def apply(self, fn):
        """Call `fn(module)` on every submodule, then on this one (as
        PyTorch's `apply`, e.g. for initialisation); returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def train(self, mode=True):
        """Training mode (Dropout drops, BatchNorm uses batch statistics) for
        this module and every module below it; returns self."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"train() takes a bool, got {type(mode).__name__}")
        mode = bool(mode)
        object.__setattr__(self, "training", mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        return self.train(False)

    # -- state ----------------------------------------------------------------
    def _state_entries(self, prefix=""):
        """(dotted name, Tensor) for the state dict: every parameter and
        persistent buffer under every name it has (tied weights included)."""
        _refuse_plain_containers_in(self)
        for name, p in self._parameters.items():
            if p is not None:
                yield prefix + name, p
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers:
                yield prefix + name, b
        for name, child in self._modules.items():
            yield from child._state_entries(f"{prefix}{name}.")

    def state_dict(self):
        """Parameter and persistent buffer values by dotted name, as numpy
        copies; a tensor shared by several modules appears under each name,
        as in PyTorch."""
        return OrderedDict((name, t.data.copy()) for name, t in self._state_entries())

    def load_state_dict(self, state, strict=True):
        """Copy values into the parameters and buffers. The values may be
        arrays, Tensors, or PyTorch tensors (a PyTorch `state_dict()` loads
        as it is when the names match: nn.export lists them). Every key and
        shape is checked before anything is changed, so a failed load leaves
        the model as it was. A tied tensor is loaded from any of its names.
        Returns (missing_keys, unexpected_keys)."""
        if not hasattr(state, "keys") or not hasattr(state, "__getitem__"):
            raise TypeError(f"load_state_dict expects a dict of name -> values (as state_dict() "
                            f"or nn.load(path) gives), got a {type(state).__name__}")
        entries = list(self._state_entries())
        names_of = {}
        for name, t in entries:
            names_of.setdefault(id(t), []).append(name)
        known = {name for name, _ in entries}
        values, unexpected = {}, [k for k in state if k not in known]
        for name, t in entries:
            if name not in state:
                continue
            value = _state_array(name, state[name])
            if value.shape != t.shape:
                raise StateDictError(f"state dict entry {name!r} has shape {value.shape}, but the "
                                 f"{_kind(t)} has shape {t.shape}")
            if not np.can_cast(value.dtype, t.dtype, casting="same_kind"):
                raise TypeError(f"state dict entry {name!r} holds {value.dtype} values, which "
                                f"the {t.dtype} {_kind(t)} cannot take without losing their "
                                "fractions; convert them explicitly if that is meant")
            first = values.setdefault(id(t), (name, t, value))
            if first[0] != name and not np.array_equal(first[2], value):
                raise ValueError(f"state dict entries {first[0]!r} and {name!r} name one tied "
                                 "tensor but hold different values; give them equal values "
                                 "(or only one of them)")
        missing = [name for name, t in entries if id(t) not in values]
        if strict and (missing or unexpected):
            raise StateDictMismatch(
                f"state dict does not match {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}; pass strict=False to load only the keys that match")
        for _, t, value in values.values():
            copy_values(t, value)
        return IncompatibleKeys(missing, unexpected)

    # -- copying and pickling -----------------------------------------------------
    def __getstate__(self):
        """What copy.deepcopy and pickle copy: every attribute, but a plain
        Tensor attribute (not a Parameter or Buffer, which copy themselves by
        value) only by its values, never with a graph it is part of."""
        state = dict(self.__dict__)
        for name, value in state.items():
            if type(value) is Tensor:
                state[name] = Tensor(value.data.copy(), requires_grad=value.requires_grad
                                     and value.is_leaf)
        return state

    # -- printing ---------------------------------------------------------------
    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"({name}): " + _indent(repr(child)) for name, child in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


def _state_array(name, value):
    """A state dict value as an array: ours, numpy's, or a PyTorch tensor's
    (known by its methods, so torch need not be imported; detached and
    copied to the CPU first, as its .numpy() needs)."""
    if isinstance(value, Tensor):
        return value.data
    torch_like = all(hasattr(value, a) for a in ("detach", "cpu", "numpy"))
    if torch_like and not isinstance(value, np.ndarray):
        try:
            return value.detach().cpu().numpy()
        except TypeError:
            raise TypeError(f"state dict entry {name!r} is a PyTorch {value.dtype} tensor, which "
                            "numpy cannot hold; convert it first (.float() or .double())") from None
    return np.asarray(value)


def _kind(t):
    return "parameter" if isinstance(t, Parameter) else "buffer"


def _indent(text):
    return text.replace("\n", "\n  ")


def _as_buffer(name, value):
    if value is None:
        return None
    if isinstance(value, Tensor):
        value = value.data
    try:
        return Buffer(np.array(value))
    except TypeError:
        raise TypeError(f"cannot make buffer {name!r} of a {type(value).__name__}: a buffer "
                        "holds an array, a Tensor or None") from None


def _holds_modules(value):
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, (Module, Parameter)) for v in items)


def _refuse_plain_container(module, name, value):
    if isinstance(value, (list, tuple, dict)) and _holds_modules(value):
        kind = "dict" if isinstance(value, dict) else type(value).__name__
        fix = "nn.ModuleDict" if kind == "dict" else "nn.ModuleList"
        raise TypeError(
            f"{type(module).__name__}.{name} is a plain {kind} holding Modules or Parameters: "
            "they would not be registered, so parameters(), state_dict() and optimizers "
            f"would silently miss them (PyTorch ignores them without a word). Use {fix} "
            "for layers, or give each Parameter an attribute of its own")


def _refuse_plain_containers_in(module):
    # also catches `self.layers = []` filled by append after the assignment
    for name, value in module.__dict__.items():
        if type(value) in (list, tuple, dict):
            _refuse_plain_container(module, name, value)


from .containers import ModuleDict, ModuleList, Sequential  # noqa: E402,F401  (they build on Module)
