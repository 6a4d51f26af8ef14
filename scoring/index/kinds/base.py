"""What every rule kind shares: the handler contract, branches, prepared answers, answer errors.

A handler (a subclass of ``Handler``, registered in ``scoring.index.kinds``) is the one place
that knows its kind:

- ``spec``: the record of a rule of the kind as ``criteria.yaml`` writes it (a ``RuleSpec``);
- ``inputs``: the answer fields it reads, each with its type and Vietnamese and English labels;
- ``check``: what is wrong with a rule definition (points out of range, bands with gaps);
- ``branches``: the outcomes the engine chooses between, each a condition on the fact's status
  ``s`` and its encoded value ``v`` (see ``numbers.encode``);
- ``prepare``: the answer turned into one exact number (or a status such as ``not_done``);
- ``points``: the points of the branch the engine matched (``None``: not applicable);
- what the rest of parindex asks of a kind: its labels (the Excel template's "rule kind"
  column), who may assess it, whether a bonus or penalty may use it, the choices and bounds
  of its inputs (form widgets, drop-downs), the input changes what-if proposes, and its
  robustness tolerance and sampling error.

The engine decides *which* branch holds; the handler does the Decimal arithmetic. The kinds
live in ``choices``, ``rates``, ``counts`` and ``outside``; ``bands`` holds what banded kinds
share.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar

from scoring.index.fields import Frozen
from scoring.sources.numbers import ZERO, encode, has_places, said_value

VALUE, MISSING = "value", "missing"


@dataclass(frozen=True)
class Branch:
    """One outcome: holds when the fact's status is ``status`` and ``v`` lies in the bounds."""

    id: str
    label_vi: str
    label_en: str
    status: str = VALUE
    lo: int | None = None  # encoded bounds; None = unbounded
    lo_incl: bool = True
    hi: int | None = None
    hi_incl: bool = True


@dataclass(frozen=True)
class Prepared:
    """An answer reduced to what the engine compares: a status and one exact value."""

    status: str
    value: Fraction | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    encoded: int | None = field(init=False, default=None)  # the engine's image of ``value``
    # whether the answer cites any evidence (set by ``ready.prepare``): with the status
    # and ``encoded``, all the engine's fact of an evidence-gated item needs from the answer
    evidence: bool = False

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "encoded", encode(self.value))


class AnswerError(ValueError):
    """A value in an answer is missing or of the wrong kind; ``field`` names it."""

    def __init__(
        self,
        field_name: str,
        message: str,
        suggestion: str | None = None,
        *,
        vi: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field_name
        self.suggestion = suggestion
        self.vi = vi  # the same in Vietnamese (ParindexError's ``vi``)


MISSING_BRANCH = Branch(MISSING, "Không có số liệu tự đánh giá", "No answer given", status=MISSING)

Problem = tuple[tuple[str | int, ...], str]  # (path below the rule, message)
Proposal = list[tuple[str, Decimal, Any]]  # (input, how far it moves, its new value)


@dataclass(frozen=True)
class Input:
    """One answer field a kind reads: its type, its labels, and the key naming it across kinds.

    ``type`` says how a value is typed and read: bool, date, whole, number, level, responses
    or text. Kinds that read the same field with the same meaning declare the same input;
    one read with another type needs a key of its own (``value:bool`` beside
    ``value:number``): the key names its column in the Excel template."""

    name: str
    type: str
    label_vi: str
    label_en: str
    key: str = ""  # defaults to ``name``
    # what the form says under the field: what to type, and in which unit
    help_vi: str = ""
    help_en: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)


def named(*inputs: Input) -> Mapping[str, Input]:
    """A kind's inputs by field name, in the order given (read-only)."""
    return MappingProxyType({i.name: i for i in inputs})


@dataclass(frozen=True)
class Choice:
    """One value a choice input accepts (an ordinal level), with its labels."""

    value: str
    label_vi: str
    label_en: str


class RuleSpec(Frozen):
    """A rule as written in YAML; each kind's record subclasses it and fixes ``kind``."""

    kind: str


S = TypeVar("S", bound=RuleSpec)


class Handler(ABC, Generic[S]):
    """The behaviour of one rule kind: subclass it, then ``kinds.register`` an instance."""

    kind: ClassVar[str]
    spec: ClassVar[type[RuleSpec]]  # the record of a rule of this kind
    doc: ClassVar[str]  # one line, for the README and ``parindex check``
    label_vi: ClassVar[str]  # the kind for people: the Excel template's "rule kind" column
    label_en: ClassVar[str]
    inputs: ClassVar[Mapping[str, Input]]
    # who may assess an item of the kind (criteria.yaml's assessed_by); a kind the council
    # assesses is assessed by it alone
    assessors: ClassVar[frozenset[str]] = frozenset({"self"})
    adjustable: ClassVar[bool] = False  # may score a bonus or penalty of a rule pack
    # the points are set by the survey, the council or another system, not by the unit's work
    set_elsewhere: ClassVar[bool] = False
    # robustness: how far an appraiser may differ on an item of the kind, as a share of max
    tolerance: ClassVar[float] = 0.0

    def check(self, rule: S, top: Decimal) -> list[Problem]:
        """What is wrong with a rule of the kind worth at most ``top`` (none by default)."""
        return []

    @abstractmethod
    def branches(self, rule: S, top: Decimal) -> list[Branch]:
        """The outcomes the engine chooses between (exactly one holds for any value)."""

    @abstractmethod
    def prepare(self, rule: S, answer: Mapping[str, Any]) -> Prepared:
        """The answer's inputs as one exact value, or ``AnswerError`` naming the bad field."""

    @abstractmethod
    def points(self, rule: S, branch: str, prepared: Prepared, top: Decimal) -> Decimal | None:
        """The points of ``branch`` for this answer (``None``: not applicable)."""

    def check_answer(self, rule: S, prepared: Prepared, top: Decimal) -> None:
        """Raise ``AnswerError`` if a prepared answer does not fit an item worth ``top``."""

    def choices(self, rule: S, name: str) -> tuple[Choice, ...]:
        """The values a ``level`` input ``name`` accepts, in order (none by default)."""
        return ()

    def bounds(self, rule: S, name: str) -> tuple[Decimal, Decimal] | None:
        """The range a ``number`` input ``name`` must lie in, if the rule sets one."""
        return None

    def branch_path(self, rule: S, branch: str) -> tuple[str | int, ...]:
        """Where below the rule a branch is defined (for errors naming one); the rule itself."""
        return ()

    def levels(self, rule: S) -> tuple[Decimal, ...] | None:
        """The only scores an appraiser may give an item of the rule (``None``: any)."""
        return None

    def proposals(self, rule: S, current: Mapping[str, Any], top: Decimal) -> Iterator[Proposal]:
        """Input values worth trying to raise an item from its ``current`` inputs (what-if)."""
        return iter(())

    def sampling_error(self, rule: S, inputs: Mapping[str, Any]) -> float:
        """The standard error of the item's share of max from its trace inputs (a survey)."""
        return 0.0

    def answer_weights(self, rule: S) -> Mapping[str, Decimal] | None:
        """The options of a survey question counted into the item, each with its weight in
        [0, 1] (``None``: the kind does not count answers, so no question can feed it)."""
        return None


# ---------------------------------------------------------------- helpers of the kinds


def points_ok(
    path: tuple[str | int, ...], value: Decimal | None, top: Decimal, problems: list[Problem]
) -> None:
    """Add a problem if ``value`` (when set) is outside [0, top] or has more than 3 decimals."""
    if value is None:
        return
    name = str(path[-1]) if isinstance(path[-1], str) else f"item {path[-1]}"
    if not has_places(value):
        problems.append((path, f"{name}: {value} has more than 3 decimals"))
    elif not ZERO <= value <= top:
        problems.append((path, f"{name}: {value} is outside [0, {top}]"))


def per_item_ok(value: Decimal, problems: list[Problem]) -> None:
    """Add a problem unless ``per_item`` is above 0 with at most 3 decimals."""
    if value <= 0 or not has_places(value):
        problems.append(
            (("per_item",), f"per_item: {value} must be above 0 with at most 3 decimals")
        )


def get(answer: Mapping[str, Any], name: str) -> Any:
    """The value of input ``name``, or ``AnswerError`` if the answer lacks it."""
    if name not in answer:
        raise AnswerError(
            name, f"'{name}' is required for this item", vi=f"mục này cần số liệu '{name}'"
        )
    return answer[name]


def number(answer: Mapping[str, Any], name: str, low: Decimal | None = ZERO) -> Decimal:
    """A finite number input, at least ``low`` (``None``: any)."""
    v = get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise AnswerError(
            name, f"expected a number, got {v!r}", vi=f"cần một số, nhận {said_value(v)}"
        )
    d = Decimal(v)
    if not d.is_finite():
        raise AnswerError(
            name,
            f"expected a finite number, got {v!r}",
            vi=f"cần một số hữu hạn, nhận {said_value(v)}",
        )
    if low is not None and d < low:
        raise AnswerError(
            name,
            f"must be at least {low}, got {d}",
            vi=f"phải từ {said_value(low)} trở lên, nhận {said_value(d)}",
        )
    return d


def whole(answer: Mapping[str, Any], name: str) -> int:
    """A whole-number input, 0 or more."""
    v = get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        shown = str(v) if isinstance(v, Decimal) else repr(v)  # 0.5, not Decimal('0.5')
        raise AnswerError(
            name,
            f"expected a whole number >= 0, got {shown}",
            vi=f"cần một số nguyên từ 0 trở lên, nhận {said_value(v)}",
        )
    return v
