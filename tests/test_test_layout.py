"""The tests' shape: they mirror the package, say what they check, and share helpers one way.

Test files sit in ``tests/<package>/test_*.py`` where ``scoring/<package>/`` exists, in
``tests/test_<module>.py`` for a module at the top of ``scoring/`` (``errors.py``), in
``tests/tools/`` for the repository's ``tools/``, or in the cross-cutting ``tests/end_to_end/``;
the two files that check the whole repository's shape stay at the top. Every test has a
one-sentence docstring; helpers are imported from ``tests/support/`` only, never from
``conftest.py`` or another test module; ``conftest.py`` files define fixtures and hooks only;
nothing patches ``sys.path``; the repository's and the mini index are compiled once a session,
not by each test that reads them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
PACKAGE = ROOT / "scoring"
# folders of tests that do not mirror one package: what each holds
CROSS_CUTTING = {
    "end_to_end": "whole commands and years across packages: user mistakes, faults, resume, "
    "hostile files, properties, docs, samples, fuzzing",
}
# test files at the top of tests/ that mirror no module: they check the whole repository's shape
TOP = {"test_architecture.py", "test_test_layout.py"}
# folders of the repository, beside scoring/, whose code has tests of its own
OTHER_CODE = {"tools"}
# folders of tests/ that hold no test files
NOT_TESTS = {"support", "data", "golden"}


def _test_files() -> list[Path]:
    """Every ``test_*.py`` under tests/ (data and golden files left out)."""
    return sorted(
        p for p in TESTS.rglob("test_*.py") if p.relative_to(TESTS).parts[0] not in {"data"}
    )


def misplaced(path: Path, tests: Path = TESTS, package: Path = PACKAGE) -> str | None:
    """Why a test file is not where the layout puts it, or None if it is."""
    rel = path.relative_to(tests)
    folder = rel.parts[:-1]
    if not folder:
        module = package / (rel.name.removeprefix("test_"))
        if rel.name in TOP or module.is_file():
            return None
        return f"{rel}: at the top of tests/, and no module scoring/{module.name} to mirror"
    if folder[0] in CROSS_CUTTING and len(folder) == 1:
        return None
    if folder[0] in OTHER_CODE and package.parent.joinpath(*folder).is_dir():
        return None
    if folder[0] in NOT_TESTS:
        return f"{rel}: a test file among the {folder[0]} files"
    mirrored = package.joinpath(*folder)
    if (mirrored / "__init__.py").is_file():
        return None
    return f"{rel}: no package scoring/{'/'.join(folder)} to mirror"


def undocumented(source: str) -> list[str]:
    """The tests (functions, and methods of ``Test*`` classes) without a docstring."""
    tree = ast.parse(source)
    found = []
    for node in tree.body:
        members = [node]
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            members = list(node.body)
        for fn in members:
            if (
                isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                and fn.name.startswith("test")
                and not ast.get_docstring(fn)
            ):
                found.append(fn.name)
    return found


def _imported(tree: ast.AST) -> list[str]:
    """Every module a source imports, anywhere in it (functions included), by dotted name."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.append(str(node.args[0].value))
    return names


def bad_imports(source: str) -> list[str]:
    """Imports of a conftest or of a test module (only ``tests.support`` is shared), and any
    relative import (nothing under tests/ is a package to be relative in)."""
    found = []
    for name in _imported(ast.parse(source)):
        parts = name.split(".")
        if name.startswith("."):
            found.append(name)
        elif "conftest" in parts or any(p.startswith("test_") for p in parts):
            found.append(name)
        elif parts[0] == "tests" and parts[1:2] != ["support"]:
            found.append(name)
    return found


def patches_sys_path(source: str) -> bool:
    """Whether a source changes ``sys.path`` (insert, append, assignment...)."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            return True
    return False


def not_fixtures(source: str) -> list[str]:
    """A conftest's top-level definitions that are neither fixtures nor pytest hooks."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            decorators = [ast.unparse(d) for d in getattr(node, "decorator_list", [])]
            fixture = any(d.startswith(("pytest.fixture", "fixture")) for d in decorators)
            if not (fixture or node.name.startswith("pytest_")):
                found.append(node.name)
        elif isinstance(node, ast.Assign):
            found += [ast.unparse(t) for t in node.targets]
        elif isinstance(node, ast.AnnAssign):
            found.append(ast.unparse(node.target))
    return found


# the one test that compiles the repository's index afresh on purpose (a compile must repeat)
FRESH_COMPILE = {("end_to_end/test_samples.py", "test_trace_json_is_deterministic")}


def own_compiles(source: str) -> list[str]:
    """The functions (or "<module>") that compile the repository's or the mini index with
    ``load_index(ROOT ...)`` / ``load_index(MINI ...)`` instead of taking the session's."""
    found = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef) else where
            if (
                isinstance(child, ast.Call)
                and ast.unparse(child.func).split(".")[-1] == "load_index"
                and child.args
                and all(ast.unparse(a).startswith(("ROOT", "MINI")) for a in child.args)
            ):
                found.append(where)
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def _sources() -> list[Path]:
    """Every Python file of tests/, benchmarks/ and fuzz/."""
    return sorted(p for d in ("tests", "benchmarks", "fuzz") for p in (ROOT / d).rglob("*.py"))


# ---------------------------------------------------------------- the repository


def test_every_test_file_mirrors_a_package() -> None:
    """Each test file sits in tests/<package>/ for a package of scoring, or in a documented
    cross-cutting folder, or is one of the repository-wide files at the top."""
    files = _test_files()
    assert len(files) > 40  # the walk found the suite
    assert [m for p in files if (m := misplaced(p))] == []


def test_every_test_has_a_docstring() -> None:
    """Every test function says, in its docstring, the behaviour it checks."""
    missing = [
        f"{p.relative_to(ROOT)}::{name}"
        for p in _test_files()
        for name in undocumented(p.read_text(encoding="utf-8"))
    ]
    assert missing == []


def test_helpers_come_from_tests_support_only() -> None:
    """No test imports a conftest or another test module, benchmarks and fuzz harnesses take
    only tests.support from tests/, and nothing patches sys.path."""
    found = []
    sources = _sources()
    assert any(p.parts[-2] == "support" for p in sources)
    for p in sources:
        text = p.read_text(encoding="utf-8")
        names = bad_imports(text)
        if p.is_relative_to(ROOT / "benchmarks") or p.is_relative_to(ROOT / "fuzz"):
            # their own modules are theirs to arrange: only what they take from tests/ counts
            names = [n for n in names if n.split(".")[0] in ("tests", "conftest")]
        found += [f"{p.relative_to(ROOT)}: {name}" for name in names]
        if patches_sys_path(text):
            found.append(f"{p.relative_to(ROOT)}: sys.path")
    assert found == []


def test_the_repository_index_is_compiled_once() -> None:
    """Tests take the repository's and the mini index from the session (``real_index``,
    ``mini_index``, ``tests.support.indexes``), compiled once, not each its own copy."""
    found = [
        f"{rel}::{where}"
        for p in _test_files()
        for where in own_compiles(p.read_text(encoding="utf-8"))
        if (rel := p.relative_to(TESTS).as_posix(), where) not in FRESH_COMPILE
    ]
    assert found == []


def test_conftest_files_define_fixtures_only() -> None:
    """conftest.py files hold fixtures and hooks; constants and helpers live in tests/support."""
    conftests = sorted(p for p in _sources() if p.name == "conftest.py")
    assert TESTS / "conftest.py" in conftests
    found = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in conftests
        for name in not_fixtures(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_support_modules_hold_no_tests() -> None:
    """tests/support/ holds helpers: no test function that pytest would not collect there."""
    support = sorted((TESTS / "support").glob("*.py"))
    assert support
    tests = [
        f"{p.name}: {node.name}"
        for p in support
        for node in ast.parse(p.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    assert tests == []


# ---------------------------------------------------------------- each check finds its fault


def test_a_misplaced_test_file_is_named(tmp_path: Path) -> None:
    """A file in a folder that mirrors no package, at the top for no module, or among the
    helpers is named; mirrored (also tools/), nested-package and cross-cutting places pass."""
    package = tmp_path / "scoring"
    for pkg in ("index", "index/kinds"):
        (package / pkg).mkdir(parents=True)
        (package / pkg / "__init__.py").write_text("")
    (package / "errors.py").write_text("")
    (tmp_path / "tools").mkdir()
    tests = tmp_path / "tests"
    place = {
        "index/test_loader.py": None,
        "index/kinds/test_base.py": None,
        "end_to_end/test_faults.py": None,
        "test_architecture.py": None,
        "test_errors.py": None,
        "tools/test_make_samples.py": None,
        "nowhere/test_x.py": "no package scoring/nowhere",
        "test_loose.py": "no module scoring/loose.py",
        "support/test_helpers.py": "among the support files",
        "end_to_end/deep/test_x.py": "no package scoring/end_to_end/deep",
    }
    for rel, why in place.items():
        got = misplaced(tests / rel, tests, package)
        assert (got is None) if why is None else (got is not None and why in got), (rel, got)


def test_an_undocumented_test_is_named() -> None:
    """Test functions and Test-class methods without a docstring are named; helpers are not."""
    source = '''
def test_a():
    """Says."""
def test_b():
    pass
def helper():
    pass
class TestC:
    def test_d(self):
        pass
'''
    assert undocumented(source) == ["test_b", "test_d"]


def test_a_forbidden_import_is_named() -> None:
    """Imports of conftest, of test modules (also inside a function, or by __import__) and
    relative ones are named; tests.support, scoring and third-party imports are not."""
    source = """
from tests.conftest import MINI
from tests.test_cli import run
import tests.webforms
from . import helpers
from tests.support.paths import MINI
from scoring.index import loader
import pytest
def f():
    from tests.cli.test_index_cmds import run
    __import__("tests.webforms")
"""
    assert bad_imports(source) == [
        "tests.conftest",
        "tests.conftest.MINI",
        "tests.test_cli",
        "tests.test_cli.run",
        "tests.webforms",
        ".",
        "tests.cli.test_index_cmds",
        "tests.cli.test_index_cmds.run",
        "tests.webforms",
    ]


def test_a_sys_path_patch_is_found() -> None:
    """Any use of sys.path is found; other attributes named path are not."""
    assert patches_sys_path("import sys\nsys.path.insert(0, 'x')\n")
    assert not patches_sys_path("import os\nos.path.join('a', 'b')\n")


def test_an_own_compile_is_named() -> None:
    """load_index on the repository's or the mini files is named with its function; on a
    temporary copy, or pointed partly elsewhere, it is not."""
    source = """
INDEX = load_index(MINI / "criteria.yaml", MINI / "rules")
def test_a():
    index = scoring.load_index(ROOT / "criteria.yaml", ROOT / "rules")
def test_b(tmp_path):
    index = load_index(tmp_path / "criteria.yaml")
    load_index(MINI / "criteria.yaml", tmp_path / "norules")  # a missing rules folder
"""
    assert own_compiles(source) == ["<module>", "test_a"]


def test_a_conftest_helper_is_named() -> None:
    """A conftest's constants and plain functions are named; fixtures and hooks are not."""
    source = """
import pytest
ROOT = 1
def pytest_addoption(parser): ...
@pytest.fixture
def a(): ...
@pytest.fixture(scope="session")
def b(): ...
def at(day): ...
"""
    assert not_fixtures(source) == ["ROOT", "at"]
