"""The suite's fixtures: compiled indices, stores, the mini campaign copy, ``--update-golden``;
the ``postgresql`` and ``browser`` marks; argon2 at test cost.

Fixtures only: the helpers and constants tests import live in ``tests/support/``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from scoring import Index
from scoring.store import accounts
from scoring.store.db import Store, open_store
from tests.support import indexes, postgres
from tests.support.paths import MINI
from tests.support.stores import NO_PG, NO_PG_REASON, PG_ENV, STORES, empty_pg_schema

# argon2id at the lowest cost it accepts, unless $PARINDEX_REAL_ARGON2 is set: the default
# parameters take a quarter of a second per hash or check on purpose, and the suite signs in
# and creates accounts hundreds of times. The code paths are the same (argon2id hashes, the
# dummy check for an unknown account, rehash on sign-in); only the work factor differs, and
# tests/web/test_server.py still checks that an argon2id hash is what is stored.
if not os.environ.get("PARINDEX_REAL_ARGON2"):
    _cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    setattr(accounts, "_hasher", _cheap)  # noqa: B010 (a private name, on purpose and only here)
    setattr(accounts, "_DUMMY", _cheap.hash("parindex: no such account"))  # noqa: B010


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: rewrite the golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.json from the current results.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """The marks the collection hook puts on the tests (``-m postgresql``, ``-m browser``)."""
    config.addinivalue_line("markers", "postgresql: the test talks to a PostgreSQL server")
    config.addinivalue_line("markers", "browser: the test drives Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a PostgreSQL server (they take ``pg_server``, or a store
    parametrized on ``postgresql``) and those that drive Chromium, so CI selects them by what
    they use rather than by words in their names (``-k pg`` also picks ``anh.jpg``)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_server" in names or "postgresql" in params.values():
            item.add_marker(pytest.mark.postgresql)
        if "chromium" in names:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the golden files (``--update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


# ---------------------------------------------------------------- compiled indices


@pytest.fixture(scope="session")
def real_index() -> Index:
    """The repository's index (``criteria.yaml`` + ``rules/``), compiled once a session."""
    return indexes.real()


@pytest.fixture(scope="session")
def mini_index() -> Index:
    """The mini campaign's index (``tests/data/mini``), compiled once a session."""
    return indexes.mini()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini campaign folder."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


# ---------------------------------------------------------------- stores


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the session's PostgreSQL server: $PARINDEX_TEST_PG, or one started here."""
    if PG_ENV:
        yield PG_ENV
        return
    if NO_PG is not None:
        pytest.skip(NO_PG_REASON)
    with postgres.server(tmp_path_factory.mktemp("postgresql")) as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """The session's PostgreSQL server, its schema emptied for this test."""
    empty_pg_schema(pg_server)
    return pg_server


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated store: SQLite in a temporary file, and PostgreSQL (an emptied schema
    on the session's server)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'parindex.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    st = open_store(url)
    yield st
    st.close()
