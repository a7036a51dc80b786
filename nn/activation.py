"""Activations, as functions (re-exported by `nn.functional`) and as Modules.

Most are compositions of Tensor ops, so their derivatives of every order come
from the engine. The unselected side of each `where` is kept finite (ELU
exponentiates only non-positive numbers), so that its zero share of the
gradient stays zero rather than 0 * inf = nan.
"""
import math

import numpy as np

import autograd_core as ag

from .functional import as_tensor
from .module import Module


def leaky_relu(x, negative_slope=0.01):
    """x where x > 0, else negative_slope * x (slope negative_slope at 0, as PyTorch)."""
    x = as_tensor(x)
    return ag.where(x > 0, x, x * negative_slope)


def elu(x, alpha=1.0):
    """x where x > 0, else alpha * (exp(x) - 1) (slope alpha at 0, as PyTorch)."""
    x = as_tensor(x)
    positive = x > 0
    return ag.where(positive, x, (ag.where(positive, 0.0, x).exp() - 1) * alpha)


def gelu(x, approximate="none"):
    """x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as PyTorch."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    x = as_tensor(x)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
        return x * 0.5 * (inner.tanh() + 1)
    return x * 0.5 * (Erf.apply(x * math.sqrt(0.5)) + 1)


_erf = np.frompyfunc(math.erf, 1, 1)


class Erf(ag.Function):
    """The error function (numpy has none: math.erf, element by element)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.asarray(_erf(x), dtype=np.float64).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (2 / math.sqrt(math.pi)) * np.exp(-(x * x))


def softplus(x, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as PyTorch)."""
    if beta <= 0:
        raise ValueError(f"softplus needs beta > 0, got {beta}")
    return SoftplusFunction.apply(as_tensor(x), float(beta), float(threshold))


class SoftplusFunction(ag.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta
        return np.where(z > threshold, x, np.logaddexp(0, z) / beta)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        z = x * ctx.beta
        # sigmoid(z) as 0.5 (1 + tanh(z / 2)): finite for every z, and
        # differentiable again under create_graph
        return np.where(z > ctx.threshold, grad, grad * 0.5 * (np.tanh(z * 0.5) + 1))


class Sigmoid(Module):
    def forward(self, x):
        return as_tensor(x).sigmoid()


class Tanh(Module):
    def forward(self, x):
        return as_tensor(x).tanh()


class ReLU(Module):
    def forward(self, x):
        return as_tensor(x).relu()


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        return elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class GELU(Module):
    """GELU(approximate="none") is exact (with erf); "tanh" the tanh approximation."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        if beta <= 0:
            raise ValueError(f"Softplus needs beta > 0, got {beta}")
        self.beta, self.threshold = float(beta), float(threshold)

    def forward(self, x):
        return softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta:g}, threshold={self.threshold:g}"


def softmax_axis(what, ndim, axis, dim):
    """The axis of a softmax given as `axis` (numpy's word) or `dim`
    (PyTorch's), or neither: then the last, where PyTorch (its deprecated
    guess: axis 0 of 3-D input, 1 of 4-D and more) agrees; refused where it
    does not, rather than picking one of the two meanings."""
    if axis is not None and dim is not None:
        raise TypeError(f"{what}: give axis= or dim=, not both")
    chosen = dim if dim is not None else axis
    if chosen is None:
        if ndim >= 3:
            raise ValueError(
                f"{what} of {ndim}-D input without an axis is ambiguous: PyTorch's "
                f"(deprecated) choice is axis {0 if ndim == 3 else 1}, numpy's habit the last; "
                "pass dim= (or axis=)")
        return -1
    return chosen


class Softmax(Module):
    """Softmax over `dim` (or `axis`); without one, the last axis of 1-D and
    2-D input, and an error for more axes (see softmax_axis)."""

    def __init__(self, axis=None, *, dim=None):
        super().__init__()
        softmax_axis(type(self).__name__, 0, axis, dim)  # (both given: refused now)
        self.axis = axis if dim is None else dim

    def forward(self, x):
        x = as_tensor(x)
        return x.softmax(softmax_axis(type(self).__name__, x.ndim, self.axis, None))

    def extra_repr(self):
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    def forward(self, x):
        x = as_tensor(x)
        return x.log_softmax(softmax_axis(type(self).__name__, x.ndim, self.axis, None))
