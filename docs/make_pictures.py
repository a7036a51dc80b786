"""Regenerate the pictures in docs/ (run from the repository root):

    python docs/make_pictures.py
"""
import pathlib

from autograd_core import Value
from nn import viz

HERE = pathlib.Path(__file__).resolve().parent


def main():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    d = (c * 0.5).tanh()
    d.label = "d"
    d.backward()
    viz.draw_graph(d).render(HERE / "value_graph", format="svg", cleanup=True)
    viz.animate_backward(d, HERE / "value_backward.html")
    print("wrote", HERE / "value_graph.svg", "and", HERE / "value_backward.html")


if __name__ == "__main__":
    main()
