"""How numpy calls on Tensors reach the rules in numpy_api.py.

numpy hands a ufunc call to `Tensor.__array_ufunc__` and a function call to
`Tensor.__array_function__`; both end here, in a table lookup. This module
adds what numpy's own calling conventions need around the lookup: arguments
bound by numpy's own names (so positional and keyword spellings agree), every
keyword honoured or refused by name, and an error that names the function
and the closest supported way when there is no rule.
"""
import inspect
import sys

import numpy as np

from .engine import is_grad_enabled
from .tensor import Tensor

NO = np._NoValue
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
UFUNC_KEYWORDS = {"out", "where", "dtype", "casting", "order", "subok", "signature"}


def tensor(x):
    """An ndarray result as a Tensor (no gradient); other values as they are."""
    if isinstance(x, np.ndarray):
        return Tensor._make(x, False, None, ())
    if isinstance(x, (tuple, list)) and any(isinstance(i, np.ndarray) for i in x):
        return type(x)(tensor(i) for i in x) if type(x) in (tuple, list) else type(x)(*map(tensor, x))
    return x


def numbers_result(x):
    """numpy's result computed on the numbers, as Tensors without a gradient
    (numpy scalars too: a reduction of Tensors gives a Tensor)."""
    if isinstance(x, tuple):
        return tuple(numbers_result(i) for i in x)
    return tensor(np.asarray(x)) if isinstance(x, (np.ndarray, np.generic)) else x


def plain(x):
    if isinstance(x, Tensor):
        return x.data
    if type(x) in (list, tuple):
        return type(x)(plain(i) for i in x)
    if type(x) is dict:  # keyword arguments
        return {k: plain(v) for k, v in x.items()}
    return x


def needs_grad(args):
    for a in args:
        if isinstance(a, Tensor):
            if a.requires_grad:
                return True
        elif type(a) in (list, tuple) and needs_grad(a):
            return True
    return False


def gradless_dtype(what, dtype, args):
    """Whether `dtype` (numpy's dtype= argument) makes a result that carries
    no gradient: an integer or boolean one. Asked of Tensors that require
    grad while grad mode is on, it is refused (PyTorch refuses it too)
    rather than quietly dropping the gradient."""
    if dtype is None:
        return False
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return False
    if is_grad_enabled() and needs_grad(args):
        raise TypeError(f"{what}: dtype {dtype} cannot carry a gradient, and the input requires "
                        "grad; compute in floating point (convert the result's .detach() if "
                        "integers are wanted), or call it on t.detach() (or under no_grad()) "
                        "if no gradient is wanted")
    return True


def qualified_name(f):
    """`numpy.linalg.norm`, `scipy.special.erf`: where users find `f`."""
    name = getattr(f, "__name__", repr(f))
    if isinstance(f, np.ufunc):
        special = sys.modules.get("scipy.special")
        if special is not None and getattr(special, name, None) is f:
            return f"scipy.special.{name}"
        return f"numpy.{name}" if getattr(np, name, None) is f else name
    module = getattr(f, "__module__", None) or "numpy"
    module = {"numpy._core.fromnumeric": "numpy", "numpy._core.multiarray": "numpy"}.get(module, module)
    return f"{module}.{name}"


def refuse(where, keyword, value, why=""):
    fix = why or "it is not supported on Tensors"
    raise TypeError(f"{where}: the argument {keyword}={value!r} is refused: {fix}")


OUT_FIX = ("out= writes into an existing array, which would lose the gradient; "
           "assign the result instead (y = f(x))")


def refuse_ufunc_out(what, kwargs):
    """Refuse a ufunc's `out=` (numpy passes it as a tuple, of None where not given)."""
    out = kwargs.get("out")
    if out is not None and any(o is not None for o in (out if isinstance(out, tuple) else (out,))):
        refuse(what, "out", out, OUT_FIX)


def refuse_out(func, args, kwargs):
    """Refuse `out=` (by keyword, or in its place among the arguments) of a
    numpy function without a gradient rule: it would write into a Tensor's
    array behind the graph's back."""
    out = kwargs.get("out")
    if out is None and len(args) > 1:
        try:
            out = inspect.signature(func).bind_partial(*args).arguments.get("out")
        except (TypeError, ValueError):
            out = None
    if out is not None:
        refuse(qualified_name(func), "out", out, OUT_FIX)


def is_default(value, default):
    if value is default:
        return True
    try:
        return type(value) in (bool, int, float, str, type(None)) and value == default \
            and type(value) is type(default)
    except Exception:  # noqa: BLE001 (an array compared with a default)
        return False


class Rule:
    """A numpy function's rule. `impl` takes numpy's parameters under numpy's
    names (some of them, in numpy's order); an argument it lacks is refused
    by name unless it is left at numpy's default. Calls that only use what
    `impl` takes go straight through."""

    __slots__ = ("func", "impl", "signature", "accepted", "positional", "takes_more", "name",
                 "dtype_at")

    def __init__(self, func, impl):
        self.func, self.impl, self.name = func, impl, qualified_name(func)
        self.signature = inspect.signature(func)
        # where numpy's dtype= can come: its position, -1 for a keyword only, None if never
        names = list(self.signature.parameters)
        kinds = {p.kind for p in self.signature.parameters.values()}
        self.dtype_at = None
        if "dtype" in names:
            p = self.signature.parameters["dtype"]
            self.dtype_at = names.index("dtype") if p.kind in POSITIONAL else -1
        elif inspect.Parameter.VAR_KEYWORD in kinds:
            self.dtype_at = -1
        theirs = inspect.signature(impl).parameters
        self.accepted = {n for n, p in theirs.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        self.takes_more = any(p.kind is p.VAR_KEYWORD for p in theirs.values())
        ours = [n for n, p in theirs.items() if p.kind in POSITIONAL]
        numpy_positional = [n for n, p in self.signature.parameters.items() if p.kind in POSITIONAL]
        self.positional = 0
        for a, b in zip(ours, numpy_positional):
            if a != b:
                break
            self.positional += 1
        if any(p.kind is p.VAR_POSITIONAL for p in theirs.values()) and \
                self.positional == len(numpy_positional):
            self.positional = sys.maxsize

    def __call__(self, *args, **kwargs):
        if self.dtype_at is not None:
            dtype = kwargs.get("dtype", args[self.dtype_at] if 0 <= self.dtype_at < len(args)
                               else None)
            if dtype is not None and self.gradless(dtype, args, kwargs):
                return numbers_result(self.func(*plain(args), **plain(kwargs)))
        if len(args) <= self.positional and (not kwargs or kwargs.keys() <= self.accepted):
            return self.impl(*args, **kwargs)
        return self.bound(args, kwargs)

    def gradless(self, dtype, args, kwargs):
        """An integer or boolean dtype=: a result without gradient, which numpy
        computes on the numbers (its own answer); refused where a gradient
        would be lost (full_like's result depends only on its fill_value)."""
        if self.func is np.full_like:
            bound = self.signature.bind(*args, **kwargs).arguments
            args, kwargs = (bound.get("fill_value"),), {}
        return gradless_dtype(self.name, dtype, args + tuple(kwargs.values()))

    def bound(self, args, kwargs):
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self.name}(): {e}") from None
        positional, named = [], {}
        for name, value in bound.arguments.items():
            p = self.signature.parameters[name]
            if p.kind is p.VAR_POSITIONAL:
                positional.extend(value)
            elif p.kind is p.VAR_KEYWORD:
                for key, v in value.items():
                    if key in self.accepted or self.takes_more:
                        named[key] = v
                    else:
                        refuse(self.name, key, v)
            elif name in self.accepted:
                named[name] = value
            elif not is_default(value, p.default):
                refuse(self.name, name, value, OUT_FIX if name == "out" else "")
        return self.impl(*positional, **named)


# -- ufuncs -----------------------------------------------------------------------

def ufunc_call(ufunc, rule, inputs, kwargs):
    """A ufunc's rule under numpy's keywords: dtype (and signature, casting)
    decide the computation's dtype, as numpy would, checked by numpy itself
    on empty stand-ins; out= and where= are refused (where= without out=
    leaves numpy's result uninitialized where the mask is False)."""
    name = qualified_name(ufunc)
    kwargs = dict(kwargs)
    for key in list(kwargs):
        if key not in UFUNC_KEYWORDS:
            refuse(name, key, kwargs[key], "not a keyword this ufunc takes on Tensors")
    refuse_ufunc_out(name, kwargs)
    kwargs.pop("out", None)
    where = kwargs.pop("where", True)
    if where is not True:
        refuse(name, "where", where, "numpy leaves the entries where the mask is False "
               f"uninitialized unless out= is given; write np.where(mask, {name}(...), other)")
    if kwargs.pop("subok", True) is not True:
        refuse(name, "subok", False, "the result of a Tensor computation is a Tensor")
    if kwargs.pop("order", "K") not in ("K", "A", "C", "F"):
        raise ValueError(f"{name}: order must be one of 'K', 'A', 'C', 'F'")
    if not kwargs:  # order only decides the memory layout; the values are the same
        return rule(*inputs)
    stand_ins = [np.empty((0,) * max(np.ndim(x), 1), dtype=x.dtype) if isinstance(x, (Tensor, np.ndarray))
                 else x for x in inputs]
    with np.errstate(all="ignore"):
        if needs_grad(inputs):  # a result without gradient is named before numpy's casting rules
            try:
                wanted = ufunc(*stand_ins, **dict(kwargs, casting="unsafe")).dtype
            except TypeError:
                wanted = None  # numpy's own message follows
            gradless_dtype(name, wanted, inputs)
        dtype = ufunc(*stand_ins, **kwargs).dtype  # numpy raises here if the casting is not allowed
    if dtype.kind != "f":  # (no gradient wanted)
        return tensor(np.asarray(ufunc(*plain(inputs), **kwargs)))
    inputs = [x.astype(dtype) if isinstance(x, (Tensor, np.ndarray)) and x.dtype != dtype else x
              for x in inputs]
    return rule(*inputs)


def under_dtype_rule(ufunc, arrays, kwargs=None):
    """ufunc(*arrays), where an integer or boolean array beside floating ones
    does not promote them (float32 // int64 is float32, as in PyTorch)."""
    out = ufunc(*arrays, **(kwargs or {}))
    if isinstance(out, np.ndarray) and out.dtype.kind == "f":
        floats = [a.dtype for a in arrays if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
        if floats and np.result_type(*floats) != out.dtype:
            want = np.result_type(*floats)
            out = ufunc(*[a.astype(want) if isinstance(a, np.ndarray) and a.dtype.kind in "biu"
                          else a for a in arrays], **(kwargs or {}))
    return out


def no_gradient_ufunc(ufunc, inputs, kwargs):
    name = qualified_name(ufunc)
    refuse_ufunc_out(name, kwargs)
    if kwargs.get("where", True) is not True:
        refuse(name, "where", kwargs["where"], "numpy leaves the entries where the mask is "
               "False uninitialized unless out= is given; use np.where on the result")
    kwargs = {k: v for k, v in kwargs.items() if k not in ("out", "where")}
    result = ufunc(*plain(inputs), **kwargs) if "dtype" in kwargs else \
        under_dtype_rule(ufunc, plain(inputs), kwargs)
    return tuple(tensor(np.asarray(r)) for r in result) if isinstance(result, tuple) \
        else tensor(np.asarray(result))


def missing_rule(what, suggestion):
    raise TypeError(f"{what} has no gradient rule for Tensors that require grad; {suggestion}")
