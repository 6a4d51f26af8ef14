"""The workflow's states and moves: every allowed move, and refusals that say what is allowed."""

from __future__ import annotations

import pytest

from scoring.errors import WorkflowError
from scoring.store.workflow import (
    CAMPAIGN_MOVES,
    CAMPAIGN_STATES,
    UNIT_MOVES,
    UNIT_STATES,
    appraiser_moves,
    check_appraiser_move,
    check_campaign_move,
    check_editable,
    check_round_open,
    check_unit_move,
    editable,
    open_round,
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
    assert editable(what, unit, campaign) == ok
    if ok:
        check_editable(what, "u", unit, campaign)
    else:
        with pytest.raises(WorkflowError, match="cannot change now"):
            check_editable(what, "u", unit, campaign)


@pytest.mark.parametrize(
    ("unit", "campaign", "round_"),
    [
        ("draft", "open", None),
        ("submitted", "open", None),
        ("submitted", "appraisal", "1"),
        ("appraised_1", "appraisal", None),
        ("explanation", "appraisal", "2"),
        ("final", "appraisal", None),
        ("final", "review", None),
        ("draft", "published", "correction"),
        ("final", "published", "correction"),
    ],
)
def test_the_open_appraisal_round(unit: str, campaign: str, round_: str | None) -> None:
    """Round 1 for a submitted unit, 2 while it explains, corrections once published."""
    assert open_round(unit, campaign) == round_
    if round_ is None:
        with pytest.raises(WorkflowError, match=f"unit u is {unit} and the campaign {campaign}"):
            check_round_open("u", unit, campaign)
    else:
        assert check_round_open("u", unit, campaign) == round_


def test_an_open_round_is_one_the_store_lets_change() -> None:
    """Whichever round is open in any pair of states, that round's changes are editable."""
    pairs = [(u, c) for u in UNIT_STATES for c in CAMPAIGN_STATES]
    opened = [(u, c, open_round(u, c)) for u, c in pairs]
    assert any(r is not None for _, _, r in opened)
    for unit, campaign, round_ in opened:
        if round_ is not None:
            check_editable(f"appraisal {round_}", "u", unit, campaign)


def test_an_appraiser_moves_a_unit_on_but_never_submits_it() -> None:
    """Every next state of the chain but submitted is offered, and submitted is refused."""
    assert appraiser_moves("draft") == []
    assert appraiser_moves("submitted") == ["appraised_1"]
    assert appraiser_moves("final") == []
    offered = {t for s in UNIT_STATES for t in appraiser_moves(s)}
    assert offered == {t for (_, t) in UNIT_MOVES} - {"submitted"}
    with pytest.raises(WorkflowError, match="submits its own self-assessment"):
        check_appraiser_move("submitted")
    check_appraiser_move("appraised_1")
