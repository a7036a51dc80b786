"""to_onnx: every layer's graph, run by ONNX Runtime at other batch sizes than
the example's, gives this model's outputs (float32 to 1e-5, float64 to 1e-12),
and what it refuses."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn

from .test_torch_round_trip import _randomize as randomize

TOL = {np.float32: dict(rtol=1e-5, atol=1e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}
BOUNDARY = np.array([0.0, -0.0, 1e-9, -1e-9, 0.5, -0.5, 0.99, 1.01, 9.9, 10.1, -25.0, 25.0])

# ONNX Runtime's CPU provider has these ops in float32 only (see nn.export's docstring)
ORT_NO_FLOAT64 = {"Conv", "AveragePool", "Erf"}

# name: (model factory taking a dtype, input shape after the batch axis, or "tokens")
LAYERS = {
    "linear": (lambda d: nn.Linear(4, 3, dtype=d), (4,)),
    "linear_3d_no_bias": (lambda d: nn.Linear(4, 3, bias=False, dtype=d), (2, 4)),
    "embedding": (lambda d: nn.Sequential(nn.Embedding(10, 4, dtype=d), nn.Flatten()), "tokens"),
    "identity": (lambda d: nn.Identity(), (4,)),
    "flatten": (lambda d: nn.Flatten(), (3, 4, 5)),
    "flatten_1_2": (lambda d: nn.Flatten(1, 2), (3, 4, 5)),
    "flatten_all": (lambda d: nn.Flatten(0, -1), (3, 4)),
    "dropout": (lambda d: nn.Dropout(0.5), (5,)),
    "layer_norm": (lambda d: nn.LayerNorm(4, dtype=d), (4,)),
    "layer_norm_2d_no_bias": (lambda d: nn.LayerNorm((3, 4), bias=False, eps=1e-3, dtype=d),
                              (3, 4)),
    "layer_norm_no_affine": (lambda d: nn.LayerNorm(4, elementwise_affine=False, dtype=d), (4,)),
    "batch_norm": (lambda d: nn.BatchNorm1d(4, dtype=d), (4,)),
    "batch_norm_3d_no_affine": (lambda d: nn.BatchNorm1d(3, affine=False, dtype=d), (3, 5)),
    "batch_norm_batch_statistics": (lambda d: nn.BatchNorm1d(4, track_running_stats=False,
                                                             dtype=d), (4,)),
    "batch_norm_batch_statistics_3d": (lambda d: nn.BatchNorm1d(3, track_running_stats=False,
                                                                affine=False, dtype=d), (3, 5)),
    "conv": (lambda d: nn.Conv2d(2, 3, 3, stride=2, padding=1, dtype=d), (2, 7, 6)),
    "conv_same_even_kernel": (lambda d: nn.Conv2d(2, 3, (2, 4), padding="same", bias=False,
                                                  dtype=d), (2, 5, 6)),
    "conv_padding_pair": (lambda d: nn.Conv2d(1, 2, 3, padding=(2, 1), stride=(1, 2), dtype=d),
                          (1, 5, 6)),
    "max_pool": (lambda d: nn.MaxPool2d(2), (3, 6, 5)),
    "max_pool_stride": (lambda d: nn.MaxPool2d(3, stride=(2, 1)), (3, 7, 6)),
    "avg_pool": (lambda d: nn.AvgPool2d((2, 3)), (3, 6, 7)),
    "sigmoid": (lambda d: nn.Sigmoid(), (12,)),
    "tanh": (lambda d: nn.Tanh(), (12,)),
    "relu": (lambda d: nn.ReLU(), (12,)),
    "leaky_relu": (lambda d: nn.LeakyReLU(0.2), (12,)),
    "elu": (lambda d: nn.ELU(0.5), (12,)),
    "gelu": (lambda d: nn.GELU(), (12,)),
    "gelu_tanh": (lambda d: nn.GELU("tanh"), (12,)),
    "softplus": (lambda d: nn.Softplus(), (12,)),
    "softplus_beta_threshold": (lambda d: nn.Softplus(2.0, 5.0), (12,)),
    "softmax": (lambda d: nn.Softmax(axis=1), (12,)),
    "log_softmax": (lambda d: nn.LogSoftmax(), (12,)),
    "cnn": (lambda d: nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, dtype=d), nn.ReLU(),
        nn.MaxPool2d(2), nn.Conv2d(4, 4, 3, dtype=d), nn.GELU(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(4, 10, dtype=d), nn.Dropout(0.2), nn.LogSoftmax()), (1, 8, 8)),
    "mlp_named": (lambda d: nn.Sequential(OrderedDict(
        body=nn.Sequential(nn.Linear(5, 8, dtype=d), nn.BatchNorm1d(8, dtype=d), nn.ELU()),
        head=nn.Sequential(nn.Linear(8, 8, dtype=d), nn.LayerNorm(8, dtype=d), nn.Softplus(),
                           nn.Linear(8, 2, dtype=d), nn.Softmax())
    )), (5,)),
}


def _randomize(model, rng):
    """Biases and norm scales away from 0 and 1, running statistics away from
    their start; weight matrices keep their PyTorch-style random start (at
    N(0, 1) a deep float32 model's logits reach thousands, and the rounding
    of LogSoftmax's max - logsumexp alone comes near 1e-5)."""
    return randomize(model, rng, matrices=False).eval()


def _input(spec, batch, dtype, rng):
    if spec == "tokens":
        return rng.integers(0, 10, (batch, 3))
    x = rng.standard_normal((batch,) + spec) * 3
    flat = x.reshape(-1)
    flat[:len(BOUNDARY)] = BOUNDARY[:len(flat)]
    return x.astype(dtype)


def _ops(proto):
    return {node.op_type for node in proto.graph.node}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_onnx_runtime_computes_what_the_model_computes(name, dtype, onnx, ort, rng, tmp_path):
    make, spec = LAYERS[name]
    model = _randomize(make(dtype), rng)
    path = tmp_path / "model.onnx"
    proto = nn.export.to_onnx(model, _input(spec, 3, dtype, rng), path)
    assert onnx.load(str(path)) == proto
    onnx.checker.check_model(proto, full_check=True)
    assert proto.opset_import[0].version == 17
    assert {i.name for i in proto.graph.initializer} >= set(model.state_dict()) - {
        k for k in model.state_dict() if k.endswith("num_batches_tracked")}
    batch = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "batch"
    if dtype == np.float64 and _ops(proto) & ORT_NO_FLOAT64:
        with pytest.raises(Exception, match="NOT_IMPLEMENTED"):
            ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for n in (2, 5):  # the batch axis is dynamic
        x = _input(spec, n, dtype, rng)
        expected = model(ag.from_numpy(x)).data
        got, = session.run(None, {"input": x})
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, **TOL[dtype])


def test_ops_written(onnx, rng, tmp_path):
    """What each layer becomes (opset 17): standard ops only."""
    expected = {
        "linear": {"Gemm"}, "linear_3d_no_bias": {"Transpose", "MatMul"},
        "embedding": {"Gather", "Reshape"}, "layer_norm": {"LayerNormalization"},
        "batch_norm": {"BatchNormalization"}, "conv": {"Conv"}, "max_pool": {"MaxPool"},
        "avg_pool": {"AveragePool"}, "leaky_relu": {"LeakyRelu"}, "softmax": {"Softmax"},
        "elu": {"Greater", "Where", "Exp", "Sub", "Mul"},
        "softplus": {"Abs", "Neg", "Exp", "Add", "Log", "Relu", "Greater", "Where"},
        "gelu": {"Mul", "Erf", "Add"}, "gelu_tanh": {"Mul", "Add", "Tanh"},
        "batch_norm_batch_statistics": {"ReduceMean", "Sub", "Mul", "Add", "Sqrt", "Div",
                                        "Reshape"},
        "dropout": {"Identity"},
    }
    for name, ops in expected.items():
        make, spec = LAYERS[name]
        proto = nn.export.to_onnx(_randomize(make(np.float32), rng),
                                  _input(spec, 2, np.float32, rng), tmp_path / "m.onnx")
        assert _ops(proto) == ops, name


def test_float64_graphs_hold_no_32_bit_attributes(onnx, rng, tmp_path):
    """ONNX keeps alpha and epsilon as 32-bit floats: float64 graphs use constants instead."""
    model = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.BatchNorm1d(4, dtype=np.float64),
                          nn.LeakyReLU(0.1), nn.LayerNorm(4, dtype=np.float64)).eval()
    proto = nn.export.to_onnx(model, rng.standard_normal((2, 3)), tmp_path / "m.onnx")
    assert not _ops(proto) & {"BatchNormalization", "LeakyRelu", "LayerNormalization"}
    assert all(a.type != onnx.AttributeProto.FLOAT for n in proto.graph.node for a in n.attribute)


def test_opset_18_takes_reduce_means_axes_as_an_input(onnx, ort, rng, tmp_path):
    model = _randomize(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4, track_running_stats=False),
                                     nn.LayerNorm(4)), rng)
    x = rng.standard_normal((6, 3)).astype(np.float32)
    proto = nn.export.to_onnx(model, x, tmp_path / "m.onnx", opset=18)
    assert proto.opset_import[0].version == 18
    reduce = [n for n in proto.graph.node if n.op_type == "ReduceMean"]
    assert reduce and all(len(n.input) == 2 and not n.attribute[1:] for n in reduce)
    got, = ort.InferenceSession(str(tmp_path / "m.onnx")).run(None, {"input": x})
    np.testing.assert_allclose(got, model(x).data, **TOL[np.float32])


def test_input_is_cast_to_the_parameters_dtype_as_here(onnx, ort, rng, tmp_path):
    model = _randomize(nn.Sequential(nn.Linear(3, 2), nn.Tanh()), rng)  # float32
    x = rng.standard_normal((4, 3))  # float64
    proto = nn.export.to_onnx(model, x, tmp_path / "m.onnx")
    assert proto.graph.node[0].op_type == "Cast"
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE
    assert proto.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    got, = ort.InferenceSession(str(tmp_path / "m.onnx")).run(None, {"input": x})
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, model(x).data, **TOL[np.float32])


def test_an_example_that_requires_grad_is_read_without_numpys_conversion(onnx, tmp_path):
    x = ag.Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    nn.export.to_onnx(nn.Linear(3, 1), x, tmp_path / "m.onnx")


def test_output_shape_keeps_the_batch_axis_symbolic(onnx, ort, tmp_path):
    def dims(model, shape):
        proto = nn.export.to_onnx(model, np.ones(shape, np.float32), tmp_path / "m.onnx")
        shape = proto.graph.output[0].type.tensor_type.shape
        return [d.dim_param or d.dim_value for d in shape.dim]

    assert dims(nn.Flatten(), (2, 3, 4)) == ["batch", 12]
    assert dims(nn.Flatten(0, -1), (2, 3, 4)) == ["batch"]  # N * 12: symbolic too
    assert dims(nn.Linear(4, 2), (2, 3, 4)) == ["batch", 3, 2]
    session = ort.InferenceSession(str(tmp_path / "m.onnx"))
    assert session.run(None, {"input": np.ones((7, 3, 4), np.float32)})[0].shape == (7, 3, 2)


@pytest.mark.parametrize("layer", [nn.Dropout(0.1), nn.BatchNorm1d(3)])
def test_a_model_in_training_mode_is_refused_and_nothing_is_written(layer, onnx, tmp_path):
    model = nn.Sequential(nn.Linear(3, 3), layer)
    with pytest.raises(ValueError, match=r"eval mode, but .*\(at '1'\) is in training mode.*; "
                                         r"call model.eval\(\) first"):
        nn.export.to_onnx(model, np.ones((4, 3), np.float32), tmp_path / "m.onnx")
    assert not list(tmp_path.iterdir())
    model.eval()
    nn.export.to_onnx(model, np.ones((4, 3), np.float32), tmp_path / "m.onnx")
    # p = 0 is the identity in both modes
    nn.export.to_onnx(nn.Sequential(nn.Dropout(0.0)), np.ones((4, 3)), tmp_path / "m.onnx")


class Scale(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.gain = nn.Parameter(np.linspace(0.5, 1.5, n, dtype=np.float32))

    def forward(self, x):
        return x * self.gain


def test_a_layer_of_ones_own_is_refused_by_name_then_registered(onnx, ort, rng, registered,
                                                                 tmp_path):
    model = nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.ReLU(), Scale(3))).eval()
    x = rng.standard_normal((4, 3)).astype(np.float32)
    with pytest.raises(TypeError, match=r"to_onnx has no converter for .*Scale \(at '1.1'\)\. "
                                        r"Register one: nn.export.register\(Scale, fn, "
                                        r"target='onnx'\)"):
        nn.export.to_onnx(model, x, tmp_path / "m.onnx")
    assert not list(tmp_path.iterdir())
    registered.append(Scale)
    nn.export.register(Scale, lambda g, layer, x: g.op("Mul", x, g.param(layer.gain, "gain")),
                       target="onnx")
    proto = nn.export.to_onnx(model, x, tmp_path / "m.onnx")
    assert "1.1.gain" in {i.name for i in proto.graph.initializer}
    got, = ort.InferenceSession(str(tmp_path / "m.onnx")).run(None, {"input": x})
    np.testing.assert_allclose(got, model(x).data, **TOL[np.float32])


def test_bad_arguments_are_refused(onnx, registered, tmp_path):
    path = tmp_path / "m.onnx"
    with pytest.raises(TypeError, match="to_onnx takes an nn.Module"):
        nn.export.to_onnx(print, np.ones((1, 2)), path)
    for opset in (16, 10_000, 17.0):
        with pytest.raises(ValueError, match="to_onnx writes opsets 17 to"):
            nn.export.to_onnx(nn.ReLU(), np.ones((1, 2)), path, opset=opset)
    for bad in (np.array(1.0), np.array(["a"])):
        with pytest.raises(ValueError, match="needs an example input of numbers with a batch axis"):
            nn.export.to_onnx(nn.ReLU(), bad, path)
    with pytest.raises(ValueError, match=r"needs input shaped \(N, C, H, W\)"):
        nn.export.to_onnx(nn.Conv2d(1, 1, 3), np.ones((1, 5, 5)), path)  # one unbatched image
    with pytest.raises(TypeError, match=r"Embedding \(the model itself\) takes integer indices"):
        nn.export.to_onnx(nn.Embedding(3, 2), np.ones((2, 3)), path)

    class FixedBatch(nn.Module):
        def forward(self, x):
            if x.shape[0] != 2:
                raise ValueError("batches of 2 only")
            return x

    class Pair(nn.Module):
        def forward(self, x):
            return x, x

    registered += [FixedBatch, Pair]
    nn.export.register(FixedBatch, lambda g, layer, x: g.op("Identity", x), target="onnx")
    nn.export.register(Pair, lambda g, layer, x: g.op("Identity", x), target="onnx")
    with pytest.raises(ValueError, match="the model fails on a batch of 4: batches of 2 only"):
        nn.export.to_onnx(FixedBatch(), np.ones((2, 3)), path)
    with pytest.raises(TypeError, match="returned a tuple; a graph has one Tensor output"):
        nn.export.to_onnx(Pair(), np.ones((2, 3)), path)
    assert not list(tmp_path.iterdir())
