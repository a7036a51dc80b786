"""Fixtures for the picture tests: each runs once with Graphviz's `dot` and
once with `dot` hidden from PATH, where `graphviz-pure` (pip) lays it out."""
import os
import shutil

import pytest

from nn.viz import render

NEEDS = {"dot": shutil.which("dot"), "chromium": shutil.which("chromium")}


def require(program):
    """CI installs Graphviz and Chromium: there these tests must run, not skip."""
    found = NEEDS.get(program) or shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; .ci/run installs it")
        pytest.skip(f"{program} is not installed")
    return found


@pytest.fixture(params=["dot", "graphviz-pure"])
def layout(request, monkeypatch, tmp_path_factory):
    """The layout program the picture under test is rendered with."""
    if request.param == "dot":
        require("dot")
    else:
        empty = tmp_path_factory.mktemp("path-without-dot")
        monkeypatch.setenv("PATH", str(empty))  # `graphviz-pure` is then found beside Python
        if render.layout_program() is None:
            if os.environ.get("CI"):
                pytest.fail("graphviz-pure is not installed; the viz extra installs it")
            pytest.skip("graphviz-pure is not installed (pip install graphviz-pure)")
    program = render.layout_program()
    assert os.path.basename(program).startswith(request.param), program
    return request.param


@pytest.fixture
def no_layout(monkeypatch, tmp_path_factory):
    """Neither `dot` nor `graphviz-pure` anywhere."""
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("path-without-layout")))
    monkeypatch.setattr(render, "script_folders", lambda: [])
