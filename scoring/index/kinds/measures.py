"""Numeric kinds: rates in bands, values in bands, proportional, counts, surveys, external."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.index import model as m
from scoring.index.kinds.base import (
    VALUE,
    ZERO_DEN,
    AnswerError,
    Branch,
    Handler,
    Prepared,
    Problem,
    band_branches,
    band_points,
    check_bands,
    check_range,
    get,
    in_range,
    per_item_ok,
    points_ok,
    ratio,
    whole,
    zero_den_points,
)
from scoring.sources.numbers import ZERO, encode_bound, has_places, times_over, to_decimal


def ratio_bands() -> Handler:
    R = (Decimal(0), Decimal(100))

    def check(r: m.RatioBandsRule, top: Decimal) -> list[Problem]:
        return check_bands(r.bands, *R, top)

    def branches(r: m.RatioBandsRule, top: Decimal) -> list[Branch]:
        return [*band_branches(r.bands, *R), ZERO_DEN]

    def prepare(r: m.RatioBandsRule, a: Mapping[str, Any]) -> Prepared:
        num, den = ratio(a)
        inputs = {"numerator": num, "denominator": den}
        if den == 0:
            return Prepared("zero_denominator", None, inputs)
        rate = Fraction(num * 100, den)
        return Prepared(VALUE, rate, {**inputs, "rate": to_decimal(rate)})

    def points(r: m.RatioBandsRule, b: str, p: Prepared, top: Decimal) -> Decimal | None:
        if b == "zero_denominator":
            return zero_den_points(r.zero_denominator, top)
        return band_points(r.bands, b)

    return Handler(
        "ratio_bands",
        "A rate (numerator / denominator, %) placed in bands.",
        {"numerator": "whole", "denominator": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def value_bands() -> Handler:
    def check(r: m.ValueBandsRule, top: Decimal) -> list[Problem]:
        return check_range(r.range) or check_bands(r.bands, *r.range, top)

    def branches(r: m.ValueBandsRule, top: Decimal) -> list[Branch]:
        return band_branches(r.bands, *r.range)

    def prepare(r: m.ValueBandsRule, a: Mapping[str, Any]) -> Prepared:
        v = in_range(a, "value", r.range)
        return Prepared(VALUE, Fraction(v), {"value": v})

    def points(r: m.ValueBandsRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return band_points(r.bands, b)

    return Handler(
        "value_bands",
        "A number (a percentage, a count) placed in bands.",
        {"value": "number"},
        check,
        branches,
        prepare,
        points,
    )


def proportional() -> Handler:
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
        return ratio_bands().prepare(r, a)

    def points(r: m.ProportionalRule, b: str, p: Prepared, top: Decimal) -> Decimal | None:
        if b == "zero_denominator":
            return zero_den_points(r.zero_denominator, top)
        if b == "full":
            return top
        if b == "below_threshold" or p.value is None:
            return ZERO
        return times_over(top, p.value, r.target)

    return Handler(
        "proportional",
        "Points = max × rate / target, capped at max.",
        {"numerator": "whole", "denominator": "whole"},
        check,
        branches,
        prepare,
        points,
    )


def count_points() -> Handler:
    def cap(r: m.CountPointsRule, top: Decimal) -> Decimal:
        return top if r.cap is None else r.cap

    def check(r: m.CountPointsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        per_item_ok(r.per_item, p)
        points_ok(("cap",), r.cap, top, p)
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
        n = whole(a, "count")
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


def count_deduction() -> Handler:
    def check(r: m.CountDeductionRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        per_item_ok(r.per_item, p)
        points_ok(("floor",), r.floor, top, p)
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
        return count_points().prepare(r, a)

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


def survey_weighted() -> Handler:
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
        resp = get(a, "responses")
        if not isinstance(resp, dict):
            raise AnswerError("responses", f"expected counts per option, got {resp!r}")
        total, weighted = 0, Fraction(0)
        for opt, n in resp.items():
            if opt not in r.weights:
                from scoring.errors import suggest

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
        return times_over(top, p.value, 100)

    return Handler(
        "survey_weighted",
        "Survey answers A/B/C/D weighted, averaged, × max.",
        {"responses": "responses"},
        check,
        branches,
        prepare,
        points,
    )


def external_value() -> Handler:
    def check(r: m.ExternalValueRule, top: Decimal) -> list[Problem]:
        problems = check_range(r.range)
        if problems or not r.bands:
            return problems
        return check_bands(r.bands, *r.range, top)

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
        v = in_range(a, "value", r.range)
        return Prepared(VALUE, Fraction(v), {"value": v, "source": r.source})

    def points(r: m.ExternalValueRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        if r.bands:
            return band_points(r.bands, b)
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
