"""Tensor construction, dtypes, conversions, numpy interop, creation helpers."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor


def test_default_dtypes():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(1.5).dtype == np.float32
    assert Tensor(np.array([1.0, 2.0])).dtype == np.float64
    assert Tensor([1, 2]).dtype == np.int64
    assert Tensor([1.0], dtype=np.float64).dtype == np.float64
    assert Tensor([True]).dtype == np.bool_
    with pytest.raises(TypeError, match="numbers or booleans"):
        Tensor(["a"])


def test_tensor_copies_but_from_numpy_shares():
    a = np.ones(3)
    t, s = Tensor(a), ag.from_numpy(a)
    a[0] = 5
    assert t.data[0] == 1 and s.data[0] == 5


def test_python_numbers_do_not_promote_float32():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for y in (x * 2.5, 2.5 * x, x + 1, x / 3.0, x ** 2.0, 1.0 - x, np.float64(2.0) * x):
        assert y.dtype == np.float32, y
    y = (x * 0.1).exp().sum()
    y.backward()
    assert x.grad.dtype == np.float32


def test_attributes_and_conversions():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert t.T.shape == (3, 2)
    assert float(Tensor([2.5])) == 2.5 and Tensor(3.0).item() == 3.0 and int(Tensor(4)) == 4
    assert isinstance(t.numpy(), np.ndarray)
    with pytest.raises(ValueError, match="one element"):
        t.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(t)
    rows = list(t)
    assert len(rows) == 2 and rows[1].shape == (3,)


def test_repr_shows_values_and_how_it_was_made():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "Tensor([1., 2.], requires_grad=True)"
    assert "op=Mul" in repr(x * 2)
    assert repr(Tensor([1, 2])) == "Tensor([1, 2])"
    assert "dtype=float64" in repr(Tensor(np.ones(2)))


def test_numpy_interop():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    arr = np.array([3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(x.detach()), [1.0, 2.0])
    with pytest.raises(RuntimeError, match="its gradient would be lost"):
        np.asarray(x)  # the ndarray would drop the gradient
    y = arr * x
    z = np.ones((2, 2)) @ x
    w = np.exp(x)
    for t in (y, z, w):
        assert isinstance(t, Tensor) and t.requires_grad
    (y.sum() + z.sum() + w.sum()).backward()
    np.testing.assert_allclose(x.grad.data, arr + 2 + np.exp([1.0, 2.0]))
    assert np.allclose(x, [1.0, 2.0])  # predicates work on tensors that require grad


def test_numpy_function_without_gradient_rule_is_refused_only_when_it_matters():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(TypeError, match="numpy.median has no gradient rule"):
        np.median(x)
    assert np.median(x.detach()) == 1.5
    with pytest.raises(TypeError, match="numpy.heaviside has no gradient rule"):
        np.heaviside(x, 0.5)


def test_comparisons_return_bool_tensors_without_grad():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for mask in (x > 1, x >= 2, x < 3, x <= 1, x == 2, x != 2, (x > 1) & (x < 3), ~(x > 1)):
        assert mask.dtype == np.bool_ and not mask.requires_grad
    np.testing.assert_array_equal((x > 1).data, [False, True, True])
    assert (x > 0).all() and (x > 2).any()


def test_argmax_argmin():
    x = Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    np.testing.assert_array_equal(x.argmax(axis=1).data, [1, 0])
    np.testing.assert_array_equal(x.argmin(dim=0).data, [0, 1, 0])
    assert x.argmax().item() == 3


def test_creation_helpers():
    assert ag.zeros(2, 3).shape == (2, 3) and ag.zeros((2, 3)).dtype == np.float32
    assert ag.ones(2, dtype=np.float64).dtype == np.float64
    np.testing.assert_array_equal(ag.full((2,), 7.0).data, [7, 7])
    np.testing.assert_array_equal(ag.eye(2).data, np.eye(2))
    assert ag.arange(5).dtype == np.int64 and ag.arange(0.0, 1.0, 0.25).dtype == np.float32
    r = ag.randn(3, 4, requires_grad=True, rng=np.random.default_rng(0))
    assert r.requires_grad and r.shape == (3, 4)
    np.testing.assert_array_equal(r.data, ag.randn(3, 4, rng=np.random.default_rng(0)).data)
    ag.manual_seed(3)
    a = ag.rand(2)
    ag.manual_seed(3)
    assert np.array_equal(a.data, ag.rand(2).data) and (a.data >= 0).all()
    like = ag.zeros_like(Tensor(np.ones((2, 2))))
    assert like.shape == (2, 2) and like.dtype == np.float64
    assert ag.ones_like(r).dtype == np.float32 and ag.randn_like(r).shape == (3, 4)
    assert ag.full_like(r, 2.0).data.max() == 2.0 and ag.rand_like(r).shape == (3, 4)
    assert ag.tensor([1.0], requires_grad=True).requires_grad


def test_shape_errors_are_clear():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="cannot reshape"):
        t.reshape(4, 2)
    with pytest.raises(ValueError, match="swapaxes"):
        Tensor(np.ones((2, 3, 4))).transpose((0, 1))
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(2, 3\) to"):
        t.expand(4, 3)
    with pytest.raises(ValueError, match="cannot squeeze axis 0"):
        t.squeeze(0)
    with pytest.raises(ValueError, match="out of range"):
        t.sum(axis=2)
    with pytest.raises(ValueError, match="must match except along axis"):
        ag.cat([t, Tensor(np.ones((3, 3)))], axis=1)
    with pytest.raises(ValueError, match="one shape"):
        ag.stack([t, Tensor(np.ones((3, 2)))])
    with pytest.raises(ValueError, match="pad widths"):
        t.pad(((1, 1),) * 3)


def test_astype_is_differentiable():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x.astype(np.float32)
    assert y.dtype == np.float32
    (y * 2).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad.data, [2, 2])
