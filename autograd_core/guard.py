"""While a graph holds arrays for backward, nobody can write into them.

Backward rules read what their forward saved. A write into one of those
arrays between forward and backward (`x.data[0] = 5`, or refilling the numpy
array a tensor was made from with `from_numpy`) would make backward return a
wrong gradient without any sign of it. So every numpy array an op saves is
made read-only when the op is recorded, and such a write fails at once with
numpy's "ValueError: assignment destination is read-only". Arrays come back
writeable when no graph can use them any more:

* An op's output (an intermediate) is unlocked when backward frees the op
  that made it. Any later backward through an op that saved it would have to
  pass through that freed op, which raises, so no wrong gradient can follow.
* A leaf's array, a constant array, and any array a saved view looks into
  can be held by ops of several graphs at once. Each holding op keeps a
  reference to one `_Token` per array; when the last reference goes (backward
  freed the ops, or the graph was dropped), the array is unlocked.

An array that was read-only before it was saved stays as it was: it was not
ours to lock, so it is not ours to unlock.

`mutation_guard(False)` records ops without locking anything (a few percent
faster on graphs of many tiny ops); you then answer for not writing into
saved arrays yourself, optimizer steps included (they update in place
whatever is writeable).
"""
import threading
import weakref

import numpy as np

from .engine import _ModeSwitch


class mutation_guard(_ModeSwitch):
    """`with mutation_guard(False): ...` records ops without making what they
    save read-only. On by default; usable as a decorator too."""

    attribute = "guard"


class _Token:
    """Held by every recorded op that saved one array; the array's lock."""

    __slots__ = ("__weakref__",)


class _Lock(weakref.ref):
    """The registry's weak reference to an array's token, made as
    `_Lock(token, _unlock)` with `.array` set after. When the token dies (its
    last holder let go), the callback `_unlock` unlocks the array."""

    __slots__ = ("array",)


_locks = {}  # id(array) -> _Lock; the _Lock keeps the array alive, so ids stay unique
_mutex = threading.RLock()  # several threads may build graphs on one parameter


def _unlock(lock):
    try:
        with _mutex:
            array, lock.array = lock.array, None  # a leaf may keep `lock`, not the array
            if _locks.get(id(array)) is lock:  # not taken over by a newer token
                del _locks[id(array)]
                try:
                    array.setflags(True)
                except ValueError:  # a view whose base someone still holds: stays read-only
                    pass
    except Exception:  # noqa: BLE001  (at interpreter exit this module may be gone)
        pass


def hold(saved, arrays, inputs, out, result):
    """Lock what one recorded op saved. `arrays` are forward's arguments as
    arrays, `inputs` the same as given (Tensors or constants), `out` the
    output array and `result` its Tensor. Returns what the op must keep
    (None, a token or a list of them) for as long as the arrays must stay
    read-only."""
    held = None
    for s in saved:
        if type(s) is not _ndarray:
            continue
        if s is out:
            more = hold_array(result, s)
        else:
            for a, owner in zip(arrays, inputs):  # which argument of forward is it?
                if a is s:
                    more = hold_array(owner, s) if isinstance(owner, _Tensor) else _hold_chain(s)
                    break
            else:  # computed inside forward: only a view needs locking
                if s.base is None:
                    continue
                more = _hold_chain(s.base)
        if more is not None:
            held = more if held is None else [held, more]
    return held


def hold_array(tensor, array):
    """Lock `array`, the data of `tensor` that an op saved; returns what the op
    must keep for that (None, a token or a list). Runs once per saved array of
    every recorded op, so the common cases come first and stay short."""
    if array.base is None:
        if tensor._ctx is not None:
            # an op's fresh output: locked until backward frees that op
            if tensor._locked:
                return None
            if array.flags.writeable:
                array.setflags(False)
                tensor._locked = True
                return None
        else:  # a leaf remembers the lock on its array, to skip the lookup
            lock = tensor._locked
            token = lock() if lock and lock.array is array else None
            if token is None:
                token = _token(array)
                tensor._locked = _locks.get(id(array), False)
            return token
    return _hold_chain(array)


def _hold_chain(array):
    """Tokens for `array` and every array it is a view of (nested as they
    come: they are only kept, never read; a single token stays bare, as a
    list per op would be one more object for Python's cyclic collector)."""
    held = None
    while type(array) is _ndarray:
        token = _token(array)
        if token is not None:
            held = token if held is None else [held, token]
        array = array.base
    return held


def _token(array):
    """The live token that locks `array`, made if there is none yet; None if
    the array was read-only already, and not by us."""
    lock = _locks.get(id(array))
    token = None if lock is None else lock()
    if token is None:
        with _mutex:
            lock = _locks.get(id(array))
            token = None if lock is None else lock()
            if token is None:  # (another thread may have made one meanwhile)
                if lock is None and not array.flags.writeable:
                    return None
                token = _Token()  # if `lock` died and waits for its callback, take over
                lock = _Lock(token, _unlock)
                lock.array = array  # before it is published: other threads read it unlocked
                array.setflags(False)
                _locks[id(array)] = lock
    return token


_ndarray = np.ndarray
from .tensor import Tensor as _Tensor  # noqa: E402  (tensor.py imports this module's users)
