"""Each nn layer as ONNX nodes: converter(graph, layer, x) -> output name.

Every converter writes the layer's own arithmetic in the same order as its
forward here. Layers with parameters cast their input to the parameters'
dtype first, as they do here. ONNX keeps an op's number attributes as 32-bit
floats (LeakyRelu's alpha, the norms' epsilon), and ONNX Runtime's
LayerNormalization takes the variance as E[x^2] - E[x]^2 (in float64, 1e-11
off); so in float64 these layers are written with elementwise ops and
constants of the input's dtype, and agree with this model to rounding. In
float32 the fused ops are as exact as the computation and are kept.
"""
import math

import numpy as np

from .. import activation, containers, conv, layers, normalization
from .registry import where


def _needs_rank(graph, layer, x, ranks, shape):
    rank = graph.value(x).ndim
    if rank not in ranks:
        raise ValueError(f"to_onnx: {type(layer).__name__}{where(graph.path)} gets input of "
                         f"rank {rank}; in the graph it needs input shaped {shape}, the batch "
                         "axis first")


def _float64(g, x):
    return g.value(x).dtype == np.float64


def _normalize(g, x, axes, eps):
    """(x - mean) / sqrt(var + eps) over `axes`, var the biased variance, as here."""
    centered = g.op("Sub", x, g.reduce_mean(x, axes))
    var = g.reduce_mean(g.op("Mul", centered, centered), axes)
    return g.op("Div", centered, g.op("Sqrt", g.op("Add", var, g.scalar(eps, x))))


def _per_channel(g, tensor, name, rank):
    """A per-channel parameter or statistic shaped to broadcast over (N, C, ...)."""
    shape = g.constant(np.array([1, tensor.shape[0]] + [1] * (rank - 2), np.int64), "shape")
    return g.op("Reshape", g.param(tensor, name), shape)


def _pair(value):
    if isinstance(value, (int, np.integer)):
        return [int(value), int(value)]
    return [int(v) for v in value]


def sequential(g, m, x):
    for name, child in m._modules.items():  # (a layer held twice runs twice)
        x = g.layer(child, x, name)
    return x


def linear(g, m, x):
    x = g.cast(x, m.weight.dtype)
    _needs_rank(g, m, x, range(2, 64), "(N, ..., in_features)")
    bias = [g.param(m.bias, "bias")] if m.bias is not None else []
    weight = g.param(m.weight, "weight")
    if g.value(x).ndim == 2:
        return g.op("Gemm", x, weight, *bias, transB=1)
    y = g.op("MatMul", x, g.op("Transpose", weight, perm=[1, 0]))
    return g.op("Add", y, *bias) if bias else y


def embedding(g, m, x):
    if g.value(x).dtype.kind not in "iu":
        raise TypeError(f"to_onnx: Embedding{where(g.path)} takes integer indices, got "
                        f"{g.value(x).dtype} values")
    if g.value(x).dtype not in (np.int32, np.int64):
        x = g.cast(x, np.int64)
    return g.op("Gather", g.param(m.weight, "weight"), x, axis=0)


def dropout(g, m, x):
    if m.training and m.p > 0:
        raise ValueError(f"to_onnx writes the model as it computes in eval mode, but "
                         f"Dropout{where(g.path)} is in training mode; call model.eval() first")
    return g.op("Identity", x)


def flatten(g, m, x):
    shape = g.value(x).shape
    start, end = m.start_dim % len(shape), m.end_dim % len(shape)
    # 0 copies the input's size at the same index: the batch axis stays symbolic
    target = [0] * start + [-1] + list(shape[end + 1:])
    return g.op("Reshape", x, g.constant(np.array(target, np.int64), "shape"))


def _filled(g, shape, dtype, what):
    """Ones or zeros standing in for an affine layer's missing scale or shift."""
    return g.constant(np.full(shape, 1.0 if what == "ones" else 0.0, dtype=dtype), what)


def layer_norm(g, m, x):
    x = g.cast(x, m.dtype)
    if _float64(g, x):
        y = _normalize(g, x, list(range(-len(m.normalized_shape), 0)), m.eps)
        if m.weight is not None:
            y = g.op("Mul", y, g.param(m.weight, "weight"))
        return g.op("Add", y, g.param(m.bias, "bias")) if m.bias is not None else y
    scale = (g.param(m.weight, "weight") if m.weight is not None
             else _filled(g, m.normalized_shape, m.dtype, "ones"))
    bias = [g.param(m.bias, "bias")] if m.bias is not None else []
    return g.op("LayerNormalization", x, scale, *bias, axis=-len(m.normalized_shape),
                epsilon=m.eps)


def batch_norm(g, m, x):
    if m.training:
        raise ValueError(f"to_onnx writes the model as it computes in eval mode, but "
                         f"BatchNorm1d{where(g.path)} is in training mode (batch statistics, "
                         "running ones updated); call model.eval() first")
    x = g.cast(x, m.dtype)
    _needs_rank(g, m, x, (2, 3), "(N, C) or (N, C, L)")
    c, rank = m.num_features, g.value(x).ndim
    if m.track_running_stats and not _float64(g, x):
        scale = g.param(m.weight, "weight") if m.affine else _filled(g, c, m.dtype, "ones")
        bias = g.param(m.bias, "bias") if m.affine else _filled(g, c, m.dtype, "zeros")
        return g.op("BatchNormalization", x, scale, bias, g.param(m.running_mean, "running_mean"),
                    g.param(m.running_var, "running_var"), epsilon=m.eps)
    if m.track_running_stats:
        y = g.op("Sub", x, _per_channel(g, m.running_mean, "running_mean", rank))
        var = g.op("Add", _per_channel(g, m.running_var, "running_var", rank), g.scalar(m.eps, x))
        y = g.op("Div", y, g.op("Sqrt", var))
    else:  # no running statistics: the batch's, as here
        y = _normalize(g, x, [0] if rank == 2 else [0, 2], m.eps)
    if m.affine:
        y = g.op("Mul", y, _per_channel(g, m.weight, "weight", rank))
        y = g.op("Add", y, _per_channel(g, m.bias, "bias", rank))
    return y


def _conv_pads(padding, kernel):
    """ONNX's pads [top, left, bottom, right] for nn's padding argument."""
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":
        before = [(k - 1) // 2 for k in kernel]
        return before + [k - 1 - b for k, b in zip(kernel, before)]
    return _pair(padding) * 2


def conv2d(g, m, x):
    x = g.cast(x, m.weight.dtype)
    _needs_rank(g, m, x, (4,), "(N, C, H, W)")
    bias = [g.param(m.bias, "bias")] if m.bias is not None else []
    kernel = list(m.kernel_size)
    return g.op("Conv", x, g.param(m.weight, "weight"), *bias, kernel_shape=kernel,
                strides=list(m.stride), pads=_conv_pads(m.padding, kernel))


def _pool(op_type):
    def convert(g, m, x):
        _needs_rank(g, m, x, (4,), "(N, C, H, W)")
        return g.op(op_type, x, kernel_shape=_pair(m.kernel_size), strides=_pair(m.stride))
    return convert


def leaky_relu(g, m, x):
    if not _float64(g, x):
        return g.op("LeakyRelu", x, alpha=m.negative_slope)
    return g.op("Where", g.op("Greater", x, g.scalar(0.0, x)), x,
                g.op("Mul", x, g.scalar(m.negative_slope, x)))


def elu(g, m, x):
    zero, one = g.scalar(0.0, x), g.scalar(1.0, x)
    positive = g.op("Greater", x, zero)
    negative = g.op("Where", positive, zero, x)  # exp only of numbers <= 0, as here
    below = g.op("Mul", g.op("Sub", g.op("Exp", negative), one), g.scalar(m.alpha, x))
    return g.op("Where", positive, x, below)


def softplus(g, m, x):
    z = g.op("Mul", x, g.scalar(m.beta, x)) if m.beta != 1 else x
    # log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), finite for every z
    tail = g.op("Log", g.op("Add", g.op("Exp", g.op("Neg", g.op("Abs", z))), g.scalar(1.0, x)))
    soft = g.op("Add", g.op("Relu", z), tail)
    if m.beta != 1:
        soft = g.op("Div", soft, g.scalar(m.beta, x))
    return g.op("Where", g.op("Greater", z, g.scalar(m.threshold, x)), x, soft)


def gelu(g, m, x):
    half = g.op("Mul", x, g.scalar(0.5, x))
    if m.approximate == "tanh":
        cube = g.op("Mul", g.op("Mul", x, x), x)
        inner = g.op("Add", x, g.op("Mul", cube, g.scalar(0.044715, x)))
        inner = g.op("Mul", inner, g.scalar(math.sqrt(2 / math.pi), x))
        return g.op("Mul", half, g.op("Add", g.op("Tanh", inner), g.scalar(1.0, x)))
    erf = g.op("Erf", g.op("Mul", x, g.scalar(math.sqrt(0.5), x)))
    return g.op("Mul", half, g.op("Add", erf, g.scalar(1.0, x)))


def _plain(op_type, **attributes):
    return lambda g, m, x: g.op(op_type, x, **{k: f(m) for k, f in attributes.items()})


ONNX_LAYERS = {
    containers.Sequential: sequential,
    layers.Linear: linear,
    layers.Embedding: embedding,
    layers.Identity: _plain("Identity"),
    layers.Flatten: flatten,
    layers.Dropout: dropout,
    normalization.LayerNorm: layer_norm,
    normalization.BatchNorm1d: batch_norm,
    conv.Conv2d: conv2d,
    conv.MaxPool2d: _pool("MaxPool"),
    conv.AvgPool2d: _pool("AveragePool"),
    activation.Sigmoid: _plain("Sigmoid"),
    activation.Tanh: _plain("Tanh"),
    activation.ReLU: _plain("Relu"),
    activation.LeakyReLU: leaky_relu,
    activation.ELU: elu,
    activation.GELU: gelu,
    activation.Softplus: softplus,
    activation.Softmax: _plain("Softmax", axis=lambda m: -1 if m.axis is None else m.axis),
    activation.LogSoftmax: _plain("LogSoftmax", axis=lambda m: -1 if m.axis is None else m.axis),
}
