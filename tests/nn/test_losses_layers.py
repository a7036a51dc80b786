"""Layers and losses against PyTorch: values and input gradients with a
random upstream gradient, for every reduction."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Tensor
from nn import functional as F

REDUCTIONS = ["mean", "sum", "none"]


def run_both(torch, ours, theirs, inputs, targets, reduction, rng, grad_rtol=1e-9):
    xs = [Tensor(x, requires_grad=True) for x in inputs]
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    out = ours(*xs, targets, reduction=reduction)
    tout = theirs(*ts, torch.tensor(targets), reduction=reduction)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=grad_rtol, atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse(reduction, rng, torch):
    run_both(torch, F.mse_loss, torch.nn.functional.mse_loss, [rng.standard_normal((4, 3))],
             rng.standard_normal((4, 3)), reduction, rng)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_integer_targets(reduction, rng, torch):
    run_both(torch, F.cross_entropy, torch.nn.functional.cross_entropy,
             [rng.standard_normal((5, 4)) * 3], rng.integers(0, 4, 5), reduction, rng)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probabilities(reduction, rng, torch):
    probs = rng.dirichlet(np.ones(4), size=5)
    run_both(torch, F.cross_entropy, torch.nn.functional.cross_entropy,
             [rng.standard_normal((5, 4))], probs, reduction, rng)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll(reduction, rng, torch):
    logp = np.log(rng.dirichlet(np.ones(3), size=6))
    run_both(torch, F.nll_loss, torch.nn.functional.nll_loss, [logp], rng.integers(0, 3, 6),
             reduction, rng)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce(reduction, rng, torch):
    p = rng.uniform(0.02, 0.98, (4, 3))
    run_both(torch, F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy, [p],
             rng.uniform(0, 1, (4, 3)), reduction, rng)


def test_bce_at_zero_and_one_is_finite_like_pytorch(torch):
    p = np.array([0.0, 1.0, 0.5, 1.0])
    y = np.array([1.0, 0.0, 1.0, 1.0])
    # At p = 0 or 1 the slope is (p - y) / 1e-12; PyTorch's 1e-12 is a float32 literal,
    # 4e-9 (relative) away from the float64 one we use, hence grad_rtol.
    run_both(torch, F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy, [p], y,
             "sum", np.random.default_rng(0), grad_rtol=1e-8)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_large_logits(reduction, rng, torch):
    z = np.array([[-100.0, 100.0, 0.0], [3.0, -2.0, 50.0]])
    run_both(torch, F.binary_cross_entropy_with_logits,
             torch.nn.functional.binary_cross_entropy_with_logits, [z],
             rng.uniform(0, 1, z.shape), reduction, rng)


def test_loss_modules_match_functions(rng):
    x, y = Tensor(rng.standard_normal((4, 3))), rng.integers(0, 3, 4)
    assert nn.CrossEntropyLoss()(x, y).item() == F.cross_entropy(x, y).item()
    assert nn.NLLLoss(reduction="sum")(x, y).item() == F.nll_loss(x, y, reduction="sum").item()
    t = rng.uniform(0, 1, (4, 3))
    assert nn.MSELoss()(x, t).item() == F.mse_loss(x, t).item()
    assert nn.BCEWithLogitsLoss()(x, t).item() == F.binary_cross_entropy_with_logits(x, t).item()
    p = x.sigmoid()
    assert nn.BCELoss(reduction="none")(p, t).shape == (4, 3)
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="avg")


def test_loss_bad_input():
    x = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="class target 4 is out of range for 4 classes"):
        F.cross_entropy(x, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match=r"targets must have shape \(3,\), got \(2,\)"):
        F.cross_entropy(x, np.array([0, 1]))
    with pytest.raises(ValueError, match="must be integers"):
        F.nll_loss(x, np.array([0.5, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"target shape \(3, 5\) does not match input shape \(3, 4\)"):
        F.cross_entropy(x, np.ones((3, 5)) / 5)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        F.binary_cross_entropy(Tensor([0.5, 1.5]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="does not match"):
        F.mse_loss(x, np.zeros(4))


def test_one_hot(torch):
    labels = np.array([2, 0, 1])
    ours = F.one_hot(labels, 4)
    np.testing.assert_array_equal(ours.data, torch.nn.functional.one_hot(torch.tensor(labels), 4).numpy())
    assert ours.dtype == np.int64 and F.one_hot(labels).shape == (3, 3)


def test_linear_against_torch(rng, torch):
    lin = nn.Linear(5, 3, dtype=np.float64, rng=rng)
    tlin = torch.nn.Linear(5, 3, dtype=torch.float64)
    with torch.no_grad():
        tlin.weight.copy_(torch.tensor(lin.weight.data))
        tlin.bias.copy_(torch.tensor(lin.bias.data))
    x = rng.standard_normal((4, 5))
    xs, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, tout = lin(xs), tlin(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    up = rng.standard_normal(out.shape)
    out.backward(up)
    tout.backward(torch.tensor(up))
    np.testing.assert_allclose(xs.grad.data, tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lin.weight.grad.data, tlin.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad.data, tlin.bias.grad.numpy(), rtol=1e-12)


def test_linear_init_matches_pytorch_bounds():
    lin = nn.Linear(100, 50, rng=np.random.default_rng(0))
    bound = 1 / np.sqrt(100)
    assert lin.weight.shape == (50, 100) and lin.weight.dtype == np.float32
    assert np.abs(lin.weight.data).max() <= bound and np.abs(lin.weight.data).max() > 0.9 * bound
    assert np.abs(lin.bias.data).max() <= bound
    again = nn.Linear(100, 50, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(lin.weight.data, again.weight.data)
    assert nn.Dense is nn.Linear and nn.Linear(3, 2, bias=False).bias is None


def test_linear_wrong_width_names_layer_and_widths():
    net = nn.Sequential(nn.Linear(64, 2), nn.Sigmoid(), nn.Linear(3, 3))
    with pytest.raises(ValueError, match=r"layer '2': Linear\(in_features=3.*expects inputs with 3 "
                                         r"features.*\(5, 2\) \(2 features\)"):
        net(Tensor(np.zeros((5, 64), dtype=np.float32)))


def test_activation_layers(rng):
    x = Tensor(rng.standard_normal((2, 3)))
    np.testing.assert_allclose(nn.Sigmoid()(x).data, 1 / (1 + np.exp(-x.data)))
    np.testing.assert_allclose(nn.Tanh()(x).data, np.tanh(x.data))
    np.testing.assert_allclose(nn.ReLU()(x).data, np.maximum(x.data, 0))
    np.testing.assert_allclose(nn.Softmax()(x).data.sum(axis=-1), 1.0)
    np.testing.assert_allclose(nn.LogSoftmax(dim=0)(x).data, x.log_softmax(0).data)
    assert nn.Identity()(x) is x
    assert nn.Flatten()(Tensor(np.zeros((2, 3, 4)))).shape == (2, 12)


def test_losses_are_differentiable_twice():
    x = Tensor(np.array([[0.3, -1.2, 2.0], [0.1, 0.2, -0.3]]), requires_grad=True)
    y = np.array([2, 0])
    assert ag.gradgradcheck(lambda t: F.cross_entropy(t, y), (x,))
    t = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.2]])
    assert ag.gradgradcheck(lambda z: F.binary_cross_entropy_with_logits(z, t), (x,))
    p = Tensor(np.array([0.2, 0.7, 0.4]), requires_grad=True)
    assert ag.gradgradcheck(lambda q: F.binary_cross_entropy(q, np.array([1.0, 0.0, 1.0])), (p,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_one_sample_and_second_derivatives(reduction, rng, torch):
    """The fused op with its reduction inside: a single (C,) sample against
    PyTorch, second derivatives, and float32 kept."""
    run_both(torch, F.cross_entropy, torch.nn.functional.cross_entropy,
             [rng.standard_normal(4) * 3], np.array(2), reduction, rng)
    x = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    y = np.array([3, 0, 3])
    assert ag.gradgradcheck(lambda t: F.cross_entropy(t, y, reduction=reduction), (x,))
    z = Tensor(rng.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    loss = F.cross_entropy(z, y, reduction=reduction)
    loss.backward(np.ones(loss.shape, dtype=np.float32))
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32


def test_cross_entropy_keeps_its_own_copy_of_the_targets():
    x = Tensor(np.zeros((2, 3)), requires_grad=True)
    y = np.array([0, 2])
    loss = F.cross_entropy(x, y, reduction="sum")
    y[:] = 1  # the caller reuses its label buffer before backward
    loss.backward()
    np.testing.assert_allclose(x.grad.data, np.full((2, 3), 1 / 3) - np.eye(3)[[0, 2]])
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        F.cross_entropy(x, y, reduction="avg")


def test_class_targets_of_any_integer_dtype_and_byte_order_are_range_checked():
    x = Tensor(np.zeros((3, 4)))
    big_endian = np.array([1, 2, 3], dtype=">i4")
    np.testing.assert_allclose(F.cross_entropy(x, big_endian).item(), np.log(4))
    wide = Tensor(np.zeros((2, 300)))
    for labels in (np.array([-1, 3], np.int8), np.array([3, -1], np.int16)):
        with pytest.raises(ValueError, match="class target -1 is out of range for 300"):
            F.cross_entropy(wide, labels)
    with pytest.raises(ValueError, match="class target -1 is out of range"):
        F.one_hot(np.array([-1], np.int8), 300)
    # int8 with 128 classes: every label fits, and a negative one is still caught
    edge = Tensor(np.zeros((3, 128)))
    np.testing.assert_allclose(F.cross_entropy(edge, np.array([0, 127, 5], np.int8)).item(),
                               np.log(128))
    for bad in (-1, -128):
        with pytest.raises(ValueError, match=f"class target {bad} is out of range for 128"):
            F.cross_entropy(edge, np.array([3, bad, 0], np.int8))


# -- (N, C, d1, ...): classes on axis 1, as PyTorch ---------------------------------------

SPATIAL_SHAPES = [(2, 3, 4), (2, 3, 4, 5), (3, 2, 1), (2, 3, 3)]


def _class_probabilities(rng, shape):
    """Probabilities over axis 1 of `shape` (each position's sum to 1)."""
    return np.ascontiguousarray(  # (PyTorch's nll_loss2d backward needs contiguous input)
        np.moveaxis(rng.dirichlet(np.ones(shape[1]), size=shape[:1] + shape[2:]), -1, 1))


@pytest.mark.parametrize("shape", SPATIAL_SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_with_positions_are_pytorchs(shape, reduction, rng, torch):
    labels = rng.integers(0, shape[1], shape[:1] + shape[2:])
    logits = rng.standard_normal(shape) * 2
    run_both(torch, F.cross_entropy, torch.nn.functional.cross_entropy, [logits], labels,
             reduction, rng)
    run_both(torch, F.cross_entropy, torch.nn.functional.cross_entropy, [logits],
             _class_probabilities(rng, shape), reduction, rng)
    log_probs = np.log(_class_probabilities(rng, shape))
    run_both(torch, F.nll_loss, torch.nn.functional.nll_loss, [log_probs], labels, reduction, rng)
    for module, theirs, data in ((nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss, logits),
                                 (nn.NLLLoss, torch.nn.NLLLoss, log_probs)):
        run_both(torch, lambda x, y, reduction: module(reduction=reduction)(x, y),
                 lambda x, y, reduction: theirs(reduction=reduction)(x, y), [data], labels,
                 reduction, rng)


def test_cross_entropy_with_positions_is_differentiable_twice(rng):
    x = Tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    labels = rng.integers(0, 3, (2, 4))
    assert ag.gradgradcheck(lambda t: F.cross_entropy(t, labels), (x,))
    assert ag.gradgradcheck(lambda t: F.nll_loss(t.log_softmax(axis=1), labels), (x,))
    probs = _class_probabilities(rng, (2, 3, 4))
    assert ag.gradgradcheck(lambda t: F.cross_entropy(t, probs, reduction="sum"), (x,))


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_target_shape_errors_say_which_shape_is_expected(loss):
    x = Tensor(np.zeros((2, 3, 4)))
    # (used to say "targets must have shape (2, 3), got (2, 3)" for input (2, 3, 3))
    with pytest.raises(ValueError, match=r"for input shape \(2, 3, 4\) \(classes on axis 1\) "
                                         r"integer targets must have shape \(2, 4\), got \(2, 3\)"):
        loss(x, np.zeros((2, 3), int))
    with pytest.raises(ValueError, match="class target 3 is out of range for 3 classes"):
        loss(x, np.full((2, 4), 3))
    with pytest.raises(ValueError, match="needs a class axis"):
        loss(Tensor(np.float64(1.0)), np.array(0))
    with pytest.raises(ValueError, match="class indices must be integers"):
        F.cross_entropy(x, np.zeros((2, 4)))
