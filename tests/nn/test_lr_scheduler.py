"""Each scheduler's learning rates over 50 epochs equal PyTorch's, with two
parameter groups."""
import math

import numpy as np
import pytest

import nn

SCHEDULERS = {
    "step": ("StepLR", dict(step_size=7, gamma=0.5)),
    "exponential": ("ExponentialLR", dict(gamma=0.93)),
    "cosine": ("CosineAnnealingLR", dict(T_max=12, eta_min=0.001)),  # past T_max: back up
    "cosine_t1": ("CosineAnnealingLR", dict(T_max=1)),
    "step_float": ("StepLR", dict(step_size=2.5, gamma=0.5)),  # kept as given, not truncated
    "cosine_float": ("CosineAnnealingLR", dict(T_max=7.5)),
    "lambda": ("LambdaLR", dict(lr_lambda=lambda epoch: 1 / (1 + epoch) + 0.1 * math.sin(epoch))),
}

# a metric that falls, stalls, wobbles and rises, to exercise patience and cooldown
METRIC = [1 / (1 + e) if e < 15 else 0.06 + 0.001 * ((-1) ** e) + (0.01 * (e - 35) if e > 35 else 0)
          for e in range(50)]


def optimizers(torch):
    ours = [nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(3))]
    theirs = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    make = lambda lib, ps: lib.SGD([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.3}],  # noqa: E731
                                   lr=0.1, momentum=0.9)
    return make(nn.optim, ours), make(torch.optim, theirs)


def lrs_over_50_epochs(opt, sched, metric=None):
    seen = []
    for epoch in range(50):
        seen.append([g["lr"] for g in opt.param_groups])
        opt.step()  # (no gradients: a no-op here)
        sched.step() if metric is None else sched.step(metric[epoch])
    return seen


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_scheduler_matches_pytorch_over_50_epochs(name, torch):
    cls, kwargs = SCHEDULERS[name]
    opt, topt = optimizers(torch)
    ours = lrs_over_50_epochs(opt, getattr(nn.optim.lr_scheduler, cls)(opt, **kwargs))
    theirs = lrs_over_50_epochs(topt, getattr(torch.optim.lr_scheduler, cls)(topt, **kwargs))
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)
    assert len(set(map(tuple, ours))) > 1


@pytest.mark.parametrize("kwargs", [
    dict(patience=3), dict(patience=2, cooldown=3, factor=0.5, min_lr=0.02),
    dict(mode="max", patience=1, threshold=0.05, threshold_mode="abs"),
    dict(patience=0, min_lr=[0.0, 0.1], eps=1e-3),
])
def test_reduce_on_plateau_matches_pytorch(kwargs, torch):
    opt, topt = optimizers(torch)
    ours = nn.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    np.testing.assert_allclose(lrs_over_50_epochs(opt, ours, METRIC),
                               lrs_over_50_epochs(topt, theirs, METRIC), rtol=1e-13)
    assert ours.get_last_lr() == theirs.get_last_lr()


def test_get_last_lr_and_bad_arguments(torch):
    opt, _ = optimizers(torch)
    sched = nn.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    assert sched.get_last_lr() == [0.1, 0.3]
    sched.step()
    assert sched.get_last_lr() == [0.05, 0.15] and opt.param_groups[0]["initial_lr"] == 0.1
    with pytest.raises(TypeError, match="takes an nn.optim optimizer"):
        nn.optim.lr_scheduler.StepLR(object(), step_size=1)
    with pytest.raises(ValueError, match="step_size > 0"):
        nn.optim.lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="factor < 1"):
        nn.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=2.0)
    with pytest.raises(ValueError, match="one per group"):
        nn.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0])


def test_reduce_on_plateau_state_survives_a_checkpoint(tmp_path, torch):
    opt, _ = optimizers(torch)
    sched = nn.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, min_lr=[0.01, 0.02])
    for metric in METRIC[:20]:
        sched.step(metric)
    nn.save({"scheduler": sched.state_dict()}, tmp_path / "s.npz")
    again = nn.optim.lr_scheduler.ReduceLROnPlateau(optimizers(torch)[0])
    again.load_state_dict(nn.load(tmp_path / "s.npz")["scheduler"])
    assert again.state_dict() == sched.state_dict() and again.mode == "min"
    assert type(again.min_lrs) is list and type(again.best) is float
