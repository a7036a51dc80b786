"""`Module` and `Parameter`: layers as objects that own their weights.

Assigning a `Parameter` or a `Module` to an attribute registers it, so
`parameters()`, `state_dict()` and the printed tree find it by name.
"""
import weakref
from collections import OrderedDict

import numpy as np

from autograd_core import Tensor

# Which module calls made which Tensor, for drawing graphs grouped by module:
# id(output) -> (weak reference to the output, [(module, ids of the Tensors it
# was given), ...] innermost call first). An entry lives exactly as long as
# its output. (Not a WeakKeyDictionary: that compares keys with ==, which is
# elementwise for Tensors.)
_module_calls = {}


def record_module_call(out, module, args):
    key = id(out)
    entry = _module_calls.get(key)
    if entry is None or entry[0]() is not out:
        entry = (weakref.ref(out, lambda _, key=key: _module_calls.pop(key, None)), [])
        _module_calls[key] = entry
    entry[1].append((module, {id(a) for a in args if isinstance(a, Tensor)}))


def module_calls(tensor):
    """The module calls that returned `tensor`, innermost first: [(module, input ids)]."""
    entry = _module_calls.get(id(tensor))
    return entry[1] if entry is not None and entry[0]() is tensor else []


class Parameter(Tensor):
    """A leaf Tensor that requires grad: a weight a Module owns."""

    __slots__ = ()

    def __init__(self, data, requires_grad=True, dtype=None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self):
        return "Parameter" + super().__repr__()[len("Tensor"):]


class Module:
    """Base class of layers and networks: subclass it and define `forward`."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}.__init__ must call super().__init__() "
                                 "before assigning attributes")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        out = self.forward(*args, **kwargs)
        if isinstance(out, Tensor) and out.requires_grad:
            record_module_call(out, self, args)
        return out

    # -- the tree -------------------------------------------------------------
    def named_children(self):
        return iter(self._modules.items())

    def children(self):
        return iter(self._modules.values())

    def named_modules(self, prefix=""):
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        return (m for _, m in self.named_modules())

    def named_parameters(self, prefix=""):
        """(dotted name, Parameter) for every parameter, each once."""
        seen = set()
        for module_name, module in self.named_modules(prefix):
            for name, p in module._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{module_name}.{name}" if module_name else name), p

    def parameters(self):
        return (p for _, p in self.named_parameters())

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def train(self, mode=True):
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    # -- state ----------------------------------------------------------------
    def state_dict(self):
        """Parameter values by dotted name, as numpy copies."""
        return OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state, strict=True):
        """Copy values into the parameters. Every key and shape is checked
        before anything is changed, so a failed load leaves the model as it was.
        Returns (missing_keys, unexpected_keys)."""
        params = dict(self.named_parameters())
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if strict and (missing or unexpected):
            raise KeyError(f"state dict does not match {type(self).__name__}: missing keys "
                           f"{missing}, unexpected keys {unexpected}; pass strict=False to load "
                           "only the keys that match")
        values = {}
        for name, p in params.items():
            if name not in state:
                continue
            value = np.asarray(state[name].data if isinstance(state[name], Tensor) else state[name])
            if value.shape != p.shape:
                raise ValueError(f"state dict entry {name!r} has shape {value.shape}, but the "
                                 f"parameter has shape {p.shape}")
            values[name] = value
        for name, value in values.items():
            params[name].data = value.astype(params[name].dtype, copy=True)
        return missing, unexpected

    # -- printing ---------------------------------------------------------------
    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"({name}): " + _indent(repr(child)) for name, child in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


def _indent(text):
    return text.replace("\n", "\n  ")


class Sequential(Module):
    """Layers applied in order. `net[i]` is a layer, `net[:-1]` a sub-network
    sharing the same layers (the feature extractor of a classifier)."""

    def __init__(self, *layers):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], (dict, OrderedDict)):
            layers = list(layers[0].items())
        else:
            layers = [(str(i), layer) for i, layer in enumerate(layers)]
        for name, layer in layers:
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules; item {name} is a {type(layer).__name__}")
            setattr(self, name, layer)

    def __getitem__(self, index):
        items = list(self._modules.items())
        if isinstance(index, slice):  # the same layer objects, names kept as in PyTorch
            return Sequential(OrderedDict(items[index]))
        return items[index][1]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, layer):
        setattr(self, str(len(self)), layer)
        return self

    def forward(self, x):
        for name, layer in self._modules.items():
            try:
                x = layer(x)
            except ValueError as e:  # say which layer: "layer '0': Linear(...) expects ..."
                raise ValueError(f"layer {name!r}: {e}") from None
        return x
