"""The package's shape: layers, no import cycle, no private name used across modules."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import grimp
import pytest
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


def _module_aliases(tree: ast.Module) -> set[str]:
    """The names a module binds to other modules of ``scoring`` (``from scoring.x import y``
    where ``y`` is a module, ``import scoring.x as y``, ``y = lazy("scoring.x")``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scoring"):
            for a in node.names:
                if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/")).exists() or (
                    PACKAGE.parent / (f"{node.module}.{a.name}".replace(".", "/") + ".py")
                ).exists():
                    names.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            names |= {a.asname for a in node.names if a.name.startswith("scoring") and a.asname}
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", "") == "lazy"
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _private_attributes(modules: dict[str, Path]) -> list[str]:
    """``module._name`` read through another module of the package, as "importer: alias._name"."""
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _module_aliases(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{name}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_read_through_a_module() -> None:
    """Nor is a ``_name`` reached as ``module._name`` from another module of the package."""
    assert _private_attributes(_modules()) == []


def test_a_private_attribute_read_is_found(tmp_path: Path) -> None:
    """The check above finds ``campaigns._store`` in a module that imported ``campaigns``."""
    path = tmp_path / "m.py"
    path.write_text("from scoring.store import campaigns\n\ncampaigns._store()\n", encoding="utf-8")
    assert _private_attributes({"m": path}) == ["m: campaigns._store"]


def _undocumented(modules: dict[str, Path]) -> list[str]:
    """Public modules, classes, functions and methods without a docstring, as "module:line
    name"; a method that overrides a documented one of a base class shares its docstring."""
    missing = []
    for name, path in modules.items():
        module = importlib.import_module(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(f"{name}: the module")
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if node.name.startswith("_"):
                continue
            if not ast.get_docstring(node):
                missing.append(f"{name}:{node.lineno} {node.name}")
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name)
            for member in node.body:
                if not isinstance(member, ast.FunctionDef) or member.name.startswith("_"):
                    continue
                if not ast.get_docstring(member) and not inspect.getdoc(getattr(cls, member.name)):
                    missing.append(f"{name}:{member.lineno} {node.name}.{member.name}")
    return missing


def test_every_public_definition_is_documented() -> None:
    """Every public module, class, function and method of the package says what it is for
    (the YAML format models included)."""
    modules = _modules()
    assert len(modules) > 100  # the walk found the package
    assert _undocumented(modules) == []


def test_an_undocumented_definition_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above names an undocumented function and method, and accepts a method that
    overrides a documented one."""
    probe = '''\
        """A probe."""


        class Base:
            """Base."""

            def run(self) -> None:
                """Run."""


        class Child(Base):
            """Child."""

            def run(self) -> None:
                pass

            def stop(self) -> None:
                pass


        def helper() -> None:
            pass
        '''
    (tmp_path / "undoc_probe.py").write_text(textwrap.dedent(probe), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = _undocumented({"undoc_probe": tmp_path / "undoc_probe.py"})
    assert found == ["undoc_probe:17 Child.stop", "undoc_probe:21 helper"]
