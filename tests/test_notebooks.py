"""Every notebook runs top to bottom in a real Jupyter kernel without error,
and shows what its committed outputs show (see outputs.py): a notebook whose
outputs went stale fails here. The kernel imports this checkout's packages."""
import copy
import os
import pathlib

import pytest

from .outputs import differences, explorer_summary, shown

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REBUILD = "rebuild it: python notebooks/build_notebooks.py {}"


def _tools():
    try:
        import nbclient
        import nbformat
        return nbclient, nbformat
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip('the notebook tools are not installed: pip install -e ".[notebooks]"')


def _tidy():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_notebooks",
                                                  ROOT / "notebooks" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tidy


def test_there_are_seven_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_its_outputs_are_current(path, tmp_path, monkeypatch):
    nbclient, nbformat = _tools()
    from nn.viz import layout_program
    if layout_program() is None and os.environ.get("CI"):
        pytest.fail("the notebooks draw graphs; the viz extra installs graphviz-pure")
    committed = nbformat.read(path, as_version=4)
    assert all(c.get("outputs") for c in committed.cells if c.cell_type == "code" and
               not c.source.startswith(("import", "class", "def"))), "committed without outputs"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    fresh = copy.deepcopy(committed)
    nbclient.NotebookClient(fresh, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    _tidy()(fresh)
    errors = [o for c in fresh.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    stale = differences(shown(committed), shown(fresh), path.stem)
    assert not stale, "\n".join(stale[:5] + [REBUILD.format(path.name[:2])])
    for page in tmp_path.glob("*.html"):  # pages a notebook writes are committed beside it
        committed_page = ROOT / "notebooks" / page.name
        assert committed_page.exists(), f"{page.name} is written but not committed"
        stale = differences(explorer_summary(committed_page.read_text(encoding="utf-8")),
                            explorer_summary(page.read_text(encoding="utf-8")), page.name)
        assert not stale, "\n".join(stale[:5] + [REBUILD.format(path.name[:2])])
