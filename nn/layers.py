"""Layers: `Linear` (alias `Dense`), `Embedding`, `Dropout`, `Flatten`, `Identity`.

Every layer with parameters takes `dtype=` (float32 by default) and casts its
input to that dtype (see `functional.cast_input`); `rng=` (a numpy
Generator) makes its initialisation reproducible.
"""
import math
import operator

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from . import functional as F
from . import init
from .module import Module, Parameter


class Linear(Module):
    """y = x @ weight.T + bias, with weight shaped (out_features, in_features)
    as in PyTorch, initialised as PyTorch does: U(-1/sqrt(in), 1/sqrt(in)).
    Input of any floating, integer or boolean dtype is cast to `dtype`."""

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
        return F.linear(F.cast_input(x, self.weight.dtype), self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


Dense = Linear


class Identity(Module):
    def forward(self, x):
        return x


class Flatten(Module):
    """Flattens the axes start_dim..end_dim into one (by default all but the
    batch axis), as PyTorch's Flatten."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = int(start_dim), int(end_dim)

    def forward(self, x):
        return F.as_tensor(x).flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


def dropout(x, p=0.5, training=True, inplace=False, rng=None):
    """Zero each element with probability p and scale the rest by 1 / (1 - p)
    while training; the identity otherwise. The mask is drawn from `rng` or
    the default generator. PyTorch's arguments in PyTorch's order; `inplace`
    only False (the input is never written)."""
    _out_of_place("dropout", inplace)
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability must lie in [0, 1], got {p}")
    x = F.as_tensor(x)
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0.0
    keep = init.generator(rng).random(x.shape) >= p
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    return x * (keep / dtype.type(1 - p)).astype(dtype)


def _out_of_place(what, inplace):
    if inplace is not False:
        raise ValueError(f"{what}: inplace={inplace!r} is not implemented here (only False): "
                         "the input is never overwritten; use the returned tensor")


class Dropout(Module):
    """Dropout(p): in training mode, zero each element with probability p and
    scale the rest by 1 / (1 - p); in eval mode, pass the input through."""

    def __init__(self, p=0.5, inplace=False, rng=None):
        super().__init__()
        _out_of_place("Dropout", inplace)
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout probability must lie in [0, 1], got {p}")
        self.p, self.rng = float(p), rng

    def forward(self, x):
        return dropout(x, self.p, self.training, rng=self.rng)

    def extra_repr(self):
        return f"p={self.p}"


def embedding(indices, weight, padding_idx=None):
    """Rows of `weight` picked by integer `indices` (any shape); the row at
    `padding_idx` gets no gradient."""
    index = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    num = weight.shape[0]
    if index.dtype.kind not in "iu":
        raise TypeError(f"embedding indices must be integers, got {index.dtype} values; "
                        "use indices.astype(np.int64)")
    if index.size and (index.min() < 0 or index.max() >= num):
        bad = index[(index < 0) | (index >= num)].flat[0]
        raise IndexError(f"embedding index {int(bad)} is out of range for {num} embeddings "
                         f"(indices must lie in 0..{num - 1})")
    padding_idx = _padding_index(padding_idx, num)
    rows = weight[index]
    if padding_idx is None or not rows.requires_grad:
        return rows
    # the padding row's value as it is, with no gradient (PyTorch's rule)
    return ag.where((index != padding_idx)[..., None], rows, rows.detach())


def _padding_index(padding_idx, num):
    """padding_idx as a row number: a negative one counts from the end, as in PyTorch."""
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise ValueError(f"padding_idx {padding_idx} is out of range for {num} embeddings")
    return operator.index(padding_idx) % num


class Embedding(Module):
    """A lookup table: integer indices of any shape -> rows of `weight`
    (num_embeddings, embedding_dim), drawn from N(0, 1) as in PyTorch; the
    row at padding_idx starts at zero and is never trained. The output has
    the weights' dtype (`dtype`, float32 by default)."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, dtype=np.float32, rng=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx = padding_idx = _padding_index(padding_idx, self.num_embeddings)
        self.weight = Parameter(np.zeros((self.num_embeddings, self.embedding_dim)), dtype=dtype)
        values = init.generator(rng).standard_normal(self.weight.shape)
        if padding_idx is not None:
            values[padding_idx] = 0.0
        init.copy_values(self.weight, values)

    def forward(self, indices):
        return embedding(indices, self.weight, self.padding_idx)

    def extra_repr(self):
        pad = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"{self.num_embeddings}, {self.embedding_dim}{pad}"
