"""Minibatches from arrays."""
import numpy as np

from autograd_core import Tensor

from .init import generator


def batches(X, y=None, batch_size=32, shuffle=True, rng=None):
    """Yield (x_batch, y_batch) (or x_batch alone when y is None), as numpy
    arrays, or as Tensors when given Tensors. The last batch may be smaller.
    `rng` is a numpy Generator for the shuffle (by default ag.default_generator())."""
    n = len(X)
    if y is not None and len(y) != n:
        raise ValueError(f"batches: X has {n} rows but y has {len(y)}; they must match")
    if int(batch_size) < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = generator(rng).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, int(batch_size)):
        index = order[start:start + int(batch_size)]
        xb = _take(X, index)
        yield xb if y is None else (xb, _take(y, index))


def _take(a, index):
    if isinstance(a, Tensor):
        return Tensor(a.data[index], dtype=a.dtype)
    return np.asarray(a)[index]
