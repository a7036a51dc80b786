"""`draw_graph`: the graph that computed a Value or a Tensor, as a Graphviz
picture (DOT written here, laid out by `dot` or `graphviz-pure`)."""
from autograd_core import Tensor, Value

from .graph import Graph
from .render import Picture
from .text import array_lines, escape, number

COLORS = {"input": "#cfe2f3", "leaf": "#e4d7f5", "parameter": "#fce5cd",
          "intermediate": "#ffffff", "output": "#d9ead3", "constant": "#f3f3f3"}
MEANING = {"input": "input", "leaf": "leaf you made", "parameter": "parameter",
           "intermediate": "intermediate", "output": "output", "constant": "constant"}
HIGHLIGHT = "#d62728"
FADED = "#999999"
CELL_WIDTH = 675  # pt: a notebook cell of about 900 px


def draw_graph(root, params=None, rankdir=None, collapse=False, group=True, grads=None,
               highlight=None, legend=True):
    """Draw the graph that computed `root` (a Value or a Tensor). Returns a
    `graphviz.Digraph` that shows inline in Jupyter and saves with
    `.render(path, format="svg")`.

    - A box is a value: its name (a Value's label, a parameter's name in
      `params`), a Tensor's shape and dtype, its data, and its gradient: every
      Value's `.grad`; a Tensor's `.grad` where it has one (leaves that require
      grad, and tensors you called `retain_grad()` on). Few values are shown
      all (a small matrix by rows), more as min, mean and max.
    - An ellipse is an op, an arrow runs from each argument to the op (twice for
      `a + a`) and from the op to its result. After a backward, each op, and
      each leaf the sweep reached, shows "step k of N": its turn in the sweep,
      1..N without gaps, as `explore()` steps through them.
    - Colours, explained by the legend (`legend=False` drops it): inputs,
      parameters (named in `params`, or `nn.Parameter`s), leaves you made
      (where it is not known which), intermediates, the output, constants.
      Grey text: no gradient flows there.
    - With `params` a Module and `group`, the nodes each layer made sit in a
      box labelled with its name and type; `collapse=True` draws each such box
      as one node.
    - `rankdir`: "TB" (top to bottom), "LR", ...; by default the one that fits
      a notebook cell, from the graph's shape.
    - `grads` ({id(node): gradient}) replaces the gradients shown, and
      `highlight` (a node) is outlined in red; `backward_steps` uses both.
    """
    graph = Graph(root, params, group)
    if grads is None:
        grad_lines = lambda k: stored_grad_lines(graph, k)  # noqa: E731
    else:
        grad_lines = lambda k: (None if id(graph.nodes[k]) not in grads  # noqa: E731
                                else array_lines(grads[id(graph.nodes[k])]))
    marked = None if highlight is None else graph.index.get(id(highlight))
    return picture(graph, grad_lines, rankdir=rankdir, collapse=collapse, legend=legend,
                   highlight=marked)


def stored_grad_lines(graph, k):
    node = graph.nodes[k]
    if isinstance(node, Value):
        return [number(node.grad)]
    if not (node.is_leaf or node.retains_grad) or node.grad is None:
        return None  # (a non-leaf's .grad is kept only after retain_grad())
    return array_lines(node.grad.data)


def picture(graph, grad_lines, rankdir=None, collapse=False, legend=True, highlight=None,
            grad_cell=None, ids=False):
    """The DOT of `graph`. `grad_lines(k)` gives node k's gradient lines (None:
    no gradient row); `grad_cell(k)` a background colour for that row (the
    explorer recolours it); `ids` names the SVG elements after the keys."""
    drawn = [k for k in range(len(graph.nodes)) if not (collapse and k in graph.groups)]
    labels, widths = {}, {}
    for k in drawn:
        labels[k], widths[k] = value_label(graph, k, grad_lines(k),
                                           None if grad_cell is None else grad_cell(k))
    if rankdir is None:  # a collapsed drawing is a chain of layers: top to bottom
        rankdir = "TB" if collapse and graph.groups else choose_rankdir(graph, widths)
    dot = Picture(graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "fontsize": "10",
                              "nodesep": "0.2", "ranksep": "0.3"},
                  node_attr={"fontname": "Helvetica", "fontsize": "10"},
                  edge_attr={"arrowsize": "0.6"})
    body = dot.body
    groups = graph.groups if not collapse else {}
    clusters = {}
    for k in drawn:
        lines = body if k not in groups else clusters.setdefault(groups[k], [])
        lines.append(node_line(graph, k, labels[k], highlight == k, ids))
    for j, (_, value) in enumerate(graph.constants):
        body.append(constant_line(j, value, ids))
    for n, (label, lines) in enumerate(clusters.items()):
        body.append(f'\tsubgraph cluster_{n} {{\n\t\tlabel=<{escape(label)}> '
                    'style="rounded,dashed" color="#888888" fontcolor="#555555"\n')
        body.extend("\t" + line for line in lines)
        body.append("\t}\n")
    ends = _collapsed_ends(graph, body) if collapse else None
    seen = set()
    for j, (tail, head) in enumerate(graph.edges):
        if ends is not None:
            tail, head = ends.get(tail, tail), ends.get(head, head)
            if tail == head or (tail, head) in seen:
                continue
            seen.add((tail, head))
        body.append(edge_line(graph, groups, tail, head, _id(ids, f"e{j}")))
    if legend:
        body.append(f"\tlabel={legend_label(graph, collapse, highlight is not None)}"
                    " labelloc=b labeljust=l\n")
    return dot


def constant_line(j, value, ids):
    lines = array_lines(value) if getattr(value, "size", 1) <= 16 else \
        [_shape_text(value) + " constant"]
    return (f'\tc{j} [label=<{escape_lines(lines)}> shape=box style=filled '
            f'fillcolor="{COLORS["constant"]}" fontcolor="#777777" color="#bbbbbb"'
            f'{_id(ids, f"c{j}")}]\n')


def edge_line(graph, groups, tail, head, extra):
    """One edge: grey where no gradient flows; heavy along the main chain (the
    results of ops, flowing on), so dot keeps it straight with the leaves
    beside it; and, into a layer's box, a rank longer: the box's own leaves
    then share no rank with the box above, so boxes stack, not staircase."""
    kind, index = tail[0], int(tail[1:]) if tail[1:].isdigit() else None
    grey = kind == "c" or (kind == "v" and not graph.gets_grad(index))
    chain = kind == "o" or (kind == "v" and graph.nodes[index].inputs)
    box = groups.get(int(head[1:])) if groups and head[0] == "o" else None
    crossing = box is not None and kind in "vo" and groups.get(index) != box
    attrs = (' color="#bbbbbb"' if grey else "") + (" weight=8" if chain else "") \
        + (" minlen=2" if crossing else "") + extra
    return f"\t{tail} -> {head}{' [' + attrs.strip() + ']' if attrs else ''}\n"


def node_line(graph, k, label, marked, ids):
    """The DOT lines of node k's box, and of the op that made it."""
    node = graph.nodes[k]
    faded = not graph.gets_grad(k)
    style = f'shape=box style=filled fillcolor="{COLORS[graph.kind(k)]}"'
    if faded:
        style += f' fontcolor="{FADED}" color="#bbbbbb"'
    if marked:
        style += f' color="{HIGHLIGHT}" penwidth=3'
    chain = " group=chain" if node.inputs else ""  # dot keeps one group's edges straight
    line = f"\tv{k} [label=<{label}> {style}{chain}{_id(ids, f'v{k}')}]\n"
    if node.inputs:
        op_lines = [node.op] + ([step_text(graph, k)] if k in graph.steps else [])
        op_style = (f' fontcolor="{FADED}" color="#bbbbbb"' if faded else "") + chain
        line += (f"\to{k} [label=<{escape_lines(op_lines)}> shape=ellipse{op_style}"
                 f"{_id(ids, f'o{k}')}]\n")
    return line


def step_text(graph, k):
    return f"step {graph.steps[k]} of {graph.total}"


def value_label(graph, k, grad_lines, grad_bg=None):
    """Node k's box as an HTML-like table: name, shape and dtype, data,
    gradient, and (for a leaf) its step; one row each, in that order.
    Returns it and the length of its longest line."""
    node = graph.nodes[k]
    rows, texts = [], []
    name = graph.name(k)
    if name:
        rows.append(f"<TR><TD><B>{escape(name)}</B></TD></TR>")
        texts.append(name)
    cells = []
    if isinstance(node, Tensor):
        cells += [([f"{_shape_text(node.data)} {node.dtype}"], None),
                  (prefixed("data", array_lines(node.data)), None)]
    else:
        cells.append(([f"data {number(node.data)}"], None))
    if grad_lines is not None:
        cells.append((prefixed("grad", grad_lines), grad_bg))
    if not node.inputs and k in graph.steps:
        cells.append(([step_text(graph, k)], None))
    for lines, bg in cells:
        rows.append(_row(lines, bg))
        texts += lines
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows) + "</TABLE>"), max(map(len, texts))


def prefixed(word, lines):
    pad = " " * (len(word) + 1)
    return [f"{word} {lines[0]}"] + [pad + line for line in lines[1:]]


def _row(lines, bgcolor=None):
    bg = f' BGCOLOR="{bgcolor}"' if bgcolor else ""
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"{bg}>{escape_lines(lines)}</TD></TR>'


def escape_lines(lines):
    return "<BR/>".join(escape(line) for line in lines)


def _shape_text(a):
    shape = getattr(a, "shape", ())
    return str(tuple(shape)) if len(shape) != 1 else f"({shape[0]},)"


def _id(ids, key):
    return f' id="{key}"' if ids else ""


def choose_rankdir(graph, widths):
    """Left to right when that fits a notebook cell (micrograd's pictures),
    else the orientation that makes the narrower picture. `widths`: the
    longest line of each node's label, in characters."""
    by_rank = {}
    for k, r in graph.ranks().items():
        by_rank.setdefault(r, []).append(widths[k] * 5.6 + 16)
        if graph.nodes[k].inputs:
            by_rank.setdefault(r + 1, []).append(_text_width(graph.nodes[k].op) + 30)
    across = sum(max(w) for w in by_rank.values()) + 30 * (len(by_rank) - 1)
    down = max(sum(w) + 14 * (len(w) - 1) for w in by_rank.values())
    return "LR" if across <= CELL_WIDTH or across <= down else "TB"


def _text_width(text):
    return len(text) * 5.6


def _collapsed_ends(graph, body):
    """Collapsed drawing: one box per layer, named with its steps; returns
    {key: the box it belongs to} for the edges."""
    boxes, members = {}, {}
    for k in sorted(graph.groups):
        members.setdefault(graph.groups[k], []).append(k)
    ends = {}
    for n, (label, ks) in enumerate(members.items()):
        box = f"group{n}"
        steps = sorted(graph.steps[k] for k in ks if k in graph.steps)
        lines = [label] + ([f"step{'s' if len(steps) > 1 else ''} {runs(steps)} of {graph.total}"]
                           if steps else [])
        body.append(f"\t{box} [label=<{escape_lines(lines)}> shape=box3d style=filled "
                    'fillcolor="#eeeeee"]\n')
        boxes[label] = box
        for k in ks:
            ends[f"v{k}"] = ends[f"o{k}"] = box
    return ends


def runs(numbers):
    """[2, 3, 4, 7] -> "2-4, 7"."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)


def legend_label(graph, collapse, highlighted):
    """One small table of what the picture uses, and only that."""
    kinds = {graph.kind(k) for k in range(len(graph.nodes))
             if not (collapse and k in graph.groups)}
    cells = [f'<TD BGCOLOR="{COLORS[kind]}" BORDER="1">{MEANING[kind]}</TD>'
             for kind in ("input", "leaf", "parameter", "intermediate", "output") if kind in kinds]
    if graph.constants:
        cells.append(f'<TD BGCOLOR="{COLORS["constant"]}" BORDER="1" COLOR="#bbbbbb">'
                     '<FONT COLOR="#777777">constant</FONT></TD>')
    if any(n.inputs for n in graph.nodes):
        text = "op" + (", step k of N: its turn in backward" if graph.steps else "")
        cells.append(f'<TD BORDER="1" STYLE="rounded">{escape(text)}</TD>')
    if any(not graph.gets_grad(k) for k in range(len(graph.nodes))):
        cells.append(f'<TD><FONT COLOR="{FADED}">grey: no gradient</FONT></TD>')
    if graph.groups:
        cells.append('<TD BORDER="1" STYLE="dashed" COLOR="#888888">'
                     + ("layer" if not collapse else "layer, collapsed") + "</TD>")
    if highlighted:
        cells.append(f'<TD BORDER="2" COLOR="{HIGHLIGHT}">being processed</TD>')
    if graph.steps_note:
        cells.append(f"<TD>{escape(graph.steps_note)}</TD>")
    # one row: Graphviz stretches the cells of shorter rows to the longest one
    return ('<<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="2"><TR>' + "".join(cells)
            + "</TR></TABLE>>")
