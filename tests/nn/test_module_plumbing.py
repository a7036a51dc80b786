"""Buffers, ModuleList/ModuleDict, plain lists refused, train/eval and apply,
tied weights in state dicts, and copying or pickling a model."""
import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Tensor


class Scaler(nn.Module):
    """A user's layer with a buffer (a running count) and a non-persistent one."""

    def __init__(self):
        super().__init__()
        self.gain = nn.Parameter(np.ones(3))
        self.register_buffer("seen", np.zeros(1))
        self.register_buffer("cache", np.zeros(3), persistent=False)

    def forward(self, x):
        self.seen = self.seen.data + 1
        return x * self.gain


class Tied(nn.Module):
    """An autoencoder whose decoder reuses the encoder's weight, as PyTorch users tie them."""

    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(0)
        self.encoder = nn.Linear(4, 3, bias=False, dtype=np.float64, rng=rng)
        self.decoder = nn.Linear(3, 4, bias=False, dtype=np.float64, rng=rng)
        self.decoder.weight = self.encoder.weight  # tied (shapes as in a weight-tied LM head)
        self.norm = nn.BatchNorm1d(3, dtype=np.float64)

    def forward(self, x):
        return self.norm(self.encoder(x)) @ self.decoder.weight


def test_buffers_are_state_but_not_parameters():
    m = Scaler()
    assert [n for n, _ in m.named_parameters()] == ["gain"]
    assert [n for n, _ in m.named_buffers()] == ["seen", "cache"]
    assert list(m.state_dict()) == ["gain", "seen"]  # the non-persistent one is left out
    m(Tensor(np.ones(3)))
    m(Tensor(np.ones(3)))
    assert isinstance(m.seen, nn.Buffer) and m.seen.data[0] == 2 and not m.seen.requires_grad
    fresh = Scaler()
    fresh.load_state_dict(m.state_dict())  # buffers are moved by load_state_dict
    assert fresh.seen.data[0] == 2
    with pytest.raises(KeyError, match="already exists"):
        m.register_buffer("gain", np.ones(3))


def test_buffer_names_match_pytorch(torch):
    ours = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU())
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})


def _blocks(lib):
    class Blocks(lib.Module):
        def __init__(self):
            super().__init__()
            self.layers = lib.ModuleList([lib.Linear(2, 2) for _ in range(3)])
            self.heads = lib.ModuleDict({"a": lib.Linear(2, 1), "b": lib.Linear(2, 1)})

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return self.heads["a"](x) + self.heads["b"](x)
    return Blocks()


def test_module_list_and_dict_register_their_modules(torch):
    ours, theirs = _blocks(nn), _blocks(torch.nn)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(list(ours.parameters())) == 10
    ours(np.ones((1, 2), dtype=np.float32)).sum().backward()
    assert all(p.grad is not None for p in ours.parameters())
    layers = ours.layers
    assert len(layers) == 3 and layers[-1] is layers[2] and isinstance(layers[1:], nn.ModuleList)
    layers.append(nn.Linear(2, 2))
    del layers[0]
    layers.insert(1, nn.Tanh())
    assert [type(m).__name__ for m in layers] == ["Linear", "Tanh", "Linear", "Linear"]
    assert [n for n, _ in layers.named_children()] == ["0", "1", "2", "3"]
    heads = ours.heads
    assert list(heads.keys()) == ["a", "b"] and "b" in heads and heads.a is heads["a"]
    heads.pop("a")
    heads["keys"] = nn.Linear(2, 1)  # PyTorch refuses this key; here it cannot shadow .keys()
    assert list(heads.keys()) == ["b", "keys"] and heads.training
    assert [n for n, _ in heads.named_parameters()] == ["b.weight", "b.bias", "keys.weight",
                                                        "keys.bias"]
    with pytest.raises(IndexError, match="out of range"):
        layers[7]
    with pytest.raises(NotImplementedError, match="iterate over its modules"):
        layers(np.ones(2))


def test_plain_lists_of_layers_are_refused():
    class Forgets(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]

    with pytest.raises(TypeError, match="Use nn.ModuleList"):
        Forgets()

    class AppendsLater(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = []
            for _ in range(2):
                self.layers.append(nn.Linear(2, 2))

    late = AppendsLater()  # the list was empty when assigned: caught when parameters are read
    with pytest.raises(TypeError, match="would not be registered"):
        list(late.parameters())
    with pytest.raises(TypeError, match="Use nn.ModuleDict"):
        nn.Sequential().heads = {"a": nn.Linear(1, 1)}
    keeps_numbers = nn.Sequential()
    keeps_numbers.sizes = [1, 2, 3]  # lists of other things are fine
    assert list(keeps_numbers.parameters()) == []


def test_train_eval_reach_every_submodule_and_apply_visits_children_first(torch):
    calls = []

    class Custom(nn.Module):
        def train(self, mode=True):
            calls.append(mode)
            return super().train(mode)

    net = nn.Sequential(nn.ModuleList([nn.Dropout(0.5), Custom()]), nn.Linear(2, 2))
    net.eval()
    assert not any(m.training for m in net.modules()) and calls == [False]
    net.train()
    assert all(m.training for m in net.modules()) and calls == [False, True]
    order = []
    assert net.apply(lambda m: order.append(type(m).__name__)) is net
    tnet = torch.nn.Sequential(torch.nn.ModuleList([torch.nn.Dropout(0.5), torch.nn.Identity()]),
                               torch.nn.Linear(2, 2))
    torder = []
    tnet.apply(lambda m: torder.append(type(m).__name__))
    assert order == [t.replace("Identity", "Custom") for t in torder]


def test_apply_reinitialises_layers():
    net = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))

    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
            nn.init.constant_(m.weight, 0.5)
    net.apply(init)
    assert all((p.data == 0.5).all() or not p.data.any() for p in net.parameters())


def test_tied_weights_keep_every_name_and_load_from_either(torch):
    model = Tied()
    assert len(list(model.parameters())) == 3  # the tied weight once, + BatchNorm's two
    state = model.state_dict()
    assert list(state) == ["encoder.weight", "decoder.weight", "norm.weight", "norm.bias",
                           "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"]
    tlin = torch.nn.Linear(4, 3, bias=False)
    tmodel = torch.nn.Module()
    tmodel.encoder, tmodel.decoder = tlin, torch.nn.Linear(3, 4, bias=False)
    tmodel.decoder.weight = tlin.weight
    assert list(tmodel.state_dict()) == ["encoder.weight", "decoder.weight"]
    new = np.arange(12.0).reshape(3, 4)
    for only in ("encoder.weight", "decoder.weight"):
        fresh = Tied()
        partial = {k: v for k, v in state.items() if k != only}
        partial["decoder.weight" if only == "encoder.weight" else "encoder.weight"] = new
        assert fresh.load_state_dict(partial) == ([], [])
        assert fresh.encoder.weight is fresh.decoder.weight
        np.testing.assert_array_equal(fresh.encoder.weight.data, new)
    both = dict(state, **{"encoder.weight": new, "decoder.weight": new + 1})
    with pytest.raises(ValueError, match="name one tied tensor but hold different values"):
        Tied().load_state_dict(both)
    missing = {k: v for k, v in state.items() if not k.endswith("coder.weight")}
    with pytest.raises(KeyError, match=r"missing keys \['encoder.weight', 'decoder.weight'\]"):
        Tied().load_state_dict(missing)


def _trained_with_a_live_graph():
    model = Tied()
    x = Tensor(np.random.default_rng(1).standard_normal((5, 4)))
    loss = (model(x) ** 2).mean()
    loss.backward(retain_graph=True)  # grads set, and the graph still alive
    loss2 = (model(x) ** 2).mean()  # another graph, never run backward
    return model, x, (loss, loss2)


def test_deepcopy_gives_an_independent_model_copying_no_graph():
    model, x, graphs = _trained_with_a_live_graph()
    clone = copy.deepcopy(model)
    assert clone.encoder.weight is clone.decoder.weight  # ties survive the copy
    assert clone.encoder.weight is not model.encoder.weight
    assert all(p.grad is None and p.is_leaf and p.requires_grad for p in clone.parameters())
    np.testing.assert_array_equal(clone.norm.running_mean.data, model.norm.running_mean.data)
    with ag.no_grad():
        np.testing.assert_array_equal(clone(x).numpy(), model(x).numpy())
    opt = nn.optim.SGD(clone.parameters(), lr=0.1)
    (clone(x) ** 2).mean().backward()
    before = model.encoder.weight.data.copy()
    opt.step()  # the copy trains without touching the original
    np.testing.assert_array_equal(model.encoder.weight.data, before)
    assert not np.array_equal(clone.encoder.weight.data, before)
    clone.norm.running_mean.data[0] = 99.0
    assert model.norm.running_mean.data[0] != 99.0
    graphs[1].backward()  # the original's graphs still work
    assert model.encoder.weight.grad is not None


def test_pickle_round_trip_after_a_forward_pass():
    model, x, _ = _trained_with_a_live_graph()
    back = pickle.loads(pickle.dumps(model))
    assert back.encoder.weight is back.decoder.weight and back.encoder.weight.grad is None
    assert isinstance(back.norm.running_var, nn.Buffer)
    with ag.no_grad():
        np.testing.assert_array_equal(back(x).numpy(), model(x).numpy())
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[name], value)
        assert back.state_dict()[name].flags.writeable


def test_named_modules_lists_a_shared_module_once(torch):
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, nn.ReLU(), lin)
    tlin = torch.nn.Linear(2, 2)
    tnet = torch.nn.Sequential(tlin, torch.nn.ReLU(), tlin)
    assert [n for n, _ in net.named_modules()] == [n for n, _ in tnet.named_modules()]
    assert list(net.state_dict()) == list(tnet.state_dict())


class Caching(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2, dtype=np.float64)
        self.scale = Tensor(np.array([2.0, 3.0]), requires_grad=True)  # a user's leaf

    def forward(self, x):
        self.last = self.lin(x) * self.scale  # a non-leaf kept on the module
        return self.last


def test_copies_take_plain_tensor_attributes_by_value_without_their_graph():
    model = Caching()
    out = model(Tensor(np.ones((1, 2))))  # the graph is alive: nothing ran backward
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone.last.is_leaf and not clone.last.requires_grad
        np.testing.assert_array_equal(clone.last.data, model.last.data)
        assert clone.scale.requires_grad and clone.scale.is_leaf
        assert clone.scale.data is not model.scale.data
    out.sum().backward()
    assert model.scale.grad is not None


def test_loading_or_stepping_while_a_graph_holds_the_weights_keeps_that_graphs_values():
    lin = nn.Linear(2, 1, dtype=np.float64, rng=np.random.default_rng(0))
    x = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    before = lin.weight.data.copy()
    out = lin(x).sum()  # the op saved the weight: d out / dx = weight
    lin.load_state_dict({"weight": np.zeros((1, 2)), "bias": np.zeros(1)})
    nn.init.normal_(lin.weight)
    nn.optim.SGD(lin.parameters(), lr=0.1).step()  # (no grads yet: nothing to do)
    out.backward()
    np.testing.assert_array_equal(x.grad.data, before)  # computed with the old weight
    assert lin.weight.data.flags.writeable and not np.array_equal(lin.weight.data, before)
    kept = lin.weight.data
    nn.init.zeros_(lin.weight)  # no graph holds it now: written in place
    assert lin.weight.data is kept and not kept.any()
