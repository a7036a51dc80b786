"""nn's functions and layers called as PyTorch users call them (positional
arguments in PyTorch's order, PyTorch's options, edge inputs): each agrees
with PyTorch or refuses by name, never answers differently."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def leaf(a):
    return ag.Tensor(np.array(a, dtype=np.float64), requires_grad=True)


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_normalises_each_channel_over_all_other_axes(torch, rng, shape, training):
    x = rng.standard_normal(shape) * 3 + 1
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    up = rng.standard_normal(shape)
    ours = [leaf(x), leaf(w), leaf(b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    rm, rv = rng.standard_normal(3), rng.random(3) + 0.5
    ours_stats, their_stats = (rm.copy(), rv.copy()), (torch.tensor(rm), torch.tensor(rv))
    y = nn.functional.batch_norm(ours[0], ag.Tensor(ours_stats[0]), ag.Tensor(ours_stats[1]),
                                 ours[1], ours[2], training=training, momentum=0.3)
    t = torch.nn.functional.batch_norm(theirs[0], *their_stats, theirs[1], theirs[2],
                                       training=training, momentum=0.3)
    np.testing.assert_allclose(y.numpy(), t.detach().numpy(), rtol=1e-10, atol=1e-12)
    (y * up).sum().backward()
    (t * torch.tensor(up)).sum().backward()
    for o, th in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), th.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_batch_norm_running_statistics_of_images_as_pytorch(torch, rng):
    x = rng.standard_normal((4, 3, 5, 5))
    mean, var = ag.Tensor(np.zeros(3)), ag.Tensor(np.ones(3))
    their_mean, their_var = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    nn.functional.batch_norm(x, mean, var, training=True)
    torch.nn.functional.batch_norm(torch.tensor(x), their_mean, their_var, training=True)
    np.testing.assert_allclose(mean.numpy(), their_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(var.numpy(), their_var.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="expects input shaped"):
        nn.functional.batch_norm(np.ones(3), None, None, training=True)


def test_conv2d_takes_pytorchs_arguments_in_pytorchs_order(torch):
    conv = nn.Conv2d(3, 8, 3, 1, 1, 1, 1, False)  # in, out, kernel, stride, padding, dilation, groups, bias
    assert conv.bias is None and conv(np.zeros((1, 3, 6, 6))).shape == (1, 8, 6, 6)
    assert nn.Conv2d(3, 8, 3, 1, 1, (1, 1), 1, True, "zeros").bias is not None
    for args in [(3, 8, 3, 1, 2, 2), (3, 4, 3, 1, 1, 0), (3, 4, 3, 1, 1, False), (3, 4, 3, 1, 1, 1, 3)]:
        with pytest.raises(ValueError, match="is not implemented here"):
            nn.Conv2d(*args)
    with pytest.raises(ValueError, match="padding_mode='reflect'"):
        nn.Conv2d(3, 4, 3, padding_mode="reflect")
    weight = nn.Conv2d(1, 1, 3).weight
    assert F.conv2d(np.ones((1, 1, 4, 4)), weight, None, 1, 0, 1, 1).shape == (1, 1, 2, 2)
    with pytest.raises(ValueError, match="dilation=2"):
        F.conv2d(np.ones((1, 1, 4, 4)), weight, None, 1, 0, 2)


@pytest.mark.parametrize("padding_idx", [-1, -5, 0, 4])
def test_embedding_padding_index_counts_from_the_end_as_pytorch(torch, padding_idx):
    w = leaf(np.arange(10.0).reshape(5, 2))
    tw = torch.tensor(w.numpy(), requires_grad=True)
    idx = np.array([4, 0, 4, 2])
    F.embedding(idx, w, padding_idx=padding_idx).sum().backward()
    torch.nn.functional.embedding(torch.tensor(idx), tw, padding_idx=padding_idx).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), tw.grad.numpy())
    for bad in (5, -6):
        with pytest.raises(ValueError, match="out of range for 5 embeddings"):
            F.embedding(idx, w, padding_idx=bad)


def test_optimizer_options_of_pytorchs_not_implemented_are_refused_never_ignored(torch):
    p = nn.Parameter(np.ones(2))
    with pytest.raises(ValueError, match="maximize=True is not implemented"):
        nn.optim.SGD([{"params": [p], "maximize": True}], lr=0.1)
    with pytest.raises(ValueError, match="AdamW decays weights decoupled"):
        nn.optim.Adam([{"params": [p], "decoupled_weight_decay": True}])
    with pytest.raises(ValueError, match="differentiable=True"):
        nn.optim.RMSprop([{"params": [p], "differentiable": True}])
    # options that change only how PyTorch runs the step are kept, whatever their value
    nn.optim.Adam([{"params": [p], "foreach": True, "fused": False, "capturable": True}])
    nn.optim.Adam([p]).load_state_dict(torch.optim.Adam([torch.zeros(2, requires_grad=True)],
                                                        foreach=False).state_dict())
    # their defaults are fine (PyTorch's state_dict carries them), and a group may carry names
    nn.optim.SGD([{"params": [p], "maximize": False, "foreach": None, "name": "body"}], lr=0.1)
    tp = torch.zeros(2, requires_grad=True)
    ours = nn.optim.SGD([p], lr=0.1)
    ours.load_state_dict(torch.optim.SGD([tp], lr=0.1).state_dict())
    before = [dict(g) for g in ours.param_groups]
    with pytest.raises(ValueError, match="maximize=True"):
        ours.load_state_dict(torch.optim.SGD([tp], lr=0.5, maximize=True).state_dict())
    assert [dict(g) for g in ours.param_groups] == before  # a failed load changes nothing
    nn.optim.AdamW([p]).load_state_dict(torch.optim.AdamW([tp]).state_dict())
    with pytest.raises(ValueError, match="decoupled_weight_decay=True"):
        nn.optim.Adam([p]).load_state_dict(torch.optim.AdamW([tp]).state_dict())
    # set on a group afterwards: the step refuses before it changes anything
    opt = nn.optim.SGD([p], lr=0.1)
    opt.param_groups[0]["maximize"] = True
    p.grad = ag.Tensor(np.ones(2))
    with pytest.raises(ValueError, match="maximize=True"):
        opt.step()
    np.testing.assert_array_equal(p.numpy(), np.ones(2))


def test_binary_cross_entropy_refuses_targets_outside_0_1_as_pytorch(torch):
    for target in ([2.0], [-1.0], [np.nan]):
        with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
            F.binary_cross_entropy(np.array([0.3]), np.array(target))
        with pytest.raises(RuntimeError):
            torch.nn.functional.binary_cross_entropy(torch.tensor([0.3]), torch.tensor(target))
    ours = F.binary_cross_entropy(np.array([0.3, 0.9]), np.array([0.0, 1.0]))
    theirs = torch.nn.functional.binary_cross_entropy(torch.tensor([0.3, 0.9], dtype=torch.float64),
                                                      torch.tensor([0.0, 1.0], dtype=torch.float64))
    assert abs(ours.item() - theirs.item()) < 1e-15


@pytest.mark.parametrize("shape", [(5,), (2, 5)])
def test_softmax_without_an_axis_is_the_last_where_pytorch_agrees(torch, rng, shape):
    x = rng.standard_normal(shape)
    for ours, theirs in [(nn.Softmax()(x), torch.nn.Softmax(dim=-1)(torch.tensor(x))),
                         (F.log_softmax(x), torch.log_softmax(torch.tensor(x), -1))]:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-13)


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 4, 5)])
def test_softmax_without_an_axis_refuses_where_pytorch_would_guess_another(shape):
    x = np.ones(shape)
    for call in (lambda: nn.Softmax()(x), lambda: nn.LogSoftmax()(x), lambda: F.softmax(x),
                 lambda: F.log_softmax(x)):
        with pytest.raises(ValueError, match="without an axis is ambiguous"):
            call()
    assert F.softmax(x, dim=1).shape == shape and nn.Softmax(1)(x).shape == shape
    with pytest.raises(TypeError, match="not both"):
        F.softmax(x, 0, dim=1)
    with pytest.raises(TypeError, match="not both"):
        nn.Softmax(0, dim=1)


def test_scheduler_resumed_with_last_epoch_keeps_the_rate_as_pytorch(torch):
    ours_p, theirs_p = nn.Parameter(np.zeros(1)), torch.zeros(1, requires_grad=True)
    ours, theirs = nn.optim.SGD([ours_p], lr=0.1), torch.optim.SGD([theirs_p], lr=0.1)
    for opt in (ours, theirs):
        opt.param_groups[0]["initial_lr"] = 0.2
    schedulers = (nn.optim.lr_scheduler.CosineAnnealingLR(ours, 10, last_epoch=5),
                  torch.optim.lr_scheduler.CosineAnnealingLR(theirs, 10, last_epoch=5))
    for _ in range(8):
        assert ours.param_groups[0]["lr"] == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-13)
        for opt, sched in zip((ours, theirs), schedulers):
            opt.step()
            sched.step()


def test_losses_take_pytorchs_positional_weight_and_refuse_it(torch, rng):
    x, y = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    p, t = np.array([0.2, 0.7]), np.array([0.0, 1.0])
    w = np.ones(3)
    for call in (lambda: F.cross_entropy(x, y, w), lambda: nn.CrossEntropyLoss(w),
                 lambda: F.nll_loss(x, y, w), lambda: nn.NLLLoss(w),
                 lambda: F.binary_cross_entropy(p, t, np.ones(2)), lambda: nn.BCELoss(np.ones(2)),
                 lambda: F.binary_cross_entropy_with_logits(p, t, np.ones(2)),
                 lambda: nn.BCEWithLogitsLoss(pos_weight=np.ones(2))):
        with pytest.raises(ValueError, match="weight= is not implemented here"):
            call()
    for call, match in [(lambda: nn.MSELoss("sum"), "deprecated spellings of reduction"),
                        (lambda: F.mse_loss(p, t, True), "deprecated spellings of reduction"),
                        (lambda: F.cross_entropy(x, y, ignore_index=0), "ignore_index="),
                        (lambda: nn.CrossEntropyLoss(label_smoothing=0.1), "label_smoothing=")]:
        with pytest.raises(ValueError, match=match):
            call()
    # defaults given explicitly, and reduction by keyword, as PyTorch users write them
    ours = nn.CrossEntropyLoss(None, None, -100, None, "sum", 0.0)(x, y)
    theirs = torch.nn.CrossEntropyLoss(None, None, -100, None, "sum", 0.0)(torch.tensor(x),
                                                                          torch.tensor(y))
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-13)
    assert F.mse_loss(p, t, reduction="sum").item() == pytest.approx(0.04 + 0.09)


def test_dropout_one_hot_linear_and_kaiming_take_pytorchs_arguments(torch):
    for call in (lambda: nn.Dropout(0.2, True), lambda: F.dropout(np.ones(3), 0.5, True, True)):
        with pytest.raises(ValueError, match="inplace=True is not implemented"):
            call()
    assert nn.Dropout(0.2, False).p == 0.2
    assert F.dropout(np.ones(3), 0.5, False, False).numpy().tolist() == [1.0, 1.0, 1.0]
    np.testing.assert_array_equal(F.one_hot(np.array([0, 2]), -1).numpy(),
                                  torch.nn.functional.one_hot(torch.tensor([0, 2]), -1).numpy())
    layer, theirs = nn.Linear(0, 3), torch.nn.Linear(0, 3)  # no inputs: the bias alone
    assert layer(np.ones((2, 0))).shape == tuple(theirs(torch.ones(2, 0)).shape) == (2, 3)
    for mode, fan in (("fan_in", 4), ("fan_out", 30)):
        w = nn.Parameter(np.zeros((30, 4)))
        nn.init.kaiming_uniform_(w, 0, mode, "relu", rng=np.random.default_rng(0))
        bound = np.sqrt(2.0) * np.sqrt(3.0 / fan)
        assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.9 * bound
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        nn.init.kaiming_uniform_(nn.Parameter(np.zeros((3, 4))), 0, "leaky_relu")


def test_softmax_without_an_axis_exports_with_the_axis_it_uses(torch):
    for ours in (nn.Softmax(), nn.LogSoftmax()):
        assert nn.export.to_torch(ours).dim == -1  # explicit: PyTorch's own guess may differ


def test_module_plumbing_as_pytorch(torch):
    d = nn.ModuleDict({"a": nn.ReLU()})
    d.b = nn.Tanh()
    d["b"] = nn.Sigmoid()  # the attribute and the key are one entry
    assert type(d.b) is nn.Sigmoid and list(d.keys()) == ["a", "b"]
    del d["b"]
    assert not hasattr(d, "b")
    del d.a
    assert list(d.keys()) == []
    shared = nn.Linear(2, 2, bias=False)
    net, visits = nn.Sequential(shared, nn.ReLU(), shared), []
    net.apply(visits.append)  # a child held twice is visited once, as in PyTorch
    assert len(visits) == 3 and len(list(net.children())) == 2 and len(net) == 3
    theirs = nn.export.to_torch(net)  # ... but runs twice, here and converted
    x = np.array([[1.0, -2.0]], dtype=np.float32)
    np.testing.assert_allclose(theirs(torch.tensor(x)).detach().numpy(), net(x).numpy(), rtol=1e-6)
    lin = nn.Linear(2, 2)
    for bad in ({"weight": np.zeros((3, 3)), "bias": np.zeros(2)}, {"weight": np.zeros((2, 2))}):
        with pytest.raises(RuntimeError):  # as PyTorch's (and a ValueError / KeyError too)
            lin.load_state_dict(bad)
    with pytest.raises(TypeError, match="expects a dict"):
        lin.load_state_dict("checkpoint.npz")
    lin.train(np.bool_(False))
    assert lin.training is False


@pytest.mark.parametrize("norm_type", [-np.inf, 0, 0.5, 2, np.inf])
def test_clip_grad_norm_of_every_order_as_pytorch(torch, rng, norm_type):
    grads = [rng.standard_normal((3, 2)), np.array([0.0, 0.3])]
    ours = [nn.Parameter(np.zeros_like(g)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, t, g in zip(ours, theirs, grads):
        p.grad, t.grad = ag.Tensor(g.copy()), torch.tensor(g)
    total = nn.utils.clip_grad_norm_(ours, 0.1, norm_type)
    their_total = torch.nn.utils.clip_grad_norm_(theirs, 0.1, norm_type)
    assert total.item() == pytest.approx(their_total.item(), rel=1e-12)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), t.grad.numpy(), rtol=1e-12)
