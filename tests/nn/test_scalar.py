"""nn.scalar against micrograd itself, and micrograd's moons demo run with
only its imports changed."""
import gc
import random

import numpy as np
import pytest

from autograd_core import Value
from nn.scalar import MLP, Layer, Neuron

micrograd = pytest.importorskip("micrograd.nn")


def both(seed, nin, nouts):
    random.seed(seed)
    ours = MLP(nin, nouts)
    random.seed(seed)
    theirs = micrograd.MLP(nin, nouts)
    return ours, theirs


def test_same_seed_gives_micrograds_network_values_and_gradients():
    ours, theirs = both(1337, 3, [4, 4, 1])
    assert repr(ours) == repr(theirs)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((6, 3)).tolist()
    for model, value in ((ours, Value), (theirs, micrograd.Value)):
        loss = sum((model([value(x) for x in row]) - 1) ** 2 for row in xs)
        model.zero_grad()
        loss.backward()
        model.loss = loss.data
    assert ours.loss == theirs.loss
    # (the sweep adds a node's shares in another order than micrograd's: last-bit differences)
    np.testing.assert_allclose([p.grad for p in ours.parameters()],
                               [p.grad for p in theirs.parameters()], rtol=1e-13, atol=1e-15)
    ours.zero_grad()
    assert all(p.grad == 0.0 for p in ours.parameters())


def test_values_are_labelled_neuron_by_neuron():
    random.seed(0)
    model = MLP(2, [3, 1])
    labels = [p.label for p in model.parameters()]
    assert labels[:4] == ["layer 1, neuron 1, w1", "layer 1, neuron 1, w2",
                          "layer 1, neuron 1, b", "layer 1, neuron 2, w1"]
    assert labels[-1] == "layer 2, neuron 1, b"
    out = model([Value(1.0), Value(-1.0)])
    assert out.label == "layer 2, neuron 1"
    hidden = model.layers[0]([Value(1.0), Value(2.0)])
    assert [h.label for h in hidden] == [f"layer 1, neuron {j}" for j in (1, 2, 3)]
    assert [p.label for p in Neuron(2).parameters()] == ["w1", "w2", "b"]
    assert [p.label for p in Layer(2, 2).parameters()][3] == "neuron 2, w1"
    assert repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"


def test_a_neuron_refuses_the_wrong_number_of_inputs():
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])


# micrograd's demo.ipynb, its training cells as written; only the two
# micrograd imports are changed
MOONS_DEMO = """
import random
import numpy as np
from autograd_core import Value
from nn.scalar import Neuron, Layer, MLP
np.random.seed(1337)
random.seed(1337)
from sklearn.datasets import make_moons, make_blobs
X, y = make_moons(n_samples=100, noise=0.1)
y = y*2 - 1 # make y be -1 or 1
model = MLP(2, [16, 16, 1]) # 2-layer neural network
def loss(batch_size=None):
    if batch_size is None:
        Xb, yb = X, y
    else:
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
    inputs = [list(map(Value, xrow)) for xrow in Xb]
    scores = list(map(model, inputs))
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p*p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
    return total_loss, sum(accuracy) / len(accuracy)
total_loss, acc = loss()
print(total_loss, acc)
for k in range(100):
    total_loss, acc = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9*k/100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    if k % 1 == 0:
        print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%")
"""


def test_micrograds_moons_demo_reaches_full_training_accuracy(capsys):
    pytest.importorskip("sklearn")
    # The graphs hold no reference cycles (each is freed by reference
    # counting), so the cyclic collector only costs time here: about 40%.
    enabled = gc.isenabled()
    gc.disable()
    try:
        scope = {}
        exec(compile(MOONS_DEMO, "micrograd demo", "exec"), scope)
    finally:
        if enabled:
            gc.enable()
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("step 0 loss 0.8958441028683222, accuracy 50.0%")  # micrograd's
    assert lines[-1].endswith("accuracy 100.0%"), lines[-1]
    assert scope["acc"] == 1.0 and scope["total_loss"].data < 0.02
