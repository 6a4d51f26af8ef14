"""Each rule kind, branch by branch, through the compiled engine (boundaries included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from scoring import score_unit
from scoring.errors import IndexDefinitionError, ParindexError, SubmissionError
from tests.conftest import index_from_text, ready

D = Decimal

HEAD = """
index:
  id: k
  year: 2018
  province: T
  title_vi: T
  title_en: T
  scale: 10
  blocks: {content: {max: 10}}
groups:
  - {id: g, title_vi: G, title_en: G, classification: [{id: a, label_vi: A, label_en: A, min: 0}]}
tree:
  - id: "1"
    title_vi: A
    max: 10
    children:
      - id: "1.1"
        title_vi: L
        max: 10
"""


def _index(rule: str, extra: str = "") -> Any:
    return index_from_text(HEAD + f"        rule: {rule}\n" + extra)


def _score(index: Any, answer: dict[str, Any]) -> tuple[str | None, Decimal | None]:
    r = score_unit(index, ready(index, "g", {"1.1": answer}))
    step = next(s for s in r.trace if s.node == "1.1")
    return step.branch, step.points


CASES = [
    ("{kind: boolean, yes: 10, no: 2}", {"value": True}, "yes", "10"),
    ("{kind: boolean, yes: 10, no: 2}", {"value": False}, "no", "2"),
    (
        "{kind: deadline, due: 2018-01-31, on_time: 10, late: 5, not_done: 0}",
        {"done_on": dt.date(2018, 1, 31)},
        "on_time",
        "10",
    ),
    (
        "{kind: deadline, due: 2018-01-31, on_time: 10, late: 5, not_done: 0}",
        {"done_on": dt.date(2018, 2, 1)},
        "late",
        "5",
    ),
    (
        "{kind: deadline, due: 2018-01-31, on_time: 10, late: 5, not_done: 0}",
        {"done_on": None},
        "not_done",
        "0",
    ),
    (
        "{kind: deadline, due: 2018-01-31, late: [{max_days: 10, points: 6}, {points: 3}]}",
        {"done_on": dt.date(2018, 2, 10)},
        "late_1",
        "6",
    ),
    (
        "{kind: deadline, due: 2018-01-31, late: [{max_days: 10, points: 6}, {points: 3}]}",
        {"done_on": dt.date(2018, 2, 11)},
        "late_2",
        "3",
    ),
    # "từ 95% đến dưới 100%" = [95, 100): 95 is in, 100 is the next band
    (
        "{kind: ratio_bands, zero_denominator: zero, bands: [{min: 100, points: 10}, "
        "{min: 95, max: 100, points: 5}, {min: 0, max: 95, points: 0}]}",
        {"numerator": 95, "denominator": 100},
        "band_2",
        "5",
    ),
    (
        "{kind: ratio_bands, zero_denominator: zero, bands: [{min: 100, points: 10}, "
        "{min: 95, max: 100, points: 5}, {min: 0, max: 95, points: 0}]}",
        {"numerator": 1899, "denominator": 2000},
        "band_3",
        "0",
    ),
    (
        "{kind: ratio_bands, zero_denominator: zero, bands: [{min: 100, points: 10}, "
        "{min: 95, max: 100, points: 5}, {min: 0, max: 95, points: 0}]}",
        {"numerator": 0, "denominator": 0},
        "zero_denominator",
        "0",
    ),
    # Cà Mau: "trên 90% → 2; từ 70% - 90% → 1 (both ends)": 90 is in the middle band
    (
        "{kind: value_bands, range: [0, 100], bands: [{min: 90, min_inclusive: false, max: 100, "
        "max_inclusive: true, points: 10}, {min: 70, max: 90, max_inclusive: true, points: 5}, "
        "{min: 0, max: 70, points: 0}]}",
        {"value": 90},
        "band_2",
        "5",
    ),
    (
        "{kind: value_bands, range: [0, 100], bands: [{min: 90, min_inclusive: false, max: 100, "
        "max_inclusive: true, points: 10}, {min: 70, max: 90, max_inclusive: true, points: 5}, "
        "{min: 0, max: 70, points: 0}]}",
        {"value": D("90.001")},
        "band_1",
        "10",
    ),
    (
        "{kind: proportional, target: 80, threshold: 40, zero_denominator: full}",
        {"numerator": 60, "denominator": 100},
        "proportional",
        "7.5",
    ),
    (
        "{kind: proportional, target: 80, threshold: 40, zero_denominator: full}",
        {"numerator": 39, "denominator": 100},
        "below_threshold",
        "0",
    ),
    (
        "{kind: proportional, target: 80, threshold: 40, zero_denominator: full}",
        {"numerator": 80, "denominator": 100},
        "full",
        "10",
    ),
    (
        "{kind: proportional, target: 80, threshold: 40, zero_denominator: not_applicable}",
        {"numerator": 0, "denominator": 0},
        "zero_denominator",
        None,
    ),
    ("{kind: count_points, per_item: 1.5}", {"count": 3}, "per_item", "4.5"),
    ("{kind: count_points, per_item: 1.5}", {"count": 7}, "capped", "10"),
    ("{kind: count_points, per_item: 1.5, cap: 6}", {"count": 4}, "capped", "6"),
    ("{kind: count_deduction, per_item: 3, floor: 2}", {"count": 0}, "full", "10"),
    ("{kind: count_deduction, per_item: 3, floor: 2}", {"count": 2}, "deducted", "4"),
    ("{kind: count_deduction, per_item: 3, floor: 2}", {"count": 3}, "floored", "2"),
    (
        "{kind: ordinal_levels, levels: {tot: {points: 10, label_vi: Tốt}, "
        "dat: {points: 4, label_vi: Đạt}}}",
        {"level": "dat"},
        "dat",
        "4",
    ),
    (
        "{kind: compare_to_limit, shorter: 10, equal: 5, longer: 0}",
        {"actual": 14, "limit": 15},
        "shorter",
        "10",
    ),
    (
        "{kind: compare_to_limit, shorter: 10, equal: 5, longer: 0}",
        {"actual": 15, "limit": 15},
        "equal",
        "5",
    ),
    (
        "{kind: compare_to_limit, shorter: 10, equal: 5, longer: 0}",
        {"actual": D("15.5"), "limit": 15},
        "longer",
        "0",
    ),
]


@pytest.mark.parametrize(
    ("rule", "answer", "branch", "points"), CASES, ids=[f"{c[0][7:22]}-{c[2]}" for c in CASES]
)
def test_each_branch(rule: str, answer: dict[str, Any], branch: str, points: str | None) -> None:
    """The engine picks the expected branch and the handler the expected points."""
    got_branch, got_points = _score(_index(rule), answer)
    assert got_branch == branch
    assert got_points == (None if points is None else D(points))


def test_survey_weighted_and_external_value() -> None:
    """Survey answers are weighted and averaged; SIPAS is scaled; no respondents -> declared."""
    text = HEAD.replace("        max: 10\n", "        max: 10\n        assessed_by: survey\n")
    idx = index_from_text(
        text + "        rule: {kind: survey_weighted, weights: {A: 1, B: 0.6, "
        "C: 0.2, D: 0}, no_responses: not_applicable}\n"
    )
    assert _score(idx, {"responses": {"A": 3, "B": 1, "D": 1}}) == ("weighted", D("7.2"))
    assert _score(idx, {"responses": {"A": 0}}) == ("no_responses", None)
    idx = index_from_text(text + "        rule: {kind: external_value, source: SIPAS}\n")
    assert _score(idx, {"value": D("84.6")}) == ("proportional", D("8.46"))
    with pytest.raises(SubmissionError, match="outside the range"):
        ready(idx, "g", {"1.1": {"value": 120}})
    with pytest.raises(SubmissionError, match="unknown option 'E'"):
        ready(
            index_from_text(text + "        rule: {kind: survey_weighted, weights: {A: 1}}\n"),
            "g",
            {"1.1": {"responses": {"E": 3}}},
        )


def test_council_judgment_levels() -> None:
    """A council score is taken as given, within its levels, with its reason in the trace."""
    text = HEAD.replace("        max: 10\n", "        max: 10\n        assessed_by: council\n")
    idx = index_from_text(text + "        rule: {kind: council_judgment, levels: [0, 5, 10]}\n")
    r = score_unit(idx, ready(idx, "g", {"1.1": {"score": 5, "reason": "Báo cáo thiếu số liệu"}}))
    step = next(s for s in r.trace if s.node == "1.1")
    assert step.points == D(5) and step.inputs["reason"] == "Báo cáo thiếu số liệu"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "{kind: value_bands, range: [0, 100], bands: [{min: 0, max: 100, points: 1}]}",
            "gap: no band covers 100",
        ),
        (
            "{kind: value_bands, range: [0, 10], bands: [{min: 0, max: 5, points: 1}, "
            "{min: 5, max_inclusive: true, max: 10, points: 2}, {min: 4, max: 6, points: 3}]}",
            "overlap",
        ),
        (
            "{kind: value_bands, range: [0, 10], bands: [{min: 0.0001, points: 1}]}",
            "more than 3 decimals",
        ),
        ("{kind: proportional, target: 120, zero_denominator: full}", "must be in (0, 100]"),
        ("{kind: count_deduction, per_item: 0}", "must be above 0"),
        ("{kind: survey_weighted, weights: {A: 1.5}}", "must be in [0, 1]"),
        ("{kind: ordinal_levels, levels: {a: {points: 11, label_vi: A}}}", "outside [0, 10]"),
        (
            "{kind: deadline, due: 2018-01-31, late: [{points: 1}, {max_days: 3, points: 0}]}",
            "the last band must be open",
        ),
    ],
)
def test_bad_rule_definitions(rule: str, message: str) -> None:
    """A rule that could not answer every input is refused when the index loads."""
    with pytest.raises(ParindexError) as exc:
        _index(rule)
    assert message in str(exc.value)
    assert isinstance(exc.value, IndexDefinitionError) or "criteria.yaml" in str(exc.value)
