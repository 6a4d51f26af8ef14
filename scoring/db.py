"""Opening the campaign store: SQLite by default, PostgreSQL for shared installs.

``open_store(url)`` connects and brings the schema to the newest Alembic revision. The URL
comes from ``--db``, else ``PARINDEX_DB``, else the embedded ``sqlite:///parindex.db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, create_engine

from .errors import Location, StorageError
from .yamlsrc import is_dir

DEFAULT_URL = "sqlite:///parindex.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    """The store URL: explicit, else $PARINDEX_DB, else the embedded SQLite file."""
    return explicit or os.environ.get("PARINDEX_DB") or DEFAULT_URL


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")  # wait for a concurrent writer instead of failing
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # a writer takes the lock at the start: two writers never both read the same audit head or
    # unit version and then deadlock upgrading their locks; a reader takes none (and so works
    # on a read-only file)
    reading = conn.get_execution_options().get("parindex_read", False)
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


@dataclass
class Store:
    """A connected, migrated store."""

    url: str
    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole on success, rolled back whole on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except SQLAlchemyError as exc:
                session.rollback()
                raise StorageError(
                    f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}",
                    Location(self.url),
                ) from exc
            except BaseException:
                session.rollback()
                raise

    def read(self) -> Session:
        """A session for reading (no commit, no write lock)."""
        return Session(self.engine.execution_options(parindex_read=True), expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, migrate: bool = True) -> Store:
    """Connect to the store at ``url`` and migrate it to the newest schema."""
    url = database_url(url)
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                parent = Path(path).resolve().parent
                if not is_dir(parent):
                    raise StorageError(f"folder {parent} does not exist", Location(url))
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        with engine.connect():
            pass
    except StorageError:
        raise
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StorageError(
            f"cannot open the store: {str(exc).splitlines()[0]}", Location(url)
        ) from exc
    store = Store(url, engine)
    if migrate:
        upgrade(store)
    return store


def _alembic_config(store: Store) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    return cfg


def upgrade(store: Store, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (Alembic)."""
    from alembic import command

    cfg = _alembic_config(store)
    try:
        if revision == "head" and _at_head(store, cfg):
            return  # nothing to do: no write transaction (a read-only store still opens)
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StorageError(
            f"cannot migrate the store: {str(exc).splitlines()[0]}", Location(store.url)
        ) from exc


def _at_head(store: Store, cfg: Any) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with store.engine.execution_options(parindex_read=True).connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads
