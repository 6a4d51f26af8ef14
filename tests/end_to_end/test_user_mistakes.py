"""A user's mistakes at the command line: exit 1 (or 2) with one clear message, never a bug.

Outputs to a missing folder or onto a folder, numbers that are not numbers, foreign and missing
databases, and a database password that must never show; every output file is written whole or
not at all.
"""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scoring.errors import InputFileError
from scoring.sources import files
from tests.support.cli import run
from tests.support.paths import MINI
from tests.support.stores import empty_pg_schema, needs_pg

CID = "mini-2018"


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A published store of the mini campaign, a plain file, and the foreign databases."""
    tmp = tmp_path_factory.mktemp("mistakes")
    db = f"sqlite:///{tmp / 'p.db'}"
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(MINI))
    assert r.exit_code == 0, r.output
    (tmp / "a-file").write_text("x", encoding="utf-8")
    (tmp / "junk.db").write_text("not a database, just text\n" * 100, encoding="utf-8")
    con = sqlite3.connect(tmp / "other.db")
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    return {"db": db, "tmp": str(tmp), "mini": str(MINI)}


def _args(template: tuple[str, ...], place: dict[str, str]) -> list[str]:
    return [a.format(**place) for a in template]


def _once(output: str, fragment: str) -> None:
    """The message is there, exactly once, without a traceback or an internal error."""
    assert "Traceback" not in output and "internal error" not in output, output
    assert output.count(fragment) == 1, output
    assert output.count("lỗi:") == 1, output  # the CLI speaks Vietnamese unless told


DB = ("--db", "{db}")
SET = ("--set", "2.1=7")
# (command line, exit code, fragment of the one message)
MISTAKES: list[tuple[tuple[str, ...], int, str]] = [
    # output to a missing folder, onto a folder, or under a file
    ((*DB, "export", CID, "--output", "{tmp}/nope/x.xlsx"), 1, "nope không tồn tại"),
    ((*DB, "export", CID, "--output", "{tmp}/nope/x.csv"), 1, "nope không tồn tại"),
    ((*DB, "export", CID, "--output", "{tmp}/nope/x.json"), 1, "nope không tồn tại"),
    ((*DB, "export", CID, "--output", "{tmp}/a-file/x.csv"), 1, "a-file không phải là thư mục"),
    ((*DB, "export", CID, "--output", "{tmp}"), 1, "không rõ định dạng"),
    ((*DB, "template", "a", "--campaign", CID, "-o", "{tmp}/nope/t.xlsx"), 1, "không tồn tại"),
    ((*DB, "template", "a", "--campaign", CID, "-o", "{tmp}"), 1, "đây là thư mục"),
    (
        (*DB, "report", CID, "--out", "{tmp}/a-file", "--format", "html"),
        1,
        "đã có một tệp cùng tên",
    ),
    (("robustness", "{mini}", "-n", "5", "--plot", "{tmp}/a-file"), 1, "đã có một tệp cùng tên"),
    (
        ("simulate", "a", "-c", "{mini}", *SET, "--scenarios", "{tmp}/nope/s.yaml", "--save", "x"),
        1,
        "nope không tồn tại",
    ),
    (
        ("simulate", "a", "-c", "{mini}", *SET, "--scenarios", "{tmp}", "--save", "x"),
        1,
        "đây là thư mục, cần một tệp",
    ),
    (
        (
            "simulate",
            "a",
            "-c",
            "{mini}",
            *SET,
            "--scenarios",
            "{tmp}/a-file/s.yaml",
            "--save",
            "x",
        ),
        1,
        "a-file không phải là thư mục",
    ),
    # points that are not numbers
    ((*DB, "appraise", CID, "a", "--set", "1.2=NaN", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "appraise", CID, "a", "--set", "1.2=sNaN", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "appraise", CID, "a", "--set", "1.2=Infinity", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "appraise", CID, "a", "--set", "1.2=-inf", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "appraise", CID, "a", "--set", "1.2=abc", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "appraise", CID, "a", "--set", "=5", "--reason", "x"), 1, "cần MỤC=ĐIỂM"),
    ((*DB, "plan", "a", "-c", "{mini}", "--index", "NaN"), 1, "expected a number"),
    # a file that is not SQLite at all: refused for a read and for a write
    (("--db", "sqlite:///{tmp}/junk.db", "campaign", "status", CID), 1, "not a parindex store"),
    (("--db", "sqlite:///{tmp}/junk.db", "import", "{mini}"), 1, "not a parindex store"),
    # an SQLite database holding someone else's tables: refused for reads and writes
    (("--db", "sqlite:///{tmp}/other.db", "audit", "list"), 1, "holds other tables (customers)"),
    (("--db", "sqlite:///{tmp}/other.db", "audit", "verify"), 1, "not a parindex store"),
    (("--db", "sqlite:///{tmp}/other.db", "verify", CID), 1, "not a parindex store"),
    (("--db", "sqlite:///{tmp}/other.db", "compare", CID, CID), 1, "not a parindex store"),
    (("--db", "sqlite:///{tmp}/other.db", "export", CID, "-o", "{tmp}/o.csv"), 1, "parindex st"),
    (("--db", "sqlite:///{tmp}/other.db", "robustness", CID, "-n", "5"), 1, "not a parindex"),
    (("--db", "sqlite:///{tmp}/other.db", "explain", "a", "--campaign", CID), 1, "parindex st"),
    (("--db", "sqlite:///{tmp}/other.db", "campaign", "run", "{mini}"), 1, "not a parindex"),
    (("--db", "sqlite:///{tmp}/other.db", "import", "{mini}"), 1, "not a parindex store"),
    # a read on a store that does not exist
    (("--db", "sqlite:///{tmp}/missing.db", "audit", "verify"), 1, "no parindex store here"),
    (("--db", "sqlite:///{tmp}/missing.db", "campaign", "status", CID), 1, "file does not exist"),
    (("--db", "sqlite:///{tmp}/gone/x.db", "audit", "list"), 1, "gone does not exist"),
    (("--db", "sqlite:///{tmp}", "audit", "list"), 1, "is a folder"),
    (
        ("--db", "sqlite:///{tmp}/new.db", "import", "{tmp}/nothing"),
        1,
        "không có tệp hay thư mục này",
    ),
    (("--db", "not a url", "audit", "list"), 1, "cannot open the store"),
    (("--db", "mysql://u:pw-1234@h/x", "audit", "list"), 1, "mysql://u:***@h/x: cannot open"),
]


@pytest.mark.parametrize(("template", "code", "fragment"), MISTAKES, ids=lambda v: str(v)[:40])
def test_a_mistake_is_one_message(
    place: dict[str, str], template: tuple[str, ...], code: int, fragment: str
) -> None:
    """Each mistake exits 1 with its message printed once, no traceback, nothing created."""
    tmp = Path(place["tmp"])
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp.glob("*.db")}
    listing = sorted(p.name for p in tmp.iterdir())
    r = run(*_args(template, place))
    assert r.exit_code == code, r.output
    _once(r.output, fragment)
    assert sorted(p.name for p in tmp.iterdir()) == listing  # no file, folder or temporary
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp.glob("*.db")}
    assert after == before  # no database was created, migrated or touched


def test_an_empty_database_is_a_store_only_once_written(tmp_path: Path) -> None:
    """An empty SQLite file: a read says it is not a store yet; a write makes it one."""
    (tmp_path / "e.db").touch()
    url = f"sqlite:///{tmp_path / 'e.db'}"
    r = run("--db", url, "audit", "verify")
    assert r.exit_code == 1
    _once(r.output, "is not a parindex store: it is empty")
    assert (tmp_path / "e.db").stat().st_size == 0
    r = run("--db", url, "--actor", "snv", "import", str(MINI))
    assert r.exit_code == 0, r.output
    assert run("--db", url, "audit", "verify").exit_code == 0


def test_a_store_from_a_newer_parindex_is_refused(tmp_path: Path) -> None:
    """A store at a schema revision this parindex does not know is neither read nor migrated."""
    url = f"sqlite:///{tmp_path / 'n.db'}"
    assert run("--db", url, "--actor", "snv", "import", str(MINI)).exit_code == 0
    con = sqlite3.connect(tmp_path / "n.db")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    for args in (("audit", "verify"), ("import", str(MINI))):
        r = run("--db", url, *args)
        assert r.exit_code == 1
        _once(r.output, "schema revision '9999' is unknown")


# ---------------------------------------------------------------- secrets

PG_WRONG = "postgresql+psycopg://parindex:Sup3r-s3cret%21@127.0.0.1:1/parindex"


@pytest.mark.parametrize(
    "args", [("audit", "verify"), ("import", str(MINI)), ("export", CID, "-o", "x.csv")]
)
def test_a_database_password_is_never_shown(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that cannot be reached: the message names it, with the password masked."""
    for how in ("flag", "env"):
        if how == "env":
            monkeypatch.setenv("PARINDEX_DB", PG_WRONG)
            r = run(*args)
        else:
            r = run("--db", PG_WRONG, *args)
        assert r.exit_code == 1, r.output
        assert "Sup3r" not in r.output and "s3cret" not in r.output, r.output
        _once(r.output, "postgresql+psycopg://parindex:***@127.0.0.1:1/parindex")


@needs_pg
def test_pg_wrong_password_and_foreign_tables(pg_url: str) -> None:
    """On a real PostgreSQL server: a wrong password is refused with the password masked; a
    database holding someone else's tables is refused for a read and a write, left untouched."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url

    wrong = make_url(pg_url).set(password="Wr0ng-Passw0rd")
    r = run("--db", wrong.render_as_string(hide_password=False), "audit", "verify")
    assert r.exit_code == 1, r.output
    assert "Wr0ng" not in r.output
    _once(r.output, "***@")
    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id integer)"))
        for args in (("audit", "list"), ("--actor", "snv", "campaign", "run", str(MINI))):
            r = run("--db", pg_url, *args)
            assert r.exit_code == 1, r.output
            _once(r.output, "is not a parindex store: it holds other tables (invoices)")
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["invoices"]
    finally:
        engine.dispose()
        empty_pg_schema(pg_url)


def test_redact_masks_the_password_in_any_text() -> None:
    """Exception texts that quote the URL or the bare password come out masked."""
    from scoring.store.db import masked, redact

    url = "postgresql+psycopg://u:p%40ss-word@db.example/x"
    assert masked(url) == "postgresql+psycopg://u:***@db.example/x"
    text = f"failed for {url}: password 'p@ss-word' (p%40ss-word) rejected"
    assert "ss-word" not in redact(text, url)
    assert redact("nothing secret", "sqlite:///x.db") == "nothing secret"


# ---------------------------------------------------------------- whole files or none


def test_atomic_path_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    """A writer that fails midway (disk full) leaves the old file and no temporary behind."""
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with (
        pytest.raises(InputFileError, match="No space left on device"),
        files.atomic_path(target) as tmp,
    ):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with pytest.raises(ZeroDivisionError), files.atomic_open(target) as fh:
        fh.write("half")
        _ = 1 / 0
    assert target.read_text(encoding="utf-8") == "old"
    assert files.write_text(target, "new") == target
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def _full_disk(_path: Path) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _export(place: dict[str, str], out: Path) -> list[str]:
    return ["--db", place["db"], "export", CID, "--output", str(out)]


def _template(place: dict[str, str], out: Path) -> list[str]:
    return ["--db", place["db"], "template", "a", "--campaign", CID, "--output", str(out)]


def _simulate(place: dict[str, str], out: Path) -> list[str]:
    return ["simulate", "a", "-c", place["mini"], *SET, "--scenarios", str(out), "--save", "s"]


def _report(place: dict[str, str], out: Path) -> list[str]:
    return ["--db", place["db"], "report", CID, "--out", str(out.parent), "--format", "xlsx"]


def _plot(place: dict[str, str], out: Path) -> list[str]:
    return ["robustness", place["mini"], "-n", "5", "--unit", "a", "--plot", str(out.parent)]


WRITERS: list[tuple[str, Callable[[dict[str, str], Path], list[str]]]] = [
    ("x.xlsx", _export),
    ("x.csv", _export),
    ("x.json", _export),
    ("t.xlsx", _template),
    ("s.yaml", _simulate),
    ("annex.xlsx", _report),
    ("department-intervals.png", _plot),
]


@pytest.mark.parametrize(("name", "command"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_full_disk_leaves_the_previous_file(
    place: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    command: Callable[[dict[str, str], Path], Any],
) -> None:
    """The disk fills up as a file is finished: exit 1 naming it, the previous file intact,
    no temporary file left."""
    out = tmp_path / name
    previous = b"unit: a\nscenarios: {}\n" if name.endswith(".yaml") else b"previous"
    out.write_bytes(previous)
    monkeypatch.setattr(files, "_sync", _full_disk)
    r = run(*command(place, out))
    assert r.exit_code == 1, r.output
    _once(r.output, "No space left on device")
    assert str(out) in r.output
    assert out.read_bytes() == previous
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_guard_prints_each_error_once(capsys: pytest.CaptureFixture[str]) -> None:
    """Nested error lists and repeated errors: each message printed once, exit 1."""
    import typer

    from scoring.cli.base import guard
    from scoring.errors import ErrorList, SubmissionError

    one, two = SubmissionError("first"), SubmissionError("second")

    def body() -> None:
        raise ErrorList([one, ErrorList([two, one])])

    with pytest.raises(typer.Exit) as stop:
        guard(body)
    assert stop.value.exit_code == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["lỗi: first", "lỗi: second"]


def test_a_mistake_is_told_in_the_users_language(place: dict[str, str]) -> None:
    """The CLI speaks Vietnamese unless told otherwise, its errors too: the same mistake is
    one located Vietnamese line by default and one English line with --lang en."""
    typo = ("simulate", "a", "-c", place["mini"], "--set", "1.9.9=3")
    vi = run(*typo)
    assert vi.exit_code == 1
    assert vi.output.startswith("lỗi: ") and "không có mục '1.9.9'" in vi.output, vi.output
    assert "error:" not in vi.output and "no item" not in vi.output
    en = run("--lang", "en", *typo)
    assert en.exit_code == 1
    assert en.output.startswith("error: ") and "no item '1.9.9'" in en.output, en.output
    assert "lỗi" not in en.output
