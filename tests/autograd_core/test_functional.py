"""Whole derivatives: jacobian, hessian, vjp, jvp, hvp against PyTorch."""
import numpy as np
import pytest

from autograd_core import Tensor, functional


def f_ours(x):
    return (x.tanh() * x.sum()).exp()


def f_torch(x):
    return (x.tanh() * x.sum()).exp()


def scalar_ours(x):
    return (x.sin() * x ** 2).sum() + (x[0] * x[1]) ** 2


def scalar_torch(x):
    return (x.sin() * x ** 2).sum() + (x[0] * x[1]) ** 2


@pytest.fixture
def x0(rng):
    return rng.standard_normal(3) * 0.5


def test_jacobian(x0, torch):
    j = functional.jacobian(f_ours, Tensor(x0))
    expected = torch.autograd.functional.jacobian(f_torch, torch.tensor(x0))
    assert j.shape == (3, 3)
    np.testing.assert_allclose(j.data, expected.numpy(), rtol=1e-10)


def test_jacobian_of_several_inputs_and_matrix_output(rng, torch):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    ja, jb = functional.jacobian(lambda p, q: p * q.exp(), (Tensor(a), Tensor(b)))
    ea, eb = torch.autograd.functional.jacobian(lambda p, q: p * q.exp(),
                                                (torch.tensor(a), torch.tensor(b)))
    assert ja.shape == (2, 3, 2, 3) and jb.shape == (2, 3, 3)
    np.testing.assert_allclose(ja.data, ea.numpy(), rtol=1e-10)
    np.testing.assert_allclose(jb.data, eb.numpy(), rtol=1e-10)


def test_hessian(x0, torch):
    h = functional.hessian(scalar_ours, Tensor(x0))
    expected = torch.autograd.functional.hessian(scalar_torch, torch.tensor(x0))
    np.testing.assert_allclose(h.data, expected.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h.data, h.data.T, rtol=1e-12)


def test_vjp_jvp_hvp(x0, rng, torch):
    v = rng.standard_normal(3)
    out, vjp = functional.vjp(f_ours, Tensor(x0), Tensor(v))
    _, tvjp = torch.autograd.functional.vjp(f_torch, torch.tensor(x0), torch.tensor(v))
    np.testing.assert_allclose(vjp.data, tvjp.numpy(), rtol=1e-10)
    np.testing.assert_allclose(out.data, f_torch(torch.tensor(x0)).numpy())
    _, jvp = functional.jvp(f_ours, Tensor(x0), Tensor(v))
    _, tjvp = torch.autograd.functional.jvp(f_torch, torch.tensor(x0), torch.tensor(v))
    np.testing.assert_allclose(jvp.data, tjvp.numpy(), rtol=1e-10)
    _, hvp = functional.hvp(scalar_ours, Tensor(x0), Tensor(v))
    _, thvp = torch.autograd.functional.hvp(scalar_torch, torch.tensor(x0), torch.tensor(v))
    np.testing.assert_allclose(hvp.data, thvp.numpy(), rtol=1e-10)


def test_results_are_detached_and_inputs_untouched(x0):
    x = Tensor(x0, requires_grad=True)
    j = functional.jacobian(f_ours, x)
    assert not j.requires_grad and x.grad is None


def test_constant_function_has_zero_jacobian():
    j = functional.jacobian(lambda x: Tensor(np.ones(2)), Tensor(np.ones(3)))
    np.testing.assert_array_equal(j.data, np.zeros((2, 3)))


def test_hessian_needs_a_scalar_function():
    with pytest.raises(ValueError, match="one output value"):
        functional.hessian(lambda x: x * 2, Tensor(np.ones(3)))
