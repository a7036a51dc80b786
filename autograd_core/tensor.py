"""`Tensor`: a numpy array that records the ops computed from it.

A Tensor made by an op holds `_ctx` (the op's `Context`: which `Function`,
what it saved, which arguments need a gradient) and `_parents` (the op's
arguments as given: Tensors and constants). That is the whole graph. This
file is the node itself: construction, conversions, the gradient API and
the sweep's protocol (`engine.Node`). What you compute
with a Tensor (operators, math, reductions, shapes, numpy
functions) is routed to the ops in `ops/` by `methods.py`, which attaches
those methods here, so that this file imports nothing that imports it;
in-place updates are attached by `inplace.py`.
"""
import warnings
from operator import attrgetter

import numpy as np

from . import engine, guard
from .engine import next_seq
from .value import Value

DEFAULT_FLOAT = np.float32


class _Unrecorded(tuple):
    """The `_parents` of a tensor that has no graph where the user may
    expect one, so that backward() can say why (no parents, as a leaf)."""

    def __new__(cls, reason):
        marker = super().__new__(cls)
        marker.reason = reason
        return marker


UNRECORDED = _Unrecorded(
    "was computed under no_grad() (or set_grad_enabled(False)), so no graph was recorded; "
    "compute it outside that block to differentiate it")
NO_CREATE_GRAPH = _Unrecorded(
    "is a gradient computed without create_graph=True, so it has no graph of its own; pass "
    "create_graph=True to the backward() or grad() that made it to differentiate it again")


class _SharedArray(tuple):
    """The `_parents` of a leaf that shares its array on purpose, made by
    `detach()` or `from_numpy()`: an in-place update never gives it a new
    array (that would split it from the tensor or numpy array it shares
    with; inplace.py refuses instead)."""

    def __new__(cls, maker):
        marker = super().__new__(cls)
        marker.maker = maker
        return marker


DETACHED, FROM_NUMPY = _SharedArray("detach()"), _SharedArray("from_numpy()")
TENSOR_TYPES = set()  # Tensor and its subclasses: `type(x) in TENSOR_TYPES` is a fast isinstance


class Tensor:
    """A numpy array (`.data`) in a graph of ops; see the module docstring."""

    __slots__ = ("data", "_grad", "_requires_grad", "_ctx", "_parents", "_hooks",
                 "_keeps_grad", "_seq", "_step", "__weakref__")
    __hash__ = object.__hash__  # `==` is elementwise; identity is the key
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False, dtype=None):
        if type(requires_grad) not in (bool, np.bool_):  # (Tensor(2, 3) is a shape in PyTorch)
            raise TypeError(f"Tensor(data, requires_grad=False, dtype=None): requires_grad must be "
                            f"True or False, got {requires_grad!r}; to make a tensor of a shape, "
                            "use ag.zeros(shape) or ag.empty(*shape)")
        if isinstance(data, Tensor):
            data = data.data
        self.data = as_array(data, dtype)
        self._grad = None
        self._requires_grad = False
        self._ctx, self._parents, self._hooks, self._keeps_grad = None, (), None, False
        self._seq = next_seq()
        if requires_grad:
            self.requires_grad_(True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        TENSOR_TYPES.add(cls)  # (so ops recognise subclasses, such as nn.Parameter, at once)

    @staticmethod
    def _make(data, requires_grad, ctx, parents):
        """Fast constructor for ops: `data` is already a numpy array."""
        t = Tensor.__new__(Tensor)
        t.data, t._grad, t._requires_grad = data, None, requires_grad
        t._ctx, t._parents, t._hooks, t._keeps_grad = ctx, parents, None, False
        t._seq = next_seq()
        return t

    # -- attributes ---------------------------------------------------------
    # (attrgetter: read in C, without a Python call per access)
    shape = property(attrgetter("data.shape"), doc="The array's shape (a tuple).")
    ndim = property(attrgetter("data.ndim"), doc="The number of axes.")
    dtype = property(attrgetter("data.dtype"), doc="The array's numpy dtype.")
    is_leaf = property(lambda self: self._ctx is None)

    @property
    def size(self):
        """The number of elements, as numpy's `.size`; called, PyTorch's
        `size()` (the shape) or `size(dim)` (one axis's length)."""
        return _Size(self.data.size, self.data.shape)

    @property
    def requires_grad(self):
        """Whether gradients flow to this tensor. Settable on a leaf, as in
        PyTorch (`w.requires_grad = True`); the same as `requires_grad_()`."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    @property
    def grad(self):
        """d(root)/d(self), accumulated by backward(): a Tensor, or None."""
        if self._grad is None and self._ctx is not None and not self._keeps_grad:
            warnings.warn("the .grad of a tensor computed by an op (not a leaf) stays None: "
                          "backward() stores gradients on leaves only; call .retain_grad() "
                          "on it before backward() to keep its gradient", UserWarning,
                          stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor (or None), not "
                                f"{type(value).__name__}; wrap it: Tensor(array)")
            if value is self:
                raise RuntimeError("a tensor cannot be its own grad (a backward would then "
                                   "change its values); assign a copy: t.grad = t.clone()")
            if value.shape != self.data.shape or value.dtype != self.data.dtype:
                raise ValueError(f"assigned grad has shape {value.shape} and dtype {value.dtype}, "
                                 f"but the tensor has shape {self.shape} and dtype {self.dtype}; "
                                 "a gradient must match its tensor")
        self._grad = value

    @property
    def retains_grad(self):
        """True for a tensor computed by an op that keeps its .grad (retain_grad())."""
        return self._ctx is not None and self._keeps_grad

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
        """The numpy array this tensor holds (shared, not copied): in-place
        updates show in it, except one made while a live graph held the
        array, which gives the tensor a new array (call .numpy() again)."""
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element; this one has shape {self.shape}")
        return self.data.item()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.size != 1 or self.data.dtype.kind not in "iu":
            raise TypeError(f"only an integer tensor with one element can be used as an index, "
                            f"not {self.dtype} of shape {self.shape}")
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use .any() or .all()")
        return bool(self.data.item())

    def __format__(self, spec):
        if not spec:
            return str(self)
        if self.data.size != 1:
            raise TypeError(f"format spec {spec!r} needs a tensor with one element; this one "
                            f"has shape {self.shape} (format its values, e.g. t.numpy())")
        return format(self.data.item(), spec)

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
        if self.requires_grad and engine.is_grad_enabled():
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

    # -- copying: leaves only, never a graph ------------------------------------
    def __reduce_ex__(self, protocol):
        if self._ctx is not None:
            raise RuntimeError(f"only leaf tensors can be copied or pickled; this one was made "
                               f"by {self.op} and belongs to a graph: copy t.detach() instead")
        grad = None if self._grad is None else self._grad.data
        return _rebuild, (type(self), self.data, self.requires_grad, grad)

    # -- gradients ----------------------------------------------------------
    def requires_grad_(self, requires_grad=True):
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"only floating-point tensors can require gradients, and this one "
                            f"is {self.dtype}; make it with dtype=np.float32 or np.float64")
        if not requires_grad and self._ctx is not None:
            raise RuntimeError("requires_grad can be switched off only on a leaf; "
                               "use .detach() to cut a tensor out of the graph")
        self._requires_grad = bool(requires_grad)
        self._keeps_grad = self._requires_grad and self._ctx is None
        return self

    def detach(self):
        """The same data (shared, as in PyTorch), cut out of the graph."""
        return Tensor._make(self.data, False, None, DETACHED)

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
        kept, visited = engine.backward_sweep([self], [seed], create_graph=create_graph)
        engine.store_grads(kept, create_graph)
        if not retain_graph:
            engine.release(visited)

    # -- the protocol of engine.backward_sweep (engine.Node) ---------------------
    # _vjp(g, create_graph): the backward of the op that made this tensor;
    # function.py attaches it (`function.vjp`), beside the Context it reads.

    def _run_hooks(self, g, create_graph):
        for fn in list(self._hooks.values()):
            new = fn(g if create_graph else Tensor._make(g, False, None, ()))
            if new is not None:
                if tuple(np.shape(new)) != self.shape:
                    raise RuntimeError(f"a hook returned a gradient of shape {tuple(np.shape(new))}, "
                                       f"but the tensor has shape {self.shape}; return a tensor "
                                       "of the same shape, or None to keep the gradient")
                g = grad_value(new, self.dtype, create_graph)
                if not create_graph:
                    g = np.array(g)  # the hook's tensor stays the hook's
        # what flows on is not what the hooks saw (and may keep): a .grad it reached,
        # written in place later, would change what they kept (a recorded copy under
        # create_graph)
        return g.copy() if create_graph else np.array(g)

    def _store_grad(self, g, create_graph, shared=False):
        old = self._grad
        if not create_graph:
            # A fresh array the sweep computed becomes .grad as it is; a view, a
            # read-only array, or one handed to another tensor too is copied (one a
            # hook saw was copied after the hooks, _run_hooks).
            if shared or type(g) is not np.ndarray or g.dtype != self.data.dtype or \
                    not (g.flags.owndata and g.flags.writeable):
                g = np.array(g, dtype=self.data.dtype)
            # (accumulated into a new tensor, not in place: the old .grad's array may be
            # one a hook, an alias or the user still holds)
            g = Tensor._make(g, False, None, NO_CREATE_GRAPH)
        elif shared:  # (a Tensor another leaf's .grad holds too)
            g = g.copy()
        self._grad = g if old is None else old + g

    def _release(self):
        ctx = self._ctx
        if ctx is not None:
            ctx.saved_tensors = None
            guard.release(ctx)

TENSOR_TYPES.add(Tensor)


def _rebuild(cls, data, requires_grad, grad):
    t = cls.__new__(cls)
    Tensor.__init__(t, np.array(data), requires_grad=requires_grad)
    if grad is not None:
        t._grad = Tensor._make(np.array(grad), False, None, ())
    return t


class _Size(int):
    """numpy's `t.size` (an int) that PyTorch's `t.size()` can also call."""

    def __new__(cls, count, shape):
        size = super().__new__(cls, count)
        size.shape = shape
        return size

    def __call__(self, dim=None):
        return self.shape if dim is None else self.shape[dim]


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
    """float64 numpy data, or a list of it: it stays float64 (Python floats become float32)."""
    if isinstance(data, (list, tuple)):
        return any(_is_numpy_float64(d) for d in data)
    return isinstance(data, (np.ndarray, np.floating)) and data.dtype == np.float64


def _seed(t, gradient, create_graph, what):
    """The gradient a backward sweep starts from, checked against `t`."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{what} needs Tensors; got {type(t).__name__}")
    if not t.requires_grad:
        if type(t._parents) is _Unrecorded:
            raise RuntimeError(f"{what}: this tensor {t._parents.reason}")
        raise RuntimeError(f"{what}: this tensor does not require grad, so there is no graph "
                           "to go back through; create the inputs with requires_grad=True "
                           "(or call .requires_grad_()) before computing it")
    if gradient is None:
        data = t.data
        if data.size != 1:
            argument = "grad_outputs=" if what == "grad()" else "gradient="
            raise RuntimeError(f"{what}: a gradient can be created implicitly only for a tensor "
                               f"with one element, and this one has shape {t.shape}; pass "
                               f"{argument} of that shape, or reduce it first (e.g. .sum())")
        # (made here, so it needs no checks: the common case of a scalar loss)
        seed = np.array(1, data.dtype) if data.ndim == 0 else np.ones(data.shape, data.dtype)
        return Tensor._make(seed, False, None, ()) if create_graph else seed
    if not create_graph:
        gradient = np.array(gradient.data if isinstance(gradient, Tensor) else gradient)  # ours now
    if tuple(np.shape(gradient)) != t.shape:
        raise ValueError(f"{what}: gradient has shape {tuple(np.shape(gradient))}, but the "
                         f"tensor has shape {t.shape}; they must match")
    return grad_value(gradient, t.dtype, create_graph)


def grad_value(g, dtype, create_graph):
    """A gradient as the sweep carries it: an array, or a Tensor under create_graph."""
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asarray(g, dtype=dtype), False, None, ())
        return g.astype(dtype) if g.dtype != dtype else g
    g = g.data if isinstance(g, Tensor) else g
    return np.asarray(g, dtype=dtype)
