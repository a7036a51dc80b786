"""The shape of the code: autograd_core's modules import each other without
cycles, and nn uses only autograd_core's public API."""
import ast
import pathlib

import autograd_core

ROOT = pathlib.Path(__file__).resolve().parent.parent


def module_name(path, package):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """Modules a file imports at module level (what runs at import time)."""
    tree = ast.parse(path.read_text())
    name = module_name(path, None)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in tree.body:  # top level only: imports inside functions are lazy
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[:len(parent) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found += [(base, a.name) for a in node.names]
    return found


def core_graph():
    graph = {}
    for path in (ROOT / "autograd_core").rglob("*.py"):
        name = module_name(path, "autograd_core")
        targets = set()
        for base, item in imports_of(path):
            if not base.startswith("autograd_core"):
                continue
            as_module = f"{base}.{item}" if item else base
            targets.add(as_module if (ROOT / (as_module.replace(".", "/") + ".py")).exists()
                        or (ROOT / as_module.replace(".", "/")).is_dir() else base)
        graph[name] = {t for t in targets if t != name}
    return graph


def test_autograd_core_imports_have_no_cycles():
    graph = core_graph()
    state = {}

    def visit(node, path):
        if state.get(node) == "done":
            return
        assert state.get(node) != "active", "import cycle: " + " -> ".join(path + [node])
        state[node] = "active"
        for target in sorted(graph.get(node, ())):
            # a package's __init__ imports its modules; a module importing its own
            # package's __init__ is the one allowed edge back (it is run first)
            if target == node.rsplit(".", 1)[0] and target in graph:
                continue
            visit(target, path + [node])
        state[node] = "done"

    for node in sorted(graph):
        visit(node, [])


def test_nn_uses_only_the_public_api():
    public = set(autograd_core.__all__) | {"functional", "engine", "guard", "__version__"}
    for path in (ROOT / "nn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd_core"):
                assert node.module == "autograd_core", f"{path}: imports {node.module}"
                for alias in node.names:
                    assert alias.name in public and not alias.name.startswith("_"), \
                        f"{path}: imports autograd_core.{alias.name}, which is not public"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.value.id == "ag":
                assert node.attr in public or not node.attr.startswith("_"), \
                    f"{path}: uses ag.{node.attr}"
