"""Every built-in op as a `Function`; see elementwise.py for the pattern."""
from .elementwise import (Abs, Add, Cast, Clip, Cos, Div, Exp, Log, Maximum,  # noqa: F401
                          Minimum, Mul, Neg, Pow, Relu, Sigmoid, Sin, Sqrt, StdSqrt, Sub, Tanh,
                          Where, maximum, minimum)
from .linalg import Matmul, matmul  # noqa: F401
from .reduce import Max, Min, Prod, Sum  # noqa: F401
from .shape import (BroadcastTo, Cat, GetItem, IndexAdd, Pad, Reshape, Transpose, View,  # noqa: F401
                    cat, stack)
