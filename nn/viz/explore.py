"""`explore`: the backward pass as one interactive page, inline in a notebook
(`_repr_html_`) or saved as a file (`.save(path)`), needing no network and no
running kernel once drawn.

The graph is laid out once, by Graphviz, as one SVG; each step only changes
texts, colours and classes, replayed from a compact JSON of the sweep (see
story.py), so nothing moves. The page's contract, for tests that drive it:
the root element has `data-autograd-explorer`, `data-step` (0 before the
sweep) and `data-steps`; every drawn node carries `data-node`; the node
processed at the current step has class `active`; `[data-caption]` is the
caption; clicking a node fills `[data-details]`; ArrowRight, ArrowLeft,
Home and End move through the steps.
"""
import hashlib
import html
import itertools
import json
import pathlib
import re

from autograd_core import Tensor

from .draw import COLORS, MEANING, picture
from .graph import Graph
from .payload import payload
from .steps import Sweep
from .story import Story
from .text import array_lines, escape

HERE = pathlib.Path(__file__).resolve().parent
_serial = itertools.count(1)  # ids unique within a notebook, the same on every fresh run


def explore(root, params=None, *, gradient=None, **draw_options):
    """An interactive picture of the backward pass from `root` (a Value or a
    Tensor): step through the sweep node by node (buttons, slider, arrow
    keys), read what each step does, click a node for its numbers.

    It runs the sweep itself and leaves every `.grad` as it was, so it works
    before backward(); a Tensor graph also after backward(retain_graph=True),
    a Value graph after any backward(). `gradient` seeds a root with more than
    one element, as in backward(gradient). `params` and the options
    `rankdir`, `group` and `legend` are draw_graph's.
    Shows inline in Jupyter; `.save(path)` writes a standalone page."""
    for option in ("collapse", "grads", "highlight"):
        if option in draw_options:
            raise TypeError(f"explore() draws every node and its own gradients and highlight; "
                            f"the option {option}= is draw_graph's")
    unknown = set(draw_options) - {"rankdir", "group", "legend"}
    if unknown:
        raise TypeError(f"explore() got unexpected options {sorted(unknown)}; it takes params, "
                        "gradient, rankdir, group and legend")
    sweep = Sweep(root, gradient, caller="explore()")
    graph = Graph(root, params, draw_options.get("group", True))
    story = Story(graph, sweep)
    dot = picture(graph, story.layout_lines, rankdir=draw_options.get("rankdir"), legend=False,
                  grad_cell=lambda k: COLORS[graph.kind(k)], ids=True)
    svg = mark_svg(dot.pipe(format="svg", encoding="utf-8"), graph, story)
    legend = _legend(graph) if draw_options.get("legend", True) else ""
    return Explorer(svg, _page_data(graph, story), story.frames[0]["caption"], legend)


def animate_backward(root, path, params=None, **draw_options):
    """`explore(root, params, ...).save(path)`: the explorer as a standalone
    page. Returns the path."""
    return explore(root, params, **draw_options).save(path)


class Explorer:
    """The explorer for one graph. Shows inline in Jupyter, JupyterLab, VS Code
    and nbconvert's HTML; `.save(path)` writes it as a page; `.steps` is the
    number of steps of the sweep."""

    def __init__(self, svg, data, caption, legend):
        self.steps = data["steps"]
        self._data = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
        self._svg, self._caption, self._legend = svg, caption, legend
        digest = hashlib.sha1((self._data + svg).encode("utf-8")).hexdigest()[:10]
        self._id = f"agx-{digest}-{next(_serial)}"

    def html(self, standalone=False):
        """The explorer as an HTML fragment (one element with its style and script)."""
        n = self.steps
        return (
            f'<div class="agx{" agx-page" if standalone else ""}" id="{self._id}" '
            f'data-autograd-explorer data-step="0" data-steps="{n}" tabindex="0">\n'
            f"<style>{_asset('explorer.css')}</style>\n"
            f'<div class="agx-bar">{_buttons(STEP_BUTTONS)}'
            f'<input type="range" min="0" max="{n}" value="0" data-act="slider" aria-label="step">'
            f'<span class="agx-counter">step 0 of {n}</span>'
            f'<span class="agx-zoom">{_buttons(ZOOM_BUTTONS)}</span>'
            f"</div>\n{self._legend}"
            f'<div class="agx-caption" data-caption>{html.escape(self._caption)}</div>\n'
            f'<div class="agx-frame"><div class="agx-view">{self._svg}</div>'
            '<div class="agx-details" data-details hidden></div></div>\n'
            f'<script type="application/json" class="agx-data">{self._data}</script>\n'
            f'<script>(function (root) {{\n{_asset("explorer.js")}\n}})'
            f'(document.getElementById("{self._id}"));</script>\n</div>')

    def _repr_html_(self):
        return self.html()

    def save(self, path):
        """Write a standalone page (one file, nothing fetched); returns `path`."""
        title = f"Backward pass: {self.steps} steps"
        page = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>'
                '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
                f"<body style=\"margin:0\">\n{self.html(standalone=True)}\n</body></html>\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)
        return path

    def __repr__(self):
        return (f"<Explorer of a backward pass: {self.steps} steps; shows inline in a notebook, "
                ".save(path) writes a page>")


STEP_BUTTONS = [("prev", "previous step (left arrow)", "&#9664;"), ("play", "play or pause", "play"),
                ("next", "next step (right arrow)", "&#9654;")]
ZOOM_BUTTONS = [("out", "zoom out", "&#8722;"), ("fit", "fit to the width", "fit"),
                ("in", "zoom in (or ctrl + wheel)", "+")]


def _buttons(spec):
    return "".join(f'<button type="button" data-act="{act}" title="{title}">{text}</button>'
                   for act, title, text in spec)


def _asset(name):
    return (HERE / name).read_text(encoding="utf-8")


# -- the data the page replays ---------------------------------------------------

def _page_data(graph, story):
    nodes = {}
    for k, node in enumerate(graph.nodes):
        info = {"name": story.describe(k), "kind": graph.kind(k),
                "data": _shown(node.data), "grad": graph.gets_grad(k)}
        if isinstance(node, Tensor):
            info.update(shape=list(node.shape), dtype=str(node.dtype))
        else:
            info.update(dtype="float (Value)")
        if k in graph.steps:
            info["step"] = graph.steps[k]
        nodes[f"v{k}"] = info
        if node.inputs:
            nodes[f"o{k}"] = {"op": node.op, "of": f"v{k}", "step": graph.steps.get(k)}
    for j, (_, value) in enumerate(graph.constants):
        nodes[f"c{j}"] = {"name": "a constant", "kind": "constant", "data": _shown(value),
                          "grad": False}
    return {"steps": len(story.frames) - 1, "nodes": nodes, "versions": story.versions,
            "timeline": {f"v{k}": t for k, t in story.timeline.items()},
            "frames": story.frames}


def _shown(value):
    lines = array_lines(value)
    shown = {"lines": lines}
    if lines[0].startswith("min "):
        shown["value"] = payload(value)
    return shown


def _legend(graph):
    kinds = {graph.kind(k) for k in range(len(graph.nodes))}
    items = [f'<span class="agx-key" style="background:{COLORS[kind]}">{MEANING[kind]}</span>'
             for kind in ("input", "leaf", "parameter", "intermediate", "output") if kind in kinds]
    if graph.constants:
        items.append(f'<span class="agx-key" style="background:{COLORS["constant"]}">'
                     "constant</span>")
    items += ['<span class="agx-key agx-key-partial">grad so far (a partial sum)</span>',
              '<span class="agx-key agx-key-complete">grad complete</span>',
              '<span class="agx-key agx-key-active">being processed</span>',
              '<span class="agx-key agx-key-flow">carries gradient now</span>']
    return '<div class="agx-legend">' + "".join(items) + "</div>\n"


# -- the SVG, marked for the script -------------------------------------------------

_NODE = re.compile(r'<g id="([voc]\d+)" class="node">(.*?)</g>', re.S)
_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
_SHAPE = re.compile(r"<(polygon|ellipse|path)\b")


def mark_svg(svg, graph, story):
    """Graphviz's SVG, made inline-ready and marked: `data-node` on each node,
    `data-edge` on each edge, `data-role` on each gradient text and its cell.
    The gradient texts are set to their state after the sweep, so that
    the picture reads right even where scripts do not run."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r' xmlns(:xlink)?="[^"]*"', "", svg, count=2)  # HTML puts inline SVG there
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r"<title>.*?</title>\n?", "", svg, flags=re.S)
    svg = re.sub(r'<g id="(e\d+)" class="edge">', r'<g class="edge" data-edge="\1">', svg)
    svg = re.sub(r'<g id="[^"]*" class="(graph|cluster)">', r'<g class="\1">', svg)
    return _NODE.sub(lambda m: _mark_node(m.group(1), m.group(2), graph, story), svg)


def _mark_node(key, inner, graph, story):
    inner = _SHAPE.sub(r'<\1 data-role="shape"', inner, count=1)
    k = int(key[1:])
    layout = story.layout_lines(k) if key[0] == "v" else None
    if layout is not None:
        inner = _mark_grad(inner, graph, k, layout, story.final_lines(k))
    return f'<g class="node" data-node="{key}">{inner}</g>'


def _mark_grad(inner, graph, k, layout, final):
    node = graph.nodes[k]
    before = bool(graph.name(k)) + (1 + len(array_lines(node.data)) if isinstance(node, Tensor)
                                    else 1)
    texts = list(_TEXT.finditer(inner))
    expected = before + len(layout) + (not node.inputs and k in graph.steps)
    if len(texts) != expected:
        raise RuntimeError(f"explore(): node v{k}'s SVG has {len(texts)} text lines where its "
                           f"label has {expected}; please report this with the graph")
    shown = [("grad " if i == 0 else "     ") + (final[i] if i < len(final) else "")
             for i in range(len(layout))]
    shown = [s if i < len(final) else "" for i, s in enumerate(shown)]
    cell = inner.rfind("<polygon", texts[before - 1].end(), texts[before].start())
    pieces, at = [], 0
    if cell >= 0:
        pieces += [inner[:cell], '<polygon data-role="gradbg"']
        at = cell + len("<polygon")
    for i in range(len(layout)):
        t = texts[before + i]
        attributes = t.group(0)[len("<text"):t.start(1) - t.start()]
        pieces += [inner[at:t.start()], f'<text data-role="grad"{attributes}', escape(shown[i]),
                   "</text>"]
        at = t.end()
    pieces.append(inner[at:])
    return "".join(pieces)
