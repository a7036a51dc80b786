"""While a graph holds arrays for backward, nobody can write into them.

Backward rules read what their forward saved. A write into one of those
arrays between forward and backward (`x.data[0] = 5`, or refilling the numpy
array a tensor was made from with `from_numpy`) would make backward return a
wrong gradient without any sign of it. So every numpy array an op saves is
made read-only when the op is recorded (`lock`), and such a write fails at
once with numpy's "ValueError: assignment destination is read-only". What
keeps an array locked is kept on the `Context`s of the graph (`ctx.locks`),
and arrays come back writeable when no graph can use them any more:

* An op's output (an intermediate) is kept locked by the op that made it,
  and unlocked when backward frees that op (`release`). Any later backward
  through an op that saved it would have to pass through the freed op,
  which raises, so no wrong gradient can follow.
* A leaf's array, a constant array, and any array a saved view looks into
  can be held by ops of several graphs at once. Each holding op keeps one
  `_Token` per array; when the last token goes (backward freed the ops, or
  the graph was dropped), the array is unlocked (a view whose base
  another op still holds, once that base is).

An array that was read-only before it was saved stays as it was: it was not
ours to lock, so it is not ours to unlock (its token keeps it so). An op's
output that another graph saves through an alias (`y.detach()`) is held by
a token too; when the op that made it lets go, the token unlocks it. In-place updates (`p.sub_(...)`,
optimizer steps) give a tensor whose array is read-only a new array instead
of writing, so the graph keeps the values it saved.

Nothing outside this file reads or writes lock state. `mutation_guard(False)`
records ops without locking anything; you then answer for not writing into
saved arrays yourself.
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
    """Held by every recorded op that saved one shared array: the array's lock."""

    __slots__ = ("__weakref__",)


class _Lock(weakref.ref):
    """The registry's weak reference to an array's token, made as
    `_Lock(token, _unlock)` with `.array` and `.keep` set after. When the
    token dies (its last holder let go), the callback `_unlock` unlocks the
    array, unless `keep`: it was read-only already when the token was made
    (numpy's, the user's, or held by the op that made it, until that op
    lets go: `_hand_over`)."""

    __slots__ = ("array", "keep")


_locks = {}  # id(array) -> _Lock; the _Lock keeps the array alive, so ids stay unique
_mutex = threading.RLock()  # several threads may build graphs on one parameter (re-entrant:
# a garbage collection while it is held may free a graph, whose tokens then unlock)
_ndarray = np.ndarray


def lock(ctx, saved, arrays, inputs, outputs):
    """Make what the op of `ctx` saved read-only while that op holds it.
    `inputs` are forward's arguments as given (Tensors or constants),
    `arrays` the same as forward got them (a Tensor's data in its place),
    `outputs` the array forward returned (or a list of them). A saved array that is an op's
    fresh output stays locked until that op is released; an array made
    inside forward needs no lock (nobody else can write it); any other array
    (a leaf's, a constant, what a view looks into) stays locked until no op
    holds it any more; so does an argument it did not save that is a view
    into memory it saved. Runs once per recorded op that saves arrays, so it
    allocates nothing it does not keep (no zip, no enumerate).

    What an op holds (`ctx.locks`) is None, one item or a flat list of
    items: its own output arrays, locked by the ops that saved them, and
    the tokens of shared arrays."""
    i, n = -1, len(arrays)
    for s in saved:
        i += 1
        if type(s) is not _ndarray:
            continue
        if s.base is not None:  # a view: the array and all it looks into are shared
            _hold_chain(ctx, s)
            continue
        # which argument of forward is it? (most ops save theirs in order)
        given = inputs[i] if i < n and arrays[i] is s else _argument(s, arrays, inputs)
        if given is s:  # a constant array, as given
            producer = None
        elif given is not None and type(given) is not _ndarray:  # a Tensor's data
            producer = given._ctx  # (None for a leaf's)
        elif s is outputs or type(outputs) is list and any(s is o for o in outputs):
            producer = ctx
        else:
            continue  # made inside forward: nobody else can write it
        if producer is not None:  # an op's fresh output: that op keeps the lock
            if s.flags.writeable:
                s.setflags(False)  # (positional: numpy parses keywords slowly)
                if producer.locks is None:  # (the common case, without a call)
                    producer.locks = s
                else:
                    _hold(producer, s)
                continue
            if id(s) not in _locks:
                continue  # locked already, by its op
            # else a token holds it too (another graph took one through an alias,
            # y.detach()): hold that token, as for any shared array
        known = _locks.get(id(s))  # shared (a leaf's array, a constant): one token per array
        token = known() if known is not None else None
        if token is None:
            token = _token(s)
        if ctx.locks is None:
            ctx.locks = token
        else:
            _hold(ctx, token)
    for a in arrays:
        if type(a) is _ndarray and a.base is not None:
            _hold_overlapping_view(ctx, a, saved)


def _hold_overlapping_view(ctx, view, saved):
    """Lock an argument forward did not save if it is a view into memory
    it did save (x = c[:3]; x / c[1:] keeps c[1:] alone): numpy leaves a view
    made before its base was locked writeable, and a write through it would
    change what backward reads. (For a saved view, memory bounds are
    compared, not bases: two views of one bytearray share no ndarray base.)"""
    for s in saved:
        if s is view:
            return  # saved: locked already
    base = view.base
    while type(base) is _ndarray:  # a saved array that owns its memory: among the bases?
        for s in saved:
            if s is base:
                _hold_chain(ctx, view)
                return
        base = base.base
    for s in saved:  # saved views, and (past a base that is not an ndarray, as
        # as_strided's is not) owners too: numpy's bounds check
        if type(s) is _ndarray and (s.base is not None or base is not None) \
                and np.may_share_memory(view, s):
            _hold_chain(ctx, view)
            return


def _hold(ctx, item):
    """Add `item` (an output array, or a token) to what `ctx` holds."""
    locks = ctx.locks
    if locks is None:
        ctx.locks = item
    elif type(locks) is list:
        locks.append(item)
    else:
        ctx.locks = [locks, item]


def _argument(array, arrays, inputs):
    """The argument of forward (as given) whose array is `array`; None if none is."""
    i = 0
    for a in arrays:
        if a is array:
            return inputs[i]
        i += 1
    return None


def _hold_chain(ctx, array):
    """Hold the tokens of a view and of every array it looks into."""
    while type(array) is _ndarray:
        known = _locks.get(id(array))
        token = known() if known is not None else None
        if token is None:
            token = _token(array)
        _hold(ctx, token)
        array = array.base


def release(ctx):
    """Let go of what `ctx` holds: its own outputs become writeable, and
    shared arrays that no other op holds (dropping the tokens unlocks those,
    see _unlock)."""
    locks = ctx.locks
    if locks is not None:
        ctx.locks = None
        if type(locks) is _ndarray:  # (the common case, without a loop)
            _let_go(locks)
        elif type(locks) is list:
            _unlock_outputs(locks)


def _unlock_outputs(locks):
    # (A function of its own: its loop variable dies with it, before the
    # list does. Kept alive past the list, it would hold the list's last
    # token, a view's base, while the view's token dies; a view cannot be
    # made writeable while its base is read-only, so it would stay locked.)
    for item in locks:
        if type(item) is _ndarray:
            _let_go(item)


def _let_go(output):
    """The op that made `output` lets go of it."""
    if id(output) in _locks:  # (a token holds it too: rare)
        _hand_over(output)
        return
    try:
        output.setflags(True)
    except ValueError:  # a view of an array someone still holds
        pass


def _hand_over(array):
    """The op that made `array` lets go of it while a token holds it too
    (another graph saved it through an alias, `y.detach()`): the token
    unlocks it when it goes, or, gone meanwhile, left it read-only for us."""
    with _mutex:
        lock = _locks.get(id(array))
        if lock is not None:
            lock.keep = False
        else:
            _make_writeable(array)


def _token(array):
    """The live token that locks `array` (the caller found none), made if
    there is none yet. An array read-only already (numpy's, the user's, or
    an op's output its op holds) gets one too, that leaves it read-only."""
    with _mutex:
        lock = _locks.get(id(array))
        token = None if lock is None else lock()
        if token is None:  # (another thread may have made one meanwhile)
            # if `lock` died and waits for its callback, take over (and its keep)
            keep = lock.keep if lock is not None else not array.flags.writeable
            token = _Token()
            lock = _Lock(token, _unlock)
            lock.array, lock.keep = array, keep  # before it is published
            array.setflags(False)
            _locks[id(array)] = lock
    return token


def _unlock(lock):
    try:
        with _mutex:
            array, lock.array = lock.array, None
            if _locks.get(id(array)) is lock:  # not taken over by a newer token
                del _locks[id(array)]
                if lock.keep:  # read-only before us: it stays so, and so do views of it
                    _waiting.pop(id(array), None)
                else:
                    _make_writeable(array)
    except Exception:  # noqa: BLE001  (at interpreter exit this module may be gone)
        pass


_waiting = {}  # id(base) -> views to make writeable once that locked base is


def _make_writeable(array):
    """Give `array` its write flag back (under _mutex). numpy refuses it to
    a view whose base is read-only: a view whose base another op still
    holds (two slices of one array saved by two ops) waits for that base."""
    try:
        array.setflags(True)
    except ValueError:
        base = array.base
        while type(base) is _ndarray and id(base) not in _locks:
            base = base.base
        if type(base) is _ndarray:  # (else read-only not by us: it stays so)
            _waiting.setdefault(id(base), []).append(array)
        return
    for view in _waiting.pop(id(array), ()):
        _make_writeable(view)
