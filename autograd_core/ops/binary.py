"""Elementwise functions of two inputs, numpy's ufuncs: out = f(a, b).

Each rule is one line: numpy's forward and the gradient for each input, as
numpy calls on the incoming gradient `g`, the inputs and the output.
Broadcasting is summed back by the engine. Where a formula divides by
something that can be 0, it divides by a safe stand-in instead (1 where the
answer is known to be 0), so no branch is ever nan: under create_graph an
unselected nan still poisons the second derivative.
"""
import math

import numpy as np

from ..function import Function

LN2 = math.log(2.0)


def binary(name, f, grad_a, grad_b):
    """A `Function` computing `f(a, b)`; `grad_a(g, a, b, out)` and
    `grad_b(...)` give the gradient for each input."""

    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = f(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return (grad_a(grad, a, b, out) if need_a else None,
                    grad_b(grad, a, b, out) if need_b else None)

    return type(name, (Function,), {"forward": staticmethod(forward),
                                    "backward": staticmethod(backward), "same_float": (0, 1),
                                    "__module__": __name__, "__doc__": f"numpy.{f.__name__}"})


def nonzero_or_one(x):
    return np.where(x == 0, 1, x)


def zero(g, *_):
    return np.zeros_like(g)


Remainder = binary("Remainder", np.remainder, lambda g, a, b, out: g,
                   lambda g, a, b, out: -g * np.floor(a / b))
Fmod = binary("Fmod", np.fmod, lambda g, a, b, out: g,
              lambda g, a, b, out: -g * np.trunc(a / b))
Logaddexp = binary("Logaddexp", np.logaddexp, lambda g, a, b, out: g * np.exp(a - out),
                   lambda g, a, b, out: g * np.exp(b - out))
Logaddexp2 = binary("Logaddexp2", np.logaddexp2, lambda g, a, b, out: g * np.exp2(a - out),
                    lambda g, a, b, out: g * np.exp2(b - out))
# atan2(a, b) is the angle of the point (b, a); at the origin the gradient is 0, as PyTorch's
Arctan2 = binary("Arctan2", np.arctan2, lambda g, a, b, out: g * b / nonzero_or_one(a * a + b * b),
                 lambda g, a, b, out: -g * a / nonzero_or_one(a * a + b * b))
# a 2-norm: its gradient at (0, 0) is 0 at first and second order, as for linalg.norm
Hypot = binary("Hypot", np.hypot, lambda g, a, b, out: a * np.where(out == 0, 0, g / nonzero_or_one(out)),
               lambda g, a, b, out: b * np.where(out == 0, 0, g / nonzero_or_one(out)))
# |a| with b's sign: slope +-1 (0 at a == 0, as PyTorch's), and flat in b
Copysign = binary("Copysign", np.copysign,
                  lambda g, a, b, out: g * np.where(a == 0, 0, np.sign(a) * np.sign(out)), zero)


class Fmax(Function):
    """Elementwise max ignoring nan; ties share the gradient, as in maximum."""
    pick = staticmethod(np.fmax)
    same_float = (0, 1)

    @classmethod
    def forward(cls, ctx, a, b):
        out = cls.pick(a, b)
        chosen = (out == a) & (out != b) | np.isnan(b) & ~np.isnan(a)
        ctx.share_a = (chosen + 0.5 * ((a == b) & ~chosen)).astype(out.dtype)
        return out

    @staticmethod
    def backward(ctx, grad):
        share_a = ctx.share_a  # a constant: the derivative of a mask is 0
        return grad * share_a, grad * (1 - share_a)


class Fmin(Fmax):
    """Elementwise min ignoring nan; ties share the gradient."""
    pick = staticmethod(np.fmin)
