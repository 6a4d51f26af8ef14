"""Frozen traces decode to exactly what the step builders give: steps, JSON and texts.

The reference is ``results.trace_steps``, which builds every step with its builder from the
same compact score and snapshot. The frozen decoding shares per-outcome steps between units
and writes the leaves' and nodes' reasons without making steps; these tests compare the two
on generated indices (hypothesis), on the 2018, 2019 and 2025 samples with their appraisal
rounds, and on the mini campaign with appraisals, in one process and with worker processes.
"""

from __future__ import annotations

import decimal
import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Index, load_campaign, load_index, score_campaign, score_units
from scoring.campaign.appraisal_files import parse_appraisals
from scoring.campaign.ready import prepare
from scoring.evaluation import batch
from scoring.evaluation.frozen import BuiltTrace, FrozenTrace, freeze, trace_text
from scoring.evaluation.incremental import rescore
from scoring.evaluation.inputs import Appraisal
from scoring.evaluation.results import trace_steps
from scoring.evaluation.trace import Step, UnitResult, dumps
from scoring.sources.numbers import CONTEXT
from tests.support.generate import random_answers, random_index
from tests.support.indexes import index_from_text, ready
from tests.support.paths import MINI, ROOT

D = decimal.Decimal
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _reference(t: FrozenTrace) -> list[Step]:
    """The builders' steps, one builder call a step, from the same frozen data."""
    with decimal.localcontext(CONTEXT):
        return trace_steps(t.index, t.plan, t.ready, t.score, t.appraised)


def _same_as_builders(results: Iterable[UnitResult]) -> list[Step]:
    """Each result's frozen trace decodes to the builders' steps, JSON and texts."""
    seen: list[Step] = []
    for r in results:
        t = freeze(r)
        assert isinstance(t, FrozenTrace)
        want = _reference(t)
        got = t.steps()
        assert got == want, r.unit_id
        assert dumps(got) == dumps(want), r.unit_id  # digits and exponents, not only values
        assert dumps(r) == dumps(r.__class__(**{**_fields(r), "trace": tuple(want)}))
        for lang, attr in (("vi", "reason_vi"), ("en", "reason_en")):
            assert t.reasons(lang) == [getattr(s, attr) for s in want]
            assert t.text(lang) == trace_text(want, lang)
        assert t.lines() == [(s.node, s.reason_vi, s.reason_en) for s in want]
        assert r.warnings == t.score.warnings
        seen.extend(want)
    return seen


def _fields(r: UnitResult) -> dict[str, Any]:
    return {f: getattr(r, f) for f in r.__slots__}


def _appraisals(rng: random.Random, index: Index, uids: Sequence[str]) -> dict[str, Any]:
    """Random appraisal changes: leaves and bonuses/penalties, one or two rounds each (up to
    3 points: above a penalty's cap of 2, so that the cap shows)."""
    nodes = [*index.groups["g"].leaves, *(a.spec.id for a in index.adjustments)]
    out: dict[str, Any] = {}
    for uid in uids:
        if rng.random() < 0.5:
            continue
        out[uid] = {
            node: [
                Appraisal(str(k + 1), D(rng.randint(0, 6)) / 2, f"lý do {k}", "tổ", "2018-12-05")
                for k in range(rng.randint(1, 2))
            ]
            for node in rng.sample(nodes, k=min(len(nodes), rng.randint(1, 3)))
        }
    return out


def _generated(seed: int, n: int = 8) -> tuple[Index, list[UnitResult]]:
    rng = random.Random(seed)
    criteria, pack = random_index(rng)
    index = index_from_text(criteria, pack)
    exempting = any(i.exemptions for i in index.groups["g"].items.values())
    units = []
    for i in range(n):
        tags = ["no_procedures"] if exempting and rng.random() < 0.3 else []
        s, sv, c, adj = random_answers(rng, index, "g")
        units.append(ready(index, "g", {**s, **sv, **c}, adj, tags, f"u{i}"))
    appraisals = _appraisals(rng, index, [r.unit.id for r in units])
    return index, score_units(index, units, appraisals)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_indices_decode_to_the_builders_steps(seed: int) -> None:
    """On a generated index, answers and appraisals, every frozen trace decodes to the
    builders' steps, JSON and texts in both languages."""
    _, results = _generated(seed)
    _same_as_builders(results)


def test_generated_indices_cover_every_kind_of_step() -> None:
    """Fixed generated campaigns reach N/A leaves (both strategies), appraised leaves and
    bonuses/penalties, an area's own penalty, both caps and evidence gates, and decode them
    all exactly."""
    steps: list[Step] = []
    for seed in range(12):
        _, results = _generated(seed, n=12)
        steps += _same_as_builders(results)
    levels = {s.level for s in steps}
    assert {"leaf", "area", "adjusted", "bonus", "penalty", "total"} <= levels
    assert {"bonus-cap", "penalty-cap"} <= {s.node for s in steps}
    applicability = {s.applicability for s in steps}
    assert {"not_applicable:grant_full", "not_applicable:exclude_and_rescale"} <= applicability
    assert any(s.appraisal and s.level == "leaf" for s in steps)
    assert any(s.appraisal and s.level in ("bonus", "penalty") for s in steps)
    assert any("evidence_missing" in s.notes for s in steps)
    assert any(s.points is None for s in steps)


def _sample_appraisals(folder: Path) -> dict[str, dict[str, list[Appraisal]]]:
    """A sample's appraisal rounds as the batch takes them (unit -> node -> changes)."""
    out: dict[str, dict[str, list[Appraisal]]] = {}
    for path in sorted(folder.glob("appraisal-*.yaml")):
        f, _, _ = parse_appraisals(path.read_text(encoding="utf-8"), path.name)
        for uid, entries in f.units.items():
            for e in entries:
                change = Appraisal(
                    str(f.round), e.score, e.reason, e.appraiser or f.appraiser, "2018-12-05"
                )
                out.setdefault(uid, {}).setdefault(e.node, []).append(change)
    return out


@pytest.mark.parametrize("year", ["2018", "2019", "2025"])
def test_samples_decode_to_the_builders_steps(year: str) -> None:
    """Every unit of a sample, with its appraisal rounds, decodes exactly."""
    campaign = load_campaign(ROOT / "samples" / year)
    index = load_index(campaign.index_path(), campaign.rules_path())
    result = score_campaign(index, campaign, _sample_appraisals(ROOT / "samples" / year))
    steps = _same_as_builders(r for rs in result.groups.values() for r in rs)
    assert any(s.appraisal for s in steps)


def _mini_appraisals() -> Mapping[str, Any]:
    when = "2018-12-05T09:00"
    return {
        "a": {
            "1.4": [Appraisal("1", D(6), "Số liệu khác", "Tổ", when)],
            "B1": [Appraisal("1", D("0.5"), "Một sáng kiến", "Tổ", when)],
        },
        "b": {"P1": [Appraisal("1", D("1.5"), "Kỷ luật", "Tổ", when)]},
    }


@pytest.mark.parametrize("jobs", [1, 2])
def test_worker_processes_freeze_the_same_traces(
    mini_index: Index, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Scores pickled back from worker processes (jobs=2) freeze traces that decode exactly,
    to the text one process gives."""
    monkeypatch.setattr(batch, "PARALLEL_MIN", 1)
    units = [prepare(mini_index, s) for s in load_campaign(MINI).submissions.values()]
    results = score_units(mini_index, units, _mini_appraisals(), jobs=jobs)
    _same_as_builders(results)
    one = score_units(mini_index, units, _mini_appraisals())
    assert [freeze(r).text("en") for r in results] == [freeze(r).text("en") for r in one]


def test_freeze_is_the_batchs_own_trace(mini_index: Index) -> None:
    """freeze gives the frozen trace the batch made (no new work), and the result's trace
    reads its steps."""
    r = score_units(mini_index, [ready(mini_index, "department", {"1.1": {"value": True}})])[0]
    t = freeze(r)
    assert isinstance(t, FrozenTrace) and freeze(r) is t
    assert tuple(r.trace) == tuple(t.steps())


def test_freeze_of_a_rescored_result_reads_its_built_steps(mini_index: Index) -> None:
    """A result made by an incremental re-score has built steps: freeze reads them with the
    same methods."""
    base_unit = ready(mini_index, "department", {"1.4": {"numerator": 5, "denominator": 10}})
    base = score_units(mini_index, [base_unit])[0]
    changed = ready(mini_index, "department", {"1.4": {"numerator": 9, "denominator": 10}})
    again = rescore(mini_index, changed, base, ["1.4"])
    assert again is not None
    t = freeze(again)
    assert isinstance(t, BuiltTrace)
    assert t.steps() == list(again.trace)
    assert t.text("vi") == trace_text(again.trace, "vi")
    assert t.reasons("en") == [s.reason_en for s in again.trace]
    assert t.lines()[0][0] == again.trace[0].node


def test_an_unknown_language_is_refused(mini_index: Index) -> None:
    """Texts come in Vietnamese or English; anything else is a clear error."""
    r = score_units(mini_index, [ready(mini_index, "department", {})])[0]
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        freeze(r).text("fr")
