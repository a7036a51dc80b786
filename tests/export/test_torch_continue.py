"""Training carries on in PyTorch where it stopped here; state dicts move
either way by name; without torch or onnx the calls say what to install."""
import sys

import numpy as np
import pytest

import nn

F64 = np.float64


def _net():
    return nn.Sequential(nn.Linear(5, 16, dtype=F64), nn.BatchNorm1d(16, dtype=F64), nn.Tanh(),
                         nn.Dropout(0.0), nn.Linear(16, 16, dtype=F64), nn.GELU(),
                         nn.LayerNorm(16, dtype=F64), nn.Linear(16, 3, dtype=F64))


def test_twenty_steps_here_then_twenty_in_pytorch_continue_the_loss_curve(torch, rng):
    x, y = rng.standard_normal((32, 5)), rng.standard_normal((32, 3))
    ours = _net()
    start = ours.state_dict()

    def train_here(model, steps):
        opt, losses = nn.optim.SGD(model.parameters(), lr=0.1), []
        for _ in range(steps):
            loss = nn.functional.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    reference = train_here(ours, 40)  # 40 steps here
    model = _net()
    model.load_state_dict(start)
    first = train_here(model, 20)
    theirs = nn.export.to_torch(model)
    opt = torch.optim.SGD(theirs.parameters(), lr=0.1)
    tx, ty = torch.tensor(x), torch.tensor(y)
    second = []
    for _ in range(20):
        loss = torch.nn.functional.mse_loss(theirs(tx), ty)
        opt.zero_grad()
        loss.backward()
        opt.step()
        second.append(loss.item())
    curve = np.array(first + second)
    assert reference[-1] < reference[0] / 2  # it did learn
    np.testing.assert_allclose(curve, reference, rtol=0, atol=1e-10)
    # and the weights and running statistics arrived at the same place
    for name, value in ours.state_dict().items():
        np.testing.assert_allclose(theirs.state_dict()[name].numpy(), value, atol=1e-10,
                                   err_msg=name)
    assert int(theirs[1].num_batches_tracked) == 40


def test_load_state_dict_takes_a_pytorch_state_dict_as_it_is(torch, rng):
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.BatchNorm1d(16),
                                 torch.nn.Tanh(), torch.nn.Dropout(0.0), torch.nn.Linear(16, 16),
                                 torch.nn.GELU(), torch.nn.LayerNorm(16), torch.nn.Linear(16, 3))
    theirs = theirs.double()
    theirs(torch.tensor(rng.standard_normal((8, 5))))  # running statistics away from 0 and 1
    ours = _net()
    assert ours.load_state_dict(theirs.state_dict()) == ([], [])
    for name, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[name], value.numpy())
    assert ours[1].num_batches_tracked.dtype == np.int64
    ours.eval(), theirs.eval()
    x = rng.standard_normal((4, 5))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12, atol=1e-12)
    # parameters that require grad load too (detached), and ours go back to PyTorch
    ours.load_state_dict(dict(theirs.named_parameters()), strict=False)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})


def test_the_documented_names_are_pytorchs(torch):
    doc = nn.export.__doc__
    for name in ("0.weight", "running_mean", "running_var", "num_batches_tracked"):
        assert name in doc
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.BatchNorm1d(2))
    example = ("0.weight, 0.bias, 2.weight,\n"
               "2.bias, 2.running_mean, 2.running_var, 2.num_batches_tracked")
    assert example in doc and ", ".join(theirs.state_dict()) == example.replace("\n", " ")


def test_load_state_dict_refuses_what_numpy_cannot_hold(torch):
    state = {"weight": torch.ones(2, 2, dtype=torch.bfloat16), "bias": torch.ones(2)}
    model = nn.Linear(2, 2)
    before = model.state_dict()
    with pytest.raises(TypeError, match="'weight' is a PyTorch torch.bfloat16 tensor"):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model.weight.data, before["weight"])


@pytest.mark.parametrize("package,call", [
    ("torch", lambda: nn.export.to_torch(nn.Linear(2, 2))),
    ("torch", lambda: nn.export.from_torch(object())),
    ("onnx", lambda: nn.export.to_onnx(nn.Linear(2, 2), np.ones((1, 2)), "never-written.onnx")),
])
def test_without_the_optional_packages_the_calls_say_what_to_install(package, call, monkeypatch,
                                                                     tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, package, None)  # `import package` now fails
    with pytest.raises(ImportError, match=rf"needs {package}, which is not installed: "
                                          r"pip install 'autograd-core\[export\]'"):
        call()
    assert not list(tmp_path.iterdir())


def test_import_nn_imports_none_of_them():
    import subprocess
    code = ("import sys, nn; print(sorted(m for m in ('torch', 'onnx', 'onnxruntime') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
