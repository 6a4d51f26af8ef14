"""What every rule kind shares: branches, prepared answers, answer errors and band checks.

A handler knows, for its kind:

- ``inputs``: the answer fields it reads and their types (rule packs may reference them);
- ``check``: what is wrong with a rule definition (points out of range, bands with gaps);
- ``branches``: the outcomes the engine chooses between, each a condition on the fact's status
  ``s`` and its encoded value ``v`` (see ``numbers.encode``);
- ``prepare``: the answer turned into one exact number (or a status such as ``not_done``);
- ``points``: the points of the branch the engine matched (``None``: not applicable).

The engine decides *which* branch holds; the handler does the Decimal arithmetic. The handlers
live in ``choices`` (outcome kinds) and ``measures`` (numeric kinds); ``scoring.index.kinds`` is
their registry.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.index import model as m
from scoring.sources.numbers import ZERO, encode, encode_bound, has_places

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
    # whether the answer cites any evidence (set by ``submission.prepare``): with the status
    # and ``encoded``, all the engine's fact of an evidence-gated item needs from the answer
    evidence: bool = False

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "encoded", encode(self.value))


class AnswerError(ValueError):
    """A value in an answer is missing or of the wrong kind; ``field`` names it."""

    def __init__(self, field_name: str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.field = field_name
        self.suggestion = suggestion


MISSING_BRANCH = Branch(MISSING, "Không có số liệu tự đánh giá", "No answer given", status=MISSING)


# ---------------------------------------------------------------- helpers


Problem = tuple[tuple[str | int, ...], str]  # (path below the rule, message)


def points_ok(
    path: tuple[str | int, ...], value: Decimal | None, top: Decimal, problems: list[Problem]
) -> None:
    if value is None:
        return
    name = str(path[-1]) if isinstance(path[-1], str) else f"item {path[-1]}"
    if not has_places(value):
        problems.append((path, f"{name}: {value} has more than 3 decimals"))
    elif not ZERO <= value <= top:
        problems.append((path, f"{name}: {value} is outside [0, {top}]"))


def per_item_ok(value: Decimal, problems: list[Problem]) -> None:
    if value <= 0 or not has_places(value):
        problems.append(
            (("per_item",), f"per_item: {value} must be above 0 with at most 3 decimals")
        )


def get(answer: Mapping[str, Any], name: str) -> Any:
    if name not in answer:
        raise AnswerError(name, f"'{name}' is required for this item")
    return answer[name]


def number(answer: Mapping[str, Any], name: str, low: Decimal | None = ZERO) -> Decimal:
    v = get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise AnswerError(name, f"expected a number, got {v!r}")
    d = Decimal(v)
    if not d.is_finite():
        raise AnswerError(name, f"expected a finite number, got {v!r}")
    if low is not None and d < low:
        raise AnswerError(name, f"must be at least {low}, got {d}")
    return d


def whole(answer: Mapping[str, Any], name: str) -> int:
    v = get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise AnswerError(name, f"expected a whole number >= 0, got {v!r}")
    return v


def ratio(answer: Mapping[str, Any]) -> tuple[int, int]:
    num, den = whole(answer, "numerator"), whole(answer, "denominator")
    if num > den:
        raise AnswerError("numerator", f"numerator {num} exceeds denominator {den}")
    return num, den


def interval(band: m.Band, low: Decimal, high: Decimal) -> tuple[Decimal, bool, Decimal, bool]:
    """A band as (lo, lo_inclusive, hi, hi_inclusive) with defaults filled in."""
    lo = low if band.min is None else band.min
    hi = high if band.max is None else band.max
    hi_incl = band.max_inclusive if band.max_inclusive is not None else band.max is None
    return lo, band.min_inclusive, hi, hi_incl


def check_range(rng: tuple[Decimal, Decimal]) -> list[Problem]:
    """A value range: low below high, both with at most 3 decimals."""
    for i, bound in enumerate(rng):
        if not has_places(bound):
            return [(("range", i), f"range: {bound} has more than 3 decimals")]
    if rng[0] >= rng[1]:
        return [(("range",), f"range: {rng[0]} must be below {rng[1]}")]
    return []


def check_bands(bands: list[m.Band], low: Decimal, high: Decimal, top: Decimal) -> list[Problem]:
    """Gaps, overlaps and out-of-range points of ``bands`` over ``[low, high]``."""
    problems: list[Problem] = []
    ivs = []
    for i, b in enumerate(bands):
        points_ok(("bands", i, "points"), b.points, top, problems)
        lo, lo_incl, hi, hi_incl = interval(b, low, high)
        for name, bound in (("min", lo), ("max", hi)):
            if not has_places(bound):
                problems.append((("bands", i, name), f"{name}: {bound} has more than 3 decimals"))
        if lo > hi or (lo == hi and not (lo_incl and hi_incl)):
            problems.append((("bands", i), f"band {i + 1} is empty: [{lo}, {hi}]"))
        if lo < low or hi > high:
            problems.append(
                (("bands", i), f"band {i + 1} reaches outside the range [{low}, {high}]")
            )
        ivs.append((lo, not lo_incl, hi, hi_incl, i))
    if problems:
        return problems
    ivs.sort()
    first, last = ivs[0], ivs[-1]
    if first[0] > low or first[1]:
        problems.append((("bands", first[4]), f"gap: no band covers {low}"))
    if last[2] < high or not last[3]:
        problems.append(
            (
                ("bands", last[4]),
                f"gap: no band covers {high} (a band whose max is "
                "the top of the range needs max_inclusive: true)",
            )
        )
    for (_, _, hi, hi_incl, i), (lo, lo_excl, _, _, j) in itertools.pairwise(ivs):
        if hi > lo or (hi == lo and hi_incl and not lo_excl):
            problems.append(
                (("bands", j), f"overlap: bands {i + 1} and {j + 1} both cover values near {lo}")
            )
        elif hi < lo or (hi == lo and not hi_incl and lo_excl):
            problems.append(
                (
                    ("bands", j),
                    f"gap: between bands {i + 1} and {j + 1}, values near {hi} fall in no band",
                )
            )
    return problems


def band_branches(bands: list[m.Band], low: Decimal, high: Decimal) -> list[Branch]:
    out = []
    for i, b in enumerate(bands):
        lo, lo_incl, hi, hi_incl = interval(b, low, high)
        text = f"{'[' if lo_incl else '('}{lo}, {hi}{']' if hi_incl else ')'}"
        out.append(
            Branch(
                f"band_{i + 1}",
                b.label_vi or f"Khoảng {text}",
                b.label_en or f"Band {text}",
                lo=encode_bound(lo),
                lo_incl=lo_incl,
                hi=encode_bound(hi),
                hi_incl=hi_incl,
            )
        )
    return out


def band_points(bands: list[m.Band], branch: str) -> Decimal:
    return bands[int(branch.removeprefix("band_")) - 1].points


def zero_den_points(outcome: str, top: Decimal) -> Decimal | None:
    return {"full": top, "zero": ZERO, "not_applicable": None}[outcome]


ZERO_DEN = Branch(
    "zero_denominator", "Mẫu số bằng 0", "Zero denominator", status="zero_denominator"
)


def in_range(answer: Mapping[str, Any], name: str, rng: tuple[Decimal, Decimal]) -> Decimal:
    v = number(answer, name, low=None)
    if not rng[0] <= v <= rng[1]:
        raise AnswerError(name, f"{v} is outside the range [{rng[0]}, {rng[1]}]")
    return v


@dataclass(frozen=True)
class Handler:
    """The behaviour of one rule kind."""

    kind: str
    doc: str
    inputs: Mapping[str, str]
    check: Callable[[Any, Decimal], list[Problem]]
    branches: Callable[[Any, Decimal], list[Branch]]
    prepare: Callable[[Any, Mapping[str, Any]], Prepared]
    points: Callable[[Any, str, Prepared, Decimal], Decimal | None]
