"""The README's complete examples (blocks that start with an import) run as written."""
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
          if b.startswith("import")]


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[index], f"README block {index}", "exec"), {})
    assert capsys.readouterr().out  # each example prints its result


def test_the_numpy_function_list_is_the_rule_table():
    """The README's list of numpy functions is generated from numpy_api.py."""
    import importlib.util
    path = README.parent / "docs" / "make_numpy_list.py"
    spec = importlib.util.spec_from_file_location("make_numpy_list", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = README.read_text()
    assert module.rewritten(text) == text, "stale: run python docs/make_numpy_list.py"
