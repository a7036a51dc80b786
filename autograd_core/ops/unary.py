"""Elementwise functions of one input, numpy's ufuncs: y = f(x).

Each rule is one line: numpy's forward, and dy/dx written as numpy calls on
the input `x` and the output `y`. `unary` turns the pair into a `Function`
whose backward multiplies the incoming gradient by that slope. Because the
slope is numpy calls on saved inputs and outputs, it is recorded in turn
under create_graph=True: second and higher derivatives come free.

Constants are Python floats (math.*), never numpy scalars, so that float32
stays float32.
"""
import math

import numpy as np

from ..function import Function

LN2, LN10, PI = math.log(2.0), math.log(10.0), math.pi
DEG = PI / 180.0


def unary(name, f, slope):
    """A `Function` computing `f(x)`, with d f / dx = `slope(x, y)`."""

    def forward(ctx, x):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            y = f(x)
        ctx.save_for_backward(x, y)
        return y

    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return grad * slope(x, y)

    return type(name, (Function,), {"forward": staticmethod(forward),
                                    "backward": staticmethod(backward),
                                    "__module__": __name__, "__doc__": f"numpy.{f.__name__}"})


def sinc_slope(x, y):
    """(cos(pi x) - sinc(x)) / x; near 0, where that cancels, its series
    -pi^2 x / 3 (1 - pi^2 x^2 / 10). The formula runs on a safe input there,
    so neither branch is ever nan (an unselected nan poisons create_graph)."""
    small = np.abs(x) < 1e-3
    safe = np.where(small, 1.0, x)
    series = x * (-PI * PI / 3) * (1 - x * x * (PI * PI / 10))
    return np.where(small, series, (np.cos(PI * safe) - np.sinc(safe)) / safe)


Log2 = unary("Log2", np.log2, lambda x, y: 1 / (x * LN2))
Log10 = unary("Log10", np.log10, lambda x, y: 1 / (x * LN10))
Log1p = unary("Log1p", np.log1p, lambda x, y: 1 / (1 + x))
Expm1 = unary("Expm1", np.expm1, lambda x, y: y + 1)
Exp2 = unary("Exp2", np.exp2, lambda x, y: y * LN2)
Tan = unary("Tan", np.tan, lambda x, y: 1 + y * y)
Sinh = unary("Sinh", np.sinh, lambda x, y: np.cosh(x))
Cosh = unary("Cosh", np.cosh, lambda x, y: np.sinh(x))
Arcsin = unary("Arcsin", np.arcsin, lambda x, y: 1 / np.sqrt(1 - x * x))
Arccos = unary("Arccos", np.arccos, lambda x, y: -1 / np.sqrt(1 - x * x))
Arctan = unary("Arctan", np.arctan, lambda x, y: 1 / (1 + x * x))
Arcsinh = unary("Arcsinh", np.arcsinh, lambda x, y: 1 / np.sqrt(x * x + 1))
Arccosh = unary("Arccosh", np.arccosh, lambda x, y: 1 / np.sqrt(x * x - 1))
Arctanh = unary("Arctanh", np.arctanh, lambda x, y: 1 / (1 - x * x))
Reciprocal = unary("Reciprocal", np.reciprocal, lambda x, y: -(y * y))
Square = unary("Square", np.square, lambda x, y: 2 * x)
Cbrt = unary("Cbrt", np.cbrt, lambda x, y: 1 / (3 * (y * y)))
Fabs = unary("Fabs", np.fabs, lambda x, y: np.sign(x))  # 0 at 0, as abs
Deg2rad = unary("Deg2rad", np.deg2rad, lambda x, y: DEG)
Rad2deg = unary("Rad2deg", np.rad2deg, lambda x, y: 1 / DEG)
Sinc = unary("Sinc", np.sinc, sinc_slope)
Positive = unary("Positive", np.positive, lambda x, y: 1.0)


class NanToNum(Function):
    """nan and infinities replaced by numbers: the gradient passes where x is
    finite and is 0 at the replaced entries (constants now)."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = np.isfinite(x)
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        return np.where(ctx.finite, grad, 0)
