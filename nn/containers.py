"""Modules that hold other modules: `Sequential`, `ModuleList`, `ModuleDict`."""
import operator
from collections import OrderedDict

from .module import Module


def _check_module(owner, name, value):
    if not isinstance(value, Module):
        raise TypeError(f"{owner} takes Modules; item {name} is a {type(value).__name__}")
    return value


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
            setattr(self, name, _check_module("Sequential", name, layer))

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
        setattr(self, str(len(self)), _check_module("Sequential", len(self), layer))
        return self

    def forward(self, x):
        for name, layer in self._modules.items():
            try:
                x = layer(x)
            except ValueError as e:  # say which layer: "layer '0': Linear(...) expects ..."
                raise ValueError(f"layer {name!r}: {e}") from None
        return x


class ModuleList(Module):
    """A list of modules, registered (so their parameters are found) and
    indexed like a list; it has no forward of its own: iterate over it."""

    def __init__(self, modules=()):
        super().__init__()
        self.extend(modules)

    def _index(self, index):
        index = operator.index(index)
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"index {index} is out of range for a ModuleList of {n}")
        return str(index % n)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[self._index(index)]

    def __setitem__(self, index, module):
        setattr(self, self._index(index), _check_module("ModuleList", index, module))

    def __delitem__(self, index):
        modules = list(self._modules.values())
        del modules[index if isinstance(index, slice) else int(self._index(index))]
        self._renumber(modules)

    def _renumber(self, modules):
        for name in list(self._modules):
            delattr(self, name)
        for i, m in enumerate(modules):
            setattr(self, str(i), m)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList(list(self) + list(other))

    def append(self, module):
        setattr(self, str(len(self)), _check_module("ModuleList", len(self), module))
        return self

    def extend(self, modules):
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError("ModuleList.extend takes an iterable of Modules; use append for one")
        for m in modules:
            self.append(m)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, _check_module("ModuleList", index, module))
        self._renumber(modules)

    def forward(self, *args, **kwargs):
        raise NotImplementedError("a ModuleList has no forward: iterate over its modules "
                                  "(for layer in self.layers: x = layer(x)), or use Sequential")


class ModuleDict(Module):
    """A dict of modules by name, registered so their parameters are found."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    # kept in _modules only, not as attributes: a key such as "keys" or
    # "training" must not shadow the dict's methods or the module's flag
    def __setitem__(self, key, module):
        if not isinstance(key, str) or not key or "." in key:
            raise KeyError(f"ModuleDict keys are non-empty strings without '.', got {key!r}")
        self._modules[key] = _check_module("ModuleDict", repr(key), module)

    def __delitem__(self, key):
        del self._modules[key]

    # d.name = module and del d.name are d["name"] = module and del d["name"]:
    # one table, so the two spellings never disagree
    def __setattr__(self, name, value):
        if isinstance(value, Module) and "_modules" in self.__dict__:
            self[name] = value
        else:
            super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in self.__dict__.get("_modules", {}) and name not in self.__dict__:
            del self[name]
        else:
            super().__delattr__(name)

    def __getattr__(self, name):  # only called when normal lookup fails
        modules = self.__dict__.get("_modules", {})
        if name in modules:
            return modules[name]
        raise AttributeError(f"{type(self).__name__} has no attribute or key {name!r}")

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def clear(self):
        for key in list(self._modules):
            del self[key]

    def update(self, modules):
        items = modules.items() if hasattr(modules, "items") else modules
        for key, module in items:
            self[key] = module

    def forward(self, *args, **kwargs):
        raise NotImplementedError("a ModuleDict has no forward: call its modules by name")
