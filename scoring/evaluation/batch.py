"""Scoring units: the entry points ``score_units``, ``score_unit`` and ``score_stream``, every
distinct fact decided once, units scored compactly, on one core or several.

``score_units`` looks up each leaf's outcome in the engine's memo (``known_outcomes``), has
the engine decide the distinct facts of those not found, computes each new outcome once,
aggregates every unit into a ``CompactScore`` (``aggregate.score_compact``) and wraps it into
a ``UnitResult`` (``results.unit_result``). One unit is a batch of one: ``score_unit``. With
``jobs`` > 1 and enough units, forked worker processes score slices of the batch
(durable-rules holds the GIL, so threads would not help); a worker inherits the index, the
units and the outcomes from the fork and sends back only the compact scores, which the parent
wraps.

``score_stream`` scores at national scale: it never holds more than one chunk of prepared
units. It reads submissions from any iterable (a generator reading files, a database cursor),
checks a chunk with ``prepare``, scores it with ``score_units`` and yields each result. A
caller that keeps only what it needs of each result (its total for the ranking, its trace
written out) scores every unit of every province in bounded memory; one that keeps every
result keeps every unit's answers too, since a trace is built from them when read.
"""

from __future__ import annotations

import contextlib
import decimal
import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from scoring.campaign.ready import NA, Ready, prepare
from scoring.campaign.submission import Submission
from scoring.errors import ErrorList, ParindexError
from scoring.evaluation.aggregate import score_compact
from scoring.evaluation.compact import CompactScore, GroupPlan, group_plan
from scoring.evaluation.inputs import NO_APPRAISALS, Appraisals, frozen_batch
from scoring.evaluation.outcomes import Outcome, OutcomeKey, claims, fact_of, leaf_outcome
from scoring.evaluation.results import unit_result
from scoring.evaluation.trace import UnitResult
from scoring.index.engine import can_fork
from scoring.index.kinds import MISSING
from scoring.index.loader import Index
from scoring.sources.numbers import CONTEXT

PARALLEL_MIN = 2000  # fewer units are scored in-process: a fork costs more than it saves
# this process's slice against a worker's: a worker also pickles its scores back (13 MB for
# 6,000 units), so an even split left this process waiting; measured with 2 jobs, 12,000
# national units, 3 runs each: 1.0 took 2.06-2.14 s, 1.25 took 1.84-1.95 s, 1.5 took 1.92-2.08 s
PARENT_SHARE = 1.25
CHUNK = 1000  # units of a stream prepared and scored at a time: the engine sees them at once


def score_units(
    index: Index,
    units: Iterable[Ready],
    appraisals: Mapping[str, Appraisals] | None = None,
    jobs: int = 1,
) -> list[UnitResult]:
    """Score many units; the engine sees each distinct fact once.

    ``appraisals`` maps a unit id to its appraisal changes per node: a changed leaf or
    bonus/penalty takes the last change's points, and its trace step lists every change.
    ``jobs`` > 1 scores a large batch in that many processes (``PARALLEL_MIN``).

    Each unit is scored, and its trace later built, from a snapshot of its inputs and its
    appraisal changes taken here (``inputs.frozen_batch``): what the caller changes afterwards
    never shows in a trace whose points did not see it."""
    given = list(units)  # read before the batch's decimal context and paused collector
    with decimal.localcontext(CONTEXT), _collector_paused():
        batch, appraisals = frozen_batch(given, appraisals)
        plans = [group_plan(index.groups[r.group]) for r in batch]
        work = (index, batch, plans, appraisals)
        if jobs > 1 and len(batch) >= PARALLEL_MIN and can_fork():
            scores = _parallel(work, jobs)
        else:
            scores = _score_slice(work, 0, len(batch))
        return [
            unit_result(index, p, r, s, appraisals.get(r.unit.id, NO_APPRAISALS))
            for p, r, s in zip(plans, batch, scores, strict=True)
        ]


def score_unit(index: Index, ready: Ready, appraisals: Appraisals | None = None) -> UnitResult:
    """Score one unit (a batch of one), with its appraisal changes per node, if any."""
    return score_units(index, [ready], {ready.unit.id: appraisals or {}})[0]


def score_stream(
    index: Index,
    submissions: Iterable[Submission | Ready],
    *,
    chunk: int = CHUNK,
    errors: dict[str, list[ParindexError]] | None = None,
    jobs: int = 1,
) -> Iterator[UnitResult]:
    """Each submission's result, in order, preparing and scoring ``chunk`` units at a time.

    Already prepared units (``Ready``) are scored as they are. A submission that ``prepare``
    refuses is left out and its errors go to ``errors`` under its unit id; without an
    ``errors`` mapping the first refusal raises. ``jobs`` is passed to ``score_units`` (worker
    processes only pay off for large chunks: see ``PARALLEL_MIN``).
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    batch: list[Ready] = []
    for sub in submissions:
        if isinstance(sub, Ready):
            batch.append(sub)
        else:
            try:
                batch.append(prepare(index, sub))
            except ParindexError as exc:
                if errors is None:
                    raise
                errors.setdefault(sub.unit.id, []).extend(
                    exc.errors if isinstance(exc, ErrorList) else [exc]
                )
                continue
        if len(batch) >= chunk:
            yield from score_units(index, batch, jobs=jobs)
            batch = []
    if batch:
        yield from score_units(index, batch, jobs=jobs)


Work = tuple[Index, Sequence[Ready], Sequence[GroupPlan], Mapping[str, Appraisals]]


def _score_slice(work: Work, start: int, stop: int) -> list[CompactScore]:
    """The compact scores of ``units[start:stop]``: each leaf's outcome looked up, the facts
    of the new ones decided by the engine, each new outcome computed once, every unit scored."""
    index, all_units, all_plans, appraisals = work
    units, plans = all_units[start:stop], all_plans[start:stop]
    engine = index.engine
    outs, pending, late = known_outcomes(plans, units, engine.outcomes)
    facts = [fact_of(mk) for mk in pending]
    claimed = []
    for r in units:
        mine = claims(index, r, appraisals.get(r.unit.id))
        facts.extend(key for _, _, key in mine if key is not None)
        claimed.append(mine)
    decided = engine.decided(facts)
    memo = engine.outcomes
    for mk, slot in pending.items():
        row = plans[slot[0]].leaves[slot[1]]
        out = leaf_outcome(row[2], units[slot[0]].leaves[row[1]], decided[fact_of(mk)])
        memo[mk] = out
        slot.append(out)
    for i in late:  # a slot is a list, an outcome a tuple, a leaf that does not apply None
        outs[i] = [o[2] if o.__class__ is list else o for o in outs[i]]
    return [
        score_compact(index, plan, r, o, c, decided, appraisals.get(r.unit.id))
        for plan, r, o, c in zip(plans, units, outs, claimed, strict=True)
    ]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch runs.

    Scoring makes many small objects and no reference cycles, and each allocation burst set off
    collections that walked everything the caller holds: with 12,000 national units in memory,
    a full collection in the middle of a batch doubled its time. The collector runs as usual
    once the batch is done.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


Slot = list[Any]  # [unit number, leaf number] of an outcome's first leaf, then the outcome


def known_outcomes(
    plans: Sequence[GroupPlan], units: Sequence[Ready], memo: Mapping[OutcomeKey, Outcome]
) -> tuple[list[list[Any]], dict[OutcomeKey, Slot], list[int]]:
    """Per unit, per leaf of its plan: the leaf's outcome from ``memo``, or None when the leaf
    does not apply (exempt by a tag, or answered N/A), or, when ``memo`` does not know the
    outcome yet, a slot shared by every leaf with the same outcome key. Also the slots by
    key, and the numbers of the units that hold one: the caller decides the slots' facts,
    appends each outcome to its slot and replaces the slots in those units' lists.

    The hot loop of a batch: a leaf's outcome key is built and looked up once (twice for the
    first of a new key). The not-applicable test is ``outcomes.applies``, the key
    ``outcomes.outcome_key``'s (with ``outcomes.evidence_gate``), written out here: a call per
    leaf cost a tenth of the batch.
    """
    get = memo.get
    outs: list[list[Any]] = []
    pending: dict[OutcomeKey, Slot] = {}
    late: list[int] = []
    i = -1
    for plan, r in zip(plans, units, strict=True):
        i += 1
        tags = r.unit.tags
        leaves = r.leaves
        row: list[Any] = []
        add = row.append
        waiting = False
        for lid, code, gated, exempt in plan.leaf_keys:
            p = leaves[lid]
            st = p.status
            if st == NA or (tags and not exempt.isdisjoint(tags)):
                add(None)
                continue
            gate = (1 if p.evidence else 0) if gated and st != MISSING else None
            enc = p.encoded
            if enc is None or not enc & 1:
                mk: OutcomeKey = (code, st, enc, gate)
            else:
                v = p.value
                assert v is not None
                mk = (code, st, enc, gate, v.numerator, v.denominator)
            out: Outcome | Slot | None = get(mk)
            if out is None:
                out = pending.get(mk)
                if out is None:
                    out = pending[mk] = [i, len(row)]
                waiting = True
            add(out)
        outs.append(row)
        if waiting:
            late.append(i)
    return outs, pending, late


# ---------------------------------------------------------------- worker processes

_WORK: Work | None = None  # what a forked worker scores: set just before the fork


def _worker_slice(bounds: tuple[int, int]) -> list[CompactScore]:
    """In a forked worker: score the units of one slice (deciding its new facts in the
    worker's copy of the ruleset)."""
    gc.freeze()  # what the fork shared stays shared: no collection rewrites its headers
    assert _WORK is not None
    with decimal.localcontext(CONTEXT):
        return _score_slice(_WORK, *bounds)


def _parallel(work: Work, jobs: int) -> list[CompactScore]:
    """Slices scored by ``jobs - 1`` forked workers and this process (the first slice).

    Each process looks up, decides and scores its own slice: a fact both slices meet is
    decided in each (the pieces of the value line are few), and the decisions and outcomes a
    worker finds stay in the worker; only the compact scores come back."""
    global _WORK
    n = len(work[1])
    jobs = min(jobs, os.cpu_count() or 1, n)
    if jobs < 2:
        return _score_slice(work, 0, n)
    weights = [PARENT_SHARE] + [1.0] * (jobs - 1)
    total = sum(weights)
    cuts = [round(n * sum(weights[:j]) / total) for j in range(jobs + 1)]
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            pending = pool.map_async(
                _worker_slice, [(cuts[j], cuts[j + 1]) for j in range(1, jobs)], chunksize=1
            )
            out = _score_slice(work, cuts[0], cuts[1])
            for part in pending.get():
                out.extend(part)
    finally:
        _WORK = None
    return out
