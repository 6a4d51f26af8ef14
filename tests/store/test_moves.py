"""Workflow moves (``store.moves``): what a unit's submission records in the audit log."""

from __future__ import annotations

import json

from sqlmodel import select

from scoring.store import audit, bulk, evidence, moves
from scoring.store.db import Store
from scoring.store.schema import AuditRow
from tests.support import files
from tests.support.stores import at

CID = "mini-2018"
NOW = at("2018-11-20")


def _submit_details(st: Store) -> dict[str, dict[str, object]]:
    with st.read() as s:
        rows = s.exec(select(AuditRow).where(AuditRow.action == "unit.submit"))
        return {r.unit_id or "": json.loads(r.detail_json) for r in rows}


def test_the_submit_entry_lists_the_files_it_freezes(opened: Store) -> None:
    """A unit's submission entry names every file of its self-assessment (item, name,
    SHA-256), a file removed before submitting is not among them, and the chain verifies."""
    pdf, _ = evidence.attach(opened, CID, "a", "1.2", files.pdf(), "QĐ 12.pdf", actor="u", now=NOW)
    png, _ = evidence.attach(opened, CID, "a", "1.1", files.png(), "ảnh.png", actor="u", now=NOW)
    gone, _ = evidence.attach(opened, CID, "a", "1.1", files.jpeg(), "x.jpg", actor="u", now=NOW)
    evidence.remove(opened, CID, "a", gone.id, actor="u", now=NOW)
    evidence.attach(opened, CID, "b", "1.1", files.jpeg(), "b.jpg", actor="v", now=NOW)
    moves.submit(opened, CID, "a", actor="u", now=NOW)
    detail = _submit_details(opened)["a"]
    assert detail["files"] == [
        {"id": png.id, "item": "1.1", "name": "ảnh.png", "sha256": png.sha256},
        {"id": pdf.id, "item": "1.2", "name": "QĐ 12.pdf", "sha256": pdf.sha256},
    ]
    assert audit.check(opened)[1] == []


def test_a_submission_without_files_says_so_and_bulk_lists_them_too(opened: Store) -> None:
    """A unit that attached nothing submits with an empty file list; a unit submitted with
    others in one bulk move lists its own files only."""
    mine, _ = evidence.attach(opened, CID, "c", "1.1", files.pdf(), "c.pdf", actor="w", now=NOW)
    moves.submit(opened, CID, "a", actor="u", now=NOW)
    plan = bulk.submit_all(opened, CID, actor="snv", now=NOW)
    assert sorted(plan.ids) == ["b", "c"]
    details = _submit_details(opened)
    assert details["a"]["files"] == [] and details["b"]["files"] == []
    assert details["c"]["files"] == [
        {"id": mine.id, "item": "1.1", "name": "c.pdf", "sha256": mine.sha256}
    ]
