"""numpy functions and ufuncs applied to Tensors: the table of rules.

`arr * t`, `np.exp(t)` or `np.einsum("ij,jk", a, t)` give Tensors that carry
the gradient. This is also what makes backward rules differentiable: under
`create_graph=True` they run on Tensors, and every numpy call they make lands
here. One line per function: the rule (a `Function` from ops/, or a function
with numpy's signature written with them). Functions whose results carry no
gradient (indices, flags, piecewise constants) are plain lists below: they
work on any Tensor and give Tensors without a gradient. A function in none of
these lists works on Tensors that need no gradient (or under no_grad) and
raises for those that do, naming the closest supported way (numpy_dispatch.py
does the calling; numpy_inplace.py has the functions that write in place).
"""
import sys

import numpy as np

from . import ops
from .engine import is_grad_enabled
from .numpy_dispatch import (Rule, missing_rule, needs_grad, no_gradient_ufunc, plain,
                             qualified_name, refuse_out, refuse_ufunc_out, tensor, ufunc_call,
                             under_dtype_rule)
from .numpy_inplace import WRITES, ufunc_at, write_into
from .ops import (binary, decompositions as la, einsum as es, gather, joining, layout, norms,
                  products, scans, sorting, statistics as stats, unary, extras)
from .tensor import Tensor

where = sorting.where


def no_grad_result(ufunc, *args):
    """`ufunc` on the arrays of `args`, as a Tensor that carries no gradient
    (comparisons and logic: Tensor's operators)."""
    arrays = [a.data if isinstance(a, Tensor) else a for a in args]
    return Tensor._make(np.asarray(under_dtype_rule(ufunc, arrays)), False, None, ())

UFUNCS = {
    np.add: ops.Add.apply, np.subtract: ops.Sub.apply, np.multiply: ops.Mul.apply,
    np.true_divide: ops.Div.apply, np.power: ops.Pow.apply, np.float_power: extras.float_power,
    np.negative: ops.Neg.apply, np.positive: unary.Positive.apply,
    np.conjugate: unary.Positive.apply,  # real numbers: the identity
    np.maximum: ops.maximum, np.minimum: ops.minimum, np.fmax: binary.Fmax.apply,
    np.fmin: binary.Fmin.apply, np.matmul: ops.matmul,
    np.exp: ops.Exp.apply, np.exp2: unary.Exp2.apply, np.expm1: unary.Expm1.apply,
    np.log: ops.Log.apply, np.log2: unary.Log2.apply, np.log10: unary.Log10.apply,
    np.log1p: unary.Log1p.apply, np.sqrt: ops.Sqrt.apply, np.cbrt: unary.Cbrt.apply,
    np.square: unary.Square.apply, np.reciprocal: unary.Reciprocal.apply,
    np.absolute: ops.Abs.apply, np.fabs: unary.Fabs.apply,
    np.sin: ops.Sin.apply, np.cos: ops.Cos.apply, np.tan: unary.Tan.apply,
    np.arcsin: unary.Arcsin.apply, np.arccos: unary.Arccos.apply, np.arctan: unary.Arctan.apply,
    np.sinh: unary.Sinh.apply, np.cosh: unary.Cosh.apply, np.tanh: ops.Tanh.apply,
    np.arcsinh: unary.Arcsinh.apply, np.arccosh: unary.Arccosh.apply,
    np.arctanh: unary.Arctanh.apply,
    np.deg2rad: unary.Deg2rad.apply, np.radians: unary.Deg2rad.apply,
    np.rad2deg: unary.Rad2deg.apply, np.degrees: unary.Rad2deg.apply,
    np.remainder: binary.Remainder.apply, np.fmod: binary.Fmod.apply,
    np.logaddexp: binary.Logaddexp.apply, np.logaddexp2: binary.Logaddexp2.apply,
    np.arctan2: binary.Arctan2.apply, np.hypot: binary.Hypot.apply,
    np.copysign: binary.Copysign.apply,
}

# piecewise constant: no gradient to carry
NO_GRADIENT_UFUNCS = {
    np.sign, np.floor, np.ceil, np.rint, np.trunc, np.signbit, np.spacing, np.floor_divide,
    np.isnan, np.isinf, np.isfinite, np.equal, np.not_equal, np.less, np.less_equal,
    np.greater, np.greater_equal, np.logical_and, np.logical_or, np.logical_xor,
    np.logical_not, np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert,
    np.left_shift, np.right_shift, np.gcd, np.lcm,
}

# ufunc.reduce / .accumulate, as the Tensor reductions and scans
REDUCE = {np.add: stats.sum, np.multiply: stats.prod, np.maximum: stats.amax,
          np.minimum: stats.amin}
ACCUMULATE = {np.add: scans.cumsum, np.multiply: scans.cumprod}

FUNCTIONS = {f: Rule(f, impl) for f, impl in [
    # elementwise functions that are not ufuncs
    (np.where, sorting.where), (np.clip, extras.clip), (np.sinc, extras.sinc),
    (np.nan_to_num, extras.nan_to_num), (np.real, extras.real),
    (np.real_if_close, extras.real_if_close), (np.copy, extras.copy),
    (np.linspace, extras.linspace),
    # reductions and scans
    (np.sum, stats.sum), (np.prod, stats.prod), (np.mean, stats.mean),
    (np.max, stats.amax), (np.amax, stats.amax), (np.min, stats.amin), (np.amin, stats.amin),
    (np.var, stats.var), (np.std, stats.std), (np.nansum, stats.nansum),
    (np.nanmean, stats.nanmean), (np.average, stats.average), (np.ptp, stats.ptp),
    (np.cumsum, scans.cumsum), (np.cumprod, scans.cumprod), (np.diff, scans.diff),
    (np.gradient, scans.gradient),
    (np.cumulative_sum, extras.cumulative_sum), (np.cumulative_prod, extras.cumulative_prod),
    # products
    (np.dot, products.dot), (np.inner, products.inner), (np.outer, products.outer),
    (np.vdot, products.vdot), (np.tensordot, products.tensordot), (np.einsum, es.einsum),
    (np.kron, products.kron), (np.cross, products.cross), (np.trace, products.trace),
    # shape
    (np.reshape, layout.reshape), (np.ravel, layout.ravel), (np.transpose, layout.transpose),
    (np.permute_dims, layout.transpose), (np.swapaxes, layout.swapaxes),
    (np.matrix_transpose, extras.matrix_transpose), (np.moveaxis, layout.moveaxis),
    (np.rollaxis, layout.rollaxis), (np.expand_dims, layout.expand_dims),
    (np.squeeze, layout.squeeze), (np.atleast_1d, layout.atleast_1d),
    (np.atleast_2d, layout.atleast_2d), (np.atleast_3d, layout.atleast_3d),
    (np.broadcast_to, layout.broadcast_to), (np.broadcast_arrays, layout.broadcast_arrays),
    (np.flip, layout.flip), (np.flipud, layout.flipud), (np.fliplr, layout.fliplr),
    (np.rot90, layout.rot90), (np.roll, layout.roll), (np.tile, layout.tile),
    (np.repeat, layout.repeat), (np.diag, layout.diag), (np.diagonal, layout.diagonal),
    (np.tril, layout.tril), (np.triu, layout.triu), (np.pad, layout.pad),
    (np.take, gather.take), (np.take_along_axis, gather.take_along_axis),
    (np.choose, gather.choose),
    (np.lib.stride_tricks.sliding_window_view, gather.sliding_window_view),
    # joining and splitting
    (np.concatenate, joining.concatenate), (np.concat, joining.concatenate),
    (np.stack, joining.stack), (np.append, joining.append), (np.vstack, joining.vstack),
    (np.row_stack, joining.row_stack), (np.hstack, joining.hstack), (np.dstack, joining.dstack),
    (np.column_stack, joining.column_stack), (np.split, joining.split),
    (np.array_split, joining.array_split), (np.vsplit, joining.vsplit),
    (np.hsplit, joining.hsplit), (np.dsplit, joining.dsplit),
    # sorting and selection
    (np.sort, sorting.sort), (np.partition, sorting.partition), (np.select, sorting.select),
    # linear algebra
    (np.linalg.norm, norms.norm), (np.linalg.inv, la.inv), (np.linalg.det, la.det),
    (np.linalg.slogdet, la.slogdet), (np.linalg.solve, la.solve), (np.linalg.pinv, la.pinv),
    (np.linalg.cholesky, la.cholesky), (np.linalg.eigh, la.eigh),
    (np.linalg.eigvalsh, la.eigvalsh), (np.linalg.svd, la.svd),
    (np.linalg.matrix_transpose, extras.matrix_transpose),
    (np.full_like, extras.full_like),
]}

# results that carry no gradient (indices, counts, flags, rounded values):
# computed on the numbers, returned as Tensors (or numbers) without a gradient
NO_GRADIENT_FUNCTIONS = {
    np.zeros_like, np.ones_like, np.empty_like, np.argsort, np.argpartition, np.argmax,
    np.argmin, np.argwhere, np.nonzero, np.flatnonzero, np.count_nonzero, np.searchsorted,
    np.round, np.around, np.fix, np.isclose, np.isin, np.isneginf, np.isposinf, np.isreal,
    np.iscomplex, np.angle, np.digitize, np.bincount, np.any, np.all, np.lexsort,
    np.nanargmax, np.nanargmin, np.imag, np.tril_indices_from, np.triu_indices_from, np.diag_indices_from,
}

# facts about arrays, not arrays: returned as numpy gives them
INFO_FUNCTIONS = {
    np.shape, np.ndim, np.size, np.result_type, np.allclose, np.array_equal, np.array_equiv,
    np.array2string, np.array_repr, np.array_str, np.iscomplexobj, np.isrealobj,
    np.may_share_memory, np.shares_memory, np.min_scalar_type, np.common_type,
}

# the closest supported way, for functions people reach for that have no rule
SUGGESTIONS = {
    np.nanmax: "np.max(np.where(np.isnan(x), -np.inf, x))",
    np.nanmin: "np.min(np.where(np.isnan(x), np.inf, x))",
    np.nanprod: "np.prod(np.where(np.isnan(x), 1, x))",
    np.nancumsum: "np.cumsum(np.where(np.isnan(x), 0, x))",
    np.nanstd: "np.std of the non-nan values, x[~np.isnan(x)]",
    np.nanvar: "np.var of the non-nan values, x[~np.isnan(x)]",
    np.median: "np.sort(x, axis) and index the middle",
    np.percentile: "np.sort(x, axis) and index or interpolate",
    np.quantile: "np.sort(x, axis) and index or interpolate",
    np.linalg.eig: "np.linalg.eigh, for symmetric matrices",
    np.linalg.eigvals: "np.linalg.eigvalsh, for symmetric matrices",
    np.linalg.lstsq: "np.linalg.pinv(a) @ b, or np.linalg.solve(a.T @ a, a.T @ b)",
    np.linalg.matrix_power: "repeated @ (np.linalg.inv for negative powers)",
    np.linalg.multi_dot: "a chain of @",
    np.convolve: "np.lib.stride_tricks.sliding_window_view then np.einsum",
    np.correlate: "np.lib.stride_tricks.sliding_window_view then np.einsum",
    np.trapezoid: "np.sum((y[1:] + y[:-1]) / 2 * np.diff(x))",
    np.interp: "np.searchsorted for the bins, then the linear formula with np.take",
    np.unique: "np.sort then a mask of np.diff(...) != 0",
}


def array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__":
        rule = UFUNCS.get(ufunc) or scipy_rule(ufunc)
        if rule is not None:
            out = ufunc_call(ufunc, rule, inputs, kwargs) if kwargs else rule(*inputs)
            if type(out) is Tensor and out.data.dtype.kind == "c":
                refuse_complex(ufunc, inputs)
            return out
        if ufunc in NO_GRADIENT_UFUNCS:
            return no_gradient_ufunc(ufunc, inputs, kwargs)
    elif method in ("reduce", "accumulate") and ufunc in (REDUCE if method == "reduce" else ACCUMULATE):
        return extras.ufunc_method(ufunc, method, inputs, kwargs, REDUCE, ACCUMULATE)
    elif method == "outer" and (ufunc in UFUNCS or scipy_rule(ufunc)) and ufunc.nin == 2:
        return extras.ufunc_outer(ufunc, UFUNCS.get(ufunc) or scipy_rule(ufunc), inputs, kwargs)
    elif method == "at":
        return ufunc_at(ufunc, inputs, kwargs)
    what = qualified_name(ufunc) + ("" if method == "__call__" else "." + method)
    refuse_ufunc_out(what, kwargs)  # (it would write into a Tensor behind the graph)
    if ufunc in NO_GRADIENT_UFUNCS and method != "__call__":
        return tensor(getattr(ufunc, method)(*plain(inputs), **plain(kwargs)))
    if is_grad_enabled() and (needs_grad(inputs) or needs_grad(tuple(kwargs.values()))):
        missing_rule(what, ufunc_suggestion(ufunc, method))
    return getattr(ufunc, method)(*plain(inputs), **plain(kwargs))


def array_function(func, args, kwargs):
    if func in WRITES:  # into an argument, in place
        return write_into(func, args, kwargs)
    rule = FUNCTIONS.get(func)
    if rule is not None:
        out = rule(*args, **kwargs)
        if type(out) is Tensor and out.data.dtype.kind == "c":
            refuse_complex(func, args)
        return out
    if func not in INFO_FUNCTIONS:
        refuse_out(func, args, kwargs)
    if func in NO_GRADIENT_FUNCTIONS:
        return tensor(func(*plain(args), **plain(kwargs)))
    if func not in INFO_FUNCTIONS and is_grad_enabled() and (needs_grad(args) or
                                                             needs_grad(tuple(kwargs.values()))):
        missing_rule(qualified_name(func), function_suggestion(func))
    return func(*plain(args), **plain(kwargs))


def refuse_complex(f, args):
    """Complex numbers stay out: a Tensor holds real numbers."""
    if needs_grad(args):
        raise TypeError(f"{qualified_name(f)} gave complex numbers, which have no gradient "
                        "here (a Tensor holds real numbers): keep the computation real, or "
                        "compute on t.detach().numpy()")


_scipy_rules = None


def scipy_rule(ufunc):
    """scipy.special's rules, loaded once scipy is (scipy stays optional)."""
    global _scipy_rules
    if _scipy_rules is None:
        if "scipy.special" not in sys.modules:
            return None
        from .ops import special
        _scipy_rules = special.RULES
    return _scipy_rules.get(ufunc)


GENERIC_FIX = ("write it as an autograd_core.Function (forward and backward in numpy, like "
               "the ops in autograd_core/ops/), or compute without a gradient on t.detach()")


def function_suggestion(func):
    if func in SUGGESTIONS:
        return f"the closest supported way: {SUGGESTIONS[func]}; or {GENERIC_FIX}"
    return GENERIC_FIX


def ufunc_suggestion(ufunc, method):
    name = ufunc.__name__
    if method != "__call__":
        return (f"call {qualified_name(ufunc)} itself (or the reductions np.sum, np.prod, "
                f"np.max, np.min, np.cumsum); or {GENERIC_FIX}")
    if callable(getattr(Tensor, name, None)):
        return f"use the Tensor method t.{name}(), or {GENERIC_FIX}"
    return GENERIC_FIX
