"""One unit's points added up: leaves, not-applicable handling, node sums, bonuses and
penalties, blocks, caps, and the rescale of the total to the index's scale.

``score_compact`` aggregates a unit whose leaf outcomes are known into a ``CompactScore``:
each leaf's points (the outcome's, or off that common path ``leaf_special``'s: not applicable
or appraised), node sums children first with each node's own bonuses and penalties right
after its sum (kept within [0, its max]), the content and survey blocks, the total-scope
bonuses and penalties under their caps, and the total.

The rescale is owned here, once. A leaf that does not apply under ``exclude_and_rescale``
leaves the unit's applicable maximum (``maxima``), and ``rescale`` brings the points back to
the index's scale: ``index = points × scale / applicable maximum``, within [0, scale].
``points_at`` is its inverse (the points an index needs) and ``percent`` the same ratio for
one area on a scale of 100; what-if, planning and the reports call them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.campaign.ready import Ready
from scoring.evaluation.compact import CompactScore, GroupPlan
from scoring.evaluation.inputs import Appraisals, apply_appraisals
from scoring.evaluation.outcomes import (
    Claim,
    Decided,
    Outcome,
    adjustment_points,
    exemption,
    na_points,
)
from scoring.evaluation.steps import Spec
from scoring.index.engine import branch_of
from scoring.index.loader import AdjustmentItem, Index, Item
from scoring.sources.numbers import ZERO, clamp, fmt, times_over

Special = tuple[Decimal, Decimal, Spec]  # a leaf's points, applicable max and step spec
# (position in the index, adjustment, points, the engine's branch, evidence gate)
Claimed = tuple[int, AdjustmentItem, Decimal, str | None, bool]


def rescale(points: Decimal, applicable: Decimal, scale: Decimal) -> Decimal:
    """The index of ``points`` out of an ``applicable`` maximum: ``points × scale /
    applicable``, exact then rounded once under ``CONTEXT``, within [0, scale]; 0 when
    nothing applies."""
    if applicable > 0:
        return clamp(times_over(points, scale, applicable), ZERO, scale)
    return ZERO


def points_at(index_value: Fraction, applicable: Decimal, scale: Decimal) -> Fraction:
    """The points whose rescale is exactly ``index_value`` (``rescale``'s inverse)."""
    return index_value * Fraction(applicable) / Fraction(scale)


def percent(points: Decimal, applicable: Decimal) -> Decimal | None:
    """A node's points as a percentage of its applicable maximum (None: it does not apply)."""
    return None if applicable == 0 else points / applicable * 100


def totals(
    index: Index, content: Decimal, survey: Decimal, bonus: Decimal, penalty: Decimal, app: Decimal
) -> tuple[Decimal, Decimal]:
    """The unit's points and its value rescaled to the index's scale (under ``CONTEXT``)."""
    points = max(ZERO, content + survey + bonus - penalty)
    return points, rescale(points, app, index.meta.scale)


def unit_warnings(r: Ready, applicable: Decimal) -> tuple[str, ...]:
    """The unit's warnings, and one more when nothing in the index applies to it."""
    if applicable != 0:
        return r.warnings
    empty = (
        f"unit {r.unit.id}: nothing in the index applies to it "
        "(every part exempt or not applicable); it is not ranked"
    )
    return (*r.warnings, empty)


def score_compact(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    outs: list[Outcome | None],
    claims: Sequence[Claim],
    decided: Decided,
    appraised: Appraisals | None,
) -> CompactScore:
    """One unit's points per node, bonuses, penalties and total, with its steps as specs.

    ``outs`` holds each leaf's outcome (None: the leaf does not apply); the leaves off the
    common path (not applicable, appraised) become None in it, with a spec in ``special``.
    Leaves first, then node sums in plan order (each node's own bonuses and penalties right
    after its sum), then the total-scope ones and the caps: the trace's order.
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
        pts, mx, special[j] = leaf_special(plan.na, item, r, outs[j], appraised)
        outs[j] = None
        vals[pos] = pts
        if mx != item.max:
            changed.append((pos, mx))
    maxs, applicable = maxima(plan, tuple(changed)) if changed else (None, plan.full_applicable)
    scoped: dict[str, list[Claimed]] = {}
    for k, adj, key in claims:
        branch_id, gated = (None, False) if key is None else branch_of(adj.code, decided[key])
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
    warnings = unit_warnings(r, applicable)
    return CompactScore(
        vals, maxs, outs, special, after, sums, tail, content, survey, bonus, penalty,
        applicable, points, value, warnings,
    )  # fmt: skip


def maxima(
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


def leaf_special(
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
            strategy, why_vi, why_en = exemption(item, r.unit.tags)
            found = memo[key] = _na(item, strategy, why_vi, why_en, None, None)
        return found
    branch_id, gated, pts = out
    if pts is None:  # the branch gives no points: not applicable by the leaf's own strategy
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
    final, changes = apply_appraisals(history, pts) if history else (pts, ())
    return final, item.max, ("leaf", branch_id, gated, pts, final, changes)


def score_leaf(
    memo: dict[tuple[Any, ...], Special],
    item: Item,
    r: Ready,
    out: Outcome | None,
    appraised: Appraisals,
) -> tuple[Decimal, Decimal, Outcome | None, Spec | None]:
    """One leaf's points and applicable maximum, and what its step is built from: the
    outcome on the common path, else a spec (``score_compact`` writes this test out)."""
    if out is not None and out[2] is not None and item.id not in appraised:
        return out[2], item.max, out, None
    pts, mx, spec = leaf_special(memo, item, r, out, appraised)
    return pts, mx, None, spec


def _na(
    item: Item, strategy: str, vi: str, en: str, rule: str | None, branch: str | None
) -> Special:
    pts, mx = na_points(item, strategy)
    return pts, mx, ("na", strategy, vi, en, rule, branch)


def _adjust(
    adj: AdjustmentItem, r: Ready, branch_id: str | None, gated: bool, appraised: Appraisals
) -> Decimal:
    value = ZERO if branch_id is None or gated else adjustment_points(adj, r, branch_id)
    return apply_appraisals(appraised.get(adj.spec.id), value)[0]


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
    """The total-scope bonus and penalty, each under its cap; their specs go to ``tail``."""
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
