"""Initialisers that fill a Parameter in place, drawing from a numpy Generator.

Each takes `rng=` (a `numpy.random.Generator`); without one they draw from
`autograd_core.default_generator()`, which `ag.manual_seed(seed)` reseeds.
"""
import math

import numpy as np

import autograd_core as ag


def generator(rng=None):
    """`rng`, or the library's default generator: every `rng=None` in nn draws here."""
    return rng if rng is not None else ag.default_generator()


def copy_values(tensor, values):
    """Write `values` into `tensor` (a parameter or buffer) in place, as
    PyTorch's `copy_` under no_grad: every write of a parameter's or buffer's
    values in nn but the optimizers' goes through here. Where a live graph
    holds the array for backward, the tensor gets a new one and that graph
    keeps the values it saved (the core's copy-on-write)."""
    with ag.no_grad():
        return tensor.copy_(values)


def fans(tensor):
    """(fan_in, fan_out) of a weight shaped (out_features, in_features, ...)."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need at least 2 dimensions, got shape {tensor.shape}")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0, rng=None):
    return copy_values(tensor, generator(rng).uniform(a, b, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, rng=None):
    return copy_values(tensor, generator(rng).normal(mean, std, tensor.shape))


def zeros_(tensor):
    return copy_values(tensor, np.zeros(tensor.shape))


def ones_(tensor):
    return copy_values(tensor, np.ones(tensor.shape))


def constant_(tensor, value):
    return copy_values(tensor, np.full(tensor.shape, value))


def calculate_gain(nonlinearity, param=None):
    """PyTorch's recommended gain for an activation (leaky_relu's slope is `param`)."""
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope * slope))
    gains = {"linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3,
             "relu": math.sqrt(2.0), "selu": 0.75}
    if nonlinearity not in gains:
        raise ValueError(f"no gain known for nonlinearity {nonlinearity!r}; use one of "
                         f"{sorted(gains) + ['leaky_relu']}")
    return gains[nonlinearity]


def xavier_uniform_(tensor, gain=1.0, rng=None):
    fan_in, fan_out = fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He initialisation, PyTorch's arguments in PyTorch's order: U(-b, b) with
    b = gain * sqrt(3 / fan), fan the tensor's fan_in or fan_out (`mode`).
    PyTorch's Linear and Conv2d use a=sqrt(5). A tensor without elements is
    left as it is (there is nothing to draw), as in PyTorch."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming_uniform_: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    gain = calculate_gain(nonlinearity, a)
    if tensor.size == 0:
        return tensor
    fan = fans(tensor)[mode == "fan_out"]
    bound = gain * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, rng)
