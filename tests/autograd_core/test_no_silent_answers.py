"""Habits users bring from PyTorch and numpy: each works as they expect or
fails loudly, never a quiet wrong answer (issue 11's core items)."""
import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, Tensor


def leaf(values, dtype=np.float64):
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


# -- several outputs ---------------------------------------------------------------
class SinCos(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x), np.cos(x)

    @staticmethod
    def backward(ctx, g_sin, g_cos):
        x, = ctx.saved_tensors
        return g_sin * np.cos(x) - g_cos * np.sin(x)


class ValueAndIndex(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.index, ctx.shape = int(np.argmax(x)), x.shape
        return x.max(), np.array(ctx.index)

    @staticmethod
    def backward(ctx, g, g_index):
        out = np.zeros(ctx.shape)
        out[ctx.index] = 1
        return out * g


def test_a_function_may_return_several_outputs_as_pytorch(torch):
    x0 = np.array([0.3, -1.2, 2.0])
    x = leaf(x0)
    s, c = SinCos.apply(x)
    assert s.shape == c.shape == (3,) and s.op == c.op == "SinCos"
    (s * c.exp()).sum().backward()
    t = torch.tensor(x0, requires_grad=True)
    (t.sin() * t.cos().exp()).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12)
    x.grad = None
    SinCos.apply(x)[1].sum().backward()  # the unused output's gradient arrives as zeros
    np.testing.assert_allclose(x.grad.data, -np.sin(x0), rtol=1e-12)
    assert ag.gradcheck(lambda t: SinCos.apply(t), (leaf(x0),))
    assert ag.gradgradcheck(lambda t: SinCos.apply(t), (leaf(x0),))


def test_integer_outputs_of_a_function_carry_no_gradient():
    x = leaf([0.5, 3.0, 1.0])
    value, index = ValueAndIndex.apply(x)
    assert value.requires_grad and not index.requires_grad and index.item() == 1
    value.backward()
    np.testing.assert_array_equal(x.grad.data, [0, 1, 0])


# -- the spelling rule ------------------------------------------------------------
def test_max_and_min_with_dim_give_values_and_indices_as_pytorch(torch):
    a = np.array([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0]])
    for name in ("max", "min"):
        t, tt = leaf(a), torch.tensor(a, requires_grad=True)
        v, i = getattr(t, name)(dim=1)
        tv, ti = getattr(tt, name)(dim=1)
        np.testing.assert_array_equal(v.data, tv.detach().numpy())
        np.testing.assert_array_equal(i.data, ti.numpy())
        assert not i.requires_grad
        v.sum().backward()
        tv.sum().backward()
        np.testing.assert_array_equal(t.grad.data, tt.grad.numpy())  # to the index picked
        kept = getattr(leaf(a), name)(dim=0, keepdim=True)
        tkept = getattr(torch.tensor(a), name)(dim=0, keepdim=True)
        assert kept.values.shape == tuple(tkept.values.shape)
    t = leaf(a)
    t.max(axis=1).sum().backward()  # numpy's spelling: the values, ties share the gradient
    np.testing.assert_array_equal(t.grad.data, [[0, 0.5, 0.5], [0.5, 0, 0.5]])


def test_var_and_std_with_dim_are_unbiased_as_pytorch(torch):
    a = np.random.default_rng(0).standard_normal((4, 3))
    t, tt = Tensor(a), torch.tensor(a)
    np.testing.assert_allclose(t.var(dim=0).data, tt.var(dim=0).numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.std(dim=1).data, tt.std(dim=1).numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.var(dim=0, unbiased=False).data,
                               tt.var(dim=0, unbiased=False).numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.std(dim=0, correction=0).data,
                               tt.std(dim=0, correction=0).numpy(), rtol=1e-12)
    np.testing.assert_allclose(t.var(axis=0).data, a.var(axis=0), rtol=1e-12)  # numpy's
    np.testing.assert_allclose(t.var().data, a.var(), rtol=1e-12)
    np.testing.assert_allclose(t.std(axis=0, ddof=1).data, a.std(axis=0, ddof=1), rtol=1e-12)
    with pytest.raises(TypeError, match="not both"):
        t.var(ddof=0, unbiased=True)


def test_spellings_that_mean_different_things_raise():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="ambiguous"):
        t.transpose(0, 1)
    with pytest.raises(TypeError, match="maximum"):
        t.max(Tensor(np.zeros((2, 3))))
    with pytest.raises(TypeError, match="axis= or dim="):
        t.sum(axis=0, dim=1)
    np.testing.assert_array_equal(t.transpose(1, 0).data, t.data.T)
    three = Tensor(np.arange(24.0).reshape(2, 3, 4))
    np.testing.assert_array_equal(three.transpose(0, 2).data, three.data.swapaxes(0, 2))  # PyTorch's
    np.testing.assert_array_equal(three.transpose((2, 0, 1)).data, three.data.transpose(2, 0, 1))


def test_clamp_takes_pytorchs_keywords(torch):
    a = np.array([-2.0, 0.5, 3.0])
    np.testing.assert_array_equal(Tensor(a).clamp(min=0).data, torch.tensor(a).clamp(min=0).numpy())
    np.testing.assert_array_equal(Tensor(a).clamp(max=1).data, torch.tensor(a).clamp(max=1).numpy())
    np.testing.assert_array_equal(Tensor(a).clip(-1, 1).data, np.clip(a, -1, 1))


# -- dtypes: integers never promote floats; numbers never promote -----------------
@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
                                lambda a, b: a / b, lambda a, b: a ** b, lambda a, b: b ** a,
                                lambda a, b: ag.maximum(a, b), lambda a, b: ag.where(True, a, b)])
def test_integer_and_boolean_operands_keep_float32(op):
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    for other in (Tensor(np.array([2, 3])), np.array([2, 3]), np.array([True, True]),
                  np.int64(2), 2, 2.5):
        out = op(x, other)
        assert out.dtype == np.float32, (other, out.dtype)
        out.sum().backward()
        assert x.grad.dtype == np.float32
        x.grad = None


def test_float64_with_float32_follows_numpy():
    a = Tensor(np.ones(2, dtype=np.float32))
    assert (a + Tensor(np.ones(2))).dtype == np.float64  # numpy 2's promotion between floats
    assert (a @ Tensor(np.ones(2, dtype=np.int64))).dtype == np.float32


# -- nan where the answer is 0, at first and second order ---------------------------
def test_pow_at_zero_gives_pytorchs_zero_at_every_order(torch):
    x = leaf([0.0, 2.0])
    (g,) = ag.grad((x ** 0).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [0.0, 0.0])
    y = leaf([0.5, 2.0])
    (g,) = ag.grad((0.0 ** y).sum(), [y], create_graph=True)
    (h,) = ag.grad(g.sum(), [y])
    np.testing.assert_array_equal(g.data, [0.0, 0.0])
    np.testing.assert_array_equal(h.data, [0.0, 0.0])
    for base, exponent in [(0.0, 2.0), (0.0, 0.0), (0.0, 1.0), (-2.0, 2.0), (1.0, 0.5)]:
        a, b = leaf([base]), leaf([exponent])
        ta = torch.tensor([base], dtype=torch.float64, requires_grad=True)
        tb = torch.tensor([exponent], dtype=torch.float64, requires_grad=True)
        ga, gb = ag.grad((a ** b).sum(), [a, b], create_graph=True)
        tga, tgb = torch.autograd.grad((ta ** tb).sum(), [ta, tb], create_graph=True)
        np.testing.assert_allclose(ga.data, tga.detach().numpy(), equal_nan=True)
        np.testing.assert_allclose(gb.data, tgb.detach().numpy(), equal_nan=True)
        second = ag.grad((ga + gb).sum(), [a, b], allow_unused=True)
        tsecond = torch.autograd.grad((tga + tgb).sum(), [ta, tb], allow_unused=True)
        for ours, theirs in zip(second, tsecond):
            if np.isfinite(theirs.numpy()).all():
                np.testing.assert_allclose(ours.data, theirs.numpy())
            elif base == 0:  # PyTorch's own masked log(0) poisons its second order here
                assert np.isfinite(ours.data).all(), (base, exponent, ours)


def test_std_of_equal_values_has_gradient_zero_at_second_order_too():
    x = leaf([1.0, 1.0, 1.0])
    (g,) = ag.grad(x.std(), [x], create_graph=True)
    (h,) = ag.grad(g.sum(), [x])
    np.testing.assert_array_equal(g.data, [0, 0, 0])
    assert np.isfinite(h.data).all()


# -- first-hour crashes and misleading errors -------------------------------------
def test_a_one_element_tensor_formats_as_a_number():
    assert f"{Tensor(np.float64(0.123456)):.3f}" == "0.123"
    assert f"{Tensor([2.5]):.1f}" == "2.5"
    assert f"{Tensor([1.0, 2.0])}".startswith("Tensor(")
    with pytest.raises(TypeError, match="one element"):
        f"{Tensor([1.0, 2.0]):.2f}"


def test_backward_of_a_result_computed_under_no_grad_says_so():
    x = leaf([1.0])
    with ag.no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="computed under no_grad"):
        y.backward()
    with pytest.raises(RuntimeError, match="create the inputs with requires_grad=True"):
        (Tensor([1.0]) * 2).sum().backward()


def test_leaves_copy_and_pickle_without_their_graph():
    w = leaf([1.0, 2.0])
    (w * w).sum().backward()
    loss = (w * 3).sum()  # a live graph holds w's array
    for clone in (copy.deepcopy(w), pickle.loads(pickle.dumps(w))):
        assert clone is not w and clone.requires_grad and clone.is_leaf
        np.testing.assert_array_equal(clone.data, w.data)
        np.testing.assert_array_equal(clone.grad.data, w.grad.data)
        assert clone.data.flags.writeable and clone.data is not w.data
        clone.data[0] = 9.0
    assert w.data[0] == 1.0
    del loss
    with pytest.raises(RuntimeError, match="only leaf tensors can be copied"):
        copy.deepcopy(w * 2)


def test_a_dropped_output_still_differentiates_twice():
    class SinCosSaved(Function):
        @staticmethod
        def forward(ctx, x):
            s, c = np.sin(x), np.cos(x)
            ctx.save_for_backward(s, c)  # outputs saved: under create_graph they are nodes
            return s, c

        @staticmethod
        def backward(ctx, g_sin, g_cos):
            s, c = ctx.saved_tensors
            return g_sin * c - g_cos * s

    x = leaf([0.3, 1.2])
    s, c = SinCosSaved.apply(x)
    del c  # its Tensor is gone, its saved array is not
    (g,) = ag.grad((s * s).sum(), [x], create_graph=True)
    (h,) = ag.grad(g.sum(), [x])
    np.testing.assert_allclose(h.data, 2 * np.cos(2 * x.data), rtol=1e-12)


def test_complex_results_are_refused_not_dropped():
    x = leaf([1.0, 2.0])
    for make in (lambda: x + 1j, lambda: x * np.array([1j, 1]), lambda: Tensor([1.0]) * 1j):
        with pytest.raises(TypeError, match="a Tensor holds real numbers"):
            make()


# -- a float32 constant in a float64 computation -----------------------------------
@pytest.mark.parametrize("f", [
    lambda c, x: c ** x, lambda c, x: x ** c, lambda c, x: x / c, lambda c, x: c / x,
    lambda c, x: np.arctan2(c, x), lambda c, x: np.hypot(c, x),
    lambda c, x: np.logaddexp(c, x), lambda c, x: np.fmod(x, c) * c,
], ids=["c**x", "x**c", "x/c", "c/x", "arctan2", "hypot", "logaddexp", "fmod"])
def test_a_float32_constant_counts_as_its_exact_value_in_float64_gradients(f):
    # the result is float64 (numpy's promotion); its gradient must be too: a
    # backward that computed log(c) or c * c in float32 gave float32 accuracy
    c = np.array([3.3, 0.7], np.float32)
    grads = []
    for constant in (c, Tensor(c), c.astype(np.float64)):
        x = leaf([1.5, 2.5])
        (g,) = ag.grad(f(constant, x).sum(), [x], create_graph=True)
        # (x / c and fmod have a constant first derivative: no second one)
        gg = ag.grad(g.sum(), [x])[0].data if g.requires_grad else np.zeros(2)
        grads.append((g.data, gg))
    for g, gg in grads[:2]:  # a float32 array, a float32 Tensor that needs no gradient
        assert g.dtype == np.float64
        np.testing.assert_allclose(g, grads[2][0], rtol=1e-15)
        np.testing.assert_allclose(gg, grads[2][1], rtol=1e-15)


# -- constants that are not arrays, and backward returning fewer gradients -----------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_list_and_tuple_constants_broadcast_back_to_the_tensor(dtype):
    x = leaf([1.0, 2.0], dtype)
    (g,) = ag.grad((x * [[1.0, 2.0], [3.0, 4.0]]).sum(), [x], create_graph=True)
    assert g.shape == (2,) and g.dtype == dtype and g.data.tolist() == [4.0, 6.0]
    (gg,) = ag.grad((g * x).sum(), [x])
    assert gg.shape == (2,) and gg.data.tolist() == [4.0, 6.0]
    x = leaf([1.0, 2.0], dtype)
    ((x + (1.0, 2.0)) * x).sum().backward()
    assert x.grad.dtype == dtype and x.grad.data.tolist() == [3.0, 6.0]


class ScaledProduct(Function):
    """An elementwise op whose backward leaves out its constant's gradient."""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, k):
        ctx.save_for_backward(a, b)
        ctx.k = k
        return a * b * k

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b * ctx.k, grad * a * ctx.k  # (none for k: it is a number)


def test_a_backward_that_leaves_out_trailing_gradients_pairs_the_rest_by_position():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    ScaledProduct.apply(x, w, 2.0).sum().backward()
    assert x.grad.data.tolist() == [6.0, 8.0] and w.grad.data.tolist() == [2.0, 4.0]
    x = leaf([1.0, 2.0])
    ScaledProduct.apply(x, 3.0, 2.0).sum().backward()
    assert x.grad.data.tolist() == [6.0, 6.0]


@pytest.mark.parametrize("requires_grad", [False, True])
def test_pad_keeps_the_tensors_dtype_whatever_the_fill_value_and_requires_grad(requires_grad):
    x = Tensor(np.ones(3, np.float32), requires_grad=requires_grad)
    assert x.pad([(1, 1)], np.array(0.5)).dtype == np.float32
    assert x.pad([(1, 1)], leaf(0.5)).dtype == np.float32


@pytest.mark.parametrize("op", ["add", "sub", "mul", "truediv", "pow", "maximum"])
@pytest.mark.parametrize("which", ["first", "second", "both"])
def test_gradients_go_to_the_operands_that_require_them(torch, op, which):
    """Two arguments of one layout take the elementwise fast path: whichever
    needs the gradient gets it, whether the other is a Tensor that needs
    none or a number."""
    rng = np.random.default_rng(3)
    a_np, b_np = rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(0.5, 2.0, (2, 3))
    upstream = rng.standard_normal((2, 3))
    f = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.true_divide,
         "pow": np.power, "maximum": np.maximum}[op]
    tf = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "truediv": torch.div,
          "pow": torch.pow, "maximum": torch.maximum}[op]
    for b_is_number in (False, True):
        if b_is_number and (which != "first" or op == "maximum"):
            continue
        a = Tensor(a_np, requires_grad=which in ("first", "both"))
        b = 1.5 if b_is_number else Tensor(b_np, requires_grad=which in ("second", "both"))
        ta = torch.tensor(a_np, requires_grad=which in ("first", "both"))
        tb = 1.5 if b_is_number else torch.tensor(b_np, requires_grad=which in ("second", "both"))
        f(a, b).backward(upstream)
        tf(ta, tb).backward(torch.tensor(upstream))
        for ours, theirs in ((a, ta), (b, tb)):
            if isinstance(ours, Tensor):
                assert (ours.grad is None) == (theirs.grad is None), (op, which)
                if theirs.grad is not None:
                    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-12)
    if which == "second" and op != "maximum":  # a number first
        b = Tensor(b_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)
        f(1.5, b).backward(upstream)
        tf(torch.tensor(1.5, dtype=torch.float64), tb).backward(torch.tensor(upstream))
        np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), rtol=1e-12)


SAME_ARRAY = {  # one array, as the Tensor that needs a gradient and as a constant
    "x * x.detach()": (lambda x: x * x.detach(), lambda x: x * x.detach()),
    "x.detach() * x": (lambda x: x.detach() * x, lambda x: x.detach() * x),
    "x / x.detach()": (lambda x: x / x.detach(), lambda x: x / x.detach()),
    "x.detach() / x": (lambda x: x.detach() / x, lambda x: x.detach() / x),
    "x @ x.detach()": (lambda x: x @ x.detach(), lambda x: x @ x.detach()),
    "x.detach() @ x": (lambda x: x.detach() @ x, lambda x: x.detach() @ x),
    "x * x.data": (lambda x: x * x.data, lambda x: x * x.detach()),
    "einsum(d, x, d, d)": (lambda x: np.einsum("ij,ij,ij,ij->ij", x.detach(), x, x.detach(),
                                               x.detach()),
                           lambda x: x.detach() * x * x.detach() * x.detach()),
    "einsum(x, d, x, d)": (lambda x: np.einsum("ij,ij,ij,ij->ij", x, x.detach(), x, x.detach()),
                           lambda x: x * x.detach() * x * x.detach()),
    "saves (b, a)": (lambda x: Reversed.apply(x.detach(), x), lambda x: x.detach() * x),
    "saves (b, a), other order": (lambda x: Reversed.apply(x, x.detach()),
                                  lambda x: x * x.detach()),
}


class Reversed(Function):
    """a * b, saving its arguments in the other order."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(b, a)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        return grad * b, grad * a


@pytest.mark.parametrize("name", SAME_ARRAY)
def test_second_derivatives_tell_a_tensor_from_its_detached_array(torch, name):
    # both arguments hold one array: under create_graph the saved array must
    # become the argument it was saved for, not the first one that holds it
    ours, theirs = SAME_ARRAY[name]
    values = np.array([[1.0, 2.0], [-0.5, 1.5]])
    x, tx = leaf(values), torch.tensor(values, requires_grad=True)
    (g,) = ag.grad(ours(x).sum(), [x], create_graph=True)
    (tg,) = torch.autograd.grad(theirs(tx).sum(), [tx], create_graph=True)
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-12)
    assert g.requires_grad == tg.requires_grad, name
    if tg.requires_grad:
        (h,) = ag.grad(g.sum(), [x])
        (th,) = torch.autograd.grad(tg.sum(), [tx])
        np.testing.assert_allclose(h.data, th.numpy(), rtol=1e-12)


def test_two_tensors_needing_gradients_on_one_array_refuse_a_second_derivative():
    # x and a leaf made from its array: the op cannot say which it saved
    x = leaf([1.0, 2.0])
    twin = x.detach().requires_grad_()
    y = (x * twin).sum()
    with pytest.raises(RuntimeError, match="cannot tell which of them the op saved"):
        ag.grad(y, [x], create_graph=True)
    (g,) = ag.grad((x * twin).sum(), [x])  # first order: the same values either way
    np.testing.assert_allclose(g.data, [1.0, 2.0])
