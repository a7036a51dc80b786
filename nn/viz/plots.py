"""Weights as images and loss curves (matplotlib, imported only when called:
`pip install -e ".[viz]"`).

Each function returns its matplotlib Figure, made so that a notebook shows
it once however it is called (as a cell's result, before `plt.show()`, or
assigned): a notebook displays it through the Figure's own display hook,
which then takes it off pyplot's list so the inline backend does not show
it a second time at the end of the cell."""
import base64
import io
import math

import numpy as np

from autograd_core import Tensor

NON_INTERACTIVE = {"agg", "pdf", "ps", "svg", "pgf", "cairo", "template"}


def pyplot():
    try:
        import matplotlib
        if matplotlib.get_backend().lower().startswith("qt"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("this picture needs matplotlib: pip install -e \".[viz]\" "
                          "(or pip install matplotlib)") from None
    return plt


def figure(**kwargs):
    """A pyplot figure of the class below."""
    from matplotlib.figure import Figure

    class NotebookFigure(Figure):
        def _ipython_display_(self):
            import matplotlib
            plt = pyplot()
            open_in_pyplot = self.canvas.manager is not None and plt.fignum_exists(self.number)
            backend = matplotlib.get_backend().lower()
            inline = "inline" in backend
            if open_in_pyplot and not inline and backend not in NON_INTERACTIVE:
                return  # a window shows it
            from IPython.display import display
            png = io.BytesIO()
            self.savefig(png, format="png", bbox_inches="tight")
            display({"image/png": base64.b64encode(png.getvalue()).decode("ascii"),
                     "text/plain": repr(self)}, raw=True)
            if open_in_pyplot and inline:
                plt.close(self)  # shown: the end of the cell must not show it again

    return pyplot().figure(FigureClass=NotebookFigure, **kwargs)


def as_array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def show_weights(layer, shape=(8, 8), cmap="gray_r", columns=8):
    """Each output unit's input weights as an image: the lecture's pictures of
    hidden units, where dark means a large weight. All units share one scale,
    symmetric around 0 (so the same grey means the same weight in every
    image), read off the colourbar. `cmap="RdBu_r"` draws negative weights
    blue and positive ones red instead. `layer` is a layer with a `.weight`
    of shape (units, inputs), or that array. Returns the Figure."""
    weight = as_array(getattr(layer, "weight", layer))
    if weight.ndim != 2:
        raise ValueError(f"show_weights needs a weight matrix (units, inputs); got shape "
                         f"{weight.shape}")
    pixels = int(np.prod(shape))
    if pixels != weight.shape[1]:
        raise ValueError(f"shape {tuple(shape)} holds {pixels} pixels, but each unit of "
                         f"this layer has {weight.shape[1]} input weights")
    units = weight.shape[0]
    cols = min(units, columns)
    rows = math.ceil(units / cols)
    fig = figure(figsize=(1.9 * cols + 1.0, 2.0 * rows + 0.2))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    bound = float(np.abs(weight).max()) or 1.0
    for unit, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if unit >= units:
            ax.set_axis_off()
            continue
        image = ax.imshow(weight[unit].reshape(shape), cmap=cmap, vmin=-bound, vmax=bound)
        ax.set_title(f"unit {unit + 1}", fontsize=10)
    fig.colorbar(image, ax=list(axes), shrink=0.9, label="weight")
    return fig


def plot_history(history, label="training loss", log=False):
    """A loss curve: one value per epoch, as `nn.fit` returns. `log=True`
    draws the loss on a log scale. Returns the Figure."""
    values = [float(v) for v in history]
    if log and any(v <= 0 for v in values):
        raise ValueError("plot_history(log=True) needs positive losses; this history has "
                         f"{min(values):.4g}. Use log=False.")
    fig = figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.plot(range(1, len(values) + 1), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    return fig
