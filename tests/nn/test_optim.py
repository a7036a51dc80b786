"""Optimizers step for step against PyTorch on the same 2-layer network."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor

CONFIGS = {
    "sgd": (nn.optim.SGD, "SGD", dict(lr=0.1)),
    "sgd_momentum": (nn.optim.SGD, "SGD", dict(lr=0.05, momentum=0.9)),
    "sgd_nesterov_decay": (nn.optim.SGD, "SGD", dict(lr=0.05, momentum=0.8, nesterov=True,
                                                    weight_decay=0.01)),
    "adam": (nn.optim.Adam, "Adam", dict(lr=0.01)),
    "adam_decay": (nn.optim.Adam, "Adam", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6,
                                               weight_decay=0.05)),
}


def twin_networks(torch, rng):
    ours = nn.Sequential(nn.Linear(4, 5, dtype=np.float64, rng=rng), nn.Tanh(),
                         nn.Linear(5, 2, dtype=np.float64, rng=rng))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for (_, p), t in zip(ours.named_parameters(), theirs.parameters()):
            t.copy_(torch.tensor(p.data))
    return ours, theirs


def run_twins(torch, rng, make_ours, make_theirs, steps=20, between=None,
              tol=dict(rtol=1e-12, atol=1e-12)):
    """`steps` steps of cross-entropy training on twin networks, ours and
    PyTorch's, each with its optimizer (`make_*(parameters)`); `between(step,
    opt, topt)` runs before each step. Asserts the parameters agree to `tol`."""
    ours, theirs = twin_networks(torch, rng)
    opt, topt = make_ours(list(ours.parameters())), make_theirs(list(theirs.parameters()))
    x, y = rng.standard_normal((8, 4)), rng.integers(0, 2, 8)
    for step in range(steps):
        if between:
            between(step, opt, topt)
        opt.zero_grad()
        nn.functional.cross_entropy(ours(Tensor(x)), y).backward()
        opt.step()
        topt.zero_grad()
        torch.nn.functional.cross_entropy(theirs(torch.tensor(x)), torch.tensor(y)).backward()
        topt.step()
    for p, t in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, t.detach().numpy(), **tol)
    return opt, topt


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_twenty_steps_match_pytorch(name, rng, torch):
    ours_cls, torch_name, kwargs = CONFIGS[name]
    run_twins(torch, rng, lambda ps: ours_cls(ps, **kwargs),
              lambda ps: getattr(torch.optim, torch_name)(ps, **kwargs),
              tol=dict(rtol=1e-10, atol=1e-12))


def test_float32_parameters_stay_float32():
    lin = nn.Linear(3, 2)
    for opt in (nn.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9), nn.optim.Adam(lin.parameters())):
        nn.functional.mse_loss(lin(Tensor(np.ones((4, 3), dtype=np.float32))), np.zeros((4, 2))).backward()
        opt.step()
        assert all(p.dtype == np.float32 for p in lin.parameters())


def test_state_dict_round_trip_continues_identically(rng):
    def make():
        lin = nn.Linear(3, 2, dtype=np.float64, rng=np.random.default_rng(5))
        return lin, nn.optim.Adam(lin.parameters(), lr=0.05)

    x = Tensor(rng.standard_normal((6, 3)))
    a, opt_a = make()
    for _ in range(3):
        opt_a.zero_grad()
        a(x).sum().backward()
        opt_a.step()
    b, opt_b = make()
    b.load_state_dict(a.state_dict())
    opt_b.load_state_dict(opt_a.state_dict())
    for model, opt in ((a, opt_a), (b, opt_b)):
        opt.zero_grad()
        model(x).sum().backward()
        opt.step()
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_frozen_parameters_are_kept_and_left_as_they_are(torch):
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    net[0].weight.requires_grad = False  # PyTorch's recipe: freeze, then optimize everything
    frozen = net[0].weight.numpy().copy()
    opt = nn.optim.SGD(net.parameters(), lr=0.1)
    net(np.ones((3, 2))).sum().backward()
    opt.step()
    np.testing.assert_array_equal(net[0].weight.numpy(), frozen)
    assert net[0].weight.grad is None and net[0].bias.grad is not None


def test_bad_parameter_lists():
    lin = nn.Linear(2, 2)
    with pytest.raises(ValueError, match="empty parameter list"):
        nn.optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="parameter 2 appears more than once"):
        nn.optim.Adam([lin.weight, lin.bias, lin.weight])
    with pytest.raises(TypeError, match="parameter 0 is not a leaf Tensor"):
        nn.optim.SGD([Tensor([1.0], requires_grad=True) * 2], lr=0.1)
    with pytest.raises(TypeError, match=r"not the Sequential: pass model.parameters\(\)"):
        nn.optim.SGD(nn.Sequential(lin), lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        nn.optim.SGD(lin.parameters(), lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        nn.optim.SGD(lin.parameters(), lr=0.1, nesterov=True)


def test_step_skips_parameters_without_grad():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = nn.optim.SGD([a, b], lr=0.5)
    (a * 2).sum().backward()
    opt.step()
    np.testing.assert_array_equal(a.data, [0, 0])
    np.testing.assert_array_equal(b.data, [1, 1])


@pytest.mark.parametrize("make", [lambda ps: nn.optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: nn.optim.Adam(ps, lr=0.1)], ids=["sgd", "adam"])
def test_step_writes_into_the_parameter_array_unless_a_graph_holds_it(make):
    w = nn.Parameter(np.array([1.0, 2.0, 3.0]))
    opt = make([w])
    array = w.data
    for _ in range(2):  # the second step also updates the buffers in place
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        assert w.data is array and array.flags.writeable
    # a retained graph saved w's array: the step gives w a new array, and the
    # graph's second backward still sees the values it was computed from
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    before = array.copy()
    opt.step()
    assert w.data is not array and w.data.flags.writeable
    np.testing.assert_array_equal(array, before)
    w.grad = None
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, 2 * before)


def test_state_dict_is_not_aliased_with_the_buffers_updated_in_place():
    w = nn.Parameter(np.array([1.0, -1.0]))
    opt = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    saved = opt.state_dict()
    given = {"state": {0: {"momentum_buffer": np.array([5.0, 5.0])}},
             "param_groups": saved["param_groups"]}
    opt.step()
    np.testing.assert_array_equal(saved["state"][0]["momentum_buffer"], [2.0, -2.0])
    opt.load_state_dict(given)
    opt.step()
    np.testing.assert_array_equal(given["state"][0]["momentum_buffer"], [5.0, 5.0])


def test_a_thousand_steps_update_in_place_keep_memory_flat_and_unlock_everything():
    """The training loop as users write it, guard on: parameters keep their
    arrays, memory stays flat from step 100 to step 1,000 (a graph kept
    alive per step would grow by 900 graphs, 22 times the bound: what does
    grow is Python's free lists of small tuples, filling up to a cap), and
    after the last backward nothing is left read-only."""
    import tracemalloc

    from autograd_core import guard
    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(8, 16, rng=rng), nn.ReLU(), nn.Linear(16, 3, rng=rng))
    opt = nn.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    X = rng.standard_normal((64, 8)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    arrays = [p.data for p in net.parameters()]

    def loss_of(i):
        rows = slice(i % 4 * 16, i % 4 * 16 + 16)
        return nn.functional.cross_entropy(net(X[rows]), y[rows])

    def step(i):
        opt.zero_grad()
        loss_of(i).backward()
        opt.step()

    tracemalloc.start()
    try:
        for i in range(100):
            step(i)
        at_100 = tracemalloc.get_traced_memory()[0]
        kept = loss_of(0)  # what one graph left alive would cost
        one_graph = tracemalloc.get_traced_memory()[0] - at_100
        del kept
        for i in range(100, 1000):
            step(i)
        growth = tracemalloc.get_traced_memory()[0] - at_100
    finally:
        tracemalloc.stop()
    assert one_graph > 0 and growth < 40 * one_graph, (growth, one_graph)
    assert all(p.data is a for p, a in zip(net.parameters(), arrays))
    assert X.flags.writeable and y.flags.writeable and all(a.flags.writeable for a in arrays)


def test_a_step_that_fails_changes_nothing_and_a_bad_state_is_refused():
    a, b = nn.Parameter(np.array([1.0, 2.0])), nn.Parameter(np.array([3.0]))
    opt = nn.optim.SGD([a, b], lr=0.1, momentum=0.9)
    (a * a).sum().backward()
    opt.step()
    before = opt.state_dict()
    a.grad = Tensor(np.ones(2))
    b.grad = Tensor(np.ones(1))
    b.data = np.array([3.0, 4.0])  # its grad no longer fits: found before anything is touched
    with pytest.raises(ValueError, match="parameter 1 has shape"):
        opt.step()
    np.testing.assert_array_equal(a.data, [0.8, 1.6])
    np.testing.assert_array_equal(opt.state[a]["momentum_buffer"], before["state"][0]["momentum_buffer"])
    with pytest.raises(ValueError, match="'momentum_buffer' of parameter 0 has shape"):
        opt.load_state_dict({"state": {0: {"momentum_buffer": np.ones(3)}},
                             "param_groups": before["param_groups"]})
    np.testing.assert_array_equal(opt.state[a]["momentum_buffer"], before["state"][0]["momentum_buffer"])


def test_a_numpy_float64_learning_rate_keeps_float32_parameters_on_both_paths():
    w = nn.Parameter(np.ones(3, dtype=np.float32))
    opt = nn.optim.SGD([w], lr=np.float64(0.1))
    (w * w).sum().backward()
    opt.step()  # in place
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()  # w is held: a new array
    assert w.dtype == np.float32


def test_a_step_that_fails_on_a_shared_parameter_changes_nothing():
    import autograd_core as ag
    a = Tensor(np.ones(3), requires_grad=True)
    b = ag.from_numpy(np.ones(3)).requires_grad_()  # shares its array with numpy
    opt = nn.optim.SGD([a, b], lr=0.1, momentum=0.9)
    loss = (a * a).sum() + (b * b).sum()
    loss.backward(retain_graph=True)  # the graph still holds both arrays
    with pytest.raises(RuntimeError, match="made by from_numpy"):
        opt.step()
    assert a.data.tolist() == [1.0, 1.0, 1.0] and b.data.tolist() == [1.0, 1.0, 1.0]
    assert opt.state.get(a, {}) == {}  # no momentum buffer written either
    del loss  # the graph goes: the step runs, in place for both
    opt.step()
    assert a.data.tolist() == [0.8, 0.8, 0.8] and b.data.tolist() == [0.8, 0.8, 0.8]
