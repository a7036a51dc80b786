"""What the explorer shows at each step of the sweep, as compact data: each
gradient a node holds once (a "version"), each node's timeline of versions
(partial sums, then complete), and per step the node processed, the edges
that carry gradient and a caption in words. The page replays it; nothing is
drawn twice."""
from collections import defaultdict

import numpy as np

from autograd_core import Tensor

from .payload import payload
from .text import array_lines, summary

UNKNOWN = ["?"]


class Story:
    def __init__(self, graph, sweep):
        self.graph = graph
        self.versions = []               # [{"lines": [...], "value": payload?}]
        self.timeline = defaultdict(list)  # node index -> [[step, version, complete]]
        self.frames = []                 # per step 0..N: {"active", "edges", "caption"}
        self.last = {}                   # node index -> its version after the sweep
        edges = defaultdict(list)
        for j, (tail, head) in enumerate(graph.edges):
            edges[tail, head].append(f"e{j}")
        n = len(sweep.steps)
        sums = {}
        if n:
            sums[0] = sweep.seed
            self._set(0, 0, sweep.seed, complete=False)
        self.frames.append({"active": None, "edges": [], "caption": self._before(sweep, n)})
        for s, (node, grad, sent) in enumerate(sweep.steps, 1):
            k = graph.index[id(node)]
            self._set(k, s, grad, complete=True)
            flowing = list(edges[f"o{k}", f"v{k}"]) if node.inputs else []
            parts = []
            for parent, g in sent:
                p = graph.index[id(parent)]
                total = g if p not in sums else sums[p] + g
                parts.append((p, g, total if p in sums else None))
                sums[p] = total
                self._set(p, s, total, complete=False)
                for e in edges[f"v{p}", f"o{k}"]:
                    if e not in flowing:
                        flowing.append(e)
            self.frames.append({"active": f"v{k}", "edges": flowing,
                                "caption": self._caption(s, n, k, grad, parts)})

    def _set(self, k, step, grad, complete):
        lines = array_lines(grad)
        version = {"lines": lines}
        if isinstance(grad, np.ndarray) and lines[0].startswith("min "):
            version["value"] = payload(grad)  # the summary line hides the numbers
        self.versions.append(version)
        self.timeline[k].append([step, len(self.versions) - 1, int(complete)])
        self.last[k] = len(self.versions) - 1

    # -- layout ----------------------------------------------------------------
    def layout_lines(self, k):
        """The widest text node k's gradient row ever shows, line by line, so
        that the one layout has room for every step."""
        if not self.graph.gets_grad(k):
            return None
        candidates = [UNKNOWN] + [self.versions[v]["lines"] for _, v, _ in self.timeline[k]]
        widest = []
        for lines in candidates:
            for i, line in enumerate(lines):
                if i == len(widest):
                    widest.append(line)
                elif len(line) > len(widest[i]):
                    widest[i] = line
        return widest

    def final_lines(self, k):
        return self.versions[self.last[k]]["lines"] if k in self.last else UNKNOWN

    # -- words -----------------------------------------------------------------
    def describe(self, k):
        graph = self.graph
        name = graph.name(k)
        if name:
            return name
        node = graph.nodes[k]
        if k == 0:
            return "the output"
        if node.inputs:
            return f"the result of {node.op}"
        return {"parameter": "a parameter", "input": "an input"}.get(graph.kind(k), "a leaf")

    def _before(self, sweep, n):
        if not n:
            return "Nothing to step through: no node of this graph gets a gradient."
        root = self.describe(0)
        seed = gradient_words(sweep.seed)
        return (f"Before the sweep: backward() seeds {root} with its own gradient, {seed}. "
                f"Then it takes {n} steps, newest node first. Step with the arrow keys or "
                "the buttons; click a node for its numbers.")

    def _caption(self, s, n, k, grad, parts):
        node = self.graph.nodes[k]
        who = self.describe(k)
        head = f"Step {s} of {n}: {who}"
        if not node.inputs:
            where = ("backward() adds it to .grad" if isinstance(node, Tensor)
                     else "backward() stores it in .grad")
            what = "" if not self.graph.name(k) else ", a leaf,"
            return (f"{head}{what} is reached. Its gradient is complete: "
                    f"{gradient_words(grad)}; {where}. Nothing goes further.")
        text = (f"{head} is processed. Its gradient is complete: {gradient_words(grad)}. "
                f"The backward of {node.op} ")
        if not parts:
            return text + "sends nothing on: no input needs a gradient."
        sends = []
        for p, g, total in parts:
            to = self.describe(p)
            note = "" if total is None else f" (its sum so far: {gradient_words(total)})"
            sends.append(f"{gradient_words(g)} to {to}{note}")
        return text + "sends " + "; ".join(sends) + "."


def gradient_words(g):
    """A gradient in a caption: its numbers when few, else its shape and range."""
    lines = array_lines(g)
    if not lines[0].startswith("min "):
        return " ".join(line.strip() for line in lines)
    return f"a {tuple(np.shape(g))} array ({summary(g)})"
