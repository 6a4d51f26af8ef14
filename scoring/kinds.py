"""The registry of rule kinds: one small handler per kind.

A handler knows, for its kind:

- ``inputs``: the answer fields it reads and their types (rule packs may reference them);
- ``check``: what is wrong with a rule definition (points out of range, bands with gaps);
- ``branches``: the outcomes the engine chooses between, each a condition on the fact's status
  ``s`` and its encoded value ``v`` (see ``numbers.encode``);
- ``prepare``: the answer turned into one exact number (or a status such as ``not_done``);
- ``points``: the points of the branch the engine matched (``None``: not applicable).

The engine decides *which* branch holds; the handler does the Decimal arithmetic.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import model as m
from .numbers import ZERO, encode, encode_bound, has_places, to_decimal

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


def _points_ok(
    path: tuple[str | int, ...], value: Decimal | None, top: Decimal, problems: list[Problem]
) -> None:
    if value is None:
        return
    name = str(path[-1]) if isinstance(path[-1], str) else f"item {path[-1]}"
    if not has_places(value):
        problems.append((path, f"{name}: {value} has more than 3 decimals"))
    elif not ZERO <= value <= top:
        problems.append((path, f"{name}: {value} is outside [0, {top}]"))


def _per_item_ok(value: Decimal, problems: list[Problem]) -> None:
    if value <= 0 or not has_places(value):
        problems.append(
            (("per_item",), f"per_item: {value} must be above 0 with at most 3 decimals")
        )


def _get(answer: Mapping[str, Any], name: str) -> Any:
    if name not in answer:
        raise AnswerError(name, f"'{name}' is required for this item")
    return answer[name]


def _number(answer: Mapping[str, Any], name: str, low: Decimal | None = ZERO) -> Decimal:
    v = _get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise AnswerError(name, f"expected a number, got {v!r}")
    d = Decimal(v)
    if not d.is_finite():
        raise AnswerError(name, f"expected a finite number, got {v!r}")
    if low is not None and d < low:
        raise AnswerError(name, f"must be at least {low}, got {d}")
    return d


def _whole(answer: Mapping[str, Any], name: str) -> int:
    v = _get(answer, name)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise AnswerError(name, f"expected a whole number >= 0, got {v!r}")
    return v


def _ratio(answer: Mapping[str, Any]) -> tuple[int, int]:
    num, den = _whole(answer, "numerator"), _whole(answer, "denominator")
    if num > den:
        raise AnswerError("numerator", f"numerator {num} exceeds denominator {den}")
    return num, den


def interval(band: m.Band, low: Decimal, high: Decimal) -> tuple[Decimal, bool, Decimal, bool]:
    """A band as (lo, lo_inclusive, hi, hi_inclusive) with defaults filled in."""
    lo = low if band.min is None else band.min
    hi = high if band.max is None else band.max
    hi_incl = band.max_inclusive if band.max_inclusive is not None else band.max is None
    return lo, band.min_inclusive, hi, hi_incl


def check_bands(bands: list[m.Band], low: Decimal, high: Decimal, top: Decimal) -> list[Problem]:
    """Gaps, overlaps and out-of-range points of ``bands`` over ``[low, high]``."""
    problems: list[Problem] = []
    ivs = []
    for i, b in enumerate(bands):
        _points_ok(("bands", i, "points"), b.points, top, problems)
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


def _band_points(bands: list[m.Band], branch: str) -> Decimal:
    return bands[int(branch.removeprefix("band_")) - 1].points


def _zero_den_points(outcome: str, top: Decimal) -> Decimal | None:
    return {"full": top, "zero": ZERO, "not_applicable": None}[outcome]


ZERO_DEN = Branch(
    "zero_denominator", "Mẫu số bằng 0", "Zero denominator", status="zero_denominator"
)


def _in_range(answer: Mapping[str, Any], name: str, rng: tuple[Decimal, Decimal]) -> Decimal:
    v = _number(answer, name, low=None)
    if not rng[0] <= v <= rng[1]:
        raise AnswerError(name, f"{v} is outside the range [{rng[0]}, {rng[1]}]")
    return v


# ---------------------------------------------------------------- handlers


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


def _boolean() -> Handler:
    def check(r: m.BooleanRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        _points_ok(("yes",), r.yes, top, p)
        _points_ok(("no",), r.no, top, p)
        return p

    def branches(r: m.BooleanRule, top: Decimal) -> list[Branch]:
        return [
            Branch("yes", "Có / đạt", "Yes / met", lo=2000, hi=2000),
            Branch("no", "Không / không đạt", "No / not met", lo=0, hi=0),
        ]

    def prepare(r: m.BooleanRule, a: Mapping[str, Any]) -> Prepared:
        v = _get(a, "value")
        if not isinstance(v, bool):
            raise AnswerError("value", f"expected true or false, got {v!r}")
        return Prepared(VALUE, Fraction(int(v)), {"value": v})

    def points(r: m.BooleanRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return (top if r.yes is None else r.yes) if b == "yes" else r.no

    return Handler(
        "boolean",
        "Yes/no task: full points if done.",
        {"value": "bool"},
        check,
        branches,
        prepare,
        points,
    )


def _deadline() -> Handler:
    def late_bands(r: m.DeadlineRule) -> list[m.LateBand]:
        return [m.LateBand(points=r.late)] if isinstance(r.late, Decimal) else r.late

    def check(r: m.DeadlineRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        _points_ok(("on_time",), r.on_time, top, p)
        _points_ok(("not_done",), r.not_done, top, p)
        bands = late_bands(r)
        prev = 0
        for i, b in enumerate(bands):
            _points_ok(("late", i, "points"), b.points, top, p)
            last = i == len(bands) - 1
            if last and b.max_days is not None:
                p.append((("late", i), "the last band must be open (no max_days)"))
            if not last and (b.max_days is None or b.max_days <= prev):
                p.append((("late", i), f"max_days must be a number of days above {prev}"))
            prev = b.max_days or prev
        return p

    def branches(r: m.DeadlineRule, top: Decimal) -> list[Branch]:
        out = [
            Branch("on_time", "Đúng hạn", "On time", hi=0),
            Branch("not_done", "Không thực hiện", "Not done", status="not_done"),
        ]
        bands = late_bands(r)
        lo = 0
        for i, b in enumerate(bands):
            hi = None if b.max_days is None else encode_bound(b.max_days)
            bid = "late" if len(bands) == 1 else f"late_{i + 1}"
            days = f"> {lo // 2000} ngày" if hi is None else f"{lo // 2000 + 1}–{b.max_days} ngày"
            days_en = (
                f"> {lo // 2000} days" if hi is None else f"{lo // 2000 + 1}–{b.max_days} days"
            )
            out.append(
                Branch(bid, f"Trễ hạn ({days})", f"Late ({days_en})", lo=lo, lo_incl=False, hi=hi)
            )
            lo = hi or lo
        return out

    def prepare(r: m.DeadlineRule, a: Mapping[str, Any]) -> Prepared:
        v = _get(a, "done_on")
        if v is None:
            return Prepared("not_done", None, {"done_on": None, "due": r.due.isoformat()})
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise AnswerError("done_on", f"expected a date (YYYY-MM-DD) or null, got {v!r}")
        return Prepared(
            VALUE,
            Fraction((v - r.due).days),
            {
                "done_on": v.isoformat(),
                "due": r.due.isoformat(),
                "days_late": max(0, (v - r.due).days),
            },
        )

    def points(r: m.DeadlineRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        if b == "on_time":
            return top if r.on_time is None else r.on_time
        if b == "not_done":
            return r.not_done
        bands = late_bands(r)
        return bands[0 if b == "late" else int(b.removeprefix("late_")) - 1].points

    return Handler(
        "deadline",
        "Done by the due date, late (optionally by days), or not done.",
        {"done_on": "date"},
        check,
        branches,
        prepare,
        points,
    )


def _ratio_bands() -> Handler:
    R = (Decimal(0), Decimal(100))

    def check(r: m.RatioBandsRule, top: Decimal) -> list[Problem]:
        return check_bands(r.bands, *R, top)

    def branches(r: m.RatioBandsRule, top: Decimal) -> list[Branch]:
        return [*band_branches(r.bands, *R), ZERO_DEN]

    def prepare(r: m.RatioBandsRule, a: Mapping[str, Any]) -> Prepared:
        num, den = _ratio(a)
        inputs = {"numerator": num, "denominator": den}
        if den == 0:
            return Prepared("zero_denominator", None, inputs)
        rate = Fraction(num * 100, den)
        return Prepared(VALUE, rate, {**inputs, "rate": to_decimal(rate)})

    def points(r: m.RatioBandsRule, b: str, p: Prepared, top: Decimal) -> Decimal | None:
        if b == "zero_denominator":
            return _zero_den_points(r.zero_denominator, top)
        return _band_points(r.bands, b)

    return Handler(
        "ratio_bands",
        "A rate (numerator / denominator, %) placed in bands.",
        {"numerator": "whole", "denominator": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def _value_bands() -> Handler:
    def check(r: m.ValueBandsRule, top: Decimal) -> list[Problem]:
        if r.range[0] >= r.range[1]:
            return [(("range",), f"range: {r.range[0]} must be below {r.range[1]}")]
        return check_bands(r.bands, *r.range, top)

    def branches(r: m.ValueBandsRule, top: Decimal) -> list[Branch]:
        return band_branches(r.bands, *r.range)

    def prepare(r: m.ValueBandsRule, a: Mapping[str, Any]) -> Prepared:
        v = _in_range(a, "value", r.range)
        return Prepared(VALUE, Fraction(v), {"value": v})

    def points(r: m.ValueBandsRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return _band_points(r.bands, b)

    return Handler(
        "value_bands",
        "A number (a percentage, a count) placed in bands.",
        {"value": "number"},
        check,
        branches,
        prepare,
        points,
    )


def _proportional() -> Handler:
    def check(r: m.ProportionalRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        if not ZERO < r.target <= 100:
            p.append((("target",), f"target: {r.target} must be in (0, 100]"))
        if not ZERO <= r.threshold <= r.target:
            p.append((("threshold",), f"threshold: {r.threshold} must be in [0, target]"))
        for name, v in (("target", r.target), ("threshold", r.threshold)):
            if not has_places(v):
                p.append(((name,), f"{name}: {v} has more than 3 decimals"))
        return p

    def branches(r: m.ProportionalRule, top: Decimal) -> list[Branch]:
        t, th = encode_bound(r.target), encode_bound(r.threshold)
        out = [
            Branch(
                "proportional",
                "Tính theo tỷ lệ",
                "Proportional to the rate",
                lo=th,
                hi=t,
                hi_incl=False,
            ),
            Branch("full", "Đạt hoặc vượt mục tiêu", "Target met", lo=t),
            ZERO_DEN,
        ]
        if r.threshold > 0:
            out.append(
                Branch(
                    "below_threshold",
                    "Dưới ngưỡng tối thiểu",
                    "Below the threshold",
                    hi=th,
                    hi_incl=False,
                )
            )
        return out

    def prepare(r: m.ProportionalRule, a: Mapping[str, Any]) -> Prepared:
        return _ratio_bands().prepare(r, a)

    def points(r: m.ProportionalRule, b: str, p: Prepared, top: Decimal) -> Decimal | None:
        if b == "zero_denominator":
            return _zero_den_points(r.zero_denominator, top)
        if b == "full":
            return top
        if b == "below_threshold" or p.value is None:
            return ZERO
        return to_decimal(Fraction(top) * p.value / Fraction(r.target))

    return Handler(
        "proportional",
        "Points = max × rate / target, capped at max.",
        {"numerator": "whole", "denominator": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def _count_points() -> Handler:
    def cap(r: m.CountPointsRule, top: Decimal) -> Decimal:
        return top if r.cap is None else r.cap

    def check(r: m.CountPointsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        _per_item_ok(r.per_item, p)
        _points_ok(("cap",), r.cap, top, p)
        return p

    def branches(r: m.CountPointsRule, top: Decimal) -> list[Branch]:
        k = math.ceil(cap(r, top) / r.per_item)
        return [
            Branch(
                "per_item",
                f"{r.per_item} điểm mỗi mục",
                f"{r.per_item} per item",
                lo=0,
                hi=encode_bound(k),
                hi_incl=False,
            ),
            Branch(
                "capped",
                f"Đạt mức tối đa ({k} mục trở lên)",
                f"Cap reached ({k} or more items)",
                lo=encode_bound(k),
            ),
        ]

    def prepare(r: m.CountPointsRule, a: Mapping[str, Any]) -> Prepared:
        n = _whole(a, "count")
        return Prepared(VALUE, Fraction(n), {"count": n})

    def points(r: m.CountPointsRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        assert p.value is not None
        return cap(r, top) if b == "capped" else r.per_item * int(p.value)

    return Handler(
        "count_points",
        "Points per item, capped.",
        {"count": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def _count_deduction() -> Handler:
    def check(r: m.CountDeductionRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        _per_item_ok(r.per_item, p)
        _points_ok(("floor",), r.floor, top, p)
        return p

    def branches(r: m.CountDeductionRule, top: Decimal) -> list[Branch]:
        k = max(1, math.ceil((top - r.floor) / r.per_item))
        out = [
            Branch("full", "Không vi phạm: đủ điểm", "No item: full points", lo=0, hi=0),
            Branch("floored", "Trừ đến mức sàn", "Deducted down to the floor", lo=encode_bound(k)),
        ]
        if k > 1:
            out.append(
                Branch(
                    "deducted",
                    f"Trừ {r.per_item} điểm mỗi mục",
                    f"{r.per_item} deducted per item",
                    lo=0,
                    lo_incl=False,
                    hi=encode_bound(k),
                    hi_incl=False,
                )
            )
        return out

    def prepare(r: m.CountDeductionRule, a: Mapping[str, Any]) -> Prepared:
        return _count_points().prepare(r, a)

    def points(r: m.CountDeductionRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        assert p.value is not None
        if b == "full":
            return top
        return max(r.floor, top - r.per_item * int(p.value))

    return Handler(
        "count_deduction",
        "Full points less a deduction per item, floored.",
        {"count": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def _ordinal_levels() -> Handler:
    def check(r: m.OrdinalLevelsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for key, lv in r.levels.items():
            _points_ok(("levels", key, "points"), lv.points, top, p)
        return p

    def branches(r: m.OrdinalLevelsRule, top: Decimal) -> list[Branch]:
        return [
            Branch(key, lv.label_vi, lv.label_en or key, lo=encode_bound(i), hi=encode_bound(i))
            for i, (key, lv) in enumerate(r.levels.items())
        ]

    def prepare(r: m.OrdinalLevelsRule, a: Mapping[str, Any]) -> Prepared:
        v = _get(a, "level")
        keys = list(r.levels)
        if not isinstance(v, str) or v not in r.levels:
            from .errors import suggest

            raise AnswerError(
                "level", f"{v!r} is not one of {', '.join(keys)}", suggest(str(v), keys)
            )
        return Prepared(VALUE, Fraction(keys.index(v)), {"level": v})

    def points(r: m.OrdinalLevelsRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return r.levels[b].points

    return Handler(
        "ordinal_levels",
        "One of several named levels, each with its points.",
        {"level": "level"},
        check,
        branches,
        prepare,
        points,
    )


def _survey_weighted() -> Handler:
    def check(r: m.SurveyWeightedRule, top: Decimal) -> list[Problem]:
        return [
            (("weights", k), f"weight {k}: {w} must be in [0, 1]")
            for k, w in r.weights.items()
            if not ZERO <= w <= 1 or not has_places(w)
        ]

    def branches(r: m.SurveyWeightedRule, top: Decimal) -> list[Branch]:
        return [
            Branch(
                "weighted",
                "Bình quân có trọng số các phương án trả lời",
                "Weighted average of the answers",
                lo=0,
                hi=encode_bound(100),
            ),
            Branch("no_responses", "Không có phiếu trả lời", "No responses", status="no_responses"),
        ]

    def prepare(r: m.SurveyWeightedRule, a: Mapping[str, Any]) -> Prepared:
        resp = _get(a, "responses")
        if not isinstance(resp, dict):
            raise AnswerError("responses", f"expected counts per option, got {resp!r}")
        total, weighted = 0, Fraction(0)
        for opt, n in resp.items():
            if opt not in r.weights:
                from .errors import suggest

                raise AnswerError(
                    "responses", f"unknown option {opt!r}", suggest(str(opt), r.weights)
                )
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise AnswerError("responses", f"count of {opt} must be a whole number >= 0")
            total += n
            weighted += n * Fraction(r.weights[opt])
        inputs = {"responses": dict(resp), "respondents": total}
        if total == 0:
            return Prepared("no_responses", None, inputs)
        rate = weighted * 100 / total
        return Prepared(VALUE, rate, {**inputs, "rate": to_decimal(rate)})

    def points(r: m.SurveyWeightedRule, b: str, p: Prepared, top: Decimal) -> Decimal | None:
        if b == "no_responses":
            return ZERO if r.no_responses == "zero" else None
        assert p.value is not None
        return to_decimal(Fraction(top) * p.value / 100)

    return Handler(
        "survey_weighted",
        "Survey answers A/B/C/D weighted, averaged, × max.",
        {"responses": "responses"},
        check,
        branches,
        prepare,
        points,
    )


def _council_judgment() -> Handler:
    def check(r: m.CouncilJudgmentRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for i, lv in enumerate(r.levels or []):
            _points_ok(("levels", i), lv, top, p)
        return p

    def branches(r: m.CouncilJudgmentRule, top: Decimal) -> list[Branch]:
        return [
            Branch("judged", "Hội đồng chấm", "Scored by the council", lo=0, hi=encode_bound(top))
        ]

    def prepare(r: m.CouncilJudgmentRule, a: Mapping[str, Any]) -> Prepared:
        score = _number(a, "score")
        reason = a.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AnswerError("reason", "a council judgment needs a non-empty reason")
        if r.levels is not None and score not in r.levels:
            raise AnswerError(
                "score", f"{score} is not one of the levels {', '.join(str(x) for x in r.levels)}"
            )
        if not has_places(score):
            raise AnswerError("score", f"{score} has more than 3 decimals")
        return Prepared(VALUE, Fraction(score), {"score": score, "reason": reason})

    def points(r: m.CouncilJudgmentRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return Decimal(p.inputs["score"])

    return Handler(
        "council_judgment",
        "A score set by the council, with a mandatory reason.",
        {"score": "number", "reason": "text"},
        check,
        branches,
        prepare,
        points,
    )


def _external_value() -> Handler:
    def check(r: m.ExternalValueRule, top: Decimal) -> list[Problem]:
        if r.range[0] >= r.range[1]:
            return [(("range",), f"range: {r.range[0]} must be below {r.range[1]}")]
        return check_bands(r.bands, *r.range, top) if r.bands else []

    def branches(r: m.ExternalValueRule, top: Decimal) -> list[Branch]:
        if r.bands:
            return band_branches(r.bands, *r.range)
        lo, hi = (encode_bound(x) for x in r.range)
        return [
            Branch(
                "proportional",
                f"Tỷ lệ theo {r.source}",
                f"Proportional to {r.source}",
                lo=lo,
                hi=hi,
            )
        ]

    def prepare(r: m.ExternalValueRule, a: Mapping[str, Any]) -> Prepared:
        v = _in_range(a, "value", r.range)
        return Prepared(VALUE, Fraction(v), {"value": v, "source": r.source})

    def points(r: m.ExternalValueRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        if r.bands:
            return _band_points(r.bands, b)
        assert p.value is not None
        lo, hi = Fraction(r.range[0]), Fraction(r.range[1])
        return to_decimal(Fraction(top) * (p.value - lo) / (hi - lo))

    return Handler(
        "external_value",
        "A value from another system (e.g. SIPAS %), scaled or banded.",
        {"value": "number"},
        check,
        branches,
        prepare,
        points,
    )


def _compare_to_limit() -> Handler:
    def check(r: m.CompareToLimitRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for name in ("shorter", "equal", "longer"):
            _points_ok((name,), getattr(r, name), top, p)
        return p

    def branches(r: m.CompareToLimitRule, top: Decimal) -> list[Branch]:
        return [
            Branch("shorter", "Ngắn hơn quy định", "Shorter than the limit", hi=0, hi_incl=False),
            Branch("equal", "Bằng quy định", "Equal to the limit", lo=0, hi=0),
            Branch("longer", "Dài hơn quy định", "Longer than the limit", lo=0, lo_incl=False),
        ]

    def prepare(r: m.CompareToLimitRule, a: Mapping[str, Any]) -> Prepared:
        actual, limit = _number(a, "actual"), _number(a, "limit")
        return Prepared(
            VALUE, Fraction(actual) - Fraction(limit), {"actual": actual, "limit": limit}
        )

    def points(r: m.CompareToLimitRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return Decimal(getattr(r, b))

    return Handler(
        "compare_to_limit",
        "Actual time against the legal limit: shorter/equal/longer.",
        {"actual": "number", "limit": "number"},
        check,
        branches,
        prepare,
        points,
    )


HANDLERS: dict[str, Handler] = {
    h.kind: h
    for h in (
        _boolean(),
        _deadline(),
        _ratio_bands(),
        _value_bands(),
        _proportional(),
        _count_points(),
        _count_deduction(),
        _ordinal_levels(),
        _survey_weighted(),
        _council_judgment(),
        _external_value(),
        _compare_to_limit(),
    )
}


def handler(rule: Any) -> Handler:
    """The handler of a rule record."""
    return HANDLERS[rule.kind]
