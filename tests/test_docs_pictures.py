"""The README's pictures in docs/ are what docs/make_pictures.py makes now."""
import importlib.util
import pathlib

import pytest

from .outputs import differences, explorer_summary, svg_texts

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def test_docs_pictures_are_current(tmp_path):
    from nn.viz import layout_program
    if layout_program() is None:
        pytest.skip("no Graphviz layout program (pip install graphviz-pure)")
    spec = importlib.util.spec_from_file_location("make_pictures", DOCS / "make_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in map(pathlib.Path, module.main(tmp_path)):
        committed = (DOCS / path.name).read_text(encoding="utf-8")
        fresh = path.read_text(encoding="utf-8")
        if path.suffix == ".svg":
            stale = differences(svg_texts(committed), svg_texts(fresh), path.name)
        else:
            stale = differences(explorer_summary(committed), explorer_summary(fresh), path.name)
        assert not stale, "\n".join(stale[:5] + ["rebuild: python docs/make_pictures.py"])
