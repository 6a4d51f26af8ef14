"""Bulk steps: every eligible unit moved on in one transaction, the others listed with why."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from scoring.errors import ConflictError, WorkflowError
from scoring.store import bulk, moves, workflow
from scoring.store.db import Store
from scoring.store.schema import AuditRow, CampaignRow, UnitRow
from tests.support.web import CID, NOW, OTHER, OWN, open_copy

INCOMPLETE = "so-tai-nguyen-va-moi-truong"  # the 2018 sample leaves its 7.4.2 unanswered


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    """A copy of the 2018 samples' store: the campaign open, every unit a draft."""
    store = open_copy(tmp_path)
    yield store
    store.close()


def _states(st: Store) -> dict[str, str]:
    with st.read() as s:
        return {
            u.unit_id: u.state for u in s.exec(select(UnitRow).where(UnitRow.campaign_id == CID))
        }


def _audit(st: Store, action: str) -> list[dict[str, Any]]:
    with st.read() as s:
        rows = s.exec(select(AuditRow).where(AuditRow.action == action))
        return [{"unit": r.unit_id, **json.loads(r.detail_json)} for r in rows]


def test_submit_all_submits_every_complete_draft_and_names_the_others(st: Store) -> None:
    """The plan lists the complete drafts and the incomplete one with the items it lacks;
    submitting moves exactly those, each with its own audit entry marked bulk."""
    plan = bulk.plan_submit(st, CID, now=NOW)
    assert [b.unit for b in plan.blocked] == [INCOMPLETE]
    assert plan.blocked[0].why_vi == "chưa trả lời 1 tiêu chí (7.4.2)"
    assert len(plan.eligible) == 30 and INCOMPLETE not in plan.ids
    done = bulk.submit_all(st, CID, actor="thu", now=NOW, expected=plan.ids)
    assert done.ids == plan.ids
    states = _states(st)
    assert states[INCOMPLETE] == "draft"
    assert {states[u] for u in plan.ids} == {"submitted"}
    entries = _audit(st, "unit.submit")
    assert sorted(e["unit"] for e in entries) == sorted(plan.ids)
    assert all(e["bulk"] is True for e in entries)


def test_a_changed_list_is_refused_and_nothing_moves(st: Store) -> None:
    """When the eligible units are not the ones the person confirmed, nothing is submitted."""
    plan = bulk.plan_submit(st, CID, now=NOW)
    moves.submit(st, CID, OWN, actor="seed", now=NOW)  # someone submits one meanwhile
    before = _states(st)
    with pytest.raises(ConflictError, match=f"no longer {OWN}"):
        bulk.submit_all(st, CID, actor="thu", now=NOW, expected=plan.ids)
    assert _states(st) == before


def test_plans_sort_units_in_vietnamese_order(st: Store) -> None:
    """The units that move are listed by name in Vietnamese alphabetical order."""
    from scoring.sources.text import vn_key

    names = [m.name for m in bulk.plan_submit(st, CID, now=NOW).eligible]
    assert names == sorted(names, key=vn_key) and names[0] == "Ban Dân tộc"


def _to_appraisal(st: Store) -> None:
    bulk.submit_all(st, CID, actor="seed", now=NOW)
    moves.submit(st, CID, INCOMPLETE, actor="seed", now=NOW)
    moves.advance_campaign(st, CID, "appraisal", actor="seed", now=NOW)


def test_advance_all_moves_the_units_at_the_step_before(st: Store) -> None:
    """Round 1 → explanation moves the units appraised in round 1 and lists the others with
    the step they are at."""
    _to_appraisal(st)
    moves.advance_unit(st, CID, OWN, "appraised_1", actor="seed", now=NOW)
    moves.advance_unit(st, CID, OTHER, "appraised_1", actor="seed", now=NOW)
    plan = bulk.plan_advance(st, CID, "explanation")
    assert sorted(plan.ids) == sorted([OWN, OTHER])
    assert len(plan.blocked) == 29
    assert plan.blocked[0].why_vi == "đang ở bước «Đã nộp», không phải «Đã thẩm định vòng 1»"
    bulk.advance_all(st, CID, "explanation", actor="thu", now=NOW, expected=plan.ids)
    states = _states(st)
    assert states[OWN] == states[OTHER] == "explanation"
    assert sum(1 for s in states.values() if s == "submitted") == 29
    moved = [e for e in _audit(st, "unit.advance") if e.get("bulk")]
    assert sorted(e["unit"] for e in moved) == sorted([OWN, OTHER])
    assert {(e["from"], e["to"]) for e in moved} == {("appraised_1", "explanation")}


def test_advance_all_is_all_or_nothing(st: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure at the fifth unit leaves every unit where it was and no audit entry."""
    _to_appraisal(st)
    real = moves.advance_in
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> UnitRow:
        calls["n"] += 1
        if calls["n"] == 5:
            raise WorkflowError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(moves, "advance_in", failing)
    before = _states(st)
    with pytest.raises(WorkflowError, match="simulated"):
        bulk.advance_all(st, CID, "appraised_1", actor="thu", now=NOW)
    assert _states(st) == before
    assert _audit(st, "unit.advance") == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("appraised_1", r"only while the campaign is appraisal \(it is open\)"),
        ("submitted", "submit_all"),
        ("draft", "no unit moves to 'draft'"),
    ],
)
def test_a_step_the_campaign_does_not_allow_is_refused(
    st: Store, target: str, message: str
) -> None:
    """A bulk step the campaign's state or the workflow does not allow says why."""
    with pytest.raises(WorkflowError, match=message):
        bulk.plan_advance(st, CID, target)


def test_nothing_to_move_is_refused(st: Store) -> None:
    """A bulk step with no eligible unit is refused rather than recorded as done."""
    _to_appraisal(st)
    with pytest.raises(WorkflowError, match=r"no unit of campaign .* can move"):
        bulk.advance_all(st, CID, "final", actor="thu", now=NOW)


def test_late_drafts_are_left_when_the_campaign_refuses_late_files(st: Store) -> None:
    """After the deadline of a campaign that refuses late files, no draft is eligible."""
    with st.transaction() as s:
        camp = s.get(CampaignRow, CID)
        assert camp is not None
        camp.late_submission = "refuse"
        s.add(camp)
    late = NOW + dt.timedelta(days=400)
    plan = bulk.plan_submit(st, CID, now=late)
    assert plan.eligible == []
    assert all("quá hạn nộp" in b.why_vi for b in plan.blocked if b.unit != INCOMPLETE)


def test_bulk_steps_follow_the_workflow() -> None:
    """The bulk steps of each campaign state are its unit moves, submission excepted."""
    assert workflow.bulk_steps("open") == []
    assert workflow.bulk_steps("appraisal") == [
        ("submitted", "appraised_1"),
        ("appraised_1", "explanation"),
        ("explanation", "appraised_2"),
        ("appraised_2", "final"),
    ]
    assert workflow.bulk_steps("published") == []
