"""What each leaf comes to: whether it applies, why not, what it then counts, its branch."""

from __future__ import annotations

from decimal import Decimal

from scoring import Index
from scoring.evaluation.outcomes import (
    applies,
    exemption,
    leaf_facts,
    na_points,
)
from tests.support.indexes import ready

D = Decimal


def test_a_leaf_answered_not_applicable_does_not_apply(mini_index: Index) -> None:
    """An N/A answer takes the leaf out; any other status keeps it."""
    item = mini_index.groups["department"].leaves["1.4"]
    assert not applies(item, "not_applicable", set())
    assert applies(item, "value", set())


def test_a_tag_exempts_only_the_leaves_it_names(mini_index: Index) -> None:
    """``no_procedures`` exempts area 2's leaves, not area 1's; another tag exempts nothing."""
    leaves = mini_index.groups["department"].leaves
    assert not applies(leaves["2.1"], "value", {"no_procedures"})
    assert applies(leaves["1.1"], "value", {"no_procedures"})
    assert applies(leaves["2.1"], "value", {"other"})


def test_exemption_names_the_tag_and_takes_its_strategy(mini_index: Index) -> None:
    """A tagged unit's leaf is left out by the tag's strategy, with the tag in the reason."""
    item = mini_index.groups["department"].leaves["2.3"]
    assert exemption(item, ["no_procedures"]) == (
        "exclude_and_rescale",
        "đơn vị thuộc diện no_procedures",
        "unit tagged no_procedures",
    )


def test_an_answered_not_applicable_takes_the_leaf_strategy(mini_index: Index) -> None:
    """Without an exempting tag, the leaf's own strategy applies (2.3 grants full points)."""
    item = mini_index.groups["department"].leaves["2.3"]
    assert exemption(item, []) == ("grant_full", "đơn vị khai không áp dụng", "unit answered N/A")


def test_not_applicable_points_follow_the_strategy(mini_index: Index) -> None:
    """``grant_full`` counts the full points of the full maximum; excluding counts neither."""
    item = mini_index.groups["department"].leaves["2.3"]
    assert na_points(item, "grant_full") == (D(10), D(10))
    assert na_points(item, "exclude_and_rescale") == (D(0), D(0))


def test_leaf_facts_leave_out_the_leaves_that_do_not_apply(mini_index: Index) -> None:
    """A unit's facts cover its applicable leaves only: not its N/A answer, nor exempt ones."""
    answers = {"1.1": {"value": True}, "2.3": {"na": True}}
    view = mini_index.groups["department"]
    plain = leaf_facts(view, ready(mini_index, "department", answers))
    assert "2.3" not in plain and "1.1" in plain and "2.1" in plain
    tagged = leaf_facts(view, ready(mini_index, "department", answers, tags=["no_procedures"]))
    assert not {"2.1", "2.2", "2.3"} & tagged.keys()
