"""The page handlers are thin: no SQL, no scoring or ranking, no workflow table of their own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "scoring" / "web"
MODULES = sorted(WEB.rglob("*.py"))
# what only the library may call: scoring, re-ranking, and the workflow's own tables
LIBRARY_ONLY = {
    "scoring": {"score_units", "score_unit", "score_campaign", "rank"},
    "scoring.evaluation.batch": {"score_units", "score_unit", "score_stream"},
    "scoring.evaluation.ranking": {"rank", "score_campaign", "classify"},
    "scoring.campaign.ready": {"prepare"},
    "scoring.campaign.folder": {"read_unit_text", "load_campaign"},
    "scoring.store.workflow": {"UNIT_MOVES", "CAMPAIGN_MOVES", "EDITABLE"},
    "scoring.store.publication": {"compute"},
}


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from module import name`` in a file, and (module, "") of
    every ``import module``."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found += [(node.module or "", a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names]
    return found


def test_the_web_package_has_its_modules() -> None:
    """The checks below read every module of the web package (the pages included)."""
    names = {p.relative_to(WEB).as_posix() for p in MODULES}
    assert {"app.py", "routing.py", "site.py", "pages/unit.py", "pages/answers.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(WEB).as_posix())
def test_no_sql_in_the_web_package(path: Path) -> None:
    """No web module builds a query or opens a session: what pages read is in store.views."""
    text = path.read_text(encoding="utf-8")
    for code in ("select(", ".exec(", ".where(", "store.read(", "store.transaction("):
        assert code not in text, f"{path.name} has {code}"
    for module, name in _imports(path):
        assert not module.startswith("sqlmodel"), f"{path.name} imports {module}"
        if module.startswith("sqlalchemy"):  # its error type only, to answer 503
            assert (module, name) == ("sqlalchemy.exc", "SQLAlchemyError"), path.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(WEB).as_posix())
def test_no_scoring_ranking_or_workflow_table_in_the_web_package(path: Path) -> None:
    """No web module scores, ranks or reads the workflow's tables: it calls the library."""
    for module, name in _imports(path):
        assert name not in LIBRARY_ONLY.get(module, set()), f"{path.name} imports {name}"
