"""Batching, the fit helper, and the seed's E/F/L letters task end to end."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor


def test_batches_cover_every_row_once():
    X, y = np.arange(10).reshape(10, 1), np.arange(10)
    got = list(nn.data.batches(X, y, batch_size=4, rng=np.random.default_rng(0)))
    assert [len(b[0]) for b in got] == [4, 4, 2]
    rows = np.concatenate([b[0][:, 0] for b in got])
    assert sorted(rows) == list(range(10)) and not np.array_equal(rows, np.arange(10))
    assert all(np.array_equal(xb[:, 0], yb) for xb, yb in got)
    ordered = list(nn.data.batches(X, batch_size=5, shuffle=False))
    np.testing.assert_array_equal(ordered[0][:, 0], [0, 1, 2, 3, 4])
    tensors = list(nn.data.batches(Tensor(X.astype(float)), y, batch_size=10))
    assert isinstance(tensors[0][0], Tensor)
    with pytest.raises(ValueError, match="X has 10 rows but y has 3"):
        list(nn.data.batches(X, y[:3]))


def test_fit_returns_history_and_reports_progress(capsys):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 3)).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
    model = nn.Linear(3, 1, rng=rng)
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y),
                     epochs=30, batch_size=8, rng=rng, progress=True)
    assert len(history) == 30 and history[-1] < 0.01 * history[0]
    err = capsys.readouterr().err
    # the bar (tqdm's, from the test extra) ends at 30 of 30 epochs with the last loss
    assert "30/30" in err and f"loss={history[-1]:.4g}" in err.splitlines()[-1].split("\r")[-1]
    quiet = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1),
                   [(X[:16], y[:16]), (X[16:], y[16:])], epochs=2, progress=False)
    assert len(quiet) == 2 and capsys.readouterr().err == ""


def test_plain_progress_bar_without_tqdm(monkeypatch, capsys):
    import builtins
    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    model = nn.Linear(2, 1)
    nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1),
           (np.ones((4, 2), np.float32), np.ones((4, 1), np.float32)), epochs=3)
    err = capsys.readouterr().err
    assert "epoch 3/3" in err and "loss" in err


def test_efl_letters_data():
    X, y = nn.datasets.efl_letters(300, noise=0.3, rng=np.random.default_rng(0))
    assert X.shape == (300, 64) and X.dtype == np.float32 and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1, 2}
    templates = nn.datasets.efl_templates()
    assert templates.shape == (3, 8, 8)
    # E and F differ only in the bottom bar; L has no top bar
    assert (templates[0] != templates[1]).sum() == 5 and templates[2][0].sum() == 1
    again, _ = nn.datasets.efl_letters(300, noise=0.3, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, again)


def test_efl_network_of_the_lecture_reaches_97_percent():
    """64 inputs, 2 sigmoid hidden units, 3 sigmoid outputs, as on the slide."""
    rng = np.random.default_rng(0)
    X, y = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
    X_test, y_test = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
    net = nn.Sequential(nn.Linear(64, 2, rng=rng), nn.Sigmoid(), nn.Linear(2, 3, rng=rng), nn.Sigmoid())
    targets = nn.functional.one_hot(y, 3).numpy().astype(np.float32)
    history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.05), (X, targets),
                     epochs=100, batch_size=64, rng=rng, progress=False)
    accuracy = (net(X_test).numpy().argmax(axis=1) == y_test).mean()
    assert accuracy > 0.97, (accuracy, history[-1])
    hidden = net[:2](X_test).numpy()  # the feature extractor F = the first layer
    assert hidden.shape == (600, 2)
