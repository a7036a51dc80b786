"""`python -m nn.demo`: every picture with pip's tools alone (and with dot),
and notes instead of pictures when the tools are missing."""
import builtins
import os
import subprocess
import sys

import pytest

from nn import demo


def test_demo_writes_every_picture(tmp_path, capsys, layout):
    if not os.environ.get("CI"):
        pytest.importorskip("matplotlib")
    assert demo.main(["--out", str(tmp_path), "--epochs", "100", "--no-progress"]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 97
    assert sorted(os.listdir(tmp_path)) == ["backward.html", "grad_flow.png", "hidden_weights.png",
                                            "training_loss.png", "training_step.svg"]
    assert "skipped" not in out
    page = (tmp_path / "backward.html").read_text()
    assert "data-autograd-explorer" in page and page.count("<svg") == 1


def test_demo_without_matplotlib_or_a_layout_program(tmp_path, capsys, monkeypatch, no_layout):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    assert demo.main(["--out", str(tmp_path), "--epochs", "5", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "skipped hidden_weights.png, training_loss.png and grad_flow.png: need matplotlib" in out
    assert "skipped training_step.svg and backward.html: need a Graphviz layout program: " \
           "pip install graphviz-pure" in out
    assert os.listdir(tmp_path) == ["training_step.dot"]


def test_demo_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nn.demo", "--out", str(tmp_path / "o"),
                             "--epochs", "3", "--no-progress"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout
