"""The scalar engine: each op against a central difference, and a whole
expression against PyTorch."""
import math
import sys

import pytest

from autograd_core import Tensor, Value

UNARY = {
    "exp": (lambda v: v.exp(), 0.7),
    "log": (lambda v: v.log(), 1.3),
    "tanh": (lambda v: v.tanh(), -0.4),
    "sigmoid": (lambda v: v.sigmoid(), 0.9),
    "relu": (lambda v: v.relu(), 0.6),
    "neg": (lambda v: -v, 0.2),
    "pow_number": (lambda v: v ** 3, -1.1),
    "rpow": (lambda v: 2.0 ** v, 0.5),
    "rsub": (lambda v: 3 - v, 0.5),
    "rdiv": (lambda v: 3 / v, 0.5),
    "radd_rmul": (lambda v: 2 + 3 * v, 0.5),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
}


def central_difference(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_finite_difference(name):
    op, x0 = UNARY[name]
    x = Value(x0)
    y = op(x)
    y.backward()
    expected = central_difference(lambda t: op(Value(t)).data, x0)
    assert x.grad == pytest.approx(expected, rel=1e-6, abs=1e-8)
    assert y.grad == 1.0


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_finite_difference(name):
    op = BINARY[name]
    a0, b0 = 1.7, 0.6
    a, b = Value(a0), Value(b0)
    op(a, b).backward()
    assert a.grad == pytest.approx(central_difference(lambda t: op(Value(t), Value(b0)).data, a0), rel=1e-6)
    assert b.grad == pytest.approx(central_difference(lambda t: op(Value(a0), Value(t)).data, b0), rel=1e-6)


def test_shared_node_gets_sum_of_paths():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_every_node_keeps_its_grad_and_numbers_are_constants():
    x = Value(2.0, label="x")
    y = x * 3.0
    z = y.tanh()
    z.backward()
    assert y.grad == pytest.approx(1 - math.tanh(6.0) ** 2)
    assert y.const == 3.0 and y._parents == (x, None)
    assert x.label == "x" and y.op == "*" and x.op == ""


def test_expression_matches_torch(torch):
    # micrograd's README example, checked against PyTorch
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    ta = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    tc = ta + tb
    td = ta * tb + tb ** 3
    tc = tc + tc + 1
    tc = tc + 1 + tc + (-ta)
    td = td + td * 2 + (tb + ta).relu()
    td = td + 3 * td + (tb - ta).relu()
    te = tc - td
    tf = te ** 2
    tg = tf / 2.0
    tg = tg + 10.0 / tf
    tg.backward()
    assert g.data == pytest.approx(tg.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_sigmoid_and_exp_do_not_overflow():
    for x0 in (-1000.0, 1000.0):
        x = Value(x0)
        s = x.sigmoid()
        s.backward()
        assert s.data in (0.0, 1.0) and x.grad == 0.0
    assert Value(1000.0).exp().data == math.inf


def test_a_chain_twenty_times_the_recursion_limit_deep():
    """No recursion anywhere (a million nodes is a row of bench/run.py)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default
    try:
        x = Value(1.0)
        y = x
        for _ in range(10_000):
            y = y * 1.0
            y = y + 0.0
        y.backward()
        assert x.grad == 1.0
        del y  # freeing a deep chain must not recurse either
    finally:
        sys.setrecursionlimit(limit)


def test_log_of_non_positive_is_a_clear_error():
    with pytest.raises(ValueError, match="log of a Value <= 0"):
        Value(-1.0).log()


def test_mixing_value_and_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="Value"):
        Value(1.0) * Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="cannot mix a scalar Value with Tensors"):
        Tensor([1.0, 2.0]) * Value(1.0)
    with pytest.raises(TypeError, match="combines only with numbers"):
        Value(1.0) + "2"


# -- one rule per op: Value and a 0-d Tensor agree, values and gradients --------
import itertools  # noqa: E402

import numpy as np  # noqa: E402

SHARED_UNARY = {
    "neg": lambda x: -x, "exp": lambda x: x.exp(), "sqrt": lambda x: x.sqrt(),
    "abs": lambda x: x.abs(), "sin": lambda x: x.sin(), "cos": lambda x: x.cos(),
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "relu": lambda x: x.relu(),
    "log": lambda x: x.log(), "pow_number": lambda x: x ** 3, "pow_zero": lambda x: x ** 0,
    "pow_half": lambda x: x ** 0.5, "rpow": lambda x: 2.0 ** x, "rpow_zero_base": lambda x: 0.0 ** x,
    "rdiv": lambda x: 1.0 / x, "radd_rmul_rsub": lambda x: 1 - 2 * (x + 3),
}
SHARED_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
                 "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}
POINTS = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 0.3]


def _same(ours, theirs):
    assert (math.isnan(ours) and math.isnan(theirs)) or ours == pytest.approx(theirs, rel=1e-12), \
        (ours, theirs)


def _value_result(f, *xs):
    vs = [Value(x) for x in xs]
    try:
        out = f(*vs)
    except ValueError:  # Value's log refuses x <= 0 with a clear error; nothing to compare
        return None
    out.backward()
    return out.data, [v.grad for v in vs]


def _tensor_result(f, *xs):
    ts = [Tensor(np.float64(x), requires_grad=True) for x in xs]
    with np.errstate(all="ignore"):
        out = f(*ts)
        out.backward()
    return out.item(), [t.grad.item() for t in ts]


@pytest.mark.parametrize("name", sorted(SHARED_UNARY))
def test_value_and_tensor_agree_on_every_unary_op(name):
    for x in POINTS:
        ours = _value_result(SHARED_UNARY[name], x)
        if ours is None:
            assert name == "log" and x <= 0
            continue
        theirs = _tensor_result(SHARED_UNARY[name], x)
        _same(ours[0], theirs[0])
        _same(ours[1][0], theirs[1][0])


@pytest.mark.parametrize("name", sorted(SHARED_BINARY))
def test_value_and_tensor_agree_on_every_binary_op(name):
    for a, b in itertools.product(POINTS, POINTS):
        ours, theirs = _value_result(SHARED_BINARY[name], a, b), \
            _tensor_result(SHARED_BINARY[name], a, b)
        _same(ours[0], theirs[0])
        for g, h in zip(ours[1], theirs[1]):
            _same(g, h)


def test_pow_boundaries_are_pytorchs(torch):
    for a, b in itertools.product(POINTS, POINTS):
        ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        (ta ** tb).backward()
        ours = _value_result(lambda x, y: x ** y, a, b)
        _same(ours[1][0], ta.grad.item())
        _same(ours[1][1], tb.grad.item())


def test_value_reads_like_a_number():
    a = Value(2.0)
    assert f"{a:.3f}" == "2.000" and a < 3 and a >= 2.0 and a == Value(2.0) and a != 1
    assert {a: 1}[a] == 1  # still a node: hashed by identity
    with pytest.raises(TypeError, match="a Value holds one number"):
        Value(np.array([2.0]))
    assert Value(np.float32(1.5)).data == 1.5


def test_a_sweeps_findings_against_pytorch(torch):
    """Overflowing odd powers keep their sign, the divisor's gradient does
    not overflow, 0-d arrays and tensors compare by value, Value(v) refuses to
    cut the graph, sin/cos of inf are nan, and a cleared grad (None) accumulates."""
    import numpy as np
    for base, exponent in ((-1e200, 3.0), (-10.0, 401.0), (-0.0, -1.0), (0.0, -1.0), (-0.0, -2.0)):
        ours = (Value(base) ** exponent).data
        theirs = (torch.tensor(base, dtype=torch.float64) ** exponent).item()
        assert ours == theirs, (base, exponent)
    x, tx = Value(-1e200), torch.tensor(-1e200, dtype=torch.float64, requires_grad=True)
    (x ** 4).backward()
    (tx ** 4).backward()
    assert x.grad == tx.grad.item()
    for a, b in ((1e-160, 1e-160), (1.0, 1e-200), (3.0, -2.0)):
        va, vb = Value(a), Value(b)
        ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
        (va / vb).backward()
        (ta / tb).backward()
        assert vb.grad == pytest.approx(tb.grad.item(), rel=1e-15)
    assert Value(2.0) == np.array(2.0) and Value(2.0) == torch.tensor(2.0)
    assert Value(1.0) == np.bool_(True) and not (Value(2.0) != np.array(2.0))
    with pytest.raises(TypeError, match="would cut the graph"):
        Value(Value(1.0) * 2)
    assert math.isnan(Value(math.inf).sin().data) and math.isnan(Value(-math.inf).cos().data)
    w = Value(2.0)
    w.grad = None
    (w * 3).backward()
    assert w.grad == 3.0


def test_a_reviewers_findings_on_those_fixes(torch):
    import numpy as np
    assert not Value(2.0) == np.str_("2.0") and not Value(2.0) == np.array("2.0")
    assert not Value(2.0) == np.array(None, dtype=object) and not Value(2.0) == np.array(2 + 0j)
    a, b = Value(1.7e308), Value(2.0)
    ((a / b) * -2.5).backward()
    assert b.grad == pytest.approx(1.0625e308)
    v = Value(1.0)
    v.grad = None
    assert "grad=None" in repr(v)
