"""`Context`: what an op's forward leaves for its backward, and the step
back through one recorded op (`vjp`, which the sweep calls as `Tensor._vjp`).
`function.py` makes Contexts when it records an op; this file reads them."""
import weakref

import numpy as np

from .axes import sum_to
from .inplace import replaced_while_saved
from .tensor import Tensor, grad_value


class Context:
    """What `forward` leaves for `backward`: saved arrays and any attribute.

    `saved_tensors` gives back what `save_for_backward` got (None once the
    graph is freed); `needs_input_grad[i]` says whether argument i needs a
    gradient (all False when the op is not recorded), so forward can save
    only what backward will read, and backward can skip work.
    """

    # locks: what guard.py holds for this op; outputs: several outputs' specs;
    # exact: backward's gradients need no fitting (see Function.elementwise)
    __slots__ = ("function", "inputs", "needs_input_grad", "saved_tensors", "locks",
                 "outputs", "exact", "__dict__")
    site = None  # where the op was created, in anomaly mode

    def __init__(self, function=None, inputs=(), needs_input_grad=()):
        self.function = function
        self.inputs = inputs  # the arguments of forward, Tensors as Tensors
        self.needs_input_grad = needs_input_grad
        self.saved_tensors = ()
        self.locks = None
        self.outputs = None
        self.exact = False

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays

    def vjp(self, node, g, create_graph):
        """The pairs (parent, gradient) for the output `node`, given its
        gradient `g`: the general case of `vjp` below."""
        saved = self.saved_tensors
        if saved is None:
            raise_freed()
        grads_out = (g,) if self.outputs is None else self._grads_of_outputs(node, g)
        if create_graph:  # backward sees Tensors, so its own ops are recorded
            tensors = tuple([self._tensor_of(a, node) for a in saved])
            # an input or output kept as an attribute (ctx.x = x), as PyTorch users do,
            # is its Tensor too: else its second derivative would be lost
            kept = {k: v for k, v in self.__dict__.items() if type(v) is np.ndarray}
            swapped = {k: self._tensor_of(v, node) for k, v in kept.items()}
            self.saved_tensors = tensors  # (all looked up first: a refusal changes nothing)
            self.__dict__.update(swapped)
            try:
                grads = self.function.backward(self, *grads_out)
            finally:
                self.saved_tensors = saved
                self.__dict__.update(kept)
        else:
            grads = self.function.backward(self, *grads_out)
        return self._fit(node, grads, create_graph)

    def _fit(self, node, grads, create_graph):
        """Pair backward's gradients with the parents, each checked and fitted
        (dtype, and summed back to the parent's shape after broadcasting)."""
        if type(grads) is not tuple:
            grads = (grads,)
        parents = node._parents
        if len(grads) != len(parents):
            grads = self._pad(grads, len(parents))
        return [(p, _fit_grad(pg, p, self.function.__name__, i, create_graph))
                for i, (p, pg, need) in enumerate(zip(parents, grads, self.needs_input_grad))
                if need and pg is not None]

    def _grads_of_outputs(self, node, g):
        """One gradient per output: `g` for `node`, zeros for the others (by
        linearity, the pulls of several outputs sum to the pull of all)."""
        grads = []
        for ref, (shape, dtype), _ in self.outputs:
            grads.append(g if ref() is node else np.zeros(shape, dtype))
        return grads

    def _pad(self, grads, n):
        """Allow backward to leave out trailing gradients of non-Tensor inputs."""
        if len(grads) > n or any(need for need in self.needs_input_grad[len(grads):]):
            raise RuntimeError(f"{self.function.__name__}.backward returned {len(grads)} "
                               f"gradients, but forward took {n} inputs; return one per input "
                               "(None for those that need none)")
        return grads + (None,) * (n - len(grads))

    def _tensor_of(self, array, node):
        """Under create_graph, a saved array becomes the Tensor it came from."""
        if type(array) is not np.ndarray:
            return array
        if self.outputs is None:
            if array is node.data:
                return node
        else:
            for k, (ref, spec, array_id) in enumerate(self.outputs):
                if id(array) == array_id:  # (a saved output lives on, so its id is its own)
                    out = ref()
                    if out is None:  # the user let this output go: a node stands in for it
                        out = Tensor._make(array, True, self, node._parents)
                        self.outputs[k] = (weakref.ref(out), spec, array_id)
                    return out
        holder = _holder(self.inputs, array, self.function.__name__)
        if holder is not None:
            return holder
        if replaced_while_saved(array):
            raise RuntimeError(
                f"an input of {self.function.__name__} was changed in place (under no_grad) "
                "after the op saved it for backward; first derivatives still use the saved "
                "values, but differentiating twice (create_graph=True) through it cannot: "
                "make the in-place update after the last backward through this graph")
        return array


def _holder(inputs, array, op):
    """The argument whose array forward saved. A constant that was the very
    array of an argument needing a gradient (x * x.detach(), x * x.data) was
    given a view of its own (`_own_views`), so an argument that needs a
    gradient and holds `array` is the one; two of them cannot be told apart."""
    found = None
    for p in inputs:
        if isinstance(p, Tensor) and p.data is array and p is not found:
            if found is None or p._requires_grad and not found._requires_grad:
                found = p
            elif p._requires_grad:
                raise RuntimeError(
                    f"{op}: two arguments that require grad hold one numpy array (one was "
                    "made from the other with detach() or from_numpy()); differentiating "
                    "twice cannot tell which of them the op saved. Give one its own copy "
                    "(.clone()) before the op")
    return found


def vjp(node, g, create_graph):
    """`Tensor._vjp` (the sweep's step back through the op that made `node`):
    the pairs (parent, gradient). Written for the common case, one output
    and arrays of exactly the parents' shapes and dtypes; the rest goes to
    `Context.vjp`."""
    ctx = node._ctx
    if ctx is None:
        return ()
    if create_graph or ctx.outputs is not None or ctx.saved_tensors is None:
        return ctx.vjp(node, g, create_graph)
    grads = ctx.function.backward(ctx, g)
    parents = node._parents
    if ctx.exact:  # (pairs written out for one and two parents: a zip costs more)
        if type(grads) is tuple:
            if len(grads) == 2 == len(parents):
                first, second = ctx.needs_input_grad
                if first and second:
                    return (parents[0], grads[0]), (parents[1], grads[1])
                return ((parents[0], grads[0]),) if first else ((parents[1], grads[1]),)
            if len(grads) == len(parents):  # (else _fit pads, or says what is missing)
                return [(p, pg) for p, pg, need in zip(parents, grads, ctx.needs_input_grad)
                        if need]
        elif len(parents) == 1:  # (one argument: it needs the gradient)
            return ((parents[0], grads),)
        return ctx._fit(node, grads, False)
    needs = ctx.needs_input_grad
    if type(grads) is tuple and len(grads) == len(parents):
        pairs = []
        for p, pg, need in zip(parents, grads, needs):
            if need and pg is not None:
                if type(pg) is not np.ndarray or pg.shape != p.data.shape \
                        or pg.dtype is not p.data.dtype:  # (dtypes are singletons)
                    break
                pairs.append((p, pg))
        else:
            return pairs
    return ctx._fit(node, grads, False)


Tensor._vjp = vjp


def raise_freed():
    raise RuntimeError(
        "Trying to run backward through the graph a second time (or to read "
        "saved values after they were freed). The arrays the ops saved for "
        "backward are freed after the first backward; pass "
        "retain_graph=True to the first backward() if you need to go through "
        "the graph again.")


def _fit_grad(pg, parent, op, index, create_graph):
    """Check a backward rule's gradient for `parent`: type, dtype, shape."""
    if create_graph or type(pg) is not np.ndarray or pg.dtype != parent.data.dtype:
        pg = grad_value(pg, parent.data.dtype, create_graph)
    if pg.shape != parent.data.shape:
        pg = sum_to(pg, parent.data.shape, f"{op}.backward (input {index})")
    return pg
