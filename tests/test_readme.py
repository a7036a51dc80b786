"""Every code block of the README runs as written, in a fresh namespace, and
prints what its comments say: `print(x)  # 0.0707 0.1413` checks the printed
line (numbers to the precision written, the text around them exactly;
`# above 0.97` and `# below 2` compare)."""
import pathlib
import re
import textwrap

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = [textwrap.dedent(b) for b in re.findall(r"^ *```python\n(.*?)^ *```", README.read_text(),
                                                 re.S | re.M)]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
EXPECTING = re.compile(r"^(\s*)print\((.*)\)\s*#\s*(.+?)\s*$")


def with_checks(source):
    """`print(...)  # expected` lines become calls of `_check(..., expected=...)`."""
    lines = []
    for line in source.splitlines():
        m = EXPECTING.match(line)
        lines.append(f"{m[1]}_check({m[2]}, expected={m[3]!r})" if m else line)
    return "\n".join(lines)


def matches(printed, expected):
    """The printed line against the README's comment (the comment may go on
    after the expected value: `True (finite differences)`)."""
    bound = re.match(r"(above|below) (\S+)", expected)
    if bound:
        value = float(printed)
        return value > float(bound[2]) if bound[1] == "above" else value < float(bound[2])
    numbers, wanted_numbers = NUMBER.findall(printed), NUMBER.findall(expected)
    if re.sub(r"\s+", "", NUMBER.sub("#", printed)) != re.sub(r"\s+", "", NUMBER.sub("#", expected)):
        return False
    for got, want in zip(numbers, wanted_numbers):
        places = len(want.split(".")[1]) if "." in want and "e" not in want else 0
        if abs(float(got) - float(want)) > 0.5 * 10 ** -places + 1e-12 * abs(float(want)):
            return False
    return True


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs_and_prints_what_it_says(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seen = []

    def _check(*args, expected):
        printed = " ".join(str(a) for a in args)
        seen.append(printed)
        assert matches(printed, expected) or matches(printed, expected.split(" (")[0]), \
            f"README block {index} prints {printed!r}, its comment says {expected!r}"
    exec(compile(with_checks(BLOCKS[index]), f"README block {index}", "exec"),
         {"_check": _check, "__name__": "__readme__"})


def test_every_block_is_checked_and_the_checks_can_fail():
    assert len(BLOCKS) >= 4
    assert matches("0.07065 0.1413", "0.0707 0.1413") and not matches("0.08 0.1413", "0.0707 0.1413")
    assert matches("(3, 2)", "(3, 2)") and not matches("(2, 3)", "(3, 2)")
    assert matches("0.99", "above 0.97") and not matches("0.5", "above 0.97")
    assert "_check(" in with_checks("print(1)  # 1")


def test_the_numpy_function_list_is_the_rule_table():
    """The README's list of numpy functions is generated from numpy_api.py."""
    import importlib.util
    path = README.parent / "docs" / "make_numpy_list.py"
    spec = importlib.util.spec_from_file_location("make_numpy_list", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = README.read_text()
    assert module.rewritten(text) == text, "stale: run python docs/make_numpy_list.py"
