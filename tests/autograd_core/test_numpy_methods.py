"""Tensor methods in numpy's names, and PyTorch's where numpy has none.
Where the two libraries mean different things by one spelling, the PyTorch
spelling gives PyTorch's answer or raises naming the difference: each such
case is tested both ways."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


X = np.array([[3.0, -1.0, 2.0, 0.5], [0.25, 4.0, -2.0, 1.0], [1.5, 0.0, -0.5, 2.5]])


def both(torch, data=X):
    return leaf(data), torch.tensor(data, requires_grad=True)


def check(ours, theirs, x, t, rng):
    """Same values; same gradients for a random upstream gradient."""
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
    if ours.requires_grad:
        g = rng.standard_normal(ours.shape)
        ours.backward(g)
        theirs.backward(__import__("torch").tensor(g))
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)


# -- repeat: numpy repeats elements, PyTorch tiles --------------------------------------

@pytest.mark.parametrize("args", [(2,), (2, 1), ((2, 1),), ([1, 2, 0, 1],)])
def test_repeat_without_axis_is_ambiguous(args):
    with pytest.raises(TypeError, match=r"repeat_interleave.*tile"):
        leaf(X).repeat(*args)


def test_repeat_with_axis_is_numpys(torch, rng):
    x, t = both(torch)
    check(x.repeat(2, axis=1), t.repeat_interleave(2, dim=1), x, t, rng)
    assert np.array_equal(leaf(X).repeat(2, axis=None).data, np.repeat(X, 2))
    assert np.array_equal(leaf(X).repeat([1, 0, 2], axis=0).data, X.repeat([1, 0, 2], axis=0))
    assert np.array_equal(leaf(X).repeat(repeats=2, axis=0).data, X.repeat(repeats=2, axis=0))
    with pytest.raises(TypeError, match="repeat_interleave"):
        leaf(X).repeat(repeats=2)


def test_repeat_interleave_and_tile_are_pytorchs(torch, rng):
    x, t = both(torch)
    check(x.repeat_interleave(3, dim=0), t.repeat_interleave(3, dim=0), x, t, rng)
    x, t = both(torch)
    check(x.tile((2, 1, 2)), t.tile((2, 1, 2)), x, t, rng)
    x, t = both(torch)
    check(x.tile(2, 1), t.repeat(2, 1), x, t, rng)  # PyTorch's repeat is tile


# -- sort: numpy's sorts in place, PyTorch's returns (values, indices) ----------------

def test_sort_without_pytorch_keywords_sorts_in_place_as_numpy():
    t = Tensor(X.copy())
    with pytest.raises(TypeError, match=r"t.sort\(\) means two things"):
        t.sort()  # vals, idx = t.sort() is PyTorch's habit: it must not sort t in place
    np.testing.assert_array_equal(t.data, X)
    assert t.sort(axis=-1) is None
    np.testing.assert_array_equal(t.data, np.sort(X))
    t.sort(axis=0)
    np.testing.assert_array_equal(t.data, np.sort(np.sort(X), axis=0))


def test_sort_in_place_is_refused_where_the_gradient_would_be_lost():
    x = leaf(X)
    with pytest.raises(RuntimeError, match=r"in place.*np.sort\(t, axis\).*t.sort\(dim=-1\)"):
        x.sort(axis=-1)
    np.testing.assert_array_equal(x.data, X)  # unchanged
    with ag.no_grad():  # as every in-place update of a leaf: allowed under no_grad
        x.sort(axis=-1)
    np.testing.assert_array_equal(x.data, np.sort(X))


def test_sort_with_pytorch_keywords_is_pytorchs(torch, rng):
    x, t = both(torch)
    values, indices = x.sort(dim=1)
    tv, ti = t.sort(dim=1)
    np.testing.assert_array_equal(indices.data, ti.numpy())
    check(values, tv, x, t, rng)
    x, t = both(torch)
    values, indices = x.sort(dim=0, descending=True)
    tv, ti = t.sort(dim=0, descending=True)
    np.testing.assert_array_equal(indices.data, ti.numpy())
    check(values, tv, x, t, rng)
    np.testing.assert_array_equal(x.data, X)  # not in place


def test_argsort(torch):
    x, t = both(torch)
    np.testing.assert_array_equal(x.argsort().data, t.argsort().numpy())
    np.testing.assert_array_equal(x.argsort(dim=0, descending=True).data,
                                  t.argsort(dim=0, descending=True).numpy())
    np.testing.assert_array_equal(x.argsort(axis=0).data, np.argsort(X, axis=0))


# -- PyTorch's names that numpy lacks -----------------------------------------------

def test_split_and_chunk_are_pytorchs(torch, rng):
    x, t = both(torch, np.arange(10.0))
    ours, theirs = x.split(3), t.split(3)
    assert [p.shape for p in ours] == [tuple(p.shape) for p in theirs]  # 3, 3, 3, 1
    check(ag.cat([p * (i + 1) for i, p in enumerate(ours)]),
          __import__("torch").cat([p * (i + 1) for i, p in enumerate(theirs)]), x, t, rng)
    x, t = both(torch)
    assert [p.shape for p in x.split([1, 3], dim=1)] == [tuple(p.shape) for p in t.split([1, 3], dim=1)]
    for n in (1, 2, 3, 4):
        assert [p.shape for p in x.chunk(n, dim=1)] == [tuple(p.shape) for p in t.chunk(n, dim=1)]
    assert [p.shape for p in np.split(leaf(np.arange(10.0)), 2)] == [(5,), (5,)]  # numpy's


def test_topk(torch, rng):
    x, t = both(torch)
    values, indices = x.topk(2, dim=1)
    tv, ti = t.topk(2, dim=1)
    np.testing.assert_array_equal(indices.data, ti.numpy())
    check(values, tv, x, t, rng)
    x, t = both(torch)
    values, indices = x.topk(2, dim=0, largest=False)
    tv, ti = t.topk(2, dim=0, largest=False)
    np.testing.assert_array_equal(indices.data, ti.numpy())
    check(values, tv, x, t, rng)


@pytest.mark.parametrize("kwargs", [{}, {"p": 1}, {"p": 3, "dim": 0}, {"dim": 1, "keepdim": True},
                                    {"p": float("inf"), "dim": 1}, {"p": "nuc"}, {"p": "fro", "dim": (0, 1)}])
def test_norm_is_pytorchs(torch, rng, kwargs):
    x, t = both(torch)
    check(x.norm(**kwargs), t.norm(**kwargs), x, t, rng)


def test_norm_takes_numpys_axis_names():
    x = leaf(X)
    np.testing.assert_allclose(x.norm(axis=1, keepdims=True).data,
                               np.linalg.norm(X, axis=1, keepdims=True))


def test_masked_fill(torch, rng):
    mask = X > 1
    x, t = both(torch)
    check(x.masked_fill(mask, -1.0), t.masked_fill(torch.tensor(mask), -1.0), x, t, rng)
    x, t = both(torch)
    v, tv = leaf(2.0), torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    check(x.masked_fill(mask[0], v), t.masked_fill(torch.tensor(mask[0]), tv), x, t, rng)
    assert v.grad.item() == tv.grad.item()
    with pytest.raises(TypeError, match="boolean"):
        x.masked_fill(X, 0.0)


def test_clone_copy_numel_tolist(torch, rng):
    x, t = both(torch)
    check(x.clone() * 2, t.clone() * 2, x, t, rng)
    y = leaf(X)
    c = y.copy()
    assert c.data is not y.data and not np.shares_memory(c.data, y.data)
    c.sum().backward()
    assert (y.grad.data == 1).all()
    assert x.numel() == 12 and x.tolist() == X.tolist()


# -- numpy's names ------------------------------------------------------------------------

def test_numpy_methods(torch, rng):
    for ours, theirs in [
        (lambda a: a.ravel(), lambda a: a.ravel()),
        (lambda a: a.cumsum(1), lambda a: a.cumsum(1)),
        (lambda a: a.cumsum(dim=0), lambda a: a.cumsum(dim=0)),
        (lambda a: a.cumprod(axis=1), lambda a: a.cumprod(1)),
        (lambda a: a.diagonal(1), lambda a: a.diagonal(1)),
        (lambda a: a.diagonal(dim1=1, dim2=0), lambda a: a.diagonal(dim1=1, dim2=0)),
        (lambda a: a.trace(), lambda a: a.trace()),
        (lambda a: a[0].dot(a[1]), lambda a: a[0].dot(a[1])),
        (lambda a: a.dot(a.T), lambda a: a @ a.T),
        (lambda a: a % 1.5, lambda a: a % 1.5),
        (lambda a: 2.0 % (a + 5), lambda a: 2.0 - (2.0 / (a + 5)).floor() * (a + 5)),
    ]:
        x, t = both(torch)
        check(ours(x), theirs(t), x, t, rng)
    x = leaf(X)
    assert x.cumsum().shape == (12,)  # numpy's: the flattened array
    r = x.round(1)
    assert not r.requires_grad and np.array_equal(r.data, X.round(1))
    assert (x // 2).data.tolist() == (X // 2).tolist() and not (x // 2).requires_grad


def test_sort_in_place_leaves_a_graph_its_saved_values():
    w = leaf([3.0, 1.0, 2.0])
    t = Tensor([3.0, 1.0, 2.0])
    loss = (w * t).sum()  # Mul saved t's array for backward
    t.sort(axis=-1)
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 1.0, 2.0])  # the values the graph saw


# -- flatten: numpy's flatten(order), PyTorch's flatten(start_dim, end_dim) ----------------

@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_flatten_with_a_string_is_numpys_order(order, rng):
    for data in (X, np.asfortranarray(X), X[:, ::2]):
        x = leaf(data)
        for y in (x.flatten(order), x.flatten(order=order)):
            np.testing.assert_array_equal(y.data, data.flatten(order))
        g = rng.standard_normal(data.size)
        x.flatten(order).backward(g)  # each element's gradient back to its place
        expected = np.zeros(data.size)
        positions = np.empty_like(data, dtype=np.intp)  # laid out as data, for 'A' and 'K'
        positions[...] = np.arange(data.size).reshape(data.shape)
        expected[positions.flatten(order)] = g
        np.testing.assert_array_equal(x.grad.data, expected.reshape(data.shape))
    assert leaf(2.0).flatten("F").shape == (1,) == np.float64(2.0).flatten("F").shape


def test_flatten_with_ints_is_pytorchs_and_the_two_spellings_do_not_mix(torch):
    x = leaf(np.zeros((2, 3, 4)))
    assert x.flatten(1).shape == tuple(torch.zeros(2, 3, 4).flatten(1).shape)
    with pytest.raises(TypeError, match=r"numpy's flatten\(order\), which takes no start_dim"):
        x.flatten("F", 1)
    with pytest.raises(TypeError, match=r"numpy's flatten\(order\), which takes no start_dim"):
        x.flatten(1, order="F")
    with pytest.raises(ValueError, match="order must be one of"):
        x.flatten("X")


# -- numpy's and PyTorch's names for one axis, in the numpy-name methods ---------------------

@pytest.mark.parametrize("call", [
    lambda t: t.cumsum(axis=0, dim=1),
    lambda t: t.cumsum(axis=-1, dim=0),  # (-1 was taken for "not given")
    lambda t: t.cumprod(axis=1, dim=0),
    lambda t: t.sort(axis=0, dim=1),
    lambda t: t.sort(axis=-1, dim=0),
    lambda t: t.argsort(axis=0, dim=1),
    lambda t: t.argsort(axis=-1, dim=0),
    lambda t: t.diagonal(axis1=0, dim1=1),
    lambda t: t.diagonal(axis2=1, dim2=0),
])
def test_axis_and_dim_together_raise(call):
    t = Tensor(X.copy())
    with pytest.raises(TypeError, match="give axis= or dim=, not both"):
        call(t)
    np.testing.assert_array_equal(t.data, X)  # (sort did not run)


def test_the_two_names_alone_give_the_same_axis(torch):
    x, t = leaf(X), torch.tensor(X)
    for ours, theirs in [(x.cumsum(axis=0), t.cumsum(0)), (x.cumsum(dim=0), t.cumsum(dim=0)),
                         (x.cumsum(1), t.cumsum(1)), (x.cumprod(dim=-1), t.cumprod(-1)),
                         (x.diagonal(1, 1, 0), t.diagonal(1, 1, 0)),
                         (x.diagonal(axis1=1, axis2=0), t.diagonal(dim1=1, dim2=0)),
                         (x.argsort(dim=0), t.argsort(dim=0)), (x.argsort(0), t.argsort(0))]:
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(x.argsort(axis=None).data, np.argsort(X, axis=None))


@pytest.mark.parametrize("kwargs", [{"dim": ()}, {"dim": []}, {"dim": (), "keepdim": True},
                                    {"p": 1, "dim": []}, {"p": float("inf"), "dim": ()}])
def test_norm_over_an_empty_dim_is_over_every_axis_as_pytorch(kwargs, torch, rng):
    x, t = both(torch)
    check(x.norm(**kwargs), t.norm(**kwargs), x, t, rng)


@pytest.mark.parametrize("call", [
    lambda t: t.cumsum(dim=()), lambda t: t.cumprod(dim=[]), lambda t: t.sort(dim=()),
    lambda t: t.argsort(dim=()), lambda t: t.split(1, dim=()), lambda t: t.chunk(2, dim=()),
    lambda t: t.topk(1, dim=()), lambda t: t.repeat_interleave(2, dim=()),
    lambda t: t.cumsum(dim=(0, 1)),
])
def test_ops_along_one_axis_refuse_a_tuple_dim_as_pytorch(call):
    with pytest.raises(TypeError, match=r"dim= takes one axis \(an int\)"):
        call(leaf(X))


def test_norm_takes_keepdim_or_keepdims_not_both():
    with pytest.raises(TypeError, match="give keepdim= or keepdims=, not both"):
        leaf(X).norm(dim=1, keepdim=True, keepdims=False)


def test_scans_of_a_0d_tensor_follow_the_spelling(torch):
    for name in ("cumsum", "cumprod"):
        x, t = leaf(2.5), torch.tensor(2.5, dtype=torch.float64, requires_grad=True)
        for dim in (0, -1):
            ours, theirs = getattr(x, name)(dim=dim), getattr(t, name)(dim=dim)
            assert ours.shape == tuple(theirs.shape) == ()  # PyTorch's
            ours.backward()
            theirs.backward()
            assert x.grad.item() == t.grad.item()
            x.grad, t.grad = None, None
        assert getattr(x, name)(axis=0).shape == getattr(np, name)(np.float64(2.5), axis=0).shape
        assert getattr(x, name)().shape == (1,)  # numpy's: the flattened tensor
        with pytest.raises(TypeError, match=r"of a 0-d tensor means two things.*axis= or dim="):
            getattr(x, name)(0)
        with pytest.raises(np.exceptions.AxisError):
            getattr(x, name)(dim=1)


@pytest.mark.parametrize("shape, chunks, dim", [((0,), 2, 0), ((0, 4), 3, 0), ((4, 0), 3, 1),
                                                ((2,), 5, 0), ((7, 2), 3, 0), ((0,), 1, 0)])
def test_chunk_gives_pytorchs_pieces(shape, chunks, dim, torch):
    ours = Tensor(np.zeros(shape)).chunk(chunks, dim)
    theirs = torch.zeros(shape).chunk(chunks, dim)
    assert [p.shape for p in ours] == [tuple(p.shape) for p in theirs]


@pytest.mark.parametrize("call", [lambda t: t.split(1), lambda t: t.chunk(1),
                                  lambda t: t.split([1])])
def test_split_and_chunk_of_a_0d_tensor_raise_as_pytorch(call):
    # (used to fail with "tuple index out of range")
    with pytest.raises(ValueError, match="expects at least a 1-dimensional tensor"):
        call(leaf(2.0))


# -- sort's and argsort's positional arguments mean two things -------------------------------

@pytest.mark.parametrize("args", [(0,), (-1,), (0, True), (0, "stable"), (None,)])
def test_sort_with_positional_arguments_raises_naming_both_spellings(args):
    s = Tensor([3.0, 1.0, 2.0])
    # `vals, idx = s.sort(0)` used to sort s in place, return None, then fail to unpack;
    # s.sort(0, True) said "sort kind must be str, not bool"
    with pytest.raises(TypeError, match=r"positional arguments mean different things in numpy "
                                        r"\(axis, kind\) and PyTorch \(dim, descending\): write "
                                        r"sort\(axis=0\).*sort\(dim=0\)"):
        s.sort(*args)
    np.testing.assert_array_equal(s.data, [3.0, 1.0, 2.0])  # unchanged


def test_sort_keywords_say_which(torch):
    s = Tensor([3.0, 1.0, 2.0])
    values, indices = s.sort(dim=0, descending=True)
    tv, ti = torch.tensor([3.0, 1.0, 2.0]).sort(0, True)
    np.testing.assert_array_equal(values.data, tv.numpy())
    np.testing.assert_array_equal(indices.data, ti.numpy())
    assert s.sort(axis=0) is None  # numpy's, in place
    np.testing.assert_array_equal(s.data, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="which names the axis dim=, not numpy's axis="):
        Tensor([3.0, 1.0]).sort(axis=0, descending=True)


def test_argsort_positional_axis_is_both_and_a_second_argument_raises(torch):
    x = leaf(X)
    np.testing.assert_array_equal(x.argsort(1).data, np.argsort(X, 1))
    with pytest.raises(TypeError, match=r"positional arguments mean different things.*"
                                        r"argsort\(axis=0\).*argsort\(dim=0\)"):
        x.argsort(0, True)
    with pytest.raises(TypeError, match="of a 0-d tensor means two things"):
        leaf(2.0).argsort(0)
    assert leaf(2.0).argsort(dim=0).shape == tuple(torch.tensor(2.0).argsort(dim=0).shape)
    assert leaf(2.0).argsort(axis=0).shape == np.argsort(np.float64(2.0), axis=0).shape
