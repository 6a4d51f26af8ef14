"""Re-scoring one unit after some of its answers changed, touching only what they affect.

``rescore`` recomputes the changed leaves (through the engine, whose memo makes a repeated
value free), then only their ancestors and the unit's total, and splices the new steps into the
old trace. It returns None when a change would alter the shape of the result (a leaf becoming
or ceasing to be not applicable, or a node carrying a bonus or penalty of its own), and the
caller falls back to a full re-score. A property test checks it equals the full re-score.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable, Collection

from scoring.campaign.submission import Ready
from scoring.evaluation.evaluate import (
    Appraisals,
    _claimed,
    _Lazy,
    _leaf_keys,
    _Scorer,
    finish,
    node_step,
)
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
    keys = _leaf_keys(view, ready)
    wanted = {lid: keys[lid] for lid in changed if lid in keys}
    scorer = _Scorer(index, ready, index.engine.decide(wanted.values()), keys, appraisals or {})
    scoped = {a.spec.scope for a in _claimed(index, ready, appraisals)}
    scorer.steps = []
    nodes = dict(base.nodes)
    replaced: dict[tuple[str, str], Step] = {}
    dirty: dict[str, Item] = {}
    with decimal.localcontext(CONTEXT):
        for lid in changed:
            item = view.leaves[lid]
            pts, mx = scorer._leaf(item)
            if mx != base.nodes[lid].max or lid in scoped:
                return None
            made = scorer.steps.pop()
            replaced[(lid, "leaf")] = made if isinstance(made, Step) else made()
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
        steps: list[Step | _Lazy] = []
        fresh = finish(
            index,
            ready,
            nodes,
            view,
            steps,
            base.max_points,
            blocks.get("content", ZERO),
            blocks.get("survey", ZERO),
            base.bonus,
            base.penalty,
        )
    total = steps[-1]
    replaced[("total", "total")] = total if isinstance(total, Step) else total()
    trace = tuple(replaced.get((s.node, s.level), s) for s in base.trace)
    return dataclasses.replace(
        fresh, trace=trace, rank=base.rank, classification=base.classification
    )


def _depth(view: GroupView) -> Callable[[Item], int]:
    """How deep a node is (areas 0): children are summed before their parents."""

    def depth(item: Item) -> int:
        d, parent = 0, item.parent
        while parent is not None:
            d, parent = d + 1, view.items[parent].parent
        return d

    return depth
