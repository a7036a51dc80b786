"""A neural network of scalar `Value`s, in the shape of micrograd's nn.py:
`Neuron`, `Layer`, `MLP`, each with `parameters()` and `zero_grad()`.

Weights are drawn as micrograd draws them, with Python's
`random.uniform(-1, 1)` one weight at a time (biases start at 0), so after
`random.seed(s)` the same network comes out as micrograd's. Every parameter
and every neuron's output is labelled ("layer 1, neuron 3, w2"; layers,
neurons and weights counted from 1), so that pictures of the graph can group
a network neuron by neuron.

    model = MLP(2, [16, 16, 1])          # ReLU hidden layers, a linear output
    score = model([Value(0.5), Value(-1.0)])
"""
import random

from autograd_core import Value


class Module:
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):
    """relu(w . x + b) (or w . x + b with nonlin=False) for a list of nin inputs."""

    def __init__(self, nin, nonlin=True, label=""):
        prefix = f"{label}, " if label else ""
        self.w = [Value(random.uniform(-1, 1), label=f"{prefix}w{i + 1}") for i in range(nin)]
        self.b = Value(0.0, label=f"{prefix}b")
        self.nonlin, self.label = nonlin, label

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        out = act.relu() if self.nonlin else act
        out.label = self.label
        return out

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons that each see all nin inputs; one output is returned bare."""

    def __init__(self, nin, nout, nonlin=True, label=""):
        prefix = f"{label}, " if label else ""
        self.neurons = [Neuron(nin, nonlin, f"{prefix}neuron {j + 1}") for j in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes nouts after nin inputs: ReLU everywhere but the last layer."""

    def __init__(self, nin, nouts):
        sizes = [nin] + list(nouts)
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1,
                             label=f"layer {i + 1}") for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer([x] if isinstance(x, Value) else x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
