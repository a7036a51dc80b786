"""A test that skips in CI because a package was not installed did not run:
every module a test imports with pytest.importorskip must come with an extra
that .ci/run installs."""
import ast
import importlib.metadata
import pathlib
import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: this project's one-line lists, read by hand
    tomllib = None

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ci_requirements():
    """The distributions .ci/run installs: the project's dependencies and its extras there."""
    extras = re.search(r'pip install -e "\.\[([\w,]+)\]"', (ROOT / ".ci" / "run").read_text())
    assert extras, ".ci/run no longer installs the project with extras as this test expects"
    text = (ROOT / "pyproject.toml").read_text()
    if tomllib is None:
        lists = {m[1]: re.findall(r'"([^"]+)"', m[2])
                 for m in re.finditer(r"^([\w-]+) = \[(.*)\]$", text, re.M)}
        project = {"dependencies": lists["dependencies"], "optional-dependencies": lists}
    else:
        project = tomllib.loads(text)["project"]
    requirements = list(project["dependencies"])
    for extra in extras.group(1).split(","):
        requirements += project["optional-dependencies"][extra]
    return {normalized(re.match(r"[A-Za-z0-9_.\-]+", r).group(0)) for r in requirements}


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def skipped_imports():
    """(file, module) for every pytest.importorskip("module") under tests/."""
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                yield path.relative_to(ROOT), node.args[0].value.split(".")[0]


def test_every_importorskip_module_is_installed_by_ci():
    installed_by = importlib.metadata.packages_distributions()
    wanted = ci_requirements()
    found = list(skipped_imports())
    assert found  # the scan itself works
    missing = [(str(path), module) for path, module in found
               if not {normalized(d) for d in installed_by.get(module, [module])} & wanted]
    assert not missing, f"these tests would skip in CI (add the package to an extra .ci/run installs): {missing}"
