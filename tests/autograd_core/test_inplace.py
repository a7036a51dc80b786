"""In-place updates, as PyTorch has them: they change the tensor's own array,
are the normal way to update leaves under no_grad, refuse what cannot be
recorded, and never let a live graph's backward see the new values."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor


def leaf(values, dtype=np.float64):
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def test_the_tutorial_loop_updates_the_weights_as_sgd_does():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((16, 3)), rng.standard_normal(16)
    w, b = leaf(rng.standard_normal(3)), leaf([0.0])
    w_ref, b_ref = w.data.copy(), b.data.copy()
    arrays = (w.data, b.data)
    losses = []
    for _ in range(20):
        loss = ((Tensor(X) @ w + b - y) ** 2).mean()
        w.grad = b.grad = None
        loss.backward()
        with ag.no_grad():
            for p in (w, b):
                p -= 0.1 * p.grad
        losses.append(loss.item())
        # the same step by hand
        residual = X @ w_ref + b_ref - y
        w_ref = w_ref - 0.1 * 2 * X.T @ residual / 16
        b_ref = b_ref - 0.1 * 2 * residual.mean(keepdims=True)
    np.testing.assert_allclose(w.data, w_ref, rtol=1e-12)
    np.testing.assert_allclose(b.data, b_ref, rtol=1e-12)
    assert losses[-1] < losses[0] / 2
    assert (w.data, b.data) == arrays  # in place: the same arrays, updated
    assert w.requires_grad and w.is_leaf


def test_a_plain_tensor_stays_itself_and_keeps_requiring_grad():
    a = leaf([1.0, 2.0])
    (a * a).sum().backward()
    before = a
    with ag.no_grad():
        a -= 0.5 * a.grad
    assert a is before and a.requires_grad
    np.testing.assert_array_equal(a.data, [0.0, 0.0])
    a.grad = None
    (a * 3).sum().backward()  # still a leaf of new graphs
    np.testing.assert_array_equal(a.grad.data, [3.0, 3.0])


@pytest.mark.parametrize("update", [
    lambda t: t.__iadd__(1.0), lambda t: t.__isub__(1.0), lambda t: t.__imul__(2.0),
    lambda t: t.__itruediv__(2.0), lambda t: t.add_(1.0), lambda t: t.sub_(1.0),
    lambda t: t.mul_(2.0), lambda t: t.div_(2.0), lambda t: t.zero_(), lambda t: t.fill_(3.0),
    lambda t: t.copy_(np.ones(2)), lambda t: t.clamp_(min=0.0)])
def test_a_leaf_that_requires_grad_refuses_in_place_changes_in_grad_mode(update):
    t = leaf([1.0, -2.0])
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        update(t)
    np.testing.assert_array_equal(t.data, [1.0, -2.0])  # unchanged


def test_in_place_on_a_result_in_the_graph_is_refused_in_grad_mode():
    x = leaf([1.0, 2.0])
    h = x * 2
    with pytest.raises(RuntimeError, match="computed by Mul"):
        h += 1
    with pytest.raises(RuntimeError, match="operand that requires grad"):
        Tensor([1.0, 1.0]).add_(x)
    np.testing.assert_array_equal(h.data, [2.0, 4.0])


@pytest.mark.parametrize("name, args, kwargs, expected", [
    ("add_", (np.array([1.0, 2.0]),), {}, [2.0, 0.0]),
    ("add_", (np.array([1.0, 2.0]),), {"alpha": 0.5}, [1.5, -1.0]),
    ("sub_", (1.0,), {"alpha": 2.0}, [-1.0, -4.0]),
    ("mul_", (Tensor([2.0, 3.0], dtype=np.float64),), {}, [2.0, -6.0]),
    ("div_", (4.0,), {}, [0.25, -0.5]),
    ("zero_", (), {}, [0.0, 0.0]),
    ("fill_", (7.0,), {}, [7.0, 7.0]),
    ("copy_", (np.array([5.0, 6.0]),), {}, [5.0, 6.0]),
    ("clamp_", (), {"min": -1.0}, [1.0, -1.0]),
    ("clamp_", (), {"max": 0.0}, [0.0, -2.0]),
    ("pow_", (2,), {}, [1.0, 4.0]),
])
def test_each_method_matches_pytorch(name, args, kwargs, expected, torch):
    t = Tensor(np.array([1.0, -2.0]))
    same = getattr(t, name)(*args, **kwargs)
    assert same is t
    np.testing.assert_array_equal(t.data, expected)
    tt = torch.tensor([1.0, -2.0], dtype=torch.float64)
    targs = [torch.tensor(a.data if isinstance(a, Tensor) else a) if not isinstance(a, (int, float))
             else a for a in args]
    getattr(tt, name)(*targs, **kwargs)
    np.testing.assert_array_equal(tt.numpy(), expected)


def test_in_place_keeps_the_tensors_dtype_and_refuses_what_does_not_fit():
    t = Tensor(np.ones(3, dtype=np.float32))
    t += np.ones(3)  # float64 operand: float32 stays
    assert t.dtype == np.float32
    i = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match="does not fit this int64 tensor in place"):
        i += 0.5
    np.testing.assert_array_equal(i.data, [1, 2])
    with pytest.raises(ValueError, match="do not fit a tensor of shape"):
        Tensor(np.ones(2)).add_(np.ones((3, 2)))


def test_an_array_a_live_graph_holds_is_replaced_and_the_graph_keeps_its_values():
    w = leaf([1.0, 2.0])
    old = w.data
    loss = (w * w).sum()
    with ag.no_grad():
        w -= 1.0  # the graph saved w's array: the tensor gets a new one
    assert w.data is not old
    np.testing.assert_array_equal(w.data, [0.0, 1.0])
    np.testing.assert_array_equal(old, [1.0, 2.0])
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])  # from the values it was computed at
    assert old.flags.writeable  # given back once backward freed the graph
    with ag.no_grad():
        w -= 1.0  # nothing holds the new array: in place
    np.testing.assert_array_equal(w.data, [-1.0, 0.0])


def test_what_numpy_sees_of_an_updated_tensor():
    w = leaf([1.0, 2.0])
    view = w.numpy()
    with ag.no_grad():
        w += 1.0
    np.testing.assert_array_equal(view, [2.0, 3.0])  # shared: an in-place update shows
    loss = (w * w).sum()
    with ag.no_grad():
        w += 1.0  # held by the graph: w gets a new array, `view` keeps the old values
    np.testing.assert_array_equal(view, [2.0, 3.0])
    np.testing.assert_array_equal(w.numpy(), [3.0, 4.0])
    del loss


def test_second_derivatives_through_a_replaced_input_raise():
    x = leaf([0.5, 1.5])
    y = (x * x * x).sum()
    with ag.no_grad():
        x += 1.0
    (g,) = ag.grad(y, [x], retain_graph=True)  # first order: the saved values
    np.testing.assert_allclose(g.data, 3 * np.array([0.5, 1.5]) ** 2)
    with pytest.raises(RuntimeError, match="changed in place"):
        ag.grad(y, [x], create_graph=True)


def test_in_place_under_no_grad_on_a_result_replaces_a_saved_array():
    x = leaf([1.0, 2.0])
    h = x.exp()  # Exp saves its output
    loss = (h * 1.0).sum()
    with ag.no_grad():
        h.zero_()
    loss.backward()
    np.testing.assert_allclose(x.grad.data, np.exp([1.0, 2.0]))
    np.testing.assert_array_equal(h.data, [0.0, 0.0])


@pytest.mark.parametrize("write", [
    lambda d: d.mul_(0.5),
    lambda d: d.__imul__(0.5),
    lambda d: d.zero_(),
    lambda d: d.copy_(np.zeros(3)),
    lambda d: d.__setitem__(0, 5.0),
], ids=["mul_", "*=", "zero_", "copy_", "setitem"])
def test_a_detached_alias_writes_into_its_tensor_or_refuses_never_splits(write):
    # detach() shares the array, as in PyTorch: with no graph holding it, the
    # write shows in x; with one, a new array for the alias alone would leave
    # x unchanged without a word (it used to): refused instead
    x = leaf([1.0, 2.0, 3.0])
    write(x.detach())
    assert not np.array_equal(x.data, [1.0, 2.0, 3.0])
    x = leaf([1.0, 2.0, 3.0])
    y = (x * x).sum()  # the graph saves x's array
    with pytest.raises(RuntimeError, match=r"shares its array with another \(it was made by detach\(\)\)"):
        write(x.detach())
    assert x.data.tolist() == [1.0, 2.0, 3.0]
    y.backward()
    assert x.grad.data.tolist() == [2.0, 4.0, 6.0]
    write(x.detach())  # the graph is gone: the write reaches x again
    assert not np.array_equal(x.data, [1.0, 2.0, 3.0])


def test_a_from_numpy_tensor_keeps_sharing_with_numpy_or_refuses():
    array = np.array([1.0, 2.0, 3.0])
    t = ag.from_numpy(array)
    t += 1.0
    assert array.tolist() == [2.0, 3.0, 4.0]  # shared, as PyTorch's from_numpy
    x = leaf([1.0, 1.0, 1.0])
    y = (x * t).sum()  # the graph saves the array
    with pytest.raises(RuntimeError, match=r"made by from_numpy\(\)"):
        t += 1.0
    assert array.tolist() == [2.0, 3.0, 4.0] and t.data is array
    y.backward()
    assert x.grad.data.tolist() == [2.0, 3.0, 4.0]
    t += 1.0
    assert array.tolist() == [3.0, 4.0, 5.0]


def test_the_tensor_that_owns_the_array_is_still_updated_copy_on_write():
    x = leaf([1.0, 2.0, 3.0])
    y = (x * x).sum()
    with ag.no_grad():
        x.mul_(0.5)  # x owns its array: a new one, the graph keeps the old values
    assert x.data.tolist() == [0.5, 1.0, 1.5]
    y.backward()
    assert x.grad.data.tolist() == [2.0, 4.0, 6.0]
