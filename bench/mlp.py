"""The MLP workloads of the performance table: an engine-trained 784-256-10
network against the same network written by hand in numpy (and PyTorch).

Each side has a setup, `<side>_model(weights)`, that builds the network from
the same float32 weights (not timed: what is timed is training), and a
trainer, `train_<side>(model, X, y, steps)`, that returns its final loss;
all see the same batches."""
import numpy as np

import autograd_core as ag
import nn

SIZES, BATCH, LR = (784, 256, 10), 128, 0.1


def data(steps, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((steps * BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[2], steps * BATCH)
    return X, y


def initial_weights(seed=1):
    rng = np.random.default_rng(seed)
    layers = [nn.Linear(i, o, rng=rng) for i, o in zip(SIZES, SIZES[1:])]
    return [(layer.weight.data.copy(), layer.bias.data.copy()) for layer in layers]


def engine_model(weights):
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    for layer, (W, b) in zip((net[0], net[2]), weights):
        layer.weight.data, layer.bias.data = W.copy(), b.copy()
    return net, nn.optim.SGD(net.parameters(), lr=LR)


def train_engine(model, X, y, steps, batch=BATCH):
    net, opt = model
    for s in range(steps):
        xb, yb = X[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
    return loss.item()


def numpy_model(weights):
    return [(W.copy(), b.copy()) for W, b in weights]


def train_numpy(model, X, y, steps, batch=BATCH):
    """The same network, forward and backward formulas written out."""
    (W1, b1), (W2, b2) = model
    rows = np.arange(batch)
    for s in range(steps):
        xb, yb = X[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch]
        h_pre = xb @ W1.T + b1
        h = np.maximum(h_pre, 0)
        logits = h @ W2.T + b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, yb].mean()
        d_logits = np.exp(log_probs)
        d_logits[rows, yb] -= 1
        d_logits /= batch
        dW2, db2 = d_logits.T @ h, d_logits.sum(axis=0)
        d_h = (d_logits @ W2) * (h_pre > 0)
        dW1, db1 = d_h.T @ xb, d_h.sum(axis=0)
        W1 -= LR * dW1
        b1 -= LR * db1
        W2 -= LR * dW2
        b2 -= LR * db2
    return float(loss)


def raw_model(weights):
    """The network as plain Tensors, weights shaped (in, out) as people write `x @ w + b`."""
    params = [ag.Tensor(a.T.copy() if a.ndim == 2 else a.copy(), requires_grad=True)
              for W, b in weights for a in (W, b)]
    return params, nn.optim.SGD(params, lr=LR)


def train_raw(model, X, y, steps, batch=BATCH):
    (w1, b1, w2, b2), opt = model
    for s in range(steps):
        xb, yb = X[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch]
        opt.zero_grad()
        logits = (ag.Tensor(xb) @ w1 + b1).relu() @ w2 + b2
        loss = nn.functional.cross_entropy(logits, yb)
        loss.backward()
        opt.step()
    return loss.item()


def torch_model(weights):
    import torch
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    with torch.no_grad():
        for layer, (W, b) in zip((net[0], net[2]), weights):
            layer.weight.copy_(torch.from_numpy(W))
            layer.bias.copy_(torch.from_numpy(b))
    return net, torch.optim.SGD(net.parameters(), lr=LR)


def train_torch(model, X, y, steps):
    import torch
    net, opt = model
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for s in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(Xt[s * BATCH:(s + 1) * BATCH]),
                                                 yt[s * BATCH:(s + 1) * BATCH])
        loss.backward()
        opt.step()
    return loss.item()


def infer_engine(net, X):
    with ag.no_grad():
        return net(X).numpy()


def infer_numpy(weights, X):
    (W1, b1), (W2, b2) = weights
    return np.maximum(X @ W1.T + b1, 0) @ W2.T + b2


def memory_growth(weights, X, y, first=100, last=1000):
    """Traced memory after `first` and after `last` engine steps (cycling over
    the batches), in bytes: a graph kept alive per step would show here."""
    import tracemalloc
    net, opt = engine_model(weights)
    batches = len(X) // BATCH
    tracemalloc.start()
    try:
        for s in range(last):
            if s == first:
                at_first = tracemalloc.get_traced_memory()[0]
            b = s % batches
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(X[b * BATCH:(b + 1) * BATCH]),
                                               y[b * BATCH:(b + 1) * BATCH])
            loss.backward()
            opt.step()
        return at_first, tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def peak_memory(setup, train, weights, X, y, steps=50):
    """Peak traced memory (bytes) of one training run, the model's own copy of
    the weights included."""
    import gc
    import tracemalloc
    gc.collect()
    tracemalloc.start()
    try:
        train(setup(weights), X, y, steps)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
