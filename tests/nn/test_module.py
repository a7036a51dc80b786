"""Module registration, naming, state dicts, printing, and custom modules."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor


class Affine(nn.Module):
    """A user's own layer with its own Parameters."""

    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(np.ones(n))
        self.shift = nn.Parameter(np.zeros(n))

    def forward(self, x):
        return x * self.scale + self.shift


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4, rng=np.random.default_rng(0)), nn.Tanh())
        self.head = Affine(4)
        self.not_a_parameter = Tensor(np.ones(2))

    def forward(self, x):
        return self.head(self.body(x))


def test_registration_and_dotted_names():
    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names == ["body.0.weight", "body.0.bias", "head.scale", "head.shift"]
    assert len(list(net.parameters())) == 4
    assert [type(m).__name__ for m in net.children()] == ["Sequential", "Affine"]
    assert [type(m).__name__ for m in net.modules()] == ["Net", "Sequential", "Linear", "Tanh", "Affine"]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad and p.is_leaf for p in net.parameters())


def test_reassigning_and_deleting_attributes_updates_registration(torch):
    m = Affine(2)
    with pytest.raises(TypeError, match="cannot assign a Tensor as parameter 'scale'"):
        m.scale = Tensor(np.ones(2))  # as PyTorch: it would silently stop being trained
    m.scale = nn.Parameter(np.full(2, 3.0))  # a new Parameter keeps the name's place
    assert [n for n, _ in m.named_parameters()] == ["scale", "shift"]
    m.scale = None
    assert [n for n, _ in m.named_parameters()] == ["shift"]
    del m.shift
    assert list(m.parameters()) == []
    net, theirs = nn.Sequential(nn.Linear(2, 2), nn.ReLU()), torch.nn.Sequential(
        torch.nn.Linear(2, 2), torch.nn.ReLU())
    setattr(net, "0", nn.Linear(2, 2))  # replaced: still first, as in PyTorch
    setattr(theirs, "0", torch.nn.Linear(2, 2))
    assert [type(m).__name__ for m in net] == [type(m).__name__ for m in theirs]
    with pytest.raises(TypeError, match="cannot assign a str as submodule '1'"):
        setattr(net, "1", "relu")


def test_shared_parameter_listed_once():
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, lin)
    assert len(list(net.parameters())) == 2


def test_zero_grad_train_eval():
    net = Net()
    net(Tensor(np.ones((2, 3), dtype=np.float32))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_sequential_indexing_and_slicing():
    net = nn.Sequential(nn.Linear(4, 3), nn.Sigmoid(), nn.Linear(3, 2), nn.Sigmoid())
    assert isinstance(net[0], nn.Linear) and isinstance(net[-1], nn.Sigmoid) and len(net) == 4
    features = net[:-2]
    assert isinstance(features, nn.Sequential) and len(features) == 2
    assert features[0] is net[0]  # the same layer, so the same weights
    x = Tensor(np.ones((5, 4), dtype=np.float32))
    np.testing.assert_array_equal(net[2:](features(x)).data, net(x).data)
    assert [n for n, _ in net[2:].named_parameters()] == ["2.weight", "2.bias"]


def test_repr_is_indented_like_pytorch():
    assert repr(Net()) == (
        "Net(\n"
        "  (body): Sequential(\n"
        "    (0): Linear(in_features=3, out_features=4, bias=True)\n"
        "    (1): Tanh()\n"
        "  )\n"
        "  (head): Affine()\n"
        ")")


def test_state_dict_round_trip():
    a, b = Net(), Net()
    for p in b.parameters():
        p.data = p.data + 1
    state = a.state_dict()
    assert list(state) == ["body.0.weight", "body.0.bias", "head.scale", "head.shift"]
    assert b.load_state_dict(state) == ([], [])
    for (na, pa), (nb, pb) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(pa.data, pb.data)
        assert pa.data is not pb.data


def test_failed_load_leaves_model_untouched():
    net = Net()
    before = net.state_dict()
    shifted = {k: v + 7 for k, v in before.items()}  # would change every value if applied
    cases = [
        ({k: v for k, v in shifted.items() if k != "head.shift"}, KeyError,
         r"missing keys \['head.shift'\]"),
        (dict(shifted, **{"head.bogus": np.zeros(1)}), KeyError, r"unexpected keys \['head.bogus'\]"),
        (dict(shifted, **{"head.scale": np.zeros(5)}), ValueError,
         r"'head.scale' has shape \(5,\).*shape \(4,\)"),
    ]
    for bad, error, phrase in cases:
        with pytest.raises(error, match=phrase):
            net.load_state_dict(bad)
        for k, v in net.state_dict().items():
            np.testing.assert_array_equal(v, before[k])


def test_non_strict_load():
    net = Net()
    missing, unexpected = net.load_state_dict({"head.scale": np.full(4, 2.0), "x": np.ones(1)}, strict=False)
    assert "head.shift" in missing and unexpected == ["x"]
    np.testing.assert_array_equal(net.head.scale.data, [2, 2, 2, 2])


def test_custom_module_trains():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2))
    y = x * np.array([3.0, -2.0]) + np.array([1.0, 0.5])
    m = Affine(2)
    opt = nn.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(200):
        opt.zero_grad()
        loss = nn.functional.mse_loss(m(Tensor(x)), y)
        loss.backward()
        opt.step()
    np.testing.assert_allclose(m.scale.data, [3.0, -2.0], atol=1e-3)
    np.testing.assert_allclose(m.shift.data, [1.0, 0.5], atol=1e-3)


def test_forgetting_super_init_is_a_clear_error():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.ones(1))

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Bad()


@pytest.mark.parametrize("make", [lambda: nn.Identity(), lambda: nn.Dropout(0.5).eval()])
def test_a_module_that_returns_its_input_lets_its_graph_go(make):
    """Module calls are remembered for pictures as long as their output
    lives; a module that hands back its input must not keep that alive (nor
    the locks its graph holds on the data and the weights)."""
    import gc
    import weakref
    import autograd_core as ag
    data = np.ones((4, 3))
    lin = nn.Linear(3, 2, dtype=np.float64)
    out = make()(lin(ag.from_numpy(data)))  # no backward: an evaluation with grad mode on
    gone = weakref.ref(out)
    del out
    gc.collect()
    assert gone() is None
    assert data.flags.writeable and lin.weight.data.flags.writeable
    data[0, 0] = 5.0
