"""A unit's score as compact, index-free data, and the ``UnitResult`` assembled from it.

Scoring a batch happens in three steps (``evaluate.score_units`` drives them):

1. ``unit_keys``: each applicable leaf's engine fact and exact value (``OutcomeKey``);
2. the engine decides every distinct fact once, and each distinct (fact, exact value) gets its
   outcome (branch, evidence gate, points) once (``outcomes``);
3. ``score_compact``: per unit, the leaf points, node sums, bonuses and penalties, blocks and
   total as a ``UnitScore``: plain numbers, the shared outcome tuples and small step specs,
   no ``Item`` and no ``Step`` (so it is cheap to make, to hold and to pickle from a worker
   process); ``assemble`` turns it into a ``UnitResult`` whose nodes and trace are built from
   the spec when read, digit for digit what the step-by-step scorer (``evaluate._Scorer``)
   builds.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .kinds import MISSING
from .loader import AdjustmentItem, GroupView, Index, Item
from .numbers import ZERO, clamp, fmt, times_over
from .submission import NA, Ready
from .trace import Step

FactKey = tuple[Hashable, ...]
OutcomeKey = tuple[Any, ...]  # (fact key, numerator, denominator) or (fact key, None)
Outcome = tuple[str, bool, Decimal | None]  # (branch, evidence gate, points)
Spec = tuple[Any, ...]  # a trace step not built yet, as plain data (see ``_build``)

# (position in the plan, leaf id, leaf, engine code, evidence required, exempting tags)
LeafRow = tuple[int, str, Item, str, bool, frozenset[str]]


@dataclass(frozen=True, eq=False)
class GroupPlan:
    """A group's nodes as positions: children before parents, as the trace lists them."""

    view: GroupView
    items: tuple[Item, ...]
    ids: tuple[str, ...]
    children: tuple[tuple[int, ...] | None, ...]  # positions of the children; None: a leaf
    leaves: tuple[LeafRow, ...]
    nodes: tuple[tuple[int, tuple[int, ...]], ...]  # (position, children's positions)
    full_max: tuple[Decimal, ...]  # the maxima when everything applies
    areas: tuple[tuple[int, str], ...]  # (position, block)


_PLANS: weakref.WeakKeyDictionary[GroupView, GroupPlan] = weakref.WeakKeyDictionary()


def group_plan(view: GroupView) -> GroupPlan:
    """The plan of a group, made once (sums under the caller's decimal context)."""
    plan = _PLANS.get(view)
    if plan is not None:
        return plan
    items: list[Item] = []

    def visit(item: Item) -> None:
        for child in item.children:
            visit(child)
        items.append(item)

    for area in view.areas:
        visit(area)
    pos = {item.id: i for i, item in enumerate(items)}
    children = tuple(
        None if item.is_leaf else tuple(pos[c.id] for c in item.children) for item in items
    )
    full: list[Decimal] = []
    for item, ch in zip(items, children, strict=True):
        full.append(item.max if ch is None else sum([full[c] for c in ch], ZERO))
    plan = GroupPlan(
        view,
        tuple(items),
        tuple(pos),
        children,
        tuple(
            (i, item.id, item, item.code, item.gated, frozenset(item.exemptions))
            for i, item in enumerate(items)
            if children[i] is None
        ),
        tuple((i, ch) for i, ch in enumerate(children) if ch is not None),
        tuple(full),
        tuple((pos[a.id], a.block) for a in view.areas),
    )
    _PLANS[view] = plan
    return plan


def unit_keys(plan: GroupPlan, r: Ready) -> list[OutcomeKey | None]:
    """Per leaf of the plan: its fact and exact value, or None (exempt by a tag, or N/A).

    The fact is ``evaluate._leaf_keys``'s: ("in", code, status, encoded value, evidence flag).
    """
    tags = set(r.unit.tags)
    leaves, answers = r.leaves, r.answers
    out: list[OutcomeKey | None] = []
    for _, lid, _, code, gated, exempt in plan.leaves:
        p = leaves[lid]
        st = p.status
        if st == NA or (tags and not tags.isdisjoint(exempt)):
            out.append(None)
            continue
        gate: int | None = None
        if gated and st != MISSING:
            ans = answers.get(lid)
            gate = 1 if ans is not None and ans.evidence else 0
        key = ("in", code, st, p.encoded, gate)
        v = p.value  # exact; as integers, since hashing a Fraction is slow
        out.append((key, None) if v is None else (key, v.numerator, v.denominator))
    return out


@dataclass(slots=True)
class UnitScore:
    """One unit scored, without its index: what ``assemble`` needs besides the unit itself."""

    vals: list[Decimal]  # points per plan position (after a node's own bonus/penalty)
    maxs: list[Decimal] | None  # applicable maxima per position; None: the group's full maxima
    leaves: list[Outcome | None]  # per leaf: its outcome (None: see ``special``)
    special: dict[int, Spec]  # leaf number -> step spec (N/A, appraised)
    after: dict[int, list[Spec]]  # position -> specs of the steps following its step
    sums: dict[int, Decimal]  # position -> points before its own bonus/penalty
    tail: list[Spec]  # total-scope bonus/penalty steps and caps
    content: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    applicable: Decimal
    points: Decimal
    value: Decimal
    warnings: tuple[str, ...] = field(default=())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (from a worker process) with ``vals`` and ``maxs`` as one text each:
        pickling a hundred Decimal objects a unit, one by one, cost as much as scoring it."""
        state = [getattr(self, f) for f in self.__slots__]
        state[0] = _join(self.vals)
        state[1] = None if self.maxs is None else _join(self.maxs)
        return (_unpickle, tuple(state))


def _join(xs: list[Decimal]) -> str:
    return " ".join(map(str, xs))  # str of a Decimal gives back the same digits and exponent


def _unpickle(vals: str, maxs: str | None, *rest: Any) -> UnitScore:
    return UnitScore(
        list(map(Decimal, vals.split())),
        None if maxs is None else list(map(Decimal, maxs.split())),
        *rest,
    )


def totals(
    index: Index, content: Decimal, survey: Decimal, bonus: Decimal, penalty: Decimal, app: Decimal
) -> tuple[Decimal, Decimal]:
    """The unit's points and its value rescaled to the index's scale (under ``CONTEXT``)."""
    scale = index.meta.scale
    points = max(ZERO, content + survey + bonus - penalty)
    value = ZERO
    if app > 0:
        value = clamp(times_over(points, scale, app), ZERO, scale)
    return points, value


def total_step(
    index: Index,
    applicable: Decimal,
    points: Decimal,
    value: Decimal,
    content: Decimal,
    survey: Decimal,
    bonus: Decimal,
    penalty: Decimal,
) -> Step:
    """The last step of every trace: the total and its rescale."""
    scale = index.meta.scale
    return Step(
        "total",
        "total",
        applicable,
        points,
        f"Tổng {fmt(points)}/{fmt(applicable)} điểm áp dụng (nội dung {fmt(content)}, "
        f"khảo sát {fmt(survey)}, thưởng {fmt(bonus)}, trừ {fmt(penalty)}); quy đổi "
        f"{fmt(scale)}: {fmt(value)}",
        f"Total {fmt(points)} of an applicable {fmt(applicable)} (content {fmt(content)}, "
        f"survey {fmt(survey)}, bonus {fmt(bonus)}, penalty {fmt(penalty)}); rescaled to "
        f"{fmt(scale)}: {fmt(value)}",
        notes=() if applicable == scale else (f"rescaled: × {fmt(scale)} / {fmt(applicable)}",),
    )


def empty_warning(r: Ready) -> str:
    return (
        f"unit {r.unit.id}: nothing in the index applies to it "
        "(every part exempt or not applicable); it is not ranked"
    )


AdjSteps = Sequence[tuple[AdjustmentItem, Decimal]]
Decided = Mapping[FactKey, tuple[str, ...]]
