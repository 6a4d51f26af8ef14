"""The store's schema comes from the Alembic migrations and matches the models exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from scoring.store import audit
from scoring.store.db import _alembic_config, database_url, open_store, upgrade
from scoring.store.schema import AuditRow, CampaignRow
from tests.support.stores import STORES


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
    assert version == "0005"
    st.close()


def test_database_url_precedence(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """--db wins over $PARINDEX_DB, which wins over the embedded default."""
    monkeypatch.setenv("PARINDEX_DB", "sqlite:///env.db")
    assert database_url("sqlite:///flag.db") == "sqlite:///flag.db"
    assert database_url() == "sqlite:///env.db"
    monkeypatch.delenv("PARINDEX_DB")
    assert database_url() == "sqlite:///parindex.db"


@pytest.fixture(params=STORES)
def store_at_0002(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store migrated only to 0002 (before campaign time zones and audit written_at), with
    a campaign and an audit entry written the way 0002's code wrote them."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    st = open_store(url, migrate=False)
    upgrade(st, "0002")
    at = "2018-11-01T08:00:00+00:00"
    fields = {
        "seq": 1,
        "at": at,
        "actor": "old",
        "action": "campaign.create",
        "campaign": "c",
        "unit": None,
        "node": None,
        "detail": "{}",
        "prev": audit.GENESIS,
    }
    old_hash = hashlib.sha256(audit.canonical(fields).encode()).hexdigest()  # 0002's formula
    with st.engine.begin() as conn:
        for sql, params in (
            (
                "INSERT INTO index_version VALUES ('h', 'i', 2018, '', '{}', :at)",
                {"at": at},
            ),
            (
                "INSERT INTO campaign (id, year, index_hash, state, late_submission, "
                "created_at, version) VALUES ('c', 2018, 'h', 'open', 'flag', :at, 1)",
                {"at": at},
            ),
            (
                "INSERT INTO audit_log (seq, at, actor, action, campaign_id, detail_json, "
                "prev_hash, hash) VALUES (1, :at, 'old', 'campaign.create', 'c', '{}', :g, :h)",
                {"at": at, "g": audit.GENESIS, "h": old_hash},
            ),
            ("INSERT INTO audit_head VALUES (1, 1, :h)", {"h": old_hash}),
        ):
            conn.execute(text(sql), params)
    yield st
    st.close()


def test_migration_0003_from_0002_keeps_old_entries_verifiable(store_at_0002) -> None:  # type: ignore[no-untyped-def]
    """Upgrading from 0002 gives old campaigns the default zone; old audit entries (no
    written_at) still verify, and new entries record and hash their written_at."""
    st = store_at_0002
    upgrade(st)
    with st.read() as s:
        camp = s.get(CampaignRow, "c")
        assert camp is not None and camp.time_zone == "Asia/Ho_Chi_Minh"
        old = s.get(AuditRow, 1)
        assert old is not None and old.written_at is None
        assert audit.verify(s) == (1, [])
    with st.transaction() as s:
        new = audit.record(s, at="2018-11-02T08:00:00+00:00", actor="new", action="x")
        assert new.written_at is not None
    with st.read() as s:
        assert audit.verify(s) == (2, [])
    with st.engine.begin() as conn:  # moving when an entry was written is tampering
        conn.execute(text("UPDATE audit_log SET written_at = :w WHERE seq = 2"), {"w": "2000"})
    with st.read() as s:
        assert [p.seq for p in audit.verify(s)[1]] == [2]


def test_migration_0003_downgrades(store_at_0002) -> None:  # type: ignore[no-untyped-def]
    """0003 goes back down to 0002 cleanly (both new columns dropped)."""
    from alembic import command

    st = store_at_0002
    upgrade(st)
    cfg = _alembic_config(st)
    with st.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with st.engine.connect() as conn:
        cols = {c["name"] for c in inspect(conn).get_columns("campaign")}
        assert "time_zone" not in cols
        assert "written_at" not in {c["name"] for c in inspect(conn).get_columns("audit_log")}
