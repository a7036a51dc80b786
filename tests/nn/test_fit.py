"""fit: Tensors for the model, validation, schedulers, recorded gradients."""
import numpy as np

import nn
from autograd_core import Tensor


class TensorOnly(nn.Module):
    """A first layer written with Tensor methods, as users write them."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(np.zeros((3, 1), dtype=np.float32))
        self.calls = []

    def forward(self, x):
        self.calls.append(type(x))
        return x.matmul(self.w)  # a numpy batch has no .matmul


def data(rng, n=32):
    X = rng.standard_normal((n, 3)).astype(np.float32)
    return X, X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)


def test_the_model_gets_tensors_from_numpy_data_tensors_and_batch_lists(rng):
    X, y = data(rng)
    model = TensorOnly()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, nn.MSELoss(), opt, (X, y), epochs=30, batch_size=8, rng=rng,
                     progress=False)
    assert set(model.calls) == {Tensor} and history[-1] < 1e-3
    nn.fit(model, nn.MSELoss(), opt, (Tensor(X), Tensor(y)), epochs=1, progress=False)
    nn.fit(model, nn.MSELoss(), opt, [(X[:16], y[:16]), (X[16:], y[16:])], epochs=1,
           progress=False)
    assert set(model.calls) == {Tensor}


def test_history_is_the_list_of_training_losses_with_validation(rng):
    X, y = data(rng)
    X_val, y_val = data(rng, 16)
    model = nn.Sequential(nn.Linear(3, 8, rng=rng), nn.Dropout(0.2, rng=rng), nn.Linear(8, 1, rng=rng))
    modes = []
    original = model[1].forward
    model[1].forward = lambda x: (modes.append(model[1].training), original(x))[1]
    history = nn.fit(model, nn.MSELoss(), nn.optim.Adam(model.parameters(), lr=0.02), (X, y),
                     epochs=20, batch_size=8, rng=rng, progress=False, validation=(X_val, y_val))
    assert isinstance(history, list) and isinstance(history, nn.History) and len(history) == 20
    assert len(history.validation) == 20 and history.validation[-1] < history.validation[0]
    assert history.grads == []
    # 4 training batches then one validation pass (in eval mode) per epoch
    assert modes == ([True] * 4 + [False]) * 20
    model.eval()
    assert abs(nn.MSELoss()(model(X_val), y_val).item() - history.validation[-1]) < 1e-6
    assert model.training is False


def test_schedulers_are_stepped_once_per_epoch(rng):
    X, y = data(rng)
    model = nn.Linear(3, 1, rng=rng)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    sched = nn.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    nn.fit(model, nn.MSELoss(), opt, (X, y), epochs=5, batch_size=8, progress=False,
           scheduler=sched)
    assert opt.param_groups[0]["lr"] == 0.1 * 0.5 ** 2


def test_reduce_on_plateau_is_given_the_validation_loss_or_else_the_training_loss(rng):
    X, y = data(rng)
    seen = []

    class Recording(nn.optim.lr_scheduler.ReduceLROnPlateau):
        def step(self, metrics):
            seen.append(metrics)
            super().step(metrics)

    for validation in (None, data(rng, 8)):
        seen.clear()
        model = nn.Linear(3, 1, rng=rng)
        opt = nn.optim.SGD(model.parameters(), lr=0.05)
        history = nn.fit(model, nn.MSELoss(), opt, (X, y), epochs=4, progress=False,
                         validation=validation, scheduler=Recording(opt, patience=0))
        assert seen == (history if validation is None else history.validation)


def test_record_grads_gives_mean_and_max_abs_gradient_per_parameter_per_epoch(rng):
    X, y = data(rng)
    model = nn.Sequential(nn.Linear(3, 4, rng=rng), nn.Tanh(), nn.Linear(4, 1, rng=rng))
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.01), (X, y),
                     epochs=3, progress=False, record_grads=True)  # one batch per epoch
    assert len(history.grads) == 3
    assert list(history.grads[0]) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for name, p in model.named_parameters():
        mean, biggest = history.grads[-1][name]
        g = np.abs(p.grad.data)  # the last (only) batch's gradient
        assert mean == float(g.mean()) and biggest == float(g.max())
        assert all(isinstance(v, float) for v in history.grads[0][name])


def test_shuffles_and_letters_draw_from_the_seeded_default_generator(rng):
    import autograd_core as ag
    X, y = data(rng)

    def run():
        letters = nn.datasets.efl_letters(5)[0]
        order = [b[0][0, 0] for b in nn.data.batches(X, y, batch_size=4)]
        model = nn.Linear(3, 1)
        nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=2,
               batch_size=4, progress=False)
        return letters, order, model.weight.data.copy()

    ag.manual_seed(5)
    first = run()
    ag.manual_seed(5)
    for a, b in zip(first, run()):
        np.testing.assert_array_equal(a, b)
