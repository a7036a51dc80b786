"""to_torch and from_torch, layer by layer: ours -> torch -> ours keeps names,
dtypes and values exactly, and the three models compute the same (float64,
1e-12), in train and in eval mode."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
F64 = np.float64
TOL = dict(rtol=1e-12, atol=1e-12)


def _randomize(model, rng, matrices=True):
    """Parameters and running statistics away from their trivial starting
    values (`matrices=False`: weight matrices keep theirs)."""
    for p in model.parameters():
        if matrices or p.ndim < 2:
            p.data = rng.standard_normal(p.shape).astype(p.dtype)
    for name, b in model.named_buffers():
        if name.endswith("running_var"):
            b.data = rng.uniform(0.5, 2.0, b.shape).astype(b.dtype)
        elif name.endswith("running_mean"):
            b.data = rng.standard_normal(b.shape).astype(b.dtype)
    return model


# name: (model factory, input shape, or a function of rng giving the input)
LAYERS = {
    "linear": (lambda: nn.Linear(4, 3, dtype=F64), (5, 4)),
    "linear_no_bias_3d": (lambda: nn.Linear(4, 3, bias=False, dtype=F64), (2, 5, 4)),
    "embedding": (lambda: nn.Embedding(10, 4, padding_idx=2, dtype=F64),
                  lambda rng: rng.integers(0, 10, (5, 3))),
    "identity": (lambda: nn.Identity(), (3, 4)),
    "flatten": (lambda: nn.Flatten(), (2, 3, 4, 5)),
    "flatten_1_2": (lambda: nn.Flatten(1, 2), (2, 3, 4, 5)),
    "flatten_all": (lambda: nn.Flatten(0, -1), (2, 3, 4)),
    "dropout_eval_only": (lambda: nn.Dropout(0.3), (6, 5)),
    "layer_norm": (lambda: nn.LayerNorm(4, dtype=F64), (5, 4)),
    "layer_norm_2d_no_bias": (lambda: nn.LayerNorm((3, 4), bias=False, eps=1e-3, dtype=F64),
                              (2, 3, 4)),
    # without parameters, a norm layer takes the dtype of the model around it
    "layer_norm_no_affine": (lambda: nn.Sequential(
        nn.Linear(4, 4, dtype=F64), nn.LayerNorm(4, elementwise_affine=False, dtype=F64)), (5, 4)),
    "batch_norm": (lambda: nn.BatchNorm1d(4, dtype=F64), (6, 4)),
    "batch_norm_3d_momentum_none": (lambda: nn.BatchNorm1d(3, momentum=None, dtype=F64), (4, 3, 5)),
    "batch_norm_no_affine": (lambda: nn.BatchNorm1d(4, affine=False, eps=1e-3, dtype=F64), (6, 4)),
    "batch_norm_no_running_stats": (lambda: nn.BatchNorm1d(4, track_running_stats=False,
                                                           dtype=F64), (6, 4)),
    "batch_norm_bare": (lambda: nn.Sequential(nn.Linear(4, 4, dtype=F64), nn.BatchNorm1d(
        4, affine=False, track_running_stats=False, dtype=F64)), (6, 4)),
    "conv": (lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1, dtype=F64), (2, 2, 7, 6)),
    "conv_same_even_kernel": (lambda: nn.Conv2d(2, 3, (2, 4), padding="same", bias=False,
                                                dtype=F64), (2, 2, 5, 6)),
    "conv_valid_pair": (lambda: nn.Conv2d(1, 2, (3, 2), stride=(1, 2), padding="valid",
                                          dtype=F64), (2, 1, 5, 6)),
    "conv_padding_pair": (lambda: nn.Conv2d(1, 2, 3, padding=(2, 1), dtype=F64), (2, 1, 4, 4)),
    "max_pool": (lambda: nn.MaxPool2d(2), (2, 3, 6, 5)),
    "max_pool_stride": (lambda: nn.MaxPool2d(3, stride=(2, 1)), (2, 3, 7, 6)),
    "avg_pool": (lambda: nn.AvgPool2d((2, 3)), (2, 3, 6, 7)),
    "sigmoid": (lambda: nn.Sigmoid(), (4, 5)),
    "tanh": (lambda: nn.Tanh(), (4, 5)),
    "relu": (lambda: nn.ReLU(), (4, 5)),
    "leaky_relu": (lambda: nn.LeakyReLU(0.2), (4, 5)),
    "elu": (lambda: nn.ELU(0.5), (4, 5)),
    "gelu": (lambda: nn.GELU(), (4, 5)),
    "gelu_tanh": (lambda: nn.GELU("tanh"), (4, 5)),
    "softplus": (lambda: nn.Softplus(2.0, 1.0), (4, 5)),
    "softmax": (lambda: nn.Softmax(axis=0), (4, 5)),
    "log_softmax": (lambda: nn.LogSoftmax(dim=-1), (4, 5)),
    "sequential": (lambda: nn.Sequential(nn.Linear(4, 6, dtype=F64), nn.ReLU(),
                                         nn.Sequential(nn.Linear(6, 6, dtype=F64), nn.Tanh()),
                                         nn.Linear(6, 2, dtype=F64)), (5, 4)),
    "sequential_named": (lambda: nn.Sequential(OrderedDict(
        encoder=nn.Linear(4, 3, dtype=F64), act=nn.GELU(), norm=nn.LayerNorm(3, dtype=F64))),
        (5, 4)),
    "sequential_sliced": (lambda: nn.Sequential(nn.Linear(4, 4, dtype=F64), nn.ReLU(),
                                                nn.Linear(4, 2, dtype=F64), nn.Sigmoid())[1:],
                          (5, 4)),
}


def example(spec, rng):
    return spec(rng) if callable(spec) else rng.standard_normal(spec) * 2


def torch_out(torch, module, x):
    return module(torch.tensor(x)).detach().numpy()


def assert_same_state(ours, theirs_state):
    theirs = {k: v.detach().numpy() for k, v in theirs_state.items()}
    assert list(ours) == list(theirs)
    for k in ours:
        assert ours[k].dtype == theirs[k].dtype and ours[k].shape == theirs[k].shape, k
        np.testing.assert_array_equal(ours[k], theirs[k], err_msg=k)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_round_trip(name, torch, rng):
    make, spec = LAYERS[name]
    ours = _randomize(make(), rng)
    x = example(spec, rng)
    before = ours.state_dict()
    theirs = nn.export.to_torch(ours)
    assert isinstance(theirs, torch.nn.Module)
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert_same_state(before, theirs.state_dict())
    back = nn.export.from_torch(theirs)
    assert type(back) is type(ours) and repr(back) == repr(ours)
    assert [type(m) for m in back.modules()] == [type(m) for m in ours.modules()]
    assert_same_state(before, theirs.state_dict())
    for (k, a), (_, b) in zip(before.items(), back.state_dict().items()):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b, err_msg=k)
    modes = ["eval"] if name == "dropout_eval_only" else ["train", "eval"]
    for mode in modes:
        for model in (ours, theirs, back):
            getattr(model, mode)()
        for _ in range(2):  # in training, BatchNorm's running statistics move: twice
            expected = ours(x).data
            np.testing.assert_allclose(torch_out(torch, theirs, x), expected, **TOL)
            np.testing.assert_allclose(back(x).data, expected, **TOL)
        for k, value in ours.state_dict().items():  # the running statistics moved alike
            np.testing.assert_allclose(theirs.state_dict()[k].numpy(), value, err_msg=k, **TOL)
            np.testing.assert_allclose(back.state_dict()[k], value, err_msg=k, **TOL)


def test_module_list_and_module_dict_containers(torch, rng):
    ours = nn.ModuleDict({"blocks": nn.ModuleList([nn.Linear(3, 3, dtype=F64),
                                                    nn.BatchNorm1d(3, dtype=F64)]),
                          "head": nn.Linear(3, 1, dtype=F64)})
    theirs = nn.export.to_torch(ours)
    assert isinstance(theirs, torch.nn.ModuleDict)
    assert isinstance(theirs["blocks"], torch.nn.ModuleList)
    assert isinstance(theirs["blocks"][1], torch.nn.BatchNorm1d)
    assert_same_state(ours.state_dict(), theirs.state_dict())
    back = nn.export.from_torch(theirs)
    assert isinstance(back["blocks"], nn.ModuleList) and list(back.keys()) == ["blocks", "head"]
    assert repr(back) == repr(ours)
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(back["head"](back["blocks"][0](x)).data,
                               ours["head"](ours["blocks"][0](x)).data, **TOL)


def test_a_norm_layer_without_state_takes_torchs_default_dtype(torch):
    assert nn.export.from_torch(torch.nn.LayerNorm(3, elementwise_affine=False)).dtype == np.float32
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        bare = nn.export.from_torch(torch.nn.BatchNorm1d(3, affine=False,
                                                         track_running_stats=False))
    finally:
        torch.set_default_dtype(default)
    assert bare.dtype == np.float64


def test_dropout_in_training_keeps_or_scales_every_element(torch, rng):
    ours = nn.Sequential(nn.Dropout(0.25))
    theirs = nn.export.to_torch(ours)
    assert theirs.training and theirs[0].training and theirs[0].p == 0.25
    x = rng.standard_normal((50, 40))
    y = torch_out(torch, theirs, x)
    kept = y != 0
    assert 0.7 < kept.mean() < 0.8  # PyTorch's own masks: only which elements survive differs
    np.testing.assert_allclose(y[kept], x[kept] / 0.75, **TOL)


def test_float32_stays_float32_both_ways(torch, rng):
    ours = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3),
                         nn.BatchNorm1d(3), nn.LayerNorm(3), nn.Embedding(4, 2))
    theirs = nn.export.to_torch(ours)
    assert {p.dtype for p in theirs.parameters()} == {torch.float32}
    assert theirs[4].running_mean.dtype == torch.float32
    assert theirs[4].num_batches_tracked.dtype == torch.int64
    back = nn.export.from_torch(theirs)
    assert {p.dtype for p in back.parameters()} == {np.dtype(np.float32)}
    x = rng.standard_normal((3, 1, 4, 4)).astype(np.float32)
    ours.eval(), theirs.eval(), back.eval()
    out = ours[:6](x).data
    np.testing.assert_allclose(theirs[:6](torch.tensor(x)).detach().numpy(), out, rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_array_equal(back[:6](x).data, out)


def test_mode_requires_grad_and_ties_carry_over(torch, rng):
    shared = nn.Linear(3, 3, dtype=F64)
    ours = nn.Sequential(shared, nn.Dropout(0.5), shared, nn.BatchNorm1d(3, dtype=F64))
    ours[1].eval()  # mixed modes are kept module by module
    shared.bias.requires_grad = False
    theirs = nn.export.to_torch(ours)
    assert theirs[0] is theirs[2] and not theirs[0].bias.requires_grad
    assert [m.training for m in theirs] == [True, False, True, True]
    assert list(theirs.state_dict()) == list(ours.state_dict())  # both names of the tied weight
    assert len(list(theirs.parameters())) == len(list(ours.parameters())) == 4
    back = nn.export.from_torch(theirs)
    assert back[0] is back[2] and not back[0].bias.requires_grad and back[0].weight.requires_grad
    assert [m.training for m in back] == [True, False, True, True]


def test_a_weight_tied_across_two_layers_stays_tied(torch, onnx, tmp_path, rng):
    embed, head = nn.Embedding(5, 3, dtype=F64), nn.Linear(3, 5, bias=False, dtype=F64)
    head.weight = embed.weight
    model = nn.Sequential(embed, head)
    theirs = nn.export.to_torch(model)
    assert theirs[1].weight is theirs[0].weight and list(theirs.state_dict()) == ["0.weight",
                                                                                  "1.weight"]
    back = nn.export.from_torch(theirs)
    assert back[1].weight is back[0].weight
    tokens = rng.integers(0, 5, (4, 2))
    np.testing.assert_allclose(theirs(torch.tensor(tokens)).detach().numpy(), model(tokens).data,
                               **TOL)
    proto = nn.export.to_onnx(model, tokens, tmp_path / "m.onnx")
    assert [i.name for i in proto.graph.initializer] == ["0.weight"]  # one initializer, used twice


def test_neither_random_stream_is_consumed(torch):
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    theirs = nn.export.to_torch(nn.Sequential(nn.Linear(30, 30), nn.Embedding(9, 4)))
    assert torch.equal(torch.rand(3), expected)
    ag.manual_seed(0)
    ours_expected = ag.default_generator().random(3)
    ag.manual_seed(0)
    nn.export.from_torch(theirs)
    np.testing.assert_array_equal(ag.default_generator().random(3), ours_expected)


class Scale(nn.Module):
    """A layer of one's own: nn.export does not know it."""

    def __init__(self, n):
        super().__init__()
        self.gain = nn.Parameter(np.linspace(0.5, 1.5, n))

    def forward(self, x):
        return x * self.gain


def test_a_layer_of_ones_own_is_refused_by_name_then_registered(torch, rng, registered):
    model = nn.Sequential(nn.Linear(3, 3, dtype=F64), Scale(3))
    with pytest.raises(TypeError, match=r"no converter for .*Scale \(at '1'\).*"
                                        r"nn.export.register\(Scale, fn\)"):
        nn.export.to_torch(model)

    class TorchScale(torch.nn.Module):
        def __init__(self, gain):
            super().__init__()
            self.gain = torch.nn.Parameter(torch.tensor(gain))

        def forward(self, x):
            return x * self.gain

    with pytest.raises(TypeError, match=r"from_torch has no converter for .*TorchScale"):
        nn.export.from_torch(TorchScale(np.ones(3)))
    registered += [Scale, TorchScale]
    assert nn.export.register(Scale, lambda layer: TorchScale(layer.gain.data)) is not None
    model.eval()
    theirs = nn.export.to_torch(model)
    assert isinstance(theirs[1], TorchScale) and not theirs[1].training
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(torch_out(torch, theirs, x), model(x).data, **TOL)

    def back(module):
        layer = Scale(3)
        layer.gain = nn.Parameter(module.gain.detach().numpy().copy())
        return layer

    nn.export.register(TorchScale, back)
    again = nn.export.from_torch(theirs)
    assert isinstance(again[1], Scale) and not again[1].training
    np.testing.assert_allclose(again(x).data, model(x).data, **TOL)


def test_a_subclass_of_a_known_layer_is_not_taken_for_it(rng):
    class ShiftedLinear(nn.Linear):
        def forward(self, x):
            return super().forward(x) + 1.0

    with pytest.raises(TypeError, match="no converter for .*ShiftedLinear"):
        nn.export.to_torch(ShiftedLinear(2, 2))


def test_state_a_converter_does_not_know_is_an_error_not_a_loss(registered, torch):
    layer = nn.Linear(2, 2)
    layer.scale = nn.Parameter(np.ones(2))  # attached by hand
    with pytest.raises(ValueError, match=r"only in the original: \['scale'\]"):
        nn.export.to_torch(layer)
    registered.append(Scale)
    nn.export.register(Scale, lambda layer: torch.nn.Linear(3, 3))
    with pytest.raises(ValueError, match="state differs"):
        nn.export.to_torch(Scale(3))
    nn.export.register(Scale, lambda layer: "not a module")
    with pytest.raises(TypeError, match="not a torch.nn.Module"):
        nn.export.to_torch(Scale(3))


@pytest.mark.parametrize("make,phrase", [
    (lambda t: t.nn.Conv1d(2, 2, 3), "no converter for torch.nn.modules.conv.Conv1d"),
    (lambda t: t.nn.Sequential(t.nn.Linear(2, 2), t.nn.Hardtanh()), r"Hardtanh \(at '1'\)"),
    (lambda t: t.nn.Conv2d(2, 2, 3, dilation=2), "has dilation=.*which nn's layer does not have"),
    (lambda t: t.nn.Conv2d(2, 4, 3, groups=2), "has groups=2"),
    (lambda t: t.nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect"), "padding_mode='reflect'"),
    (lambda t: t.nn.MaxPool2d(2, ceil_mode=True), "ceil_mode=True"),
    (lambda t: t.nn.MaxPool2d(3, padding=1), "padding=1"),
    (lambda t: t.nn.AvgPool2d(2, divisor_override=3), "divisor_override=3"),
    (lambda t: t.nn.Embedding(4, 2, max_norm=1.0), "max_norm=1.0"),
    (lambda t: t.nn.Softmax(), "has dim=None"),
    (lambda t: t.nn.Linear(2, 2).bfloat16(), "holds torch.bfloat16 values, which nn's layers"),
])
def test_from_torch_refuses_what_nn_cannot_hold(torch, make, phrase):
    with pytest.raises((TypeError, ValueError), match=phrase):
        nn.export.from_torch(make(torch))


def test_arguments_are_checked(torch):
    with pytest.raises(TypeError, match="to_torch takes an nn.Module"):
        nn.export.to_torch(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match="from_torch takes a torch.nn.Module"):
        nn.export.from_torch(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="register takes a layer class"):
        nn.export.register(Scale(2), print)
    with pytest.raises(TypeError, match="needs a callable converter"):
        nn.export.register(Scale, None)
    with pytest.raises(TypeError, match="register takes an nn.Module or torch.nn.Module subclass"):
        nn.export.register(int, print)
    with pytest.raises(ValueError, match="has target 'torch' or 'onnx'"):
        nn.export.register(Scale, print, target="tf")
    with pytest.raises(ValueError, match="is for from_torch; leave target out"):
        nn.export.register(torch.nn.Hardtanh, print, target="onnx")
