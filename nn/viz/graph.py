"""The graph a picture shows, found once and shared by the static drawing
and the explorer: its nodes and ops, the constants ops were given, the
edges, what kind each node is, its name, its layer box, and its step in the
last backward sweep."""
from collections import defaultdict

import numpy as np

from autograd_core import Tensor, Value

from ..module import Module, Parameter, module_calls

KINDS = ("input", "leaf", "parameter", "intermediate", "output")


def is_node(x):
    return isinstance(x, (Value, Tensor))


def shown_constant(x):
    """Numbers and arrays that an op was given are drawn; flags and axes are not."""
    return (isinstance(x, (int, float, np.number, np.ndarray))
            and not isinstance(x, (bool, np.bool_)))


class Graph:
    """Everything reachable from `root`. Keys name what is drawn: "v3" is
    node 3 (a Value or Tensor box), "o3" the op that made it, "c1" a constant.

    Attributes: `nodes` (root first), `constants` [(consumer index, value)],
    `edges` [(tail key, head key)], `names` {index: name}, `groups`
    {index: layer label}, `steps` {index: step} (empty when the nodes' step
    numbers do not come from one sweep from `root`; `steps_note` says why),
    `total` (the number of steps).
    """

    def __init__(self, root, params=None, group=True):
        if not is_node(root):
            raise TypeError(f"draw a Value or a Tensor, not a {type(root).__name__}")
        self.root = root
        self.nodes, self.constants, self.edges = [], [], []
        self.index = {}
        self._walk(root)
        self.params_known = params is not None
        self.names, self.parameters = self._names(params)
        self.groups = (self._module_groups(params)
                       if group and isinstance(params, Module) else {})
        self.steps, self.steps_note = self._steps()
        self.total = len(self.steps)

    # -- structure -------------------------------------------------------------
    def _walk(self, root):
        self.index[id(root)] = 0
        self.nodes.append(root)
        position = 0
        while position < len(self.nodes):  # breadth first: the root's neighbours first
            node = self.nodes[position]
            for arg in node.inputs:
                if is_node(arg):
                    if id(arg) not in self.index:
                        self.index[id(arg)] = len(self.nodes)
                        self.nodes.append(arg)
                    self.edges.append((f"v{self.index[id(arg)]}", f"o{position}"))
                elif shown_constant(arg):
                    self.edges.append((f"c{len(self.constants)}", f"o{position}"))
                    self.constants.append((position, arg))
            if node.inputs:
                self.edges.append((f"o{position}", f"v{position}"))
            position += 1

    def inputs_of(self, k):
        """Indices of node k's inputs that are nodes, once per argument position."""
        return [self.index[id(a)] for a in self.nodes[k].inputs if is_node(a)]

    # -- what each node is -------------------------------------------------------
    def kind(self, k):
        node = self.nodes[k]
        if k == 0:
            return "output"
        if node.inputs:
            return "intermediate"
        if k in self.parameters or isinstance(node, Parameter):
            return "parameter"
        if isinstance(node, Tensor):
            return "leaf" if node.requires_grad else "input"
        # a Value leaf: a parameter or an input only where `params` says so
        return "input" if self.params_known else "leaf"

    def gets_grad(self, k):
        node = self.nodes[k]
        return isinstance(node, Value) or node.requires_grad

    def name(self, k):
        node = self.nodes[k]
        label = node.label if isinstance(node, Value) else ""
        return (label or self.names.get(k, "")).strip()

    def _names(self, params):
        """{index: name} and the indices of the parameters, from a Module, a
        dict {name: parameter}, or anything with `parameters()` or a list of
        them (parameters without names)."""
        if params is None:
            return {}, set()
        if isinstance(params, Module):
            named = list(params.named_parameters())
        elif hasattr(params, "items"):
            named = list(params.items())
        else:
            found = params.parameters() if hasattr(params, "parameters") else params
            named = [("", p) for p in found]
        for name, p in named:
            if not is_node(p):
                raise TypeError(f"params: {name or 'an entry'} is a {type(p).__name__}, not a "
                                "Value or Tensor; pass a Module, a dict {name: parameter} or "
                                "a list of parameters")
        indices = {self.index[id(p)]: name for name, p in named if id(p) in self.index}
        return {k: name for k, name in indices.items() if name}, set(indices)

    # -- layer boxes -------------------------------------------------------------
    def _module_groups(self, model):
        """node index -> label of the innermost named submodule whose call made it."""
        names = {id(m): name for name, m in model.named_modules() if name}
        best = {}  # node index -> (region size, label)
        for k, node in enumerate(self.nodes):
            if not isinstance(node, Tensor):
                continue
            for module, input_ids in module_calls(node):
                if id(module) not in names:
                    continue
                region = self._region(k, input_ids, {id(p) for p in module.parameters()})
                label = f"{names[id(module)]}: {module_title(module)}"
                for i in region:
                    if i not in best or len(region) < best[i][0]:
                        best[i] = (len(region), label)
        return {i: label for i, (_, label) in best.items()}

    def _region(self, k, input_ids, own):
        """The nodes from a module call's output back to (not into) its inputs.
        Leaves inside are the module's own parameters; any other leaf (an
        array converted to a Tensor inside `forward`) is an input, drawn outside."""
        region, stack = set(), [k]
        while stack:
            i = stack.pop()
            node = self.nodes[i]
            if i in region or id(node) in input_ids:
                continue
            if not node.inputs and id(node) not in own:
                continue
            region.add(i)
            stack.extend(self.index[id(a)] for a in node.inputs if is_node(a))
        return region

    # -- steps -------------------------------------------------------------------
    def _steps(self):
        """Each node's turn in the last sweep, if that sweep started at `root`
        and reached these nodes in one go (the numbers run 1..N without gaps
        and every node comes after the nodes computed from it)."""
        steps = {k: n.backward_step for k, n in enumerate(self.nodes) if n.backward_step}
        if not steps:
            return {}, ""
        stale = ("step numbers not shown: the last backward sweep through these nodes "
                 "did not start at this one")
        if steps.get(0) != 1 or sorted(steps.values()) != list(range(1, len(steps) + 1)):
            return {}, stale
        for k in steps:
            if any(i in steps and steps[i] <= steps[k] for i in self.inputs_of(k)):
                return {}, stale
        return steps, ""

    # -- shape of the picture ----------------------------------------------------
    def ranks(self):
        """Each node's distance from the root in drawn ranks (a value and its
        op are two): about where `dot` puts it."""
        consumers = defaultdict(int)
        for k in range(len(self.nodes)):
            for i in set(self.inputs_of(k)):
                consumers[i] += 1
        rank, ready = {0: 0}, [0]
        while ready:
            k = ready.pop()
            for i in set(self.inputs_of(k)):
                rank[i] = max(rank.get(i, 0), rank[k] + 2)
                consumers[i] -= 1
                if consumers[i] == 0:
                    ready.append(i)
        return rank


def module_title(module):
    """`Linear(in_features=4, out_features=3, bias=True)`: the layer's type and
    its `extra_repr()`, as PyTorch prints it; a bare name when that is empty."""
    extra = module.extra_repr()
    return f"{type(module).__name__}({extra})" if extra else type(module).__name__
