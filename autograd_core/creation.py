"""Making tensors: from data, filled, ranges and random draws."""
import random

import numpy as np

from .axes import shape_arg
from .tensor import DEFAULT_FLOAT, FROM_NUMPY, Tensor

_rng = np.random.default_rng()


def manual_seed(seed):
    """Seed every random draw of this library: the numpy Generator behind
    `randn`, `rand`, `nn.init`, `nn.Linear` and `nn.Dropout` (where no `rng=`
    is passed), and Python's `random`, which `nn.scalar` draws from as
    micrograd does."""
    global _rng
    _rng = np.random.default_rng(seed)
    random.seed(seed)


def default_generator():
    """The numpy Generator that draws when no `rng=` is given (reseeded by `manual_seed`)."""
    return _rng


def tensor(data, requires_grad=False, dtype=None):
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def from_numpy(array):
    """A Tensor sharing memory with `array` (no copy, same dtype)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy array, got {type(array).__name__}")
    return Tensor._make(array, False, None, FROM_NUMPY)


def _filled(fill, shape, dtype, requires_grad):
    return Tensor(fill(shape_arg(shape), dtype=dtype or DEFAULT_FLOAT), requires_grad=requires_grad)


def zeros(*shape, dtype=None, requires_grad=False):
    return _filled(np.zeros, shape, dtype, requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    return _filled(np.ones, shape, dtype, requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """`fill_value` everywhere; without a dtype, that of the value as numpy and
    PyTorch take it (bool, int64), a float in float32 (PyTorch's default)."""
    shape = shape_arg((shape,)) if isinstance(shape, (tuple, list)) else (int(shape),)
    if dtype is None:
        kind = np.asarray(fill_value).dtype.kind
        dtype = np.bool_ if kind == "b" else np.int64 if kind in "iu" else DEFAULT_FLOAT
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    return Tensor(np.eye(n, m, dtype=dtype or DEFAULT_FLOAT), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """numpy's arange; integer arguments give int64, float ones float32."""
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None and values.dtype.kind == "f":
        dtype = DEFAULT_FLOAT
    return Tensor(values, dtype=dtype, requires_grad=requires_grad)


def linspace(start, stop, num=50, endpoint=True, dtype=None, requires_grad=False):
    """numpy's linspace, in float32 unless asked."""
    values = np.linspace(start, stop, num, endpoint=endpoint)
    return Tensor(values, dtype=dtype or DEFAULT_FLOAT, requires_grad=requires_grad)


def logspace(start, stop, num=50, *ambiguous, endpoint=True, base=10.0, dtype=None,
             requires_grad=False):
    """numpy's logspace, in float32 unless asked. Past `num`, arguments go by
    keyword: the fourth is endpoint in numpy and base in PyTorch."""
    if ambiguous:
        raise TypeError(f"logspace({start}, {stop}, {num}, {ambiguous[0]!r}, ...): the fourth "
                        "argument is endpoint in numpy and base in PyTorch; pass endpoint= or "
                        "base= by keyword")
    values = np.logspace(start, stop, num, endpoint=endpoint, base=base)
    return Tensor(values, dtype=dtype or DEFAULT_FLOAT, requires_grad=requires_grad)


def empty(*shape, dtype=None, requires_grad=False):
    return _filled(np.empty, shape, dtype, requires_grad)


def randn(*shape, dtype=None, requires_grad=False, rng=None):
    """Standard normal draws, from `rng` (a numpy Generator) or the module's."""
    values = (rng or default_generator()).standard_normal(shape_arg(shape))
    return Tensor(values, dtype=dtype or DEFAULT_FLOAT, requires_grad=requires_grad)


def rand(*shape, dtype=None, requires_grad=False, rng=None):
    """Uniform draws in [0, 1)."""
    values = (rng or default_generator()).random(shape_arg(shape))
    return Tensor(values, dtype=dtype or DEFAULT_FLOAT, requires_grad=requires_grad)


def _like(fill):
    def like(t, dtype=None, requires_grad=False, **kwargs):
        return fill(*np.shape(t), dtype=dtype or _dtype_of(t), requires_grad=requires_grad, **kwargs)
    like.__name__ = fill.__name__ + "_like"
    like.__doc__ = f"`{fill.__name__}` with the shape (and dtype) of `t`."
    return like


zeros_like, ones_like, randn_like, rand_like = map(_like, (zeros, ones, randn, rand))


def full_like(t, fill_value, dtype=None, requires_grad=False):
    return full(np.shape(t), fill_value, dtype=dtype or _dtype_of(t), requires_grad=requires_grad)


def _dtype_of(t):
    return t.dtype if isinstance(t, Tensor) else np.asarray(t).dtype
