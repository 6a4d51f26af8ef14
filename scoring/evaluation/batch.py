"""Scoring a batch of units: every distinct fact decided once, units scored compactly, on
one core or several.

``score_batch`` (what ``score_units`` runs) looks up each leaf's outcome in the engine's memo
(``known_outcomes``), has the engine decide the distinct facts of those not found, computes
each new outcome once, scores every unit into a ``UnitScore`` and assembles the
``UnitResult``s. With ``jobs`` > 1 and enough units, forked worker processes score slices of
the batch (durable-rules holds the GIL, so threads would not help); a worker inherits the
index, the units and the outcomes from the fork and sends back only the compact scores, which
the parent assembles.
"""

from __future__ import annotations

import contextlib
import decimal
import gc
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from scoring.campaign.submission import NA, Ready
from scoring.evaluation.assemble import assemble, computed
from scoring.evaluation.compact import (
    Decided,
    FactKey,
    GroupPlan,
    Outcome,
    OutcomeKey,
    Spec,
    UnitScore,
    empty_warning,
    group_plan,
    totals,
)
from scoring.evaluation.evaluate import (
    Appraisals,
    _adj_key,
    _apply,
    _branch_of,
    fact_of,
    leaf_outcome,
)
from scoring.evaluation.snapshot import NO_APPRAISALS, frozen_batch
from scoring.evaluation.trace import UnitResult
from scoring.index.engine import can_fork
from scoring.index.kinds import MISSING
from scoring.index.loader import AdjustmentItem, Index, Item
from scoring.sources.numbers import CONTEXT, ZERO, clamp, fmt

Special = tuple[Decimal, Decimal, Spec]  # a leaf's points, applicable max and step spec
# (position in the index, adjustment, its engine fact: None when set by the appraiser only)
Claim = tuple[int, AdjustmentItem, FactKey | None]
# (position in the index, adjustment, points, the engine's branch, evidence gate)
Claimed = tuple[int, AdjustmentItem, Decimal, str | None, bool]
PARALLEL_MIN = 2000  # fewer units are scored in-process: a fork costs more than it saves
# this process's slice against a worker's: a worker also pickles its scores back (13 MB for
# 6,000 units), so an even split left this process waiting; measured with 2 jobs, 12,000
# national units, 3 runs each: 1.0 took 2.06-2.14 s, 1.25 took 1.84-1.95 s, 1.5 took 1.92-2.08 s
PARENT_SHARE = 1.25


def score_batch(
    index: Index,
    units: Sequence[Ready],
    appraisals: Mapping[str, Appraisals] | None = None,
    jobs: int = 1,
) -> list[UnitResult]:
    """Score many units (see ``evaluate.score_units``).

    Each unit is scored, and its trace later built, from a snapshot of its inputs and its
    appraisal changes taken here (``snapshot``): what the caller changes afterwards never
    shows in a trace whose points did not see it."""
    with decimal.localcontext(CONTEXT), _collector_paused():
        units, appraisals = frozen_batch(units, appraisals)
        plans = [group_plan(index.groups[r.group]) for r in units]
        work = (index, units, plans, appraisals)
        if jobs > 1 and len(units) >= PARALLEL_MIN and can_fork():
            scores = _parallel(work, jobs)
        else:
            scores = _score_slice(work, 0, len(units))
        return [
            assemble(index, p, r, s, appraisals.get(r.unit.id, NO_APPRAISALS))
            for p, r, s in zip(plans, units, scores, strict=True)
        ]


Work = tuple[Index, Sequence[Ready], Sequence[GroupPlan], Mapping[str, Appraisals]]


def _score_slice(work: Work, start: int, stop: int) -> list[UnitScore]:
    """The compact scores of ``units[start:stop]``: each leaf's outcome looked up, the facts
    of the new ones decided by the engine, each new outcome computed once, every unit scored."""
    index, all_units, all_plans, appraisals = work
    units, plans = all_units[start:stop], all_plans[start:stop]
    engine = index.engine
    outs, pending, late = known_outcomes(plans, units, engine.outcomes)
    facts = [fact_of(mk) for mk in pending]
    claims = []
    for r in units:
        mine = _claims(index, r, appraisals.get(r.unit.id))
        facts.extend(key for _, _, key in mine if key is not None)
        claims.append(mine)
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
        for plan, r, o, c in zip(plans, units, outs, claims, strict=True)
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
    first of a new key). The key is ``evaluate.outcome_key``'s (with ``evaluate._gate``),
    written out here: a call per leaf cost a tenth of the batch.
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


def _claims(index: Index, r: Ready, appraised: Appraisals | None) -> list[Claim]:
    """The unit's claimed (or appraised) bonuses and penalties, each with its position in the
    index and its engine fact (None: set by the appraiser only)."""
    return [
        (k, a, _adj_key(a, r) if a.spec.id in r.adjustments else None)
        for k, a in enumerate(index.adjustments)
        if r.group in a.groups
        and (a.spec.id in r.adjustments or (appraised and a.spec.id in appraised))
    ]


# ---------------------------------------------------------------- worker processes

_WORK: Work | None = None  # what a forked worker scores: set just before the fork


def _worker_slice(bounds: tuple[int, int]) -> list[UnitScore]:
    """In a forked worker: score the units of one slice (deciding its new facts in the
    worker's copy of the ruleset)."""
    gc.freeze()  # what the fork shared stays shared: no collection rewrites its headers
    assert _WORK is not None
    with decimal.localcontext(CONTEXT):
        return _score_slice(_WORK, *bounds)


def _parallel(work: Work, jobs: int) -> list[UnitScore]:
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


# ---------------------------------------------------------------- one unit


def score_compact(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    outs: list[Outcome | None],
    claims: Sequence[Claim],
    decided: Decided,
    appraised: Appraisals | None,
) -> UnitScore:
    """One unit's points per node, bonuses, penalties and total, with its steps as specs.

    ``outs`` holds each leaf's outcome (None: the leaf does not apply); the leaves off the
    common path (not applicable, appraised) become None in it, with a spec in ``special``.
    Mirrors ``evaluate._Scorer.result``: leaves, then node sums in plan order (each node's
    own bonuses and penalties right after its sum), then the total-scope ones and the caps.
    """
    appraised = appraised or {}
    vals: list[Decimal] = [ZERO] * len(plan.items)
    off: list[int] = []  # the leaves off the common path
    j = -1
    for pos, out in zip(plan.leaf_pos, outs, strict=True):
        j += 1
        if out is not None:
            pts = out[2]
            if pts is not None:
                vals[pos] = pts
                continue
        off.append(j)
    if appraised:
        off = sorted({*off, *(j for j, row in enumerate(plan.leaves) if row[1] in appraised)})
    special: dict[int, Spec] = {}
    changed: list[tuple[int, Decimal]] = []  # (position, applicable max) where not the full
    for j in off:
        pos, _, item = plan.leaves[j]
        pts, mx, special[j] = _leaf_special(plan.na, item, r, outs[j], appraised)
        outs[j] = None
        vals[pos] = pts
        if mx != item.max:
            changed.append((pos, mx))
    maxs, applicable = _maxima(plan, tuple(changed)) if changed else (None, plan.full_applicable)
    scoped: dict[str, list[Claimed]] = {}
    for k, adj, key in claims:
        branch_id, gated = (None, False) if key is None else _branch_of(adj.code, decided[key])
        value = _adjust(adj, r, branch_id, gated, appraised)
        scoped.setdefault(adj.spec.scope, []).append((k, adj, value, branch_id, gated))
    after: dict[int, list[Spec]] = {}
    sums: dict[int, Decimal] = {}
    inner = scoped.keys() - {"total"}
    if inner:
        for pos, lid, item in plan.leaves:  # a leaf's own bonus/penalty, before its parents' sums
            if lid in inner:
                _scoped(pos, item, vals, maxs or plan.full_max, scoped, after, sums)
        for i, children in plan.sums:
            vals[i] = sum(children(vals), ZERO)
            if plan.ids[i] in inner:
                _scoped(i, plan.items[i], vals, maxs or plan.full_max, scoped, after, sums)
    else:
        for i, children in plan.sums:
            vals[i] = sum(children(vals), ZERO)
    blocks = {block: sum(areas(vals), ZERO) for block, areas in plan.blocks}
    tail: list[Spec] = []
    bonus, penalty = _total_adjustments(index, scoped.get("total", []), tail)
    content, survey = blocks.get("content", ZERO), blocks.get("survey", ZERO)
    points, value = totals(index, content, survey, bonus, penalty, applicable)
    warnings = r.warnings if applicable != 0 else (*r.warnings, empty_warning(r))
    return UnitScore(
        vals, maxs, outs, special, after, sums, tail, content, survey, bonus, penalty,
        applicable, points, value, warnings,
    )  # fmt: skip


def _maxima(
    plan: GroupPlan, changed: tuple[tuple[int, Decimal], ...]
) -> tuple[tuple[Decimal, ...], Decimal]:
    """The applicable maximum of every node, and of the unit, when the leaves at ``changed``
    positions have the given maxima (not applicable ones: 0): computed once per group and
    pattern, since units that leave out the same leaves (a whole area for a tag) share it."""
    found = plan.maxima.get(changed)
    if found is None:
        maxs = list(plan.full_max)
        for pos, mx in changed:
            maxs[pos] = mx
        for i, children in plan.sums:
            maxs[i] = sum(children(maxs), ZERO)
        applicable = sum([maxs[i] for i, _ in plan.areas], ZERO)
        found = plan.maxima[changed] = (tuple(maxs), applicable)
    return found


def _leaf_special(
    memo: dict[tuple[Any, ...], Special],
    item: Item,
    r: Ready,
    out: Outcome | None,
    appraised: Appraisals,
) -> Special:
    """A leaf off the common path: not applicable (by tag, answer or branch) or appraised.

    A not-applicable leaf's points, max and spec are the same for every unit of the group
    with the same tags (or the same branch): made once, in the group plan's ``memo``.
    """
    if out is None:  # exempt by a tag, or answered N/A
        key: tuple[Any, ...] = (item.id, *r.unit.tags)
        found = memo.get(key)
        if found is None:
            exempt = sorted(set(item.exemptions) & set(r.unit.tags))
            why = (
                f"đơn vị thuộc diện {', '.join(exempt)}" if exempt else "đơn vị khai không áp dụng"
            )
            why_en = f"unit tagged {', '.join(exempt)}" if exempt else "unit answered N/A"
            strategy = item.exemptions[exempt[0]] if exempt else item.na_strategy
            found = memo[key] = _na(item, strategy, why, why_en, None, None)
        return found
    branch_id, gated, pts = out
    if pts is None:
        key = (item.id, None, branch_id)
        found = memo.get(key)
        if found is None:
            branch = item.branch_map[branch_id]
            rule = f"{item.code}#{branch_id}"
            found = memo[key] = _na(
                item, item.na_strategy, branch.label_vi, branch.label_en, rule, branch_id
            )
        return found
    history = appraised.get(item.id)
    final, changes = _apply(history, pts) if history else (pts, ())
    return final, item.max, ("leaf", branch_id, gated, pts, final, changes)


def _na(
    item: Item, strategy: str, vi: str, en: str, rule: str | None, branch: str | None
) -> Special:
    full = strategy == "grant_full"
    pts, mx = (item.max, item.max) if full else (ZERO, ZERO)
    return pts, mx, ("na", strategy, vi, en, rule, branch)


def _adjust(
    adj: AdjustmentItem, r: Ready, branch_id: str | None, gated: bool, appraised: Appraisals
) -> Decimal:
    value = ZERO if branch_id is None or gated else computed(adj, r, branch_id)
    return _apply(appraised.get(adj.spec.id), value)[0]


def _scoped(
    i: int,
    item: Item,
    vals: list[Decimal],
    maxs: Sequence[Decimal],
    scoped: Mapping[str, list[Claimed]],
    after: dict[int, list[Spec]],
    sums: dict[int, Decimal],
) -> None:
    """A node's own bonuses and penalties, kept within [0, its max]."""
    adjs = scoped[item.id]
    pts, mx = vals[i], maxs[i]
    specs = after.setdefault(i, [])
    if mx == 0:
        skipped = "scope not applicable: skipped"
        specs.extend(("adj", k, ZERO, skipped, b, g) for k, _, _, b, g in adjs)
        return
    raw = pts + sum((a.sign * v for _, a, v, _, _ in adjs), ZERO)
    new = clamp(raw, ZERO, mx)
    specs.extend(("adj", k, v, None, b, g) for k, _, v, b, g in adjs)
    specs.append(("adjusted", mx, new, () if new == raw else (f"kept within [0, {fmt(mx)}]",)))
    sums[i] = pts
    vals[i] = new


def _total_adjustments(
    index: Index, adjs: Sequence[Claimed], tail: list[Spec]
) -> tuple[Decimal, Decimal]:
    meta = index.meta
    out = []
    for sign, cap in ((1, meta.bonus.max), (-1, meta.penalty.max)):
        mine = [(k, v, b, g) for k, a, v, b, g in adjs if a.sign == sign]
        tail.extend(("adj", k, v, None, b, g) for k, v, b, g in mine)
        raw = sum((v for _, v, _, _ in mine), ZERO)
        out.append(min(raw, cap))
        if raw > cap:
            tail.append(("cap", sign, raw, cap))
    return out[0], out[1]
