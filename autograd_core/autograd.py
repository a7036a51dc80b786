"""`grad(...)`: gradients returned instead of accumulated into `.grad`."""
import numpy as np

from . import engine
from .tensor import NO_CREATE_GRAPH, Tensor, _seed
from .value import Value


def _as_list(x, what):
    items = [x] if isinstance(x, Tensor) else list(x)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"grad(): {what}[{i}] is a {type(t).__name__}, not a Tensor")
    return items


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """d(outputs)/d(inputs), each weighted by its grad_output; a tuple, one per input.

    `.grad` attributes are left alone. With `create_graph=True` the results
    are themselves differentiable.
    """
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad(): {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"grad(): inputs[{i}] (shape {t.shape}) does not require grad; "
                               "create it with requires_grad=True")
    seeds = [_seed(o, g, create_graph, "grad()") for o, g in zip(outputs, grad_outputs)]
    # only the part of the graph between the outputs and the inputs runs, as in
    # PyTorch: nothing below an input, no branch that reaches none (its hooks, its
    # saved arrays, a Function without backward there are left alone)
    between, through = _between(outputs, inputs)
    roots = [(o, s) for o, s in zip(outputs, seeds) if id(o) in between]
    kept, visited = engine.backward_sweep(
        [o for o, _ in roots], [s for _, s in roots], create_graph, wanted=set(inputs),
        watch=lambda node, g, pairs: _within(pairs, between), through=through)
    captured = dict(kept)
    results = []
    for i, t in enumerate(inputs):
        g = captured.get(t)
        if g is None and not allow_unused:
            raise RuntimeError(f"grad(): inputs[{i}] (shape {t.shape}) was not used to compute "
                               "the outputs, so it has no gradient; pass allow_unused=True "
                               "to get None for it instead")
        if g is not None and not create_graph:
            g = Tensor._make(np.array(g), False, None, NO_CREATE_GRAPH)
        results.append(g)
    if not (create_graph if retain_graph is None else retain_graph):
        engine.release([node for node in visited if id(node) in through])  # (those that ran)
    return tuple(results)


def _within(pairs, between):
    """The pairs whose parent leads to an input. A parent left out whose op
    was freed refuses, as the full sweep would on reaching it: its array is
    unlocked once that op is freed (guard.py), so what this step read from it
    may have been written since."""
    kept = []
    for parent, g in pairs:
        if id(parent) in between:
            kept.append((parent, g))
        elif parent is not None and parent._ctx is not None and parent._ctx.saved_tensors is None:
            raise RuntimeError(
                f"grad(): an op of this graph read a tensor (shape {parent.shape}) whose own op "
                "an earlier backward freed; once freed, its array may have been written "
                "since, and nothing can tell. Run that earlier backward with "
                "retain_graph=True, or compute the graph again")
    return kept


def _between(outputs, inputs):
    """ids of the nodes from which some input can be reached (inputs
    included), and of those among them whose backward leads to one (the
    inputs' own backward runs only if it leads to another input)."""
    targets = {id(t) for t in inputs}
    nodes, seen, stack = [], set(), list(outputs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        # (below an input too: it may lead to another input)
        stack.extend(p for p in node._parents if isinstance(p, Tensor) and id(p) not in seen)
    reach, through = set(targets), set()
    for node in sorted(nodes, key=lambda n: n._seq):  # parents before children
        if any(id(p) in reach for p in node._parents if isinstance(p, Tensor)):
            reach.add(id(node))
            through.add(id(node))
    return reach, through


def trace_backward(root, gradient=None):
    """Run the reverse sweep from `root` as `backward()` would, but store no
    `.grad` and free nothing; return its steps in order, each a tuple
    (node, gradient reaching it, [(input node, gradient it sends there)]).

    Works on Value and Tensor graphs; a Tensor graph must still hold what its
    ops saved (trace before backward(), or backward with retain_graph=True).
    """
    if isinstance(root, Value):
        seed = 1.0 if gradient is None else float(gradient)
    else:
        seed = _seed(root, gradient, False, "trace_backward()")
    steps = []

    def record(node, g, pairs):
        steps.append((node, g, [(p, pg) for p, pg in pairs if p is not None and pg is not None]))
        return pairs
    engine.backward_sweep([root], [seed], wanted=(), watch=record)
    return steps
