"""numpy's functions that write into an argument (copyto, put, place,
putmask, fill_diagonal, put_along_axis, and ufunc.at) on Tensors, as the
in-place methods in inplace.py: under no_grad, or with no gradient at stake,
they write into the tensor's array (a new array when a live graph holds the
old one, which keeps the values it saved). With grad mode on and a gradient
at stake the change could not be recorded, so backward would be wrong: they
are refused, naming what works (under no_grad, or a new tensor in the graph).
"""
import inspect

import numpy as np

from .engine import is_grad_enabled
from .inplace import update
from .numpy_dispatch import needs_grad, plain, qualified_name
from .tensor import Tensor

# the argument written into, and the out-of-place way to get its new values
WRITES = {
    np.copyto: ("dst", "src itself (np.where(where, src, dst) for where=)"),
    np.put: ("a", "ag.put_along_axis(a, ind, v, axis=None).reshape(a.shape)"),
    np.place: ("arr", "np.where(mask, vals, arr), with vals of arr's shape"),
    np.putmask: ("a", "np.where(mask, values, a)"),
    np.fill_diagonal: ("a", "np.where(np.eye(*a.shape, dtype=bool), val, a) for a matrix"),
    np.put_along_axis: ("arr", "ag.put_along_axis(arr, indices, values, axis)"),
}
UFUNC_AT = {np.add: "a + np.eye(len(a))[indices].T @ b for np.add.at(a, indices, b) on a "
                    "vector (repeated indices add up, as in np.add.at)"}


def write_into(func, args, kwargs):
    """`func(*args, **kwargs)` (numpy's in-place function) on Tensors; returns None."""
    name = qualified_name(func)
    target_name, instead = WRITES[func]
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{name}(): {e}") from None

    def call(target):
        arguments = _with(bound, target_name, target)
        func(*arguments.args, **arguments.kwargs)
    return _write(name, target_name, instead, bound.arguments[target_name], call,
                  args + tuple(kwargs.values()))


def ufunc_at(ufunc, inputs, kwargs):
    """`ufunc.at(a, indices, b)` on Tensors: unbuffered, in place into `a`."""
    name = f"{qualified_name(ufunc)}.at"
    target_name, instead = "a", UFUNC_AT.get(ufunc, "ag.put_along_axis(a, indices, values, "
                                             "axis=0) with the new values computed out of place")
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    a, *rest = inputs
    return _write(name, target_name, instead, a,
                  lambda target: ufunc.at(target, *plain(tuple(rest))), inputs)


def _with(bound, target_name, target):
    """The bound arguments with Tensors as their arrays and `target` written into."""
    copy = inspect.BoundArguments(bound.signature, bound.arguments.copy())
    for key, value in copy.arguments.items():
        copy.arguments[key] = target if key == target_name else plain(value)
    return copy


def _write(name, target_name, instead, target, call, args):
    if is_grad_enabled() and needs_grad(args):
        raise TypeError(_refusal(name, target_name, instead, target))
    if not isinstance(target, Tensor):  # numpy's own, into an ndarray
        call(target)
        return None

    def into(data, out):
        if out is not data:  # a live graph holds data: the tensor takes `out`
            out[...] = data
        call(out)
        return out
    update(target, into, (), name)
    return None


def _refusal(name, target_name, instead, target):
    if not isinstance(target, Tensor):
        return (f"{name} writes into the numpy array {target_name!r} the values of a Tensor "
                "that requires grad, which would lose their gradient: pass t.detach() (or "
                "t.numpy()), or call it under `with no_grad():`")
    return (f"{name} writes into its argument {target_name!r} in place and returns None, "
            "while grad mode is on and a gradient is at stake: the change would not be "
            "recorded, so backward would be wrong. To update a parameter, call it (or "
            f"{target_name}.copy_(new)) under `with no_grad():`; in the graph, compute a new "
            f"tensor instead: {instead}")
