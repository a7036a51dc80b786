"""numpy functions and ufuncs applied to Tensors.

`arr * t`, `np.exp(t)` or `np.where(c, t, 0)` give Tensors that carry the
gradient. This is also what makes backward rules differentiable: under
`create_graph=True` they run on Tensors, and every numpy call they make lands
here. A numpy function with no rule here works on Tensors that need no
gradient (it returns plain numpy results) and raises for those that do,
rather than silently dropping the gradient.
"""
import numpy as np

from . import ops
from .tensor import Tensor

UFUNCS = {
    np.add: lambda a, b: ops.Add.apply(a, b),
    np.subtract: lambda a, b: ops.Sub.apply(a, b),
    np.multiply: lambda a, b: ops.Mul.apply(a, b),
    np.true_divide: lambda a, b: ops.Div.apply(a, b),
    np.power: lambda a, b: ops.Pow.apply(a, b),
    np.negative: lambda a: ops.Neg.apply(a),
    np.exp: lambda a: ops.Exp.apply(a),
    np.log: lambda a: ops.Log.apply(a),
    np.sqrt: lambda a: ops.Sqrt.apply(a),
    np.absolute: lambda a: ops.Abs.apply(a),
    np.sin: lambda a: ops.Sin.apply(a),
    np.cos: lambda a: ops.Cos.apply(a),
    np.tanh: lambda a: ops.Tanh.apply(a),
    np.maximum: ops.maximum,
    np.minimum: ops.minimum,
    np.matmul: lambda a, b: ops.matmul(a, b),
}

# piecewise constant: no gradient to carry
NO_GRADIENT_UFUNCS = {np.sign, np.equal, np.not_equal, np.less, np.less_equal, np.greater,
                      np.greater_equal, np.logical_and, np.logical_or, np.logical_not,
                      np.isfinite, np.isnan, np.isinf, np.floor, np.ceil, np.rint}


def no_grad_result(ufunc, *args):
    """`ufunc` on the arrays of `args`, as a Tensor that carries no gradient."""
    arrays = [a.data if isinstance(a, Tensor) else a for a in args]
    return Tensor._make(np.asarray(ufunc(*arrays)), False, None, ())


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor._make(np.asarray(x), False, None, ())


FUNCTIONS = {
    np.where: lambda c, a, b: where(c, a, b),
    np.broadcast_to: lambda x, shape: _tensor(x).broadcast_to(shape),
    np.reshape: lambda x, shape: _tensor(x).reshape(shape),
    np.transpose: lambda x, axes=None: _tensor(x).transpose(axes) if axes else _tensor(x).transpose(),
    np.swapaxes: lambda x, a, b: _tensor(x).swapaxes(a, b),
    np.expand_dims: lambda x, axis: _tensor(x).unsqueeze(axis),
    np.squeeze: lambda x, axis=None: _tensor(x).squeeze(axis),
    np.concatenate: lambda seq, axis=0: ops.cat(seq, axis),
    np.stack: lambda seq, axis=0: ops.stack(seq, axis),
    np.clip: lambda x, lo, hi: _tensor(x).clip(lo, hi) if lo is not None or hi is not None
    else _tensor(x),
    np.sum: lambda x, axis=None, keepdims=False: _tensor(x).sum(axis, keepdims),
    np.mean: lambda x, axis=None, keepdims=False: _tensor(x).mean(axis, keepdims),
    np.prod: lambda x, axis=None, keepdims=False: _tensor(x).prod(axis, keepdims),
    np.max: lambda x, axis=None, keepdims=False: _tensor(x).max(axis, keepdims),
    np.min: lambda x, axis=None, keepdims=False: _tensor(x).min(axis, keepdims),
}


# results that are not differentiable quantities (shapes, flags, indices), so
# reading them from a Tensor that requires grad loses nothing
NO_GRADIENT_FUNCTIONS = {np.shape, np.ndim, np.size, np.result_type, np.allclose, np.isclose,
                         np.array_equal, np.argmax, np.argmin, np.argsort, np.nonzero,
                         np.count_nonzero, np.any, np.all, np.array2string, np.array_repr}


def where(condition, a, b):
    """`a` where `condition` holds, else `b`; the gradient follows the choice."""
    condition = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    return ops.Where.apply(condition.astype(bool, copy=False), a, b)


def _needs_grad(args):
    for a in args:
        if isinstance(a, Tensor) and a.requires_grad:
            return True
        if isinstance(a, (list, tuple)) and _needs_grad(a):
            return True
    return False


def _plain(x):
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(i) for i in x)
    return x


def array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and not kwargs.get("out"):
        rule = UFUNCS.get(ufunc)
        if rule is not None:
            return rule(*inputs)
        if ufunc in NO_GRADIENT_UFUNCS:
            return no_grad_result(ufunc, *inputs)
    if _needs_grad(inputs) or _needs_grad(kwargs.get("out", ())):
        raise TypeError(f"numpy.{ufunc.__name__}{'' if method == '__call__' else '.' + method} has "
                        "no gradient rule for Tensors that require grad; use the Tensor "
                        "method, or t.detach().numpy() to compute without a gradient")
    return getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs))


def array_function(func, args, kwargs):
    rule = FUNCTIONS.get(func)
    if rule is not None:
        return rule(*args, **kwargs)
    if func not in NO_GRADIENT_FUNCTIONS and (_needs_grad(args) or _needs_grad(tuple(kwargs.values()))):
        raise TypeError(f"numpy.{func.__name__} has no gradient rule for Tensors that require "
                        "grad; use Tensor methods, or t.detach().numpy() to compute without "
                        "a gradient")
    return func(*_plain(args), **_plain(kwargs))
