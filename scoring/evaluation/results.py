"""A scored unit's ``UnitResult``, from its compact score: nodes and trace made when first read.

``unit_result`` wraps a ``compact.CompactScore`` into a ``UnitResult``. Its nodes are a
``LazyNodes`` over the score's figures, its trace a ``trace.LazySteps`` over the unit's
``frozen.FrozenTrace``, decoded when someone reads it, in the trace's order: leaves and nodes
children first (each node's own bonuses and penalties right after it), then the total-scope
ones, the caps and the total. ``trace_steps`` builds the same steps one builder call a step:
the reference the frozen decoding is tested against.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from scoring.campaign.ready import Ready
from scoring.evaluation.compact import CompactScore, GroupPlan
from scoring.evaluation.frozen import FrozenTrace
from scoring.evaluation.inputs import Appraisals
from scoring.evaluation.steps import (
    adjusted_step,
    adjustment_step,
    cap_step,
    leaf_step_of,
    node_step,
    total_step,
)
from scoring.evaluation.trace import LazySteps, NodeScore, Step, UnitResult
from scoring.index.loader import GroupView, Index


class LazyNodes(Mapping[str, NodeScore]):
    """Every node's points and applicable maximum, as NodeScore records made on demand.

    ``positions`` maps each node id, in trace order, to its place in ``points`` and ``maxima``
    (a group plan's, shared by every unit of the group).
    """

    def __init__(
        self,
        view: GroupView,
        positions: Mapping[str, int],
        points: Sequence[Decimal],
        maxima: Sequence[Decimal],
    ) -> None:
        self._view, self._pos, self._points, self._maxima = view, positions, points, maxima
        self._made: dict[str, NodeScore] | None = None  # made when first read

    def __getitem__(self, key: str) -> NodeScore:
        if self._made is None:
            self._made = {}
        made = self._made.get(key)
        if made is None:
            i = self._pos[key]  # KeyError for an id not in the group
            item = self._view.items[key]
            made = NodeScore(
                key,
                item.node.title_vi,
                item.node.title_en,
                self._points[i],
                self._maxima[i],
                item.max,
                item.parent,
            )
            self._made[key] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, key: object) -> bool:
        return key in self._pos


def unit_result(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    s: CompactScore,
    appraised: Appraisals,
) -> UnitResult:
    """The ``UnitResult`` of a compact score: nodes and trace are made when first read."""
    nodes = LazyNodes(plan.view, plan.pos, s.vals, s.maxs or plan.full_max)

    return UnitResult(
        r.unit.id,
        r.unit.name,
        r.group,
        r.unit.ranked,
        s.points,
        s.applicable,
        s.value,
        s.content,
        s.survey,
        s.bonus,
        s.penalty,
        nodes,
        tuple(a.id for a in plan.view.areas),
        LazySteps(FrozenTrace(index, plan, r, s, appraised)),
        warnings=s.warnings,
        index_id=index.id,
        content_hash=index.content_hash,
    )


def trace_steps(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    s: CompactScore,
    appraised: Appraisals,
) -> list[Step]:
    """Every step of a unit's trace, in order, from its compact score, one builder call a
    step: the reference that ``frozen.FrozenTrace`` decodes to (tested step for step).
    Call it under ``numbers.CONTEXT``."""
    out: list[Step] = []
    maxs = s.maxs or plan.full_max
    leaf_no = 0
    for i, item in enumerate(plan.items):
        if plan.children[i] is None:
            out.append(leaf_step_of(item, r, s.leaves[leaf_no], s.special.get(leaf_no)))
            leaf_no += 1
        else:
            out.append(node_step(item, s.sums.get(i, s.vals[i]), maxs[i]))
        for spec in s.after.get(i, ()):
            if spec[0] == "adjusted":
                out.append(adjusted_step(item, *spec[1:]))
            else:
                out.append(adjustment_step(index, r, appraised, *spec[1:]))
    for spec in s.tail:
        if spec[0] == "cap":
            out.append(cap_step(*spec[1:]))
        else:
            out.append(adjustment_step(index, r, appraised, *spec[1:]))
    out.append(
        total_step(index, s.applicable, s.points, s.value, s.content, s.survey, s.bonus, s.penalty)
    )
    return out
