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


def test_create_graph_keeps_the_results_connected_to_the_callers_inputs(torch):
    import autograd_core as ag
    x = Tensor(np.array([0.3]), requires_grad=True)
    v = Tensor(np.array([1.0]))
    _, jv = functional.jvp(lambda t: t.sin(), x, v, create_graph=True)
    (g,) = ag.grad((jv + x).sum(), [x])
    np.testing.assert_allclose(g.data, 1 - np.sin(0.3), rtol=1e-12)
    # the same for vjp, jacobian, hessian and hvp, against PyTorch's
    x0 = np.array([0.3, -0.8, 1.1])
    for ours, theirs in [
        (lambda t: functional.vjp(lambda a: (a ** 3).sum(), t, create_graph=True)[1],
         lambda t: torch.autograd.functional.vjp(lambda a: (a ** 3).sum(), t, create_graph=True)[1]),
        (lambda t: functional.jacobian(lambda a: a.sin() * a, t, create_graph=True),
         lambda t: torch.autograd.functional.jacobian(lambda a: a.sin() * a, t, create_graph=True)),
        (lambda t: functional.hessian(lambda a: (a.exp() * a).sum(), t, create_graph=True),
         lambda t: torch.autograd.functional.hessian(lambda a: (a.exp() * a).sum(), t,
                                                     create_graph=True)),
        (lambda t: functional.hvp(lambda a: (a ** 4).sum(), t, t * 1.0, create_graph=True)[1],
         lambda t: torch.autograd.functional.hvp(lambda a: (a ** 4).sum(), t, t * 1.0,
                                                 create_graph=True)[1]),
    ]:
        x, tx = Tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
        r, tr = ours(x), theirs(tx)
        assert r.requires_grad
        (r.sin().sum()).backward()
        tr.sin().sum().backward()
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10)


def test_tuples_of_inputs_vectors_and_outputs_as_pytorch(rng, torch):
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    va, vb = rng.standard_normal(3), rng.standard_normal(3)

    def f(p, q):
        return p * q.sin(), (p * q).sum()

    def tf(p, q):
        return p * q.sin(), (p * q).sum()
    ins, tins = (Tensor(a), Tensor(b)), (torch.tensor(a), torch.tensor(b))
    out, jv = functional.jvp(f, ins, (Tensor(va), Tensor(vb)))
    tout, tjv = torch.autograd.functional.jvp(tf, tins, (torch.tensor(va), torch.tensor(vb)))
    for ours, theirs in zip(jv, tjv):
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-10)
    w = rng.standard_normal(3)
    _, vj = functional.vjp(f, ins, (Tensor(w), Tensor(np.array(2.0))))
    _, tvj = torch.autograd.functional.vjp(tf, tins, (torch.tensor(w), torch.tensor(2.0)))
    for ours, theirs in zip(vj, tvj):
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-10)
    jac = functional.jacobian(f, ins)
    tjac = torch.autograd.functional.jacobian(tf, tins)
    for row, trow in zip(jac, tjac):
        for ours, theirs in zip(row, trow):
            np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-10)
    h = functional.hessian(lambda p, q: (p * q.exp()).sum(), ins)
    th = torch.autograd.functional.hessian(lambda p, q: (p * q.exp()).sum(), tins)
    for row, trow in zip(h, th):
        for ours, theirs in zip(row, trow):
            np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-10, atol=1e-14)


def test_vectors_must_match_the_structure():
    with pytest.raises(ValueError, match="v must match 1 tensor"):
        functional.jvp(lambda t: t * 2, Tensor(np.ones(3)), Tensor(np.ones(2)))
    with pytest.raises(ValueError, match="can be left out only"):
        functional.vjp(lambda t: t * 2, Tensor(np.ones(3)))


@pytest.mark.parametrize("call", [
    lambda x: functional.jacobian(lambda t: t * 2, x),
    lambda x: functional.hessian(lambda t: (t * t).sum(), x),
    lambda x: functional.vjp(lambda t: t * 2, x, np.ones(2)),
    lambda x: functional.jvp(lambda t: t * 2, x, np.ones(2)),
    lambda x: functional.hvp(lambda t: (t * t).sum(), x, np.ones(2)),
])
@pytest.mark.parametrize("x", [np.ones(2), 2.0, np.float64(2.0)], ids=["ndarray", "float", "npfloat"])
def test_inputs_that_are_not_tensors_are_refused_before_being_taken_apart(call, x):
    # an ndarray used to be iterated into its elements ("inputs[0] is a float64")
    with pytest.raises(TypeError, match=r"inputs is a (numpy array|float|float64), not a "
                                        r"Tensor or a tuple of Tensors; wrap it: Tensor\(x\)"):
        call(x)


def test_a_function_returning_an_array_is_refused_by_name():
    with pytest.raises(TypeError, match=r"the function's output is a numpy array.*Tensor "
                                        "operations"):
        functional.jacobian(lambda t: t.data * 2, Tensor(np.ones(2)))


def test_a_numpy_vector_is_one_vector_not_a_tuple_of_its_rows(torch):
    x, v = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    _, ours = functional.vjp(lambda t: t.sin(), Tensor(x), v)
    _, theirs = torch.autograd.functional.vjp(torch.sin, torch.tensor(x), torch.tensor(v))
    np.testing.assert_allclose(ours.data, theirs.numpy())


def test_a_number_is_the_vector_of_a_scalar_output():
    x = Tensor(np.array([1.0, 2.0]))
    for v in (2.0, np.float64(2.0), np.array(2.0)):
        _, g = functional.vjp(lambda t: (t * t).sum(), x, v)
        np.testing.assert_array_equal(g.data, [4.0, 8.0])
