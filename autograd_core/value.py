"""`Value`: a scalar on Python floats, for teaching and small graphs.

Each op is one line of the table `RULES`: its forward and, beside it, its
backward (the local derivatives times the upstream gradient `g`). The reverse
sweep in `engine.py` is the same one `Tensor` uses.
"""
import math
import numbers

import numpy as np

from . import engine
from .engine import next_seq


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _div(a, b):
    """a / b with IEEE results (inf, nan) where Python would raise, as numpy and PyTorch."""
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * \
            math.copysign(1.0, b)


def _pow(a, b):
    odd = b == int(b) and int(b) % 2 == 1 if math.isfinite(b) else False
    try:
        return math.pow(a, b)
    except OverflowError:  # a negative base to an odd power keeps its sign, as in IEEE
        return -math.inf if odd and a < 0 else math.inf
    except ValueError:  # negative base, fractional exponent, or 0 ** negative (-0.0: -inf
        if a == 0:  # for an odd power)
            return math.copysign(math.inf, a) if odd else math.inf
        return math.nan


def _log(x):
    if x <= 0:
        raise ValueError(f"log of a Value <= 0 (data={x!r}) is undefined; "
                         "keep the argument positive, e.g. log(x + eps)")
    return math.log(x)


def _sqrt(x):
    return math.sqrt(x) if x >= 0 else math.nan


def _sin(x):
    return math.sin(x) if math.isfinite(x) else math.nan  # (math raises at inf: IEEE's nan)


def _cos(x):
    return math.cos(x) if math.isfinite(x) else math.nan


def _sigmoid(x):  # never evaluates exp of a large positive number
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _pow_rule(g, a, b, out):
    """PyTorch's: d/da is 0 where b == 0; d/db = a ** b log(a) is 0 where
    a == 0 and b >= 0, nan for a negative base (ops/elementwise.py's Pow)."""
    d_base = g * b * _pow(a, b - 1) if b != 0 else 0.0
    if a > 0:
        d_exponent = g * out * math.log(a)
    elif a == 0:
        d_exponent = 0.0 if b >= 0 else g * out * -math.inf
    else:
        d_exponent = math.nan
    return d_base, d_exponent


def _sign(x):
    return (x > 0) - (x < 0)  # 0 at 0: |x| has slope 0 there, as in PyTorch


# op: (forward on floats, backward: (g, *inputs, out) -> the input's gradient,
#      or a pair of them for a binary op). The same rules as the Tensor ops
#      in ops/elementwise.py; tests/autograd_core/test_value.py compares the two.
RULES = {
    "+":       (lambda a, b: a + b,  lambda g, a, b, out: (g, g)),
    "-":       (lambda a, b: a - b,  lambda g, a, b, out: (g, -g)),
    "*":       (lambda a, b: a * b,  lambda g, a, b, out: (g * b, g * a)),
    "/":       (_div,                lambda g, a, b, out: (_div(g, b), -_div(g, b) * out)),
    "**":      (_pow,                _pow_rule),
    "neg":     (lambda a: -a,        lambda g, a, out: -g),
    "exp":     (_exp,                lambda g, a, out: g * out),
    "log":     (_log,                lambda g, a, out: g / a),
    "sqrt":    (_sqrt,               lambda g, a, out: _div(g, 2 * out)),
    "abs":     (abs,                 lambda g, a, out: g * _sign(a)),
    "sin":     (_sin,                lambda g, a, out: g * _cos(a)),
    "cos":     (_cos,                lambda g, a, out: -g * _sin(a)),
    "tanh":    (math.tanh,           lambda g, a, out: g * (1.0 - out * out)),
    "sigmoid": (_sigmoid,            lambda g, a, out: g * out * (1.0 - out)),
    "relu":    (lambda a: max(a, 0.0), lambda g, a, out: g if a > 0 else 0.0),
}


class Value:
    """A scalar node: `.data` and `.grad` are floats; every node keeps its grad.

    A Python number in an op is a constant, not a node: it is kept in
    `.const` and gets no gradient (its place among the parents is None).
    """

    # The operands sit in two slots rather than a tuple: one object per op
    # instead of two halves the work of Python's cyclic garbage collector,
    # which dominates the cost of building large scalar graphs.
    __slots__ = ("data", "grad", "label", "op", "const", "_a", "_b", "_seq", "_step")
    __hash__ = object.__hash__  # `==` compares values; a node is its own key
    _hooks = None
    _keeps_grad = True  # micrograd semantics: every node shows its gradient

    def __init__(self, data, label="", _op="", _a=None, _b=None, _const=None):
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = _op
        self._a = _a
        self._b = _b
        self.const = _const
        self._seq = next_seq()

    @property
    def _parents(self):
        """The nodes this one was computed from (None in place of a number)."""
        if not self.op:
            return ()
        return (self._a,) if self._b is None and self.const is None else (self._a, self._b)

    @property
    def inputs(self):
        """The operands: Values, or the number for a constant; () for a leaf."""
        return tuple(self.const if p is None else p for p in self._parents)

    @property
    def backward_step(self):
        """This node's place (1, 2, ...) in the last reverse sweep through it, or None."""
        return getattr(self, "_step", None)

    def _unary(self, op):
        return Value(RULES[op][0](self.data), "", op, self)

    def _binary(self, op, other, swap=False):
        """`self op other`, or `other op self` when swap; other may be a number."""
        if type(other) is Value:
            a, b = (other, self) if swap else (self, other)
            return Value(RULES[op][0](a.data, b.data), "", op, a, b)
        c = _constant(other, op)
        if swap:
            return Value(RULES[op][0](c, self.data), "", op, None, self, c)
        return Value(RULES[op][0](self.data, c), "", op, self, None, c)

    # -- the protocol of engine.backward_sweep ---------------------------
    def _vjp(self, g, create_graph=False):
        op, a, b, c = self.op, self._a, self._b, self.const
        if not op:
            return ()
        rule = RULES[op][1]
        if b is None and c is None:  # unary
            return ((a, rule(g, a.data, self.data)),)
        ga, gb = rule(g, c if a is None else a.data, c if b is None else b.data, self.data)
        return ((a, ga), (b, gb))  # the sweep skips a None parent (a number)

    def _store_grad(self, g, create_graph=False, shared=False):
        self.grad = g if self.grad is None else self.grad + g  # (None: cleared, as a Tensor's)

    def _release(self):
        pass

    def backward(self):
        """Seed this node's gradient with 1.0 and run the reverse sweep."""
        kept, _ = engine.backward_sweep([self], [1.0])
        engine.store_grads(kept)

    # -- operators ---------------------------------------------------------
    def __add__(self, o): return self._binary("+", o)
    def __radd__(self, o): return self._binary("+", o, swap=True)
    def __sub__(self, o): return self._binary("-", o)
    def __rsub__(self, o): return self._binary("-", o, swap=True)
    def __mul__(self, o): return self._binary("*", o)
    def __rmul__(self, o): return self._binary("*", o, swap=True)
    def __truediv__(self, o): return self._binary("/", o)
    def __rtruediv__(self, o): return self._binary("/", o, swap=True)
    def __pow__(self, o): return self._binary("**", o)
    def __rpow__(self, o): return self._binary("**", o, swap=True)
    def __neg__(self): return self._unary("neg")

    def exp(self): return self._unary("exp")
    def log(self): return self._unary("log")
    def sqrt(self): return self._unary("sqrt")
    def abs(self): return self._unary("abs")
    def sin(self): return self._unary("sin")
    def cos(self): return self._unary("cos")
    def tanh(self): return self._unary("tanh")
    def sigmoid(self): return self._unary("sigmoid")
    def relu(self): return self._unary("relu")
    __abs__ = abs

    # comparisons compare the numbers, and give a bool (no gradient)
    def __lt__(self, o): return self.data < _number(o)
    def __le__(self, o): return self.data <= _number(o)
    def __gt__(self, o): return self.data > _number(o)
    def __ge__(self, o): return self.data >= _number(o)
    def __eq__(self, o):
        o = _number(o)
        array = o.data if hasattr(o, "_ctx") else o  # (a Tensor: its array)
        if type(array) is np.ndarray and array.ndim == 0 and array.dtype.kind in "biuf":
            o = array.item()  # a 0-d array of a real number compares as that number
        elif getattr(o, "ndim", None) == 0 and callable(getattr(o, "is_complex", None)) \
                and not o.is_complex():  # (a 0-d PyTorch tensor)
            o = o.item()
        return _is_number(o) and self.data == o
    def __ne__(self, o): return not self == o
    def __bool__(self): return bool(self.data)

    def __float__(self):
        return self.data

    def __format__(self, spec):
        return format(self.data, spec) if spec else repr(self)

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        grad = "None" if self.grad is None else f"{self.grad:.6g}"
        return f"Value(data={self.data:.6g}, grad={grad}{label})"


def _number(x):
    return x.data if isinstance(x, Value) else x


def _constant(x, op):
    """A number combined with a Value, as a float."""
    if type(x) is float:
        return x
    if isinstance(x, (int, float)) or _is_number(x):
        return float(x)
    raise TypeError(f"Value {op} {type(x).__name__}: a Value combines only with "
                    "numbers and other Values (to mix with arrays, use Tensor)")


def _is_number(x):
    return isinstance(x, (numbers.Real, np.bool_)) and getattr(x, "ndim", 0) == 0


def _as_float(data):
    if isinstance(data, Value):
        raise TypeError("Value(v) of a Value would cut the graph (its gradient would not reach "
                        "v's inputs): use v itself, or Value(v.data) for a constant copy")
    if isinstance(data, (str, bytes)):
        raise TypeError(f"a Value holds one number, not the text {data!r}: convert it first "
                        "with float(...) if that is what you mean")
    if hasattr(data, "_ctx") or getattr(data, "ndim", 0) or isinstance(data, (list, tuple)):
        raise TypeError(f"a Value holds one number, not {type(data).__name__} data of shape "
                        f"{getattr(data, 'shape', len(data) if hasattr(data, '__len__') else '?')}; "
                        "for arrays use Tensor")
    return float(data)  # ints and numpy scalars; raises on anything else
