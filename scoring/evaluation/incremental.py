"""Re-scoring one unit after some of its answers changed, touching only what they affect.

``rescore`` recomputes the changed leaves (through the engine, whose memo makes a repeated
value free), then only their ancestors and the unit's total, and splices the new steps into the
old trace. It scores a leaf and builds its step with the batch's own pieces
(``outcomes.outcome_of``, ``aggregate.score_leaf``, ``steps``), so the result is the one a full
re-score gives. It returns None when a change would alter the shape of the result (a leaf
becoming or ceasing to be not applicable, or a node carrying a bonus or penalty of its own),
and the caller falls back to a full re-score. A property test checks it equals the full
re-score.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable, Collection

from scoring.campaign.ready import Ready
from scoring.evaluation.aggregate import score_leaf, totals, unit_warnings
from scoring.evaluation.compact import group_plan
from scoring.evaluation.inputs import Appraisals
from scoring.evaluation.outcomes import claims, leaf_facts, outcome_of
from scoring.evaluation.steps import leaf_step_of, node_step, total_step
from scoring.evaluation.trace import NodeScore, Step, UnitResult
from scoring.index.loader import GroupView, Index, Item
from scoring.sources.numbers import CONTEXT, ZERO


def rescore(
    index: Index,
    ready: Ready,
    base: UnitResult,
    changed: Collection[str],
    appraisals: Appraisals | None = None,
) -> UnitResult | None:
    """``base`` with the leaves in ``changed`` re-scored from ``ready``, or None (fall back)."""
    view = index.groups[ready.group]
    if any(lid not in view.leaves for lid in changed):
        return None
    appraised = appraisals or {}
    keys = leaf_facts(view, ready)
    wanted = {lid: keys[lid] for lid in changed if lid in keys}
    fired = index.engine.decide(wanted.values())
    scoped = {a.spec.scope for _, a, _ in claims(index, ready, appraisals)}
    nodes = dict(base.nodes)
    replaced: dict[tuple[str, str], Step] = {}
    dirty: dict[str, Item] = {}
    with decimal.localcontext(CONTEXT):
        plan = group_plan(view)
        for lid in changed:
            item = view.leaves[lid]
            key = keys.get(lid)
            out = None if key is None else outcome_of(index, item, ready.leaves[lid], key, fired)
            pts, mx, out, spec = score_leaf(plan.na, item, ready, out, appraised)
            if mx != base.nodes[lid].max or lid in scoped:
                return None
            replaced[(lid, "leaf")] = leaf_step_of(item, ready, out, spec)
            nodes[lid] = dataclasses.replace(base.nodes[lid], points=pts)
            parent = item.parent
            while parent is not None:
                if parent in scoped:
                    return None
                dirty[parent] = view.items[parent]
                parent = view.items[parent].parent
        for item in sorted(dirty.values(), key=_depth(view), reverse=True):
            pts = sum((nodes[c.id].points for c in item.children), ZERO)
            mx = base.nodes[item.id].max
            step = node_step(item, pts, mx)
            replaced[(item.id, step.level)] = step
            nodes[item.id] = NodeScore(
                item.id, item.node.title_vi, item.node.title_en, pts, mx, item.max, item.parent
            )
        blocks: dict[str, decimal.Decimal] = {}
        for area in view.areas:
            blocks[area.block] = blocks.get(area.block, ZERO) + nodes[area.id].points
        content, survey = blocks.get("content", ZERO), blocks.get("survey", ZERO)
        applicable, bonus, penalty = base.max_points, base.bonus, base.penalty
        points, value = totals(index, content, survey, bonus, penalty, applicable)
        replaced[("total", "total")] = total_step(
            index, applicable, points, value, content, survey, bonus, penalty
        )
    trace = tuple(replaced.get((s.node, s.level), s) for s in base.trace)
    return UnitResult(
        ready.unit.id,
        ready.unit.name,
        ready.group,
        ready.unit.ranked,
        points,
        applicable,
        value,
        content,
        survey,
        bonus,
        penalty,
        nodes,
        tuple(a.id for a in view.areas),
        trace,
        classification=base.classification,
        rank=base.rank,
        warnings=unit_warnings(ready, applicable),
        index_id=index.id,
        content_hash=index.content_hash,
    )


def _depth(view: GroupView) -> Callable[[Item], int]:
    """How deep a node is (areas 0): children are summed before their parents."""

    def depth(item: Item) -> int:
        d, parent = 0, item.parent
        while parent is not None:
            d, parent = d + 1, view.items[parent].parent
        return d

    return depth
