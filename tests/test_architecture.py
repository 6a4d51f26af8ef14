"""The package's shape: layers, no import cycle, no private name used across modules."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scoring"


def _modules() -> dict[str, Path]:
    """Every module of ``scoring`` by dotted name (Alembic's generated revisions left out)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_layer_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml (layers, the engine door) are all kept."""
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_a_cycle_is_found_when_there_is_one() -> None:
    """The cycle finder sees a three-module loop and ignores a chain."""
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(loop) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_in_the_package() -> None:
    """No two modules of scoring import each other, directly or round a loop, even in a function."""
    graph = grimp.build_graph("scoring", cache_dir=None)
    edges = {
        m: {i for i in graph.find_modules_directly_imported_by(m) if not i.startswith(m + ".")}
        for m in graph.modules
        if ".migrations" not in m
    }
    assert _cycles(edges) == []


def _private_imports(modules: dict[str, Path]) -> list[str]:
    """``from scoring.x import _name`` anywhere in the package, as "importer: module._name"."""
    found = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scoring"):
                found += [
                    f"{name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")
                ]
    return found


def test_no_private_name_is_imported_across_modules() -> None:
    """A module uses another's public names only; ``_name`` stays in the module that defines it."""
    assert _private_imports(_modules()) == []
