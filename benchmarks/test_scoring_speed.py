"""Speed of the engine issue's three workloads (pytest-benchmark; compare runs, never assert).

Run:  .venv/bin/python -m pytest benchmarks --benchmark-only --benchmark-autosave
Compare with the last saved run:  add --benchmark-compare
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scoring import (
    ParindexError,
    Ready,
    load_campaign,
    load_index,
    prepare,
    score_campaign,
    score_units,
)
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.index.loader import Index
from scoring.sources.yamlsrc import Source
from tests.support.generate import random_answers

ROOT = Path(__file__).resolve().parent.parent
CRITERIA, RULES, SAMPLES = ROOT / "criteria.yaml", ROOT / "rules", ROOT / "samples" / "2018"


@pytest.fixture(scope="module")
def index() -> Index:
    return load_index(CRITERIA, RULES)


def _submissions(index: Index, n: int, seed: int = 7) -> list[Submission]:
    """``n`` generated units' answers, as read from files (not yet checked)."""
    return list(iter_submissions(index, n, seed))


def iter_submissions(index: Index, n: int, seed: int = 7) -> Iterator[Submission]:
    """``_submissions`` one unit at a time (the same units, nothing held)."""
    rng = random.Random(seed)
    groups = list(index.groups)
    src = Source("<generated>")
    for i in range(n):
        group = groups[i % len(groups)]
        tags = ["no_procedures"] if rng.random() < 0.15 else []
        sub = Submission(UnitSpec(id=f"u{i}", name=f"Đơn vị {i}", group=group, tags=tags))
        s, sv, c, adj = random_answers(rng, index, group)
        for origin, answers in (("self", s), ("survey", sv), ("council", c)):
            for key, ans in answers.items():
                if ans.get("done_on") is not None and ans["done_on"].year != index.meta.year:
                    ans["done_on"] = ans["done_on"].replace(year=index.meta.year)
                sub.answers[key] = Answer.model_validate(ans)
                sub.where[("answer", key)] = (src, ("answers", key), {})
                if origin != "self":
                    sub.where[("source", key)] = (src, (origin,), {})
        for key, ans in adj.items():
            sub.adjustments[key] = Answer.model_validate(ans)
            sub.where[("adjustment", key)] = (src, ("adjustments", key), {})
        yield sub


def _prepare_all(index: Index, subs: list[Submission]) -> list[Ready]:
    out = []
    for sub in subs:
        try:
            out.append(prepare(index, sub))
        except ParindexError:  # a generated unit that breaks a consistency rule: leave it out
            continue
    return out


def test_load_and_compile_index(benchmark: Any) -> None:
    """Read criteria.yaml + rules/, check everything, compile the durable-rules ruleset."""
    result = benchmark(load_index, CRITERIA, RULES)
    assert result.rule_count > 100


def test_score_31_samples_end_to_end(benchmark: Any) -> None:
    """Load the index and the 2018 campaign, prepare, score, classify and rank 31 units."""

    def run() -> Any:
        return score_campaign(load_index(CRITERIA, RULES), load_campaign(SAMPLES))

    result = benchmark(run)
    assert sum(len(g) for g in result.groups.values()) == 31


def test_score_10000_generated_units(benchmark: Any, index: Index) -> None:
    """Score 10,000 prepared units with full traces; the engine's memo is cleared each round."""
    units = _prepare_all(index, _submissions(index, 10_000))

    def run() -> Any:
        index.engine.clear_memo()
        return score_units(index, units)

    results = benchmark.pedantic(run, rounds=3, iterations=1)
    assert len(results) == len(units) > 9_000
    benchmark.extra_info["units"] = len(units)
    benchmark.extra_info["leaf_steps"] = sum(
        1 for r in results for s in r.trace if s.level == "leaf"
    )


def test_prepare_10000_generated_units(benchmark: Any, index: Index) -> None:
    """Check 10,000 units' answers: types, ranges, consistency packs through the engine."""
    subs = _submissions(index, 10_000, seed=3)

    def run() -> int:
        index.engine.clear_memo()
        return len(_prepare_all(index, subs))

    n = benchmark.pedantic(run, rounds=3, iterations=1)
    assert n > 9_000
