"""`grad_flow`: how large each layer's gradients are, after one backward or
over training; vanishing gradients show as sizes falling off with depth."""
import numpy as np

from .plots import as_array, figure


def grad_flow(source, ax=None, title=None):
    """Mean and max |gradient| of each parameter, input side first, on a log
    scale. `source` is a model after a backward (its parameters' `.grad`),
    or a history of `fit(..., record_grads=True)` (its `.grads`: per epoch
    {parameter name: (mean |grad|, max |grad|)}), drawn as two heatmaps,
    parameter by epoch. Draws into `ax` if given (a model only). Returns the
    Figure."""
    if hasattr(source, "named_parameters"):
        return _after_backward(source, ax, title)
    records = getattr(source, "grads", source)
    if isinstance(records, (list, tuple)) and records and all(isinstance(r, dict) for r in records):
        if ax is not None:
            raise ValueError("grad_flow draws a history as two heatmaps in a figure of its "
                             "own; drop ax=")
        return _over_training(records, title)
    raise TypeError("grad_flow takes a model after a backward, or the history of "
                    "fit(..., record_grads=True) (its .grads: one dict per epoch); got "
                    f"{type(source).__name__}")


def _after_backward(model, ax, title):
    names, means, maxes, missing = [], [], [], []
    for name, p in model.named_parameters():
        names.append(name)
        if p.grad is None:
            missing.append(name)
            means.append(np.nan)
            maxes.append(np.nan)
            continue
        g = np.abs(as_array(p.grad))
        means.append(float(g.mean()))
        maxes.append(float(g.max()))
    if len(missing) == len(names):
        raise ValueError("grad_flow: no parameter of this model has a gradient yet; call "
                         "loss.backward() first")
    if ax is None:
        fig = figure(figsize=(max(4.0, 0.45 * len(names) + 1.5), 3.2))
        ax = fig.subplots()
    else:
        fig = ax.figure
    x = np.arange(len(names))
    ax.bar(x, maxes, color="#9ecae1", label="max |grad|")
    ax.bar(x, means, color="#08519c", width=0.5, label="mean |grad|")
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([n + (" (no grad)" if n in missing else "") for n in names],
                       rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("parameter (input side first)")
    ax.set_ylabel("|gradient|")
    ax.set_title(title or "gradient size per parameter", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _over_training(records, title):
    from matplotlib.colors import LogNorm
    names = list(dict.fromkeys(name for r in records for name in r))
    grids = [np.full((len(names), len(records)), np.nan) for _ in range(2)]
    for epoch, r in enumerate(records):
        for i, name in enumerate(names):
            if name in r:
                grids[0][i, epoch], grids[1][i, epoch] = (float(v) for v in r[name])
    positive = np.concatenate([g[np.isfinite(g) & (g > 0)] for g in grids])
    if positive.size == 0:
        raise ValueError("grad_flow: every recorded gradient is zero or missing")
    norm = LogNorm(vmin=positive.min(), vmax=positive.max())
    fig = figure(figsize=(9, 0.28 * len(names) + 1.8))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, grid, what in zip(axes, grids, ("mean |grad|", "max |grad|")):
        image = ax.imshow(np.where(grid > 0, grid, np.nan), aspect="auto", norm=norm,
                          cmap="viridis", interpolation="nearest",
                          extent=(0.5, len(records) + 0.5, len(names) - 0.5, -0.5))
        ax.set_title(what, fontsize=10)
        ax.set_xlabel("epoch")
    axes[0].set_yticks(range(len(names)))
    axes[0].set_yticklabels(names, fontsize=8)
    fig.colorbar(image, ax=list(axes), label="|gradient| (log scale)")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
