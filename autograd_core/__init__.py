"""autograd_core: reverse-mode automatic differentiation on numpy.

`Value` (scalars) and `Tensor` (arrays) record the ops you compute; calling
`backward()` runs one reverse sweep of the chain rule over that graph.
"""
from .engine import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .guard import mutation_guard
from .value import Value
from .tensor import Tensor
from .function import Context, Function
from . import inplace, methods, reductions  # noqa: F401  (they attach Tensor's methods)
from . import numpy_methods  # noqa: F401  (and those in numpy's names)
from .ops import cat, maximum, minimum, stack
from .numpy_api import where
from .ops.gather import put_along_axis
from .autograd import grad, trace_backward
from .creation import (arange, default_generator, empty, eye, from_numpy, full, full_like,
                       linspace, logspace, manual_seed, ones, ones_like, rand, rand_like, randn,
                       randn_like, tensor, zeros, zeros_like)
from .checking import GradcheckError, gradcheck, gradgradcheck
from . import functional

__all__ = [
    "Value", "Tensor", "Function", "Context", "tensor", "from_numpy", "zeros", "ones", "full",
    "eye", "arange", "linspace", "logspace", "empty", "randn", "rand", "zeros_like", "ones_like",
    "full_like", "randn_like", "rand_like", "manual_seed", "default_generator", "cat", "stack",
    "where", "put_along_axis", "maximum", "minimum", "grad",
    "trace_backward",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "mutation_guard",
    "gradcheck", "gradgradcheck", "GradcheckError", "functional",
]
__version__ = "0.1.0"
