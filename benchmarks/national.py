"""National-scale benchmark harness: a generated campaign and the engine of record's sides.

Used only by ``benchmarks/`` and ``tests/evaluation/test_batch_stream.py``; nothing in
``scoring`` imports it. Its competitors live beside it: ``benchmarks/fast_exact.py`` (the
exact plain-Python floor) and ``benchmarks/zen_national.py`` (zen-engine).

- ``national``: a seeded, deterministic campaign of ``n`` prepared units over every group of
  ``criteria.yaml`` (every rule kind the index uses), with deliberate ties (units that copy
  another unit's answers), missing evidence on evidence-required leaves, not-applicable areas
  (units tagged ``no_procedures``), answers left out, and units' own ``na: true`` answers.
- ``engine_traced`` / ``engine_untraced``: the engine of record with every unit's complete
  trace produced and frozen, or without building traces.
- ``naive_loop``: NOT a floor, kept for reference: a plain loop that decides and scores every
  leaf afresh, Decimal by Decimal, with no memo and no aggregation.

``naive_loop`` (and ``zen_national.zen_loop``) return one tuple per unit:
``(unit id, sum of the leaf points, [(leaf id, branch, points), ...])`` with every leaf of the
unit's group in order; a leaf left out as not applicable (exempt by a tag, or answered
``na: true``) is ``(leaf id, None, None)``, and a branch whose handler says "not applicable"
(e.g. a zero denominator counted as N/A) has points ``None``. What they leave out: bonuses and
penalties, the "grant_full" strategy of N/A leaves, node sums and the rescale (the sum is the
plain sum of the leaf points), which is why they are not like for like with the engine.
"""

from __future__ import annotations

import decimal
import random
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from benchmarks.test_scoring_speed import _prepare_all, iter_submissions
from scoring import Ready, UnitResult, score_units
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.evaluation.frozen import freeze
from scoring.evaluation.outcomes import leaf_facts
from scoring.index.kinds import MISSING, Branch
from scoring.index.loader import Index, Item
from scoring.sources.numbers import CONTEXT, ZERO

LeafRecord = tuple[str, str | None, Decimal | None]  # (leaf id, branch, points)
UnitRecord = tuple[str, Decimal, list[LeafRecord]]  # (unit id, sum of leaf points, leaves)

NA_TAG = "no_procedures"


# ---------------------------------------------------------------- the generated campaign


def _strip_evidence(ans: Answer) -> Answer:
    """The same answer with no evidence reference (as if the unit forgot to attach it)."""
    return Answer.model_validate(
        {k: getattr(ans, k) for k in ans.model_fields_set if k != "evidence"}
    )


def _twin(sub: Submission, of: Submission) -> Submission:
    """``sub``'s unit answering exactly as ``of`` did (same group, tags and answers): a tie."""
    unit = UnitSpec(id=sub.unit.id, name=sub.unit.name, group=of.unit.group, tags=of.unit.tags)
    return Submission(
        unit, answers=dict(of.answers), adjustments=dict(of.adjustments), where=dict(of.where)
    )


def national_submissions(index: Index, n: int, seed: int = 2025) -> list[Submission]:
    """``n`` generated units' answers (not yet checked), seeded; see ``national``."""
    return list(iter_national_submissions(index, n, seed))


def iter_national_submissions(index: Index, n: int, seed: int = 2025) -> Iterator[Submission]:
    """``national_submissions`` one unit at a time: the same units, holding only the last 50
    (the window a tie copies from)."""
    rng = random.Random(seed * 7919 + 1)
    gated = {
        g: [lid for lid, item in view.leaves.items() if item.gated]
        for g, view in index.groups.items()
    }
    window: deque[Submission] = deque(maxlen=50)
    for i, sub in enumerate(iter_submissions(index, n, seed)):  # 15 % no_procedures, ...
        roll = rng.random()
        if roll < 0.10:  # whole areas not applicable: the tag exempts them
            if NA_TAG not in sub.unit.tags:
                sub.unit = sub.unit.model_copy(update={"tags": [*sub.unit.tags, NA_TAG]})
        elif roll < 0.25:  # missing evidence on about half of the evidence-required answers
            for lid in gated[sub.unit.group]:
                ans = sub.answers.get(lid)
                if ans is not None and ans.evidence and rng.random() < 0.5:
                    sub.answers[lid] = _strip_evidence(ans)
        elif roll < 0.35:  # a unit that left a fifth of its answers out
            for lid in list(sub.answers):
                if rng.random() < 0.2:
                    del sub.answers[lid]
                    sub.where.pop(("answer", lid), None)
                    sub.where.pop(("source", lid), None)
        if i >= 10 and rng.random() < 0.08:  # a tie: answers copied from an earlier unit
            same = [s for s in window if s.unit.group == sub.unit.group]
            if same:
                sub = _twin(sub, rng.choice(same))
        window.append(sub)
        yield sub


def national_stream(index: Index, n: int = 12_000, seed: int = 2025) -> Iterator[Submission]:
    """The submissions ``national`` prepares, unchecked and one at a time: the first ``n``
    that ``prepare`` accepts are exactly ``national(index, n, seed)``'s units."""
    return iter_national_submissions(index, n + n // 10 + 10, seed)


def national(index: Index, n: int = 12_000, seed: int = 2025) -> list[Ready]:
    """``n`` generated, prepared units over both groups, deterministic for a given seed.

    On top of ``benchmarks.test_scoring_speed._submissions`` (every rule kind, N/A tags on
    15 %, a few answers left out, evidence missing on 15 % of evidence-required answers,
    ``na: true`` answers where allowed): 10 % more units tagged ``no_procedures``, 15 % with
    evidence stripped from half their evidence-required answers, 10 % with a fifth of their
    answers left out, and 8 % answering exactly as an earlier unit of their group (ties).
    A generated unit that ``prepare`` refuses is dropped, so 10 % more are generated.
    """
    units: list[Ready] = []
    for sub in national_stream(index, n, seed):  # each submission dropped once prepared
        units.extend(_prepare_all(index, [sub]))
        if len(units) == n:
            return units
    raise AssertionError(f"only {len(units)} of {n} generated units are valid")


def leaf_evaluations(index: Index, units: Sequence[Ready]) -> int:
    """How many leaves the units have in all: one leaf step each in every evaluator's trace."""
    per_group = {g: len(view.leaves) for g, view in index.groups.items()}
    return sum(per_group[r.group] for r in units)


# ---------------------------------------------------------------- the engine of record


def engine_untraced(index: Index, units: Sequence[Ready], jobs: int = 1) -> list[UnitResult]:
    """The engine of record, its traces not read: ``score_units``' results. The batch always
    produces each unit's compact frozen trace (``frozen.FrozenTrace``: shared outcomes and node
    values it keeps anyway), so this side does the traced side's work but for handing the traces
    over; against zen untraced it is the engine at a disadvantage, not an advantage."""
    return score_units(index, units, jobs=jobs)


def engine_traced(index: Index, units: Sequence[Ready], jobs: int = 1) -> list[UnitResult]:
    """The engine of record with every unit's complete trace produced and frozen.

    ``score_units`` scores each unit from a snapshot of its inputs (``inputs.frozen_batch``) and
    produces its trace in the compact frozen form (``scoring.evaluation.frozen.FrozenTrace``: per
    leaf its shared outcome, the node values, the bonus/penalty and cap records, the snapshot),
    which decodes later to exactly the steps, JSON and texts of the step builders
    (tests/evaluation/test_frozen.py); ``freeze`` hands each result's frozen trace over, and the
    results are kept with them. Decoding is timed apart (benchmarks/test_trace_decode.py).
    """
    results = score_units(index, units, jobs=jobs)
    for res in results:
        freeze(res)  # the unit's complete trace, frozen when scored
    return results


# ---------------------------------------------------------------- the naive loop (not a floor)

# (status, lo, lo inclusive, hi, hi inclusive, branch id), in the index's branch order
_Band = tuple[str, int | None, bool, int | None, bool, str]
_Points = Callable[[Any, str, Any, Decimal], Decimal | None]


def _bands(branches: Sequence[Branch]) -> tuple[_Band, ...]:
    return tuple((b.status, b.lo, b.lo_incl, b.hi, b.hi_incl, b.id) for b in branches)


def _hand_plan(index: Index) -> dict[str, list[tuple[str, Item, tuple[_Band, ...], _Points]]]:
    plan = {}
    for g, view in index.groups.items():
        rows = []
        for lid, item in view.leaves.items():
            assert item.handler is not None
            rows.append((lid, item, _bands(item.branches), item.handler.points))
        plan[g] = rows
    return plan


def naive_loop(index: Index, units: Sequence[Ready]) -> list[UnitRecord]:
    """Each unit's leaves decided and scored by a naive plain Python loop (see the module doc).

    Per leaf: the engine's fact (status, encoded value, evidence flag) from
    ``scoring.evaluation.outcomes.leaf_facts``; the first branch whose status matches and
    whose encoded bounds hold; the points from the leaf's handler (0 for "missing", 0 under
    the evidence gate). Nothing is memoised across units: every leaf is decided and scored afresh.
    """
    plan = _hand_plan(index)
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for r in units:
            keys = leaf_facts(index.groups[r.group], r)
            prepared = r.leaves
            records: list[LeafRecord] = []
            total = ZERO
            for lid, item, bands, points in plan[r.group]:
                key = keys.get(lid)
                if key is None:  # exempt by a tag, or answered N/A
                    records.append((lid, None, None))
                    continue
                s, v = key[2], key[3]
                bid = None
                for status, lo, lo_incl, hi, hi_incl, branch in bands:
                    if status != s:
                        continue
                    if lo is not None and (v is None or (v < lo if lo_incl else v <= lo)):
                        continue
                    if hi is not None and (v is None or (v > hi if hi_incl else v >= hi)):
                        continue
                    bid = branch
                    break
                if bid is None:
                    raise AssertionError(f"item {item.code}: no branch holds for {key!r}")
                if bid == MISSING:
                    pts: Decimal | None = ZERO
                else:
                    pts = points(item.node.rule, bid, prepared[lid], item.max)
                if key[4] == 0 and pts is not None:  # evidence required and none given
                    pts = ZERO
                records.append((lid, bid, pts))
                if pts is not None:
                    total += pts
            out.append((r.unit.id, total, records))
    return out


# ---------------------------------------------------------------- the engine's own records


def engine_records(index: Index, results: Sequence[Any]) -> list[UnitRecord]:
    """The engine of record's leaf steps in the same shape as ``naive_loop``'s records."""
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for res in results:
            records: list[LeafRecord] = []
            total = ZERO
            for step in res.trace:
                if step.level != "leaf":
                    continue
                pts = step.points if step.applicability == "applicable" else None
                if step.appraisal:
                    raise AssertionError("generated units carry no appraisal")
                records.append((step.node, step.branch, pts))
                if pts is not None:
                    total += pts
            out.append((res.unit_id, total, records))
    return out
