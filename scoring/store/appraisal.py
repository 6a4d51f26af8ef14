"""Appraisal rounds (thẩm định) and the units' explanations (giải trình) between them.

``appraise`` records the points appraisers set for some nodes of one unit in round 1, round 2,
or as a correction after publication. Each change is checked against the index (the node is
applicable to the unit, the score within its bounds and, for council items, among its levels)
and needs a reason unless it keeps the current points. ``respond`` records a unit's
explanation of a round-1 change. Both bump the unit's version (optimistic locking) and write
audit entries in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from scoring.campaign.appraisal_files import AppraisalFile, ExplanationEntry
from scoring.campaign.ready import prepare
from scoring.errors import (
    ErrorList,
    Location,
    ParindexError,
    SubmissionError,
    WorkflowError,
    suggest,
)
from scoring.evaluation.batch import score_unit
from scoring.evaluation.trace import UnitResult
from scoring.sources import clock
from scoring.sources.numbers import has_places
from scoring.sources.said import figure
from scoring.store import audit, workflow
from scoring.store.db import Store
from scoring.store.schema import AppraisalRow, ExplanationRow
from scoring.store.stored import bump, campaign_row, load, stamp, unit_row

ROUNDS = ("1", "2", "correction")


@dataclass(frozen=True)
class AppraisalChange:
    """One appraisal change as given by an appraiser."""

    node: str
    score: Decimal
    reason: str
    appraiser: str


def file_changes(f: AppraisalFile) -> dict[str, list[AppraisalChange]]:
    """An appraisal round file's changes by unit, each by its entry's appraiser or else the
    file's (what ``appraise_many`` records)."""
    return {
        uid: [
            AppraisalChange(e.node, e.score, e.reason, e.appraiser or f.appraiser) for e in entries
        ]
        for uid, entries in f.units.items()
    }


def current(s: Session, cid: str, uid: str) -> UnitResult:
    """The unit scored as it stands: its answers and every appraisal change so far."""
    stored = load(s, cid, only=uid)
    sub = stored.campaign.submissions.get(uid)
    if sub is None:
        errors = stored.campaign.errors.get(uid)
        if errors:
            raise ErrorList.of(errors)
        raise WorkflowError(
            f"unit {uid} has no self-assessment to appraise",
            vi=f"Đơn vị {uid} chưa có hồ sơ tự đánh giá để thẩm định",
        )
    return score_unit(stored.index, prepare(stored.index, sub), stored.appraisals.get(uid))


def _bounds(
    result: UnitResult, s: Session, cid: str, node: str
) -> tuple[Decimal, Decimal, list[Decimal] | None]:
    """(current points, max, allowed levels) of a node, or an error naming the choices."""
    from scoring.store.stored import index_for

    for step in result.trace:
        if step.node == node and step.level in ("leaf", "bonus", "penalty"):
            if step.points is None:
                raise WorkflowError(
                    f"{node} is not applicable to unit {result.unit_id}: "
                    "there is nothing to appraise",
                    vi=f"Tiêu chí {node} không áp dụng cho đơn vị {result.unit_id}: không có gì "
                    "để thẩm định",
                )
            levels = None
            if step.level == "leaf":  # the rule kind may limit the scores (a council's levels)
                index = index_for(s, campaign_row(s, cid).index_hash)
                item = index.groups[result.group].leaves[node]
                assert item.handler is not None and item.node.rule is not None
                allowed = item.handler.levels(item.node.rule)
                levels = None if allowed is None else list(allowed)
            return step.points, step.max, levels
    index = index_for(s, campaign_row(s, cid).index_hash)
    adj = next(
        (a for a in index.adjustments if a.spec.id == node and result.group in a.groups), None
    )
    if adj is not None:
        return Decimal(0), adj.spec.max, None
    choices = [*index.groups[result.group].leaves, *(a.spec.id for a in index.adjustments)]
    raise SubmissionError(
        f"no scored item or bonus/penalty {node!r} for unit {result.unit_id}",
        Location("appraisal"),
        suggest(node, choices),
        vi=f"Không có tiêu chí chấm điểm hay khoản cộng/trừ điểm {node!r} của đơn vị "
        f"{result.unit_id}",
    )


def appraise(
    store: Store,
    cid: str,
    uid: str,
    round_: str,
    changes: Sequence[AppraisalChange],
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> int:
    """Record appraisal changes of one unit in one round; return the unit's new version."""
    return appraise_many(
        store, cid, round_, {uid: changes}, actor=actor, now=now, expected={uid: expected_version}
    )[uid]


def appraise_many(
    store: Store,
    cid: str,
    round_: str,
    batches: Mapping[str, Sequence[AppraisalChange]],
    *,
    actor: str,
    now: dt.datetime,
    expected: Mapping[str, int | None] | None = None,
) -> dict[str, int]:
    """Record a whole round's changes, unit by unit, in ONE transaction: a round file is
    stored whole or not at all. Returns each unit's new version."""
    if round_ not in ROUNDS:
        raise WorkflowError(
            f"unknown appraisal round {round_!r}; rounds: {', '.join(ROUNDS)}",
            vi=f"Không có vòng thẩm định {round_!r}; các vòng: {', '.join(ROUNDS)}",
        )
    at = stamp(now)
    versions: dict[str, int] = {}
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        errors: list[ParindexError] = []
        for uid, changes in batches.items():
            try:
                unit = unit_row(s, cid, uid, lock=True)
                workflow.check_editable(f"appraisal {round_}", uid, unit.state, camp.state)
                result = current(s, cid, uid)
            except ParindexError as exc:
                errors.append(exc)
                continue
            for ch in changes:
                try:
                    _record_change(s, cid, uid, round_, ch, result, at, actor)
                except ParindexError as exc:
                    errors.append(exc)
            bump(s, unit, (expected or {}).get(uid))
            versions[uid] = unit.version
        if errors:
            raise ErrorList.of(errors)
    return versions


def _record_change(
    s: Session,
    cid: str,
    uid: str,
    round_: str,
    ch: AppraisalChange,
    result: UnitResult,
    at: str,
    actor: str,
) -> None:
    points, top, levels = _bounds(result, s, cid, ch.node)
    where, where_vi = f"unit {uid}, {ch.node}", f"Đơn vị {uid}, tiêu chí {ch.node}"
    if not (Decimal(0) <= ch.score <= top) or not has_places(ch.score):
        raise SubmissionError(
            f"{where}: score {ch.score} must be within [0, {top}] with at most 3 decimals",
            Location("appraisal"),
            vi=f"{where_vi}: điểm {figure(ch.score)} phải trong khoảng từ 0 đến {figure(top)}, "
            "tối đa 3 chữ số thập phân",
        )
    if levels is not None and ch.score not in levels:
        raise SubmissionError(
            f"{where}: a council score must be one of {', '.join(str(x) for x in levels)}",
            Location("appraisal"),
            vi=f"{where_vi}: điểm của hội đồng phải là một trong các mức "
            f"{'; '.join(figure(x) for x in levels)}",
        )
    reason = ch.reason.strip()
    if not reason:
        if ch.score != points:
            raise SubmissionError(
                f"{where}: changing {points} to {ch.score} needs a reason",
                Location("appraisal"),
                vi=f"{where_vi}: đổi điểm từ {figure(points)} thành {figure(ch.score)} phải ghi rõ "
                "lý do",
            )
        reason = "Giữ nguyên điểm tự chấm"
    s.add(
        AppraisalRow(
            campaign_id=cid,
            unit_id=uid,
            node_id=ch.node,
            round=round_,
            score=str(ch.score),
            reason=reason,
            appraiser=ch.appraiser,
            at=at,
        )
    )
    audit.record(
        s,
        at=at,
        actor=actor,
        action=f"appraisal.round_{round_}",
        campaign=cid,
        unit=uid,
        node=ch.node,
        detail={
            "from": str(points),
            "to": str(ch.score),
            "reason": reason,
            "appraiser": ch.appraiser,
        },
    )


def respond(
    store: Store,
    cid: str,
    uid: str,
    entries: Sequence[ExplanationEntry],
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> int:
    """Record a unit's explanations of round-1 changes (in the explanation window)."""
    return respond_many(
        store, cid, {uid: entries}, actor=actor, now=now, expected={uid: expected_version}
    )[uid]


def respond_many(
    store: Store,
    cid: str,
    batches: Mapping[str, Sequence[ExplanationEntry]],
    *,
    actor: str,
    now: dt.datetime,
    expected: Mapping[str, int | None] | None = None,
) -> dict[str, int]:
    """Record explanations of several units in one transaction (an explanations file)."""
    at = stamp(now)
    versions: dict[str, int] = {}
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        # the deadline is a day in the campaign's zone, not in UTC
        if clock.is_late(now, camp.explanation_due, camp.time_zone):
            raise WorkflowError(
                f"the explanation deadline {clock.show(camp.explanation_due)} has passed "
                f"(it is {clock.show(now, camp.time_zone)}, {camp.time_zone})",
                vi=f"Đã hết hạn giải trình ({clock.show(camp.explanation_due)})",
            )
        for uid, entries in batches.items():
            unit = unit_row(s, cid, uid, lock=True)
            workflow.check_editable("explanation", uid, unit.state, camp.state)
            changed = set(
                s.exec(
                    select(AppraisalRow.node_id).where(
                        AppraisalRow.campaign_id == cid,
                        AppraisalRow.unit_id == uid,
                        AppraisalRow.round == "1",
                    )
                )
            )
            for e in entries:
                if e.node not in changed:
                    raise WorkflowError(
                        f"unit {uid} can only explain items changed in round 1; {e.node} was not",
                        suggestion=suggest(e.node, changed),
                        vi=f"Đơn vị {uid} chỉ giải trình các tiêu chí bị thay đổi điểm ở vòng "
                        f"thẩm định 1; tiêu chí {e.node} không bị thay đổi",
                    )
                evidence = [ev.model_dump(mode="json", exclude_none=True) for ev in e.evidence]
                s.add(
                    ExplanationRow(
                        campaign_id=cid,
                        unit_id=uid,
                        node_id=e.node,
                        text=e.text,
                        evidence_json=json.dumps(evidence, ensure_ascii=False),
                        author=e.author or actor,
                        at=at,
                    )
                )
                audit.record(
                    s,
                    at=at,
                    actor=actor,
                    action="explanation.add",
                    campaign=cid,
                    unit=uid,
                    node=e.node,
                    detail={"text": e.text, "evidence": evidence},
                )
            bump(s, unit, (expected or {}).get(uid))
            versions[uid] = unit.version
    return versions
