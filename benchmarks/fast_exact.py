"""``fast_exact``: a plain-Python scorer written for speed that does the engine's whole work.

The national benchmark's floor (``benchmarks/test_national_speed.py``). Per unit, the same
work as ``scoring.evaluation.batch.score_units`` without durable-rules and without traces:
decide each leaf (the first branch whose status and encoded bounds hold, the evidence gate),
its points (the rule kind's handler), the not-applicable strategies and the rescale of the
applicable maximum, node sums children first, bonuses and penalties (a node's own ones within
[0, its max], the total-scope ones under their caps), the blocks, the points and the index.
It gives digit for digit the engine's totals and every node's points and applicable maximum:
``digest`` and ``engine_digest`` write both as one text per unit, compared on every unit.

Allowed, as the engine's own memo does: one memo per batch of each leaf outcome (keyed like
``outcomes.outcome_key``: a leaf's outcome depends on its item, status, engine value, evidence
flag and exact value only), of each bonus/penalty outcome, of the strategy of each
not-applicable pattern and of the maxima of each pattern of leaves left out. Nothing is kept
from one call to the next. ``zen_national`` reuses ``finish`` after zen-engine has decided
the leaves, so that zen does the same work around its decisions.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring import Ready, UnitResult
from scoring.campaign.ready import NA
from scoring.index.kinds import MISSING, Branch
from scoring.index.loader import AdjustmentItem, GroupView, Index, Item
from scoring.sources.numbers import CONTEXT, ZERO, clamp, times_over

GRANT_FULL = "grant_full"
Band = tuple[str, int | None, bool, int | None, bool, str]  # status, lo, incl, hi, incl, branch
Outcome = tuple[str, bool, Decimal | None]  # (branch, evidence gate fired, points; None: N/A)
# (position, leaf id, engine code, evidence required, exempting tags, leaf, bands)
LeafRow = tuple[int, str, str, bool, frozenset[str], Item, tuple[Band, ...]]
# (position in the index, adjustment, code, evidence required, bands)
AdjRow = tuple[int, AdjustmentItem, str, bool, tuple[Band, ...]]
Getter = Callable[[Sequence[Decimal]], Any]
# (unit id, points per position, applicable maxima per position, content, survey, bonus,
#  penalty, applicable maximum, points, index, per-leaf outcome or None when it does not apply)
FastScore = tuple[
    str, list[Decimal], Sequence[Decimal], Decimal, Decimal, Decimal, Decimal, Decimal,
    Decimal, Decimal, list[Outcome | None],
]  # fmt: skip


def bands(branches: Sequence[Branch]) -> tuple[Band, ...]:
    """A leaf's branches as plain tuples, in the index's order (the first that holds wins)."""
    return tuple((b.status, b.lo, b.lo_incl, b.hi, b.hi_incl, b.id) for b in branches)


def decide(rows: tuple[Band, ...], s: str, v: int | None) -> str:
    """The first branch whose status is ``s`` and whose encoded bounds hold ``v``."""
    for status, lo, lo_incl, hi, hi_incl, branch in rows:
        if status != s:
            continue
        if lo is not None and (v is None or (v < lo if lo_incl else v <= lo)):
            continue
        if hi is not None and (v is None or (v > hi if hi_incl else v >= hi)):
            continue
        return branch
    raise AssertionError(f"no branch holds for status {s!r}, value {v!r}")


def _sum_of(positions: tuple[int, ...]) -> Getter:
    """What reads the values at ``positions`` of a list, in C."""
    if len(positions) == 1:
        one = positions[0]
        return lambda v: (v[one],)
    return operator.itemgetter(*positions)


@dataclass(frozen=True, eq=False)
class FastPlan:
    """One group's nodes by position, children first (the trace's order), and its claims."""

    ids: tuple[str, ...]
    items: tuple[Item, ...]
    leaves: tuple[LeafRow, ...]
    sums: tuple[tuple[int, str, Getter], ...]  # (position, node id, children getter)
    full_max: tuple[Decimal, ...]
    areas: tuple[int, ...]
    blocks: tuple[tuple[str, Getter], ...]
    full_applicable: Decimal
    adjustments: tuple[AdjRow, ...]


def fast_plan(index: Index, view: GroupView, group: str) -> FastPlan:
    """The plan of one group (sums of maxima under ``CONTEXT``)."""
    items: list[Item] = []

    def visit(item: Item) -> None:
        for child in item.children:
            visit(child)
        items.append(item)

    for area in view.areas:
        visit(area)
    pos = {item.id: i for i, item in enumerate(items)}
    full: list[Decimal] = []
    for item in items:
        full.append(
            item.max if item.is_leaf else sum([full[pos[c.id]] for c in item.children], ZERO)
        )
    leaves = tuple(
        (i, it.id, it.code, it.gated, frozenset(it.exemptions), it, bands(it.branches))
        for i, it in enumerate(items)
        if it.is_leaf
    )
    sums = tuple(
        (i, it.id, _sum_of(tuple(pos[c.id] for c in it.children)))
        for i, it in enumerate(items)
        if not it.is_leaf
    )
    blocks = tuple(
        (b, _sum_of(tuple(pos[a.id] for a in view.areas if a.block == b)))
        for b in dict.fromkeys(a.block for a in view.areas)
    )
    adjs = tuple(
        (k, a, a.code, bool(a.spec.evidence and a.spec.evidence.required), bands(a.branches))
        for k, a in enumerate(index.adjustments)
        if group in a.groups
    )
    areas = tuple(pos[a.id] for a in view.areas)
    return FastPlan(
        tuple(pos), tuple(items), leaves, sums, tuple(full), areas, blocks,
        sum([full[p] for p in areas], ZERO), adjs,
    )  # fmt: skip


class Batch:
    """What one call of ``fast_exact`` (or of the zen side) keeps while it runs: the plans
    and the per-batch memos. Made afresh by every call."""

    def __init__(self, index: Index) -> None:
        self.index = index
        with decimal.localcontext(CONTEXT):
            self.plans = {g: fast_plan(index, v, g) for g, v in index.groups.items()}
        self.outcomes: dict[tuple[Any, ...], Outcome] = {}
        self.adjusted: dict[tuple[Any, ...], tuple[str, bool, Decimal]] = {}
        self.na: dict[tuple[Any, ...], bool] = {}  # (leaf id, tags...) -> counts full points
        self.maxima: dict[tuple[Any, ...], tuple[tuple[Decimal, ...], Decimal]] = {}

    def leaf_outcome(self, row: LeafRow, r: Ready, key: tuple[Any, ...]) -> Outcome:
        """A leaf's outcome, decided and scored once a batch (``key``: its outcome key)."""
        item, p = row[5], r.leaves[row[1]]
        bid = decide(row[6], p.status, p.encoded)
        if bid == MISSING:
            pts: Decimal | None = ZERO
        else:
            assert item.handler is not None
            pts = item.handler.points(item.node.rule, bid, p, item.max)
        gated = key[3] == 0
        if gated and pts is not None:
            pts = ZERO
        out = self.outcomes[key] = (bid, gated, pts)
        return out

    def grants_full(self, item: Item, tags: Sequence[str], own: bool) -> bool:
        """Whether a not-applicable leaf counts its full points (``grant_full``): by the
        exempting tag's strategy (the first in order), else the leaf's own."""
        key = (item.id, own, *tags)
        found = self.na.get(key)
        if found is None:
            exempt = sorted(set(item.exemptions) & set(tags)) if not own else []
            strategy = item.exemptions[exempt[0]] if exempt else item.na_strategy
            found = self.na[key] = strategy == GRANT_FULL
        return found

    def adjustment(self, row: AdjRow, r: Ready) -> tuple[str, bool, Decimal]:
        """A claimed bonus or penalty's branch, evidence gate and points (within [0, max])."""
        _, adj, code, required, rows = row
        p = r.adjustments[adj.spec.id]
        st, enc = p.status, p.encoded
        gate = (1 if p.evidence else 0) if required and st != MISSING else None
        v = p.value
        key = (
            (code, st, enc, gate)
            if v is None
            else (code, st, enc, gate, v.numerator, v.denominator)
        )
        found = self.adjusted.get(key)
        if found is None:
            bid = decide(rows, st, enc)
            if gate == 0:
                value = ZERO
            else:
                got = adj.handler.points(adj.spec.rule, bid, p, adj.spec.max)
                value = clamp(got or ZERO, ZERO, adj.spec.max)
            found = self.adjusted[key] = (bid, gate == 0, value)
        return found

    def finish(
        self,
        plan: FastPlan,
        r: Ready,
        vals: list[Decimal],
        changed: list[tuple[int, Decimal]],
        outs: list[Outcome | None],
        adjs: Sequence[tuple[AdjustmentItem, Decimal]],
    ) -> FastScore:
        """The unit's maxima, bonuses and penalties, node sums, blocks and totals, once its
        leaves' points are in ``vals`` (``changed``: leaves whose applicable maximum is not
        their full one; ``adjs``: the claimed bonuses and penalties' points, index order)."""
        if changed:
            key = (r.group, *changed)  # patterns are per group: positions differ
            found = self.maxima.get(key)
            if found is None:
                mx = list(plan.full_max)
                for pos, m in changed:
                    mx[pos] = m
                for i, _, children in plan.sums:
                    mx[i] = sum(children(mx), ZERO)
                found = self.maxima[key] = (tuple(mx), sum([mx[i] for i in plan.areas], ZERO))
            maxs, applicable = found
        else:
            maxs, applicable = plan.full_max, plan.full_applicable
        scoped: dict[str, list[tuple[int, Decimal]]] = {}
        for adj, value in adjs:
            scoped.setdefault(adj.spec.scope, []).append((adj.sign, value))
        total = scoped.pop("total", [])
        if scoped:  # a leaf's own bonus/penalty before its parents' sums, a node's after its sum
            for pos, lid, *_ in plan.leaves:
                if lid in scoped:
                    _own(pos, vals, maxs, scoped[lid])
            for i, nid, children in plan.sums:
                vals[i] = sum(children(vals), ZERO)
                if nid in scoped:
                    _own(i, vals, maxs, scoped[nid])
        else:
            for i, _, children in plan.sums:
                vals[i] = sum(children(vals), ZERO)
        blocks = {b: sum(areas(vals), ZERO) for b, areas in plan.blocks}
        meta = self.index.meta
        bonus = _capped([v for s, v in total if s == 1], meta.bonus.max)
        penalty = _capped([v for s, v in total if s == -1], meta.penalty.max)
        content, survey = blocks.get("content", ZERO), blocks.get("survey", ZERO)
        points = max(ZERO, content + survey + bonus - penalty)
        scale = meta.scale
        value = (
            clamp(times_over(points, scale, applicable), ZERO, scale) if applicable > 0 else ZERO
        )
        return (
            r.unit.id, vals, maxs, content, survey, bonus, penalty, applicable, points, value, outs,
        )  # fmt: skip


def _own(i: int, vals: list[Decimal], maxs: Sequence[Decimal], adjs: list[Any]) -> None:
    """A node's own bonuses and penalties, kept within [0, its max] (skipped when it is 0)."""
    mx = maxs[i]
    if mx != 0:
        vals[i] = clamp(vals[i] + sum((s * v for s, v in adjs), ZERO), ZERO, mx)


def _capped(values: list[Decimal], cap: Decimal) -> Decimal:
    return min(sum(values, ZERO), cap)


def fast_exact(index: Index, units: Iterable[Ready]) -> list[FastScore]:
    """Every unit scored exactly as the engine scores it (see the module doc), no traces."""
    batch = Batch(index)
    plans, memo = batch.plans, batch.outcomes
    get, new, grants, finish = memo.get, batch.leaf_outcome, batch.grants_full, batch.finish
    adjust = batch.adjustment
    out: list[FastScore] = []
    with decimal.localcontext(CONTEXT):
        for r in units:
            plan = plans[r.group]
            tags = r.unit.tags
            leaves = r.leaves
            vals = [ZERO] * len(plan.ids)
            changed: list[tuple[int, Decimal]] = []
            outs: list[Outcome | None] = []
            add = outs.append
            for row in plan.leaves:
                pos, lid, code, gated, exempt, item, _ = row
                p = leaves[lid]
                st = p.status
                if st == NA or (tags and not exempt.isdisjoint(tags)):
                    add(None)
                    own = not (tags and not exempt.isdisjoint(tags))
                    if grants(item, tags, own):
                        vals[pos] = item.max
                    elif item.max:
                        changed.append((pos, ZERO))
                    continue
                enc = p.encoded
                gate = (1 if p.evidence else 0) if gated and st != MISSING else None
                if enc is None or not enc & 1:
                    key: tuple[Any, ...] = (code, st, enc, gate)
                else:
                    v = p.value
                    assert v is not None
                    key = (code, st, enc, gate, v.numerator, v.denominator)
                o = get(key)
                if o is None:
                    o = new(row, r, key)
                add(o)
                pts = o[2]
                if pts is not None:
                    vals[pos] = pts
                elif grants(item, (), True):
                    vals[pos] = item.max
                elif item.max:
                    changed.append((pos, ZERO))
            claimed = r.adjustments
            adjs = [
                (row[1], adjust(row, r)[2]) for row in plan.adjustments if row[1].spec.id in claimed
            ]
            out.append(finish(plan, r, vals, changed, outs, adjs))
    return out


def digest(index: Index, s: FastScore) -> str:
    """A fast score as one text: the unit's totals, then every node's points and applicable
    maximum in plan order; ``str`` of a Decimal keeps its digits and exponent."""
    uid, vals, maxs, content, survey, bonus, penalty, applicable, points, value, _ = s
    head = f"{uid}|{points}|{value}|{content}|{survey}|{bonus}|{penalty}|{applicable}"
    return head + "|" + "|".join(f"{v}/{m}" for v, m in zip(vals, maxs, strict=True))


def engine_digest(res: UnitResult) -> str:
    """The engine's result in ``digest``'s form (its nodes in the trace's order)."""
    head = (
        f"{res.unit_id}|{res.points}|{res.index}|{res.content}|{res.survey}|{res.bonus}"
        f"|{res.penalty}|{res.max_points}"
    )
    nodes = res.nodes
    return head + "|" + "|".join(f"{nodes[k].points}/{nodes[k].max}" for k in nodes)
