"""The tamper-evident audit log: every change appended, each entry hashing the one before.

``record`` appends an entry inside the caller's transaction, so an entry exists exactly when
its change does. ``verify`` recomputes the chain: an edited entry no longer matches its hash, a
deleted one breaks the link of the next entry (or the stored head, for the newest ones).
There is no function that edits or deletes an entry.

Each entry holds two times: ``at``, when the change takes effect (``--at`` when replaying a
past year), and ``written_at``, the machine's clock when it was stored. Entries written
before migration 0003 have no ``written_at`` and their hash does not cover it, so the chain
stays verifiable; every newer entry's hash does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from scoring.sources import clock
from scoring.store.db import Store
from scoring.store.schema import AuditHead, AuditRow

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, Unicode kept (hashes depend on it)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev: str, row: AuditRow) -> str:
    """The hash of an entry: over the previous hash and every field of the entry (an entry
    from before migration 0003, without ``written_at``, hashes as it did then)."""
    fields: dict[str, Any] = {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "campaign": row.campaign_id,
        "unit": row.unit_id,
        "node": row.node_id,
        "detail": row.detail_json,
        "prev": prev,
    }
    if row.written_at is not None:
        fields["written_at"] = row.written_at
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def record(
    session: Session,
    *,
    at: str,
    actor: str,
    action: str,
    campaign: str | None = None,
    unit: str | None = None,
    node: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditRow:
    """Append one entry to the chain (in the caller's transaction), effective ``at`` and
    written now by the machine's clock."""
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    row = AuditRow(
        seq=head.seq + 1,
        at=at,
        written_at=clock.system_now().isoformat(timespec="seconds"),
        actor=actor,
        action=action,
        campaign_id=campaign,
        unit_id=unit,
        node_id=node,
        detail_json=canonical(detail or {}),
        prev_hash=head.hash,
        hash="",
    )
    row.hash = entry_hash(head.hash, row)
    session.add(row)
    head.seq, head.hash = row.seq or 0, row.hash
    session.add(head)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks and how."""

    seq: int
    problem: str


def verify(session: Session) -> tuple[int, list[ChainProblem]]:
    """(entries checked, problems found) for the whole chain."""
    problems: list[ChainProblem] = []
    prev, expected_seq, count = GENESIS, 1, 0
    for row in session.exec(select(AuditRow).order_by(col(AuditRow.seq))):
        count += 1
        seq = row.seq or 0
        if seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq, f"entries {expected_seq}–{seq - 1} are missing (deleted)"
                )
            )
        if row.prev_hash != prev:
            problems.append(ChainProblem(seq, "does not link to the entry before it"))
        if entry_hash(row.prev_hash, row) != row.hash:
            problems.append(ChainProblem(seq, "was changed after it was written (hash mismatch)"))
        prev, expected_seq = row.hash, seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        problems.append(
            ChainProblem(
                head.seq,
                f"the newest entries after {expected_seq - 1} are "
                "missing (the chain head records a later entry)",
            )
        )
    return count, problems


def check(store: Store) -> tuple[int, list[ChainProblem]]:
    """``verify`` of a store's whole chain, in one read."""
    with store.read() as s:
        return verify(s)


def newest(
    s: Session, campaign: str | None, unit: str | None, node: str | None, limit: int
) -> list[AuditRow]:
    """The newest ``limit`` rows (of a campaign, a unit, a node when given), oldest first."""
    q = select(AuditRow)
    for column, value in (
        (AuditRow.campaign_id, campaign),
        (AuditRow.unit_id, unit),
        (AuditRow.node_id, node),
    ):
        if value is not None:
            q = q.where(column == value)
    return list(s.exec(q.order_by(col(AuditRow.seq).desc()).limit(limit)))[::-1]


def entries(
    store: Store,
    *,
    campaign: str | None = None,
    unit: str | None = None,
    node: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The newest ``limit`` entries (of a campaign, a unit, a node), oldest first, as plain
    data: who did what, when written and when effective, where, and the detail."""
    with store.read() as s:
        rows = newest(s, campaign, unit, node, limit)
    return [
        {
            "seq": r.seq,
            "written_at": r.written_at,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "campaign": r.campaign_id,
            "unit": r.unit_id,
            "node": r.node_id,
            "detail": json.loads(r.detail_json),
        }
        for r in rows
    ]
