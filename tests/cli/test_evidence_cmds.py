"""`parindex evidence add/list`: files attached by content, told in Vietnamese, refusals exit 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scoring.store import imports
from scoring.store.db import open_store
from tests.support import files
from tests.support.cli import run
from tests.support.stores import at

CID = "mini-2018"


@pytest.fixture
def db(tmp_path: Path, mini_copy: Path) -> str:
    """A store with the mini campaign imported (open, every unit a draft)."""
    url = f"sqlite:///{tmp_path / 'parindex.db'}"
    st = open_store(url)
    assert not imports.import_folder(st, mini_copy, actor="snv", now=at("2018-11-20")).errors
    st.close()
    return url


def _add(db: str, path: Path, node: str = "1.1") -> object:
    base = ("--db", db, "--actor", "canbo", "--at", "2018-11-21")
    return run(*base, "evidence", "add", CID, "a", node, str(path))


def test_add_then_list_in_vietnamese_and_json(db: str, tmp_path: Path) -> None:
    """A PDF is attached with its type, size and hash said in Vietnamese; the same file again
    adds nothing; list shows it with the time in the campaign's zone, --json exact."""
    path = tmp_path / "Quyết định.pdf"
    path.write_bytes(files.pdf())
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    first = _add(db, path)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    assert "Đã đính kèm «Quyết định.pdf» (PDF, 0,1 KB)" in first.output  # type: ignore[attr-defined]
    assert sha in first.output  # type: ignore[attr-defined]
    again = _add(db, path)
    assert "không lưu thêm" in again.output  # type: ignore[attr-defined]
    listed = run("--db", db, "evidence", "list", CID, "a")
    assert listed.exit_code == 0
    assert "tự đánh giá" in listed.output and "21/11/2018 00:00" in listed.output
    doc = json.loads(run("--db", db, "evidence", "list", CID, "--json").output)
    assert [(d["unit"], d["node"], d["sha256"], d["at"]) for d in doc] == [
        ("a", "1.1", sha, "2018-11-20T17:00:00+00:00")
    ]


def test_a_file_refused_by_content_exits_1_naming_it(db: str, tmp_path: Path) -> None:
    """A Word file named .pdf is refused with the reason and the file's name, exit 1, no
    traceback, nothing listed."""
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(files.DOCX)
    result = _add(db, path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "bao-cao.pdf" in result.output and "Word/Excel" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert "Chưa có tệp đính kèm." in run("--db", db, "evidence", "list", CID).output


def test_add_and_list_in_english_on_lang_en(db: str, tmp_path: Path) -> None:
    """With --lang en the same commands say it in English: the stage, the size with a decimal
    point, no Vietnamese words left."""
    path = tmp_path / "decision.png"
    path.write_bytes(files.png())
    added = run("--lang", "en", "--db", db, "--actor", "canbo", "--at", "2018-11-21",
                "evidence", "add", CID, "a", "1.1", str(path))  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Attached «decision.png» (PNG, 0." in added.output
    assert "to item 1.1 of unit a (self-assessment)" in added.output
    listed = run("--lang", "en", "--db", db, "evidence", "list", CID)
    assert "Evidence files attached — mini-2018: 1 file(s)" in listed.output
    assert "item 1.1 (self-assessment)" in listed.output and "21/11/2018 00:00" in listed.output
    for word in ("tiêu chí", "tự đánh giá", "Đã đính kèm", "tệp"):
        assert word not in added.output + listed.output
    empty = run("--lang", "en", "--db", db, "evidence", "list", CID, "b")
    assert "No files attached yet." in empty.output
