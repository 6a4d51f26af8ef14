"""Opening a campaign: its index registered, its schedule checked, its units added, its status.

Every function here is one transaction and writes its audit entry inside it: a change and its
audit record are stored together or not at all. Inputs are validated against the campaign's
index before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.campaign.submission import CampaignFile, Schedule, UnitSpec
from scoring.errors import (
    Location,
    SubmissionError,
    WorkflowError,
    suggest,
)
from scoring.index.fields import SLUG_PATTERN, SLUG_RULE
from scoring.index.loader import Index, load_index, read_sources
from scoring.sources import clock
from scoring.sources.text import nfc
from scoring.store import audit
from scoring.store.db import Store
from scoring.store.schema import CampaignRow, IndexVersion, UnitRow
from scoring.store.stored import campaign_row, index_for, stamp, units_of

LATE_POLICIES = ("flag", "refuse")
_ID = re.compile(SLUG_PATTERN)


def register_index(session: Session, criteria: Path, rules: Path | None, at: str) -> Index:
    """Store the index texts (once per content hash) and return the compiled index."""
    index = load_index(criteria, rules)
    if session.get(IndexVersion, index.content_hash) is None:
        criteria_text, rule_texts = read_sources(criteria, rules)
        session.add(
            IndexVersion(
                content_hash=index.content_hash,
                index_id=index.id,
                year=index.meta.year,
                criteria_text=criteria_text,
                rules_json=audit.canonical(rule_texts),
                created_at=at,
            )
        )
        session.flush()
    return index


def create(
    store: Store,
    cid: str,
    year: int,
    criteria: Path,
    rules: Path | None,
    *,
    schedule: Schedule | None = None,
    late: str = "flag",
    time_zone: str = clock.DEFAULT_ZONE,
    units: Sequence[UnitSpec] = (),
    actor: str,
    now: dt.datetime,
) -> CampaignRow:
    """Open a new campaign on an index (registered if new), with its units if given; its
    deadlines are kept in the IANA zone ``time_zone``."""
    at = stamp(now)
    with store.transaction() as s:
        row = _create(
            s, cid, year, criteria, rules, schedule or Schedule(), late, actor, at, time_zone
        )
        if units:
            add_units(s, cid, list(units), index_for(s, row.index_hash), actor, at)
        return row


def _create(
    s: Session,
    cid: str,
    year: int,
    criteria: Path,
    rules: Path | None,
    schedule: Schedule,
    late: str,
    actor: str,
    at: str,
    time_zone: str = clock.DEFAULT_ZONE,
) -> CampaignRow:
    clock.zone(time_zone, Location("--time-zone"))
    _check_opening(cid, year, schedule, late)
    if s.get(CampaignRow, cid) is not None:
        raise WorkflowError(f"campaign {cid!r} already exists")
    index = register_index(s, criteria, rules, at)
    if index.meta.year != year:
        raise WorkflowError(
            f"campaign {cid} is for {year}, but index {index.id} is for {index.meta.year}"
        )
    due = schedule.self_assessment_due
    row = CampaignRow(
        id=cid,
        year=year,
        index_hash=index.content_hash,
        state="open",
        self_assessment_due=due.isoformat() if due else None,
        explanation_due=schedule.explanation_due.isoformat() if schedule.explanation_due else None,
        late_submission=late,
        created_at=at,
        time_zone=time_zone,
    )
    s.add(row)
    s.flush()
    audit.record(
        s,
        at=at,
        actor=actor,
        action="campaign.create",
        campaign=cid,
        detail={
            "year": year,
            "index": index.id,
            "index_hash": index.content_hash,
            "late_submission": late,
            "self_assessment_due": row.self_assessment_due,
            "explanation_due": row.explanation_due,
            "time_zone": time_zone,
        },
    )
    return row


def _check_opening(cid: str, year: int, schedule: Schedule, late: str) -> None:
    """Refuse a campaign id that is no id, an unknown late policy, a deadline outside the year
    assessed and the next, or an explanation deadline before the self-assessment deadline
    (whichever door they came through: options, campaign.yaml, the API)."""
    if not _ID.fullmatch(cid):
        raise SubmissionError(f"campaign id {cid!r} is not an id: {SLUG_RULE}")
    if late not in LATE_POLICIES:
        raise SubmissionError(
            f"late submissions: {late!r} is not one of {', '.join(LATE_POLICIES)}",
            suggestion=suggest(late, LATE_POLICIES),
        )
    due, explain = schedule.self_assessment_due, schedule.explanation_due
    for what, day in (("self-assessment", due), ("explanation", explain)):
        if day is not None and day.year not in (year, year + 1):
            raise SubmissionError(
                f"the {what} deadline {day} is not in {year} (the year assessed) or {year + 1}"
            )
    if due and explain and explain < due:
        raise SubmissionError(
            f"the explanation deadline {explain} is before the self-assessment deadline {due}"
        )


def add_units(
    s: Session, cid: str, units: list[UnitSpec], index: Index, actor: str, at: str
) -> None:
    """Register units in a campaign (their groups checked against the index); units already
    in it are left as they are, new ones are placed after them."""
    rows = units_of(s, cid)
    existing = {u.unit_id for u in rows}
    after = max((u.position for u in rows), default=-1) + 1
    for pos, u in enumerate(units):
        if u.group not in index.groups:
            raise SubmissionError(
                f"unit {u.id}: unknown group {u.group!r}; the index has "
                f"{', '.join(sorted(index.groups))}",
                Location("store"),
                suggest(u.group, index.groups),
            )
        if u.id in existing:
            continue
        s.add(
            UnitRow(
                campaign_id=cid,
                unit_id=u.id,
                position=after + pos,
                name=nfc(u.name),
                group_id=u.group,
                tags_json=json.dumps(sorted(u.tags)),
                ranked=u.ranked,
                valid_from=u.valid_from.isoformat() if u.valid_from else None,
                valid_to=u.valid_to.isoformat() if u.valid_to else None,
                predecessors_json=json.dumps(list(u.predecessors)),
            )
        )
        detail: dict[str, Any] = {"name": nfc(u.name), "group": u.group, "tags": sorted(u.tags)}
        # the register's facts, only when the unit has them (older entries keep their shape)
        if u.valid_from or u.valid_to:
            detail["valid"] = [str(u.valid_from or ""), str(u.valid_to or "")]
        if u.predecessors:
            detail["predecessors"] = list(u.predecessors)
        audit.record(
            s, at=at, actor=actor, action="unit.add", campaign=cid, unit=u.id, detail=detail
        )
    s.flush()


def record_ended(s: Session, spec: CampaignFile, actor: str, at: str) -> None:
    """Store the ``ended:`` list of a campaign file (the register's units of earlier years
    with no successor) when it differs from the one stored, with its audit entry."""
    camp = campaign_row(s, spec.id, lock=True)
    ended = audit.canonical([e.model_dump(mode="json", exclude_none=True) for e in spec.ended])
    if ended == camp.ended_json:
        return
    camp.ended_json = ended
    s.add(camp)
    audit.record(
        s,
        at=at,
        actor=actor,
        action="campaign.ended",
        campaign=spec.id,
        detail={"ended": [e.id for e in spec.ended]},
    )


def create_from_spec(s: Session, spec: CampaignFile, folder: Path, actor: str, at: str) -> None:
    """Open the campaign a folder's ``campaign.yaml`` describes (its index and packs read
    from the folder), inside the caller's transaction."""
    if not spec.index:
        raise SubmissionError(
            "campaign.yaml must name its index (index: criteria.yaml)",
            Location(str(folder / "campaign.yaml")),
        )
    rules = folder / spec.rules if spec.rules else None
    _create(
        s,
        spec.id,
        spec.year,
        folder / spec.index,
        rules,
        spec.schedule,
        spec.late_submission,
        actor,
        at,
        spec.time_zone,
    )


def status(store: Store, cid: str) -> dict[str, Any]:
    """The campaign's state, deadlines and each unit's state."""
    with store.read() as s:
        camp = campaign_row(s, cid)
        index = index_for(s, camp.index_hash)
        docs = {k for (kind, k) in _doc_keys(s, cid) if kind == "unit"}
        return {
            "campaign": camp.id,
            "year": camp.year,
            "state": camp.state,
            "index": index.id,
            "index_hash": camp.index_hash,
            "self_assessment_due": camp.self_assessment_due,
            "explanation_due": camp.explanation_due,
            "late_submission": camp.late_submission,
            "time_zone": camp.time_zone,
            "created_at": camp.created_at,
            "units": [
                {
                    "unit_id": u.unit_id,
                    "name": u.name,
                    "group": u.group_id,
                    "state": u.state,
                    "late": u.late,
                    "submitted_at": u.submitted_at,
                    "version": u.version,
                    "self_assessment": u.unit_id in docs,
                }
                for u in units_of(s, cid)
            ],
        }


def _doc_keys(s: Session, cid: str) -> list[tuple[str, str]]:
    from scoring.store.stored import documents

    return list(documents(s, cid))
