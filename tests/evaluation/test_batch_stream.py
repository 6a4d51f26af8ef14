"""National scale: the benchmark harness (its generated campaign, and the hand-written loop and
zen-engine agreeing with the engine of record leaf by leaf), streamed scoring (``score_stream``)
and scoring in worker processes (``score_units(..., jobs=2)``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from benchmarks.national import (
    NA_TAG,
    engine_records,
    leaf_evaluations,
    naive_loop,
    national,
    national_stream,
)
from benchmarks.zen_national import zen_decisions, zen_graph, zen_loop
from scoring import Index, ParindexError, Ready, UnitResult, dumps, score_units
from scoring.campaign.ready import NA
from scoring.campaign.submission import Submission, UnitSpec
from scoring.evaluation import batch
from scoring.evaluation.batch import score_stream
from scoring.evaluation.outcomes import leaf_facts
from scoring.index.kinds import MISSING

N = 300


def _zen() -> None:
    pytest.importorskip("zen", reason="zen-engine (GoRules) is not installed")


@pytest.fixture(scope="module")
def index(real_index: Index) -> Index:
    """The repository's index (the session's)."""
    return real_index


@pytest.fixture(scope="module")
def units(index: Index) -> list[Ready]:
    return national(index, N, seed=11)


@pytest.fixture(scope="module")
def engine(index: Index, units: list[Ready]) -> list[Any]:
    index.engine.clear_memo()
    return engine_records(index, score_units(index, units))


def _by_leaf(records: list[Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    return [(uid, total, {leaf: (b, p) for leaf, b, p in recs}) for uid, total, recs in records]


def _answers(r: Ready) -> tuple[Any, ...]:
    return (r.group, tuple(r.unit.tags), r.leaves, r.adjustments, r.answers)


def test_generator_is_deterministic(index: Index) -> None:
    """The same seed gives the same units, answers and prepared values; another seed does not."""
    a, b, c = national(index, 60, seed=5), national(index, 60, seed=5), national(index, 60, seed=6)
    assert [(r.unit, *_answers(r)) for r in a] == [(r.unit, *_answers(r)) for r in b]
    assert [_answers(r) for r in a] != [_answers(r) for r in c]


def test_generator_covers_both_groups_and_every_rule_kind(index: Index, units: list[Ready]) -> None:
    """The campaign has units of every group, and every rule kind of the index gets answered."""
    assert len(units) == N
    assert {r.group for r in units} == set(index.groups)
    kinds = {
        index.groups[r.group].leaves[lid].node.rule.kind  # type: ignore[union-attr]
        for r in units
        for lid, p in r.leaves.items()
        if p.status not in (MISSING, NA)
    }
    every = {
        item.node.rule.kind  # type: ignore[union-attr]
        for view in index.groups.values()
        for item in view.leaves.values()
    }
    assert kinds == every


def test_generator_has_ties(index: Index, units: list[Ready]) -> None:
    """Some units answer exactly as another unit of their group, and the engine ties them."""
    seen = Counter(repr(_answers(r)) for r in units)
    twins = [r for r in units if seen[repr(_answers(r))] > 1]
    assert len(twins) >= 10
    results = {res.unit_id: res for res in score_units(index, twins)}
    by_answers: dict[str, set[Any]] = {}
    for r in twins:
        by_answers.setdefault(repr(_answers(r)), set()).add(results[r.unit.id].index)
    assert all(len(values) == 1 for values in by_answers.values())


def test_generator_has_missing_evidence_na_areas_and_missing_answers(
    index: Index, units: list[Ready]
) -> None:
    """Evidence is missing on some evidence-required leaves, areas are N/A by tag, answers lack."""
    keys = [leaf_facts(index.groups[r.group], r) for r in units]
    no_evidence = sum(1 for ks in keys for k in ks.values() if k[4] == 0)
    tagged = sum(1 for r in units if NA_TAG in r.unit.tags)
    exempt = sum(
        1
        for r, ks in zip(units, keys, strict=True)
        for lid, p in r.leaves.items()
        if lid not in ks and p.status != NA
    )
    missing = Counter(p.status for r in units for p in r.leaves.values())[MISSING]
    na_answers = Counter(p.status for r in units for p in r.leaves.values())[NA]
    assert no_evidence > 100
    assert 0.15 * N < tagged < 0.4 * N
    assert exempt > 10 * tagged  # a tag exempts whole areas, not a leaf here and there
    assert missing > 200
    assert na_answers > 0


def test_naive_loop_matches_engine_leaf_by_leaf(
    index: Index, units: list[Ready], engine: list[Any]
) -> None:
    """The naive loop picks the engine's branch and points for every leaf of every unit."""
    hand = naive_loop(index, units)
    assert _by_leaf(hand) == _by_leaf(engine)
    assert sum(len(recs) for _, _, recs in hand) == leaf_evaluations(index, units)


def test_zen_matches_engine_leaf_by_leaf(
    index: Index, units: list[Ready], engine: list[Any]
) -> None:
    """zen-engine's decision tables, trace on, give the engine's branch and gate for every leaf."""
    _zen()
    z = zen_decisions(index)
    assert _by_leaf(zen_loop(z, index, units)) == _by_leaf(engine)


def test_zen_through_its_loader_matches_engine(
    index: Index, units: list[Ready], engine: list[Any]
) -> None:
    """``engine.evaluate(group, …)`` through the loader gives what the compiled decision gives."""
    _zen()
    z = zen_decisions(index)
    some = units[:40]
    assert _by_leaf(zen_loop(z, index, some, via_engine=True)) == _by_leaf(engine[:40])


def test_zen_graph_has_a_table_per_leaf_and_a_row_per_branch(index: Index) -> None:
    """Each group's JDM graph: one first-hit table per leaf and per bonus/penalty of the group,
    a row per branch (two if gated)."""
    _zen()
    z = zen_decisions(index)
    for g, view in index.groups.items():
        doc = zen_graph(z.tables[g])
        tables = [n for n in doc["nodes"] if n["type"] == "decisionTableNode"]
        claims = sum(1 for a in index.adjustments if g in a.groups)
        assert len(tables) == len(view.leaves) + claims == len(doc["edges"]) // 2
        for table, (_, code, branches, gated) in zip(tables, z.tables[g], strict=True):
            assert table["content"]["hitPolicy"] == "first"
            assert table["name"] == code
            assert len(table["content"]["rules"]) == len(branches) * (2 if gated else 1)


def _whole(results: list[UnitResult]) -> list[tuple[str, tuple[Any, ...], list[Any]]]:
    """Everything of each result: its JSON, its trace steps and its nodes."""
    return [(dumps(r), tuple(r.trace), sorted(r.nodes.items())) for r in results]


def test_national_stream_prepares_to_the_national_units(index: Index, units: list[Ready]) -> None:
    """The first N submissions of the stream that prepare accepts are ``national``'s units."""
    streamed = list(score_stream(index, national_stream(index, N, seed=11), errors={}))[:N]
    assert [r.unit_id for r in streamed] == [r.unit.id for r in units]


def test_score_stream_equals_score_units(index: Index) -> None:
    """Streaming submissions in small chunks gives exactly ``score_units``' results (points,
    nodes, traces) for the units prepare accepts; the refused ones are reported, not scored."""
    subs = list(national_stream(index, 80, seed=3))
    errors: dict[str, list[ParindexError]] = {}
    streamed = list(score_stream(index, subs, chunk=7, errors=errors))
    ready = national(index, len(streamed), seed=3)
    assert len(streamed) + len(errors) == len(subs)
    assert not {r.unit_id for r in streamed} & set(errors)
    assert _whole(streamed) == _whole(score_units(index, ready))


def test_score_stream_scores_prepared_units_and_raises_without_an_errors_mapping(
    index: Index, units: list[Ready]
) -> None:
    """Ready units pass through unprepared; a refused submission raises when no ``errors``
    mapping collects it."""
    assert _whole(list(score_stream(index, units[:5]))) == _whole(score_units(index, units[:5]))
    bad = Submission(UnitSpec(id="x", name="X", group="no-such-group"))
    with pytest.raises(ParindexError, match="unknown group"):
        list(score_stream(index, [*units[:3], bad]))
    with pytest.raises(ValueError, match="chunk"):
        list(score_stream(index, units[:3], chunk=0))


def test_worker_processes_give_the_one_process_results(
    index: Index, units: list[Ready], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``jobs=2`` (forked workers scoring slices, the parent assembling) equals ``jobs=1``."""
    monkeypatch.setattr(batch, "PARALLEL_MIN", 1)
    index.engine.clear_memo()
    two = score_units(index, units, jobs=2)
    index.engine.clear_memo()
    assert _whole(two) == _whole(score_units(index, units, jobs=1))


def test_a_trace_read_after_the_memo_is_cleared_is_the_same(
    index: Index, units: list[Ready]
) -> None:
    """Traces are built when read, from what the result holds, not from the engine's memo:
    clearing the memo (as the benchmarks do between rounds) changes no unread trace."""
    index.engine.clear_memo()
    unread = score_units(index, units[:40])
    index.engine.clear_memo()
    assert _whole(unread) == _whole(score_units(index, units[:40]))


def test_the_batch_and_the_single_leaf_scorer_share_outcome_keys(
    index: Index, units: list[Ready]
) -> None:
    """``batch.known_outcomes`` writes ``outcomes.outcome_key`` out for speed: the keys it
    builds are that function's, leaf for leaf, so what-if and the batch share one memo; and a
    prepared answer's evidence flag is the answer's (the engine fact reads only the flag)."""
    from scoring.evaluation.compact import group_plan
    from scoring.evaluation.outcomes import outcome_key

    plans = [group_plan(index.groups[r.group]) for r in units]
    outs, pending, _ = batch.known_outcomes(plans, units, {})
    seen = 0
    for plan, r, row in zip(plans, units, outs, strict=True):
        keys = leaf_facts(index.groups[r.group], r)
        for (lid, code, _, _), out in zip(plan.leaf_keys, row, strict=True):
            p = r.leaves[lid]
            ans = r.answers.get(lid)
            assert p.evidence == bool(ans is not None and ans.evidence)
            if lid not in keys:
                assert out is None
                continue
            mk = outcome_key(code, p, keys[lid][4])  # type: ignore[arg-type]
            assert pending[mk] is out  # the slot shared by every leaf with this key
            seen += 1
    assert seen > 10_000
    assert {r.leaves[lid].evidence for r in units for lid in r.answers} == {True, False}
