"""A unit's score as compact, index-free data, and the ``UnitResult`` assembled from it.

Scoring a batch happens in three steps (``batch.score_batch`` drives them):

1. ``batch.known_outcomes``: each applicable leaf's outcome key (``evaluate.outcome_key``: its
   engine fact and exact value) looked up in the engine's memo of outcomes;
2. the engine decides the distinct facts of the keys not found, once each, and each distinct
   key gets its outcome (branch, evidence gate, points) once;
3. ``batch.score_compact``: per unit, the leaf points, node sums, bonuses and penalties, blocks and
   total as a ``UnitScore``: plain numbers, the shared outcome tuples and small step specs,
   no ``Item`` and no ``Step`` (so it is cheap to make, to hold and to pickle from a worker
   process); ``assemble`` turns it into a ``UnitResult`` whose nodes and trace are built from
   the spec when read, digit for digit what the step-by-step scorer (``evaluate._Scorer``)
   builds.
"""

from __future__ import annotations

import operator
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.campaign.submission import Ready
from scoring.evaluation.trace import Step
from scoring.index.loader import AdjustmentItem, GroupView, Index, Item
from scoring.sources.numbers import ZERO, clamp, fmt, times_over

FactKey = tuple[Hashable, ...]
OutcomeKey = tuple[Any, ...]  # see ``evaluate.outcome_key``
Outcome = tuple[str, bool, Decimal | None]  # (branch, evidence gate, points)
Spec = tuple[Any, ...]  # a trace step not built yet, as plain data (see ``_build``)

LeafRow = tuple[int, str, Item]  # (position in the plan, leaf id, leaf)


@dataclass(frozen=True, eq=False)
class GroupPlan:
    """A group's nodes as positions: children before parents, as the trace lists them."""

    view: GroupView
    items: tuple[Item, ...]
    ids: tuple[str, ...]
    pos: Mapping[str, int]  # node id -> position
    children: tuple[tuple[int, ...] | None, ...]  # positions of the children; None: a leaf
    leaves: tuple[LeafRow, ...]
    leaf_pos: tuple[int, ...]  # per leaf: its position
    leaf_keys: tuple[tuple[str, str, bool, frozenset[str]], ...]  # (id, code, gated, exempt)
    # per node, children first: (position, what reads its children's values of a list)
    sums: tuple[tuple[int, Callable[[Sequence[Decimal]], tuple[Decimal, ...]]], ...]
    full_max: tuple[Decimal, ...]  # the maxima when everything applies
    areas: tuple[tuple[int, str], ...]  # (position, block)
    # per block ("content", "survey"): what reads its areas' values of a list, in area order
    blocks: tuple[tuple[str, Callable[[Sequence[Decimal]], tuple[Decimal, ...]]], ...]
    full_applicable: Decimal  # the areas' maxima added up, in order
    # leaves' applicable maxima where not full -> every node's and the applicable total
    # (see ``batch._maxima``)
    maxima: dict[tuple[tuple[int, Decimal], ...], tuple[tuple[Decimal, ...], Decimal]] = field(
        default_factory=dict
    )
    na: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # see ``batch._leaf_special``


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
    rows = tuple((i, item.id, item) for i, item in enumerate(items) if children[i] is None)
    plan = GroupPlan(
        view,
        tuple(items),
        tuple(pos),
        pos,
        children,
        rows,
        tuple(row[0] for row in rows),
        tuple((lid, it.code, it.gated, frozenset(it.exemptions)) for _, lid, it in rows),
        tuple((i, _picker(ch)) for i, ch in enumerate(children) if ch is not None),
        tuple(full),
        tuple((pos[a.id], a.block) for a in view.areas),
        tuple(
            (block, _picker(tuple(pos[a.id] for a in view.areas if a.block == block)))
            for block in dict.fromkeys(a.block for a in view.areas)
        ),
        sum([full[pos[a.id]] for a in view.areas], ZERO),
    )
    _PLANS[view] = plan
    return plan


def _picker(positions: tuple[int, ...]) -> Callable[[Sequence[Decimal]], tuple[Decimal, ...]]:
    """``lambda v: tuple(v[p] for p in positions)``, in C (``operator.itemgetter``)."""
    if len(positions) == 1:
        one = positions[0]
        return lambda v: (v[one],)
    return operator.itemgetter(*positions)


@dataclass(slots=True)
class UnitScore:
    """One unit scored, without its index: what ``assemble`` needs besides the unit itself."""

    vals: Sequence[Decimal]  # points per plan position (after a node's own bonus/penalty)
    maxs: Sequence[Decimal] | None  # applicable maxima per position; None: the group's full
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


def _join(xs: Sequence[Decimal]) -> str:
    return " ".join(map(str, xs))  # str of a Decimal gives back the same digits and exponent


def _unpickle(vals: str, maxs: str | None, *rest: Any) -> UnitScore:
    return UnitScore(_Figures(vals), None if maxs is None else _Figures(maxs), *rest)


class _Figures(Sequence[Decimal]):
    """Decimals sent as one text, read when first asked for: a worker's units come back to
    the parent, which reads most units' node points only if someone opens their trace."""

    __slots__ = ("_read", "_text")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._read: list[Decimal] = []

    def _all(self) -> list[Decimal]:
        if self._text is not None:
            self._read, self._text = list(map(Decimal, self._text.split())), None
        return self._read

    def __getitem__(self, i: Any) -> Any:
        return self._all()[i]

    def __len__(self) -> int:
        return len(self._all())


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
