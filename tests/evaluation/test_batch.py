"""Scoring units: leaf rules through the engine, evidence gate, N/A, caps and rescaling."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import load_campaign, score_campaign, score_unit
from scoring.errors import SubmissionError
from scoring.evaluation.trace import to_jsonable
from tests.support.indexes import index_from_text, ready
from tests.support.paths import MINI

D = Decimal


@pytest.fixture(scope="module")
def mini_result(mini_index):  # type: ignore[no-untyped-def]
    return score_campaign(mini_index, load_campaign(MINI))


def test_mini_campaign_figures_by_hand(mini_result) -> None:  # type: ignore[no-untyped-def]
    """Each unit's points, applicable maximum and index equal a hand calculation."""
    a, b, c = (mini_result.unit(u) for u in "abc")
    # a: 10+10+10+8+10 = 48; 10(capped)+7+10 = 27; survey 8+9 = 17; bonus 1  -> 93 / 100
    assert (a.points, a.max_points, a.index) == (D(93), D(100), D(93))
    assert a.nodes["2"].points == D(27) and a.nodes["S"].points == D(17)
    # b: 0(no evidence)+2(15 days late)+5(96%)+N/A+7.5 = 14.5 of 40; area 2: 2.5+0+10(N/A full)
    #    = 12.5 - 5 (area penalty) = 7.5; survey 0 + 7.55; total penalty 1.5 -> 28.05 / 90
    assert (b.points, b.max_points) == (D("28.05"), D(90))
    assert b.nodes["1"].max == D(40) and b.nodes["2"].points == D("7.5")
    assert str(b.index)[:8] == "31.16666"
    # c: no_procedures -> area 2 left out; 0+0+10(zero denominator: full)+0(below threshold)+5
    #    = 15; survey 1.6 + 8 -> 24.6 / 70
    assert (c.points, c.max_points) == (D("24.6"), D(70))
    assert "2" in c.nodes and c.nodes["2"].max == D(0)


def test_trace_names_rule_inputs_branch_and_evidence(mini_result) -> None:  # type: ignore[no-untyped-def]
    """Every leaf has a step with its engine rule, inputs, branch, points and reason."""
    b = mini_result.unit("b")
    steps = {s.node: s for s in b.trace if s.level == "leaf"}
    assert set(steps) == {"1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "S.1", "S.2"}
    s = steps["1.2"]
    assert s.rule == "1.2#late_2" and s.inputs["days_late"] == 15 and s.points == D(2)
    assert "Trễ hạn" in s.reason_vi and "Late" in s.reason_en
    gate = steps["1.1"]
    assert gate.points == D(0) and "evidence_missing" in gate.notes and gate.branch == "yes"
    assert steps["1.4"].applicability == "not_applicable:exclude_and_rescale"
    assert steps["1.4"].points is None
    assert steps["2.3"].applicability == "not_applicable:grant_full"
    assert steps["2.3"].points == D(10)
    assert to_jsonable(mini_result.unit("a").trace[0].evidence) == [
        {"doc": "01/KH", "title": "Kế hoạch"}
    ]
    kinds = [s.level for s in b.trace]
    assert kinds[-1] == "total" and "penalty" in kinds


def test_worked_example_of_domain_brief() -> None:
    """Exempt from 27 points, 62.05 earned of an applicable 73 gives an index of exactly 85.00."""
    text = """
index:
  id: worked
  year: 2018
  province: T
  title_vi: T
  title_en: T
  blocks: {content: {max: 100}}
groups:
  - id: department
    title_vi: Sở
    title_en: Departments
    classification: [{id: a, label_vi: A, label_en: A, min: 0}]
tree:
  - id: "1"
    title_vi: Chung
    max: 73
    children:
      - {id: "1.1", title_vi: a, max: 40, assessed_by: council, rule: {kind: council_judgment}}
      - {id: "1.2", title_vi: b, max: 33, assessed_by: council, rule: {kind: council_judgment}}
  - id: "3"
    title_vi: TTHC
    max: 20
    exempt_tags: [no_procedures]
    children:
      - {id: "3.1", title_vi: c, max: 20, rule: {kind: boolean}}
  - id: "7"
    title_vi: Hiện đại hóa
    max: 7
    children:
      - id: "7.3"
        title_vi: Dịch vụ công
        max: 7
        exempt_tags: [no_procedures]
        rule: {kind: boolean}
"""
    index = index_from_text(text)
    r = score_unit(
        index,
        ready(
            index,
            "department",
            {"1.1": {"score": 35, "reason": "x"}, "1.2": {"score": D("27.05"), "reason": "y"}},
            tags=["no_procedures"],
        ),
    )
    assert (r.points, r.max_points, r.index) == (D("62.05"), D(73), D(85))


def test_total_bonus_and_penalty_caps(mini_index) -> None:  # type: ignore[no-untyped-def]
    """Bonuses above index.bonus.max and penalties above index.penalty.max are capped."""
    answers = {
        "1.1": {"value": True, "evidence": [{"doc": "k"}]},
        "1.2": {"done_on": None},
        "1.3": {"numerator": 0, "denominator": 0},
        "1.4": {"numerator": 0, "denominator": 0},
        "1.5": {"score": 0, "reason": "r"},
    }
    r = score_unit(
        mini_index,
        ready(mini_index, "department", answers, {"B1": {"count": 9}}, tags=["no_procedures"]),
    )
    assert r.bonus == D(2)  # B1: 9 × 1 capped by its own max 2, and by the index cap 2
    r2 = score_unit(
        mini_index,
        ready(mini_index, "department", answers, {"P1": {"count": 3}}, tags=["no_procedures"]),
    )
    assert r2.penalty == D(3)  # 3 × 1.5 = 4.5, capped by P1's max 3
    assert r2.points == max(D(0), r.points - r.bonus - D(3))


def test_missing_answer_scores_zero_with_a_reason(mini_index) -> None:  # type: ignore[no-untyped-def]
    """An applicable leaf with no answer gets 0 and the trace says so."""
    r = score_unit(mini_index, ready(mini_index, "department", {}))
    step = next(s for s in r.trace if s.node == "1.2")
    assert step.points == D(0) and step.branch == "missing" and "No answer" in step.reason_en


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"1.1": {"value": "yes"}}, "expected true or false"),
        ({"1.3": {"numerator": 5, "denominator": 3}}, "numerator 5 exceeds denominator 3"),
        ({"1.3": {"numerator": -1, "denominator": 3}}, "whole number >= 0"),
        ({"1.2": {}}, "'done_on' is required"),
        ({"1.2": {"done_on": "soon"}}, "expected a date"),
        ({"2.3": {"level": "tôt"}}, "is not one of"),
        ({"1.1": {"na": True}}, "does not allow a not-applicable answer"),
        ({"9.9": {"value": True}}, "no scored item '9.9'"),
        ({"1.2": {"done_on": "2017-12-31"}}, "expected a date"),
    ],
)
def test_bad_answers_are_refused(mini_index, answers, message) -> None:  # type: ignore[no-untyped-def]
    """Wrong types, impossible values and misplaced answers are refused with the field."""
    with pytest.raises(SubmissionError) as exc:
        ready(mini_index, "department", answers)
    assert message in str(exc.value)


def test_council_reason_and_levels_are_enforced(mini_index) -> None:  # type: ignore[no-untyped-def]
    """A council judgment needs a reason, and a score among the declared levels."""
    from scoring.errors import ErrorList

    for ans, msg in (
        ({"score": 5}, "non-empty reason"),
        ({"score": 6, "reason": "x"}, "not one of the levels"),
    ):
        with pytest.raises((SubmissionError, ErrorList)) as exc:
            ready(mini_index, "department", {"1.5": ans})
        assert msg in str(exc.value)


def test_consistency_pack_runs_through_the_engine(mini_index) -> None:  # type: ignore[no-untyped-def]
    """A date outside the year is an error; a warning check only warns."""
    import datetime as dt

    with pytest.raises(SubmissionError, match="V2: date within the year"):
        ready(mini_index, "department", {"1.2": {"done_on": dt.date(2019, 1, 2)}})
    r = ready(
        mini_index, "department", {"2.1": {"count": 9}, "1.3": {"numerator": 1, "denominator": 2}}
    )
    assert any("V3" in w for w in r.warnings)


def test_appraisal_changes_set_final_points_and_are_traced(mini_index) -> None:  # type: ignore[no-untyped-def]
    """The last appraisal change wins; the step lists every change from the computed points."""
    import datetime as dt

    from scoring.evaluation.inputs import Appraisal

    r0 = ready(mini_index, "department", {"1.2": {"done_on": dt.date(2018, 1, 20)}})
    changes = {
        "1.2": [
            Appraisal("1", D(5), "Trễ hạn theo văn bản", "Tổ thẩm định", "2018-12-05T09:00"),
            Appraisal("2", D(10), "Chấp nhận giải trình", "Hội đồng", "2018-12-15T09:00"),
        ],
        "P1": [Appraisal("1", D("1.5"), "Có 1 CBCC bị kỷ luật", "Tổ thẩm định", "2018-12-05")],
    }
    base = score_unit(mini_index, r0)
    r = score_unit(mini_index, r0, changes)
    step = next(s for s in r.trace if s.node == "1.2")
    assert step.points == D(10) and "appraised" in step.notes
    assert [(c["from"], c["to"]) for c in step.appraisal] == [(D(10), D(5)), (D(5), D(10))]
    assert r.penalty == D("1.5") and r.points == base.points - D("1.5")
    pen = next(s for s in r.trace if s.node == "P1")
    assert pen.branch is None and pen.appraisal[0]["reason"] == "Có 1 CBCC bị kỷ luật"


def test_council_score_above_the_items_max_is_refused(mini_index) -> None:  # type: ignore[no-untyped-def]
    """A council score above the leaf's max is an answer error, not an engine failure."""
    text = (
        (MINI / "criteria.yaml")
        .read_text(encoding="utf-8")
        .replace("{kind: council_judgment, levels: [0, 5, 7.5, 10]}", "{kind: council_judgment}")
    )
    index = index_from_text(text)
    with pytest.raises(SubmissionError, match="15 is above the item's max 10"):
        ready(index, "department", {"1.5": {"score": 15, "reason": "x"}})


def test_zero_denominator_not_applicable_follows_the_nodes_strategy() -> None:
    """`zero_denominator: not_applicable` on a grant_full leaf counts its full points."""
    text = (
        (MINI / "criteria.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "        title_vi: Tỷ lệ xử lý kiến nghị\n",
            "        title_vi: Tỷ lệ xử lý kiến nghị\n        na_strategy: grant_full\n",
        )
    )
    index = index_from_text(text)
    r = score_unit(index, ready(index, "department", {"1.4": {"numerator": 0, "denominator": 0}}))
    step = next(s for s in r.trace if s.node == "1.4")
    assert step.points == D(10) and step.applicability == "not_applicable:grant_full"


def test_unit_with_nothing_applicable_is_not_ranked(mini_index) -> None:  # type: ignore[no-untyped-def]
    """A unit exempt from everything is reported, classified but not ranked."""
    from scoring import rank

    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    for area in ('  - id: "1"\n', '  - id: "S"\n'):
        text = text.replace(area, area + "    exempt_tags: [ghost]\n")
    text = text.replace(
        "    exempt_tags: [no_procedures]", "    exempt_tags: [no_procedures, ghost]"
    )
    index = index_from_text(text)
    ghost = score_unit(index, ready(index, "department", {}, tags=["ghost"], uid="g"))
    other = score_unit(index, ready(index, "department", {}, uid="o"))
    assert ghost.max_points == 0 and "not ranked" in ghost.warnings[-1]
    ranked = rank([ghost, other], index)
    assert [(r.unit_id, r.rank) for r in ranked] == [("o", 1), ("g", None)]


def test_unknown_unit_tag_is_refused(mini_index) -> None:  # type: ignore[no-untyped-def]
    """A tag that exempts nothing (a typo) is refused with a suggestion."""
    with pytest.raises(SubmissionError, match="did you mean 'no_procedures'"):
        ready(mini_index, "department", {}, tags=["no_procedure"])


def test_index_bonus_cap_applies_to_the_sum_of_total_bonuses() -> None:
    """Two bonuses each within their own max are capped together by index.bonus.max."""
    text = (
        (MINI / "criteria.yaml")
        .read_text(encoding="utf-8")
        .replace("  bonus: {max: 2}", "  bonus: {max: 1.5}")
    )
    pack = (
        (MINI / "rules" / "checks.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "bonuses:\n",
            "bonuses:\n  - {id: B2, title_vi: Thưởng 2, title_en: Bonus 2, scope: total, "
            "max: 1, rule: {kind: boolean}}\n",
        )
    )
    index = index_from_text(text, pack)
    r = score_unit(
        index, ready(index, "department", {}, {"B1": {"count": 1}, "B2": {"value": True}})
    )
    assert r.bonus == D("1.5")
    assert any(s.node == "bonus-cap" for s in r.trace)
