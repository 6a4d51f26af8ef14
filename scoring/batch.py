"""Scoring a batch of units: every distinct fact decided once, units scored compactly, on
one core or several.

``score_batch`` (what ``score_units`` runs) takes each unit's leaf facts (``compact.unit_keys``),
has the engine decide the distinct ones it has not seen, computes each distinct outcome once,
scores every unit into a ``UnitScore`` and assembles the ``UnitResult``s. With ``jobs`` > 1 and
enough units, forked worker processes score slices of the batch (durable-rules holds the GIL,
so threads would not help); a worker inherits the index, the units and the engine's decisions
from the fork and sends back only the compact scores, which the parent assembles.
"""

from __future__ import annotations

import decimal
import gc
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .assemble import assemble, computed
from .compact import (
    Decided,
    GroupPlan,
    LeafRow,
    Outcome,
    OutcomeKey,
    Spec,
    UnitScore,
    empty_warning,
    group_plan,
    totals,
    unit_keys,
)
from .engine import can_fork
from .evaluate import (
    Appraisals,
    _adj_key,
    _apply,
    _branch_of,
    _claimed,
)
from .kinds import MISSING
from .loader import AdjustmentItem, Index, Item
from .numbers import CONTEXT, ZERO, clamp, fmt
from .submission import Ready
from .trace import UnitResult

# (position in the index, adjustment, points, the engine's branch, evidence gate)
Claimed = tuple[int, AdjustmentItem, Decimal, str | None, bool]
PARALLEL_MIN = 2000  # fewer units are scored in-process: a fork costs more than it saves


def score_batch(
    index: Index,
    units: Sequence[Ready],
    appraisals: Mapping[str, Appraisals] | None = None,
    jobs: int = 1,
) -> list[UnitResult]:
    """Score many units (see ``evaluate.score_units``)."""
    appraisals = appraisals or {}
    engine = index.engine
    plans = [group_plan(index.groups[r.group]) for r in units]
    keys = [unit_keys(p, r) for p, r in zip(plans, units, strict=True)]
    facts = [k[0] for ks in keys for k in ks if k is not None]
    for r in units:
        facts.extend(_adj_key(a, r) for a in _claimed(index, r) if a.spec.id in r.adjustments)
    parallel = jobs > 1 and len(units) >= PARALLEL_MIN and can_fork()
    decided = engine.decided(facts, jobs if parallel else 1)
    work = (index, units, plans, keys, decided, appraisals)
    with decimal.localcontext(CONTEXT):
        scores = _parallel(work, jobs) if parallel else _score_range(work, 0, len(units))
        return [
            assemble(index, p, r, s, appraisals.get(r.unit.id, {}))
            for p, r, s in zip(plans, units, scores, strict=True)
        ]


def _outcome(
    outcomes: dict[Any, Outcome], row: LeafRow, r: Ready, mk: OutcomeKey, decided: Decided
) -> Outcome:
    """A leaf's (branch, gate, points) for its fact and exact value, computed once per index
    (per process: a worker's outcomes stay in the worker)."""
    item = row[2]
    branch_id, gated = _branch_of(item.code, decided[mk[0]])
    if branch_id == MISSING:
        pts: Decimal | None = ZERO
    else:
        assert item.handler is not None
        pts = item.handler.points(item.node.rule, branch_id, r.leaves[row[1]], item.max)
    if gated and pts is not None:
        pts = ZERO
    out = outcomes[mk] = (branch_id, gated, pts)
    return out


Work = tuple[
    Index,
    Sequence[Ready],
    Sequence[GroupPlan],
    Sequence[Sequence[OutcomeKey | None]],
    Decided,
    Mapping[str, Appraisals],
]


def _score_range(work: Work, start: int, stop: int) -> list[UnitScore]:
    index, units, plans, keys, decided, appraisals = work
    return [
        score_compact(index, plans[i], units[i], keys[i], decided, appraisals.get(units[i].unit.id))
        for i in range(start, stop)
    ]


# ---------------------------------------------------------------- worker processes

_WORK: Work | None = None  # what a forked worker scores: set just before the fork


def _worker_range(bounds: tuple[int, int]) -> list[UnitScore]:
    """In a forked worker: score the units of one slice."""
    gc.freeze()  # what the fork shared stays shared: no collection rewrites its headers
    assert _WORK is not None
    with decimal.localcontext(CONTEXT):
        return _score_range(_WORK, *bounds)


def _parallel(work: Work, jobs: int) -> list[UnitScore]:
    """Slices scored by ``jobs - 1`` forked workers and this process (the first slice)."""
    global _WORK
    n = len(work[1])
    jobs = min(jobs, os.cpu_count() or 1, n)
    if jobs < 2:
        return _score_range(work, 0, n)
    cuts = [n * j // jobs for j in range(jobs + 1)]
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            pending = pool.map_async(
                _worker_range, [(cuts[j], cuts[j + 1]) for j in range(1, jobs)], chunksize=1
            )
            out = _score_range(work, cuts[0], cuts[1])
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
    keys: Sequence[OutcomeKey | None],
    decided: Decided,
    appraised: Appraisals | None,
) -> UnitScore:
    """One unit's points per node, bonuses, penalties and total, with its steps as specs.

    Mirrors ``evaluate._Scorer.result``: leaves, then node sums in plan order (each node's
    own bonuses and penalties right after its sum), then the total-scope ones and the caps.
    """
    outcomes: dict[Any, Outcome] = index.engine.outcomes
    appraised = appraised or {}
    vals: list[Decimal] = [ZERO] * len(plan.items)
    maxs: list[Decimal] | None = None
    leaves: list[Outcome | None] = []
    special: dict[int, Spec] = {}
    for j, (row, mk) in enumerate(zip(plan.leaves, keys, strict=True)):
        if mk is not None and (not appraised or row[1] not in appraised):
            out = outcomes.get(mk) or _outcome(outcomes, row, r, mk, decided)
            pts = out[2]
            if pts is not None:
                vals[row[0]] = pts
                leaves.append(out)
                continue
        if mk is not None and mk not in outcomes:
            _outcome(outcomes, row, r, mk, decided)
        pts, mx, special[j] = _leaf_special(row[2], r, mk, outcomes, appraised)
        leaves.append(None)
        vals[row[0]] = pts
        if mx != row[2].max:
            if maxs is None:
                maxs = list(plan.full_max)
            maxs[row[0]] = mx
    scoped: dict[str, list[Claimed]] = {}
    for k, adj in _claimed_at(index, r, appraised):
        branch_id, gated = _decided_branch(adj, r, decided)
        value = _adjust(adj, r, branch_id, gated, appraised)
        scoped.setdefault(adj.spec.scope, []).append((k, adj, value, branch_id, gated))
    after: dict[int, list[Spec]] = {}
    sums: dict[int, Decimal] = {}
    inner = scoped.keys() - {"total"}
    if inner:  # a leaf's own bonus/penalty, before its parents' sums
        for row in plan.leaves:
            if row[1] in inner:
                _scoped(row[0], row[2], vals, maxs or plan.full_max, scoped, after, sums)
    for i, ch in plan.nodes:
        vals[i] = sum([vals[c] for c in ch], ZERO)
        if maxs is not None:
            maxs[i] = sum([maxs[c] for c in ch], ZERO)
        if inner and plan.ids[i] in inner:
            _scoped(i, plan.items[i], vals, maxs or plan.full_max, scoped, after, sums)
    mx_all = maxs or plan.full_max
    blocks: dict[str, Decimal] = {}
    applicable = ZERO
    for i, block in plan.areas:
        blocks[block] = blocks.get(block, ZERO) + vals[i]
        applicable += mx_all[i]
    tail: list[Spec] = []
    bonus, penalty = _total_adjustments(index, scoped.get("total", []), tail)
    content, survey = blocks.get("content", ZERO), blocks.get("survey", ZERO)
    points, value = totals(index, content, survey, bonus, penalty, applicable)
    warnings = r.warnings if applicable != 0 else (*r.warnings, empty_warning(r))
    return UnitScore(
        vals, maxs, leaves, special, after, sums, tail, content, survey, bonus, penalty,
        applicable, points, value, warnings,
    )  # fmt: skip


def _leaf_special(
    item: Item,
    r: Ready,
    mk: OutcomeKey | None,
    outcomes: Mapping[Any, Outcome],
    appraised: Appraisals,
) -> tuple[Decimal, Decimal, Spec]:
    """A leaf off the common path: not applicable (by tag, answer or branch) or appraised."""
    if mk is None:  # exempt by a tag, or answered N/A
        exempt = sorted(set(item.exemptions) & set(r.unit.tags))
        why = f"đơn vị thuộc diện {', '.join(exempt)}" if exempt else "đơn vị khai không áp dụng"
        why_en = f"unit tagged {', '.join(exempt)}" if exempt else "unit answered N/A"
        strategy = item.exemptions[exempt[0]] if exempt else item.na_strategy
        return _na(item, strategy, why, why_en, None, None)
    branch_id, gated, pts = outcomes[mk]
    if pts is None:
        branch = item.branch_map[branch_id]
        rule = f"{item.code}#{branch_id}"
        return _na(item, item.na_strategy, branch.label_vi, branch.label_en, rule, branch_id)
    history = appraised.get(item.id)
    final, changes = _apply(history, pts) if history else (pts, ())
    return final, item.max, ("leaf", branch_id, gated, pts, final, changes)


def _na(
    item: Item, strategy: str, vi: str, en: str, rule: str | None, branch: str | None
) -> tuple[Decimal, Decimal, Spec]:
    full = strategy == "grant_full"
    pts, mx = (item.max, item.max) if full else (ZERO, ZERO)
    return pts, mx, ("na", strategy, vi, en, rule, branch)


def _claimed_at(index: Index, r: Ready, appraised: Appraisals) -> list[tuple[int, AdjustmentItem]]:
    """``evaluate._claimed`` with each adjustment's position in the index (for the specs)."""
    return [
        (k, a)
        for k, a in enumerate(index.adjustments)
        if r.group in a.groups
        and (a.spec.id in r.adjustments or (appraised and a.spec.id in appraised))
    ]


def _decided_branch(adj: AdjustmentItem, r: Ready, decided: Decided) -> tuple[str | None, bool]:
    """The engine's branch for a claimed adjustment (None: set by the appraiser only)."""
    if adj.spec.id not in r.adjustments:
        return None, False
    return _branch_of(adj.code, decided[_adj_key(adj, r)])


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
