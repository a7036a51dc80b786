"""Checkpoints: .npz without pickle, atomic writes, clear errors."""
import os

import numpy as np
import pytest

import nn


def small_net(seed=0):
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(4, 3, rng=rng), nn.ReLU(), nn.Linear(3, 2, rng=rng))


def test_model_round_trip_through_a_file(tmp_path):
    a, b = small_net(0), small_net(1)
    path = tmp_path / "model.npz"
    nn.save(a.state_dict(), path)
    b.load_state_dict(nn.load(path))
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
        assert p.dtype == q.dtype


def test_nested_optimizer_state_round_trip(tmp_path):
    net = small_net()
    opt = nn.optim.Adam(net.parameters(), lr=0.01)
    nn.functional.mse_loss(net(np.ones((2, 4), dtype=np.float32)), np.zeros((2, 2))).backward()
    opt.step()
    nn.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, tmp_path / "c.npz")
    state = nn.load(tmp_path / "c.npz")
    assert int(state["epoch"]) == 3
    opt2 = nn.optim.Adam(small_net().parameters())
    opt2.load_state_dict(state["optimizer"])
    group = opt2.param_groups[0]
    assert group["lr"] == 0.01 and group["betas"] == (0.9, 0.999) and group["amsgrad"] is False
    np.testing.assert_array_equal(opt2.state_dict()["state"][0]["exp_avg"],
                                  opt.state_dict()["state"][0]["exp_avg"])


def test_truncated_foreign_pickle_and_missing_files(tmp_path):
    net = small_net()
    path = tmp_path / "model.npz"
    nn.save(net.state_dict(), path)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match="truncated"):
        nn.load(truncated)
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="cannot read"):
        nn.load(text)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.ones(2))
    with pytest.raises(ValueError, match="not a checkpoint written by nn.save"):
        nn.load(foreign)
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        nn.load(tmp_path / "missing.npz")


def test_pickle_disguised_as_npz_runs_no_code(tmp_path):
    import pickle

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    evil = tmp_path / "evil.npz"
    np.savez(evil, __format__=np.array("autograd_core.nn checkpoint v1"),
             w=np.array([Boom()], dtype=object))
    with pytest.raises(ValueError, match="cannot read"):
        nn.load(evil)
    raw = tmp_path / "raw.npz"
    raw.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ValueError):
        nn.load(raw)
    assert not (tmp_path / "pwned").exists()


def test_interrupted_save_keeps_previous_checkpoint(tmp_path, monkeypatch):
    net = small_net()
    path = tmp_path / "model.npz"
    nn.save(net.state_dict(), path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        nn.save(small_net(1).state_dict(), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]  # no temporary file left behind
    small_net(2).load_state_dict(nn.load(path))


def test_unsaveable_states():
    with pytest.raises(TypeError, match="takes a dict"):
        nn.save([1, 2], "x.npz")
    with pytest.raises(TypeError, match="only numbers, strings and arrays"):
        nn.save({"f": object()}, "x.npz")
    with pytest.raises(ValueError, match="may not contain"):
        nn.save({"a/b": 1}, "x.npz")


def _not_checkpoints(tmp_path):
    import pickle
    import zipfile
    files = {}
    np.save(tmp_path / "array.npy", np.ones(3))
    files["npy"] = tmp_path / "array.npy"
    with open(tmp_path / "single.npz", "wb") as f:  # one array under an .npz name
        np.save(f, np.ones(3))
    files["npy as npz"] = tmp_path / "single.npz"
    files["garbage"] = tmp_path / "garbage.npz"
    files["garbage"].write_bytes(bytes(range(256)) * 4)
    files["empty"] = tmp_path / "empty.npz"
    files["empty"].write_bytes(b"")
    files["pickle"] = tmp_path / "state.pkl"
    files["pickle"].write_bytes(pickle.dumps({"w": [1.0, 2.0]}))
    files["zip of text"] = tmp_path / "text.zip"
    with zipfile.ZipFile(files["zip of text"], "w") as z:
        z.writestr("readme.txt", "hello")
    files["object array"] = tmp_path / "objects.npz"
    np.savez(files["object array"], w=np.array([{"a": 1}], dtype=object))
    return files


def test_every_file_that_is_not_a_checkpoint_gets_the_documented_error(tmp_path):
    for kind, path in _not_checkpoints(tmp_path).items():
        with pytest.raises(ValueError) as info:
            nn.load(path)
        message = str(info.value)
        assert "nn.save" in message and "pickle" not in message.replace("never pickles", ""), \
            (kind, message)
    with pytest.raises(ValueError, match="holds a single numpy array"):
        nn.load(tmp_path / "array.npy")


def test_empty_dicts_survive_a_checkpoint(tmp_path):
    state = {"model": {"w": np.ones(2)}, "optimizer": {"state": {}, "param_groups": [{"lr": 0.1}]}}
    nn.save(state, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    assert back["optimizer"]["state"] == {} and float(back["optimizer"]["param_groups"][0]["lr"]) == 0.1
    with pytest.raises(ValueError, match="may not contain"):
        nn.save({"__empty__": 1}, tmp_path / "d.npz")
