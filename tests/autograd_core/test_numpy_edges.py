"""Boundary cases that have bitten other engines: ties, repeated indices,
singular matrices, norms at zero, and no nan at second order where a rule
picks a branch (the unselected branch must be harmless under create_graph)."""
import math

import numpy as np
import pytest
import scipy.special as sp

import autograd_core as ag
from autograd_core import Tensor


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


def first_and_second(f, *xs):
    """d(sum f)/dx, and d(sum of that)/dx, for each x."""
    out = f(*xs).sum()
    firsts = ag.grad(out, list(xs), create_graph=True)
    total = sum(g.sum() for g in firsts)
    if not total.requires_grad:  # the first derivative is constant
        return [g.data for g in firsts], [np.zeros(x.shape) for x in xs]
    seconds = ag.grad(total, list(xs), allow_unused=True)
    return [g.data for g in firsts], [None if g is None else g.data for g in seconds]


def test_sort_ties_send_each_gradient_to_one_element():
    x = leaf([1.0, 0.0, 1.0, 1.0])
    v = np.sort(x)
    g = np.array([10.0, 20.0, 30.0, 40.0])
    v.backward(g)
    # equal values keep their order (a stable sort): 0.0 <- 10; the ones <- 20, 30, 40
    np.testing.assert_array_equal(x.grad.data, [20.0, 10.0, 30.0, 40.0])


def test_partition_matches_numpy_element_for_element_with_ties():
    data = np.array([3.0, 1.0, 3.0, 0.0, 1.0, 2.0])
    x = leaf(data)
    p = np.partition(x, 3)
    np.testing.assert_array_equal(p.data, np.partition(data, 3))
    p.backward(np.arange(6.0))
    assert sorted(x.grad.data.tolist()) == list(range(6))  # each gradient lands once


def test_max_and_fmax_ties_share_the_gradient():
    x, y = leaf([1.0, 2.0]), leaf([1.0, 3.0])
    np.fmax(x, y).sum().backward()
    assert x.grad.data.tolist() == [0.5, 0.0] and y.grad.data.tolist() == [0.5, 1.0]
    z = leaf([2.0, 2.0, 1.0])
    np.linalg.norm(z, np.inf).backward()
    assert z.grad.data.tolist() == [0.5, 0.5, 0.0]


def test_fmax_ignores_nan_and_so_does_its_gradient():
    x, y = leaf([np.nan, 1.0]), leaf([2.0, np.nan])
    out = np.fmax(x, y)
    assert out.data.tolist() == [2.0, 1.0]
    out.sum().backward()
    assert x.grad.data.tolist() == [0.0, 1.0] and y.grad.data.tolist() == [1.0, 0.0]


def test_repeated_indices_accumulate():
    x = leaf([1.0, 2.0, 3.0])
    (np.take(x, [0, 0, 2, 0]) * np.array([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert x.grad.data.tolist() == [7.0, 0.0, 3.0]
    y = leaf(np.zeros((2, 2)))
    np.take_along_axis(y, np.array([[1, 1], [0, 1]]), axis=1).sum().backward()
    assert y.grad.data.tolist() == [[0.0, 2.0], [1.0, 1.0]]


def test_put_along_axis_with_repeated_indices_lets_the_last_value_win():
    x, v = leaf(np.zeros(3)), leaf([1.0, 2.0, 3.0])
    out = ag.put_along_axis(x, np.array([1, 1, 0]), v, axis=0)
    expected = np.zeros(3)
    np.put_along_axis(expected, np.array([1, 1, 0]), [1.0, 2.0, 3.0], axis=0)
    np.testing.assert_array_equal(out.data, expected)
    out.backward(np.array([10.0, 20.0, 30.0]))
    assert v.grad.data.tolist() == [0.0, 20.0, 10.0] and x.grad.data.tolist() == [0.0, 0.0, 30.0]


def test_singular_matrices_get_a_clear_error():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    a = leaf(singular)
    d = np.linalg.det(a)
    assert d.item() == 0.0
    with pytest.raises(np.linalg.LinAlgError, match="det: the matrix is singular"):
        d.backward()
    assert a.grad is None
    with pytest.raises(np.linalg.LinAlgError, match="inv: the matrix is singular"):
        np.linalg.inv(a)
    with pytest.raises(np.linalg.LinAlgError, match="solve: the matrix is singular"):
        np.linalg.solve(a, np.ones(2))
    sign, logdet = np.linalg.slogdet(a)
    assert sign.item() == 0.0
    with pytest.raises(np.linalg.LinAlgError, match="slogdet: the matrix is singular"):
        logdet.backward()


@pytest.mark.parametrize("f", [
    lambda x: np.linalg.norm(x),
    lambda x: np.linalg.norm(x, axis=1),
    lambda x: np.linalg.norm(x, ord=3, axis=0),
    lambda x: np.linalg.norm(x, "fro"),
    lambda x: x.norm(dim=1),
    lambda x: np.hypot(x[0], x[1]),
], ids=["2", "axis", "ord3", "fro", "method", "hypot"])
def test_norms_at_zero_have_gradient_zero_at_first_and_second_order(f):
    firsts, seconds = first_and_second(f, leaf(np.zeros((2, 3))))
    assert (firsts[0] == 0).all() and (seconds[0] == 0).all()


@pytest.mark.parametrize("name, f, inputs", [
    ("arctan2", np.arctan2, [[0.0, 1.0], [0.0, 2.0]]),
    ("copysign", np.copysign, [[0.0, -1.5], [-1.0, 2.0]]),
    ("xlogy", sp.xlogy, [[0.0, 0.0, 2.0], [0.0, -1.0, 3.0]]),
    ("xlog1py", sp.xlog1py, [[0.0, 0.0, 2.0], [-1.0, -2.0, 3.0]]),
    ("sinc", lambda x: np.sinc(x), [[0.0, 1e-5, 0.5]]),
    ("cumprod", lambda x: np.cumprod(x), [[2.0, 0.0, 3.0, 0.0]]),
    ("nan_to_num", lambda x: np.nan_to_num(x * x + np.array([np.inf, np.nan, 0.0])), [[0.0, 1.0, 2.0]]),
    ("logaddexp", np.logaddexp, [[-np.inf, 0.0], [0.0, 1.0]]),
])
def test_no_nan_at_second_order_where_a_rule_picks_a_branch(name, f, inputs):
    xs = [leaf(i) for i in inputs]
    with np.errstate(divide="ignore", invalid="ignore"):
        firsts, seconds = first_and_second(f, *xs)
    for g in firsts + [s for s in seconds if s is not None]:
        assert np.isfinite(g).all(), (name, firsts, seconds)


def test_sinc_at_zero_has_its_true_derivatives():
    firsts, seconds = first_and_second(np.sinc, leaf([0.0]))
    assert firsts[0][0] == 0.0
    assert math.isclose(seconds[0][0], -math.pi ** 2 / 3, rel_tol=1e-12)


def test_xlogy_at_zero_is_flat(torch):
    x, y = leaf([0.0, 0.0]), leaf([0.0, 2.0])
    sp.xlogy(x, y).sum().backward()
    tx = torch.tensor([0.0, 0.0], dtype=torch.float64, requires_grad=True)
    ty = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.special.xlogy(tx, ty).sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    # xlogy(0, y) is 0 for every y: flat in y. PyTorch's x / y gives nan at y = 0
    assert y.grad.data.tolist() == [0.0, 0.0] and ty.grad.numpy()[1] == 0.0
    assert np.isnan(ty.grad.numpy()[0])


def test_degenerate_eigenvalues_leave_the_eigenvalue_gradient_intact():
    a = leaf(np.eye(3) * 2.0)  # one eigenvalue, three times
    w, _ = np.linalg.eigh(a)
    w.sum().backward()
    np.testing.assert_allclose(a.grad.data, np.eye(3), atol=1e-12)
    b = leaf(np.eye(3))
    u, s, vh = np.linalg.svd(b, full_matrices=False)
    s.sum().backward()
    assert np.isfinite(b.grad.data).all()


def test_svd_refuses_what_has_no_gradient():
    a = leaf(np.ones((2, 3)))
    with pytest.raises(ValueError, match="full_matrices=False"):
        np.linalg.svd(a)
    u, s, vh = np.linalg.svd(a.detach())  # numpy's full matrices, without a gradient
    assert u.shape == (2, 2) and vh.shape == (3, 3)
    with pytest.raises(ValueError, match="hermitian=False"):
        np.linalg.svd(a, hermitian=True)


def test_cholesky_and_eigh_read_one_triangle_as_numpy_does():
    a = leaf([[4.0, 100.0], [2.0, 3.0]])  # the upper entry is never read
    np.linalg.cholesky(a).sum().backward()
    assert a.grad.data[0, 1] == 0.0
    b = leaf([[4.0, 2.0], [-100.0, 3.0]])  # the lower entry is never read with 'U'
    np.linalg.eigh(b, UPLO="U")[0].sum().backward()
    assert b.grad.data[1, 0] == 0.0
    np.testing.assert_allclose(np.linalg.eigh(b, "U")[0].data, np.linalg.eigh(b.data, "U")[0])
