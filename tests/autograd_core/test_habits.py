"""What a new user's first day met (a tester's findings): each habit now
gives the right answer or a clear error. Compared with PyTorch and numpy."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, Tensor, Value


def leaf(values, dtype=np.float64):
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def test_setting_requires_grad_as_an_attribute_works_as_pytorch(torch):
    w = Tensor(np.ones(3))
    w.requires_grad = True
    (w * 2).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2, 2, 2])
    with pytest.raises(TypeError, match="only floating-point tensors"):
        Tensor([1, 2]).requires_grad = True
    with pytest.raises(RuntimeError, match="only on a leaf"):
        (w * 2).requires_grad = False


def test_writing_through_a_view_of_a_saved_array_is_refused():
    x = leaf([1.0, 2.0, 3.0])
    for make_view in (lambda t: t[:2], lambda t: t.detach()[:2], lambda t: t.reshape(3, 1),
                      lambda t: t.detach().reshape(1, 3).T):
        view = make_view(x)
        y = (x * x).sum()
        with pytest.raises(RuntimeError, match="this tensor is a view"):
            with ag.no_grad():
                view += 10.0
        x.grad = None
        y.backward()
        np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])  # the saved values
        np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])


def test_an_in_place_update_of_a_row_writes_through_or_refuses():
    W = leaf(np.ones((3, 2)))
    with ag.no_grad():
        W[0].zero_()  # no graph holds W: row 0 of W itself
    np.testing.assert_array_equal(W.data[0], [0, 0])
    loss = (W * W).sum()
    with pytest.raises(RuntimeError, match="this tensor is a view"):
        with ag.no_grad():
            W[1].zero_()  # a graph holds W: writing through would change its backward
    np.testing.assert_array_equal(W.data[1], [1, 1])
    del loss


def test_item_assignment_as_numpy_and_pytorch():
    b = Tensor(np.zeros(3))
    b[1:] += 4  # a view updated, then assigned back: once, as numpy
    np.testing.assert_array_equal(b.data, [0, 4, 4])
    b[0] = 7
    np.testing.assert_array_equal(b.data, [7, 4, 4])
    w = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        w[0] = 5.0
    loss = (w * w).sum()
    with ag.no_grad():
        w[0] = 5.0  # held by the graph: w gets a new array, the graph keeps its values
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])
    np.testing.assert_array_equal(w.data, [5.0, 2.0])


def test_bitwise_operators_as_numpy(torch):
    a, b = np.array([6, 5, 0]), np.array([3, 1, 7])
    ta, tb = torch.tensor(a), torch.tensor(b)
    for ours, theirs in [(Tensor(a) & Tensor(b), ta & tb), (Tensor(a) | Tensor(b), ta | tb),
                         (Tensor(a) ^ Tensor(b), ta ^ tb), (~Tensor(a), ~ta), (Tensor(a) & 1, ta & 1)]:
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    m = Tensor(np.array([True, False]))
    np.testing.assert_array_equal((~m).data, [False, True])
    with pytest.raises(TypeError):
        Tensor([1.5]) & Tensor([2.5])  # numpy refuses bitwise on floats, as PyTorch


def test_positional_axes_that_mean_two_things_raise():
    t = Tensor(np.array([[1.0, 5.0], [0.8, 0.2]]))
    with pytest.raises(TypeError, match="means two things"):
        _, pred = t.max(1)  # PyTorch's idiom: two names from numpy's row maxima for a batch of 2
    with pytest.raises(TypeError, match="means two things"):
        t.min(0)
    with pytest.raises(TypeError, match="the second argument is a dtype in numpy"):
        t.std(1, True)
    np.testing.assert_array_equal(t.max(axis=1).data, [5.0, 0.8])
    np.testing.assert_array_equal(t.max(dim=1).indices.data, [1, 0])
    np.testing.assert_allclose(t.var(0).data, t.data.var(0))  # the axis alone is numpy's


def test_pytorch_keywords_give_pytorchs_variance(torch):
    a = np.arange(6.0).reshape(2, 3)
    t, tt = Tensor(a), torch.tensor(a)
    np.testing.assert_allclose(t.var(keepdim=True).data, tt.var(dim=None, keepdim=True).numpy())
    np.testing.assert_allclose(t.var(dim=None).data, tt.var(dim=None).numpy())
    np.testing.assert_allclose(t.std(dim=()).data, tt.std(dim=()).numpy())
    for name in ("sum", "mean"):
        np.testing.assert_allclose(getattr(t, name)(dim=()).data, getattr(tt, name)(dim=()).numpy())
    with np.errstate(divide="ignore"):
        assert Tensor(np.array([1.0, 2.0])).var(ddof=3).item() == np.inf  # never negative
    assert np.isnan(Tensor(np.ones((0, 3))).var(dim=0).data).all()


def test_axis_and_dim_together_raise_whatever_their_values():
    t = Tensor(np.ones((2, 3)))
    for call in (lambda: t.sum(axis=-1, dim=0), lambda: t.softmax(-1, dim=0),
                 lambda: t.mean(axis=0, dim=0), lambda: t.squeeze(0, dim=0)):
        with pytest.raises(TypeError, match="not both"):
            call()


def test_axes_and_sizes_are_checked_not_wrapped_or_truncated():
    t = Tensor(np.ones((3, 4)))
    for call in (lambda: t.flatten(start_dim=2), lambda: t.flatten(1, 0), lambda: t.permute(0, 3),
                 lambda: t.permute(2, 1), lambda: Tensor(np.ones((2, 3, 4))).transpose((0, 5, 1))):
        with pytest.raises(ValueError):
            call()
    for call in (lambda: t.reshape(2.5, 6), lambda: t.view(6.9, 2), lambda: t.sum(axis=0.5)):
        with pytest.raises(TypeError, match="must be integers"):
            call()
    assert t.mean(axis=Tensor(1)).shape == (3,)  # an integer tensor is an axis


def test_set_grad_enabled_called_alone_switches_the_mode():
    ag.set_grad_enabled(False)
    try:
        assert not ag.is_grad_enabled()
        assert not (leaf([1.0]) * 2).requires_grad
    finally:
        ag.set_grad_enabled(True)
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()

    @ag.no_grad  # bare, as PyTorch allows
    def f():
        return ag.is_grad_enabled()
    assert f() is False and ag.is_grad_enabled()


def test_value_compares_and_reads_as_a_number():
    assert Value(2.0) == np.float32(2.0) and Value(2.0) == np.int64(2) and Value(2.0) != "2"
    assert not Value(0.0) and Value(0.5)
    with pytest.raises(TypeError, match="not the text"):
        Value("3")


def test_a_nan_maximum_takes_the_gradient_as_pytorch(torch):
    a = np.array([1.0, np.nan, 3.0])
    t, tt = leaf(a), torch.tensor(a, requires_grad=True)
    t.max().backward()
    tt.max().backward()
    np.testing.assert_array_equal(t.grad.data, tt.grad.numpy())


def test_joining_float32_with_integers_stays_float32():
    f, i = Tensor(np.ones(2, dtype=np.float32)), Tensor(np.array([1, 2]))
    for joined in (ag.cat([f, i]), ag.stack([f, i]), np.concatenate([f, i]), np.vstack([f, i])):
        assert joined.dtype == np.float32
    assert Tensor([np.ones(2), np.ones(2)]).dtype == np.float64  # numpy float64 data stays


def test_tensor_bounds_of_clamp_and_pad_get_their_gradients(torch):
    rng = np.random.default_rng(3)
    x0, lo0, hi0 = rng.standard_normal(8), rng.standard_normal(8) - 0.3, rng.standard_normal(8) + 0.3
    up = rng.standard_normal(8)
    ours = [leaf(v) for v in (x0, lo0, hi0)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (x0, lo0, hi0)]
    (ours[0].clamp(min=ours[1], max=ours[2]) * Tensor(up)).sum().backward()
    (theirs[0].clamp(min=theirs[1], max=theirs[2]) * torch.tensor(up)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.grad.data, b.grad.numpy())
    assert ag.gradcheck(lambda x, lo: x.clip(lo, None), (leaf(x0), leaf(lo0)))
    value, y = leaf(0.5), leaf(np.ones((2, 2)))
    y.pad(1, value=value).sum().backward()
    assert value.grad.item() == 12.0  # every padded position


def test_a_function_returning_a_list_has_several_outputs():
    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            return [x * 2, x * 3]

        @staticmethod
        def backward(ctx, g1, g2):
            return 2 * g1 + 3 * g2
    x = leaf([1.0, 2.0])
    a, b = Two.apply(x)
    (a + b).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_gradient_errors_name_the_right_argument():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="pass grad_outputs="):
        ag.grad(x * x, [x])
    (g,) = ag.grad((x * x * x).sum(), [x])
    with pytest.raises(RuntimeError, match="without create_graph=True"):
        ag.grad(g.sum(), [x])


def test_pytorch_size_and_other_names():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    assert t.size == 6 and t.size() == (2, 3) and t.size(1) == 3 and t.size(-1) == 3
    assert t.dim() == 2 and t.t().shape == (3, 2) and t.long().dtype == np.int64
    assert t.to(np.float32).dtype == np.float32 and t.contiguous() is t
    np.testing.assert_array_equal(t.amax(dim=1).data, [2, 5])
    np.testing.assert_array_equal(t.gather(1, np.array([[2], [0]])).data, [[2], [3]])
    np.testing.assert_array_equal(t.index_select(1, [0, 2]).data, [[0, 2], [3, 5]])
    assert Tensor(np.ones((2, 1))).squeeze(dim=0).shape == (2, 1)  # PyTorch's: left as it is
    with pytest.raises(ValueError, match="cannot squeeze axis 0"):
        Tensor(np.ones((2, 1))).squeeze(0)  # numpy's: refused
    v, i = Tensor(np.float64(3.0)).max(dim=0)  # 0-d, as PyTorch
    assert v.item() == 3.0 and i.item() == 0
    np.testing.assert_array_equal(t.flatten("F").data, t.data.flatten("F"))


def test_assigned_gradients_must_fit():
    w = leaf([1.0, 2.0])
    w.grad = Tensor(np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="must match its tensor"):
        w.grad = Tensor(np.ones(3))
    with pytest.raises(TypeError, match="must be a Tensor"):
        w.grad = np.ones(2)
    np.testing.assert_array_equal(w.grad.data, [0.5, 0.5])
