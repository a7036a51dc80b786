"""The new layers against PyTorch in float64, forward and backward (with a
random upstream gradient, boundary values included), and against finite
differences at first and second order."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Tensor

TOL = dict(rtol=1e-10, atol=1e-12)


def twin(torch, ours, theirs):
    """Copy our layer's parameters into the PyTorch layer (float64)."""
    theirs = theirs.double()
    with torch.no_grad():
        for (name, p), (tname, t) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == tname
            t.copy_(torch.tensor(p.data))
    return theirs


def compare(torch, rng, ours, theirs, *inputs):
    """Forward and backward of ours(*inputs) against theirs, gradients of the
    inputs and of every parameter included."""
    xs = [Tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
    ts = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in inputs]
    out, tout = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), **TOL)
    g = rng.standard_normal(out.shape)
    out.backward(g)
    tout.backward(torch.tensor(g))
    for x, t in zip(xs, ts):
        if t.requires_grad:
            np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **TOL)
    if isinstance(ours, nn.Module):
        for (name, p), (_, t) in zip(ours.named_parameters(), theirs.named_parameters()):
            np.testing.assert_allclose(p.grad.data, t.grad.numpy(), err_msg=name, **TOL)
    return out


BOUNDARY = np.array([0.0, -0.0, 1e-9, -1e-9, 0.5, -0.5, 19.9, 20.1, -25.0, 25.0, 700.0, -800.0])

ACTIVATIONS = {
    "leaky_relu": (lambda: nn.LeakyReLU(), "LeakyReLU", ()),
    "leaky_relu_0.2": (lambda: nn.LeakyReLU(0.2), "LeakyReLU", (0.2,)),
    "elu": (lambda: nn.ELU(), "ELU", ()),
    "elu_0.5": (lambda: nn.ELU(0.5), "ELU", (0.5,)),
    "gelu": (lambda: nn.GELU(), "GELU", ()),
    "gelu_tanh": (lambda: nn.GELU("tanh"), "GELU", ("tanh",)),
    "softplus": (lambda: nn.Softplus(), "Softplus", ()),
    "softplus_beta2_threshold1": (lambda: nn.Softplus(2.0, 1.0), "Softplus", (2.0, 1.0)),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_pytorch(name, torch, rng):
    make, torch_name, args = ACTIVATIONS[name]
    x = np.concatenate([rng.standard_normal(30) * 3, BOUNDARY]).reshape(6, 7)
    with np.errstate(over="raise", invalid="raise"):  # no overflow in either branch
        compare(torch, rng, make(), getattr(torch.nn, torch_name)(*args), x)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_second_order(name, rng):
    layer = ACTIVATIONS[name][0]()
    x = Tensor(rng.standard_normal(8) * 2, requires_grad=True)
    assert ag.gradcheck(layer, (x,))
    assert ag.gradgradcheck(layer, (x,))


def test_activations_keep_float32(rng):
    x = Tensor(rng.standard_normal(5).astype(np.float32), requires_grad=True)
    for make, _, _ in ACTIVATIONS.values():
        out = make()(x)
        out.sum().backward()
        assert out.dtype == np.float32 and x.grad.dtype == np.float32


def test_flatten_matches_pytorch(torch, rng):
    x = rng.standard_normal((2, 3, 4, 5))
    for args in [(), (0,), (1, 2), (2, -1), (0, -2)]:
        compare(torch, rng, nn.Flatten(*args), torch.nn.Flatten(*args), x)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


@pytest.mark.parametrize("shape,normalized", [((4, 5), 5), ((2, 3, 4), (3, 4)), ((3, 6), (6,))])
def test_layer_norm_matches_pytorch(shape, normalized, torch, rng):
    ours = nn.LayerNorm(normalized, eps=1e-5, dtype=np.float64)
    for p in ours.parameters():  # not the trivial ones and zeros
        p.data = rng.standard_normal(p.shape)
    compare(torch, rng, ours, twin(torch, ours, torch.nn.LayerNorm(normalized)),
            rng.standard_normal(shape) * 3 + 1)
    bare = nn.LayerNorm(normalized, elementwise_affine=False, dtype=np.float64)
    assert list(bare.parameters()) == []
    compare(torch, rng, bare, torch.nn.LayerNorm(normalized, elementwise_affine=False).double(),
            rng.standard_normal(shape))
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    assert ag.gradgradcheck(ours, (x,))


def test_layer_norm_refuses_the_wrong_trailing_shape():
    with pytest.raises(ValueError, match=r"needs input whose shape ends in \(4,\)"):
        nn.LayerNorm(4)(np.ones((2, 5)))


def test_embedding_matches_pytorch(torch, rng):
    for padding_idx in (None, 2, -1):
        ours = nn.Embedding(6, 3, padding_idx=padding_idx, dtype=np.float64, rng=rng)
        theirs = twin(torch, ours, torch.nn.Embedding(6, 3, padding_idx=padding_idx))
        if padding_idx is not None:
            assert not ours.weight.data[padding_idx].any()
            ours.weight.data[padding_idx] = 0.5  # its value is used, its gradient is 0
            with torch.no_grad():
                theirs.weight[padding_idx] = 0.5
        index = np.array([[0, 2, 5, 2], [5, 5, 1, 0], [3, 4, 2, 1]])  # repeats accumulate
        compare(torch, rng, ours, theirs, index)
    assert repr(nn.Embedding(6, 3, padding_idx=-1)) == "Embedding(6, 3, padding_idx=5)"


def test_embedding_draws_normal_and_refuses_bad_indices(rng):
    emb = nn.Embedding(1000, 20, rng=rng)
    assert emb.weight.dtype == np.float32 and abs(emb.weight.data.std() - 1) < 0.02
    for bad, error, phrase in [(np.array([0, 6]), IndexError, "index 6 is out of range"),
                               (np.array([-1]), IndexError, "index -1 is out of range"),
                               (np.array([0.0, 1.0]), TypeError, "must be integers")]:
        with pytest.raises(error, match=phrase):
            nn.Embedding(6, 2)(bad)


def test_dropout_train_and_eval(rng):
    x = Tensor(rng.standard_normal((200, 50)), requires_grad=True)
    layer = nn.Dropout(0.3, rng=np.random.default_rng(0))
    out = layer(x)
    kept = out.data != 0
    assert 0.67 < kept.mean() < 0.73
    np.testing.assert_allclose(out.data[kept], x.data[kept] / 0.7, rtol=1e-15)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, kept / 0.7, rtol=1e-15)
    layer.eval()
    assert layer(x) is x
    # the same generator state gives the same mask; p = 0 and p = 1 as PyTorch
    again = nn.Dropout(0.3, rng=np.random.default_rng(0))(x)
    np.testing.assert_array_equal(again.data, out.data)
    assert nn.Dropout(0.0)(x) is x
    assert not nn.Dropout(1.0)(x).data.any()
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        nn.Dropout(1.5)


def test_dropout_draws_from_the_seeded_default_generator(rng):
    x = rng.standard_normal((4, 10))
    ag.manual_seed(3)
    first = nn.Dropout(0.5)(x).numpy()
    ag.manual_seed(3)
    np.testing.assert_array_equal(nn.Dropout(0.5)(x).numpy(), first)


def test_dropout_matches_pytorch_given_the_same_mask(torch, rng):
    x = rng.standard_normal((5, 6))
    out = nn.functional.dropout(x, 0.25, rng=np.random.default_rng(1)).numpy()
    mask = (out != 0).astype(np.float64)
    torch_out = torch.tensor(x) * torch.tensor(mask) / (1 - 0.25)
    np.testing.assert_allclose(out, torch_out.numpy(), rtol=1e-15)


@pytest.mark.parametrize("shape", [(8, 3), (5, 3, 4)])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batch_norm_matches_pytorch_in_training_and_eval(shape, momentum, torch, rng):
    ours = nn.BatchNorm1d(3, momentum=momentum, dtype=np.float64)
    for p in ours.parameters():
        p.data = rng.standard_normal(3)
    theirs = twin(torch, ours, torch.nn.BatchNorm1d(3, momentum=momentum))
    for _ in range(3):  # running statistics, the variance unbiased
        ours.zero_grad()
        theirs.zero_grad()
        compare(torch, rng, ours, theirs, rng.standard_normal(shape) * 2 + 1)
    tstate = theirs.state_dict()
    assert list(ours.state_dict()) == list(tstate)
    for k, v in ours.state_dict().items():
        np.testing.assert_allclose(v, tstate[k].numpy(), **TOL)
    ours.eval()
    theirs.eval()
    ours.zero_grad()
    theirs.zero_grad()
    compare(torch, rng, ours, theirs, rng.standard_normal(shape))
    np.testing.assert_allclose(ours.running_mean.data, theirs.running_mean.numpy(), **TOL)


def test_batch_norm_without_affine_or_running_stats(torch, rng):
    x = rng.standard_normal((6, 4))
    for kwargs in [dict(affine=False), dict(track_running_stats=False)]:
        ours = nn.BatchNorm1d(4, dtype=np.float64, **kwargs)
        theirs = twin(torch, ours, torch.nn.BatchNorm1d(4, **kwargs))
        compare(torch, rng, ours, theirs, x)
        ours.eval()
        theirs.eval()
        theirs.zero_grad()
        ours.zero_grad()
        compare(torch, rng, ours, theirs, x + 1)
        assert list(ours.state_dict()) == list(theirs.state_dict())


def test_batch_norm_second_order_and_errors(rng):
    bn = nn.BatchNorm1d(2, dtype=np.float64)
    assert ag.gradgradcheck(bn, (Tensor(rng.standard_normal((4, 2)), requires_grad=True),))
    before = bn.state_dict()
    with pytest.raises(ValueError, match="more than one value per channel"):
        bn(np.ones((1, 2)))
    for k, v in bn.state_dict().items():  # a failed call changes nothing
        np.testing.assert_array_equal(v, before[k])
    with pytest.raises(ValueError, match=r"expects input shaped \(N, 2\)"):
        bn(np.ones((4, 3)))


def test_batch_norm_loads_a_pytorch_state_dict(torch, rng):
    theirs = torch.nn.BatchNorm1d(3).double()
    theirs(torch.tensor(rng.standard_normal((10, 3))))  # running statistics move
    ours = nn.BatchNorm1d(3, dtype=np.float64)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert int(ours.num_batches_tracked.item()) == 1
    x = rng.standard_normal((4, 3))
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(ours(x).numpy(), theirs(torch.tensor(x)).detach().numpy(), **TOL)
