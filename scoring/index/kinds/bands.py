"""What the banded kinds share: the ``Band`` record, coverage checks, branches and targets.

A band covers ``[min, max)`` of a value range unless it says otherwise; the bands of one rule
must cover the range without gap or overlap. ``ratio_bands``, ``value_bands`` and a banded
``external_value`` are made of these.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import StrictBool

from scoring.index.fields import Frozen, Num, Text
from scoring.index.kinds.base import (
    AnswerError,
    Branch,
    Input,
    Problem,
    number,
    points_ok,
)
from scoring.sources.numbers import encode_bound, has_places, said_value

# the number the banded kinds read (a boolean's ``value`` is another input, ``value:bool``)
VALUE_INPUT = Input(
    "value",
    "number",
    "Giá trị",
    "Value",
    key="value:number",
    help_vi="Số liệu của đơn vị (số thập phân dùng dấu phẩy, ví dụ 92,5)",
    help_en="The unit's figure (decimals with a point, e.g. 92.5)",
)


class Band(Frozen):
    """One band of a banded rule; ``min`` inclusive and ``max`` exclusive unless stated."""

    min: Num | None = None
    max: Num | None = None
    min_inclusive: StrictBool = True
    max_inclusive: StrictBool | None = None
    points: Num
    label_vi: Text | None = None
    label_en: Text | None = None


def interval(band: Band, low: Decimal, high: Decimal) -> tuple[Decimal, bool, Decimal, bool]:
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


def check_bands(bands: list[Band], low: Decimal, high: Decimal, top: Decimal) -> list[Problem]:
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


def band_branches(bands: list[Band], low: Decimal, high: Decimal) -> list[Branch]:
    """One branch per band, ``band_1`` first, labelled by the band or by its interval."""
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


def band_points(bands: list[Band], branch: str) -> Decimal:
    """The points of the band a ``band_N`` branch stands for."""
    return bands[int(branch.removeprefix("band_")) - 1].points


def in_range(answer: Mapping[str, Any], name: str, rng: tuple[Decimal, Decimal]) -> Decimal:
    """A number input that must lie in ``rng`` (ends included)."""
    v = number(answer, name, low=None)
    if not rng[0] <= v <= rng[1]:
        raise AnswerError(
            name,
            f"{v} is outside the range [{rng[0]}, {rng[1]}]",
            vi=f"{said_value(v)} nằm ngoài khoảng từ {said_value(rng[0])} đến {said_value(rng[1])}",
        )
    return v


def band_targets(bands: list[Band], rng: tuple[Decimal, Decimal], v: Decimal) -> list[Decimal]:
    """The nearest value inside each band that ``v`` lies outside (what-if's proposals); a
    whole ``v`` moves by whole steps, any other by thousandths."""
    step = Decimal(1) if v == v.to_integral_value() else Decimal("0.001")
    out = []
    for b in bands:
        lo, lo_incl, hi, hi_incl = interval(b, *rng)
        if v < lo:
            out.append(lo if lo_incl else lo + step)
        elif v > hi:
            out.append(hi if hi_incl else hi - step)
    return out
