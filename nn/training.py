"""`fit`: the usual training loop, with a progress bar. Optional: writing the
loop yourself is four lines (see the README)."""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from .data import batches
from .init import generator
from .optim.lr_scheduler import ReduceLROnPlateau
from .progress import progress_bar as _progress


class History(list):
    """The mean training loss of each epoch (a list, as `fit` always
    returned), with `validation`: the loss on the validation data after each
    epoch (empty without validation data), and `grads`: with
    record_grads=True, one dict per epoch {parameter name: (mean |grad|,
    max |grad|)} over that epoch's batches."""

    def __init__(self, losses=()):
        super().__init__(losses)
        self.validation = []
        self.grads = []


def fit(model, loss_fn, optimizer, data, epochs=1, batch_size=None, shuffle=True, rng=None,
        progress=True, validation=None, scheduler=None, record_grads=False):
    """Train `model` and return a `History`: the mean training loss of each epoch.

    `data` is (X, y), split into minibatches of `batch_size` (all rows when
    None) and reshuffled each epoch with `rng`; or any re-iterable of (x, y)
    batches, such as a list. Inputs are numpy arrays or Tensors: the model is
    always given Tensors. `validation=(X, y)` is evaluated after each epoch
    (in eval mode, without a graph) into `history.validation`. `scheduler`
    is stepped once per epoch (a ReduceLROnPlateau with the validation loss,
    or the training loss without validation data). `progress` shows a bar
    (tqdm when installed, otherwise a one-line report on stderr); False keeps
    quiet.
    """
    if isinstance(data, tuple) and len(data) == 2 and not _looks_like_batches(data):
        X, y = _as_input(data[0]), data[1]
        size = len(X) if batch_size is None else batch_size
        rng = generator(rng)
        epoch_batches = lambda: batches(X, y, size, shuffle=shuffle, rng=rng)  # noqa: E731
    else:
        epoch_batches = lambda: data  # noqa: E731
    if validation is not None:
        X_val, y_val = _as_input(validation[0]), validation[1]
    history = History()
    names = [(name, p) for name, p in model.named_parameters()] if record_grads else []
    bar = _progress(epochs) if progress else None
    model.train()
    for _ in range(epochs):
        total, count = 0.0, 0
        grads = {name: [0.0, 0.0, 0] for name, _ in names}
        for xb, yb in epoch_batches():
            optimizer.zero_grad()
            loss = loss_fn(model(_as_input(xb)), yb)
            loss.backward()
            _record(grads, names)
            optimizer.step()
            total += loss.item()
            count += 1
        if count == 0:
            raise ValueError("fit: the data gave no batches")
        history.append(total / count)
        if record_grads:
            history.grads.append({name: (s / max(n, 1), m) for name, (s, m, n) in grads.items()})
        if validation is not None:
            model.eval()
            with ag.no_grad():
                history.validation.append(loss_fn(model(X_val), y_val).item())
            model.train()
        if scheduler is not None:
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(history.validation[-1] if validation is not None else history[-1])
            else:
                scheduler.step()
        if bar:
            bar.update(history[-1])
    if bar:
        bar.close()
    return history


def _as_input(x):
    """Model input as a Tensor: numpy data wrapped without a copy."""
    if isinstance(x, Tensor):
        return x
    return ag.from_numpy(np.asarray(x))


def _record(grads, names):
    for name, p in names:
        if p.grad is not None:
            g = np.abs(p.grad.data)
            entry = grads[name]
            entry[0] += float(g.mean()) if g.size else 0.0
            entry[1] = max(entry[1], float(g.max()) if g.size else 0.0)
            entry[2] += 1


def _looks_like_batches(data):
    # a pair of (x, y) pairs is a list of batches, not (X, y)
    return all(isinstance(d, tuple) and len(d) == 2 for d in data)
