"""Opening the campaign store: SQLite by default, PostgreSQL for shared installs.

``open_store(url)`` connects and brings the schema to the newest Alembic revision. The URL
comes from ``--db``, else ``PARINDEX_DB``, else the embedded ``sqlite:///parindex.db``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, create_engine

from scoring.errors import Location, StorageError
from scoring.sources.yamlsrc import exists, is_dir

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

    url: str = field(repr=False)  # holds the password: never in a repr (``shown`` is masked)
    engine: Engine = field(repr=False)

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
                    f"database error: {exc.__class__.__name__}: {_first_line(exc, self.url)}",
                    Location(self.shown),
                    vi="Cơ sở dữ liệu báo lỗi, thay đổi chưa được lưu; hãy thử lại sau ít "
                    f"phút ({exc.__class__.__name__})",
                ) from exc
            except BaseException:
                session.rollback()
                raise

    @property
    def shown(self) -> str:
        """The URL with its password masked, for messages."""
        return masked(self.url)

    def read(self) -> Session:
        """A session for reading (no commit, no write lock)."""
        return Session(self.engine.execution_options(parindex_read=True), expire_on_commit=False)

    def close(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()


def open_store(url: str | None = None, migrate: bool = True, *, read_only: bool = False) -> Store:
    """Connect to the store at ``url`` and migrate it to the newest schema.

    ``read_only`` is for commands that only read: the store must already exist (a missing
    SQLite file is not created) and hold parindex tables. Otherwise an empty database (or a
    new SQLite file) gets the schema on first use. A database that holds tables of its own and
    no parindex store, or a file that is not a database, is refused either way: nothing is
    ever created in someone else's database.
    """
    url = database_url(url)
    shown = masked(url)
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1] if "///" in url else ""
            if path and path != ":memory:" and not path.startswith("file:"):
                _check_sqlite_file(Path(path), read_only, shown)
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
            f"cannot open the store: {_first_line(exc, url)}", Location(shown)
        ) from exc
    store = Store(url, engine)
    try:
        _check_kind(store, read_only)
    except BaseException:
        engine.dispose()
        raise
    if migrate:
        upgrade(store)
    return store


def _check_sqlite_file(path: Path, read_only: bool, shown: str) -> None:
    parent = path.resolve().parent
    if not is_dir(parent):
        raise StorageError(f"folder {parent} does not exist", Location(shown))
    if is_dir(path):
        raise StorageError("is a folder, not a store file", Location(shown))
    if read_only and not exists(path):
        raise StorageError(
            "no parindex store here: the file does not exist (commands that write, such "
            "as `campaign create` or `import`, create it)",
            Location(shown),
        )


NOT_A_STORE = "is not a parindex store"
_OWN_TABLES = frozenset({"alembic_version", "index_version", "campaign", "unit", "audit_log"})


def _check_kind(store: Store, read_only: bool) -> None:
    """Refuse a database that is not a parindex store (for a read, also an empty one)."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    where = Location(store.shown)
    try:
        with store.engine.execution_options(parindex_read=True).connect() as conn:
            tables = set(inspect(conn).get_table_names())
            version = None
            if "alembic_version" in tables:
                version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except SQLAlchemyError as exc:
        detail = _first_line(exc, store.url)
        if store.url.startswith("sqlite") and ("not a database" in detail or "malformed" in detail):
            raise StorageError(
                f"the file {NOT_A_STORE}: it is not an SQLite database", where
            ) from None
        raise StorageError(f"cannot open the store: {detail}", where) from exc
    if not tables:
        if read_only:
            raise StorageError(
                f"the database {NOT_A_STORE}: it is empty (commands that write, such as "
                "`campaign create` or `import`, create the store)",
                where,
            )
        return
    if not tables >= _OWN_TABLES:
        others = sorted(tables - _OWN_TABLES or tables)
        listed = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        raise StorageError(
            f"the database {NOT_A_STORE}: it holds other tables ({listed}); "
            "give parindex an empty database or a new file",
            where,
        )
    try:
        if version is not None:
            ScriptDirectory.from_config(_alembic_config(store)).get_revision(version)
    except (CommandError, RevisionError):
        raise StorageError(
            f"schema revision {version!r} is unknown to this parindex "
            "(written by a newer version?)",
            where,
        ) from None


def masked(url: str) -> str:
    """``url`` with its password replaced by ``***``, fit for messages and logs."""
    try:
        return str(make_url(url).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def redact(text: str, url: str) -> str:
    """``text`` with the password of ``url`` (and ``url`` itself) masked."""
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        password = None
    text = text.replace(url, masked(url))
    if password:
        for secret in {str(password), quote(str(password), safe=""), quote(str(password))}:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
            else:
                text = text.replace(f":{secret}@", ":***@")
    return text


def _first_line(exc: BaseException, url: str) -> str:
    return redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, url)


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
            f"cannot migrate the store: {_first_line(exc, store.url)}", Location(store.shown)
        ) from exc


def _at_head(store: Store, cfg: Any) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with store.engine.execution_options(parindex_read=True).connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads
