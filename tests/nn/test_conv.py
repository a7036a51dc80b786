"""Conv2d, MaxPool2d and AvgPool2d against PyTorch in float64 (forward and
backward), finite differences, and their errors."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Tensor

from .test_layers_torch import TOL, compare, twin

CONVS = [  # kernel_size, stride, padding
    (3, 1, 0), (3, 2, 1), ((2, 3), (2, 1), (1, 2)), (3, 1, "same"), (4, 1, "same"),
    (1, 1, 0), (3, 3, 0), (5, 2, 2), (2, 2, "valid"), (2, 3, 0),  # stride > kernel: gaps
]


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's note on even kernels
@pytest.mark.parametrize("kernel,stride,padding", CONVS)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_matches_pytorch(kernel, stride, padding, bias, torch, rng):
    ours = nn.Conv2d(3, 4, kernel, stride=stride, padding=padding, bias=bias, dtype=np.float64,
                     rng=rng)
    theirs = twin(torch, ours, torch.nn.Conv2d(3, 4, kernel, stride=stride, padding=padding,
                                               bias=bias))
    compare(torch, rng, ours, theirs, rng.standard_normal((2, 3, 7, 6)))


def test_conv2d_takes_one_unbatched_image(torch, rng):
    ours = nn.Conv2d(2, 3, 3, padding=1, dtype=np.float64, rng=rng)
    out = compare(torch, rng, ours, twin(torch, ours, torch.nn.Conv2d(2, 3, 3, padding=1)),
                  rng.standard_normal((2, 5, 5)))
    assert out.shape == (3, 5, 5)


def test_conv2d_initialises_as_pytorch(rng):
    conv = nn.Conv2d(4, 50, (3, 5), rng=rng)
    bound = 1 / math.sqrt(4 * 3 * 5)  # kaiming_uniform(a=sqrt(5)) gives the same bound
    for p in conv.parameters():
        assert p.dtype == np.float32 and np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.9 * bound
    again = nn.Conv2d(4, 50, (3, 5), rng=np.random.default_rng(1234))
    np.testing.assert_array_equal(again.weight.data, nn.Conv2d(
        4, 50, (3, 5), rng=np.random.default_rng(1234)).weight.data)


@pytest.mark.parametrize("padding,stride", [(0, 1), (1, 2), ((1, 0), (2, 3))])
def test_conv2d_gradcheck(padding, stride, rng):
    x = Tensor(rng.standard_normal((2, 2, 5, 6)), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 2, 3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    f = lambda x, w, b: nn.functional.conv2d(x, w, b, stride=stride, padding=padding)  # noqa: E731
    assert ag.gradcheck(f, (x, w, b))


POOLS = [(2, None), (3, 2), (2, 1), (3, 1), ((2, 3), (1, 2)), (3, None), (2, 3)]


@pytest.mark.parametrize("kernel,stride", POOLS)
def test_max_pool_matches_pytorch_ties_included(kernel, stride, torch, rng):
    ties = rng.integers(0, 3, (2, 3, 7, 6)).astype(np.float64)  # many equal maxima
    compare(torch, rng, nn.MaxPool2d(kernel, stride), torch.nn.MaxPool2d(kernel, stride), ties)
    compare(torch, rng, nn.MaxPool2d(kernel, stride), torch.nn.MaxPool2d(kernel, stride),
            rng.standard_normal((3, 7, 6)))


@pytest.mark.parametrize("kernel,stride", POOLS)
def test_avg_pool_matches_pytorch(kernel, stride, torch, rng):
    compare(torch, rng, nn.AvgPool2d(kernel, stride), torch.nn.AvgPool2d(kernel, stride),
            rng.standard_normal((2, 3, 7, 6)))


@pytest.mark.parametrize("pool", [nn.functional.max_pool2d, nn.functional.avg_pool2d])
def test_pool_gradcheck(pool, rng):
    x = Tensor(rng.standard_normal((2, 2, 5, 5)), requires_grad=True)
    for kernel, stride in [(2, None), (3, 2), (2, 1)]:
        assert ag.gradcheck(lambda x: pool(x, kernel, stride), (x,))


def test_cnn_layers_keep_float32_and_train(rng):
    X = rng.standard_normal((16, 1, 6, 6))  # float64 data, a float32 model
    y = (X[:, 0, :3].sum(axis=(1, 2)) > 0).astype(np.int64)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(4, 4, 3, padding="same", rng=rng), nn.ReLU(), nn.AvgPool2d(3),
                        nn.Flatten(), nn.Linear(4, 2, rng=rng))
    assert net(X).dtype == np.float32
    opt = nn.optim.Adam(net.parameters(), lr=0.03)
    history = nn.fit(net, nn.CrossEntropyLoss(), opt, (X, y), epochs=40, progress=False)
    assert history[-1] < 0.5 * history[0]


@pytest.mark.parametrize("call,phrase", [
    (lambda: nn.Conv2d(3, 2, 3)(np.ones((3, 5))), r"\(N, C, H, W\)"),
    (lambda: nn.Conv2d(3, 2, 3)(np.ones((1, 2, 5, 5))), "expects 3 input channels"),
    (lambda: nn.Conv2d(1, 2, 4)(np.ones((1, 1, 3, 9))), "is larger than the"),
    (lambda: nn.Conv2d(1, 2, 3, stride=2, padding="same"), "needs stride 1"),
    (lambda: nn.Conv2d(1, 2, (3, 3, 3)), "an int or a pair of ints"),
    (lambda: nn.MaxPool2d(3)(np.ones((1, 1, 2, 5))), "is larger than the"),
    (lambda: nn.AvgPool2d(0)(np.ones((1, 1, 2, 5))), "must be >= 1"),
])
def test_convolution_errors(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


@pytest.mark.parametrize("stride,padding", [(1, 1), (2, 0), ((2, 1), ((0, 1), (1, 0)))])
def test_conv2d_second_order(stride, padding, rng):
    """The backward is written with numpy calls (pad, sliding_window_view,
    tensordot), which the engine records under create_graph: it differentiates again."""
    x = Tensor(rng.standard_normal((1, 2, 5, 4)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 2, 2, 3)), requires_grad=True)
    b = Tensor(rng.standard_normal(2), requires_grad=True)
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):  # asymmetric: a raw op
        f = lambda x, w, b: nn.conv.Conv2dFunction.apply(x, w, b, stride, padding)  # noqa: E731
    else:
        f = lambda x, w, b: nn.functional.conv2d(x, w, b, stride=stride, padding=padding)  # noqa: E731
    assert ag.gradgradcheck(f, (x, w, b))


@pytest.mark.parametrize("pool", [nn.functional.max_pool2d, nn.functional.avg_pool2d])
@pytest.mark.parametrize("kernel,stride", [(2, None), (3, 2), (2, 1)])
def test_pool_second_order(pool, kernel, stride, rng):
    x = Tensor(rng.standard_normal((1, 2, 5, 5)), requires_grad=True)
    assert ag.gradgradcheck(lambda x: pool(x, kernel, stride), (x,))


def test_second_derivative_of_a_cnn_matches_pytorch(torch, rng):
    """A gradient penalty through conv, ReLU and pooling, against PyTorch."""
    ours = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, dtype=np.float64, rng=rng), nn.Tanh(),
                         nn.MaxPool2d(2), nn.Conv2d(2, 1, 2, dtype=np.float64, rng=rng),
                         nn.AvgPool2d(2))
    theirs = twin(torch, ours, torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Tanh(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(2, 1, 2), torch.nn.AvgPool2d(2)))
    data = rng.standard_normal((2, 1, 6, 6))
    x, tx = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    gx, = ag.grad(ours(x).sum(), [x], create_graph=True)
    (gx * gx).sum().backward()
    tgx, = torch.autograd.grad(theirs(tx).sum(), [tx], create_graph=True)
    (tgx * tgx).sum().backward()
    np.testing.assert_allclose(gx.data, tgx.detach().numpy(), **TOL)
    for (name, p), t in zip(ours.named_parameters(), theirs.parameters()):
        if p.grad is None:  # the last bias does not move the input gradient
            assert t.grad is None or not t.grad.any(), name  # (PyTorch: zeros)
        else:
            np.testing.assert_allclose(p.grad.data, t.grad.numpy(), err_msg=name, **TOL)
