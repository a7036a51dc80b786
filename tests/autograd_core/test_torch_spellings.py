"""Tensor methods called as PyTorch users call them, and numpy's functions on
integer, unsigned and 0-d tensors (a second sweep's findings): each gives
PyTorch's (or numpy's) answer, or refuses naming the difference."""
import itertools

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor

A = np.array([[1.0, 2.0, 4.0], [3.0, 7.0, 5.0]])


def leaf(values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def test_a_bool_is_never_taken_for_an_axis():
    t = Tensor(A)
    for call in (lambda: t.var(False), lambda: t.std(True), lambda: t.sum(True),
                 lambda: np.sum(t, axis=True), lambda: t.mean((0, True))):
        with pytest.raises(TypeError, match="a bool is not an axis"):
            call()
    assert t.var(unbiased=True).item() == pytest.approx(np.var(A, ddof=1))


def test_min_and_minimum_of_unsigned_and_extreme_integers_as_pytorch(torch):
    u = np.array([0, 5, 200], np.uint8)
    assert Tensor(u).min().item() == np.min(Tensor(u)).item() == Tensor(u).amin().item() == 0
    assert Tensor(u).min(axis=0).item() == torch.tensor(u).min().item()
    np.testing.assert_array_equal(ag.minimum(Tensor(u), Tensor(np.ones(3, np.float32))).data,
                                  torch.minimum(torch.tensor(u), torch.ones(3)).numpy())
    low = np.iinfo(np.int64).min
    assert Tensor(np.array([low, 0])).min().item() == low
    assert Tensor(np.array([True, False])).min().item() is False


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int8, np.int16, np.bool_])
def test_real_valued_functions_of_integers_compute_in_float64(dtype):
    values = np.array([0, 5, 120, 1, 1], dtype=dtype)
    exact = Tensor(values.astype(np.float64))
    t = Tensor(values)
    for name in ("sigmoid", "softmax", "log_softmax", "logsumexp", "norm"):
        got, want = getattr(t, name)(), getattr(exact, name)()
        assert got.dtype == np.float64, name
        np.testing.assert_allclose(got.data, want.data, rtol=1e-12, err_msg=name)


def test_in_place_writes_through_an_element_or_a_diagonal_reach_the_tensor(torch):
    v, tv = Tensor(np.array([1.0, 2.0, 3.0])), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    v[0].zero_(), tv[0].zero_()
    np.testing.assert_array_equal(v.data, tv.numpy())
    m, tm = Tensor(np.zeros((3, 4))), torch.zeros(3, 4, dtype=torch.float64)
    for t in (m, tm):
        t.diagonal().fill_(1.0)
        t.diagonal(1).fill_(2.0)
        t[2, 0].fill_(5.0)
    np.testing.assert_array_equal(m.data, tm.numpy())
    w = leaf([1.0, 2.0, 3.0])
    with ag.no_grad():
        w[0].fill_(9.0)
    np.testing.assert_array_equal(w.data, [9.0, 2.0, 3.0])
    y = (w * w).sum()  # the graph holds w's array: a write through a view is refused
    with pytest.raises(RuntimeError, match="this tensor is a view"):
        with ag.no_grad():
            w[1].fill_(0.0)
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [18.0, 4.0, 6.0])


@pytest.mark.parametrize("offset,axes", [(0, (0, 1)), (1, (0, 1)), (-1, (1, 0)), (0, (2, 0))])
def test_diagonal_gradients_against_pytorch_and_at_second_order(torch, rng, offset, axes):
    x = rng.standard_normal((3, 4, 3))
    up_shape = np.diagonal(x, offset, *axes).shape
    up = rng.standard_normal(up_shape)
    ours, theirs = leaf(x), torch.tensor(x, requires_grad=True)
    (ours.diagonal(offset, *axes) ** 3 * up).sum().backward()
    (torch.diagonal(theirs, offset, *axes) ** 3 * torch.tensor(up)).sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)
    assert ag.gradcheck(lambda t: t.diagonal(offset, *axes) ** 3, [leaf(x)])
    assert ag.gradgradcheck(lambda t: t.diagonal(offset, *axes) ** 3, [leaf(x)])
    assert ag.gradgradcheck(lambda t: t[1, 2, 0] ** 3, [leaf(x)])


def test_gather_follows_pytorchs_shapes_or_refuses(torch):
    for index, dim in [([[2, 0]], 1), ([[1], [0]], 1), ([[1, 0, 1]], 0), ([[0, 2], [1, 1]], 1)]:
        ours = Tensor(A).gather(dim, np.array(index))
        theirs = torch.tensor(A).gather(dim, torch.tensor(index))
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    x, tx = leaf(A), torch.tensor(A, requires_grad=True)
    x.gather(1, np.array([[2, 2]])).sum().backward()
    tx.gather(1, torch.tensor([[2, 2]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    for index in ([[0], [1], [2]], [0, 1]):
        with pytest.raises(ValueError, match="gather: an index of shape"):
            Tensor(A[:1]).gather(1, np.array(index))


def test_a_scan_takes_one_axis():
    t = Tensor(A)
    for call in (lambda: np.cumsum(t, axis=(0, 1)), lambda: t.cumsum((1, 0)),
                 lambda: np.diff(t, axis=(1, 0)), lambda: np.cumprod(t, axis=(1,))):
        with pytest.raises(TypeError, match="axis must be one integer"):
            call()
    np.testing.assert_array_equal(np.cumsum(t, axis=1).data, np.cumsum(A, axis=1))


def test_creation_functions_where_numpy_and_pytorch_part(torch):
    with pytest.raises(TypeError, match="endpoint in numpy and base in PyTorch"):
        ag.logspace(0, 3, 4, 2)
    np.testing.assert_allclose(ag.logspace(0, 3, 4, base=2).data, torch.logspace(0, 3, 4, 2).numpy())
    for value in (2, True, 2.5):
        assert ag.full((2,), value).dtype == torch.full((2,), value).numpy().dtype
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        Tensor(2, 3)


def test_masked_fill_and_floor_division_keep_pytorchs_dtypes(torch):
    i, mask = np.array([1, 2, 3]), np.array([True, False, False])
    for values, fill in ((i, 2.5), (np.array([True, False, True]), 0)):
        ours = Tensor(values).masked_fill(mask, fill)
        theirs = torch.tensor(values).masked_fill(torch.tensor(mask), fill)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
        assert ours.dtype == theirs.numpy().dtype
    f, n = Tensor(np.float32([3.5, -2.0])), Tensor(np.array([2, 3]))
    for ours, theirs in ((f // n, torch.tensor([3.5, -2.0]) // torch.tensor([2, 3])),
                         (n // f, torch.tensor([2, 3]) // torch.tensor([3.5, -2.0])),
                         (np.floor_divide(f, n), torch.tensor([3.5, -2.0]) // torch.tensor([2, 3]))):
        np.testing.assert_array_equal(ours.data, theirs.numpy())
        assert ours.dtype == np.float32


def test_norm_below_one_has_gradient_zero_at_zero_entries(torch):
    for p in (0.5, 0.3, 1.0, 1.5):
        x, tx = leaf([0.0, 1.0, -2.0]), torch.tensor([0.0, 1.0, -2.0], dtype=torch.float64,
                                                      requires_grad=True)
        x.norm(p).backward()
        tx.norm(p).backward()
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


def test_indexing_agrees_with_pytorch_or_refuses(torch):
    x = np.arange(120.0).reshape(2, 3, 4, 5)
    t, tt = Tensor(x), torch.tensor(x)
    items = [0, 1, slice(None), [0, 1], None, Ellipsis]
    agreed = refused = 0
    for n in range(1, 5):
        for index in itertools.product(items, repeat=n):
            if sum(i is Ellipsis for i in index) > 1:
                continue
            try:
                theirs = tt[index].numpy()
            except (IndexError, RuntimeError, TypeError):
                continue
            try:
                ours = t[index].data
            except IndexError as e:
                assert "lay the result out differently" in str(e)
                refused += 1
                continue
            np.testing.assert_array_equal(ours, theirs, err_msg=str(index))
            agreed += 1
    assert agreed > 1000 and refused > 0
    with pytest.raises(IndexError, match="a list of lists"):
        Tensor(A)[[[0, 1], [1, 0]]]
    np.testing.assert_array_equal(Tensor(A)[np.array([[0, 1], [1, 0]])].data,
                                  A[np.array([[0, 1], [1, 0]])])
    np.testing.assert_array_equal(Tensor(A)[([0, 1], [1, 0])].data, [2.0, 3.0])


def test_method_keywords_and_0d_tensors_as_pytorch(torch):
    t, y = leaf([1.0, 2.0]), Tensor([3.0, 4.0])
    np.testing.assert_array_equal(t.add(y, alpha=2).data, [7.0, 10.0])
    np.testing.assert_array_equal(t.sub(other=y, alpha=0.5).data, [-0.5, 0.0])
    np.testing.assert_array_equal(t.pow(exponent=2).data, [1.0, 4.0])
    np.testing.assert_array_equal(t.mul(other=y).data, t.multiply(y).data)
    with pytest.raises(ValueError, match="rounding_mode='floor' is not implemented"):
        t.div(y, rounding_mode="floor")
    assert np.concatenate([t, t], 0, dtype=np.float32).dtype == np.float32
    z = leaf(3.0)
    for name in ("sum", "mean", "amax", "softmax", "norm"):
        assert getattr(z, name)(dim=-1).item() == getattr(torch.tensor(3.0), name)(dim=-1).item()
    assert np.max(z, -1).item() == 3.0
    np.testing.assert_array_equal(np.repeat(z, 2, axis=0).data, np.repeat(np.array(3.0), 2, axis=0))
    assert z.transpose(0, 0).item() == z.transpose(0, -1).item() == 3.0


def test_a_reviewers_findings_on_the_first_version_of_these_fixes(torch):
    np.testing.assert_array_equal(Tensor([1.0, 2.0, 3.0]).add([1], alpha=3).data, [4.0, 5.0, 6.0])
    for fill in (float("nan"), 1e20):
        with pytest.raises(ValueError, match="without overflow"):
            Tensor(np.array([1, 2])).masked_fill(np.array([True, False]), fill)
    t = Tensor(np.arange(9.0).reshape(3, 3))
    d = np.diag(t)  # a copy, as numpy's (read-only) and PyTorch's diag: never writes t
    with ag.no_grad():
        d.fill_(-1.0)
    np.testing.assert_array_equal(t.data.diagonal(), [0.0, 4.0, 8.0])
    for call in (lambda: t.diagonal(1.5), lambda: np.trace(t, 1.7),
                 lambda: nn_embedding(padding_idx=1.5)):
        with pytest.raises(TypeError):
            call()
    v = Tensor(np.arange(3.0))
    with ag.no_grad():
        v[Tensor(np.array(1))].fill_(-1.0)  # a 0-d index picks an element: a view
    np.testing.assert_array_equal(v.data, [0.0, -1.0, 2.0])
    with pytest.raises(IndexError, match="a list of lists, arrays or Tensors"):
        t[[Tensor(np.array(2)), Tensor(np.array(1))]]
    np.testing.assert_array_equal(Tensor(np.arange(12.0).reshape(3, 4))[0, ..., [1, 2]].data,
                                  [1.0, 2.0])  # an empty ... between: numpy and PyTorch agree
    with pytest.raises(TypeError, match="means two things"):
        Tensor([2.0, 1.0]).sort(stable=True)
    x, tx = leaf([0.0, 1.0, -2.0]), torch.tensor([0.0, 1.0, -2.0], dtype=torch.float64,
                                                 requires_grad=True)
    (g,), (tg,) = ag.grad(x.norm(1.5), [x], create_graph=True), torch.autograd.grad(
        tx.norm(1.5), tx, create_graph=True)
    (h,), (th,) = ag.grad(g.sum(), [x]), torch.autograd.grad(tg.sum(), tx)
    np.testing.assert_allclose(h.data, th.numpy(), rtol=1e-12)  # nan at 0, as PyTorch


def nn_embedding(padding_idx):
    import nn
    return nn.Embedding(3, 2, padding_idx=padding_idx)


def test_numpy_functions_without_rules_never_write_into_tensors():
    w = leaf([1.0, 2.0])
    for call in (lambda: np.round(Tensor([7.7, 8.2]), out=w),
                 lambda: np.round(Tensor([7.7, 8.2]), 0, w),
                 lambda: np.subtract.reduce(Tensor([1.0, 2.0]), out=w),
                 lambda: np.argmax(Tensor([1.0, 2.0]), out=np.zeros((), int))):
        with pytest.raises(TypeError, match="out= writes into an existing array"):
            call()
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    assert np.tril(Tensor(np.ones((2, 2), bool))).dtype == np.bool_  # as numpy's
    t = Tensor(np.arange(12.0).reshape(3, 4))
    assert t.sum(0, True).shape == (1, 4)  # PyTorch's keepdim, positional
    with pytest.raises(TypeError, match="keepdim in PyTorch and dtype in numpy"):
        t.mean(0, np.float32)


def test_numpy_reductions_joins_gradient_and_pinv_as_numpy():
    ints, flags = Tensor(np.array([1, 2, 3])), Tensor(np.array([True, False]))
    for ours, theirs in ((np.sum(ints, initial=0.5), np.sum(ints.data, initial=0.5)),
                         (np.prod(ints, initial=1.5), np.prod(ints.data, initial=1.5)),
                         (np.max(flags, initial=5.0), np.max(flags.data, initial=5.0)),
                         (np.min(flags, initial=-1), np.min(flags.data, initial=-1))):
        assert ours.item() == theirs and ours.dtype == np.asarray(theirs).dtype
    with pytest.raises(TypeError, match="according to the rule 'no'"):
        np.concatenate([Tensor(np.ones(2, np.float32)), Tensor(np.ones(2))], casting="no")
    y = leaf(np.arange(12.0).reshape(3, 4) ** 2)
    with pytest.raises(TypeError, match="require grad"):
        np.gradient(y, leaf([0.0, 1.0, 3.0]), axis=0)
    with pytest.raises(ValueError, match="distances must match"):
        np.gradient(y, np.array([0.0, 1.0, 3.0, 4.0, 7.0]), axis=0)
    with pytest.raises(ValueError, match="out of range"):
        np.gradient(y, axis=2)
    u, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))
    a = leaf(u @ np.diag([3.0, 1.0, 0.1]) @ u.T)
    assert ag.gradcheck(lambda t: np.linalg.pinv(t), (a,))
    with pytest.raises(ValueError, match="cut nonzero singular values"):
        np.linalg.pinv(a, rcond=0.5)
    np.testing.assert_allclose(np.linalg.pinv(a.detach(), rcond=0.5).data,
                               np.linalg.pinv(a.data, rcond=0.5))  # no gradient asked: fine


def test_second_reviewers_findings_on_the_numpy_fixes():
    b = Tensor(np.array([True, True, False]))
    for f, t, initial in ((np.sum, b, 2), (np.sum, b, 0.5), (np.sum, Tensor(np.int8([1, 2])), 300),
                          (np.prod, Tensor(np.array([2, 3])), 1.5)):
        assert f(t, initial=initial).item() == f(t.data, initial=initial)
    for f, t, initial in ((np.max, Tensor(np.int8([100, 100])), 300),
                          (np.min, Tensor(np.array([1, 2])), np.inf)):
        with pytest.raises(OverflowError):
            f(t, initial=initial)
    rng = np.random.default_rng(0)
    for n in (10, 30, 100):  # full rank in float32: never taken for cut singular values
        np.linalg.pinv(leaf(rng.standard_normal((n, n))).astype(np.float32))
    assert np.linalg.pinv(leaf(np.zeros((0, 3)))).shape == (3, 0)
    with pytest.raises(TypeError, match="according to the rule 'safe'"):
        np.concatenate([Tensor(np.ones(1, np.float32)), Tensor(np.array([2 ** 24 + 1]))],
                       casting="safe")
