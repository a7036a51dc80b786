"""The small CNN of notebook 07 on scikit-learn's 8x8 digits, trained with
nn and with PyTorch from the same initial weights (float32, Adam, batch 64).

    python bench/cnn.py          # one full 20-epoch training, timed
"""
import time

import numpy as np

import autograd_core as ag
import nn

try:
    import torch
except ImportError:
    torch = None


def data():
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]
    order = np.random.default_rng(0).permutation(len(images))
    return images[order[:1400]], digits.target[order[:1400]], images[order[1400:]], \
        digits.target[order[1400:]]


def engine_model(seed=0):
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64, 10, rng=rng))


def torch_model(seed=0):
    ours = engine_model(seed)
    tnn = torch.nn
    net = tnn.Sequential(tnn.Conv2d(1, 8, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                         tnn.Conv2d(8, 16, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                         tnn.Flatten(), tnn.Linear(64, 10))
    with torch.no_grad():
        for p, t in zip(ours.parameters(), net.parameters()):
            t.copy_(torch.from_numpy(p.data))
    return net


def _batches(n, epochs, batch_size=64):
    rng = np.random.default_rng(1)
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start:start + batch_size]


def train_engine(model, X, y, epochs):
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    for index in _batches(len(X), epochs):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(X[index]), y[index])
        loss.backward()
        opt.step()
    return loss.item()


def train_torch(model, X, y, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    for index in _batches(len(X), epochs):
        index = torch.from_numpy(index)
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X[index]), y[index])
        loss.backward()
        opt.step()
    return loss.item()


def accuracy(model, X, y):
    with ag.no_grad():
        return float((model(X).numpy().argmax(axis=1) == y).mean())


if __name__ == "__main__":
    X, y, X_test, y_test = data()
    model = engine_model()
    start = time.perf_counter()
    train_engine(model, X, y, 20)
    print(f"20 epochs: {time.perf_counter() - start:.1f} s, held-out accuracy "
          f"{accuracy(model, X_test, y_test):.1%}")
