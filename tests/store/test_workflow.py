"""The workflow's states and moves: every allowed move, and refusals that say what is allowed."""

from __future__ import annotations

import pytest

from scoring.errors import WorkflowError
from scoring.store.workflow import (
    CAMPAIGN_MOVES,
    UNIT_MOVES,
    check_campaign_move,
    check_editable,
    check_unit_move,
)


@pytest.mark.parametrize(("move", "campaign_state"), list(UNIT_MOVES.items()))
def test_every_unit_move_is_allowed_in_its_campaign_state(
    move: tuple[str, str], campaign_state: str
) -> None:
    """Each move of the unit chain passes when the campaign is in the state it needs."""
    check_unit_move("u", move[0], move[1], campaign_state)


@pytest.mark.parametrize(
    ("current", "target", "campaign", "message"),
    [
        ("draft", "appraised_1", "appraisal", "from draft it can go to submitted"),
        ("submitted", "draft", "open", "cannot go from submitted to draft"),
        ("final", "draft", "appraisal", "final is the last state"),
        ("submitted", "appraised_1", "open", "only while the campaign is appraisal"),
        ("draft", "submitted", "appraisal", "only while the campaign is open"),
        ("draft", "approved", "open", "unknown unit state 'approved'"),
    ],
)
def test_refused_unit_moves_say_why(current: str, target: str, campaign: str, message: str) -> None:
    """A move out of order, backwards or in the wrong campaign state is refused, explained."""
    with pytest.raises(WorkflowError, match=message):
        check_unit_move("u", current, target, campaign)


def test_campaign_moves_need_ready_units() -> None:
    """Appraisal starts when nobody is a draft; review when everyone is final."""
    for move in CAMPAIGN_MOVES:
        if move[1] != "published":
            check_campaign_move("c", move[0], move[1], {"a": "final"})
    with pytest.raises(WorkflowError, match="1 unit\\(s\\) have not submitted: b"):
        check_campaign_move("c", "open", "appraisal", {"a": "submitted", "b": "draft"})
    with pytest.raises(WorkflowError, match="not final yet: a"):
        check_campaign_move("c", "appraisal", "review", {"a": "explanation"})
    with pytest.raises(WorkflowError, match="cannot go from open to review"):
        check_campaign_move("c", "open", "review", {})


@pytest.mark.parametrize(
    ("what", "unit", "campaign", "ok"),
    [
        ("answers", "draft", "open", True),
        ("answers", "submitted", "open", False),
        ("appraisal 1", "submitted", "appraisal", True),
        ("appraisal 1", "explanation", "appraisal", False),
        ("explanation", "explanation", "appraisal", True),
        ("appraisal 2", "explanation", "appraisal", True),
        ("appraisal 2", "final", "appraisal", False),
        ("appraisal correction", "final", "published", True),
        ("appraisal correction", "final", "review", False),
    ],
)
def test_what_may_change_when(what: str, unit: str, campaign: str, ok: bool) -> None:
    """Answers only in draft, each appraisal round and explanations only in their window."""
    if ok:
        check_editable(what, "u", unit, campaign)
    else:
        with pytest.raises(WorkflowError, match="cannot change now"):
            check_editable(what, "u", unit, campaign)
