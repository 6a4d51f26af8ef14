"""Results and their trace: what every point of a unit came from, as deterministic JSON.

A ``Step`` is one line of the audit trail: a leaf scored by a rule, a node summed from its
children (with any cap or adjustment), a bonus or penalty, or the final total and rescale.
``to_jsonable`` turns any result into plain JSON types with Decimals as strings, so the same
inputs always serialise to the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, overload

from scoring.sources.numbers import fmt


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a unit's trace."""

    node: str
    level: str  # leaf | node | area | block | bonus | penalty | total
    max: Decimal
    points: Decimal | None  # None: excluded as not applicable
    reason_vi: str
    reason_en: str
    rule: str | None = None  # engine rule id that decided, e.g. "1.1.1#on_time"
    kind: str | None = None
    branch: str | None = None
    inputs: Mapping[str, Any] | None = None
    evidence: tuple[Any, ...] = ()  # EvidenceRef records (JSON: their set fields)
    self_score: Decimal | None = None
    applicability: str = "applicable"  # applicable | not_applicable:<strategy>
    notes: tuple[str, ...] = ()  # caps, gates, floors applied
    parent: str | None = None
    appraisal: tuple[Mapping[str, Any], ...] = ()  # each change: round, from, to, reason, who, when


class StepSource(Protocol):
    """What a ``LazySteps`` builds its steps from: a frozen trace (``frozen.FrozenTrace``)."""

    def steps(self) -> Sequence[Step]:
        """Every step of the trace, in order."""
        ...


class LazySteps(Sequence[Step]):
    """A trace whose steps are built the first time someone reads it.

    Scoring a province or a nation freezes each unit's trace in a compact form (``source``,
    kept: ``frozen.freeze`` hands it out); the ``Step`` objects, with their reasons in two
    languages, are made from it when the trace is first read, then kept.
    """

    __slots__ = ("_built", "source")

    def __init__(self, source: StepSource) -> None:
        self.source = source
        self._built: tuple[Step, ...] | None = None

    def _steps(self) -> tuple[Step, ...]:
        if self._built is None:
            self._built = tuple(self.source.steps())
        return self._built

    @overload
    def __getitem__(self, i: int) -> Step: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Step, ...]: ...
    def __getitem__(self, i: int | slice) -> Step | tuple[Step, ...]:
        return self._steps()[i]

    def __len__(self) -> int:
        return len(self._steps())

    def __iter__(self) -> Iterator[Step]:
        return iter(self._steps())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: not hashable

    def __repr__(self) -> str:
        return f"LazySteps({len(self)} steps)"


@dataclass(frozen=True, slots=True)
class NodeScore:
    """A node's points against its applicable maximum."""

    id: str
    title_vi: str
    title_en: str | None
    points: Decimal
    max: Decimal  # applicable maximum (0 when the whole node is excluded)
    full_max: Decimal
    parent: str | None


@dataclass(frozen=True, slots=True)
class ClassLabel:
    """A classification band a unit's index falls in: its id and labels."""

    id: str
    label_vi: str
    label_en: str


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's score: points, index, class, rank, per-node scores and the trace."""

    unit_id: str
    name: str
    group: str
    ranked: bool
    points: Decimal  # content + survey + bonus - penalty, unrounded
    max_points: Decimal  # applicable maximum
    index: Decimal  # points / max_points × scale, unrounded
    content: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    nodes: Mapping[str, NodeScore]
    areas: tuple[str, ...]
    trace: Sequence[Step]
    classification: ClassLabel | None = None
    rank: int | None = None
    warnings: tuple[str, ...] = ()
    index_id: str = ""
    content_hash: str = ""  # of the index and rule packs this result was computed from

    def with_rank(self, rank: int | None, label: ClassLabel) -> UnitResult:
        """This result with its rank in its group (None: not ranked) and its class."""
        return dataclasses.replace(self, rank=rank, classification=label)


def to_jsonable(obj: Any) -> Any:
    """Plain JSON data: Decimals as strings, dates ISO, dataclasses as dicts."""
    if isinstance(obj, Decimal):
        return fmt(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | LazySteps):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump(exclude_none=True))
    return obj


def dumps(obj: Any) -> str:
    """Deterministic JSON text of any result."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def subtree(result: UnitResult, node: str | None) -> tuple[Step, ...]:
    """The steps of ``node`` and everything below it (the whole trace for None)."""
    if node is None:
        return tuple(result.trace)
    below = {node}
    changed = True
    while changed:  # parents are listed after their children, so iterate to a fixpoint
        changed = False
        for s in result.trace:
            if s.parent in below and s.node not in below:
                below.add(s.node)
                changed = True
    return tuple(s for s in result.trace if s.node in below)
