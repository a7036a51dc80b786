"""`fit`: the usual training loop, with a progress bar. Optional: writing the
loop yourself is four lines (see the README)."""
import numpy as np

from .data import batches
from .progress import progress_bar as _progress


def fit(model, loss_fn, optimizer, data, epochs=1, batch_size=None, shuffle=True, rng=None,
        progress=True):
    """Train `model` and return the mean training loss of each epoch.

    `data` is (X, y), split into minibatches of `batch_size` (all rows when
    None) and reshuffled each epoch with `rng`; or any re-iterable of (x, y)
    batches, such as a list. `progress` shows a bar (tqdm when installed,
    otherwise a one-line report on stderr); False keeps quiet.
    """
    if isinstance(data, tuple) and len(data) == 2 and not _looks_like_batches(data):
        X, y = data
        size = len(X) if batch_size is None else batch_size
        rng = rng if rng is not None else np.random.default_rng()
        epoch_batches = lambda: batches(X, y, size, shuffle=shuffle, rng=rng)  # noqa: E731
    else:
        epoch_batches = lambda: data  # noqa: E731
    history = []
    bar = _progress(epochs) if progress else None
    model.train()
    for _ in range(epochs):
        total, count = 0.0, 0
        for xb, yb in epoch_batches():
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
            count += 1
        if count == 0:
            raise ValueError("fit: the data gave no batches")
        history.append(total / count)
        if bar:
            bar.update(history[-1])
    if bar:
        bar.close()
    return history


def _looks_like_batches(data):
    # a pair of (x, y) pairs is a list of batches, not (X, y)
    return all(isinstance(d, tuple) and len(d) == 2 for d in data)
