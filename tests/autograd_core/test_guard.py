"""The mutation guard: arrays a graph saved for backward are read-only until
no graph can use them, so a write between forward and backward fails loudly
instead of making backward return a wrong gradient."""
import gc
import threading

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Function, Tensor, mutation_guard

READ_ONLY = "read-only"


def leaf(values):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_writing_a_saved_leaf_fails_until_backward_and_the_gradient_is_right():
    x = leaf([1.0, 2.0, 3.0])
    loss = (x * x).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 5.0
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])
    x.data[0] = 5.0  # the graph is freed: writeable again
    assert x.data[0] == 5.0


def test_the_array_given_to_from_numpy_is_locked_then_given_back():
    array = np.array([1.0, -2.0])
    x = ag.from_numpy(array).requires_grad_()
    loss = (x * 3.0 * x).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        array[1] = 0.0
    np.testing.assert_array_equal(array, [1.0, -2.0])
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, -12.0])
    array[1] = 0.0
    assert array.flags.writeable


def test_a_constant_array_an_op_saved_is_locked_too():
    x = leaf([1.0, 2.0])
    weights = np.array([3.0, 4.0])
    loss = (x * weights).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        weights[0] = 0.0
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
    weights[0] = 0.0


def test_a_saved_intermediate_is_locked_and_an_unsaved_one_is_not():
    x = leaf([0.5, -1.0])
    t = x.tanh()  # tanh saves its output
    s = x + 1.0   # nothing saves s (yet)
    with pytest.raises(ValueError, match=READ_ONLY):
        t.data[0] = 0.0
    s.data[0] = s.data[0]  # writeable: no backward rule reads it
    loss = (t * s).sum()   # now Mul saves s
    with pytest.raises(ValueError, match=READ_ONLY):
        s.data[0] = 0.0
    loss.backward()
    t.data[0] = 0.0
    s.data[0] = 0.0


PRODUCTS = {  # op of x (1, 2) and a constant c (2, 2), and d op / d x against upstream u
    "x * c": (lambda x, c: x * c, lambda u, c: (u * c).sum(axis=0, keepdims=True)),
    "c * x": (lambda x, c: c * x, lambda u, c: (u * c).sum(axis=0, keepdims=True)),
    "x / c": (lambda x, c: x / c, lambda u, c: (u / c).sum(axis=0, keepdims=True)),
    "x @ c": (lambda x, c: x @ c, lambda u, c: u @ c.T),
    "Linear": (lambda x, c: nn.functional.linear(x, c), lambda u, c: u @ c),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_a_product_holds_only_the_operand_the_other_gradient_reads(name):
    # d(x * c)/dx reads c alone: the op keeps c (locked) and not x, which
    # stays writeable (a write into it cannot change this gradient), as
    # PyTorch saves only what backward reads
    op, vjp = PRODUCTS[name]
    x, c = leaf([[0.5, -2.0]]), np.array([[3.0, -0.25], [1.5, 2.0]])
    y = op(x, ag.from_numpy(c))
    x.data[...] = [[1.5, 4.0]]  # not saved: allowed, and changes no gradient
    with pytest.raises(ValueError, match=READ_ONLY):
        c[0, 0] = 1.0
    upstream = np.arange(1.0, y.size + 1).reshape(y.shape)
    (g,) = ag.grad(y, [x], upstream)
    np.testing.assert_allclose(g.data, vjp(upstream, c))
    del y
    gc.collect()
    c[0, 0] = 1.0  # let go


def test_an_operand_that_views_what_the_op_saved_is_locked_too():
    # x / c keeps c alone; x, a view made earlier into c's memory, would
    # still be writeable (numpy keeps an older view's write flag), and a
    # write through it would change what backward reads
    c = Tensor(np.arange(1.0, 5.0))
    x = c[:3].detach().requires_grad_()
    y = x / c[1:]
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[...] = 100.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 / np.arange(2.0, 5.0))
    x.data[...] = 100.0  # let go after backward
    buffer = np.arange(1.0, 4.0)
    x = ag.from_numpy(buffer[:]).requires_grad_()
    y = x * ag.from_numpy(buffer)
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 100.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 2.0, 3.0])
    shared = bytearray(np.arange(1.0, 5.0).tobytes())  # two arrays, no ndarray base in common
    x = ag.from_numpy(np.frombuffer(shared, count=3)).requires_grad_()
    y = x / ag.from_numpy(np.frombuffer(shared, offset=8))
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 100.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 / np.arange(2.0, 5.0))
    assert x.data.flags.writeable
    buffer = np.arange(1.0, 5.0)  # as_strided's base is not an ndarray
    x = ag.from_numpy(np.lib.stride_tricks.as_strided(buffer, (4,), (8,))).requires_grad_()
    y = x * ag.from_numpy(buffer)  # keeps the buffer itself
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 100.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.arange(1.0, 5.0))


def test_a_view_of_an_op_output_saved_by_a_second_graph_is_never_silently_written():
    # v views Y's array, which the op that made Y holds (no token); after
    # v's own graph is done, v stays read-only (loud) rather than be made
    # writeable while a later graph that saved v still needs it
    x0 = leaf(np.arange(1.0, 7.0))
    Y = x0 * 2.0
    v = Y.detach()[:3].requires_grad_()  # made before anything locked Y's array
    a = Y.sin()
    v.sin().sum().backward()
    v.grad = None
    z = (v ** 3).sum()  # saves v
    a.sum().backward()
    with pytest.raises((ValueError, RuntimeError)):
        with ag.no_grad():
            v.add_(1.0)
    with pytest.raises(ValueError, match=READ_ONLY):
        v.data[0] = 100.0
    z.backward()
    np.testing.assert_allclose(v.grad.data, 3 * np.arange(2.0, 7.0, 2) ** 2)


def test_an_op_output_another_graph_saved_through_an_alias_stays_locked_until_both_are_done():
    # Y's array is held by the op that made Y (for a = Y.sin()); a second
    # graph saves it through Y.detach(): when a's backward frees Y's op, the
    # second graph still needs the array, so it stays read-only until then
    x0 = leaf(np.arange(1.0, 7.0))
    Y = x0 * 2.0
    a = Y.sin()
    w = Y.detach().requires_grad_()
    z = (w ** 3).sum()
    a.sum().backward()
    with pytest.raises(ValueError, match=READ_ONLY):
        w.data[0] = 100.0
    z.backward()
    np.testing.assert_allclose(w.grad.data, 3 * (2 * np.arange(1.0, 7.0)) ** 2)
    assert w.data.flags.writeable  # both done
    # the other order: the second graph done first, the op that made Y holds on
    Y = x0 * 2.0
    a = Y.sin()
    z = (Y.detach().requires_grad_() ** 3).sum()
    z.backward()
    assert not Y.data.flags.writeable
    a.sum().backward()
    assert Y.data.flags.writeable


def test_a_read_only_constant_stays_read_only_after_backward():
    c = np.ones(3)
    c.setflags(write=False)
    x = leaf([1.0, 2.0, 3.0])
    (x * ag.from_numpy(c)).sum().backward()
    gc.collect()
    assert not c.flags.writeable


def test_writing_through_the_base_of_a_saved_view_fails():
    base = np.arange(6.0)
    x = ag.from_numpy(base).requires_grad_()
    v = x.reshape(2, 3)
    loss = (v * v).sum()  # Mul saves the reshaped view; its base is x's array
    with pytest.raises(ValueError, match=READ_ONLY):
        base[0] = 100.0
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 100.0
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, 2 * np.arange(6.0))
    base[0] = 100.0


def test_a_graph_dropped_without_backward_lets_go():
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()
    assert not x.data.flags.writeable
    del loss  # no backward: the graph is garbage, and so is its lock
    assert x.data.flags.writeable


@pytest.mark.parametrize("op", [lambda t: t.max(axis=1), lambda t: t.max(),
                                lambda t: t.logsumexp(axis=1), lambda t: (t * t).sqrt(),
                                lambda t: ag.where(t > 2.0, t, 0.0)])
@pytest.mark.parametrize("kind", ["leaf", "view"])
def test_everything_a_graph_locked_is_writeable_after_backward(op, kind):
    """Ops that hold a view and its base (a reduction's output saved as a
    view of a kept array, a from_numpy view): the base must come back
    first, or the view stays read-only for good."""
    big = np.array([[0.0, 0.0], [1.0, 5.0], [3.0, 2.0], [0.0, 0.0]])
    x = ag.from_numpy(big[1:3]) if kind == "view" else Tensor(big[1:3].copy())
    x.requires_grad_()
    y = op(x)
    (y * 2.0).sum().backward()
    assert x.data.flags.writeable and y.data.flags.writeable
    with ag.no_grad():
        x.sub_(0.5 * x.grad)
        y += 1.0
    if kind == "view":
        assert big.flags.writeable
        np.testing.assert_array_equal(big[1:3], x.data)  # the update went into the user's array


def test_parameters_that_are_slices_of_one_buffer_update_after_backward():
    """Two ops hold two slices of one array (and so each the array itself):
    the slice released first must not stay read-only once the array is
    released too (numpy gives no write flag to a view of a read-only base,
    so it waits for the base)."""
    flat = np.arange(1.0, 7.0)
    w1, w2 = ag.from_numpy(flat[:3]).requires_grad_(), ag.from_numpy(flat[3:]).requires_grad_()
    ((w1 * w1).sum() + (w2 * w2).sum()).backward()
    with ag.no_grad():
        w1.sub_(0.5 * w1.grad)
        w2.sub_(0.5 * w2.grad)
    np.testing.assert_array_equal(flat, np.zeros(6))  # w - 0.5 * 2w, written into the buffer


def test_a_slice_one_graph_let_go_is_writeable_once_the_other_graph_is_done():
    X = np.arange(8.0).reshape(4, 2)
    w = leaf([1.0, 1.0])
    a, b = X[:2], X[2:]
    first, second = (ag.from_numpy(a) * w).sum(), (ag.from_numpy(b) * w).sum()
    first.backward()
    with pytest.raises(ValueError, match=READ_ONLY):
        b[0, 0] = 7.0  # the second graph still needs it
    second.backward()
    a[0, 0] = b[0, 0] = 7.0
    X[3, 1] = 7.0


def test_two_graphs_on_one_leaf_keep_it_locked_until_both_are_done():
    x = leaf([1.0, 2.0])
    first, second = (x * x).sum(), (x * 2.0 * x).sum()
    first.backward()
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 7.0  # the second graph still needs it
    second.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0 + 4.0, 4.0 + 8.0])
    x.data[0] = 7.0


def test_retain_graph_keeps_the_lock_until_the_last_backward():
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[0] = 7.0
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 8.0])
    x.data[0] = 7.0


def test_an_array_that_was_read_only_before_stays_read_only():
    array = np.array([1.0, 2.0])
    array.setflags(write=False)
    x = ag.from_numpy(array).requires_grad_()
    (x * x).sum().backward()
    assert not array.flags.writeable  # not ours to unlock


def test_a_custom_function_s_saved_input_is_locked():
    class Cube(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a ** 3

        @staticmethod
        def backward(ctx, grad):
            a, = ctx.saved_tensors
            return 3 * a * a * grad

    x = leaf([1.0, 2.0])
    y = Cube.apply(x).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        x.data[1] = 0.0
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 12.0])


def test_index_arrays_are_copied_so_changing_them_later_is_harmless():
    x = leaf([1.0, 2.0, 3.0])
    index = np.array([0, 0, 2])
    y = (x[index] * Tensor([1.0, 2.0, 3.0])).sum()
    index[:] = 1
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.0, 3.0])


def test_clip_bounds_given_as_arrays_are_locked():
    x = leaf([-2.0, 0.5, 2.0])
    hi = np.array([1.0, 1.0, 1.0])
    y = x.clip(None, hi).sum()
    with pytest.raises(ValueError, match=READ_ONLY):
        hi[0] = -5.0
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0, 0.0])


def test_switched_off_nothing_is_locked():
    x = leaf([1.0, 2.0])
    with mutation_guard(False):
        loss = (x * x).sum()
    x.data[0] = 3.0  # allowed: you answer for it (the gradient now uses 3.0)
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 4.0])


def test_guard_switch_is_per_thread_and_restored():
    seen = {}

    def other():
        x = leaf([1.0])
        loss = (x * x).sum()
        seen["writeable"] = x.data.flags.writeable
        loss.backward()

    with mutation_guard(False):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen["writeable"] is False  # the other thread kept the default
    assert ag.engine.modes().guard is True


def test_second_order_gradients_still_work_under_the_guard():
    x = leaf([0.3, -0.7])
    y = (x * x * x).sum()
    (g,) = ag.grad(y, [x], create_graph=True)
    (h,) = ag.grad(g.sum(), [x])
    np.testing.assert_allclose(h.data, 6 * np.array([0.3, -0.7]))
    del y, g
    gc.collect()
    assert x.data.flags.writeable


def test_a_graph_freed_while_the_guard_holds_its_mutex_lets_go_without_hanging():
    # the guard allocates while it holds its mutex, so a garbage collection
    # there may free a graph (one in a reference cycle); that graph's tokens
    # then unlock at once, on the same thread, and take the mutex again
    from autograd_core import guard
    c = np.ones(3)
    held = [leaf([1.0, 2.0, 3.0]) * ag.from_numpy(c)]
    done = threading.Event()

    def free_inside():
        with guard._mutex:
            held.clear()  # the last reference: the token dies, _unlock runs here
        done.set()

    worker = threading.Thread(target=free_inside, daemon=True)
    worker.start()
    worker.join(5)
    assert done.is_set(), "the guard's mutex was taken twice on one thread"
    assert c.flags.writeable


def test_threads_sharing_one_array_leave_it_writeable():
    shared = np.ones(8)
    errors, grads = [], []

    def train():
        try:
            w = ag.from_numpy(shared).requires_grad_()  # one array, a tensor per thread
            for _ in range(300):
                (w * w * 0.5).sum().backward()
            grads.append(w.grad.data)
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=train) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert shared.flags.writeable
    for g in grads:
        np.testing.assert_allclose(g, 300 * np.ones(8))


def test_under_no_grad_nothing_is_locked():
    x = leaf([1.0, 2.0])
    with ag.no_grad():
        y = (x * x).tanh()
    assert x.data.flags.writeable and y.data.flags.writeable
    x.data[0] = 0.0  # (a locked array would raise here)
    y.data[0] = 0.0
    np.testing.assert_array_equal(x.data, [0.0, 2.0])
    np.testing.assert_allclose(y.data, [0.0, np.tanh(4.0)])
