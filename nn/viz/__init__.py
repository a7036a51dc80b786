"""Pictures of computation graphs and of the backward pass, and of training.

- `draw_graph(root, params=None, ...)`: the graph that computed a Value or a
  Tensor (a `graphviz.Digraph`: inline in Jupyter, `.render()` to a file).
- `backward_steps(root, ...)`: one such picture per step of the reverse sweep.
- `explore(root, params=None, ...)`: the sweep as one interactive page, inline
  in a notebook or `.save(path)`; `animate_backward(root, path)` saves it.
- `show_weights`, `plot_history`, `grad_flow`: weights, loss curves and
  gradient sizes per layer (matplotlib, imported only when called).

Drawing needs only the `graphviz` Python package; rendering runs Graphviz's
`dot`, or the `graphviz-pure` program (`pip install graphviz-pure`) when
`dot` is not on PATH.
"""
from .draw import draw_graph
from .explore import Explorer, animate_backward, explore
from .flow import grad_flow
from .plots import plot_history, show_weights
from .render import GraphvizNotFound, Picture, layout_program
from .steps import backward_steps

__all__ = ["draw_graph", "backward_steps", "explore", "Explorer", "animate_backward",
           "show_weights", "plot_history", "grad_flow", "GraphvizNotFound", "Picture",
           "layout_program"]
