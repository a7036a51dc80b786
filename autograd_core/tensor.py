"""`Tensor`: a numpy array that records the ops computed from it.

A Tensor made by an op holds `_ctx` (the op's `Context`: which `Function`,
what it saved) and `_parents` (its inputs that need a gradient). That is the
whole graph. The ops themselves live in `ops/`, one `Function` each; the
methods here only route to them.
"""
import numpy as np

from . import engine
from .engine import next_seq
from .value import Value

DEFAULT_FLOAT = np.float32


class Tensor:
    __slots__ = ("data", "grad", "requires_grad", "_ctx", "_parents", "_hooks",
                 "_keeps_grad", "_seq", "_step", "_locked", "__weakref__")
    __hash__ = object.__hash__  # `==` is elementwise; identity is the key
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        self.data = as_array(data, dtype)
        self.grad = None
        self.requires_grad = False
        self._ctx, self._parents, self._hooks, self._keeps_grad = None, (), None, False
        self._seq, self._locked = next_seq(), False
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _make(data, requires_grad, ctx, parents):
        """Fast constructor for ops: `data` is already a numpy array."""
        t = Tensor.__new__(Tensor)
        t.data, t.grad, t.requires_grad = data, None, requires_grad
        t._ctx, t._parents, t._hooks, t._keeps_grad = ctx, parents, None, False
        t._seq, t._locked = next_seq(), False
        return t

    # -- attributes ---------------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size)
    dtype = property(lambda self: self.data.dtype)
    is_leaf = property(lambda self: self._ctx is None)

    @property
    def op(self):
        """Name of the op that made this tensor ("" for a leaf)."""
        return "" if self._ctx is None else self._ctx.function.__name__

    @property
    def inputs(self):
        """What the op that made this tensor was given: Tensors, and constants
        such as numbers; () for a leaf. This is how to walk the graph."""
        return () if self._ctx is None else self._ctx.inputs

    @property
    def backward_step(self):
        """This node's place (1, 2, ...) in the last reverse sweep through it, or None."""
        return getattr(self, "_step", None)

    # -- conversions ----------------------------------------------------------
    def numpy(self):
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element; this one has shape {self.shape}")
        return self.data.item()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use .any() or .all()")
        return bool(self.data.item())

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __array__(self, dtype=None, copy=None):
        # numpy calls this to make an ndarray of a Tensor (np.array([t, t]),
        # np.asarray(t), np.r_[t], a list of Tensors given to a numpy function):
        # the result has no gradient, so for a Tensor that needs one it is refused
        if self.requires_grad and _mode.enabled:
            raise RuntimeError(
                "a Tensor that requires grad cannot become a numpy array (np.array, "
                "np.asarray, np.r_/np.c_, or a list of Tensors given to a numpy function): "
                "its gradient would be lost. Join Tensors with np.stack / np.concatenate "
                "(or ag.stack / ag.cat), which keep the gradient; for plotting or printing "
                "use t.detach() or t.numpy(); or compute under ag.no_grad()")
        if dtype is not None and self.data.dtype != dtype:
            if copy is False:
                raise ValueError(f"converting {self.data.dtype} to {np.dtype(dtype)} needs a copy")
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = "" if self.data.dtype == DEFAULT_FLOAT or self.data.dtype == np.int64 else f", dtype={self.dtype}"
        if self._ctx is not None:
            extra += f", op={self.op}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    # -- gradients ----------------------------------------------------------
    def requires_grad_(self, requires_grad=True):
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require gradients, and this one "
                            f"is {self.dtype}; make it with dtype=np.float32 or np.float64")
        if not requires_grad and self._ctx is not None:
            raise RuntimeError("requires_grad can be switched off only on a leaf; "
                               "use .detach() to cut a tensor out of the graph")
        self.requires_grad = bool(requires_grad)
        self._keeps_grad = self.requires_grad and self._ctx is None
        return self

    def detach(self):
        """The same data, cut out of the graph."""
        return Tensor._make(self.data, False, None, ())

    def retain_grad(self):
        """Keep `.grad` on this non-leaf after backward (leaves always do)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad")
        self._keeps_grad = True

    def register_hook(self, fn):
        """Call `fn(grad)` when this tensor's gradient is computed; a returned
        tensor replaces the gradient. Returns a handle with `.remove()`."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that does not require grad")
        if self._hooks is None:
            self._hooks = {}
        return _HookHandle(self._hooks, fn)

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad."""
        if retain_graph is None:
            retain_graph = create_graph
        seed = _seed(self, gradient, create_graph, "backward()")
        _, order = engine.backward_sweep([self], [seed], create_graph=create_graph)
        if not retain_graph:
            engine.release(order)

    # -- the protocol of engine.backward_sweep ---------------------------------
    def _vjp(self, g, create_graph):
        ctx = self._ctx
        if ctx is None:  # a leaf
            return ()
        saved = ctx.saved_tensors
        if saved is None:
            raise_freed()
        if create_graph:
            return self._vjp_recorded(ctx, saved, g)
        grads = ctx.function.backward(ctx, g)
        if ctx.needs_input_grad is SAME_SHAPES:  # built-in, so a pair of exact arrays
            return zip(self._parents, grads)
        if type(grads) is not tuple:
            grads = (grads,)
        parents = self._parents
        if len(grads) != len(parents):
            grads = self._pad_grads(grads)
        for p, pg in zip(parents, grads):
            if p is not None and pg is not None and (
                    type(pg) is not np.ndarray or pg.shape != p.data.shape
                    or pg.dtype is not p.data.dtype):  # dtypes are singletons
                return zip(parents, self._fit_grads(grads, False))
        return zip(parents, grads)

    def _vjp_recorded(self, ctx, saved, g):
        """create_graph: backward sees Tensors, so its own ops are recorded."""
        ctx.saved_tensors = tuple([self._tensor_of(a) for a in saved])
        try:
            grads = ctx.function.backward(ctx, g)
        finally:
            ctx.saved_tensors = saved
        if type(grads) is not tuple:
            grads = (grads,)
        if len(grads) != len(self._parents):
            grads = self._pad_grads(grads)
        return zip(self._parents, self._fit_grads(grads, True))

    def _fit_grads(self, grads, create_graph):
        return [None if p is None or pg is None else _fit_grad(pg, p, self, i, create_graph)
                for i, (p, pg) in enumerate(zip(self._parents, grads))]

    def _pad_grads(self, grads):
        """Allow backward to leave out trailing gradients of non-Tensor inputs."""
        n = len(self._parents)
        if len(grads) > n or any(p is not None for p in self._parents[len(grads):]):
            raise RuntimeError(f"{self.op}.backward returned {len(grads)} gradients, but "
                               f"forward took {n} inputs; return one per input (None for "
                               "those that need none)")
        return grads + (None,) * (n - len(grads))

    def _tensor_of(self, array):
        """Under create_graph, a saved array becomes the Tensor it came from."""
        if array is self.data:
            return self
        for p in self._parents:
            if p is not None and p.data is array:
                return p
        return array

    def _run_hooks(self, g, create_graph):
        for fn in list(self._hooks.values()):
            new = fn(g if create_graph else Tensor._make(g, False, None, ()))
            if new is not None:
                if tuple(np.shape(new)) != self.shape:
                    raise RuntimeError(f"a hook returned a gradient of shape {tuple(np.shape(new))}, "
                                       f"but the tensor has shape {self.shape}; return a tensor "
                                       "of the same shape, or None to keep the gradient")
                g = _grad_value(new, self.dtype, create_graph)
                if not create_graph:
                    g = np.array(g)  # the hook's tensor stays the hook's
        return g

    def _store_grad(self, g, create_graph, shared=False):
        if not create_graph:
            # A fresh array the sweep computed becomes .grad as it is; a view,
            # a read-only array, or one handed to another tensor too is copied.
            if shared or type(g) is not np.ndarray or g.dtype != self.data.dtype or \
                    not (g.flags.owndata and g.flags.writeable):
                g = np.array(g, dtype=self.data.dtype)
            g = Tensor._make(g, False, None, ())
        self.grad = g if self.grad is None else self.grad + g

    def _release(self):
        ctx = self._ctx
        if ctx is not None:
            ctx.saved_tensors = None
            ctx.held = None  # the last op holding a token unlocks its array
            if self._locked:  # backward freed the op that made this array: writeable again
                self._locked = False
                try:
                    self.data.setflags(True)
                except ValueError:  # a view of an array someone still holds
                    pass

    # -- arithmetic -----------------------------------------------------------
    def add(self, other): return _binary(ops.Add, self, other)
    def sub(self, other): return _binary(ops.Sub, self, other)
    def mul(self, other): return _binary(ops.Mul, self, other)
    def div(self, other): return _binary(ops.Div, self, other)
    def pow(self, other): return _binary(ops.Pow, self, other)
    def neg(self): return ops.Neg.apply(self)
    def matmul(self, other): return ops.matmul(self, other)

    __add__ = add
    __sub__ = sub
    __mul__ = mul
    __truediv__ = div
    __pow__ = pow
    __neg__ = neg
    __matmul__ = matmul
    def __radd__(self, other): return ops.Add.apply(other, self)
    def __rsub__(self, other): return ops.Sub.apply(other, self)
    def __rmul__(self, other): return ops.Mul.apply(other, self)
    def __rtruediv__(self, other): return ops.Div.apply(other, self)
    def __rpow__(self, other): return ops.Pow.apply(other, self)
    def __rmatmul__(self, other): return ops.matmul(other, self)

    # comparisons and logic carry no gradient
    def __lt__(self, other): return _no_grad_op(np.less, self, other)
    def __le__(self, other): return _no_grad_op(np.less_equal, self, other)
    def __gt__(self, other): return _no_grad_op(np.greater, self, other)
    def __ge__(self, other): return _no_grad_op(np.greater_equal, self, other)
    def __eq__(self, other): return _no_grad_op(np.equal, self, other)
    def __ne__(self, other): return _no_grad_op(np.not_equal, self, other)
    def __and__(self, other): return _no_grad_op(np.logical_and, self, other)
    def __or__(self, other): return _no_grad_op(np.logical_or, self, other)
    __rand__, __ror__ = __and__, __or__
    def __invert__(self): return _no_grad_op(np.logical_not, self)

    # -- elementwise ------------------------------------------------------------
    def exp(self): return ops.Exp.apply(self)
    def log(self): return ops.Log.apply(self)
    def sqrt(self): return ops.Sqrt.apply(self)
    def abs(self): return ops.Abs.apply(self)
    def sin(self): return ops.Sin.apply(self)
    def cos(self): return ops.Cos.apply(self)
    def tanh(self): return ops.Tanh.apply(self)
    def sigmoid(self): return ops.Sigmoid.apply(self)
    def relu(self): return ops.Relu.apply(self)
    def clip(self, lo=None, hi=None): return ops.Clip.apply(self, lo, hi)
    clamp = clip
    __abs__ = abs

    def maximum(self, other): return ops.maximum(self, other)
    def minimum(self, other): return ops.minimum(self, other)
    def astype(self, dtype): return self if self.dtype == dtype else ops.Cast.apply(self, np.dtype(dtype))
    def float(self): return self.astype(np.float32)
    def double(self): return self.astype(np.float64)

    # -- reductions: numpy's axis/keepdims, PyTorch's dim/keepdim too ------------
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return ops.Sum.apply(self, *ops.axis_args(self.ndim, axis, keepdims, dim, keepdim))

    def max(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return ops.Max.apply(self, *ops.axis_args(self.ndim, axis, keepdims, dim, keepdim))

    def min(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return ops.Max.apply(-self, *ops.axis_args(self.ndim, axis, keepdims, dim, keepdim)).neg()

    def prod(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return ops.Prod.apply(self, *ops.axis_args(self.ndim, axis, keepdims, dim, keepdim))

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        axes, keep = ops.axis_args(self.ndim, axis, keepdims, dim, keepdim)
        return self.sum(axes, keep) / ops.count(self.shape, axes)

    def var(self, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None):
        axes, keep = ops.axis_args(self.ndim, axis, keepdims, dim, keepdim)
        centered = self - self.mean(axes, keepdims=True)
        return (centered * centered).sum(axes, keep) / (ops.count(self.shape, axes) - ddof)

    def std(self, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None):
        return ops.StdSqrt.apply(self.var(axis, keepdims, ddof, dim=dim, keepdim=keepdim))

    def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        axes, keep = ops.axis_args(self.ndim, axis, keepdims, dim, keepdim)
        shift = ops.stable_shift(self.data, axes)  # a constant: exp never overflows
        out = (self - shift).exp().sum(axes, keepdims=True).log() + shift
        return out if keep else out.reshape(ops.reduced_shape(self.shape, axes))

    def log_softmax(self, axis=-1, *, dim=None):
        axis = axis if dim is None else dim
        return self - self.logsumexp(axis, keepdims=True)

    def softmax(self, axis=-1, *, dim=None):
        axis = axis if dim is None else dim
        e = (self - ops.stable_shift(self.data, ops.normalize_axes(axis, self.ndim))).exp()
        return e / e.sum(axis, keepdims=True)

    def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return _argext(np.argmax, self, axis, keepdims, dim, keepdim)

    def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return _argext(np.argmin, self, axis, keepdims, dim, keepdim)

    def any(self, axis=None, keepdims=False):
        return Tensor._make(np.asarray(self.data.any(axis=axis, keepdims=keepdims)), False, None, ())

    def all(self, axis=None, keepdims=False):
        return Tensor._make(np.asarray(self.data.all(axis=axis, keepdims=keepdims)), False, None, ())

    # -- shape --------------------------------------------------------------------
    def reshape(self, *shape):
        shape = ops.shape_arg(shape)
        return self if shape == self.shape else ops.Reshape.apply(self, shape)

    view = reshape

    def transpose(self, *axes):
        return ops.Transpose.apply(self, ops.permutation(ops.shape_arg(axes) or None, self.ndim))

    def permute(self, *axes):
        return ops.Transpose.apply(self, ops.permutation(ops.shape_arg(axes), self.ndim))

    def swapaxes(self, axis1, axis2):
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return ops.Transpose.apply(self, tuple(axes))

    T = property(lambda self: self.transpose())
    mT = property(lambda self: self.swapaxes(-1, -2))

    def broadcast_to(self, *shape):
        shape = ops.expand_shape(self.shape, ops.shape_arg(shape))
        return self if shape == self.shape else ops.BroadcastTo.apply(self, shape)

    expand = broadcast_to

    def squeeze(self, axis=None, *, dim=None):
        return self.reshape(ops.squeezed_shape(self.shape, axis if dim is None else dim))

    def unsqueeze(self, axis):
        return self.reshape(np.expand_dims(np.empty(self.shape, dtype=bool), axis).shape)

    def flatten(self, start=0, end=-1):
        return self.reshape(ops.flattened_shape(self.shape, start, end))

    def __getitem__(self, index):
        return ops.GetItem.apply(self, ops.plain_index(index))

    def pad(self, widths, value=0):
        return ops.Pad.apply(self, ops.pad_widths(widths, self.ndim), value)

    # -- numpy functions and ufuncs on Tensors (also used by backward rules) -----
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from .numpy_api import array_ufunc
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from .numpy_api import array_function
        return array_function(func, args, kwargs)

    # == numpy's names, and PyTorch's where numpy has none ==========================
    # (kept in one block; the bodies live in ops/methods.py). Where numpy and PyTorch
    # mean different things by one name, the PyTorch spelling gives PyTorch's answer
    # or raises naming the difference: see sort and repeat.
    def __mod__(self, other): return methods.remainder(self, other)
    def __rmod__(self, other): return methods.remainder(other, self)
    def __floordiv__(self, other): return _no_grad_op(np.floor_divide, self, other)
    def __rfloordiv__(self, other): return _no_grad_op(np.floor_divide, other, self)
    def __pos__(self): return self
    def ravel(self, order="C"): return methods.ravel(self, order)
    def cumsum(self, axis=None, dtype=None, *, dim=None): return methods.cumsum(self, axis, dtype, dim)
    def cumprod(self, axis=None, dtype=None, *, dim=None): return methods.cumprod(self, axis, dtype, dim)
    def dot(self, other): return methods.dot(self, other)
    def round(self, decimals=0): return _no_grad_op(np.round, self, decimals)
    def diagonal(self, offset=0, axis1=0, axis2=1, *, dim1=None, dim2=None):
        return methods.diagonal(self, offset, axis1, axis2, dim1, dim2)
    def trace(self, offset=0, axis1=0, axis2=1, dtype=None): return methods.trace(self, offset, axis1, axis2, dtype)
    def tolist(self): return self.data.tolist()
    def numel(self): return int(self.data.size)
    def copy(self): return methods.clone(self)
    def clone(self): return methods.clone(self)
    def masked_fill(self, mask, value): return methods.masked_fill(self, mask, value)
    def chunk(self, chunks, dim=0): return methods.chunk(self, chunks, dim)
    def split(self, split_size_or_sections, dim=0): return methods.split(self, split_size_or_sections, dim)
    def topk(self, k, dim=-1, largest=True, sorted=True): return methods.topk(self, k, dim, largest, sorted)
    def norm(self, p="fro", dim=None, keepdim=False, *, axis=None, keepdims=None):
        return methods.norm(self, p, dim, keepdim, axis=axis, keepdims=keepdims)
    def argsort(self, axis=-1, kind=None, *, dim=None, descending=False, stable=None):
        return methods.argsort(self, axis, kind, dim, descending, stable)
    def sort(self, axis=-1, kind=None, order=None, *, dim=None, descending=None, stable=None):
        return methods.sort(self, axis, kind, order, dim, descending, stable)
    def repeat(self, *args, **kwargs): return methods.repeat(self, args, kwargs)
    def repeat_interleave(self, repeats, dim=None): return methods.repeat_interleave(self, repeats, dim)
    def tile(self, *reps): return methods.tile(self, reps)
    # == end of numpy's names =========================================================


class _HookHandle:
    _next_id = 0

    def __init__(self, hooks, fn):
        _HookHandle._next_id += 1
        self.id, self.hooks = _HookHandle._next_id, hooks
        hooks[self.id] = fn

    def remove(self):
        self.hooks.pop(self.id, None)


def as_array(data, dtype=None):
    """Copy `data` into a numpy array; Python floats become float32."""
    if isinstance(data, Value):
        raise TypeError("a Tensor cannot be made from a Value; use Tensor(value.data)")
    if dtype is not None:
        arr = np.array(data, dtype=dtype)
    else:
        arr = np.array(data)
        if arr.dtype == np.float64 and not _is_numpy_float64(data):
            arr = arr.astype(DEFAULT_FLOAT)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"a Tensor holds numbers or booleans, not {arr.dtype} data")
    return arr


def _is_numpy_float64(data):
    return isinstance(data, (np.ndarray, np.floating)) and data.dtype == np.float64


def _seed(t, gradient, create_graph, what):
    """The gradient a backward sweep starts from, checked against `t`."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{what} needs Tensors; got {type(t).__name__}")
    if not t.requires_grad:
        raise RuntimeError(f"{what}: this tensor does not require grad, so there is no graph "
                           "to go back through; create the inputs with requires_grad=True "
                           "(or call .requires_grad_()) before computing it")
    if gradient is None:
        data = t.data
        if data.size != 1:
            raise RuntimeError(f"{what}: a gradient can be created implicitly only for a tensor "
                               f"with one element, and this one has shape {t.shape}; pass "
                               f"gradient= of that shape, or reduce it first (e.g. .sum())")
        # (made here, so it needs no checks: the common case of a scalar loss)
        seed = np.array(1, data.dtype) if data.ndim == 0 else np.ones(data.shape, data.dtype)
        return Tensor._make(seed, False, None, ()) if create_graph else seed
    if not create_graph:
        gradient = np.array(gradient.data if isinstance(gradient, Tensor) else gradient)  # ours now
    if tuple(np.shape(gradient)) != t.shape:
        raise ValueError(f"{what}: gradient has shape {tuple(np.shape(gradient))}, but the "
                         f"tensor has shape {t.shape}; they must match")
    return _grad_value(gradient, t.dtype, create_graph)


def _grad_value(g, dtype, create_graph):
    """A gradient as the sweep carries it: an array, or a Tensor under create_graph."""
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asarray(g, dtype=dtype), False, None, ())
        return g.astype(dtype) if g.dtype != dtype else g
    g = g.data if isinstance(g, Tensor) else g
    return np.asarray(g, dtype=dtype)


def _fit_grad(pg, parent, node, index, create_graph):
    """Check a backward rule's gradient for `parent`: type, dtype, shape."""
    if create_graph or type(pg) is not np.ndarray or pg.dtype != parent.data.dtype:
        pg = _grad_value(pg, parent.data.dtype, create_graph)
    if pg.shape != parent.data.shape:
        pg = ops.sum_to(pg, parent.data.shape, f"{node.op}.backward (input {index})")
    return pg


BOTH_NEED_GRAD = (True, True)


class _SameShapes(tuple):
    """needs_input_grad == (True, True), marked: both inputs of a built-in binary
    op have one shape and dtype (not 0-d), so its backward returns arrays of
    exactly that shape and dtype, and `_vjp` can skip checking them."""


SAME_SHAPES = _SameShapes((True, True))


def _binary(function, a, b):
    """`function.apply(a, b)` for a built-in binary op, written out for the
    hot path of a graph: two Tensors of one shape that both need grad, in the
    default grad mode. It does what `run_forward` does, minus the checks that
    cannot fail here."""
    if not (isinstance(b, Tensor) and a.requires_grad and b.requires_grad and _mode.plain):
        return function.apply(a, b)
    x, y = a.data, b.data
    if not (x.shape == y.shape and x.dtype is y.dtype and x.ndim > 0):
        return run_forward(function, (x, y), (a, b), BOTH_NEED_GRAD)
    inputs = (a, b)  # doubles as the parents: one tuple fewer for the collector to track
    ctx = Context(function, inputs, SAME_SHAPES)
    out = function.forward(ctx, x, y)  # same shapes: no broadcasting error, an array out
    t = Tensor._make(out, True, ctx, inputs)
    saved = ctx.saved_tensors
    if saved and _mode.guard:
        if len(saved) == 2 and saved[0] is x and saved[1] is y:  # Mul, Div
            held, more = hold_array(a, x), hold_array(b, y)
            ctx.held = more if held is None else held if more is None else [held, more]
        else:
            ctx.held = hold(saved, (x, y), inputs, out, t)
    return t


def _no_grad_op(ufunc, *args):
    arrays = [a.data if isinstance(a, Tensor) else a for a in args]
    return Tensor._make(np.asarray(ufunc(*arrays)), False, None, ())


def _argext(fn, t, axis, keepdims, dim, keepdim):
    axis = axis if dim is None else dim
    keepdims = keepdims if keepdim is None else keepdim
    return Tensor._make(np.asarray(fn(t.data, axis=axis, keepdims=keepdims)), False, None, ())


_mode = engine.grad_mode

from . import ops  # noqa: E402  (ops need the Tensor class defined above)
from .function import Context, raise_freed, run_forward  # noqa: E402
from .guard import hold, hold_array  # noqa: E402
from .ops import methods  # noqa: E402
