"""Each rule kind, branch by branch, through the compiled engine (boundaries included); and the
registry: a kind added in one module works end to end, and no module outside it names a kind."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import openpyxl
import pytest

from scoring import load_campaign, load_index, score_campaign, score_unit
from scoring.errors import IndexDefinitionError, ParindexError, SubmissionError
from scoring.excel.reader import read_template, write_template
from scoring.excel.template import FIRST_ROW, KEY_ROW, LABEL_ROW, SHEET
from scoring.index.fields import Whole
from scoring.index.kinds import HANDLERS, register, unregister
from scoring.index.kinds.base import (
    VALUE,
    Branch,
    Handler,
    Input,
    Prepared,
    Problem,
    Proposal,
    RuleSpec,
    named,
    whole,
)
from scoring.simulation.gaps import candidates
from scoring.simulation.uncertainty import UncertaintySpec
from scoring.simulation.whatif import parse_change, simulate
from scoring.sources.numbers import encode_bound, to_decimal
from scoring.web import forms
from tests.support.indexes import index_from_text, ready
from tests.support.paths import ROOT

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


# ---------------------------------------------------------------- a kind added for a test


class StarsRule(RuleSpec):
    """``toy_stars``: points in proportion to a star rating out of ``out_of``."""

    kind: Literal["toy_stars"]
    out_of: Whole = 5


class Stars(Handler[StarsRule]):
    """A kind written for this test only, in the shape a new kind's module would have."""

    kind = "toy_stars"
    spec = StarsRule
    doc = "A star rating: max × stars / out_of, full beyond the scale."
    label_vi, label_en = "Xếp hạng sao", "Star rating"
    inputs = named(Input("stars", "whole", "Số sao", "Stars"))
    tolerance = 0.2

    def check(self, rule: StarsRule, top: Decimal) -> list[Problem]:
        return [] if rule.out_of > 0 else [(("out_of",), "out_of must be above 0")]

    def branches(self, rule: StarsRule, top: Decimal) -> list[Branch]:
        scale = encode_bound(rule.out_of)
        return [
            Branch("rated", "Theo số sao", "By the stars", lo=0, hi=scale),
            Branch("beyond", "Vượt thang", "Beyond the scale", lo=scale, lo_incl=False),
        ]

    def prepare(self, rule: StarsRule, answer: Mapping[str, Any]) -> Prepared:
        n = whole(answer, "stars")
        return Prepared(VALUE, Fraction(n), {"stars": n})

    def points(self, rule: StarsRule, branch: str, prepared: Prepared, top: Decimal) -> Decimal:
        if branch == "beyond" or prepared.value is None:
            return top
        return to_decimal(Fraction(top) * prepared.value / rule.out_of)

    def proposals(
        self, rule: StarsRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        n = int(current.get("stars", 0))
        if n < rule.out_of:
            yield [("stars", D(rule.out_of - n), rule.out_of)]


CRITERIA = HEAD + "        rule: {kind: toy_stars, out_of: 5}\n"


@pytest.fixture
def toy() -> Iterator[Handler[Any]]:
    """The toy kind, registered for one test and removed after it."""
    h = register(Stars())
    try:
        yield h
    finally:
        unregister(h.kind)


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A one-unit campaign folder whose index has a toy_stars leaf (answered with 2 stars)."""
    (tmp_path / "criteria.yaml").write_text(CRITERIA, encoding="utf-8")
    (tmp_path / "campaign.yaml").write_text(
        "id: toy-2018\nyear: 2018\nindex: criteria.yaml\nunits:\n"
        "  - {id: u, name: Đơn vị U, group: g}\n",
        encoding="utf-8",
    )
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "u.yaml").write_text(
        'unit: u\nanswers:\n  "1.1": {stars: 2}\n', encoding="utf-8"
    )
    return tmp_path


# ---------------------------------------------------------------- a toy kind, end to end


def test_a_registered_kind_loads_and_scores(toy: Handler[Any]) -> None:
    """An index with a rule of the new kind loads, and a unit scores by its handler."""
    index = index_from_text(CRITERIA)
    scored = score_unit(index, ready(index, "g", {"1.1": {"stars": 3}}))
    leaf = next(s for s in scored.trace if s.node == "1.1")
    assert scored.points == D(6)
    assert (leaf.kind, leaf.branch, leaf.points) == ("toy_stars", "rated", D(6))
    beyond = score_unit(index, ready(index, "g", {"1.1": {"stars": 9}}))
    assert next(s for s in beyond.trace if s.node == "1.1").points == D(10)


def test_a_registered_kinds_rules_are_checked_when_loaded(toy: Handler[Any]) -> None:
    """The new kind's own check refuses a bad rule at load time, located at its field."""
    with pytest.raises(ParindexError, match="out_of must be above 0"):
        index_from_text(CRITERIA.replace("out_of: 5", "out_of: 0"))


def test_a_registered_kinds_labels_show_in_the_form_and_the_template(
    toy: Handler[Any], tmp_path: Path
) -> None:
    """The web form and the Excel template label the new kind and its input as it does."""
    index = index_from_text(CRITERIA)
    (row,) = forms.rows(index, "g")
    (inp,) = row.inputs
    assert (inp.name, inp.type, inp.label_vi, inp.label_en) == ("stars", "whole", "Số sao", "Stars")
    path = tmp_path / "t.xlsx"
    write_template(index, "g", "u", "Đơn vị U", path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    keys = {ws.cell(KEY_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(LABEL_ROW, keys["stars"]).value == "Số sao\n(stars)"
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "1.1")
    assert ws.cell(row, keys["kind"]).value == "Xếp hạng sao\n(toy_stars)"
    ws.cell(row, keys["stars"], 4)
    wb.save(path)
    assert "stars: 4" in read_template(path, index)


def test_what_if_proposes_inputs_for_a_registered_kind(toy: Handler[Any], campaign: Path) -> None:
    """What-if asks the new kind for input values to try, and re-scores a change of them."""
    index = load_index(campaign / "criteria.yaml")
    result = score_campaign(index, load_campaign(campaign))
    (found,) = candidates(index, result, "u")
    assert (found.node, found.changes, found.points, found.gain) == ("1.1", (("stars", 5),), 10, 6)
    w = simulate(index, result, "u", [parse_change(index, result, "u", "1.1=4")])
    assert (w.before.points, w.after.points) == (D(4), D(8))


def test_a_registered_kind_has_its_tolerance_and_no_bonus(toy: Handler[Any]) -> None:
    """Robustness takes the kind's own tolerance; a kind not marked adjustable scores no bonus."""
    assert UncertaintySpec().appraisal_tolerance["toy_stars"] == 0.2
    pack = (
        "pack: p\nbonuses:\n  - {id: b1, title_vi: T, title_en: T, max: 1, "
        "rule: {kind: toy_stars}}\n"
    )
    blocks = "blocks: {content: {max: 10}}"
    criteria = CRITERIA.replace(blocks, f"{blocks}\n  bonus: {{max: 1}}")
    with pytest.raises(ParindexError, match="toy_stars cannot score a bonus or penalty"):
        index_from_text(criteria, pack)


def test_registering_is_checked_and_undone() -> None:
    """A kind is registered once; unregistered, its rules are unknown again."""
    h = register(Stars())
    try:
        with pytest.raises(ValueError, match="registered already"):
            register(Stars())
    finally:
        unregister(h.kind)
    assert "toy_stars" not in HANDLERS
    with pytest.raises(ParindexError, match="unknown rule kind 'toy_stars'"):
        index_from_text(CRITERIA)


def test_an_input_key_keeps_one_type() -> None:
    """A kind may not read an input key that another kind reads with another type."""

    class ClashRule(RuleSpec):
        kind: Literal["toy_clash"]

    class Clash(Stars):
        kind = "toy_clash"
        spec = ClashRule
        inputs = named(Input("count", "number", "Số", "Count"))

    with pytest.raises(ValueError, match="key 'count'"):
        register(Clash())
    assert "toy_clash" not in HANDLERS


# ---------------------------------------------------------------- no kind named elsewhere


def kind_literals(source: str, kinds: set[str]) -> list[int]:
    """Lines of ``source`` that compare a value with a rule kind's name or match one."""

    def named_kind(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in kinds
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(named_kind(e) for e in node.elts)
        return False

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            named_kind(x) for x in (node.left, *node.comparators)
        ):
            lines.append(node.lineno)
        elif isinstance(node, ast.MatchValue) and named_kind(node.value):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_scan_finds_a_kind_named_outside_the_registry() -> None:
    """The scan sees ``==``, ``!=``, ``in (...)`` and ``match`` on a kind's name, not a mere use."""
    kinds = {"boolean", "deadline"}
    source = (
        "a = k == 'boolean'\n"
        "b = k in ('x', 'deadline')\n"
        "c = {'boolean': 1}\n"
        "match k:\n    case 'deadline':\n        pass\n"
        "d = 'boolean'\n"
        "e = k == 'other' or 'boolean' != k\n"
    )
    assert kind_literals(source, kinds) == [1, 2, 5, 8]


def test_no_module_outside_the_kinds_names_a_rule_kind() -> None:
    """Rule-kind knowledge lives in ``scoring/index/kinds``: no other module tests a kind."""
    kinds = set(HANDLERS)
    package = ROOT / "scoring"
    found = []
    for path in sorted(package.rglob("*.py")):
        if (package / "index" / "kinds") in path.parents:
            continue
        for line in kind_literals(path.read_text(encoding="utf-8"), kinds):
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert found == []
