"""Pictures of computation graphs and of the backward pass (Graphviz).

Drawing needs only the `graphviz` Python package, which writes DOT source;
rendering it (to SVG, PNG, or inline in Jupyter) needs Graphviz's `dot`
program. Loss curves and weight images use matplotlib, imported only when
those are called (`pip install -e ".[viz]"`).
"""
import html
import json

import numpy as np

import graphviz
from autograd_core import Tensor, Value, trace_backward

from .module import Module, module_calls

COLORS = {"input": "#cfe2f3", "parameter": "#fce5cd", "intermediate": "#ffffff",
          "output": "#d9ead3", "constant": "#f3f3f3"}
HIGHLIGHT = "#e06666"
INSTALL_HINT = ("Graphviz's `dot` program is needed to render pictures, and it was not found. "
                "Install it with `apt-get install graphviz` (Debian, Ubuntu), `brew install "
                "graphviz` (macOS) or `conda install -c conda-forge graphviz`. The DOT source "
                "(`picture.source`) is available without it.")


class GraphvizNotFound(RuntimeError):
    """Rendering needs Graphviz's `dot` program."""


class Picture(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering explains how to install Graphviz."""

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFound(INSTALL_HINT) from None

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFound(INSTALL_HINT) from None


def draw_graph(root, params=None, rankdir="LR", collapse=False, group=True, grads=None,
               highlight=None, legend=True):
    """Draw the graph that computed `root` (a Value or a Tensor); returns a
    `graphviz.Digraph` that shows inline in Jupyter and saves with `.render()`.

    Legend of the picture:
      - a box is a value: its name (a Value's label, a parameter's name), then
        its data and, once a backward has run, its gradient. A Tensor shows its
        shape and dtype, and its values when it has at most 6, else min/mean/max.
      - an ellipse is an op, named after it; an arrow runs from each argument
        to the op (twice for `a + a`) and from the op to its result. After
        backward(), each op reads "step k of n": its turn in the reverse sweep.
      - fill colours: blue the inputs (leaves without gradient), orange the
        parameters (leaves that require grad), white the intermediates, green
        the output, grey the constants. Grey text: no gradient flows there.
      - with `params` a Module (or a dict of named parameters), parameters are
        named as in `named_parameters()` ("0.weight"), and with `group`, the
        nodes each submodule made sit in a box labelled with its name
        ("0: Linear(64 -> 2)"); `collapse=True` draws each such box as a
        single node, so large graphs stay readable.
      - `grads` (node -> gradient) replaces the gradients shown, and
        `highlight` marks one node in red; `backward_steps` uses both.
    """
    nodes, constants, edges = _walk(root)
    names = _parameter_names(params)
    groups = _module_groups(nodes, params) if group and isinstance(params, Module) else {}
    total = max((n.backward_step or 0 for n in nodes if _is_node(n)), default=0)
    dot = Picture(graph_attr={"rankdir": rankdir, "fontname": "Helvetica"},
                  node_attr={"fontname": "Helvetica", "fontsize": "10"})
    for const in constants:
        _draw_constant(dot, const)
    if collapse and groups:
        _draw_collapsed(dot, nodes, edges, groups, root, names, total)
    else:
        clusters = {}
        for node in nodes:
            target = dot
            if id(node) in groups:
                label = groups[id(node)]
                if label not in clusters:
                    clusters[label] = graphviz.Digraph(name=f"cluster_{len(clusters)}",
                                                       graph_attr={"label": label, "style": "rounded",
                                                                   "color": "#999999"})
                target = clusters[label]
            _draw_node(target, node, root, names, total, grads, highlight)
        for cluster in clusters.values():
            dot.subgraph(cluster)
        for src, dst in edges:
            _add_edge(dot, _id(src), _id(dst))
    if legend:
        _draw_legend(dot)
    return dot


def backward_steps(root, params=None, **kwargs):
    """One picture per step of the reverse sweep from `root`: the node being
    processed in red, the gradients known so far filled in. Nothing of yours
    changes (no `.grad` is written). A Tensor graph must still hold what its
    ops saved: draw before backward(), or after backward(retain_graph=True)."""
    steps = trace_backward(root)
    known = {id(root): steps[0][1]} if steps else {}
    pictures = []
    for node, grad, sent in steps:
        known[id(node)] = grad
        pictures.append(draw_graph(root, params, grads=dict(known), highlight=node, **kwargs))
        for parent, g in sent:
            known[id(parent)] = g if id(parent) not in known else known[id(parent)] + g
    return pictures


def animate_backward(root, path, params=None, **kwargs):
    """Write one self-contained HTML page stepping through the backward pass:
    the SVG frames of `backward_steps` embedded, a slider, and play/step
    buttons. No network access is needed to view it. Returns the path."""
    frames = [_inline_svg(p.pipe(format="svg").decode("utf-8"))
              for p in backward_steps(root, params, **kwargs)]
    page = _PAGE.replace("__FRAMES__", json.dumps(frames)).replace(
        "__TITLE__", html.escape(f"Backward pass: {len(frames)} steps"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path


def _inline_svg(svg):
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype for inline use


def show_weights(layer, shape=(8, 8), cmap="gray_r"):
    """Each output unit's input weights as an image (the lecture's hidden-unit
    pictures: dark = large weight). Returns the matplotlib Figure."""
    plt = _pyplot()
    weight = np.asarray(layer.weight.data)
    if int(np.prod(shape)) != weight.shape[1]:
        raise ValueError(f"shape {shape} holds {int(np.prod(shape))} pixels, but each unit of "
                         f"this layer has {weight.shape[1]} input weights")
    fig, axes = plt.subplots(1, weight.shape[0], figsize=(2.2 * weight.shape[0], 2.4), squeeze=False)
    for unit, ax in enumerate(axes[0]):
        ax.imshow(weight[unit].reshape(shape), cmap=cmap)
        ax.set_title(f"unit {unit + 1}")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_history(history, label="training loss"):
    """A loss curve (one value per epoch, as `nn.fit` returns). Returns the Figure."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3))
    values = [float(v) for v in history]  # numbers, or 0-d Tensors such as losses
    ax.plot(range(1, len(values) + 1), values, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    return fig


# -- the graph ----------------------------------------------------------------

def _is_node(x):
    return isinstance(x, (Value, Tensor))


def _walk(root):
    """Every node and constant reachable from `root` (each once), and the
    edges: argument -> op -> result, one per argument position."""
    nodes, constants, edges, seen, stack = [], [], [], {id(root)}, [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for arg in node.inputs:
            if _is_node(arg):
                edges.append((arg, ("op", node)))
                if id(arg) not in seen:
                    seen.add(id(arg))
                    stack.append(arg)
            elif _shown_constant(arg):
                constants.append(("const", node, len(constants), arg))
                edges.append((constants[-1], ("op", node)))
        if node.inputs:
            edges.append((("op", node), node))
    return nodes, constants, edges


def _shown_constant(arg):
    return isinstance(arg, (int, float, np.number, np.ndarray)) and not isinstance(arg, bool)


def _id(x):
    if isinstance(x, tuple):
        return f"{x[0]}{id(x[1])}" + (f"_{x[2]}" if x[0] == "const" else "")
    return f"n{id(x)}"


def _parameter_names(params):
    if params is None:
        return {}
    named = params.named_parameters() if isinstance(params, Module) else params.items()
    return {id(p): name for name, p in named}


def _module_groups(nodes, model):
    """node id -> label of the innermost named submodule whose call made it."""
    names = {id(m): name for name, m in model.named_modules() if name}
    ids = {id(n) for n in nodes}
    best = {}  # node id -> (region size, label)
    for node in nodes:
        for module, input_ids in module_calls(node) if isinstance(node, Tensor) else ():
            if id(module) not in names:
                continue
            region = _region(node, input_ids, ids)
            label = f"{names[id(module)]}: {_module_title(module)}"
            for nid in region:
                if nid not in best or len(region) < best[nid][0]:
                    best[nid] = (len(region), label)
    return {nid: label for nid, (_, label) in best.items()}


def _region(output, input_ids, ids):
    """Ids of the nodes from a module call's output back to (not into) its inputs."""
    region, stack = set(), [output]
    while stack:
        node = stack.pop()
        if id(node) in region or id(node) in input_ids or id(node) not in ids:
            continue
        region.add(id(node))
        stack.extend(a for a in node.inputs if _is_node(a))
    return region


def _module_title(module):
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"{type(module).__name__}({module.in_features} -> {module.out_features})"
    return type(module).__name__


def _kind(node, root):
    if node is root:
        return "output"
    if node.inputs:
        return "intermediate"
    needs_grad = isinstance(node, Value) or node.requires_grad
    return "parameter" if needs_grad else "input"


def _summary(x):
    if isinstance(x, (float, int)):
        return f"{x:.4g}"
    a = x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)  # (a create_graph gradient)
    if a.ndim == 0:
        return f"{a.item():.4g}"
    if a.size <= 6:  # flat, in reading order; the shape is on the line above
        return "[" + ", ".join(f"{v:.4g}" for v in a.ravel().tolist()) + "]"
    return f"min {a.min():.4g} mean {a.mean():.4g} max {a.max():.4g}"


def _draw_node(dot, node, root, names, total, grads, highlight):
    kind = _kind(node, root)
    faded = isinstance(node, Tensor) and not node.requires_grad
    if isinstance(node, Value):
        name = node.label or names.get(id(node), "")
        grad = node.grad if grads is None else grads.get(id(node))
        data = f"data {node.data:.4g}"
    else:
        name = names.get(id(node), "")
        grad = grads.get(id(node)) if grads is not None else (node.grad.data if node.grad is not None else None)
        data = f"{node.shape} {node.dtype}|data {_summary(node.data)}"
    fields = ([name] if name else []) + [data.replace("|", "\\n")]
    if grad is not None:
        fields.append(f"grad {_summary(grad)}")
    label = "{" + " | ".join(_record_escape(f) for f in fields) + "}"
    style = {"shape": "record", "style": "filled", "fillcolor": COLORS[kind]}
    if faded:
        style.update(fontcolor="#999999", color="#bbbbbb")
    if highlight is node:
        style.update(color=HIGHLIGHT, penwidth="3")
    _add_node(dot, _id(node), label, **style)
    if node.inputs:
        step = node.backward_step
        op_label = node.op + (f"\\nstep {step} of {total}" if step and grads is None else "")
        op_style = {"shape": "ellipse"}
        if faded:
            op_style.update(fontcolor="#999999", color="#bbbbbb")
        _add_node(dot, _id(("op", node)), op_label, **op_style)


def _draw_constant(dot, const):
    value = const[3]
    text = _summary(value) if np.size(value) <= 6 else f"{np.shape(value)} constant"
    _add_node(dot, _id(const), _record_escape(text), shape="box", style="filled",
              fillcolor=COLORS["constant"], fontcolor="#777777", color="#bbbbbb")


def _add_node(dot, node_id, label, **attrs):
    """Append a node line to the DOT body directly: the graphviz package's own
    quoting costs more than everything else for a graph of 10,000 nodes."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    dot.body.append(f'\t{node_id} [label="{_dot_escape(label)}"{extra}]\n')


def _add_edge(dot, tail, head, **attrs):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    dot.body.append(f"\t{tail} -> {head}{' [' + extra.strip() + ']' if extra else ''}\n")


def _dot_escape(text):
    return text.replace('"', '\\"')


def _record_escape(text):
    for ch in "{}<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _draw_collapsed(dot, nodes, edges, groups, root, names, total):
    """Each module's nodes as one box; edges between boxes and the rest."""
    group_ids = {}
    for node in nodes:
        label = groups.get(id(node))
        if label is None:
            _draw_node(dot, node, root, names, total, None, None)
        elif label not in group_ids:
            group_ids[label] = f"group{len(group_ids)}"
            _add_node(dot, group_ids[label], label, shape="box3d", style="filled",
                      fillcolor="#eeeeee")

    def end(x):  # a graph end point, or the box of the module it belongs to
        target = x[1] if isinstance(x, tuple) and x[0] == "op" else x
        label = groups.get(id(target)) if _is_node(target) else None
        return group_ids[label] if label else _id(x)

    seen = set()
    for src, dst in edges:
        pair = (end(src), end(dst))
        if pair[0] != pair[1] and pair not in seen:
            seen.add(pair)
            _add_edge(dot, *pair)


def _draw_legend(dot):
    with dot.subgraph(name="cluster_legend", graph_attr={"label": "legend", "style": "dashed",
                                                         "color": "#bbbbbb"}) as legend:
        kinds = ("input", "parameter", "intermediate", "output", "constant")
        for kind in kinds:
            legend.node(f"legend_{kind}", kind, shape="box", style="filled", fillcolor=COLORS[kind])
        legend.node("legend_op", "op", shape="ellipse")
        for a, b in zip(kinds, kinds[1:] + ("op",)):  # in a row, along rankdir
            legend.edge(f"legend_{a}", f"legend_{b}", style="invis")


def _pyplot():
    try:
        import matplotlib
        if matplotlib.get_backend().lower().startswith("qt"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("this picture needs matplotlib: pip install -e \".[viz]\" "
                          "(or pip install matplotlib)") from None
    return plt


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1em; }
#controls { margin-bottom: 0.5em; }
#frame svg { max-width: 100%; height: auto; }
</style></head>
<body>
<h3>__TITLE__</h3>
<div id="controls">
  <button id="prev">&#9664; step</button>
  <button id="play">play</button>
  <button id="next">step &#9654;</button>
  <input id="slider" type="range" min="0" value="0">
  <span id="counter"></span>
</div>
<div id="frame"></div>
<script>
"use strict";
const frames = __FRAMES__;
const slider = document.getElementById("slider");
const frame = document.getElementById("frame");
const counter = document.getElementById("counter");
const play = document.getElementById("play");
let current = 0, timer = null;
slider.max = frames.length - 1;
function show(i) {
  current = Math.max(0, Math.min(frames.length - 1, i));
  frame.innerHTML = frames[current];
  slider.value = current;
  counter.textContent = "step " + (current + 1) + " of " + frames.length;
}
function stop() { clearInterval(timer); timer = null; play.textContent = "play"; }
document.getElementById("prev").onclick = () => { stop(); show(current - 1); };
document.getElementById("next").onclick = () => { stop(); show(current + 1); };
slider.oninput = () => { stop(); show(Number(slider.value)); };
play.onclick = () => {
  if (timer) { stop(); return; }
  if (current === frames.length - 1) show(0);
  play.textContent = "pause";
  timer = setInterval(() => { if (current >= frames.length - 1) stop(); else show(current + 1); }, 800);
};
show(0);
</script>
</body></html>
"""
