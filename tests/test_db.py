"""The store's schema comes from the Alembic migrations and matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import scoring.schema  # noqa: F401  # the tables
from scoring.db import database_url, open_store


def test_migrations_build_exactly_the_models_schema(store) -> None:  # type: ignore[no-untyped-def]
    """After `upgrade head` autogenerate finds nothing left to migrate."""
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_opening_twice_is_harmless(tmp_path: Path) -> None:
    """Re-opening a migrated store changes nothing and keeps the data."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    open_store(url).close()
    st = open_store(url)
    with st.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == "0002"
    st.close()


def test_database_url_precedence(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """--db wins over $PARINDEX_DB, which wins over the embedded default."""
    monkeypatch.setenv("PARINDEX_DB", "sqlite:///env.db")
    assert database_url("sqlite:///flag.db") == "sqlite:///flag.db"
    assert database_url() == "sqlite:///env.db"
    monkeypatch.delenv("PARINDEX_DB")
    assert database_url() == "sqlite:///parindex.db"
