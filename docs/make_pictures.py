"""Regenerate the pictures in docs/ that the README shows (run from the
repository root; tests/test_docs_pictures.py fails when they are stale):

    python docs/make_pictures.py
"""
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's packages, not an installed copy

import nn  # noqa: E402
from autograd_core import Value  # noqa: E402
from nn import viz  # noqa: E402


def value_example():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    d = (c * 0.5).tanh()
    d.label = "d"
    return d


def mlp_example():
    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(4, 8, rng=rng), nn.Sigmoid(), nn.Linear(8, 8, rng=rng),
                        nn.Sigmoid(), nn.Linear(8, 3, rng=rng))
    x = rng.standard_normal((5, 4)).astype(np.float32)
    loss = nn.functional.cross_entropy(net(x), rng.integers(0, 3, 5))
    return net, loss


def main(out=HERE):
    out = pathlib.Path(out)
    d = value_example()
    written = [viz.explore(d).save(out / "value_backward.html")]
    d.backward()
    written.append(viz.draw_graph(d).render(out / "value_graph", format="svg", cleanup=True))
    net, loss = mlp_example()
    loss.backward()
    written.append(viz.draw_graph(loss, params=net).render(out / "mlp_graph", format="svg",
                                                           cleanup=True))
    return [str(p) for p in written]


if __name__ == "__main__":
    for path in main():
        print("wrote", path)
