"""`to_torch` and `from_torch`: the same layers, names and values on either side.

Both directions build each layer from its arguments, then set every
parameter and buffer from the other side's values (copies, in their dtype),
carry `requires_grad` and each module's train/eval flag over, and end by
comparing the two state dicts name by name, so a layer that holds more than
its converter knows (an attribute added by hand) is an error, not a loss.
"""
from collections import OrderedDict

import numpy as np

from .. import activation, containers, conv, layers, normalization
from ..module import Module, Parameter
from .registry import find, is_torch_module_type, require, type_name, where

# -- ours -> torch ----------------------------------------------------------------


class _ToTorch:
    def __init__(self, torch):
        self.torch, self.modules, self.tensors = torch, {}, {}

    def tensor(self, t):
        """A torch copy of our Parameter or buffer (one per tensor: ties stay tied)."""
        if id(t) not in self.tensors:
            value = self.torch.tensor(t.data)
            if isinstance(t, Parameter):
                value = self.torch.nn.Parameter(value, requires_grad=t.requires_grad)
            self.tensors[id(t)] = value
        return self.tensors[id(t)]

    def state(self, ours, theirs, params=(), buffers=()):
        for name in params:
            t = getattr(ours, name)
            setattr(theirs, name, None if t is None else self.tensor(t))
        for name in buffers:
            t = getattr(ours, name)
            theirs.register_buffer(name, None if t is None else self.tensor(t))
        return theirs

    def convert(self, module, path):
        if id(module) in self.modules:
            return self.modules[id(module)]
        builtin = find("torch", module, TO_TORCH)
        if builtin is None:
            raise TypeError(
                f"to_torch has no converter for {type_name(type(module))}{where(path)}: PyTorch "
                f"has no such layer. Register one: nn.export.register({type(module).__name__}, "
                f"fn), where fn(layer) returns a torch.nn.Module with the same parameter "
                f"names (it may call nn.export.to_torch on the layer's children)")
        if builtin is TO_TORCH.get(type(module)):
            theirs = builtin(self, module, path)
            theirs.training = module.training
        else:  # a user's converter: carry the mode over as model.train() would
            theirs = builtin(module)
            if not isinstance(theirs, self.torch.nn.Module):
                raise TypeError(f"the converter registered for {type(module).__name__} returned "
                                f"a {type(theirs).__name__}, not a torch.nn.Module")
            theirs.train(module.training)
        self.modules[id(module)] = theirs
        return theirs

    def children(self, module, path):
        # every name (named_children() lists a module held twice once: a Sequential
        # that runs a layer twice must stay so)
        return OrderedDict((name, self.convert(child, f"{path}.{name}" if path else name))
                           for name, child in module._modules.items())


def _dtype(torch, layer_dtype):
    return torch.from_numpy(np.zeros(0, dtype=layer_dtype)).dtype


def _linear(c, m, path):
    t = c.torch.nn.Linear(m.in_features, m.out_features, bias=m.bias is not None,
                          dtype=_dtype(c.torch, m.weight.dtype))
    return c.state(m, t, ("weight", "bias"))


def _embedding(c, m, path):
    t = c.torch.nn.Embedding(m.num_embeddings, m.embedding_dim, padding_idx=m.padding_idx,
                             dtype=_dtype(c.torch, m.weight.dtype))
    return c.state(m, t, ("weight",))


def _layer_norm(c, m, path):
    t = c.torch.nn.LayerNorm(m.normalized_shape, eps=m.eps, elementwise_affine=m.elementwise_affine,
                             bias=m.bias is not None, dtype=_dtype(c.torch, m.dtype))
    return c.state(m, t, ("weight", "bias"))


def _batch_norm(c, m, path):
    t = c.torch.nn.BatchNorm1d(m.num_features, eps=m.eps, momentum=m.momentum, affine=m.affine,
                               track_running_stats=m.track_running_stats,
                               dtype=_dtype(c.torch, m.dtype))
    return c.state(m, t, ("weight", "bias"), ("running_mean", "running_var", "num_batches_tracked"))


def _conv2d(c, m, path):
    t = c.torch.nn.Conv2d(m.in_channels, m.out_channels, m.kernel_size, stride=m.stride,
                          padding=m.padding, bias=m.bias is not None,
                          dtype=_dtype(c.torch, m.weight.dtype))
    return c.state(m, t, ("weight", "bias"))


def _axis(softmax):
    """A Softmax's axis, explicit (ours without one is the last: see softmax_axis)."""
    return -1 if softmax.axis is None else softmax.axis


TO_TORCH = {
    containers.Sequential: lambda c, m, p: c.torch.nn.Sequential(c.children(m, p)),
    containers.ModuleList: lambda c, m, p: c.torch.nn.ModuleList(c.children(m, p).values()),
    containers.ModuleDict: lambda c, m, p: c.torch.nn.ModuleDict(c.children(m, p)),
    layers.Linear: _linear,
    layers.Embedding: _embedding,
    layers.Identity: lambda c, m, p: c.torch.nn.Identity(),
    layers.Flatten: lambda c, m, p: c.torch.nn.Flatten(m.start_dim, m.end_dim),
    layers.Dropout: lambda c, m, p: c.torch.nn.Dropout(m.p),
    normalization.LayerNorm: _layer_norm,
    normalization.BatchNorm1d: _batch_norm,
    conv.Conv2d: _conv2d,
    conv.MaxPool2d: lambda c, m, p: c.torch.nn.MaxPool2d(m.kernel_size, m.stride),
    conv.AvgPool2d: lambda c, m, p: c.torch.nn.AvgPool2d(m.kernel_size, m.stride),
    activation.Sigmoid: lambda c, m, p: c.torch.nn.Sigmoid(),
    activation.Tanh: lambda c, m, p: c.torch.nn.Tanh(),
    activation.ReLU: lambda c, m, p: c.torch.nn.ReLU(),
    activation.LeakyReLU: lambda c, m, p: c.torch.nn.LeakyReLU(m.negative_slope),
    activation.ELU: lambda c, m, p: c.torch.nn.ELU(m.alpha),
    activation.GELU: lambda c, m, p: c.torch.nn.GELU(m.approximate),
    activation.Softplus: lambda c, m, p: c.torch.nn.Softplus(m.beta, m.threshold),
    activation.Softmax: lambda c, m, p: c.torch.nn.Softmax(dim=_axis(m)),
    activation.LogSoftmax: lambda c, m, p: c.torch.nn.LogSoftmax(dim=_axis(m)),
}


def to_torch(model):
    """`model` as a `torch.nn.Module`: see nn.export's docstring."""
    torch = require("torch", "to_torch")
    if not isinstance(model, Module):
        raise TypeError(f"to_torch takes an nn.Module, got {type(model).__name__}")
    # building torch layers draws initial weights: not from the user's random stream
    with torch.random.fork_rng(devices=[]):
        theirs = _ToTorch(torch).convert(model, "")
    _same_state(model.state_dict(), _torch_state(theirs), "to_torch")
    return theirs


# -- torch -> ours ------------------------------------------------------------------


def _torch_state(module):
    return OrderedDict((k, v.detach().cpu().numpy()) for k, v in module.state_dict().items())


def _same_state(ours, theirs, caller):
    """Both sides hold the same names with the same shapes and values."""
    if set(ours) != set(theirs):
        only_ours = [k for k in ours if k not in theirs]
        only_theirs = [k for k in theirs if k not in ours]
        raise ValueError(f"{caller}: the converted model's state differs from the original's "
                         f"(only in the original: {only_ours}, only in the converted one: "
                         f"{only_theirs}); a layer holds state its converter does not know "
                         "(register a converter for it), or a registered converter names it "
                         "differently")
    for k in ours:
        same = np.array_equal(ours[k], theirs[k], equal_nan=True)  # (a nan weight is carried over)
        if ours[k].shape != theirs[k].shape or not same:
            raise ValueError(f"{caller}: {k!r} differs after conversion (a registered "
                             "converter must copy every parameter and buffer)")


def _array(t, path, name):
    if t.is_floating_point():
        _np_dtype(t, f"{path}.{name}" if path else name)
    return t.detach().cpu().numpy().copy()


class _FromTorch:
    def __init__(self, torch, root):
        self.torch, self.modules, self.tensors = torch, {}, {}
        # a LayerNorm or BatchNorm1d without parameters or statistics computes in
        # its input's dtype in PyTorch, but casts to its own here: the model's
        # (or PyTorch's default dtype in a model without any)
        floating = [t for t in (*root.parameters(), *root.buffers()) if t.is_floating_point()]
        self.dtype = _np_dtype(floating[0] if floating else torch.empty(0), "")

    def tensor(self, t, path, name):
        if id(t) not in self.tensors:
            value = _array(t, path, name)
            if isinstance(t, self.torch.nn.Parameter):
                value = Parameter(value, requires_grad=t.requires_grad)
            self.tensors[id(t)] = value
        return self.tensors[id(t)]

    def state(self, theirs, ours, path, params=(), buffers=()):
        for name in params:
            t = getattr(theirs, name)
            setattr(ours, name, None if t is None else self.tensor(t, path, name))
        for name in buffers:
            t = getattr(theirs, name)
            ours.register_buffer(name, None if t is None else self.tensor(t, path, name))
        return ours

    def convert(self, module, path):
        if id(module) in self.modules:
            return self.modules[id(module)]
        converter = find("from_torch", module, FROM_TORCH)
        if converter is None:
            raise TypeError(
                f"from_torch has no converter for {type_name(type(module))}{where(path)}: nn "
                f"has no such layer. Register one: nn.export.register({type(module).__name__}, "
                f"fn), where fn(module) returns an nn.Module with the same parameter names")
        if converter is FROM_TORCH.get(type(module)):
            ours = converter(self, module, path)
            ours.training = module.training
        else:
            ours = converter(module)
            if not isinstance(ours, Module):
                raise TypeError(f"the converter registered for {type(module).__name__} returned "
                                f"a {type(ours).__name__}, not an nn.Module")
            ours.train(module.training)
        self.modules[id(module)] = ours
        return ours

    def children(self, module, path):
        # not named_children(): it lists a shared module once, under its first name
        return OrderedDict((name, self.convert(child, f"{path}.{name}" if path else name))
                           for name, child in module._modules.items() if child is not None)


def _np_dtype(t, path):
    name = str(t.dtype).removeprefix("torch.")
    if name not in ("float16", "float32", "float64"):
        raise TypeError(f"from_torch: {path or 'the module'} holds {t.dtype} values, which nn's "
                        "layers cannot hold; convert the module first (module.float() or "
                        ".double())")
    return np.dtype(name)


def _refuse_options(module, path, **defaults):
    """Options of a torch layer that nn's layer does not have must be at their defaults."""
    for name, default in defaults.items():
        value = getattr(module, name)
        if value not in (default, (default, default)):
            raise ValueError(f"from_torch: {type(module).__name__}{where(path)} has {name}="
                             f"{value!r}, which nn's layer does not have (only {name}="
                             f"{default!r}); register a converter of your own for it")


_SEED = np.random.default_rng  # our layers draw initial weights: from a throwaway generator


def _from_linear(c, t, path):
    m = layers.Linear(t.in_features, t.out_features, bias=t.bias is not None,
                      dtype=_np_dtype(t.weight, path), rng=_SEED(0))
    return c.state(t, m, path, ("weight", "bias"))


def _from_embedding(c, t, path):
    _refuse_options(t, path, max_norm=None, scale_grad_by_freq=False)
    m = layers.Embedding(t.num_embeddings, t.embedding_dim, padding_idx=t.padding_idx,
                         dtype=_np_dtype(t.weight, path), rng=_SEED(0))
    return c.state(t, m, path, ("weight",))


def _from_layer_norm(c, t, path):
    dtype = _np_dtype(t.weight, path) if t.weight is not None else c.dtype
    m = normalization.LayerNorm(t.normalized_shape, eps=t.eps, dtype=dtype,
                                elementwise_affine=t.elementwise_affine, bias=t.bias is not None)
    return c.state(t, m, path, ("weight", "bias"))


def _from_batch_norm(c, t, path):
    source = t.weight if t.weight is not None else t.running_mean
    m = normalization.BatchNorm1d(t.num_features, eps=t.eps, momentum=t.momentum, affine=t.affine,
                                  track_running_stats=t.track_running_stats,
                                  dtype=_np_dtype(source, path) if source is not None
                                  else c.dtype)
    return c.state(t, m, path, ("weight", "bias"),
                   ("running_mean", "running_var", "num_batches_tracked"))


def _from_conv2d(c, t, path):
    _refuse_options(t, path, dilation=1, groups=1, padding_mode="zeros", output_padding=0)
    padding = t.padding
    if not isinstance(padding, str):  # PyTorch keeps 1 as (1, 1)
        padding = padding[0] if padding[0] == padding[1] else tuple(padding)
    m = conv.Conv2d(t.in_channels, t.out_channels, tuple(t.kernel_size), stride=tuple(t.stride),
                    padding=padding, bias=t.bias is not None, dtype=_np_dtype(t.weight, path),
                    rng=_SEED(0))
    return c.state(t, m, path, ("weight", "bias"))


def _from_max_pool(c, t, path):
    _refuse_options(t, path, padding=0, dilation=1, ceil_mode=False, return_indices=False)
    return conv.MaxPool2d(t.kernel_size, t.stride)


def _from_avg_pool(c, t, path):
    _refuse_options(t, path, padding=0, ceil_mode=False, divisor_override=None)
    return conv.AvgPool2d(t.kernel_size, t.stride)


def _from_softmax(kind):
    def convert(c, t, path):
        if t.dim is None:
            raise ValueError(f"from_torch: {type(t).__name__}{where(path)} has dim=None "
                             "(PyTorch then guesses the axis from the input's rank); give it "
                             "dim= explicitly")
        return kind(t.dim)
    return convert


def _from_torch_table(torch):
    tnn = torch.nn
    return {
        tnn.Sequential: lambda c, t, p: containers.Sequential(c.children(t, p)),
        tnn.ModuleList: lambda c, t, p: containers.ModuleList(list(c.children(t, p).values())),
        tnn.ModuleDict: lambda c, t, p: containers.ModuleDict(c.children(t, p)),
        tnn.Linear: _from_linear,
        tnn.Embedding: _from_embedding,
        tnn.Identity: lambda c, t, p: layers.Identity(),
        tnn.Flatten: lambda c, t, p: layers.Flatten(t.start_dim, t.end_dim),
        tnn.Dropout: lambda c, t, p: layers.Dropout(t.p),
        tnn.LayerNorm: _from_layer_norm,
        tnn.BatchNorm1d: _from_batch_norm,
        tnn.Conv2d: _from_conv2d,
        tnn.MaxPool2d: _from_max_pool,
        tnn.AvgPool2d: _from_avg_pool,
        tnn.Sigmoid: lambda c, t, p: activation.Sigmoid(),
        tnn.Tanh: lambda c, t, p: activation.Tanh(),
        tnn.ReLU: lambda c, t, p: activation.ReLU(),
        tnn.LeakyReLU: lambda c, t, p: activation.LeakyReLU(t.negative_slope),
        tnn.ELU: lambda c, t, p: activation.ELU(t.alpha),
        tnn.GELU: lambda c, t, p: activation.GELU(t.approximate),
        tnn.Softplus: lambda c, t, p: activation.Softplus(t.beta, t.threshold),
        tnn.Softmax: _from_softmax(activation.Softmax),
        tnn.LogSoftmax: _from_softmax(activation.LogSoftmax),
    }


FROM_TORCH = {}


def from_torch(module):
    """`module` (a torch.nn.Module) as an nn.Module: see nn.export's docstring."""
    torch = require("torch", "from_torch")
    if not is_torch_module_type(type(module)):
        raise TypeError(f"from_torch takes a torch.nn.Module, got {type(module).__name__}")
    if not FROM_TORCH:
        FROM_TORCH.update(_from_torch_table(torch))
    ours = _FromTorch(torch, module).convert(module, "")
    _same_state(_torch_state(module), ours.state_dict(), "from_torch")
    return ours
