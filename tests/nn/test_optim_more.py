"""AdamW, RMSprop, AMSGrad and parameter groups step for step against PyTorch
(20 steps, float64, 1e-12); hyperparameters live in param_groups; state
round trips with groups; gradient clipping."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor

from .test_optim import run_twins

TOL = dict(rtol=1e-12, atol=1e-12)

CONFIGS = {
    "sgd_dampening": (nn.optim.SGD, "SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    "adam_amsgrad": (nn.optim.Adam, "Adam", dict(lr=0.02, amsgrad=True, weight_decay=0.01)),
    "adamw": (nn.optim.AdamW, "AdamW", dict(lr=0.02)),
    "adamw_amsgrad": (nn.optim.AdamW, "AdamW", dict(lr=0.01, betas=(0.5, 0.9), eps=1e-6,
                                                     weight_decay=0.3, amsgrad=True)),
    "rmsprop": (nn.optim.RMSprop, "RMSprop", dict(lr=0.01)),
    "rmsprop_momentum": (nn.optim.RMSprop, "RMSprop", dict(lr=0.005, momentum=0.9,
                                                           weight_decay=0.01)),
    "rmsprop_centered": (nn.optim.RMSprop, "RMSprop", dict(lr=0.01, alpha=0.9, centered=True)),
    "rmsprop_all": (nn.optim.RMSprop, "RMSprop", dict(lr=0.003, alpha=0.3, eps=1e-5,
                                                      momentum=0.5, centered=True,
                                                      weight_decay=0.1)),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_twenty_steps_match_pytorch(name, rng, torch):
    ours_cls, torch_name, kwargs = CONFIGS[name]
    run_twins(torch, rng, lambda ps: ours_cls(ps, **kwargs),
              lambda ps: getattr(torch.optim, torch_name)(ps, **kwargs))


def groups(params, lib_specific=None):
    first, second = params[:2], params[2:]
    return [{"params": first, "lr": 0.05, "weight_decay": 0.1}, {"params": second}]


@pytest.mark.parametrize("ours_cls,torch_name", [(nn.optim.SGD, "SGD"), (nn.optim.Adam, "Adam"),
                                                 (nn.optim.RMSprop, "RMSprop")])
def test_parameter_groups_and_changing_lr_match_pytorch(ours_cls, torch_name, rng, torch):
    def halve_at_10(step, opt, topt):
        if step == 10:  # as a user (or a scheduler) would
            for o in (opt, topt):
                for g in o.param_groups:
                    g["lr"] = g["lr"] / 2

    opt, topt = run_twins(torch, rng, lambda ps: ours_cls(groups(ps), lr=0.01, momentum=0.5)
                          if ours_cls is not nn.optim.Adam else ours_cls(groups(ps), lr=0.01),
                          lambda ps: getattr(torch.optim, torch_name)(groups(ps), lr=0.01,
                                                                      momentum=0.5)
                          if torch_name != "Adam" else torch.optim.Adam(groups(ps), lr=0.01),
                          between=halve_at_10)
    assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in topt.param_groups]
    for ours_group, their_group in zip(opt.param_groups, topt.param_groups):
        for key, value in ours_group.items():
            if key != "params":
                assert value == their_group[key], key


def test_add_param_group_matches_pytorch(rng, torch):
    def add_later(step, opt, topt):
        if step == 0:
            return
        if step == 5:
            for o in (opt, topt):
                head = o.extra
                o.add_param_group({"params": head, "lr": 0.2})

    def make(cls, ps):
        opt = cls(ps[:2], lr=0.05, momentum=0.9)
        opt.extra = ps[2:]
        return opt
    run_twins(torch, rng, lambda ps: make(nn.optim.SGD, ps), lambda ps: make(torch.optim.SGD, ps),
              between=add_later)


def test_hyperparameters_live_in_param_groups_only():
    w = nn.Parameter(np.ones(2))
    opt = nn.optim.SGD([w], lr=0.1)
    with pytest.raises(AttributeError, match=r"opt.param_groups\[0\]\['lr'\]"):
        opt.lr = 0.01  # PyTorch's optimizers have no .lr; silently ignoring it trained wrongly
    with pytest.raises(AttributeError, match="hyperparameters live in param_groups"):
        opt.momentum
    assert opt.param_groups[0]["lr"] == 0.1
    (w * w).sum().backward()
    opt.param_groups[0]["lr"] = 0.5
    opt.step()
    np.testing.assert_allclose(w.data, [0.0, 0.0])  # 1 - 0.5 * 2


def test_bad_groups_are_refused():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    with pytest.raises(ValueError, match="more than one parameter group"):
        nn.optim.Adam([{"params": [a]}, {"params": [a, b]}])
    with pytest.raises(TypeError, match="not a single Parameter"):
        nn.optim.SGD(a, lr=0.1)
    with pytest.raises(TypeError, match="not a set"):
        nn.optim.SGD({a, b}, lr=0.1)
    with pytest.raises(ValueError, match="lr, momentum and weight_decay >= 0"):
        nn.optim.SGD([{"params": [a], "lr": -1.0}], lr=0.1)
    opt = nn.optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    assert len(opt.param_groups) == 1
    for cls, kwargs in [(nn.optim.RMSprop, dict(alpha=-0.1)), (nn.optim.AdamW, dict(betas=(1.0, 0.9)))]:
        with pytest.raises(ValueError, match="needs"):
            cls([b], **kwargs)


def test_state_round_trip_with_groups_through_a_checkpoint(tmp_path, rng):
    def make():
        net = nn.Sequential(nn.Linear(3, 4, dtype=np.float64, rng=np.random.default_rng(5)),
                            nn.Tanh(), nn.Linear(4, 1, dtype=np.float64, rng=np.random.default_rng(6)))
        params = list(net.parameters())
        opt = nn.optim.AdamW([{"params": params[:2], "lr": 0.01}, {"params": params[2:]}],
                             lr=0.03, amsgrad=True)
        return net, opt, nn.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)

    x = Tensor(rng.standard_normal((6, 3)))

    def train(net, opt, sched, steps):
        for _ in range(steps):
            opt.zero_grad()
            (net(x) ** 2).mean().backward()
            opt.step()
            sched.step()

    a, opt_a, sched_a = make()
    fresh_state = opt_a.state_dict()  # before any step: no state yet, and that saves too
    nn.save({"optimizer": fresh_state}, tmp_path / "fresh.npz")
    assert nn.load(tmp_path / "fresh.npz")["optimizer"]["state"] == {}
    train(a, opt_a, sched_a, 3)
    nn.save({"model": a.state_dict(), "optimizer": opt_a.state_dict(),
             "scheduler": sched_a.state_dict()}, tmp_path / "c.npz")
    checkpoint = nn.load(tmp_path / "c.npz")
    b, opt_b, sched_b = make()
    b.load_state_dict(checkpoint["model"])
    opt_b.load_state_dict(checkpoint["optimizer"])
    sched_b.load_state_dict(checkpoint["scheduler"])
    assert [g["lr"] for g in opt_b.param_groups] == [g["lr"] for g in opt_a.param_groups]
    train(a, opt_a, sched_a, 3)
    train(b, opt_b, sched_b, 3)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    with pytest.raises(ValueError, match="parameter groups"):
        nn.optim.SGD(a.parameters(), lr=0.1).load_state_dict(checkpoint["optimizer"])


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_pytorch(norm_type, max_norm, rng, torch):
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    ours = [nn.Parameter(np.zeros_like(g)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, t, g in zip(ours, theirs, grads):
        p.grad, t.grad = Tensor(g), torch.tensor(g)
    total = nn.utils.clip_grad_norm_(ours + [nn.Parameter(np.ones(2))], max_norm, norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    np.testing.assert_allclose(total.item(), ttotal.item(), **TOL)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), **TOL)


def test_clip_grad_value_and_nonfinite_norms(rng, torch):
    g = rng.standard_normal((4, 4)) * 3
    p, t = nn.Parameter(np.zeros((4, 4))), torch.zeros((4, 4), dtype=torch.float64)
    p.grad, t.grad = Tensor(g), torch.tensor(g)
    nn.utils.clip_grad_value_(p, 1.5)
    torch.nn.utils.clip_grad_value_([t], 1.5)
    np.testing.assert_array_equal(p.grad.data, t.grad.numpy())
    p.grad = Tensor(np.array([[np.inf]]).repeat(4, 0).repeat(4, 1))
    with pytest.raises(RuntimeError, match="cannot be clipped"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="clip_value must be >= 0"):
        nn.utils.clip_grad_value_([p], -1.0)
