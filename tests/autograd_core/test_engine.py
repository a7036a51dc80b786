"""Gradient semantics of Tensors: accumulation, freeing, higher order,
hooks, grad modes, and errors that leave every .grad as it was."""
import sys
import threading
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor


def leaf(data, dtype=np.float64):
    return Tensor(data, requires_grad=True, dtype=dtype)


def test_shared_node_gets_sum_of_paths():
    a = leaf([1.0, 2.0])
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [4.0, 4.0])


def test_grad_is_a_tensor_and_accumulates_across_backwards():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    assert isinstance(x.grad, Tensor) and not x.grad.requires_grad
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * x.data + 3)
    x.grad = None
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1, 1, 1])


def test_non_leaf_grad_only_with_retain_grad():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = x * 3
    z.retain_grad()
    (y + z).sum().backward()
    with pytest.warns(UserWarning, match="call .retain_grad"):  # as PyTorch warns
        assert y.grad is None
    np.testing.assert_array_equal(z.grad.data, [1, 1])
    assert x.is_leaf and not y.is_leaf
    assert z.retains_grad and not y.retains_grad and not x.retains_grad


def test_second_backward_needs_retain_graph_and_graph_stays_readable():
    x = leaf([0.5, -1.0])
    y = x.tanh() * x
    loss = y.sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        loss.backward()
    # structure, data and grads survive for drawing
    assert loss._parents[0] is y and y.op == "Mul"
    np.testing.assert_allclose(y.data, np.tanh(x.data) * x.data)
    assert y._ctx.saved_tensors is None  # what was saved for backward is freed


def test_retain_graph_allows_a_second_backward():
    x = leaf([0.5, -1.0])
    loss = (x.exp() * x).sum()
    loss.backward(retain_graph=True)
    first = x.grad.data.copy()
    loss.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)


def test_third_derivative_of_tanh_matches_torch(torch):
    data = np.array([0.3, -1.2, 2.0, 0.0])
    x = leaf(data)
    g1, = ag.grad(x.tanh().sum(), x, create_graph=True)
    g2, = ag.grad(g1.sum(), x, create_graph=True)
    g3, = ag.grad(g2.sum(), x)
    t = torch.tensor(data, requires_grad=True)
    t1, = torch.autograd.grad(t.tanh().sum(), t, create_graph=True)
    t2, = torch.autograd.grad(t1.sum(), t, create_graph=True)
    t3, = torch.autograd.grad(t2.sum(), t)
    for ours, theirs in ((g1, t1), (g2, t2), (g3, t3)):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_backward_with_create_graph_makes_grad_differentiable():
    x = leaf([1.0, 2.0])
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_grad_returns_without_touching_dot_grad():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    out = (x * w).sum()
    gx, gw = ag.grad(out, [x, w])
    np.testing.assert_array_equal(gx.data, w.data)
    np.testing.assert_array_equal(gw.data, x.data)
    assert x.grad is None and w.grad is None


def test_grad_with_non_leaf_input_and_grad_outputs():
    x = leaf([1.0, 2.0])
    h = x * 2
    y = h ** 2
    gh, = ag.grad(y, h, grad_outputs=Tensor([1.0, 10.0], dtype=np.float64))
    np.testing.assert_allclose(gh.data, 2 * h.data * [1.0, 10.0])


def test_grad_unused_input():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ag.grad((x * 2).sum(), [x, unused])
    gx, gu = ag.grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert gu is None and gx.data[0] == 2.0


def test_failed_grad_leaves_graph_usable():
    x, unused = leaf([1.0]), leaf([2.0])
    out = (x * 3).sum()
    with pytest.raises(RuntimeError, match="not used"):
        ag.grad(out, [x, unused])
    out.backward()  # the failed call freed nothing
    assert x.grad.data[0] == 3.0


def test_hooks_replace_gradient_and_can_be_removed():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.data.copy()) or g * 10)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(seen[0], [2, 2])
    np.testing.assert_array_equal(x.grad.data, [20, 20])
    handle.remove()
    x.grad = None
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2, 2])


def test_hook_on_intermediate_changes_what_flows_down():
    x = leaf([1.0, 2.0])
    y = x * 3
    y.register_hook(lambda g: g * 0)
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0])


def test_hook_returning_wrong_shape_raises_and_changes_nothing():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    x.grad = Tensor([5.0, 5.0], dtype=np.float64)
    y = x * w
    y.register_hook(lambda g: Tensor(np.ones(3)))
    with pytest.raises(RuntimeError, match=r"hook returned a gradient of shape \(3,\)"):
        y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])
    assert w.grad is None


def test_detach_and_requires_grad_():
    x = leaf([1.0, 2.0])
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf
    y = Tensor([1.0, 2.0]).requires_grad_()
    assert y.requires_grad
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor([1, 2]).requires_grad_()
    with pytest.raises(TypeError, match="int64"):
        Tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError):
        Tensor([True, False], requires_grad=True)


def test_no_grad_enable_grad_set_grad_enabled():
    x = leaf([1.0])
    with ag.no_grad():
        assert not (x * 2).requires_grad
        with ag.enable_grad():
            assert (x * 2).requires_grad
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad

    @ag.no_grad()
    def infer(t):
        return t * 2

    @ag.set_grad_enabled(False)
    def infer2(t):
        return t * 2

    assert not infer(x).requires_grad and not infer2(x).requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_is_per_thread():
    x = leaf([1.0])
    inside, result = threading.Event(), {}

    def other_thread():
        inside.wait()
        result["requires_grad"] = (x * 2).requires_grad

    t = threading.Thread(target=other_thread)
    t.start()
    with ag.no_grad():
        inside.set()
        t.join()
    assert result["requires_grad"] is True


def test_errors_name_shapes():
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4,)))
    with pytest.raises(ValueError, match=r"\(2,3\).*\(4,\)"):
        a + b
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4,\)"):
        a @ b
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2, 3\)"):
        a @ a


def test_backward_errors():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="one element.*shape \\(2,\\)"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).backward()
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\).*shape \(2,\)"):
        (x * 2).backward(np.ones(3))
    assert x.grad is None


def test_failed_backward_in_custom_op_leaves_grads_alone():
    class Broken(ag.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return np.ones(7)  # not broadcastable to the input

    x, w = leaf([1.0, 2.0]), leaf([1.0, 1.0])
    w.grad = Tensor([9.0, 9.0], dtype=np.float64)
    out = (Broken.apply(x) * w).sum()
    with pytest.raises(RuntimeError, match=r"Broken.backward \(input 0\).*shape \(7,\).*shape \(2,\)"):
        out.backward()
    np.testing.assert_array_equal(w.grad.data, [9.0, 9.0])
    assert x.grad is None


def test_backward_returning_wrong_count():
    class TwoInputs(ag.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(RuntimeError, match="returned 1 gradients, but forward took 2"):
        TwoInputs.apply(leaf([1.0]), leaf([2.0])).sum().backward()


def test_softmax_family_stable_for_huge_logits():
    x = leaf([1e5, -1e5, 0.0, 1e5 - 1])
    s = x.softmax()
    ls = x.log_softmax()
    lse = x.logsumexp()
    assert np.all(np.isfinite(s.data)) and np.all(np.isfinite(ls.data)) and np.isfinite(lse.data)
    np.testing.assert_allclose(lse.data, 1e5 + np.log1p(np.exp(-1.0)))
    np.testing.assert_allclose(s.data.sum(), 1.0)
    (s[0] + ls[1] + lse).backward()
    assert np.all(np.isfinite(x.grad.data))


def test_sigmoid_saturates_without_nan():
    x = leaf([400.0, -400.0, 0.0], dtype=np.float32)
    s = x.sigmoid()
    s.sum().backward()
    np.testing.assert_array_equal(s.data, [1.0, 0.0, 0.5])  # underflows in float32...
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.25])  # ...and so does the slope
    x = leaf([400.0, -400.0])
    s = x.sigmoid()
    s.sum().backward()
    assert s.data[0] == 1.0 and x.grad.data[0] == 0.0
    np.testing.assert_allclose([s.data[1], x.grad.data[1]], np.exp(-400.0), rtol=1e-12)


def test_max_and_min_ties_share_gradient():
    x = leaf([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    x.max(axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    y = leaf([1.0, 1.0, 4.0])
    y.min().backward()
    np.testing.assert_allclose(y.grad.data, [0.5, 0.5, 0])
    a, b = leaf([1.0, 2.0]), leaf([1.0, 3.0])
    ag.maximum(a, b).sum().backward()
    np.testing.assert_allclose(a.grad.data, [0.5, 0])
    np.testing.assert_allclose(b.grad.data, [0.5, 1])


def test_tensor_chain_deep_at_default_recursion_limit():
    """20 times the recursion limit: no recursion anywhere (a million is a bench row)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        x = leaf([1.0])
        y = x
        for _ in range(20_000):
            y = y * 1.0
        y.sum().backward()
        assert x.grad.data[0] == 1.0
        del y
    finally:
        sys.setrecursionlimit(limit)


def test_graph_is_freed_when_output_is_dropped():
    x = leaf(np.ones(3))
    y = (x * 2).exp()
    ref = weakref.ref(y)
    loss = y.sum()
    loss.backward()
    del y, loss
    assert ref() is None  # no cycle or cache keeps the graph alive


def test_detect_anomaly_names_the_op_and_where_it_was_made():
    x = leaf([0.0, 1.0])
    with ag.detect_anomaly():
        y = x.sqrt()  # d sqrt / dx is inf at 0
        with pytest.raises(RuntimeError, match=r"(?s)'Sqrt'.*nan or inf.*created at:.*test_engine.py.*y = x.sqrt\(\)"):
            y.sum().backward()
    assert x.grad is None
    x.sqrt().sum().backward()  # outside anomaly mode: inf, no error
    assert np.isinf(x.grad.data[0])


def test_detect_anomaly_counts_inputs_among_all_arguments_constants_included():
    x = leaf([1.0, 2.0])
    with ag.detect_anomaly(), np.errstate(over="ignore"):
        y = (1e308 * x) * 10.0  # backward of the first Mul: 10 * 1e308 = inf, for its input 1
        with pytest.raises(RuntimeError, match=r"'Mul'.*gradient for input 1\."):
            y.sum().backward()
    assert x.grad is None


def test_grads_never_alias_each_other_or_your_arrays():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    seed = np.array([1.0, 1.0])
    (x + y).backward(seed)  # Add hands the same array to both leaves
    assert x.grad.data is not y.grad.data and x.grad.data is not seed
    x.grad.data[0] = 100.0
    assert y.grad.data[0] == 1.0 and seed[0] == 1.0
    z = leaf([1.0, 2.0])
    mine = Tensor(np.array([5.0, 6.0]), dtype=np.float64)
    z.register_hook(lambda g: mine)
    (z * 1).sum().backward()
    assert z.grad.data is not mine.data


def test_node_with_a_hundred_thousand_consumers():
    x = leaf([2.0])
    total = x * 0.0
    for _ in range(100_000):
        total = total + x * 1.0  # x feeds 100,000 ops
    total.sum().backward()
    assert x.grad.data[0] == 100_000.0


def test_thousand_training_steps_keep_memory_flat():
    import tracemalloc
    rng = np.random.default_rng(1)
    w1 = Tensor(rng.standard_normal((8, 16)) * 0.3, requires_grad=True)
    w2 = Tensor(rng.standard_normal((16, 1)) * 0.3, requires_grad=True)
    x, y = Tensor(rng.standard_normal((32, 8))), Tensor(rng.standard_normal((32, 1)))

    def step():
        loss = ((((x @ w1).relu() @ w2) - y) ** 2).mean()
        loss.backward()
        for w in (w1, w2):
            w.data = w.data - 0.01 * w.grad.data
            w.grad = None

    tracemalloc.start()
    for _ in range(100):
        step()
    at_100, _ = tracemalloc.get_traced_memory()
    for _ in range(900):
        step()
    at_1000, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    one_graph = 32 * 16 * 8 * 3  # a step's graph holds a few 32x16 float64 arrays
    assert at_1000 - at_100 < one_graph, (at_100, at_1000)


def test_detect_anomaly_counts_a_tensor_given_twice_at_its_own_place():
    class SecondIsNan(ag.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad * np.nan

    x = leaf([1.0, 2.0])
    with ag.detect_anomaly():
        y = SecondIsNan.apply(x, x)
        with pytest.raises(RuntimeError, match=r"'SecondIsNan'.*gradient for input 1\."):
            y.sum().backward()
