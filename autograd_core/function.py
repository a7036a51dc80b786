"""`Function`: one differentiable op, forward and backward side by side.

Every built-in Tensor op is a `Function`, written exactly as a user writes
their own:

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):            # numpy arrays in, a numpy array out
            out = np.exp(x)
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, grad):        # d(loss)/d(out) in, d(loss)/d(x) out
            out, = ctx.saved_tensors
            return grad * out

    y = Exp.apply(x)

`backward` returns one gradient per argument of `forward` (None for an
argument that needs none). A gradient may have the output's broadcast shape:
the engine sums it back to the input's shape, as PyTorch does.

Higher-order gradients come for free when `backward` is written with numpy
operators and functions: under `create_graph=True`, `grad` and the saved
arrays arrive as `Tensor`s, which implement the same operators and the numpy
functions backward rules use, so the backward computation is itself recorded.
Save inputs or the output of `forward`; anything else you save is treated as a
constant when differentiating twice (as in PyTorch, return intermediates as
outputs if they must be differentiated through).
"""
import numpy as np

from . import engine
from .guard import hold
from .tensor import Tensor
from .value import Value


class Context:
    """What `forward` leaves for `backward`: saved arrays and any attribute.

    `saved_tensors` gives back what `save_for_backward` got (None once the
    graph is freed); `needs_input_grad[i]` says whether argument i needs a
    gradient, so backward can skip work.
    """

    # held: what keeps the saved arrays read-only (guard.py); __dict__: ctx.anything
    __slots__ = ("function", "inputs", "needs_input_grad", "saved_tensors", "held",
                 "__dict__")
    site = None  # where the op was created, in anomaly mode

    def __init__(self, function=None, inputs=(), needs_input_grad=()):
        self.function = function
        self.inputs = inputs  # the arguments of forward, Tensors as Tensors
        self.needs_input_grad = needs_input_grad
        self.saved_tensors = ()
        self.held = None

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays


def raise_freed():
    raise RuntimeError(
        "Trying to run backward through the graph a second time (or to read "
        "saved values after they were freed). The arrays the ops saved for "
        "backward are freed after the first backward; pass "
        "retain_graph=True to the first backward() if you need to go through "
        "the graph again.")


class Function:
    """Base class of differentiable ops; call one through `MyOp.apply(...)`."""

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad)")

    @classmethod
    def apply(cls, *args):
        """Run forward on the arrays of `args`, and record the op if any
        Tensor argument requires grad (and grad mode is on)."""
        arrays, parents, needing = [], [], 0
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a.data)
                if a.requires_grad:
                    parents.append(a)
                    needing += 1
                    continue
            elif isinstance(a, Value):
                raise TypeError(f"{cls.__name__}: cannot mix a scalar Value with Tensors in "
                                "one op; use Tensor(value.data), or keep to Values")
            else:  # a constant; numpy scalars count as Python numbers, as in PyTorch
                arrays.append(a.item() if isinstance(a, np.generic) else a)
            parents.append(None)
        if not (needing and _mode.enabled):
            return run_forward(cls, arrays, None, ())
        if needing == len(args):
            # `args` doubles as the parents: one tuple fewer per op for Python's
            # garbage collector to track
            return run_forward(cls, arrays, args, all_true(needing))
        return run_forward(cls, arrays, args, tuple([p is not None for p in parents]),
                           tuple(parents))


def all_true(n, _cache=[(True,) * n for n in range(5)]):
    return _cache[n] if n < 5 else (True,) * n


def run_forward(cls, arrays, inputs, needs_input_grad, parents=None):
    """Call `cls.forward` on `arrays` and wrap the result. Unless `inputs` is
    None, record the op: `inputs` are forward's arguments (kept for drawing the
    graph), `parents` those that need a gradient (None elsewhere; by default
    all of `inputs`)."""
    ctx = Context() if inputs is None else Context(cls, inputs, needs_input_grad)
    if inputs is not None and _mode.anomaly:
        ctx.site = engine.creation_site()
    try:
        out = cls.forward(ctx, *arrays)
    except ValueError as e:  # numpy's shape messages, prefixed with the op
        raise ValueError(f"{cls.__name__}: {e}") from None
    if type(out) is not np.ndarray:
        # ufuncs turn 0-d arrays into numpy scalars; keep saved == output
        scalar, out = out, np.asarray(out)
        ctx.saved_tensors = tuple(out if s is scalar else s for s in ctx.saved_tensors)
    if inputs is None:
        return Tensor._make(out, False, None, ())
    if out.dtype.kind != "f":
        raise TypeError(f"{cls.__name__}.forward returned {out.dtype} values, but a "
                        "differentiable op must return floating point")
    result = Tensor._make(out, True, ctx, inputs if parents is None else parents)
    if ctx.saved_tensors and _mode.guard:
        ctx.held = hold(ctx.saved_tensors, arrays, inputs, out, result)
    return result


_mode = engine.grad_mode
