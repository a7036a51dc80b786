"""Layers: `Linear` (alias `Dense`) and the parameter-free ones."""
import math

import numpy as np

from autograd_core import Tensor

from . import functional as F
from . import init
from .module import Module, Parameter


class Linear(Module):
    """y = x @ weight.T + bias, with weight shaped (out_features, in_features)
    as in PyTorch, initialised as PyTorch does: U(-1/sqrt(in), 1/sqrt(in))."""

    def __init__(self, in_features, out_features, bias=True, dtype=np.float32, rng=None):
        super().__init__()
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Parameter(np.zeros((self.out_features, self.in_features)), dtype=dtype)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if bias:
            bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
            self.bias = Parameter(np.zeros(self.out_features), dtype=dtype)
            init.uniform_(self.bias, -bound, bound, rng)
        else:
            self.bias = None

    def forward(self, x):
        shape = x.shape if isinstance(x, (Tensor, np.ndarray)) else np.shape(x)
        width = shape[-1] if shape else None
        if width != self.in_features:
            raise ValueError(f"{self!r} expects inputs with {self.in_features} features "
                             f"(last axis), but got shape {tuple(shape)} ({width} features)")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


Dense = Linear


class Sigmoid(Module):
    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    def forward(self, x):
        return F.tanh(x)


class ReLU(Module):
    def forward(self, x):
        return F.relu(x)


class Softmax(Module):
    def __init__(self, axis=-1, *, dim=None):
        super().__init__()
        self.axis = axis if dim is None else dim

    def forward(self, x):
        return F.softmax(x, self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    def forward(self, x):
        return F.log_softmax(x, self.axis)


class Identity(Module):
    def forward(self, x):
        return x


class Flatten(Module):
    """Flattens all axes from `start` (default 1: keep the batch axis)."""

    def __init__(self, start=1, end=-1):
        super().__init__()
        self.start, self.end = start, end

    def forward(self, x):
        return F.as_tensor(x).flatten(self.start, self.end)

    def extra_repr(self):
        return f"start={self.start}, end={self.end}"
