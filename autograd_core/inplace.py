"""In-place updates, as PyTorch has them: `+= -= *= /= **=`, `t[i] = v` and
`add_ sub_ mul_ div_ pow_ zero_ fill_ copy_ clamp_` change the tensor's own
array (attached to Tensor here, as methods.py attaches the rest).

Under `no_grad` they are how leaves and parameters are updated (PyTorch's
tutorial loop, optimizers). With grad mode on they refuse a tensor that
requires grad, or an operand that does: the change would not be recorded,
so backward would be wrong. When a live graph holds the array for backward
(the guard made it read-only), the tensor gets a new array instead
(copy-on-write) and that graph keeps the values it saved; `note_replaced`
remembers the old array, so that a second derivative through it refuses
rather than treat it as a constant (function.py asks `replaced_while_saved`).
"""
import weakref

import numpy as np

from .axes import plain_index
from .engine import _per_thread, is_grad_enabled
from .tensor import Tensor, _SharedArray


def update(t, ufunc, operands, what):
    """Write `ufunc(t, *operands)` into `t`'s own array, or into a new one
    when a live graph holds it. Returns `t`. (Runs once per parameter per
    optimizer step: the common case, under no_grad with operands that are
    numbers or arrays of the tensor's own shape, costs one loop and a flag.)"""
    if _per_thread.modes.enabled and (t._requires_grad or any(
            isinstance(o, Tensor) and o._requires_grad for o in operands)):
        raise RuntimeError(_refusal(t, what))
    data = t.data
    for o in operands:
        if type(o) is np.ndarray and o.shape == data.shape or type(o) is float or type(o) is int:
            continue
        operands = [o.data if isinstance(o, Tensor) else o for o in operands]
        _check_fits(data, operands, what)
        break
    _refuse_blocked_view(data, what)
    # a read-only array is one a live graph saved (guard.py), or one that was
    # never ours to write: either way the tensor takes a new array
    target = data if data.flags.writeable else _new_array(t, what)
    try:  # (casting: the ufuncs' default, "same_kind")
        ufunc(data, *operands, out=target)
    except TypeError as e:
        raise TypeError(f"{what}: the result does not fit this {data.dtype} tensor in "
                        f"place ({e}); compute out of place, or convert with astype") from None
    except ValueError:  # another thread's graph locked the array meanwhile
        target = _new_array(t, what)
        ufunc(data, *operands, out=target)
    if target is not data:
        note_replaced(data)
        t.data = target
    return t


def _check_fits(data, operands, what):
    """Refuse operands that broadcast to more than the tensor's shape."""
    shape = np.broadcast_shapes(data.shape, *(np.shape(o) for o in operands))
    if shape != data.shape:
        raise ValueError(f"{what}: operands of shape {[np.shape(o) for o in operands]} do not "
                         f"fit a tensor of shape {data.shape} in place (they broadcast to "
                         f"{shape}); compute out of place instead")


def setitem(t, index, value):
    """`t[index] = value`, in place under the rules of the other updates."""
    operand = value.data if isinstance(value, Tensor) else value
    if is_grad_enabled() and (t.requires_grad or isinstance(value, Tensor) and value.requires_grad):
        raise RuntimeError(_refusal(t, "t[...] = ..."))
    index, data = plain_index(index, t.ndim), t.data
    _refuse_blocked_view(data, "t[...] = ...")
    if data.flags.writeable:
        data[index] = operand
    else:  # held by a live graph: a new array, the graph keeps its values
        new = _new_array(t, "t[...] = ...")
        new[...] = data
        new[index] = operand
        note_replaced(data)
        t.data = new


def _new_array(t, what):
    """The new array of a copy-on-write update, for a tensor that owns its
    array. A tensor made by detach() or from_numpy() shares its array on
    purpose (with the tensor it was detached from, or with your numpy
    array): a new array would silently split the two, so it is refused."""
    if type(t._parents) is _SharedArray:
        raise RuntimeError(
            f"{what}: this tensor shares its array with another (it was made by "
            f"{t._parents.maker}), and "
            "that array is read-only: a live graph saved it for backward (or numpy made it "
            "read-only). Writing into a new array would leave the other one unchanged. Update "
            "the original tensor under `with no_grad():`, run backward first, or write into a "
            "copy (.clone())")
    return np.empty_like(t.data)


def _refuse_blocked_view(data, what):
    if data.base is not None and _write_blocked(data):
        raise RuntimeError(
            f"{what}: this tensor is a view (t[...], reshape, .T, detach of one) of an array "
            "that a live graph saved for backward, or that is read-only; writing through it "
            "would change what that backward computes. Update the tensor it views, run "
            "backward first, or work on a copy (.clone())")


def _write_blocked(view):
    """A view that cannot be written in place, or whose base a graph holds
    (views made before the graph locked their base keep their write flag)."""
    while view is not None:
        if not view.flags.writeable:
            return True
        view = view.base if isinstance(view.base, np.ndarray) else None
    return False


def _scaled(other, alpha):
    return other if alpha == 1 else (
        other.data if isinstance(other, Tensor) else np.asarray(other)) * alpha


def _copy(data, value, out):
    np.copyto(out, value)  # (casting "same_kind", as the ufuncs)
    return out


def _refusal(t, what):
    if t.requires_grad and t._ctx is None:
        return (f"{what} on a leaf tensor that requires grad, while grad mode is on: the "
                "change would not be recorded, so backward would be wrong. Update "
                "parameters under `with no_grad():` (as optimizers do), or write x = x + ... "
                "for a new tensor in the graph")
    if t.requires_grad:
        return (f"{what} on a tensor computed by {t.op}, while grad mode is on: in-place "
                "changes are not recorded in the graph. Write y = y + ... (out of place), "
                "or make the change under `with no_grad():`")
    return (f"{what} with an operand that requires grad, while grad mode is on: in-place "
            "changes are not recorded in the graph. Write x = x + ... (out of place), or "
            "use the operand's .detach()")


def _clamp(t, min=None, max=None):
    if min is None and max is None:
        raise ValueError("clamp_ needs min=, max= or both")
    return update(t, np.clip, (-np.inf if min is None else min,
                               np.inf if max is None else max), "clamp_")


Tensor.add_ = lambda self, other, alpha=1: update(self, np.add, (_scaled(other, alpha),), "add_")
Tensor.sub_ = lambda self, other, alpha=1: update(self, np.subtract, (_scaled(other, alpha),),
                                                  "sub_")
Tensor.mul_ = lambda self, other: update(self, np.multiply, (other,), "mul_")
Tensor.div_ = lambda self, other: update(self, np.true_divide, (other,), "div_")
Tensor.pow_ = lambda self, other: update(self, np.power, (other,), "pow_")
Tensor.clamp_ = _clamp
Tensor.fill_ = lambda self, value: update(self, _copy, (value,), "fill_")
Tensor.zero_ = lambda self: update(self, _copy, (0,), "zero_")
Tensor.copy_ = lambda self, src: update(self, _copy, (src,), "copy_")
Tensor.__setitem__ = setitem
Tensor.__iadd__ = lambda self, other: update(self, np.add, (other,), "+=")
Tensor.__isub__ = lambda self, other: update(self, np.subtract, (other,), "-=")
Tensor.__imul__ = lambda self, other: update(self, np.multiply, (other,), "*=")
Tensor.__itruediv__ = lambda self, other: update(self, np.true_divide, (other,), "/=")
Tensor.__ipow__ = lambda self, other: update(self, np.power, (other,), "**=")

_replaced = weakref.WeakValueDictionary()  # id -> an array a graph saved, since replaced


def note_replaced(array):
    """An in-place update gave a tensor a new array because a graph held this one."""
    _replaced[id(array)] = array


def replaced_while_saved(array):
    return _replaced.get(id(array)) is array
