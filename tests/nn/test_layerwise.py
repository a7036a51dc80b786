"""The seed's layer-by-layer update against a hand-written numpy Step 2, and
the seed's Jacobians against the engine's gradient."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Tensor


def three_layer_net(seed=0):
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(4, 5, dtype=np.float64, rng=rng), nn.Sigmoid(),
                         nn.Linear(5, 3, dtype=np.float64, rng=rng), nn.Sigmoid(),
                         nn.Linear(3, 2, dtype=np.float64, rng=rng), nn.Sigmoid())


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def numpy_step2(weights, x, y, lr):
    """The seed's Steps 1 and 2 written out for sigmoid layers and the mean
    squared error: each layer's gradient at its old weights, the upstream
    vector carried down through the layer above at its *updated* weights."""
    zs = [x]
    for W, b in weights:  # Step 1
        zs.append(sigmoid(zs[-1] @ W.T + b))
    out = zs[-1]
    upstream = 2 * (out - y) / out.size  # dD/df(K) for D = mean((out - y)^2)
    new = list(weights)
    for k in reversed(range(len(weights))):  # Step 2
        W, b = weights[k]
        z, f = zs[k], zs[k + 1]
        delta = upstream * f * (1 - f)  # through sigma' at the old weights
        new[k] = (W - lr * delta.T @ z, b - lr * delta.sum(axis=0))
        W_new, b_new = new[k]
        f_new = sigmoid(z @ W_new.T + b_new)  # layer k again, with updated weights
        upstream = (upstream * f_new * (1 - f_new)) @ W_new
    return new


def weights_of(net):
    return [(net[i].weight.data.copy(), net[i].bias.data.copy()) for i in (0, 2, 4)]


def numpy_forward(weights, x):
    for W, b in weights:
        x = sigmoid(x @ W.T + b)
    return x


def test_matches_hand_written_step2():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((6, 4)), rng.uniform(0, 1, (6, 2))
    net = three_layer_net()
    start = weights_of(net)
    expected = numpy_step2(start, x, y, lr=0.5)
    loss = nn.layerwise_step(net, nn.MSELoss(), Tensor(x), y, lr=0.5)
    assert loss == pytest.approx(np.mean((numpy_forward(start, x) - y) ** 2), rel=1e-12)
    for (W, b), (eW, eb) in zip(weights_of(net), expected):
        np.testing.assert_allclose(W, eW, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, eb, rtol=1e-12, atol=1e-14)


def test_agrees_with_standard_sgd_to_first_order():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((8, 4)), rng.uniform(0, 1, (8, 2))
    start = weights_of(three_layer_net())
    for lr, agree in ((1e-4, True), (2.0, False)):
        seed_net, sgd_net = three_layer_net(), three_layer_net()
        nn.layerwise_step(seed_net, nn.MSELoss(), Tensor(x), y, lr)
        opt = nn.optim.SGD(sgd_net.parameters(), lr=lr)
        nn.MSELoss()(sgd_net(Tensor(x)), y).backward()
        opt.step()
        step = np.sqrt(sum(((W - W0) ** 2).sum() for (W, _), (W0, _) in zip(weights_of(sgd_net), start)))
        gap = np.sqrt(sum(((W - V) ** 2).sum()
                          for (W, _), (V, _) in zip(weights_of(seed_net), weights_of(sgd_net))))
        # the two differ only through the updated weights used above: O(lr^2) against O(lr)
        assert (gap / step < 1e-3) == agree, (lr, gap / step)
        # the top layer is updated identically by both
        np.testing.assert_allclose(seed_net[4].weight.data, sgd_net[4].weight.data, rtol=1e-12)


def test_layer_jacobians_chain_to_the_engine_gradient():
    net = three_layer_net()
    x = np.array([0.3, -1.0, 0.5, 2.0])
    jacobians = nn.layer_jacobians(net, x)
    assert [j.shape for j in jacobians] == [(5, 4), (3, 5), (2, 3)]
    product = jacobians[2].data @ jacobians[1].data @ jacobians[0].data  # d output / d x
    xt = Tensor(x, requires_grad=True)
    weights = np.array([1.0, -2.0])
    (net(xt) * weights).sum().backward()
    np.testing.assert_allclose(weights @ product, xt.grad.data, rtol=1e-12)
    np.testing.assert_allclose(jacobians[2].data, ag.functional.jacobian(net[4:], Tensor(
        net[:4](Tensor(x)).data)).data, rtol=1e-12)
    with pytest.raises(ValueError, match="one input vector"):
        nn.layer_jacobians(net, np.ones((2, 4)))
