"""Custom ops written by users, and gradient checking tools."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, Tensor


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * 3 * x ** 2


class ScaledAdd(Function):
    """a + scale * b, with a Python number among the arguments."""

    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.scale = scale
        ctx.seen = ctx.needs_input_grad
        return a + scale * b

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b, _ = ctx.needs_input_grad
        return (grad if need_a else None), (grad * ctx.scale if need_b else None), None


def test_custom_function_forward_backward_and_checks():
    x = Tensor(np.array([0.5, -1.5, 2.0]), requires_grad=True)
    y = Cube.apply(x)
    assert y.op == "Cube"
    np.testing.assert_allclose(y.data, x.data ** 3)
    y.backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(x.grad.data, 3 * x.data ** 2 * [1, 2, 3])
    assert ag.gradcheck(Cube.apply, (x,))
    assert ag.gradgradcheck(Cube.apply, (x,))  # backward written in numpy operators


def test_needs_input_grad_and_non_tensor_arguments():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3))  # a constant
    out = ScaledAdd.apply(a, b, 2.0)
    assert out._ctx.seen == (True, False, False)
    out.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1, 1, 1])
    assert b.grad is None


def test_forward_reads_needs_input_grad_when_the_op_is_not_recorded_too():
    # a forward that saves by what is needed (as the built-in products do)
    # runs under no_grad and on constants, where nothing needs a gradient
    with ag.no_grad():
        out = ScaledAdd.apply(Tensor(np.ones(3), requires_grad=True), Tensor(np.ones(3)), 2.0)
    assert out._ctx is None
    seen = []

    class Peek(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            return a * b

    Peek.apply(Tensor([1.0]), 3.0)
    with ag.no_grad():
        Peek.apply(Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True))
    assert seen == [(False, False), (False, False)]


def test_function_output_not_recorded_without_grad():
    out = Cube.apply(Tensor([1.0, 2.0]))
    assert not out.requires_grad and out.is_leaf
    with ag.no_grad():
        assert not Cube.apply(Tensor([1.0], requires_grad=True)).requires_grad


def test_backward_may_return_broadcast_shape():
    class Shift(Function):
        @staticmethod
        def forward(ctx, x, bias):
            return x + bias

        @staticmethod
        def backward(ctx, grad):
            return grad, grad  # bias was (3,), grad is (2, 3): the engine sums it back

    x = Tensor(np.ones((2, 3)), requires_grad=True)
    bias = Tensor(np.zeros(3), requires_grad=True)
    Shift.apply(x, bias).sum().backward()
    np.testing.assert_array_equal(bias.grad.data, [2, 2, 2])


def test_gradcheck_reports_the_worst_entry():
    class WrongGrad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            wrong = 2 * x
            wrong[1] += 1.0  # a bug in entry 1 only
            return grad * wrong

    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(ag.GradcheckError, match=r"d output\[0\]\[1\] / d input\[0\]\[1\]: backward gives 5"):
        ag.gradcheck(WrongGrad.apply, (x,))
    assert ag.gradcheck(WrongGrad.apply, (x,), raise_exception=False) is False


def test_gradcheck_promotes_float32_inputs_to_float64():
    x = Tensor(np.array([0.1, 0.2], dtype=np.float32), requires_grad=True)
    assert ag.gradcheck(lambda t: (t.exp() * t).sum(), (x,), atol=1e-7, rtol=1e-6)


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        ag.gradcheck(lambda t: t * 2, (Tensor([1.0]),))


def test_gradgradcheck_detects_a_non_differentiable_backward():
    class Opaque(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return np.sin(x)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * np.cos(getattr(x, "data", x))  # .data drops out of the graph

    x = Tensor(np.array([0.3, 1.1]), requires_grad=True)
    assert ag.gradcheck(Opaque.apply, (x,))
    assert ag.gradgradcheck(Opaque.apply, (x,), raise_exception=False) is False
