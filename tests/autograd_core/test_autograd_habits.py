"""The autograd API used as torch.autograd is (a sweep's findings): each
agrees with PyTorch or refuses by name."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, Tensor

F = ag.functional


def leaf(values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def test_functional_works_inside_no_grad_as_pytorchs(torch):
    x = leaf([1.0, 2.0, 3.0])
    with ag.no_grad():
        jac = F.jacobian(lambda t: t * t, x)
        hess = F.hessian(lambda t: (t ** 3).sum(), x, create_graph=True)
        assert not (x * 2).requires_grad  # the caller's mode, back after the call
    np.testing.assert_array_equal(jac.data, np.diag([2.0, 4.0, 6.0]))
    np.testing.assert_array_equal(hess.data, np.diag([6.0, 12.0, 18.0]))
    assert hess.requires_grad


@pytest.mark.parametrize("name", ["vjp", "jvp", "hvp", "vhp"])
def test_functional_outputs_stay_connected_under_create_graph(torch, name):
    x, v = leaf([0.5, 1.5]), Tensor(np.array([1.0, -2.0]))
    tx = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    tv = torch.tensor([1.0, -2.0], dtype=torch.float64)
    f = (lambda t: (t.exp() * t).sum()) if name in ("hvp", "vhp") else (lambda t: t.exp() * t)
    out, g = getattr(F, name)(f, x, v, create_graph=True)
    tout, tg = getattr(torch.autograd.functional, name)(f, tx, tv, create_graph=True)
    assert out.requires_grad and tout.requires_grad
    (out.sum() + g.sum()).backward()
    (tout.sum() + tg.sum()).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


def test_grad_mode_decorators_cover_a_generators_body(torch):
    x = leaf([1.0])

    @ag.no_grad()
    def off(t):
        yield t * 2
        yield t * 3

    @ag.enable_grad()
    def on(t):
        yield t * 2

    assert [y.requires_grad for y in off(x)] == [False, False]
    assert (x * 2).requires_grad  # the caller's mode between the steps
    with ag.no_grad():
        assert next(on(x)).requires_grad


class _UnscaledSum(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x * x).sum()

    @staticmethod
    def backward(ctx, grad):
        return 2 * ctx.saved_tensors[0]  # forgets grad: right only when it is 1


def test_gradcheck_finds_a_backward_that_ignores_its_upstream_gradient_and_nan():
    with pytest.raises(ag.GradcheckError, match="not multiplied by its grad_output"):
        ag.gradcheck(_UnscaledSum.apply, (leaf([1.0, 2.0]),))
    assert not ag.gradcheck(_UnscaledSum.apply, (leaf([1.0, 2.0]),), raise_exception=False)
    # a nan gradient where finite differences see 0 (x * nan, then nansum) used to pass
    nan_times = lambda t: np.nansum(t * np.array([1.0, np.nan]))  # noqa: E731
    assert not ag.gradcheck(nan_times, (leaf([1.0, 2.0]),), raise_exception=False)


class _KeptOnCtx(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.x = x  # PyTorch users keep inputs this way too
        return x * x

    @staticmethod
    def backward(ctx, grad):
        return grad * 2 * ctx.x


def test_an_input_kept_on_ctx_differentiates_twice(torch):
    x = leaf([1.0, 2.0])
    y = _KeptOnCtx.apply(x).sum() + (x ** 3).sum()
    (g,) = ag.grad(y, [x], create_graph=True)
    (h,) = ag.grad(g.sum(), [x])
    np.testing.assert_array_equal(h.data, 6 * x.data + 2)
    assert ag.gradgradcheck(_KeptOnCtx.apply, (leaf([0.3, -1.2]),))


def test_grad_accumulates_without_touching_arrays_others_hold(torch):
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x * 2).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])
    np.testing.assert_array_equal(first.data, [2.0, 2.0])  # (a new tensor: the old may be held)
    seen = []
    w = leaf([1.0, 1.0])
    w.register_hook(seen.append)
    (w * 2).sum().backward()
    with ag.no_grad():
        w.grad /= 4
    np.testing.assert_array_equal(seen[0].data if hasattr(seen[0], "data") else seen[0], [2.0, 2.0])
    seen, v = [], leaf([1.0, 2.0])  # a hook on a non-leaf whose gradient reaches the leaf as it is
    h = v + 1.0
    h.register_hook(seen.append)
    (h * Tensor([3.0, 4.0])).sum().backward()
    (v * 10).sum().backward()
    np.testing.assert_array_equal(seen[0].data, [3.0, 4.0])
    given = Tensor([5.0, 6.0])  # a gradient= Tensor under create_graph is never written
    z = leaf([1.0, 2.0])
    (z + 1.0).backward(given, create_graph=True)
    z.backward(Tensor([1.0, 1.0]))
    np.testing.assert_array_equal(given.data, [5.0, 6.0])
    a, b = leaf([1.0]), leaf([2.0])
    (a + b).sum().backward(create_graph=True)
    assert a.grad is not b.grad and not np.shares_memory(a.grad.data, b.grad.data)
    with pytest.raises(RuntimeError, match="cannot be its own grad"):
        a.grad = a


def test_reviewers_regressions_in_grad_and_create_graph(torch):
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    n = x.exp()
    c = (n * w).sum()
    n.sum().backward()  # frees exp: n's array is writeable again
    with ag.no_grad():
        n.mul_(0.0)
    with pytest.raises(RuntimeError, match="whose own op an earlier backward freed"):
        ag.grad(c, [w])  # it read n's array: refused, as the full sweep would

    class Kept(Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(w)
            ctx.x = x
            return x * w

        @staticmethod
        def backward(ctx, g):
            (w,) = ctx.saved_tensors
            return g * w, g * ctx.x

    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    other = (x * x).sum()  # noqa: F841  (holds x's array, so the update below copies)
    y = Kept.apply(x, w).sum()
    with ag.no_grad():
        x.add_(10.0)
    with pytest.raises(RuntimeError, match="changed in place"):
        ag.grad(y, [x, w], create_graph=True)
    with ag.no_grad():
        w.mul_(0.0)
    np.testing.assert_array_equal(ag.grad(y, [x, w])[0].data, [3.0, 4.0])  # the saved w
    assert Tensor(np.float32([1.0])).add(2.5, alpha=2).dtype == np.float32
    with pytest.raises(IndexError, match="a uint8 index"):
        Tensor([1.0, 2.0])[Tensor(np.array([1, 0], np.uint8))]


class _NoBackward(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1.0


def test_grad_runs_only_the_graph_between_outputs_and_inputs(torch):
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    fired = []
    x.register_hook(lambda g: fired.append("x"))
    h = _NoBackward.apply(x) * 3  # below h: a Function without backward, and x's hook
    y = (h * h).sum() + (w * 2).sum()
    (g,) = ag.grad(y, [h], retain_graph=True)
    np.testing.assert_array_equal(g.data, 2 * h.data)
    assert fired == []
    (gw,) = ag.grad(y, [w])
    np.testing.assert_array_equal(gw.data, [2.0, 2.0])
    with ag.detect_anomaly():
        bad = np.sqrt(leaf([0.0, 1.0]))  # its backward gives inf at 0: below the input
        (g,) = ag.grad((bad * 2).sum(), [bad])
    np.testing.assert_array_equal(g.data, [2.0, 2.0])
    a, b = leaf([1.0]), leaf([2.0])  # an input below another input still gets its share
    mid = a * b
    grads = ag.grad((mid * mid).sum(), [mid, a])
    tx, ty = torch.tensor([1.0], requires_grad=True), torch.tensor([2.0], requires_grad=True)
    tm = tx * ty
    theirs = torch.autograd.grad((tm * tm).sum(), [tm, tx])
    for ours, t in zip(grads, theirs):
        np.testing.assert_allclose(ours.data, t.numpy())


def test_grad_frees_only_what_it_ran_through():
    x = leaf([1.0, 2.0])
    h = x * x  # saves x: its backward is below the input h
    y = (h * 3).sum()
    ag.grad(y, [h])  # frees y's ops, not h's
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_a_gradient_a_non_leaf_hook_kept_never_becomes_a_leafs_grad():
    seen, x = [], leaf([1.0, 2.0])
    y = x + 1.0  # Add passes the gradient on as it is
    y.register_hook(seen.append)
    (y * Tensor([3.0, 4.0])).sum().backward()
    with ag.no_grad():
        x.grad /= 4
    np.testing.assert_array_equal(seen[0].data, [3.0, 4.0])
    np.testing.assert_array_equal(x.grad.data, [0.75, 1.0])


def test_what_hooks_saw_under_create_graph_is_never_a_grad():
    x, seen = leaf([1.0, 2.0]), []
    x.register_hook(seen.append)
    (x * x).sum().backward(create_graph=True)
    assert seen[0] is not x.grad and not np.shares_memory(seen[0].data, x.grad.data)
    replacement = Tensor([5.0, 6.0])
    z = leaf([1.0, 2.0])
    z.register_hook(lambda g: replacement)
    (z * z).sum().backward(create_graph=True)
    assert not np.shares_memory(replacement.data, z.grad.data)
