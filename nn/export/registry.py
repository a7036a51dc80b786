"""Which converter turns which layer into what, and the optional imports.

Converters are found by the layer's exact type, never a base class: a
subclass of `nn.Linear` with a `forward` of its own would otherwise be
exported as a plain Linear, a quietly different model. A user's converter
(`register`) comes before the built-in one for the same type.
"""
import importlib

from ..module import Module

TARGETS = ("torch", "onnx", "from_torch")
_registered = {target: {} for target in TARGETS}

INSTALL = "pip install 'autograd-core[export]'"


def require(package, caller):
    """Import an optional package (torch, onnx, onnxruntime) for `caller`, or
    say what to install."""
    try:
        return importlib.import_module(package)
    except ImportError:
        raise ImportError(f"nn.export.{caller} needs {package}, which is not installed: "
                          f"{INSTALL} (torch, onnx and onnxruntime), or pip install "
                          f"{package}") from None


def is_torch_module_type(cls):
    """True for torch.nn.Module and its subclasses, without importing torch."""
    return isinstance(cls, type) and any(
        c.__name__ == "Module" and c.__module__ == "torch.nn.modules.module" for c in cls.__mro__)


def register(layer_type, converter, target=None):
    """Teach nn.export a layer it does not know (a Module of your own), or
    replace the built-in converter of a type.

    - `register(MyLayer, fn)`: `to_torch` calls `fn(layer)` for each MyLayer
      and uses the `torch.nn.Module` it returns (fn may call
      `nn.export.to_torch` on the layer's children).
    - `register(MyLayer, fn, target="onnx")`: `to_onnx` calls
      `fn(graph, layer, x)`, x the name of the layer's input in the graph; it
      adds nodes with `graph.op(...)` (see `nn.export.onnx_graph.Graph`) and
      returns the name of the layer's output.
    - `register(MyTorchLayer, fn)` with a `torch.nn.Module` subclass:
      `from_torch` calls `fn(module)` and uses the `nn.Module` it returns.

    The type must match exactly (subclasses are not covered). Returns `converter`."""
    if not isinstance(layer_type, type):
        raise TypeError(f"register takes a layer class, got {layer_type!r}")
    if not callable(converter):
        raise TypeError(f"register needs a callable converter, got {converter!r}")
    if issubclass(layer_type, Module):
        target = "torch" if target is None else target
        if target not in ("torch", "onnx"):
            raise ValueError(f"a converter for the nn layer {layer_type.__name__} has target "
                             f"'torch' or 'onnx', got {target!r}")
    elif is_torch_module_type(layer_type):
        if target not in (None, "from_torch"):
            raise ValueError(f"a converter for the torch layer {layer_type.__name__} is for "
                             f"from_torch; leave target out")
        target = "from_torch"
    else:
        raise TypeError(f"register takes an nn.Module or torch.nn.Module subclass, got "
                        f"{layer_type.__name__}")
    _registered[target][layer_type] = converter
    return converter


def unregister(layer_type, target=None):
    """Forget a converter registered for `layer_type` (all targets unless one is named)."""
    for name in TARGETS if target is None else (target,):
        _registered[name].pop(layer_type, None)


def find(target, layer, builtin):
    """The converter for `layer` (exact type): a registered one, else the
    built-in one, else None."""
    kind = type(layer)
    return _registered[target].get(kind) or builtin.get(kind)


def type_name(kind):
    module = kind.__module__
    if module in ("builtins", "__main__"):
        return kind.__qualname__
    return f"{module}.{kind.__qualname__}"


def where(path):
    return f" (at {path!r})" if path else " (the model itself)"
