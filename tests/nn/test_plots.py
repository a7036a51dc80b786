"""Weights, loss curves and gradient flow (matplotlib); and, in a real
Jupyter kernel, that each figure and the progress bar appear once."""
import os
import pathlib

import numpy as np
import pytest

import nn
from autograd_core import Tensor
from nn import viz

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def plt():
    if not os.environ.get("CI"):  # CI installs the viz extra: there it must import
        pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    yield plt
    plt.close("all")


def test_show_weights_one_symmetric_scale_and_a_colourbar(plt):
    layer = nn.Linear(64, 3, rng=np.random.default_rng(0))
    fig = viz.show_weights(layer, shape=(8, 8))
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 3 and images[0].get_array().shape == (8, 8)
    bound = float(np.abs(layer.weight.data).max())
    assert all(im.get_clim() == (-bound, bound) for im in images)  # one scale for all units
    assert images[0].get_cmap().name == "gray_r"  # the lecture's: dark = large
    assert len(fig.axes) == 4 and fig.axes[-1].get_ylabel() == "weight"  # the colourbar
    diverging = viz.show_weights(layer.weight.data, cmap="RdBu_r")
    assert [ax for ax in diverging.axes if ax.images][0].images[0].get_cmap().name == "RdBu_r"
    many = viz.show_weights(nn.Linear(4, 11), shape=(2, 2))  # wraps into rows of 8
    assert sum(1 for ax in many.axes if ax.images) == 11
    with pytest.raises(ValueError, match="holds 49 pixels"):
        viz.show_weights(layer, shape=(7, 7))


def test_plot_history_linear_and_log(plt):
    fig = viz.plot_history([1.0, 0.5, 0.25])
    assert list(fig.axes[0].lines[0].get_ydata()) == [1.0, 0.5, 0.25]
    assert fig.axes[0].get_yscale() == "linear"
    assert viz.plot_history([1.0, 0.1, 0.01], log=True).axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="needs positive losses"):
        viz.plot_history([1.0, 0.0], log=True)


def deep_net(activation, depth=8, seed=0):
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(16, 16, rng=rng), activation()]
    return nn.Sequential(*layers, nn.Linear(16, 1, rng=rng))


def test_grad_flow_after_a_backward(plt):
    net = deep_net(nn.Sigmoid)
    x = Tensor(np.random.default_rng(1).standard_normal((32, 16)).astype(np.float32))
    net(x).sum().backward()
    net[0].bias.grad = None  # a parameter without a gradient is marked, not dropped
    fig = viz.grad_flow(net)
    ax = fig.axes[0]
    means = [bar.get_height() for bar in ax.containers[1]]
    expected = float(np.abs(net[2].weight.grad.data).mean())
    assert means[2] == pytest.approx(expected)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "0.weight" and labels[1] == "0.bias (no grad)" and ax.get_yscale() == "log"
    assert means[2] < means[-2] / 100  # sigmoid at depth 8: the first layers' gradients vanish


def test_grad_flow_over_training(plt):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 4)).astype(np.float32), rng.integers(0, 3, 32)
    net = nn.Sequential(nn.Linear(4, 5, rng=rng), nn.Sigmoid(), nn.Linear(5, 3, rng=rng))
    history = nn.fit(net, nn.CrossEntropyLoss(), nn.optim.SGD(net.parameters(), lr=0.1), (X, y),
                     epochs=3, batch_size=16, rng=rng, progress=False, record_grads=True)
    fig = viz.grad_flow(history)
    heatmaps = [ax for ax in fig.axes if ax.images]
    names = ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(heatmaps) == 2 and heatmaps[0].images[0].get_array().shape == (4, 3)
    assert heatmaps[0].images[0].get_array()[0, 2] == pytest.approx(history.grads[2]["0.weight"][0])
    assert [t.get_text() for t in heatmaps[0].get_yticklabels()] == names
    assert viz.grad_flow(history.grads).axes[0].images  # the list of dicts itself


def run_notebook(cells, tmp_path, monkeypatch):
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip('the notebook tools are not installed: pip install -e ".[notebooks]"')
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return [cell.outputs for cell in nb.cells]


def test_each_figure_and_the_progress_bar_appear_once_in_a_notebook(tmp_path, monkeypatch):
    outputs = run_notebook([
        "import numpy as np, matplotlib\n"
        "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "import matplotlib.pyplot as plt\nimport nn\nfrom nn import viz",
        "viz.plot_history([1.0, 0.5, 0.25])",                    # the figure as the result
        "viz.plot_history([1.0, 0.5]); plt.show()",              # the matplotlib habit
        "fig = viz.show_weights(nn.Linear(64, 2), shape=(8, 8))",  # assigned
        "fig",                                                   # shown again, later
        "net = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1))\n"
        "net(np.ones((2, 3), dtype=np.float32)).sum().backward()\nviz.grad_flow(net)",
        "X = np.ones((8, 3), dtype=np.float32)\n"
        "history = nn.fit(net, nn.MSELoss(), nn.optim.SGD(net.parameters(), lr=0.1), (X, X[:, :1]),"
        " epochs=40)",
    ], tmp_path, monkeypatch)
    images = [sum("image/png" in o.get("data", {}) for o in cell) for cell in outputs]
    assert images == [0, 1, 1, 1, 1, 1, 0]
    progress = outputs[-1]
    assert len(progress) == 1, progress  # one output, updated in place
    text = progress[0]["data"]["text/plain"]
    assert "epoch 40/40" in text and "\r" not in text and "\n" not in text.strip()
