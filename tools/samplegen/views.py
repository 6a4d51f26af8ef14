"""Each unit as the appraisers see it: its answers and the points scoring gives them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring import UnitResult
from scoring.index.loader import Item
from tools.samplegen.answers import Drawn
from tools.samplegen.context import Context


@dataclass
class UnitView:
    """One unit's answers as the appraisers see them, with the points scoring gives them."""

    uid: str
    name: str
    group: str
    suffix: str
    leaves: dict[str, Item]  # applicable self-assessed and council leaves, tree order
    answers: dict[str, dict[str, Any]]
    council: dict[str, dict[str, Any]]
    adjustments: dict[str, dict[str, Any]]  # the bonuses and penalties the unit declared
    points: dict[str, Decimal]  # of the leaves
    adjustment_points: dict[str, Decimal]  # of the declared bonuses and penalties
    adjustment_order: tuple[str, ...]  # the index's bonuses, then its penalties

    def order(self, node: str) -> int:
        """Sort key of a node in a file: leaves in tree order, then bonuses, then penalties."""
        keys = list(self.leaves)
        if node in keys:
            return keys.index(node)
        return len(keys) + self.adjustment_order.index(node)


def unit_views(ctx: Context, drawn: Drawn, results: dict[str, UnitResult]) -> dict[str, UnitView]:
    """Every unit's view, from its drawn answers and its scored result."""
    out = {}
    order = tuple(a.spec.id for a in ctx.index.adjustments)
    for u in ctx.units:
        result = results[u.id]
        steps = {s.node: s for s in result.trace if s.level == "leaf"}
        applicable: dict[str, Item] = {}
        points: dict[str, Decimal] = {}
        for item in ctx.index.groups[u.group].leaves.values():
            if set(item.exemptions) & set(u.tags) or item.node.assessed_by == "survey":
                continue
            step = steps[item.id]
            if step.applicability == "applicable":
                assert step.points is not None
                applicable[item.id] = item
                points[item.id] = step.points
        adjusted = {
            s.node: s.points
            for s in result.trace
            if s.level in ("bonus", "penalty") and s.points is not None
        }
        unit = drawn.units[u.id]
        out[u.id] = UnitView(
            u.id,
            u.name,
            u.group,
            u.suffix,
            applicable,
            unit["answers"],
            drawn.council[u.id],
            unit.get("adjustments", {}),
            points,
            adjusted,
            order,
        )
    return out
