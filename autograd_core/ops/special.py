"""scipy.special's ufuncs. scipy stays optional: this module is imported
only when a scipy ufunc reaches a Tensor, so scipy is already loaded."""
import math

import numpy as np
import scipy.special as sp

from ..function import Function
from .binary import binary
from .unary import unary

TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0
ONE_OVER_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def polygamma(n, x):
    """polygamma(n, x), recorded when x is a Tensor (its slope is polygamma(n + 1, x))."""
    return Polygamma.apply(n, x) if hasattr(x, "_ctx") else sp.polygamma(n, x)


class Polygamma(Function):
    @staticmethod
    def forward(ctx, n, x):
        ctx.n = n
        ctx.save_for_backward(x)
        return sp.polygamma(n, x).astype(np.result_type(x, np.float32), copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return None, grad * polygamma(ctx.n + 1, x)


def _flat_at(x, y, edge):
    """Where x log y is 0 for want of a logarithm: x == 0 and y at or below
    the edge of log's domain. There both gradients are 0."""
    return (x == 0) & (y <= edge)

Erf = unary("Erf", sp.erf, lambda x, y: TWO_OVER_SQRT_PI * np.exp(-(x * x)))
Erfc = unary("Erfc", sp.erfc, lambda x, y: -TWO_OVER_SQRT_PI * np.exp(-(x * x)))
Erfinv = unary("Erfinv", sp.erfinv, lambda x, y: SQRT_PI_OVER_TWO * np.exp(y * y))
Erfcinv = unary("Erfcinv", sp.erfcinv, lambda x, y: -SQRT_PI_OVER_TWO * np.exp(y * y))
Ndtr = unary("Ndtr", sp.ndtr, lambda x, y: ONE_OVER_SQRT_2PI * np.exp(-0.5 * (x * x)))
Gamma = unary("Gamma", sp.gamma, lambda x, y: y * sp.digamma(x))
Expit = unary("Expit", sp.expit, lambda x, y: y * (1 - y))
Logit = unary("Logit", sp.logit, lambda x, y: 1 / (x * (1 - x)))
Gammaln = unary("Gammaln", sp.gammaln, lambda x, y: sp.digamma(x))
Digamma = unary("Digamma", sp.digamma, lambda x, y: polygamma(1, x))
# x log y: the gradients are log y and x / y, except where x == 0 and y <= 0 (no
# logarithm there, and the function is 0 all around): 0 for both, with the formulas
# run on a safe y so that neither branch is nan (PyTorch's x / y is nan at (0, 0))
Xlogy = binary("Xlogy", sp.xlogy,
               lambda g, x, y, out: g * np.where(_flat_at(x, y, 0), 0, np.log(np.where(_flat_at(x, y, 0), 1, y))),
               lambda g, x, y, out: g * x / np.where(_flat_at(x, y, 0), 1, y))
Xlog1py = binary("Xlog1py", sp.xlog1py,
                 lambda g, x, y, out: g * np.where(_flat_at(x, y, -1), 0,
                                                   np.log1p(np.where(_flat_at(x, y, -1), 0, y))),
                 lambda g, x, y, out: g * x / np.where(_flat_at(x, y, -1), 1, 1 + y))

RULES = {
    sp.erf: Erf.apply, sp.erfc: Erfc.apply, sp.erfinv: Erfinv.apply, sp.erfcinv: Erfcinv.apply,
    sp.ndtr: Ndtr.apply, sp.gamma: Gamma.apply, sp.expit: Expit.apply, sp.logit: Logit.apply,
    sp.gammaln: Gammaln.apply, sp.digamma: Digamma.apply, sp.psi: Digamma.apply,
    sp.xlogy: Xlogy.apply, sp.xlog1py: Xlog1py.apply,
}
