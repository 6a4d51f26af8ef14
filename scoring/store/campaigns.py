"""Opening a campaign and filling it: create, import units and files, submit, move states.

Every function here is one transaction and writes its audit entry inside it: a change and its
audit record are stored together or not at all. Inputs are validated against the campaign's
index before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.campaign.submission import (
    CampaignFile,
    Schedule,
    Submission,
    UnitSpec,
    _read_campaign,
    prepare,
    read_unit_text,
    stored_unit_text,
)
from scoring.campaign.surveys import check_source, merged, stored_units
from scoring.errors import (
    ErrorList,
    Location,
    ParindexError,
    SubmissionError,
    WorkflowError,
    suggest,
)
from scoring.index.fields import SLUG_PATTERN, SLUG_RULE
from scoring.index.loader import Index, load_index, read_sources
from scoring.sources import clock
from scoring.sources.text import nfc
from scoring.sources.yamlsrc import is_dir, read_text
from scoring.store import audit, workflow
from scoring.store.db import Store
from scoring.store.schema import CampaignRow, DocumentRow, IndexVersion, UnitRow
from scoring.store.stored import bump, campaign_row, index_for, sha256, stamp, unit_row, units_of

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
            )
        )
        audit.record(
            s,
            at=at,
            actor=actor,
            action="unit.add",
            campaign=cid,
            unit=u.id,
            detail={"name": nfc(u.name), "group": u.group, "tags": sorted(u.tags)},
        )
    s.flush()


def _store_document(
    s: Session,
    cid: str,
    kind: str,
    key: str,
    text: str,
    actor: str,
    at: str,
    unit: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    digest = sha256(text)
    row = s.get(DocumentRow, (cid, kind, key))
    before = row.sha256 if row else None
    if row is None:
        row = DocumentRow(
            campaign_id=cid, kind=kind, key=key, text=text, sha256=digest, updated_at=at
        )
    else:
        row.text, row.sha256, row.updated_at = text, digest, at
    s.add(row)
    audit.record(
        s,
        at=at,
        actor=actor,
        action=f"{kind}.import",
        campaign=cid,
        unit=unit,
        detail={"sha256": digest, "replaces": before, **(detail or {})},
    )


def _check_unit_text(
    index: Index, spec: UnitSpec, text: str, name: str
) -> tuple[Submission, list[str]]:
    sub = Submission(spec)
    read_unit_text(text, name, sub)
    return sub, list(prepare(index, sub).warnings)


def _dropped(s: Session, cid: str, uid: str, new: Submission) -> list[str]:
    """What the stored self-assessment of ``uid`` answers that ``new`` leaves out: leaf ids,
    then bonus and penalty ids, each in the stored file's order."""
    row = s.get(DocumentRow, (cid, "unit", uid))
    if row is None:
        return []
    old = Submission(new.unit)
    read_unit_text(row.text, f"store:{cid}/units/{uid}.yaml", old)
    return [k for k in old.answers if k not in new.answers] + [
        k for k in old.adjustments if k not in new.adjustments
    ]


def import_unit(
    store: Store,
    cid: str,
    uid: str,
    text: str,
    name: str,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
    replace: bool = False,
) -> list[str]:
    """Store one unit's self-assessment (while it is a draft); return its warnings.

    ``text`` is YAML, or JSON when ``name`` ends in .json (stored as YAML). A file that leaves
    out answers already stored is refused, naming them, unless ``replace`` is true (the whole
    self-assessment is then the new file's)."""
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)
        workflow.check_editable("answers", uid, unit.state, camp.state)
        index = index_for(s, camp.index_hash)
        sub, warnings = _check_unit_text(index, unit_spec(unit), text, name)
        if not replace and (lost := _dropped(s, cid, uid, sub)):
            raise SubmissionError(
                f"unit {uid}: this file leaves out {len(lost)} answer(s) already stored "
                f"({', '.join(lost)}); importing it would drop them. Add them to the file, "
                "or import with --replace to drop them",
                Location(name),
            )
        stored_text = stored_unit_text(text, name)
        _store_document(s, cid, "unit", uid, stored_text, actor, stamp(now), unit=uid)
        bump(s, unit, expected_version)
        return warnings


def unit_spec(u: UnitRow) -> UnitSpec:
    """The stored unit as a campaign file declares it."""
    return UnitSpec(
        id=u.unit_id, name=u.name, group=u.group_id, tags=json.loads(u.tags_json), ranked=u.ranked
    )


def import_source(
    store: Store,
    cid: str,
    kind: str,
    text: str,
    name: str,
    *,
    actor: str,
    now: dt.datetime,
    replace: bool = False,
) -> list[str]:
    """Store a survey or council file's results (before publication); return the units it
    updated. The whole file is checked first: one bad entry and nothing is stored. The units
    it names take its answers, the others keep theirs; ``replace`` drops every unit it does
    not name."""
    with store.transaction() as s:
        return _import_source(s, cid, kind, text, name, actor, stamp(now), replace)


def _import_source(
    s: Session,
    cid: str,
    kind: str,
    text: str,
    name: str,
    actor: str,
    at: str,
    replace: bool = False,
) -> list[str]:
    camp = campaign_row(s, cid)
    if camp.state == "published":
        raise WorkflowError(f"campaign {cid} is published: its {kind} results are frozen")
    index = index_for(s, camp.index_hash)
    specs = {u.unit_id: unit_spec(u) for u in units_of(s, cid)}
    named = check_source(index, kind, text, name, specs)
    row = s.get(DocumentRow, (cid, kind, ""))
    before = stored_units(row.text) if row is not None else {}
    # the audit names the units changed, not the file's path (a folder moved is the same input)
    _store_document(
        s,
        cid,
        kind,
        "",
        merged(row.text if row is not None else None, text, named, replace),
        actor,
        at,
        detail={
            "mode": "replace" if replace else "merge",
            "updated": sorted(named),
            "dropped": sorted(set(before) - set(named)) if replace else [],
        },
    )
    return list(named)


@dataclass
class ImportReport:
    """What an import stored and what it refused."""

    campaign: str
    created: bool
    stored: list[str] = field(default_factory=list)
    errors: dict[str, list[ParindexError]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def import_folder(store: Store, folder: Path, *, actor: str, now: dt.datetime) -> ImportReport:
    """Create the campaign of a folder if needed, then store every valid unit file and the
    survey and council files, all in one transaction. Invalid unit files are reported."""
    spec, _, _ = _read_campaign(folder)
    folder = folder if is_dir(folder) else folder.parent
    at = stamp(now)
    with store.transaction() as s:
        created = s.get(CampaignRow, spec.id) is None
        if created:
            _create_from_spec(s, spec, folder, actor, at)
        camp = campaign_row(s, spec.id)
        index = index_for(s, camp.index_hash)
        add_units(s, spec.id, spec.units, index, actor, at)
        report = ImportReport(spec.id, created)
        rows = {u.unit_id: u for u in units_of(s, spec.id)}
        for u in spec.units:
            path = folder / (u.file or f"units/{u.id}.yaml")
            try:
                text = read_text(path)
                workflow.check_editable("answers", u.id, rows[u.id].state, camp.state)
                report.warnings += _check_unit_text(index, u, text, str(path))[1]
            except ParindexError as exc:
                report.errors[u.id] = exc.errors if isinstance(exc, ErrorList) else [exc]
                continue
            text = stored_unit_text(text, str(path))
            _store_document(s, spec.id, "unit", u.id, text, actor, at, unit=u.id)
            bump(s, rows[u.id], None)
            report.stored.append(u.id)
        for kind in ("survey", "council"):
            name = getattr(spec, kind)
            if name:
                _import_source(
                    s, spec.id, kind, read_text(folder / name), str(folder / name), actor, at
                )
    return report


def _create_from_spec(s: Session, spec: CampaignFile, folder: Path, actor: str, at: str) -> None:
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


def submit(
    store: Store,
    cid: str,
    uid: str,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> UnitRow:
    """Lock a unit's self-assessment (draft → submitted), enforcing the deadline."""
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)
        workflow.check_unit_move(uid, unit.state, "submitted", camp.state)
        if s.get(DocumentRow, (cid, "unit", uid)) is None:
            raise WorkflowError(f"unit {uid} has no self-assessment to submit")
        # the deadline is a day in the campaign's zone, not in UTC
        late = clock.is_late(now, camp.self_assessment_due, camp.time_zone)
        if late and camp.late_submission == "refuse":
            raise WorkflowError(
                f"unit {uid} submits on {clock.show(now, camp.time_zone)} "
                f"({camp.time_zone}), after the deadline "
                f"{clock.show(camp.self_assessment_due)}: the campaign refuses late files"
            )
        unit.state, unit.late, unit.submitted_at = "submitted", late, stamp(now)
        bump(s, unit, expected_version)
        audit.record(
            s,
            at=stamp(now),
            actor=actor,
            action="unit.submit",
            campaign=cid,
            unit=uid,
            detail={"late": late, "deadline": camp.self_assessment_due},
        )
        return unit


def advance_unit(
    store: Store,
    cid: str,
    uid: str,
    target: str,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> UnitRow:
    """Move a unit to its next workflow state (submission goes through ``submit``)."""
    if target == "submitted":
        return submit(store, cid, uid, actor=actor, now=now, expected_version=expected_version)
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)
        workflow.check_unit_move(uid, unit.state, target, camp.state)
        before, unit.state = unit.state, target
        bump(s, unit, expected_version)
        audit.record(
            s,
            at=stamp(now),
            actor=actor,
            action="unit.advance",
            campaign=cid,
            unit=uid,
            detail={"from": before, "to": target},
        )
        return unit


def advance_campaign(
    store: Store, cid: str, target: str, *, actor: str, now: dt.datetime
) -> CampaignRow:
    """Move the campaign on (open → appraisal → review); publication is ``publish``."""
    if target == "published":
        raise WorkflowError(
            "a campaign is published with `parindex publish`, which stores the results"
        )
    with store.transaction() as s:
        camp = campaign_row(s, cid, lock=True)
        states = {u.unit_id: u.state for u in units_of(s, cid)}
        workflow.check_campaign_move(cid, camp.state, target, states)
        before, camp.state = camp.state, target
        camp.version += 1
        s.add(camp)
        audit.record(
            s,
            at=stamp(now),
            actor=actor,
            action="campaign.advance",
            campaign=cid,
            detail={"from": before, "to": target},
        )
        return camp


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
