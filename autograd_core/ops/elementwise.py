"""Elementwise ops: each forward beside its backward.

Backward rules receive `grad` (d loss / d out) and return d loss / d input.
They may return the broadcast shape: the engine sums a gradient back to its
input's shape. They use numpy operators and functions only, so the same rule
runs on arrays (plain backward) and on Tensors (create_graph=True).

Where a rule picks between two formulas with np.where, the formula not
picked is computed on a safe input: under create_graph its derivative is
taken too, and an inf or nan there would poison the picked one (0 * inf).
"""
import math

import numpy as np

from ..function import Function


class Add(Function):
    same_float = (0, 1)
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    same_float = (0, 1)
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Mul(Function):
    same_float = (0, 1)
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        # a's gradient reads b, b's reads a: x * 2 keeps the 2 and not x (as PyTorch),
        # so nothing holds x's array for backward
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Function):
    same_float = (0, 1)
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad  # a's gradient reads only b
        ctx.save_for_backward(a if need_b else None, b)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad / b if need_a else None, -grad * a / (b * b) if need_b else None


class Pow(Function):
    """a ** b. As in PyTorch, d/da is 0 where b == 0 (x ** 0 is constant, even
    at x = 0), and d/db = a ** b log(a) is 0 where a == 0 and b >= 0."""

    elementwise = True

    same_float = (0, 1)

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = a ** b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        da = db = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need_a and isinstance(b, (int, float)):  # the common x ** 2
                da = np.zeros(np.shape(a), a.dtype) if b == 0 else grad * b * a ** (b - 1)
            elif need_a:
                constant = b == 0
                da = np.where(constant, 0, grad * b * np.where(constant, 1, a) ** (b - 1))
            if need_b and isinstance(a, (int, float)) and a > 0:  # the common 2 ** x
                db = grad * out * math.log(a)
            elif need_b:
                flat = (a == 0) & (b >= 0)
                db = np.where(flat, 0, grad * out * np.log(np.where(flat, 1, a)))
        return da, db


class Neg(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Exp(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


class Log(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return grad / x


class Sqrt(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return grad / (2 * out)


class StdSqrt(Function):
    """The square root that turns a variance into a standard deviation: its
    slope at 0 is taken as 0, as PyTorch's std does, so the std of constant
    values has gradient 0 rather than nan."""

    elementwise = True

    @staticmethod
    def forward(ctx, var):
        out = np.sqrt(var)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        zero = out == 0
        return np.where(zero, 0, grad / (2 * np.where(zero, 1, out)))


class Abs(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * np.sign(x)  # 0 at 0, as in PyTorch


class Sin(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * np.cos(x)


class Cos(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return -grad * np.sin(x)


class Tanh(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        # 1 / (1 + e^-x) without ever computing e^(large): no overflow, no nan
        # (integers and booleans in float64: -x would wrap unsigned ones around)
        out = np.exp(-np.logaddexp(0, -(x if x.dtype.kind == "f" else x.astype(np.float64))))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * (1 - out)  # exactly 0 where out is 0 or 1


class Relu(Function):
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        out = np.maximum(x, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out > 0)


class Clip(Function):
    same_float = (0, 1, 2)

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)  # bounds may be arrays: saved, so guarded
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        # np.clip is minimum(maximum(x, lo), hi): the gradient goes where the
        # output came from (x on ties, as PyTorch); bounds may be Tensors too
        x, lo, hi = ctx.saved_tensors
        need_x, need_lo, need_hi = ctx.needs_input_grad
        from_hi = None if hi is None else hi < (x if lo is None else np.maximum(x, lo))
        from_lo = None if lo is None else (x < lo) if hi is None else (x < lo) & ~from_hi
        bound = from_lo if hi is None else from_hi if lo is None else from_lo | from_hi
        return (grad * ~bound if need_x else None,
                grad * from_lo if need_lo else None,
                grad * from_hi if need_hi else None)


class Maximum(Function):
    same_float = (0, 1)
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        out = np.maximum(a, b)
        # where a == b both share the gradient equally, as PyTorch does
        ctx.save_for_backward(((a > b) + 0.5 * (a == b)).astype(out.dtype))
        return out

    @staticmethod
    def backward(ctx, grad):
        share_a, = ctx.saved_tensors  # a constant: the derivative of a mask is 0
        return grad * share_a, grad * (1 - share_a)


def maximum(a, b):
    """Elementwise max; where a == b the two share the gradient."""
    return Maximum.apply(a, b)


class Minimum(Maximum):
    """Elementwise min (as such: -max(-a, -b) would wrap unsigned integers)."""

    @staticmethod
    def forward(ctx, a, b):
        out = np.minimum(a, b)
        ctx.save_for_backward(((a < b) + 0.5 * (a == b)).astype(out.dtype))
        return out


def minimum(a, b):
    """Elementwise min; where a == b the two share the gradient."""
    return Minimum.apply(a, b)


class Where(Function):
    same_float = (1, 2)

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        condition, = ctx.saved_tensors
        return None, np.where(condition, grad, 0), np.where(condition, 0, grad)


class Cast(Function):
    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.astype(ctx.dtype)
