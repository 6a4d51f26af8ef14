"""Bulk steps: every eligible unit of a campaign moved on in one action, all or nothing.

``plan_advance`` and ``plan_submit`` say which units would move and, for each of the others,
why not (in Vietnamese and English), without changing anything: what a person confirms.
``advance_all`` and ``submit_all`` then make the moves in one transaction, each unit's move
audited as a single move would be (with ``"bulk": true``); given the unit ids that were
shown, they refuse (``ConflictError``) when the eligible units are no longer exactly those,
so a confirmation never covers units the person did not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from scoring.campaign.submission import Submission
from scoring.errors import ConflictError, Location, WorkflowError
from scoring.index.loader import Index
from scoring.sources import clock
from scoring.sources.text import vn_key
from scoring.store import moves, workflow
from scoring.store.db import Store
from scoring.store.schema import CampaignRow, UnitRow
from scoring.store.stored import campaign_row, load, unit_row, units_of

MISSING_SHOWN = 5  # unanswered items named in a reason before "…"


@dataclass(frozen=True)
class Mover:
    """A unit that would move (``late``: a submission after the deadline, which the campaign
    accepts)."""

    unit: str
    name: str
    late: bool = False


@dataclass(frozen=True)
class Blocked:
    """A unit that would not move, and why, as people read it."""

    unit: str
    name: str
    state: str
    why_vi: str
    why_en: str


@dataclass(frozen=True)
class Plan:
    """What a bulk step would do: the units that move (``source`` → ``target``) and the
    others, each group in Vietnamese alphabetical order of the names."""

    campaign: str
    source: str
    target: str
    eligible: list[Mover] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """The ids of the units that move."""
        return [m.unit for m in self.eligible]


def _state(state: str, lang: int) -> str:
    return workflow.state_name(state, "en" if lang else "vi")


def _sorted(plan: Plan) -> Plan:
    plan.eligible.sort(key=lambda m: (vn_key(m.name), m.unit))
    plan.blocked.sort(key=lambda b: (vn_key(b.name), b.unit))
    return plan


def _in_state(unit: UnitRow, source: str) -> Blocked | None:
    """The reason ``unit`` cannot take a step from ``source``: it is not there."""
    if unit.state == source:
        return None
    return Blocked(
        unit.unit_id,
        unit.name,
        unit.state,
        f"đang ở bước «{_state(unit.state, 0)}», không phải «{_state(source, 0)}»",
        f"it is {_state(unit.state, 1)}, not {_state(source, 1)}",
    )


def _campaign_allows(camp: CampaignRow, source: str, target: str) -> None:
    needed = workflow.UNIT_MOVES[(source, target)]
    if camp.state != needed:
        raise WorkflowError(
            f"units of campaign {camp.id} move from {source} to {target} only while the "
            f"campaign is {needed} (it is {camp.state})",
            Location("store"),
            vi=f"Hồ sơ của các đơn vị trong kỳ đánh giá {camp.id} chỉ chuyển từ "
            f"«{_state(source, 0)}» sang «{_state(target, 0)}» khi kỳ đánh giá ở bước "
            f"«{_state(needed, 0)}» (hiện là «{_state(camp.state, 0)}»)",
        )


def _advance_plan(s: Session, cid: str, target: str) -> tuple[CampaignRow, Plan]:
    source = workflow.source_of(target)
    if target == "submitted":
        raise WorkflowError(
            "submitting is its own bulk step: submit_all (`parindex submit-all`)",
            vi="Việc nộp hồ sơ là một bước riêng (lệnh `parindex submit-all`), không chuyển "
            "hàng loạt ở đây",
        )
    camp = campaign_row(s, cid, lock=True)
    _campaign_allows(camp, source, target)
    plan = Plan(cid, source, target)
    for u in units_of(s, cid):
        why = _in_state(u, source)
        if why is None:
            plan.eligible.append(Mover(u.unit_id, u.name))
        else:
            plan.blocked.append(why)
    return camp, _sorted(plan)


def missing_answers(index: Index, group: str, sub: Submission) -> list[str]:
    """The items a unit of ``group`` assesses itself that ``sub`` does not answer, in the
    index's order: an item marked not applicable is answered, one the unit's tags exempt it
    from needs no answer."""
    tags = set(sub.unit.tags)
    return [
        leaf
        for leaf, item in index.groups[group].leaves.items()
        if item.node.assessed_by == "self" and item.node.rule is not None
        and not tags & set(item.exemptions) and leaf not in sub.answers
    ]  # fmt: skip


def _submit_plan(s: Session, cid: str, now: dt.datetime) -> tuple[CampaignRow, Plan]:
    camp = campaign_row(s, cid, lock=True)
    _campaign_allows(camp, "draft", "submitted")
    stored = load(s, cid)
    late = clock.is_late(now, camp.self_assessment_due, camp.time_zone)
    plan = Plan(cid, "draft", "submitted")
    for u in stored.units:
        why = _in_state(u, "draft")
        sub = stored.campaign.submissions.get(u.unit_id)
        errors = stored.campaign.errors.get(u.unit_id)
        if why is None and errors:
            first = errors[0].message
            why = Blocked(
                u.unit_id,
                u.name,
                u.state,
                f"bản tự đánh giá có lỗi: {first}",
                f"its self-assessment has errors: {first}",
            )
        elif why is None and sub is None:
            why = Blocked(
                u.unit_id,
                u.name,
                u.state,
                "chưa có bản tự đánh giá",
                "it has no self-assessment",
            )
        elif why is None and sub is not None:
            lacking = missing_answers(stored.index, u.group_id, sub)
            if lacking:
                named = ", ".join(lacking[:MISSING_SHOWN])
                named += "…" if len(lacking) > MISSING_SHOWN else ""
                why = Blocked(
                    u.unit_id,
                    u.name,
                    u.state,
                    f"chưa trả lời {len(lacking)} tiêu chí ({named})",
                    f"{len(lacking)} item(s) unanswered ({named})",
                )
        if why is None and late and camp.late_submission == "refuse":
            due = clock.show(camp.self_assessment_due)
            why = Blocked(
                u.unit_id,
                u.name,
                u.state,
                f"đã quá hạn nộp {due}, kỳ đánh giá không nhận bản nộp muộn",
                f"the deadline {due} has passed and the campaign refuses late files",
            )
        if why is None:
            plan.eligible.append(Mover(u.unit_id, u.name, late))
        else:
            plan.blocked.append(why)
    return camp, _sorted(plan)


def plan_advance(store: Store, cid: str, target: str) -> Plan:
    """Which units of ``cid`` would move to ``target`` now, and why each other would not."""
    with store.read() as s:
        return _advance_plan(s, cid, target)[1]


def plan_submit(store: Store, cid: str, *, now: dt.datetime) -> Plan:
    """Which draft units of ``cid`` would submit at ``now`` (those with a complete,
    readable self-assessment, within the deadline if the campaign refuses late files), and
    why each other would not."""
    with store.read() as s:
        return _submit_plan(s, cid, now)[1]


def _check_shown(plan: Plan, expected: Sequence[str] | None) -> None:
    if not plan.eligible:
        raise WorkflowError(
            f"no unit of campaign {plan.campaign} can move from {plan.source} to {plan.target} now",
            Location("store"),
            vi=f"Lúc này không có đơn vị nào của kỳ đánh giá {plan.campaign} chuyển được từ "
            f"«{_state(plan.source, 0)}» sang «{_state(plan.target, 0)}»",
        )
    if expected is not None and sorted(set(expected)) != sorted(plan.ids):
        came = sorted(set(plan.ids) - set(expected))
        went = sorted(set(expected) - set(plan.ids))
        parts = ([f"now also {', '.join(came)}"] if came else []) + (
            [f"no longer {', '.join(went)}"] if went else []
        )
        said = ([f"thêm {', '.join(came)}"] if came else []) + (
            [f"không còn {', '.join(went)}"] if went else []
        )
        raise ConflictError(
            f"the units that can move changed since the list was shown ({'; '.join(parts)}): "
            "nothing was moved; review the list again",
            Location("store"),
            vi=f"Danh sách đơn vị chuyển được đã thay đổi từ khi hiển thị ({'; '.join(said)}): "
            "chưa đơn vị nào được chuyển; hãy xem lại danh sách",
        )


def advance_all(
    store: Store,
    cid: str,
    target: str,
    *,
    actor: str,
    now: dt.datetime,
    expected: Sequence[str] | None = None,
) -> Plan:
    """Move every eligible unit of ``cid`` to ``target`` in one transaction (each move
    audited); ``expected`` are the unit ids the person confirmed. Returns what was done."""
    with store.transaction() as s:
        camp, plan = _advance_plan(s, cid, target)
        _check_shown(plan, expected)
        for m in plan.eligible:
            unit = unit_row(s, cid, m.unit, lock=True)
            moves.advance_in(s, camp, unit, target, actor=actor, now=now, detail={"bulk": True})
        return plan


def submit_all(
    store: Store,
    cid: str,
    *,
    actor: str,
    now: dt.datetime,
    expected: Sequence[str] | None = None,
) -> Plan:
    """Submit every draft unit with a complete self-assessment in one transaction (each
    submission audited); ``expected`` are the unit ids the person confirmed."""
    with store.transaction() as s:
        camp, plan = _submit_plan(s, cid, now)
        _check_shown(plan, expected)
        for m in plan.eligible:
            unit = unit_row(s, cid, m.unit, lock=True)
            moves.submit_in(s, camp, unit, actor=actor, now=now, detail={"bulk": True})
        return plan
