"""A group's nodes as positions, and a unit's score as compact, index-free data.

A ``GroupPlan`` lists a group's nodes children first, as the trace lists them, with what each
node sums and the maxima when every leaf applies: made once per group and shared by every unit
of it. A ``CompactScore`` is one unit scored against a plan (``aggregate.score_compact``):
plain numbers per plan position, the shared outcome tuples and small step specs
(``steps.Spec``), no ``Item`` and no ``Step``, so it is cheap to make, to hold and to pickle
from a worker process; ``results.unit_result`` turns it into a ``UnitResult`` whose nodes and
trace are built when read.
"""

from __future__ import annotations

import operator
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.evaluation.outcomes import Outcome
from scoring.evaluation.steps import Spec
from scoring.index.loader import GroupView, Item
from scoring.sources.numbers import ZERO

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
    # (see ``aggregate.maxima``)
    maxima: dict[tuple[tuple[int, Decimal], ...], tuple[tuple[Decimal, ...], Decimal]] = field(
        default_factory=dict
    )
    na: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # see ``aggregate.leaf_special``
    # the leaf steps units share, by leaf number and outcome or spec (see ``frozen._shared``)
    book: dict[tuple[Any, ...], Any] = field(default_factory=dict)


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
class CompactScore:
    """One unit scored, without its index: what ``results.unit_result`` needs besides the unit."""

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


def _unpickle(vals: str, maxs: str | None, *rest: Any) -> CompactScore:
    return CompactScore(_Figures(vals), None if maxs is None else _Figures(maxs), *rest)


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
