"""The 2025 Lạng Sơn sample (samples/2025/) end to end: its own index, two groups with their own
trees, bands and rankings, the reduced scale of units without a survey, and the whole year run
into a temporary store."""

from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from scoring import Index, load_campaign, score_campaign
from scoring.evaluation.ranking import CampaignResult
from scoring.index.kinds.rates import RatioBandsRule, ValueBandsRule
from scoring.sources.yamlsrc import load_yaml_file
from tests.support.cli import run
from tests.support.indexes import compiled
from tests.support.paths import ROOT

FOLDER = ROOT / "samples" / "2025"
CENT = Decimal("0.01")
REDUCED = ("van-phong-ubnd-tinh", "thanh-tra-tinh")  # tagged no_procedures: not surveyed


@pytest.fixture(scope="module")
def index() -> Index:
    """samples/2025/criteria.yaml with the repository's rule packs, compiled once."""
    return compiled(FOLDER / "criteria.yaml", ROOT / "rules")


@pytest.fixture(scope="module")
def scored(index: Index) -> CampaignResult:
    """The 2025 self-assessments, scored as submitted."""
    return score_campaign(index, load_campaign(FOLDER))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``parindex campaign run samples/2025 --json`` into a temporary store: the published
    ranking."""
    db = f"sqlite:///{tmp_path_factory.mktemp('store') / 'parindex.db'}"
    r = run("--db", db, "campaign", "run", str(FOLDER), "--json")
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def test_the_index_is_the_2025_frame(index: Index) -> None:
    """Eight contents plus the survey, 84 + 16 points, bonus and penalty packs, marked
    representative."""
    assert index.meta.year == 2025 and "Representative" in (index.meta.notice or "")
    for group in ("department", "xa-phuong"):
        areas = [a.id for a in index.groups[group].areas]
        assert areas == ["1", "2", "3", "4", "5", "6", "7", "8", "S"], group
    assert index.adjustments, "no bonus or penalty items"
    head = (FOLDER / "criteria.yaml").read_text(encoding="utf-8")[:400]
    assert "REPRESENTATIVE ENCODING" in head


def test_the_groups_trees_differ_where_declared(index: Index) -> None:
    """Area 3 and area 8 are each group's own: other maxima, other leaves, other rules."""
    dept, xa = index.groups["department"], index.groups["xa-phuong"]
    assert (dept.items["3"].max, xa.items["3"].max) == (18, 12)
    assert (dept.items["8"].max, xa.items["8"].max) == (4, 10)
    assert isinstance(dept.leaves["8.1.1"].node.rule, RatioBandsRule)
    assert isinstance(xa.leaves["8.1.1"].node.rule, ValueBandsRule)
    assert "8.3.2" in xa.leaves and "8.3.2" not in dept.leaves
    assert "3.2.3" in dept.leaves and "3.2.3" not in xa.leaves
    # the shared areas are the same in both trees
    assert dept.items["5"].max == xa.items["5"].max == 12


def test_every_unit_is_published_and_ranked_in_its_group(published: dict[str, Any]) -> None:
    """15 departments and 65 xã and phường, published, each group ranked on its own."""
    assert published["campaign"] == "langson-2025" and not published["errors"]
    groups = {g["id"]: g["units"] for g in published["groups"]}
    assert {k: len(v) for k, v in groups.items()} == {"department": 15, "xa-phuong": 65}
    for units in groups.values():
        ranks = [u["rank"] for u in units]
        assert ranks[0] == 1 and ranks == sorted(ranks)
        indices = [Decimal(u["index"]) for u in units]
        assert indices == sorted(indices, reverse=True)
        assert all(u["classification"] is not None for u in units)


def test_each_group_has_its_own_bands(published: dict[str, Any], index: Index) -> None:
    """A commune at 93 or more is Xuất sắc; a department at 85-93 Tốt, a commune at 80-85 Tốt
    (the commune group's Tốt starts at 80)."""
    bands = {g: index.groups[g].group.classification for g in ("department", "xa-phuong")}
    assert [b.min for b in bands["department"]][:2] == [93, 85]
    assert [b.min for b in bands["xa-phuong"]][:2] == [93, 80]
    groups = {g["id"]: g["units"] for g in published["groups"]}
    for gid, units in groups.items():
        for u in units:
            want = next(b for b in bands[gid] if Decimal(u["index"]) >= b.min)
            assert u["classification"]["id"] == want.id, (u["unit_id"], u["index"])
    assert any(u["classification"]["id"] == "xuat-sac" for u in groups["xa-phuong"])
    between = [u for u in groups["xa-phuong"] if 80 <= Decimal(u["index"]) < 85]
    assert between and {u["classification"]["id"] for u in between} == {"tot"}


def test_a_unit_without_a_survey_is_scored_over_84(scored: CampaignResult) -> None:
    """Văn phòng UBND tỉnh: survey block exempt, maximum 84, index = points ÷ 84 × 100 at the
    index's rounding (two decimals, half up)."""
    r = scored.unit("van-phong-ubnd-tinh")
    assert r.nodes["S"].max == 0 and r.max_points == 84
    want = (r.points / Decimal(84) * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    assert r.index.quantize(CENT, rounding=ROUND_HALF_UP) == want
    assert want != r.points.quantize(CENT, rounding=ROUND_HALF_UP)
    surveyed = scored.unit("so-tu-phap")
    assert surveyed.nodes["S"].max == 16 and surveyed.max_points == 100


def test_the_published_reduced_scale_follows_the_same_rule(published: dict[str, Any]) -> None:
    """After appraisal the published figure of a unit on 84 is still points ÷ 84 × 100."""
    units = {u["unit_id"]: u for g in published["groups"] for u in g["units"]}
    vp = units["van-phong-ubnd-tinh"]
    assert vp["max_points"] == "84.00" and Decimal(vp["survey"]) == 0
    exact = Decimal(vp["index_exact"])
    assert Decimal(vp["index"]) == exact.quantize(CENT, rounding=ROUND_HALF_UP)
    assert abs(exact - Decimal(vp["points"]) * 100 / 84) <= Decimal("0.006")
    assert all(units[u]["max_points"] != "100.00" for u in REDUCED)


def test_the_survey_comes_as_thousands_of_raw_forms() -> None:
    """forms.csv holds thousands of answered forms, 30 to 120 per surveyed unit, and none for
    the units not surveyed; survey.yaml keeps only the SIPAS values the forms do not give."""
    with (FOLDER / "forms.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    per_unit = Counter(r["unit"] for r in rows)
    assert len(rows) > 5000 and len(per_unit) == 78 and not set(REDUCED) & set(per_unit)
    assert min(per_unit.values()) >= 30 and max(per_unit.values()) >= 100
    data, _source = load_yaml_file(FOLDER / "survey.yaml")
    assert all("responses" not in a for leaves in data["units"].values() for a in leaves.values())


def test_the_forms_count_to_each_leafs_responses() -> None:
    """A unit's responses per survey leaf, as the campaign reads them, are its forms counted
    by hand."""
    design, _source = load_yaml_file(FOLDER / "survey-design.yaml")
    with (FOLDER / "forms.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["unit"] == "so-tu-phap"]
    sub = load_campaign(FOLDER).submissions["so-tu-phap"]
    for q, spec in design["questions"].items():
        by_hand = Counter(r[q] for r in rows if r[q])
        got = {k: int(v) for k, v in sub.answers[spec["leaf"]].responses.items() if int(v)}
        assert got == dict(by_hand), q
