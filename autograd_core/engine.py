"""The reverse sweep, shared by `Value` and `Tensor`, and the grad modes.

Every graph node, whatever its kind, speaks the protocol `Node` below.
`backward_sweep` visits nodes from the outputs down, newest first, summing
what each node receives before passing it on: the chain rule, once. It uses
a heap, not recursion, so a chain a million nodes deep is fine.
"""
import functools
import gc
import inspect
import itertools
import os
import threading
import traceback
from heapq import heappop, heappush
from typing import Any, Callable, Iterable, Optional, Protocol

import numpy as np


class Node(Protocol):
    """What the sweep needs of a graph node (`Value` and `Tensor` both are one)."""

    _parents: tuple        # what it was computed from; `_vjp` says which of them get gradients
    _hooks: Optional[dict]  # None, or callables run on the node's gradient
    _keeps_grad: bool      # whether backward() stores the gradient on the node
    _seq: int              # creation number, from `next_seq()`: parents are older
    _step: int             # its place in the last sweep through it (set by the sweep)

    def _vjp(self, g: Any, create_graph: bool) -> Iterable[tuple]:
        """Given d(root)/d(node), the pairs (parent, d(root)/d(parent)); a
        None parent or gradient is skipped; a leaf gives none."""

    def _run_hooks(self, g: Any, create_graph: bool) -> Any:
        """The gradient after the node's hooks saw it."""

    def _store_grad(self, g: Any, create_graph: bool, shared: bool) -> None:
        """Accumulate `g` into `.grad` (`shared`: `g` also goes to another node)."""

    def _release(self) -> None:
        """Drop what was saved for backward."""


class _Modes:
    """The switches one thread computes under."""

    __slots__ = ("enabled", "anomaly", "guard")

    def __init__(self):
        self.enabled = True   # ops are recorded
        self.anomaly = False  # ops remember where they were made; backward checks for nan/inf
        self.guard = True     # saved arrays are made read-only (guard.py)


class _PerThread(threading.local):
    # `no_grad` in one thread must not switch off another's. (Ops read the
    # switches through `.modes`: one thread-local lookup per op, not three.)
    def __init__(self):
        self.modes = _Modes()


_per_thread = _PerThread()


def modes():
    """This thread's switches (grad mode, anomaly mode, mutation guard)."""
    return _per_thread.modes


def is_grad_enabled():
    return _per_thread.modes.enabled


class _ModeSwitch:
    """Base of the mode context managers; usable as a decorator too."""

    attribute = "enabled"

    def __init__(self, flag=True):
        self.flag = bool(flag)
        self.previous = []

    def __enter__(self):
        state = _per_thread.modes
        self.previous.append(getattr(state, self.attribute))
        setattr(state, self.attribute, self.flag)
        return self

    def __exit__(self, *exc):
        setattr(_per_thread.modes, self.attribute, self.previous.pop())
        return False

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            return self._generator(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with type(self)(*self._init_args()):
                return func(*args, **kwargs)
        return wrapper

    def _generator(self, func):
        """A generator function's body runs under the mode at every step (not
        only while the generator object is made), and the caller's mode
        comes back at every yield, as PyTorch's decorators do."""
        @functools.wraps(func)
        def generator(*args, **kwargs):
            gen = func(*args, **kwargs)
            step, value = gen.send, None
            while True:
                try:
                    with type(self)(*self._init_args()):
                        item = step(value)
                except StopIteration as stop:
                    return stop.value
                try:
                    value, step = (yield item), gen.send
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as e:  # thrown in by the caller: into the body
                    value, step = e, gen.throw
        return generator

    def _init_args(self):
        return (self.flag,)


class set_grad_enabled(_ModeSwitch):
    """Turn graph recording on or off, as PyTorch's: called alone,
    `set_grad_enabled(False)` switches it for this thread from then on; as
    `with set_grad_enabled(False): ...` (or a decorator) only inside."""

    def __init__(self, flag):
        super().__init__(flag)
        self.before = _per_thread.modes.enabled
        _per_thread.modes.enabled = self.flag

    def __enter__(self):
        self.previous.append(self.before)  # what to restore: the mode before the call
        return self

    def __call__(self, func):
        _per_thread.modes.enabled = self.before  # as a decorator it switches only inside
        return super().__call__(func)


class _NoArgumentSwitch(_ModeSwitch):
    """A switch with a fixed flag, usable bare as a decorator too (`@no_grad`)."""

    flag_value = False

    def __new__(cls, func=None):
        if callable(func):  # @no_grad without parentheses
            return cls()(func)
        return super().__new__(cls)

    def __init__(self, func=None):
        super().__init__(self.flag_value)

    def _init_args(self):
        return ()


class no_grad(_NoArgumentSwitch):
    """Compute without recording a graph (inference, optimizer updates)."""

    flag_value = False


class enable_grad(_NoArgumentSwitch):
    """Record a graph again inside a `no_grad` block."""

    flag_value = True


class detect_anomaly(_ModeSwitch):
    """Inside this block, ops remember where they were created, and a NaN or
    Inf produced by a backward rule raises `RuntimeError` naming the op and
    that place in your code. It slows every op down: use it to debug."""

    attribute = "anomaly"


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def creation_site(depth=6):
    """The innermost frames of the user's code at op creation (anomaly mode)."""
    frames = [f for f in traceback.extract_stack()
              if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]
    return "".join(traceback.format_list(frames[-depth:]))


next_seq = itertools.count().__next__  # creation order: parents before children

Watcher = Callable[[Node, Any, list], list]


def backward_sweep(roots, root_grads, create_graph=False, wanted=None,
                   watch: Optional[Watcher] = None, through=None):
    """Run the chain rule from `roots` (seeded with `root_grads`) to the leaves.

    Nodes are visited newest first (by `_seq`, their creation number). A node
    is always newer than its parents, so when it comes off the heap, every
    node that used it has already passed its share down: its gradient is
    complete. That is a reverse topological order, found without a separate
    sort and without recursion. Each visited node records its step number.

    Returns `(kept, visited)`: `kept` pairs each node that keeps its gradient
    (`_keeps_grad`; or, given `wanted`, each node in it) with that gradient,
    for the caller to store (`store_grads`) or return (`grad(...)`); nothing
    is stored here, so an error in the middle leaves every `.grad` as it was.
    `visited` is for `release` once the caller is done. `watch(node, grad,
    pairs)`, if given, sees every step and returns the pairs to pass on (a
    trace records them; anomaly mode adds a check for nan and inf). Given
    `through` (a set of ids), only those nodes' backward runs (`grad(...)`:
    nothing below its inputs).
    """
    pending, heap = {}, []
    for root, g in zip(roots, root_grads):
        if root in pending:
            pending[root] = pending[root] + g
        else:
            pending[root] = g
            heappush(heap, (-root._seq, root))
    state = _per_thread.modes
    if state.anomaly:
        watch = _with_finite_check(watch)
    visited, kept, step = [], [], 0
    # The sweep makes many short-lived objects and no reference cycles; pausing
    # the cyclic collector keeps it from rescanning the whole graph meanwhile.
    collecting = gc.isenabled()
    recording = state.enabled
    create_graph = bool(create_graph)
    gc.disable()
    state.enabled = create_graph  # backward's own ops are recorded only under create_graph
    try:
        while heap:
            node = heappop(heap)[1]
            g = pending.pop(node)
            visited.append(node)
            step += 1
            node._step = step
            if node._hooks:
                g = node._run_hooks(g, create_graph)
            if node._keeps_grad if wanted is None else node in wanted:
                kept.append((node, g))
            pairs = node._vjp(g, create_graph) if through is None or id(node) in through else ()
            if watch is not None:
                pairs = watch(node, g, list(pairs))
            for parent, pg in pairs:
                if parent is None or pg is None:
                    continue
                summed = pending.get(parent)
                if summed is None:
                    pending[parent] = pg
                    heappush(heap, (-parent._seq, parent))
                else:
                    pending[parent] = summed + pg
    finally:
        state.enabled = recording
        if collecting:
            gc.enable()
    return kept, visited


def store_grads(kept, create_graph=False):
    """Accumulate the gradients a sweep kept into the nodes' `.grad`."""
    stored = set()  # an array sent to two leaves must not become both their .grad
    for node, g in kept:
        if type(g) is float:  # (a Value's: a number, which nobody can change)
            node._store_grad(g, create_graph, False)
        else:
            node._store_grad(g, create_graph, id(g) in stored)
            stored.add(id(g))


def release(visited):
    """Free what the ops saved for backward; data, grads and structure stay."""
    for node in visited:
        node._release()


def _with_finite_check(watch):
    """Anomaly mode: raise at the first op whose backward made a NaN or Inf."""
    def check(node, g, pairs):
        parents, at = node._parents, -1
        for parent, pg in pairs:
            # pairs come in argument order, leaving out arguments without gradient:
            # count among all of them (the same tensor may be two arguments)
            at = next((i for i in range(at + 1, len(parents)) if parents[i] is parent), at + 1)
            values = pg.data if hasattr(pg, "_ctx") else pg  # a Tensor, an array or a float
            if pg is not None and not np.all(np.isfinite(values)):
                site = getattr(getattr(node, "_ctx", None), "site", None)
                where = f"\nThe forward op was created at:\n{site}" if site else ""
                raise RuntimeError(
                    f"the backward of '{node.op}' returned nan or inf values in its "
                    f"gradient for input {at}.{where}")
        return pairs if watch is None else watch(node, g, pairs)
    return check
