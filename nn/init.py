"""Initialisers that fill a Parameter in place, drawing from a numpy Generator.

Each takes `rng=` (a `numpy.random.Generator`); without one they use the
module generator, which `nn.init.manual_seed(seed)` resets.
"""
import math

import numpy as np

_rng = np.random.default_rng()


def manual_seed(seed):
    global _rng
    _rng = np.random.default_rng(seed)


def default_rng():
    return _rng


def _fill(tensor, values):
    # a new array of the tensor's own (not a view: a graph that saved the old
    # array keeps it, and an array that owns its memory is one lock, not two)
    tensor.data = np.array(np.broadcast_to(values, tensor.shape), dtype=tensor.dtype)
    return tensor


def fans(tensor):
    """(fan_in, fan_out) of a weight shaped (out_features, in_features, ...)."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need at least 2 dimensions, got shape {tensor.shape}")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0, rng=None):
    return _fill(tensor, (rng or _rng).uniform(a, b, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, rng=None):
    return _fill(tensor, (rng or _rng).normal(mean, std, tensor.shape))


def zeros_(tensor):
    return _fill(tensor, np.zeros(tensor.shape))


def xavier_uniform_(tensor, gain=1.0, rng=None):
    fan_in, fan_out = fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng)


def kaiming_uniform_(tensor, a=0.0, nonlinearity="leaky_relu", rng=None):
    """He initialisation; PyTorch's Linear default is a=sqrt(5)."""
    fan_in, _ = fans(tensor)
    gain = math.sqrt(2.0 / (1 + a * a)) if nonlinearity == "leaky_relu" else 1.0
    bound = gain * math.sqrt(3.0 / fan_in)
    return uniform_(tensor, -bound, bound, rng)
