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
the engine sums it back to the input's shape, as PyTorch does. A `forward`
that returns a tuple makes several outputs; `backward` then takes one
gradient per output (zeros for an output that was not used).

Higher-order gradients come for free when `backward` is written with numpy
operators and functions: under `create_graph=True`, `grad` and the saved
arrays arrive as `Tensor`s, which implement the same operators and the numpy
functions backward rules use, so the backward computation is itself recorded.
Save inputs or outputs of `forward`; anything else you save is treated as a
constant when differentiating twice (as in PyTorch, return intermediates as
outputs if they must be differentiated through).
"""
import weakref

import numpy as np

from . import engine, guard
from .context import Context
from .tensor import TENSOR_TYPES, UNRECORDED, Tensor, _Unrecorded
from .value import Value


class Function:
    """Base class of differentiable ops; call one as `MyOp.apply(...)`.

    `same_float = (0, 1)` on an op says which arguments must share one
    floating dtype (any container of positions: `range(1, ANY)` for all but
    the first): an integer or boolean array there takes the dtype of the
    floating ones (float32 with int64 stays float32, as in PyTorch), and a
    constant float array of less precision is cast up to the result's dtype
    (unless `keeps_first_dtype`: the result has the first argument's dtype).

    `elementwise = True` promises that backward returns one gradient per
    argument, each of the output's shape and dtype: when the array arguments
    share one shape and dtype, the engine then skips fitting the gradients
    (the fast path of small graphs; leave it False for your own ops).
    """

    same_float = ()
    keeps_first_dtype = False  # (the result has the first argument's dtype: np.pad's fill value)
    elementwise = False
    ANY = 1 << 30  # (for same_float: as many arguments as there are)

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad)")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Each op gets its own `apply`, a plain function with the class bound
        # in, so that Tensor's operators can be that very function: one
        # Python call per op (`Tensor.__mul__ = Mul.apply`).
        cls.apply = staticmethod(_recorder(cls))


def _recorder(cls):
    def apply(*args):
        """Run forward on the arrays of `args`, and record the op if any
        Tensor argument requires grad (and grad mode is on): the one way an
        op is made, built-in ops and yours alike. Written for speed, since it
        runs once per op: cheapest checks first, the common case inline."""
        # Which arguments need a gradient (`needs`), and what forward gets.
        # One Tensor that needs a gradient (x.exp()), two, or one and a
        # number (x * y, x * 2) are the common cases: told apart without a
        # loop; their gradients fit as they come when the op is elementwise
        # and the arrays are alike (`exact`).
        needs, n = None, len(args)
        if n == 2:
            a, b = args
            if type(a) in TENSOR_TYPES and a._requires_grad:
                if type(b) in TENSOR_TYPES and b._requires_grad:
                    needs, x, y = _BOTH, a.data, b.data
                    exact = x.dtype is y.dtype and x.shape == y.shape
                elif type(b) in _NUMBERS:
                    needs, x, y, exact = _FIRST, a.data, b, True
            elif type(a) in _NUMBERS and type(b) in TENSOR_TYPES and b._requires_grad:
                needs, x, y, exact = _SECOND, a, b.data, True
            if needs is not None:
                arrays = (x, y)
        elif n == 1:
            a = args[0]
            if type(a) in TENSOR_TYPES and a._requires_grad:
                needs, arrays, exact = _ONE, (a.data,), True
        if needs is None:  # anything else: every argument looked at
            arrays, needs, exact = _arguments(cls, args)
            if needs is None:  # nothing to record
                return _wrap(_forward(cls, _unrecorded(args), arrays), False, None,
                             _no_graph(args))
        modes = _per_thread.modes
        if not modes.enabled:
            return _wrap(_forward(cls, _unrecorded(args), arrays), False, None, UNRECORDED)
        # The arguments as given are the result's `_parents` (and the Context's
        # `inputs`): no tuple of its own per op, which the garbage collector
        # would visit for as long as the graph lives.
        ctx = _new_context(Context)  # Context(cls, args, needs), inline
        ctx.function, ctx.inputs, ctx.needs_input_grad, ctx.saved_tensors = cls, args, needs, ()
        ctx.locks = ctx.outputs = None
        ctx.exact = False
        if modes.anomaly:
            ctx.site = engine.creation_site()
        try:  # (two arguments passed one by one: a call with *arrays costs twice as much)
            out = cls.forward(ctx, arrays[0], arrays[1]) if len(arrays) == 2 else \
                cls.forward(ctx, *arrays)
        except ValueError as e:  # numpy's shape messages, prefixed with the op
            raise ValueError(f"{cls.__name__}: {e}") from None
        if type(out) is np.ndarray and out.dtype in _FLOATS:  # the common case, written out
            # (0-d arrays are left out: numpy turns them into scalars)
            if cls.elementwise and out.ndim:  # backward's gradients need no fitting
                ctx.exact = exact
            result = _new_tensor(Tensor)  # Tensor._make, inline
            result.data, result._grad, result._requires_grad = out, None, True
            result._ctx, result._parents, result._hooks, result._keeps_grad = ctx, args, None, False
            result._seq = next_seq()
            if ctx.saved_tensors and modes.guard:
                guard.lock(ctx, ctx.saved_tensors, arrays, args, out)
            return result
        result = _wrap(out, True, ctx, args)
        if ctx.saved_tensors and modes.guard:
            guard.lock(ctx, ctx.saved_tensors, arrays, args,
                       [t.data for t in (result if type(result) is tuple else (result,))])
        return result
    return apply


def _arguments(cls, args):
    """What forward gets for `args` (a Tensor's array in its place; integer
    arrays and lesser float constants cast, see `same_float`), which
    arguments need a gradient (None if none does), and whether an
    elementwise op's gradients fit as they come (one array argument, or all
    alike)."""
    arrays, needing, numbers, others = [], False, 0, False
    for a in args:
        if type(a) in TENSOR_TYPES:
            arrays.append(a.data)
            if a._requires_grad:
                needing = True
            else:
                others = True
        elif type(a) in _NUMBERS:
            arrays.append(a)
            numbers += 1
        else:
            arrays.append(_constant(cls, a))
            others = True
    if others and cls.same_float:
        _floats_win(arrays, cls.same_float, args, not cls.keeps_first_dtype)
    if not needing:
        return arrays, None, False
    if others and len(set(map(id, arrays))) < len(arrays):  # (one array twice: rare)
        _own_views(args, arrays)
    if not (others or numbers):
        needs = _ALL_TRUE[len(args)]
    elif len(args) == 2:  # one of two, without a loop
        a = args[0]
        needs = _FIRST if type(a) in TENSOR_TYPES and a._requires_grad else _SECOND
    else:
        needs = tuple([type(a) in TENSOR_TYPES and a._requires_grad for a in args])
    return arrays, needs, cls.elementwise and (len(args) - numbers == 1 or _one_layout(arrays))


def _own_views(args, arrays):
    """A constant that is the very array of an argument needing a gradient
    (x * x.detach(), x * x.data) is given to forward as a view of its own:
    then under create_graph, what forward saved says which argument it was
    (`_holder`), the Tensor or the constant."""
    needed = [a.data for a in args if type(a) in TENSOR_TYPES and a._requires_grad]
    for i in range(len(args)):
        a = args[i]
        if not (type(a) in TENSOR_TYPES and a._requires_grad) and \
                any(arrays[i] is data for data in needed):
            arrays[i] = arrays[i].view()


def _constant(cls, a):
    """An argument that is not a Tensor, as forward gets it."""
    if isinstance(a, np.generic):  # numpy scalars count as Python numbers, as in PyTorch
        return a.item()
    if isinstance(a, Value):
        raise TypeError(f"{cls.__name__}: cannot mix a scalar Value with Tensors in "
                        "one op; use Tensor(value.data), or keep to Values")
    return a


class _Needs(dict):
    """needs_input_grad when every argument needs a gradient (or when none
    does), by their number."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def __missing__(self, n):
        self[n] = needs = (self.value,) * n
        return needs


_ALL_TRUE, _ALL_FALSE = _Needs(True), _Needs(False)
_FIRST, _SECOND = (True, False), (False, True)  # needs_input_grad of x * 2 and of 2 * x
_BOTH = _ALL_TRUE[2]  # ... and of x * y
_ONE = _ALL_TRUE[1]  # ... and of x.exp()
_NUMBERS = frozenset((float, int))  # (exact types: a bool counts as a constant)
# float dtypes in their native byte order, as numpy makes results (a set: dtypes
# cache their hash, so this is cheaper than reading .kind)
_FLOATS = frozenset(np.dtype(t) for t in (np.float16, np.float32, np.float64, np.longdouble))


def _unrecorded(args):
    """The Context of an op that is not recorded: no argument needs a gradient."""
    return Context(None, args, _ALL_FALSE[len(args)])


def _no_graph(args):
    """The `_parents` of a result of arguments that need no gradient: a
    Tensor argument's reason for having no graph passes on (a result that
    would have had one gets UNRECORDED in `apply`)."""
    reason = ()
    for a in args:
        if type(a) in TENSOR_TYPES and a._parents.__class__ is _Unrecorded:
            reason = a._parents
    return reason


def _one_layout(arrays):
    """All the array arguments have one shape and one dtype; numbers aside
    (any other constant, a list say, may broadcast: not one layout)."""
    first = None
    for a in arrays:
        if type(a) is np.ndarray:
            if first is None:
                first = a
            elif a.shape != first.shape or a.dtype is not first.dtype:
                return False
        elif type(a) is not float and type(a) is not int:
            return False
    return True


def _forward(cls, ctx, arrays):
    try:
        return cls.forward(ctx, *arrays)
    except ValueError as e:  # numpy's shape messages, prefixed with the op
        raise ValueError(f"{cls.__name__}: {e}") from None


def _wrap(out, recording, ctx, parents):
    """Tensors for forward's result: one, or a tuple for several outputs."""
    if type(out) is np.ndarray:
        if out.dtype.kind not in "biuf":
            _refuse(out, ctx)
        if recording and out.dtype.kind != "f":
            return Tensor._make(out, False, None, ())  # integers carry no gradient
        return Tensor._make(out, recording, ctx, parents)
    if type(out) is tuple or type(out) is list:  # several outputs
        outs = [np.asarray(o) for o in out]
        for o in outs:
            if o.dtype.kind not in "biuf":
                _refuse(o, ctx)
        results = tuple([Tensor._make(o, True, ctx, parents) if recording and o.dtype.kind == "f"
                         else Tensor._make(o, False, None, parents if not recording else ())
                         for o in outs])
        if recording:
            ctx.outputs = [(weakref.ref(t), (o.shape, o.dtype), id(o))
                           for t, o in zip(results, outs)]
            _keep_saved_outputs(ctx, out, outs)
        return results
    # ufuncs turn 0-d arrays into numpy scalars: wrap, and keep saved == output
    scalar, array = out, np.asarray(out)
    if ctx is not None:
        ctx.saved_tensors = tuple([array if s is scalar else s for s in ctx.saved_tensors])
    return _wrap(array, recording, ctx, parents)


def _refuse(out, ctx):
    name = ctx.function.__name__ if ctx is not None and ctx.function else "an op"
    raise TypeError(f"{name} gave {out.dtype} values, but a Tensor holds real numbers (and "
                    "booleans): keep the computation real, or compute on t.detach().numpy()")


def _keep_saved_outputs(ctx, given, arrays):
    """Saved outputs that were numpy scalars: the 0-d arrays the Tensors hold."""
    swap = {id(g): a for g, a in zip(given, arrays) if g is not a}
    if swap:
        ctx.saved_tensors = tuple([swap.get(id(s), s) for s in ctx.saved_tensors])


def _floats_win(arrays, positions, args, promoted):
    """Integer and boolean arrays at `positions` take the floating dtype of
    the others. Where the result takes numpy's promoted dtype (`promoted`),
    so does a constant float array of less precision (a float32 array beside
    float64 values), so that backward computes in the result's precision
    (log of a float32 base would give a float64 exponent a float32
    gradient). Tensors that need a gradient keep their arrays (the gradient
    is fitted back to their dtype)."""
    at = [i for i in range(len(arrays)) if i in positions and isinstance(arrays[i], np.ndarray)]
    if len(at) < 2:
        return
    first = arrays[at[0]].dtype
    for i in at:  # (the common case, one dtype throughout, costs one pass)
        if arrays[i].dtype is not first:
            break
    else:
        return
    floats = [arrays[i].dtype for i in at if arrays[i].dtype.kind == "f"]
    if not floats:
        return
    dtype = np.result_type(*floats)
    for i in at:
        kind = arrays[i].dtype.kind
        if kind in "biu" or promoted and kind == "f" and arrays[i].dtype != dtype and not (
                type(args[i]) in TENSOR_TYPES and args[i]._requires_grad):
            arrays[i] = arrays[i].astype(dtype)


_per_thread = engine._per_thread
_new_tensor = Tensor.__new__
_new_context = Context.__new__
next_seq = engine.next_seq
