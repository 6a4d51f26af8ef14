"""Evidence documents: files attached to a leaf of a unit, kept in the store by their content.

An officer attaches scanned decisions, reports and photos to a leaf of the unit's
self-assessment (stage ``answers``, while the form is editable), or to an item its explanation
answers (stage ``explanation``, in the explanation window, before its deadline). The type is
read from the bytes (``sources.filetypes``); the bytes are kept once per SHA-256 in the
``evidence_blob`` table however many leaves or units attach them, and each attachment is a row
of ``evidence_file`` with its name, size, type, uploader and time.

Why in the database and not in a folder beside it: one backup (the SQLite file, or
``pg_dump``) holds the files with the scores that cite them; a PostgreSQL install with several
web servers shares them with no shared disk; and a file is stored in the same transaction as
its audit entry, so there is never a file without its entry or an entry without its file.

Every attachment and removal writes an audit entry (``evidence.add``, ``evidence.remove``)
with the file's hash, name, size and type. A removal deletes the bytes only when no other
attachment uses them. Once the unit submits (or its explanation window closes) the workflow no
longer lets its files change: they are frozen with what was submitted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from scoring.errors import SubmissionError, WorkflowError, suggest
from scoring.sources import clock, filetypes
from scoring.sources.filetypes import Bilingual
from scoring.store import audit, workflow
from scoring.store.db import Store
from scoring.store.schema import (
    AppraisalRow,
    CampaignRow,
    EvidenceBlob,
    EvidenceFile,
    UnitRow,
)
from scoring.store.stored import campaign_row, index_for, stamp, unit_row

STAGES = ("answers", "explanation")
MAX_PER_LEAF = 20  # files of one leaf at one stage


class EvidenceClosed(Bilingual, WorkflowError):
    """The unit's files cannot change now (submitted, window closed, deadline passed)."""


class EvidenceInvalid(Bilingual, SubmissionError):
    """The attachment names no leaf of the unit, or an item it may not explain."""


@dataclass(frozen=True)
class Attachment:
    """One attached file as the pages and the CLI list it (without its bytes)."""

    id: int
    campaign: str
    unit: str
    node: str
    stage: str
    sha256: str
    name: str
    size: int
    media_type: str
    uploader: str
    at: str


def _record(row: EvidenceFile) -> Attachment:
    return Attachment(
        row.id or 0,
        row.campaign_id,
        row.unit_id,
        row.node_id,
        row.stage,
        row.sha256,
        row.name,
        row.size,
        row.media_type,
        row.uploader,
        row.at,
    )


def _changed_in_round_1(s: Session, cid: str, uid: str) -> set[str]:
    return set(
        s.exec(
            select(AppraisalRow.node_id).where(
                AppraisalRow.campaign_id == cid,
                AppraisalRow.unit_id == uid,
                AppraisalRow.round == "1",
            )
        )
    )


def check_open(
    s: Session, camp: CampaignRow, unit: UnitRow, node: str, stage: str, now: dt.datetime
) -> None:
    """Refuse a change to the files of ``node`` at ``stage`` that the workflow does not allow
    now: answers' files only while the self-assessment is editable, an explanation's only in
    the window, before its deadline, for an item round 1 changed."""
    if stage not in STAGES:
        raise EvidenceInvalid(
            f"Giai đoạn {stage!r} không có; chọn answers hoặc explanation",
            f"No stage {stage!r}; choose answers or explanation",
        )
    what = "answers" if stage == "answers" else "explanation"
    if not workflow.editable(what, unit.state, camp.state):
        raise EvidenceClosed(
            "Không thể thay đổi tài liệu lúc này: "
            + ("bản tự đánh giá đã nộp hoặc kỳ đánh giá không còn mở"
               if stage == "answers" else "không trong thời gian giải trình"),
            f"Files cannot change now: the unit is {unit.state} and the campaign {camp.state}",
        )  # fmt: skip
    if stage == "explanation":
        if clock.is_late(now, camp.explanation_due, camp.time_zone):
            raise EvidenceClosed(
                f"Đã hết hạn giải trình ({clock.show(camp.explanation_due)})",
                f"The explanation deadline {clock.show(camp.explanation_due)} has passed",
            )
        changed = _changed_in_round_1(s, camp.id, unit.unit_id)
        if node not in changed:
            raise EvidenceInvalid(
                f"Tiêu chí {node} không bị điều chỉnh ở vòng 1: không có gì để giải trình",
                f"Item {node} was not changed in round 1: there is nothing to explain",
                suggestion=suggest(node, changed),
            )


def _check_leaf(s: Session, camp: CampaignRow, unit: UnitRow, node: str) -> None:
    leaves = index_for(s, camp.index_hash).groups[unit.group_id].leaves
    if node not in leaves:
        raise EvidenceInvalid(
            f"Không có tiêu chí thành phần {node!r} trong nhóm của đơn vị",
            f"No leaf {node!r} in the unit's group",
            suggestion=suggest(node, leaves),
        )


def _keep_bytes(s: Session, sha: str, data: bytes, media_type: str, at: str) -> bool:
    """Store the bytes unless they are there; whether they were new. An insert that does
    nothing on a conflict: two units uploading the same scan at once both succeed."""
    if s.get(EvidenceBlob, sha) is not None:
        return False
    values = {
        "sha256": sha,
        "size": len(data),
        "media_type": media_type,
        "data": data,
        "created_at": at,
    }
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    s.execute(insert(EvidenceBlob).values(**values).on_conflict_do_nothing())
    return True


def attach(
    store: Store,
    cid: str,
    uid: str,
    node: str,
    data: bytes,
    name: str,
    *,
    stage: str = "answers",
    actor: str,
    now: dt.datetime,
) -> tuple[Attachment, bool]:
    """Attach the file ``data`` (called ``name`` on the uploader's computer) to leaf ``node``
    of unit ``uid``; (the attachment, whether it is new). The same content already attached
    to this leaf at this stage is not attached again (nothing changes)."""
    media_type = filetypes.sniff(data, name)
    sha = hashlib.sha256(data).hexdigest()
    at = stamp(now)
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)  # a submission waits for the upload, or wins
        _check_leaf(s, camp, unit, node)
        check_open(s, camp, unit, node, stage, now)
        same = select(EvidenceFile).where(
            EvidenceFile.campaign_id == cid,
            EvidenceFile.unit_id == uid,
            EvidenceFile.node_id == node,
            EvidenceFile.stage == stage,
        )
        present = list(s.exec(same))
        for row in present:
            if row.sha256 == sha:
                return _record(row), False
        if len(present) >= MAX_PER_LEAF:
            raise EvidenceInvalid(
                f"Tiêu chí {node} đã có {MAX_PER_LEAF} tệp, là mức tối đa",
                f"Leaf {node} already has {MAX_PER_LEAF} files, the most it may have",
            )
        new_bytes = _keep_bytes(s, sha, data, media_type, at)
        row = EvidenceFile(
            campaign_id=cid,
            unit_id=uid,
            node_id=node,
            stage=stage,
            sha256=sha,
            name=filetypes.safe_name(name, media_type),
            size=len(data),
            media_type=media_type,
            uploader=actor,
            at=at,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            at=at,
            actor=actor,
            action="evidence.add",
            campaign=cid,
            unit=uid,
            node=node,
            detail={
                "file": row.id,
                "sha256": sha,
                "name": row.name,
                "size": row.size,
                "type": media_type,
                "stage": stage,
                "stored": new_bytes,  # False: the same content was already in the store
            },
        )
        return _record(row), True


def remove(
    store: Store, cid: str, uid: str, file_id: int, *, actor: str, now: dt.datetime
) -> Attachment:
    """Detach file ``file_id`` from unit ``uid`` while its stage is editable; its bytes are
    deleted only when no other attachment (of any unit or campaign) uses them."""
    at = stamp(now)
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)
        row = s.get(EvidenceFile, file_id)
        if row is None or (row.campaign_id, row.unit_id) != (cid, uid):
            raise EvidenceInvalid(
                f"Đơn vị {uid} không có tệp số {file_id}",
                f"Unit {uid} has no file {file_id}",
            )
        check_open(s, camp, unit, row.node_id, row.stage, now)
        gone = _record(row)
        s.delete(row)
        s.flush()
        others = s.exec(
            select(func.count()).select_from(EvidenceFile).where(EvidenceFile.sha256 == gone.sha256)
        ).one()
        if not others:
            blob = s.get(EvidenceBlob, gone.sha256)
            if blob is not None:
                s.delete(blob)
        audit.record(
            s,
            at=at,
            actor=actor,
            action="evidence.remove",
            campaign=cid,
            unit=uid,
            node=gone.node,
            detail={
                "file": gone.id,
                "sha256": gone.sha256,
                "name": gone.name,
                "stage": gone.stage,
                "deleted": not others,  # False: another attachment still uses the content
            },
        )
        return gone


def listing(store: Store, cid: str, uid: str | None = None) -> list[Attachment]:
    """The files attached in campaign ``cid`` (to unit ``uid`` only, if given), by unit, leaf,
    stage and the order they were attached."""
    q = select(EvidenceFile).where(EvidenceFile.campaign_id == cid)
    if uid is not None:
        q = q.where(EvidenceFile.unit_id == uid)
    order = (EvidenceFile.unit_id, EvidenceFile.node_id, EvidenceFile.stage, EvidenceFile.id)
    with store.read() as s:
        return [_record(r) for r in s.exec(q.order_by(*(col(c) for c in order)))]


def content(store: Store, cid: str, uid: str, file_id: int) -> tuple[Attachment, bytes] | None:
    """File ``file_id`` of unit ``uid`` with its bytes, or None when the unit has no such
    file (one unit's file is never found through another unit's address)."""
    with store.read() as s:
        row = s.get(EvidenceFile, file_id)
        if row is None or (row.campaign_id, row.unit_id) != (cid, uid):
            return None
        blob = s.get(EvidenceBlob, row.sha256)
        if blob is None:  # the foreign key forbids it; an edited database is not served
            return None
        return _record(row), bytes(blob.data)
