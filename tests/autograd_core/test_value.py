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


def test_million_node_chain_at_default_recursion_limit():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default
    try:
        x = Value(1.0)
        y = x
        for _ in range(500_000):
            y = y * 1.0
            y = y + 0.0
        y.backward()
        assert x.grad == 1.0
        del y  # freeing a million-deep chain must not recurse either
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
