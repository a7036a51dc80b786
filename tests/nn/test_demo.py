"""`python -m nn.demo`: with every tool, and without matplotlib or Graphviz."""
import builtins
import os
import shutil
import subprocess
import sys

import pytest

from nn import demo


def test_demo_writes_everything(tmp_path, capsys):
    if not shutil.which("dot"):
        if os.environ.get("CI"):
            pytest.fail("dot is not installed; .ci/run installs Graphviz")
        pytest.skip("Graphviz's dot is not installed")
    pytest.importorskip("matplotlib")
    assert demo.main(["--out", str(tmp_path), "--epochs", "100", "--no-progress"]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 97
    assert sorted(os.listdir(tmp_path)) == ["backward.html", "hidden_weights.png", "training_step.svg"]
    assert "skipped" not in out


def test_demo_without_matplotlib_or_dot(tmp_path, capsys, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert demo.main(["--out", str(tmp_path), "--epochs", "5", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "skipped hidden_weights.png: needs matplotlib (pip install matplotlib" in out
    assert "skipped training_step.svg and backward.html: need Graphviz's dot program" in out
    assert os.listdir(tmp_path) == ["training_step.dot"]


def test_demo_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nn.demo", "--out", str(tmp_path / "o"),
                             "--epochs", "3", "--no-progress"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout
