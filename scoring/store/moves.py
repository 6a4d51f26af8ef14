"""Moving units and campaigns through the workflow: a unit's submission, a unit's step to the
next state, a campaign's step. ``workflow`` says which moves are allowed; this module makes them,
each in one transaction with its audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from scoring.errors import WorkflowError
from scoring.sources import clock
from scoring.store import audit, workflow
from scoring.store.db import Store
from scoring.store.schema import CampaignRow, DocumentRow, EvidenceFile, UnitRow
from scoring.store.stored import bump, campaign_row, stamp, unit_row, units_of


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
        return submit_in(s, camp, unit, actor=actor, now=now, expected_version=expected_version)


def submit_in(
    s: Session,
    camp: CampaignRow,
    unit: UnitRow,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
    detail: dict[str, Any] | None = None,
) -> UnitRow:
    """``submit`` inside the caller's transaction (``bulk`` submits many units in one);
    ``detail`` is added to the audit entry's. The entry lists the evidence files the
    submission freezes (item, name, SHA-256), so the audit log alone proves what was sent."""
    cid, uid = camp.id, unit.unit_id
    workflow.check_unit_move(uid, unit.state, "submitted", camp.state)
    if s.get(DocumentRow, (cid, "unit", uid)) is None:
        raise WorkflowError(
            f"unit {uid} has no self-assessment to submit",
            vi=f"Đơn vị {uid} chưa có hồ sơ tự đánh giá để nộp",
        )
    # the deadline is a day in the campaign's zone, not in UTC
    late = clock.is_late(now, camp.self_assessment_due, camp.time_zone)
    if late and camp.late_submission == "refuse":
        raise WorkflowError(
            f"unit {uid} submits on {clock.show(now, camp.time_zone)} "
            f"({camp.time_zone}), after the deadline "
            f"{clock.show(camp.self_assessment_due)}: the campaign refuses late files",
            vi=f"Đã hết hạn nộp hồ sơ tự đánh giá ({clock.show(camp.self_assessment_due)}); "
            "kỳ đánh giá này không nhận hồ sơ nộp muộn",
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
        detail={
            "late": late,
            "deadline": camp.self_assessment_due,
            "files": submitted_files(s, cid, uid),
            **(detail or {}),
        },
    )
    return unit


def submitted_files(s: Session, cid: str, uid: str) -> list[dict[str, Any]]:
    """The self-assessment's evidence files of unit ``uid`` as its submission audit entry
    lists them: by item, in the order they were attached, each with its id, name and SHA-256."""
    rows = s.exec(
        select(EvidenceFile)
        .where(
            EvidenceFile.campaign_id == cid,
            EvidenceFile.unit_id == uid,
            EvidenceFile.stage == "answers",
        )
        .order_by(col(EvidenceFile.node_id), col(EvidenceFile.id))
    )
    return [{"id": f.id, "item": f.node_id, "name": f.name, "sha256": f.sha256} for f in rows]


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
        return advance_in(
            s, camp, unit, target, actor=actor, now=now, expected_version=expected_version
        )


def advance_in(
    s: Session,
    camp: CampaignRow,
    unit: UnitRow,
    target: str,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
    detail: dict[str, Any] | None = None,
) -> UnitRow:
    """``advance_unit`` (not a submission) inside the caller's transaction (``bulk`` moves
    many units in one); ``detail`` is added to the audit entry's."""
    workflow.check_unit_move(unit.unit_id, unit.state, target, camp.state)
    before, unit.state = unit.state, target
    bump(s, unit, expected_version)
    audit.record(
        s,
        at=stamp(now),
        actor=actor,
        action="unit.advance",
        campaign=camp.id,
        unit=unit.unit_id,
        detail={"from": before, "to": target, **(detail or {})},
    )
    return unit


def advance_campaign(
    store: Store, cid: str, target: str, *, actor: str, now: dt.datetime
) -> CampaignRow:
    """Move the campaign on (open → appraisal → review); publication is ``publish``."""
    if target == "published":
        raise WorkflowError(
            "a campaign is published with `parindex publish`, which stores the results",
            vi="Kỳ đánh giá được công bố bằng nút «Công bố» (lệnh `parindex publish`), "
            "để kết quả được lưu lại",
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
