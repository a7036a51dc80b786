"""nn.export's optional packages: CI installs the export extra, so there they must import."""
import importlib
import os

import pytest

from nn import export


def _need(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs the export extra")
        pytest.skip(f"{name} is not installed (pip install 'autograd-core[export]')")


@pytest.fixture
def onnx():
    return _need("onnx")


@pytest.fixture
def ort():
    module = _need("onnxruntime")
    module.set_default_logger_severity(3)  # no warnings about unused initializers
    return module


@pytest.fixture
def registered():
    """Layer types registered by a test, forgotten after it."""
    types = []
    yield types
    for kind in types:
        export.unregister(kind)
