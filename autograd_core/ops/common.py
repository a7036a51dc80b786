"""Small helpers the numpy-facing ops share: turning arguments into Tensors."""
import numpy as np

from ..numpy_dispatch import gradless_dtype
from ..tensor import Tensor


def as_tensor(x):
    """`x` as a Tensor: Tensors as they are, anything else as a constant
    (arrays keep their dtype; Python floats become numpy's float64, as in numpy)."""
    if isinstance(x, Tensor):
        return x
    return Tensor._make(np.asarray(x), False, None, ())


def as_tensors(xs):
    return [as_tensor(x) for x in xs]


def cast_for(t, dtype, what):
    """`t` in `dtype` (numpy's dtype= argument of reductions and scans); an
    integer or boolean dtype is refused where `t` requires grad (`what` names
    the function in the message)."""
    if dtype is None or t.dtype == np.dtype(dtype):
        return t
    gradless_dtype(what, dtype, (t,))
    return t.astype(np.dtype(dtype))


def is_tensor(x):
    return isinstance(x, Tensor)


def int_sequence(value):
    """An int or a sequence of ints (numpy arrays and Tensors of ints too) as a tuple."""
    if hasattr(value, "_ctx"):
        value = value.data
    if isinstance(value, (int, np.integer)):
        return (int(value),)
    return tuple(int(v) for v in np.asarray(value).reshape(-1))
