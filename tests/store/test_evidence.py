"""Evidence files in the store: kept once per content, audited with their hash, refused by
content with nothing stored, frozen with the submission, explanations' own files in their
window; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from scoring.sources.filetypes import FileRefused
from scoring.store import audit, evidence, moves
from scoring.store.appraisal import AppraisalChange, appraise
from scoring.store.db import Store
from scoring.store.evidence import EvidenceClosed, EvidenceInvalid
from scoring.store.schema import AuditRow, EvidenceBlob, EvidenceFile
from tests.support import files
from tests.support.stores import at

CID = "mini-2018"
NOW = at("2018-11-20")


def _entries(st: Store, action: str) -> list[AuditRow]:
    with st.read() as s:
        return list(s.exec(select(AuditRow).where(AuditRow.action == action)))


def _count(st: Store, table: Any) -> int:
    with st.read() as s:
        return len(list(s.exec(select(table))))


def test_a_file_is_attached_with_its_hash_in_the_audit_log(opened: Store) -> None:
    """An attached PDF is listed under its leaf with name, size, type and uploader, and its
    audit entry holds its SHA-256, name, size and type; the chain still verifies."""
    data = files.pdf()
    found, new = evidence.attach(
        opened, CID, "a", "1.1", data, "QĐ 12.pdf", actor="canbo-a", now=NOW
    )
    assert new
    assert evidence.listing(opened, CID, "a") == [found]
    assert (found.node, found.stage, found.name, found.size, found.media_type, found.uploader) == (
        "1.1",
        "answers",
        "QĐ 12.pdf",
        len(data),
        "application/pdf",
        "canbo-a",
    )
    (entry,) = _entries(opened, "evidence.add")
    detail = json.loads(entry.detail_json)
    assert detail["sha256"] == hashlib.sha256(data).hexdigest() == found.sha256
    assert (detail["name"], detail["size"], detail["type"], detail["stored"]) == (
        "QĐ 12.pdf",
        len(data),
        "application/pdf",
        True,
    )
    assert (entry.actor, entry.unit_id, entry.node_id) == ("canbo-a", "a", "1.1")
    assert evidence.content(opened, CID, "a", found.id) == (found, data)
    assert audit.check(opened)[1] == []


def test_the_same_content_is_stored_once(opened: Store) -> None:
    """One scan attached to two leaves and two units is one blob; attached again to the
    same leaf it changes nothing at all."""
    data = files.png()
    first, _ = evidence.attach(opened, CID, "a", "1.1", data, "x.png", actor="u", now=NOW)
    evidence.attach(opened, CID, "a", "1.2", data, "y.png", actor="u", now=NOW)
    evidence.attach(opened, CID, "b", "1.1", data, "z.png", actor="v", now=NOW)
    entries = len(_entries(opened, "evidence.add"))
    again, new = evidence.attach(opened, CID, "a", "1.1", data, "w.png", actor="u", now=NOW)
    assert (again, new) == (first, False)
    assert _count(opened, EvidenceBlob) == 1 and _count(opened, EvidenceFile) == 3
    stored = [json.loads(e.detail_json)["stored"] for e in _entries(opened, "evidence.add")]
    assert stored == [True, False, False] and len(stored) == entries


@pytest.mark.parametrize("data", [files.DOCX, files.TEXT, files.pdf()[:-8], b""])
def test_a_refused_file_stores_nothing(opened: Store, data: bytes) -> None:
    """A file refused by its content leaves no blob, no attachment and no audit entry."""
    before = len(_entries(opened, "evidence.add"))
    with pytest.raises(FileRefused):
        evidence.attach(opened, CID, "a", "1.1", data, "ho-so.pdf", actor="u", now=NOW)
    assert _count(opened, EvidenceBlob) == _count(opened, EvidenceFile) == 0
    assert len(_entries(opened, "evidence.add")) == before


def test_an_unknown_leaf_is_refused_with_the_nearest(opened: Store) -> None:
    """A leaf that is not in the unit's group is refused with a suggestion; nothing stored."""
    with pytest.raises(EvidenceInvalid) as caught:
        evidence.attach(opened, CID, "a", "1.11", files.pdf(), "a.pdf", actor="u", now=NOW)
    assert caught.value.suggestion == "1.1"
    assert _count(opened, EvidenceBlob) == 0


def test_removal_keeps_content_another_attachment_uses(opened: Store) -> None:
    """Removing one of two attachments of the same content keeps the bytes; removing the
    last deletes them; each removal is audited with the hash."""
    data = files.jpeg()
    one, _ = evidence.attach(opened, CID, "a", "1.1", data, "a.jpg", actor="u", now=NOW)
    two, _ = evidence.attach(opened, CID, "b", "1.2", data, "b.jpg", actor="v", now=NOW)
    assert evidence.remove(opened, CID, "a", one.id, actor="u", now=NOW) == one
    assert _count(opened, EvidenceBlob) == 1
    assert evidence.content(opened, CID, "b", two.id) == (two, data)
    evidence.remove(opened, CID, "b", two.id, actor="v", now=NOW)
    assert _count(opened, EvidenceBlob) == _count(opened, EvidenceFile) == 0
    details = [json.loads(e.detail_json) for e in _entries(opened, "evidence.remove")]
    assert [(d["sha256"], d["deleted"]) for d in details] == [
        (one.sha256, False),
        (two.sha256, True),
    ]
    assert audit.check(opened)[1] == []


def test_a_file_is_only_found_through_its_own_unit(opened: Store) -> None:
    """Another unit's address finds nothing, and removing through it is refused."""
    mine, _ = evidence.attach(opened, CID, "a", "1.1", files.pdf(), "a.pdf", actor="u", now=NOW)
    assert evidence.content(opened, CID, "b", mine.id) is None
    assert evidence.content(opened, CID, "a", mine.id + 1) is None
    with pytest.raises(EvidenceInvalid):
        evidence.remove(opened, CID, "b", mine.id, actor="v", now=NOW)
    assert _count(opened, EvidenceFile) == 1


def test_files_are_frozen_with_the_submission(opened: Store) -> None:
    """After the unit submits, its files can neither be added nor removed."""
    mine, _ = evidence.attach(opened, CID, "a", "1.1", files.pdf(), "a.pdf", actor="u", now=NOW)
    moves.submit(opened, CID, "a", actor="u", now=NOW)
    with pytest.raises(EvidenceClosed) as caught:
        evidence.attach(opened, CID, "a", "1.2", files.png(), "b.png", actor="u", now=NOW)
    assert "đã nộp" in caught.value.text("vi")
    with pytest.raises(EvidenceClosed):
        evidence.remove(opened, CID, "a", mine.id, actor="u", now=NOW)
    assert evidence.listing(opened, CID, "a") == [mine]


def _to_explanation(st: Store) -> None:
    """Every unit submits, round 1 changes a's 1.4, a reaches its explanation window."""
    for uid in ("a", "b", "c"):
        moves.submit(st, CID, uid, actor="u", now=NOW)
    moves.advance_campaign(st, CID, "appraisal", actor="snv", now=NOW)
    change = AppraisalChange("1.4", Decimal("6"), "Số liệu khác Cổng dịch vụ công", "tđ")
    appraise(st, CID, "a", "1", [change], actor="td", now=at("2018-12-05"))
    for target in ("appraised_1", "explanation"):
        moves.advance_unit(st, CID, "a", target, actor="td", now=at("2018-12-05"))


def test_an_explanation_carries_its_own_files_in_its_window(opened: Store) -> None:
    """In the explanation window the unit attaches files to an item round 1 changed (stage
    explanation); not to another item, not after the deadline, and not to its answers."""
    _to_explanation(opened)
    when = at("2018-12-10")
    own, new = evidence.attach(
        opened, CID, "a", "1.4", files.pdf("Báo cáo"), "bc.pdf",
        stage="explanation", actor="u", now=when,
    )  # fmt: skip
    assert new and own.stage == "explanation"
    with pytest.raises(EvidenceInvalid, match=r"1\.1"):
        evidence.attach(
            opened, CID, "a", "1.1", files.pdf(), "x.pdf", stage="explanation", actor="u", now=when
        )
    with pytest.raises(EvidenceClosed):
        evidence.attach(opened, CID, "a", "1.4", files.pdf(), "x.pdf", actor="u", now=when)
    with pytest.raises(EvidenceClosed, match="12/12/2018"):
        evidence.attach(
            opened, CID, "a", "1.4", files.png(), "x.png", stage="explanation", actor="u",
            now=at("2018-12-13"),
        )  # fmt: skip
    moves.advance_unit(opened, CID, "a", "appraised_2", actor="td", now=when)
    with pytest.raises(EvidenceClosed):
        evidence.remove(opened, CID, "a", own.id, actor="u", now=when)
    assert evidence.listing(opened, CID, "a") == [own]
