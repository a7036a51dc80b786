"""`LayerNorm` and `BatchNorm1d`, as PyTorch's, written as Tensor ops (so
they differentiate to any order)."""
import numpy as np

import autograd_core as ag

from . import functional as F
from . import init
from .module import Module, Parameter


def _normalize(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over `axes`, with the biased variance;
    also returns the mean and variance (as Tensors)."""
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)
    return centered / (var + eps).sqrt(), mean, var


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the trailing axes `normalized_shape`, then scale and shift."""
    x = F.as_tensor(x)
    shape = tuple(normalized_shape)
    if x.shape[x.ndim - len(shape):] != shape or x.ndim < len(shape):
        raise ValueError(f"layer_norm over the last axes {shape} needs input whose shape ends "
                         f"in {shape}, got {x.shape}")
    y, _, _ = _normalize(x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias


class LayerNorm(Module):
    """Normalises each example over its trailing axes `normalized_shape` (an
    int or a tuple), then applies a learned elementwise scale and shift
    (ones and zeros at first) unless elementwise_affine=False. Input of any
    floating, integer or boolean dtype is cast to `dtype`."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 dtype=np.float32):
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(n) for n in normalized_shape)
        self.eps, self.elementwise_affine, self.dtype = float(eps), elementwise_affine, np.dtype(dtype)
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape), dtype=dtype)
            if bias:
                self.bias = Parameter(np.zeros(self.normalized_shape), dtype=dtype)

    def forward(self, x):
        return layer_norm(F.cast_input(x, self.dtype), self.normalized_shape, self.weight,
                          self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps:g}, "
                f"elementwise_affine={self.elementwise_affine}")


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalise each channel (axis 1) of x, shaped (N, C, ...): (N, C),
    (N, C, L), (N, C, H, W) and so on, each channel over all its other axes.
    In training, with the batch's statistics, and the running ones (buffers,
    or None) updated in place as PyTorch does (the variance unbiased); else
    with the running statistics."""
    x = F.as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"batch_norm expects input shaped (N, C, ...) with channels on axis 1, "
                         f"got shape {x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if training:
        n = x.size // x.shape[1]
        if n <= 1:
            raise ValueError(f"batch_norm in training needs more than one value per channel, "
                             f"got input of shape {x.shape}; use a bigger batch, or eval()")
        y, mean, var = _normalize(x, axes, eps)
        if running_mean is not None:
            mean = mean.data.reshape(-1)
            unbiased = var.data.reshape(-1) * (n / (n - 1))
            init.copy_values(running_mean, momentum * mean + (1 - momentum) * running_mean.data)
            init.copy_values(running_var, momentum * unbiased + (1 - momentum) * running_var.data)
    else:
        y = (x - running_mean.reshape(shape)) / (running_var.reshape(shape) + eps).sqrt()
    if weight is not None:
        y = y * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


class BatchNorm1d(Module):
    """Batch normalisation over (N, C) or (N, C, L) input, as PyTorch's:
    batch statistics in training (and running ones updated with `momentum`,
    None for a cumulative average), running statistics in eval mode (batch
    ones when track_running_stats=False); a learned scale and shift per
    channel unless affine=False. Input of any floating, integer or boolean
    dtype is cast to `dtype` (that of the parameters and running statistics)."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, dtype=np.float32):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.dtype = np.dtype(dtype)
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(np.ones(self.num_features), dtype=dtype)
            self.bias = Parameter(np.zeros(self.num_features), dtype=dtype)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(self.num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(self.num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def forward(self, x):
        x = F.cast_input(x, self.dtype)
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError(f"{self!r} expects input shaped (N, {self.num_features}) or "
                             f"(N, {self.num_features}, L), got {x.shape}")
        use_batch = self.training or not self.track_running_stats
        update = self.training and self.track_running_stats
        momentum, tracked = self.momentum, None
        if update:
            tracked = self.num_batches_tracked.item() + 1
            if momentum is None:  # a cumulative average
                momentum = 1.0 / tracked
        stats = (self.running_mean, self.running_var) if update or not use_batch else (None, None)
        out = batch_norm(x, *stats, self.weight, self.bias, use_batch, momentum, self.eps)
        if update:
            init.copy_values(self.num_batches_tracked, tracked)
        return out

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps:g}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")
