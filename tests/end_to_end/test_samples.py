"""The 2018 Lạng Sơn samples end to end, against golden JSON (rewrite with --update-golden)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import Index, dumps, load_campaign, load_index, score_campaign, score_document
from scoring.evaluation.ranking import CampaignResult
from scoring.index.kinds import HANDLERS
from tests.support.paths import GOLDEN, ROOT, SAMPLES


@pytest.fixture(scope="module")
def result(real_index: Index) -> CampaignResult:
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


def _golden(path: Path, text: str, update: bool) -> None:
    text = text.replace(str(ROOT) + "/", "")  # warnings name files; keep them clone-independent
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from the golden file"


def test_every_unit_is_scored_and_ranked(result: CampaignResult) -> None:
    """20 departments and 11 districts, all scored, ranked per group, nothing refused."""
    assert not result.errors
    assert len(result.groups["department"]) == 20 and len(result.groups["district"]) == 11
    for results in result.groups.values():
        assert [r.rank for r in results] == sorted(r.rank for r in results)
        assert all(r.classification is not None for r in results)


def test_designed_ties_share_a_rank(result: CampaignResult) -> None:
    """Sở Giao thông vận tải / Sở Khoa học và Công nghệ and Huyện Bắc Sơn / Huyện Tràng Định
    tie (the published decision's ties); the next rank is skipped."""
    for a, b in (
        ("so-giao-thong-van-tai", "so-khoa-hoc-va-cong-nghe"),
        ("huyen-bac-son", "huyen-trang-dinh"),
    ):
        ra, rb = result.unit(a), result.unit(b)
        assert ra.rank == rb.rank and ra.index == rb.index
        ranks = [r.rank for r in result.groups[ra.group]]
        assert ra.rank + 1 not in ranks


def test_exempt_units_are_rescaled(result: CampaignResult) -> None:
    """Units without administrative procedures are scored on a smaller applicable maximum."""
    for uid in ("van-phong-ubnd-tinh", "thanh-tra-tinh", "ban-dan-toc"):
        r = result.unit(uid)
        assert r.max_points < 100
        assert r.nodes["3"].max == 0


def test_samples_exercise_every_rule_kind_and_mechanism(result: CampaignResult) -> None:
    """The traces use every rule kind, the evidence gate, N/A strategies, bonus and penalty."""
    steps = [s for rs in result.groups.values() for r in rs for s in r.trace]
    kinds = {s.kind for s in steps if s.level == "leaf"}
    assert kinds == set(HANDLERS)  # all twelve kinds
    notes = {n for s in steps for n in s.notes}
    assert "evidence_missing" in notes
    applicability = {s.applicability for s in steps}
    assert {"not_applicable:grant_full", "not_applicable:exclude_and_rescale"} <= applicability
    levels = {s.level for s in steps}
    assert {"bonus", "penalty", "adjusted"} <= levels
    branches = {s.branch for s in steps}
    assert {"missing", "late", "late_1", "late_2", "not_done", "zero_denominator"} <= branches


def test_score_document_matches_golden(result: CampaignResult, update_golden: bool) -> None:
    """The published figures of the 31 units are the golden ones."""
    text = json.dumps(score_document(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _golden(GOLDEN / "score-2018.json", text, update_golden)


def test_traces_match_golden(result: CampaignResult, update_golden: bool) -> None:
    """Every unit's full trace serialises to the golden JSON, byte for byte, and every golden
    trace is a unit's."""
    units = [r for results in result.groups.values() for r in results]
    for r in units:
        _golden(GOLDEN / "traces" / f"{r.unit_id}.json", dumps(r), update_golden)
    golden = {p.stem for p in (GOLDEN / "traces").glob("*.json")}
    assert golden == {r.unit_id for r in units}, "a golden trace of no unit: delete it"


def test_trace_json_is_deterministic(result: CampaignResult) -> None:
    """Scoring the same inputs twice gives the same bytes."""
    # compiled afresh, not the session's index: the compile is part of what must be repeatable
    again = score_campaign(
        load_index(ROOT / "criteria.yaml", ROOT / "rules"), load_campaign(SAMPLES)
    )
    for uid in ("so-tai-chinh", "huyen-loc-binh"):
        assert dumps(result.unit(uid)) == dumps(again.unit(uid))
