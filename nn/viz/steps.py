"""The reverse sweep replayed for pictures: `backward_steps`, and the
`Sweep` the explorer reads its steps from."""
from autograd_core import Tensor, trace_backward

from .draw import draw_graph


class Sweep:
    """The steps backward() would take from `root`, taken without storing a
    `.grad` or freeing anything: `steps` is a list of (node, its complete
    gradient, [(input, gradient sent to it)]), and `seed` the root's gradient
    before the first step. Gradients are numpy arrays (floats for Values)."""

    def __init__(self, root, gradient=None, caller="backward_steps()"):
        try:
            self.steps = trace_backward(root, gradient)
        except RuntimeError as e:
            if isinstance(root, Tensor) and "retain_graph=True" in str(e):
                raise RuntimeError(
                    f"{caller} replays the backward pass, which needs the arrays the ops saved "
                    "for it, and a backward() has freed them. Call it before backward(), or "
                    "run backward(retain_graph=True).") from None
            raise
        self.seed = self.steps[0][1] if self.steps else None


def backward_steps(root, params=None, **draw_options):
    """One picture per step of the reverse sweep from `root`: the node being
    processed outlined in red, the gradients known so far filled in. Nothing
    of yours changes (no `.grad` is written). A Tensor graph must still hold
    what its ops saved: draw before backward(), or after
    backward(retain_graph=True). `explore()` shows the same steps in one
    interactive page."""
    sweep = Sweep(root)
    known = {id(root): sweep.seed} if sweep.steps else {}
    pictures = []
    for node, grad, sent in sweep.steps:
        known[id(node)] = grad
        pictures.append(draw_graph(root, params, grads=dict(known), highlight=node,
                                   **draw_options))
        for parent, g in sent:
            known[id(parent)] = g if id(parent) not in known else known[id(parent)] + g
    return pictures
