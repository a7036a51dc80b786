"""nn.export: when you outgrow this engine, carry the model on in PyTorch or deploy it with ONNX.

    torch_model = nn.export.to_torch(model)       # GPUs, DistributedDataParallel, ...
    model = nn.export.from_torch(torch_model)     # and back
    model.load_state_dict(torch_model.state_dict())
    nn.export.to_onnx(model, example_input, "model.onnx")   # ONNX Runtime, TensorRT, ...

torch, onnx and onnxruntime are optional: `pip install 'autograd-core[export]'`
(a call without them says so).

to_torch(model) builds the `torch.nn.Module` of the same structure: the same
layer types, the same names (a Sequential's "0", "1", ... or the names of an
OrderedDict; ModuleList and ModuleDict as they are), the same values (copies)
in the parameters' dtype, `requires_grad` and each module's train/eval flag
carried over; shared layers and tied weights stay shared. Its outputs equal
this model's (float64: to 1e-12, in train and in eval mode; Dropout in
training draws its masks from PyTorch's generator, so only which elements
survive differs). Building the layers does not consume PyTorch's random
stream. from_torch(module) is the reverse, for the same layers; a torch layer
option that nn does not have (Conv2d's dilation or groups, a pool's padding
or ceil_mode, Embedding's max_norm, Softmax without dim) is refused, never
dropped. A torch LayerNorm or BatchNorm1d with neither parameters nor
running statistics computes in its input's dtype, where nn's casts to its
own: it gets the dtype of the model's parameters (PyTorch's default dtype in
a model without any).

Layers covered, both ways: Sequential, ModuleList, ModuleDict, Linear,
Embedding, Identity, Flatten, Dropout, LayerNorm, BatchNorm1d (its running
statistics and num_batches_tracked as PyTorch keeps them), Conv2d,
MaxPool2d, AvgPool2d, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softplus,
Softmax, LogSoftmax. Any other layer (a Module of your own) raises, naming it;
teach nn.export with `nn.export.register(MyLayer, fn)` (see `register`).

State dict names are PyTorch's, so a state dict moves either way with
`load_state_dict` (which takes PyTorch tensors as they are, converted to
arrays). For a layer at name P (dotted path, "" for the model itself):
    Linear, Conv2d:  P.weight  P.bias
    Embedding:       P.weight
    LayerNorm:       P.weight  P.bias          (when elementwise_affine)
    BatchNorm1d:     P.weight  P.bias          (when affine)
                     P.running_mean  P.running_var  P.num_batches_tracked
                                              (when track_running_stats; the
                                               last an int64 scalar)
e.g. Sequential(Linear, ReLU, BatchNorm1d) has 0.weight, 0.bias, 2.weight,
2.bias, 2.running_mean, 2.running_var, 2.num_batches_tracked.

to_onnx(model, example_input, path, opset=17) writes an ONNX graph built
node by node from the model's layers with the `onnx` package (torch is not
needed), checks it with onnx.checker, and returns the ModelProto. The graph
has one input "input" whose first axis is the batch axis (symbolic, "batch"),
the other axes as in example_input, and one output "output". Parameters are
initializers under their state dict names. The graph computes what the model
computes in eval mode: Dropout is left out, BatchNorm1d uses its running
statistics. A model with a layer in training mode whose result would differ
(Dropout with p > 0, BatchNorm1d) is refused: call model.eval() first. The
input's dtype is example_input's; layers cast it to their parameters' dtype
as they do here (a Cast node). Where the graph's runtime checks less than
this model does, it computes something rather than raising: Embedding's
indices go to a Gather, where ONNX counts a negative index from the end (nn
refuses it); a BatchNorm1d without running statistics given one example of
(N, C) input gives its bias (nn refuses a batch of one).

Ops written (opset 17; with opset=18 and newer ReduceMean takes its axes as
an input): Gemm (Linear on (N, in)), MatMul + Transpose + Add (Linear on
more axes), Gather, Reshape (Flatten), Identity (Identity, Dropout), Conv,
MaxPool, AveragePool, Relu, Sigmoid, Tanh, Softmax, LogSoftmax, Cast; in
float32 LayerNormalization, BatchNormalization and LeakyRelu; ELU,
Softplus, GELU (with Erf, or Tanh) and, in float64, LayerNorm, BatchNorm1d
and LeakyReLU as elementwise Add/Sub/Mul/Div/Sqrt/Exp/Log/Abs/Neg/Relu/
Greater/Where and ReduceMean, because ONNX keeps op attributes (alpha,
epsilon) as 32-bit floats and ONNX Runtime's LayerNormalization takes the
variance as E[x^2] - E[x]^2.

ONNX Runtime (1.32, CPU) runs every op written here in float32 (outputs
within 1e-5 of this model's); in float64 it has no kernel for Conv,
AveragePool and Erf (so Conv2d, AvgPool2d and the exact GELU) and refuses
such a graph when loading it (the graph is valid ONNX; other runtimes may
run it); every other layer matches to 1e-12. ELU and Softplus are written
with Exp, Log and Where, not ONNX's Elu and Softplus, which ONNX Runtime
has in float32 only.
"""
from .onnx_graph import Graph, to_onnx
from .pytorch import from_torch, to_torch
from .registry import register, unregister

__all__ = ["to_torch", "from_torch", "to_onnx", "register", "unregister", "Graph"]
