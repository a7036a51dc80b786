"""The reverse sweep, shared by `Value` and `Tensor`.

Every graph node, whatever its kind, speaks a small protocol:

    node._parents      tuple of the nodes it was computed from (None for an
                       input that needs no gradient)
    node._vjp(g, create_graph)
                       given d(root)/d(node), the pairs (parent, d(root)/d(parent));
                       a None parent or gradient is skipped; a leaf gives none
    node._hooks        None, or callables run on the node's gradient
    node._keeps_grad   True if the sweep should store the gradient on the node
    node._store_grad(g, create_graph, shared)
    node._seq          creation number, from `next_seq()`
    node._release()    drop what was saved for backward

`backward_sweep` visits nodes from the outputs down, newest first, summing
what each node receives before passing it on: the chain rule, once. It uses a
heap, not recursion, so a chain a million nodes deep is fine.
"""
import functools
import gc
from heapq import heappop, heappush
import os
import itertools
import threading
import traceback

import numpy as np


class _GradMode(threading.local):
    # threading.local: `no_grad` in one thread must not switch off another's.
    enabled = True
    anomaly = False
    guard = True  # see guard.py
    plain = True  # recording without anomaly checks: the fast path of ops may run

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name != "plain":
            super().__setattr__("plain", self.enabled and not self.anomaly)


grad_mode = _GradMode()


def is_grad_enabled():
    return grad_mode.enabled


class _ModeSwitch:
    """Base of the grad-mode context managers; usable as a decorator too."""

    attribute = "enabled"

    def __init__(self, flag=True):
        self.flag = bool(flag)
        self.previous = []

    def __enter__(self):
        self.previous.append(getattr(grad_mode, self.attribute))
        setattr(grad_mode, self.attribute, self.flag)
        return self

    def __exit__(self, *exc):
        setattr(grad_mode, self.attribute, self.previous.pop())
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with type(self)(*self._init_args()):
                return func(*args, **kwargs)
        return wrapper

    def _init_args(self):
        return (self.flag,)


class set_grad_enabled(_ModeSwitch):
    """Turn graph recording on or off: `with set_grad_enabled(False): ...`."""


class no_grad(_ModeSwitch):
    """Compute without recording a graph (inference, optimizer updates)."""

    def __init__(self):
        super().__init__(False)

    def _init_args(self):
        return ()


class enable_grad(_ModeSwitch):
    """Record a graph again inside a `no_grad` block."""

    def __init__(self):
        super().__init__(True)

    def _init_args(self):
        return ()


class detect_anomaly(_ModeSwitch):
    """Inside this block, ops remember where they were created, and a NaN or
    Inf produced by a backward rule raises `RuntimeError` naming the op and
    that place in your code. It slows every op down: use it to debug."""

    attribute = "anomaly"

    def __init__(self, flag=True):
        super().__init__(flag)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def creation_site(depth=6):
    """The innermost frames of the user's code at op creation (anomaly mode)."""
    frames = [f for f in traceback.extract_stack()
              if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]
    return "".join(traceback.format_list(frames[-depth:]))


next_seq = itertools.count().__next__  # creation order: parents before children


def backward_sweep(roots, root_grads, create_graph=False, capture=None, trace=None):
    """Run the chain rule from `roots` (seeded with `root_grads`) to the leaves.

    Nodes are visited newest first (by `_seq`, their creation number). A node
    is always newer than its parents, so when it comes off the heap, every
    node that used it has already passed its share down: its gradient is
    complete. That is a reverse topological order, found without a separate
    sort and without recursion.

    Gradients are stored only after the whole sweep succeeded, so an error in
    the middle leaves every `.grad` as it was. With `capture` (a list of
    nodes), nothing is stored: the gradients reaching those nodes are
    returned instead (that is `grad(...)`). With `trace` (a list), each step
    is appended to it as (node, its gradient, [(parent, gradient sent)]).
    Every visited node records its step number. Returns the captured
    gradients and the visited nodes, for `release` once the caller is done.
    """
    pending, heap = {}, []
    for root, g in zip(roots, root_grads):
        if root in pending:
            pending[root] = pending[root] + g
        else:
            pending[root] = g
            heappush(heap, (-root._seq, root))
    wanted = None if capture is None else set(capture)
    anomaly = grad_mode.anomaly
    plain = wanted is None and not anomaly and trace is None
    visited, keep, captured = [], [], {}
    # The sweep makes many short-lived objects and no reference cycles; pausing
    # the cyclic collector keeps it from rescanning the whole graph meanwhile.
    collecting = gc.isenabled()
    create_graph = bool(create_graph)
    switch = grad_mode.enabled != create_graph  # backward's own ops record only under create_graph
    gc.disable()
    try:
        if switch:
            grad_mode.enabled = create_graph
        while heap:
            node = heappop(heap)[1]
            g = pending.pop(node)
            visited.append(node)
            node._step = len(visited)
            if node._hooks:
                g = node._run_hooks(g, create_graph)
            if plain:
                if node._keeps_grad:
                    keep.append((node, g))
                pairs = node._vjp(g, create_graph)
            else:
                pairs = _special_step(node, g, create_graph, wanted, captured, keep,
                                      anomaly, trace)
            for parent, pg in pairs:
                if parent is None or pg is None:
                    continue
                summed = pending.get(parent)
                if summed is None:
                    pending[parent] = pg
                    heappush(heap, (-parent._seq, parent))
                else:
                    pending[parent] = summed + pg
        stored = set()  # an array sent to two leaves must not become both their .grad
        for node, g in keep:
            node._store_grad(g, create_graph, id(g) in stored)
            stored.add(id(g))
    finally:
        if switch:
            grad_mode.enabled = not create_graph
        if collecting:
            gc.enable()
    return captured, visited


def _special_step(node, g, create_graph, wanted, captured, keep, anomaly, trace):
    """One step of the sweep for `grad(...)` (capture), anomaly mode or a trace."""
    if wanted is not None:
        if node in wanted:
            captured[node] = g
    elif node._keeps_grad:
        keep.append((node, g))
    pairs = node._vjp(g, create_graph)
    if anomaly:
        pairs = check_finite(node, list(pairs))
    if trace is not None:
        pairs = [(p, pg) for p, pg in pairs if p is not None and pg is not None]
        trace.append((node, g, pairs))
    return pairs


def release(order):
    """Free what the ops saved for backward; data, grads and structure stay."""
    for node in order:
        node._release()


def check_finite(node, pairs):
    """Anomaly mode: raise at the first op whose backward made a NaN or Inf."""
    for index, (_, g) in enumerate(pairs):
        values = g.data if hasattr(g, "_ctx") else g  # a Tensor, an array or a float
        if g is not None and not np.all(np.isfinite(values)):
            ctx = getattr(node, "_ctx", None)
            site = getattr(ctx, "site", None)
            where = f"\nThe forward op was created at:\n{site}" if site else ""
            raise RuntimeError(
                f"the backward of '{node.op}' returned nan or inf values in its "
                f"gradient for input {index}.{where}")
    return pairs
