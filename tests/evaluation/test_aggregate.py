"""The one rescale: a unit's points over its applicable maximum, brought to the index's scale."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from scoring import CampaignResult, Index, load_campaign, score_campaign
from scoring.evaluation.aggregate import percent, points_at, rescale
from scoring.simulation.plan import index_after
from scoring.sources.numbers import to_decimal
from tests.support.paths import MINI

D = Decimal


@pytest.fixture(scope="module")
def mini_result(mini_index: Index) -> CampaignResult:
    return score_campaign(mini_index, load_campaign(MINI))


def test_rescale_brings_points_over_the_applicable_maximum_to_the_scale() -> None:
    """62.05 earned of an applicable 73 is exactly 85 on a scale of 100."""
    assert rescale(D("62.05"), D(73), D(100)) == D(85)


def test_rescale_is_the_exact_ratio_rounded_once() -> None:
    """A repeating ratio has the digits of the exact fraction under the scoring context."""
    assert rescale(D("28.05"), D(90), D(100)) == to_decimal(Fraction("28.05") * 100 / 90)


def test_rescale_keeps_the_index_within_the_scale() -> None:
    """Points above the applicable maximum give the top of the scale, never more."""
    assert rescale(D(120), D(100), D(100)) == D(100)


def test_rescale_of_nothing_applicable_is_zero() -> None:
    """A unit to which nothing applies has an index of 0 (and is not ranked)."""
    assert rescale(D(5), D(0), D(100)) == D(0)


def test_points_at_is_the_inverse_of_rescale() -> None:
    """The points an index of exactly 85 needs out of 73 are the 62.05 that give it."""
    assert points_at(Fraction(85), D(73), D(100)) == Fraction("62.05")


def test_percent_is_a_node_share_of_its_applicable_maximum() -> None:
    """7.5 of 10 is 75 percent; a node that does not apply has no percentage."""
    assert percent(D("7.5"), D(10)) == D(75)
    assert percent(D(0), D(0)) is None


def test_the_scored_index_is_the_rescale(mini_result: CampaignResult) -> None:
    """Every scored unit's index is ``rescale`` of its points and applicable maximum."""
    for results in mini_result.groups.values():
        for r in results:
            assert r.index == rescale(r.points, r.max_points, mini_result.index.meta.scale)


def test_what_if_rescales_as_the_scorer_does(mini_result: CampaignResult) -> None:
    """What-if's index after no gain is, digit for digit, the scored index (b's repeats)."""
    index = mini_result.index
    for uid in "abc":
        r = mini_result.unit(uid)
        assert r is not None
        assert index_after(index, r, D(0)) == r.index
