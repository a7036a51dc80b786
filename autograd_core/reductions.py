"""Tensor's reductions, attached at import as methods.py attaches the rest:
numpy's `axis`/`keepdims` and PyTorch's `dim`/`keepdim`, under the
spelling rule (a call that means different things in the two raises:
`t.max(0)`, `t.var(True)`, `t.sum(0, np.float32)`)."""
import numpy as np

from . import ops
from .axes import UNSET, axis_args, count, normalize_axes, one_axis, reduced_shape, stable_shift
from .methods import method
from .ops.sorting import ValuesIndices  # (PyTorch's max(dim=...) result, as sort's)
from .tensor import Tensor


# -- reductions: numpy's axis/keepdims, PyTorch's dim/keepdim ---------------------
@method
def sum_(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    _bool_keepdims("sum", keepdims)
    return ops.Sum.apply(self, *axis_args(self.ndim, axis, keepdims, dim, keepdim))


def _bool_keepdims(name, keepdims):
    """The second positional argument is keepdim in PyTorch and dtype in numpy's
    ndarray methods: a bool is the first (and ours), anything else is refused."""
    if type(keepdims) not in (bool, np.bool_):
        raise TypeError(f"t.{name}(axis, {keepdims!r}): the second argument is keepdim in "
                        f"PyTorch and dtype in numpy; pass keepdims= (a bool) by keyword, or "
                        f"np.{name}(t, axis, dtype=...) / t.astype(...) for a dtype")


@method
def prod(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    _bool_keepdims("prod", keepdims)
    return ops.Prod.apply(self, *axis_args(self.ndim, axis, keepdims, dim, keepdim))


@method
def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    _bool_keepdims("mean", keepdims)
    axes, keep = axis_args(self.ndim, axis, keepdims, dim, keepdim)
    return self.sum(axes, keep) / count(self.shape, axes)


@method
def max_(self, *axis, keepdims=False, dim=UNSET, keepdim=UNSET, **kwargs):
    """numpy's max with `axis=` (the values; ties share the gradient); with
    `dim=`, PyTorch's (values, indices; the gradient to the index picked)."""
    return _extreme(self, "max", np.argmax, axis, keepdims, dim, keepdim, kwargs)


@method
def min_(self, *axis, keepdims=False, dim=UNSET, keepdim=UNSET, **kwargs):
    """numpy's min with `axis=`; with `dim=`, PyTorch's (values, indices)."""
    return _extreme(self, "min", np.argmin, axis, keepdims, dim, keepdim, kwargs)


def _extreme(t, name, arg, positional, keepdims, dim, keepdim, kwargs):
    axis = kwargs.pop("axis", UNSET)
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    if positional:
        first = positional[0]
        if isinstance(first, (Tensor, np.ndarray)) and np.ndim(first) > 0 or \
                isinstance(first, Tensor) and first.dtype.kind == "f":
            elementwise = "maximum" if name == "max" else "minimum"
            raise TypeError(f"t.{name}(other) compares elementwise in PyTorch but takes an axis "
                            f"in numpy; write {elementwise}(t, other) for the elementwise {name}")
        raise TypeError(f"t.{name}({', '.join(map(repr, positional))}) means two things: numpy's "
                        f"{name} along that axis (the values) and PyTorch's (values and indices). "
                        f"Write t.{name}(axis=...) for numpy's, t.{name}(dim=...) for PyTorch's")
    if dim is not UNSET and dim is not None:
        return _values_and_indices(t, arg, dim, keepdims if keepdim is UNSET else keepdim)
    axes, keep = axis_args(t.ndim, None if axis is UNSET else axis, keepdims, None, keepdim)
    return (ops.Max if name == "max" else ops.Min).apply(t, axes, keep)


def _values_and_indices(t, arg, dim, keepdim):
    """PyTorch's max/min over `dim`: the values (the gradient goes to the
    index picked, as in PyTorch) and their indices."""
    if np.ndim(dim) != 0:
        raise TypeError(f"dim= takes one axis, got {dim!r}")
    if t.ndim == 0:
        normalize_axes(dim, 1)  # PyTorch takes dim 0 or -1 of a 0-d tensor: itself, index 0
        return ValuesIndices(ops.View.apply(t), Tensor._make(np.array(0), False, None, ()))
    axis, = normalize_axes(dim, t.ndim)
    picked = arg(t.data, axis=axis, keepdims=True)
    index = list(np.indices(picked.shape, sparse=True))
    index[axis] = picked
    values = t[tuple(index)]
    if not keepdim:
        values, picked = values.squeeze(axis), picked.squeeze(axis)
    return ValuesIndices(values, Tensor._make(picked, False, None, ()))


@method
def var(self, *axis, keepdims=False, ddof=None, dim=UNSET, keepdim=UNSET, unbiased=None,
        correction=None, **kwargs):
    """numpy's var with `axis=`/`ddof=` (ddof 0 by default); PyTorch's
    spelling (`dim=`, `keepdim=`, `unbiased=`, `correction=`) gives PyTorch's
    answer, unbiased unless told otherwise."""
    axes, keep, ddof = _moments_args(self, "var", axis, keepdims, ddof, dim, keepdim, unbiased,
                                     correction, kwargs)
    centered = self - self.mean(axes, keepdims=True)
    # n - ddof below 1 gives inf (or nan), as numpy and PyTorch, never a negative variance
    return (centered * centered).sum(axes, keep) / max(count(self.shape, axes) - ddof, 0)


@method
def std(self, *axis, keepdims=False, ddof=None, dim=UNSET, keepdim=UNSET, unbiased=None,
        correction=None, **kwargs):
    """The square root of `var` (same spellings); its slope at 0 is 0, as PyTorch's."""
    axes, keep, ddof = _moments_args(self, "std", axis, keepdims, ddof, dim, keepdim, unbiased,
                                     correction, kwargs)
    return ops.StdSqrt.apply(self.var(axis=axes, keepdims=keep, ddof=ddof))


def _moments_args(t, name, positional, keepdims, ddof, dim, keepdim, unbiased, correction,
                  kwargs):
    axis = kwargs.pop("axis", UNSET)
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    if len(positional) > 1:
        raise TypeError(f"t.{name}{positional}: the second argument is a dtype in numpy and "
                        f"`unbiased` in PyTorch; write t.{name}(axis=..., ddof=...) for numpy's or "
                        f"t.{name}(dim=..., unbiased=...) for PyTorch's")
    if positional:
        if axis is not UNSET:
            raise TypeError(f"{name}() got the axis twice")
        axis = positional[0]
    pytorch = dim is not UNSET or keepdim is not UNSET or unbiased is not None or \
        correction is not None
    given = [n for n, v in (("ddof", ddof), ("unbiased", unbiased), ("correction", correction))
             if v is not None]
    if len(given) > 1:
        raise TypeError(f"give numpy's ddof= or PyTorch's {given[-1]}=, not both"
                        if "ddof" in given else "give unbiased= or correction=, not both")
    if ddof is None:
        ddof = (0 if unbiased is False else 1) if unbiased is not None else \
            correction if correction is not None else 1 if pytorch else 0
    if isinstance(dim, (tuple, list)) and not dim:
        dim = None
    axes, keep = axis_args(t.ndim, None if axis is UNSET else axis, keepdims,
                           None if dim is UNSET else dim, keepdim)
    return axes, keep, ddof


def _real(t):
    """Integer and boolean Tensors in float64 for the functions below, whose
    shift by the maximum would wrap unsigned integers around."""
    return t if t.dtype.kind == "f" else t.astype(np.float64)


@method
def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    self = _real(self)
    axes, keep = axis_args(self.ndim, axis, keepdims, dim, keepdim)
    shift = stable_shift(self.data, axes)  # a constant: exp never overflows
    out = (self - shift).exp().sum(axes, keepdims=True).log() + shift
    return out if keep else out.reshape(reduced_shape(self.shape, axes))


@method
def log_softmax(self, axis=UNSET, *, dim=UNSET):
    self = _real(self)
    return self - self.logsumexp(one_axis(axis, dim, default=-1), keepdims=True)


@method
def softmax(self, axis=UNSET, *, dim=UNSET):
    axis = one_axis(axis, dim, default=-1)
    self = _real(self)
    e = (self - stable_shift(self.data, normalize_axes(axis, self.ndim))).exp()
    return e / e.sum(axis, keepdims=True)


@method
def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.argmax, self, axis, keepdims, dim, keepdim)


@method
def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.argmin, self, axis, keepdims, dim, keepdim)


@method
def any_(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.any, self, axis, keepdims, dim, keepdim)


@method
def all_(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _no_grad_reduction(np.all, self, axis, keepdims, dim, keepdim)


def _no_grad_reduction(fn, t, axis, keepdims, dim, keepdim):
    axis = one_axis(axis, dim)
    keepdims = keepdims if keepdim is None else keepdim
    return Tensor._make(np.asarray(fn(t.data, axis=axis, keepdims=keepdims)), False, None, ())


@method
def amax(self, axis=UNSET, keepdims=False, *, dim=UNSET, keepdim=UNSET):
    """The maximum values (numpy's and PyTorch's amax: ties share the gradient)."""
    return ops.Max.apply(self, *axis_args(self.ndim, None if axis is UNSET else axis, keepdims,
                                          None if dim is UNSET else dim, keepdim))


@method
def amin(self, axis=UNSET, keepdims=False, *, dim=UNSET, keepdim=UNSET):
    """The minimum values (numpy's and PyTorch's amin: ties share the gradient)."""
    return ops.Min.apply(self, *axis_args(self.ndim, None if axis is UNSET else axis, keepdims,
                                          None if dim is UNSET else dim, keepdim))
