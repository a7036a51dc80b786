"""`to_onnx` and `Graph`, the ONNX graph that layer converters add nodes to.

The model is traced once on the example input, layer by layer: each layer's
converter (onnx_layers.py, or one registered with
`nn.export.register(MyLayer, fn, target="onnx")`) turns the name of its
input into the name of its output by adding nodes, and the layer itself is
run on the example value, so every converter sees the shape and dtype of
what it gets. A second run on a batch twice as long tells which axes of the
output follow the batch (symbolic) and which are fixed.
"""
import os
import tempfile

import numpy as np

import autograd_core as ag

from ..module import Module
from .onnx_layers import ONNX_LAYERS
from .registry import find, require, type_name, where

MIN_OPSET = 17  # LayerNormalization


class Graph:
    """The graph under construction. A converter `fn(graph, layer, x)` uses:

    - `graph.value(x)`: the example value (a numpy array) that flows in x
      (for a layer's input);
    - `graph.op(op_type, *inputs, **attributes)`: add a node, get the name
      of its output ("" for an optional input left out);
    - `graph.param(tensor, name)`: a parameter or buffer of the layer as an
      initializer named as in the state dict (path.name);
    - `graph.constant(array)`, `graph.scalar(number, like=x)`: constants;
    - `graph.cast(x, dtype)`: x in `dtype` (a Cast node only if needed);
    - `graph.layer(child, x, name)`: convert a sub-layer (at path.name);
    - `graph.opset`: the opset being written."""

    def __init__(self, onnx, opset):
        self.onnx, self.opset = onnx, opset
        self.nodes, self.initializers, self.values = [], [], {}
        self.path, self._taken, self._params = "", set(), {}

    def _fresh(self, hint):
        name, k = hint, 1
        while name in self._taken:
            k += 1
            name = f"{hint}_{k}"
        self._taken.add(name)
        return name

    def value(self, x):
        return self.values[x]

    def op(self, op_type, *inputs, **attributes):
        prefix = f"/{self.path}/{op_type}" if self.path else f"/{op_type}"
        out = self._fresh(prefix + ":0")
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), [out],
                                                     name=self._fresh(prefix), **attributes))
        return out

    def _initializer(self, array, name):
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(array), name))
        return name

    def param(self, tensor, name):
        """The layer's `tensor` (a Parameter or buffer) under its state dict name,
        once even if tied."""
        if id(tensor) not in self._params:
            full = f"{self.path}.{name}" if self.path else name
            self._params[id(tensor)] = self._initializer(tensor.data, self._fresh(full))
        return self._params[id(tensor)]

    def constant(self, array, hint="const"):
        prefix = f"/{self.path}/{hint}" if self.path else f"/{hint}"
        return self._initializer(array, self._fresh(prefix))

    def scalar(self, number, like):
        """A 0-d constant of the dtype of the value in `like`."""
        return self.constant(np.array(number, dtype=self.values[like].dtype), "scalar")

    def cast(self, x, dtype):
        dtype = np.dtype(dtype)
        if self.values[x].dtype == dtype:
            return x
        y = self.op("Cast", x, to=self.onnx.helper.np_dtype_to_tensor_dtype(dtype))
        self.values[y] = self.values[x].astype(dtype)
        return y

    def reduce_mean(self, x, axes):
        """ReduceMean keeping the axes (they are an input from opset 18 on)."""
        if self.opset >= 18:
            return self.op("ReduceMean", x, self.constant(np.array(axes, np.int64), "axes"),
                           keepdims=1)
        return self.op("ReduceMean", x, axes=list(axes), keepdims=1)

    def layer(self, module, x, name):
        outer = self.path
        self.path = f"{outer}.{name}" if outer and name else outer or name
        try:
            convert = find("onnx", module, ONNX_LAYERS)
            if convert is None:
                raise TypeError(
                    f"to_onnx has no converter for {type_name(type(module))}{where(self.path)}. "
                    f"Register one: nn.export.register({type(module).__name__}, fn, "
                    "target='onnx'), where fn(graph, layer, x) adds the layer's nodes with "
                    "graph.op(...) and returns the name of its output")
            y = convert(self, module, x)
            if y not in self.values:  # containers' outputs are traced by their last layer
                out = module(ag.from_numpy(self.values[x]))
                if not isinstance(out, ag.Tensor):
                    raise TypeError(f"to_onnx: {type(module).__name__}{where(self.path)} "
                                    f"returned a {type(out).__name__}; a graph has one Tensor "
                                    "output")
                self.values[y] = out.data
            return y
        finally:
            self.path = outer


def _example(example_input):
    if isinstance(example_input, ag.Tensor):
        array = example_input.data  # never np.asarray: a Tensor that requires grad refuses it
    else:
        array = np.asarray(example_input)
    if array.dtype.kind not in "biuf" or array.ndim < 1:
        raise ValueError(f"to_onnx needs an example input of numbers with a batch axis "
                         f"first, got {array.dtype} values shaped {array.shape}")
    return array


def _dims(traced, doubled):
    """The output's shape: fixed where both runs agree, symbolic where it follows the batch."""
    if len(traced) != len(doubled):
        return None
    return [a if a == b else ("batch" if i == 0 else f"dim_{i}")
            for i, (a, b) in enumerate(zip(traced, doubled))]


def to_onnx(model, example_input, path, opset=17):
    """Write `model` as an ONNX graph to `path` and return the onnx.ModelProto:
    see nn.export's docstring (eval-mode semantics; models in training mode
    with Dropout or BatchNorm1d are refused)."""
    onnx = require("onnx", "to_onnx")
    if not isinstance(model, Module):
        raise TypeError(f"to_onnx takes an nn.Module, got {type(model).__name__}")
    newest = onnx.defs.onnx_opset_version()
    if not isinstance(opset, int) or not MIN_OPSET <= opset <= newest:
        raise ValueError(f"to_onnx writes opsets {MIN_OPSET} to {newest} (the installed onnx's "
                         f"newest), got opset={opset!r}")
    x = _example(example_input)
    graph = Graph(onnx, opset)
    graph._taken.add("input")
    graph.values["input"] = x
    with ag.no_grad():
        y = graph.layer(model, "input", "")
        try:
            doubled = model(ag.from_numpy(np.concatenate([x, x]))).shape
        except Exception as e:
            raise ValueError(f"to_onnx makes the input's first axis the batch axis, but the "
                             f"model fails on a batch of {2 * len(x)}: {e}") from e
    out = _name_output(graph, y)
    helper = onnx.helper
    result = graph.values[y]
    proto = helper.make_graph(
        graph.nodes, type(model).__name__,
        [helper.make_tensor_value_info("input", helper.np_dtype_to_tensor_dtype(x.dtype),
                                       ["batch"] + list(x.shape[1:]))],
        [helper.make_tensor_value_info(out, helper.np_dtype_to_tensor_dtype(result.dtype),
                                       _dims(result.shape, doubled))],
        graph.initializers)
    model_proto = helper.make_model(proto, opset_imports=[helper.make_opsetid("", opset)],
                                    producer_name="autograd_core nn.export")
    model_proto.ir_version = helper.find_min_ir_version_for(list(model_proto.opset_import))
    onnx.checker.check_model(model_proto, full_check=True)
    _write(model_proto.SerializeToString(), path)
    return model_proto


def _name_output(graph, y):
    """Call the graph's output "output" (renaming the node that makes it)."""
    for node in graph.nodes:
        if y in node.output and y != "input":
            node.output[list(node.output).index(y)] = "output"
            for other in graph.nodes:  # (no other node reads a model's last output, but be sure)
                for i, name in enumerate(other.input):
                    if name == y:
                        other.input[i] = "output"
            graph.values["output"] = graph.values[y]
            return "output"
    graph.nodes.append(graph.onnx.helper.make_node("Identity", [y], ["output"], name="/output"))
    graph.values["output"] = graph.values[y]
    return "output"


def _write(data, path):
    """Replace the file at `path` in one step: a failed write leaves the old one."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".onnx-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
