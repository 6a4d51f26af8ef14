"""Rate and value kinds: a rate in bands, a rate scored proportionally, a value in bands."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field

from scoring.index.fields import Num
from scoring.index.kinds.bands import (
    VALUE_INPUT,
    Band,
    band_branches,
    band_points,
    band_targets,
    check_bands,
    check_range,
    in_range,
    interval,
)
from scoring.index.kinds.base import (
    VALUE,
    AnswerError,
    Branch,
    Handler,
    Input,
    Prepared,
    Problem,
    Proposal,
    RuleSpec,
    named,
    whole,
)
from scoring.sources.numbers import ZERO, encode_bound, has_places, times_over, to_decimal

ZeroDenominator = Literal["full", "zero", "not_applicable"]
PERCENT = (Decimal(0), Decimal(100))
RATE_INPUTS = named(
    Input(
        "numerator",
        "whole",
        "Tử số",
        "Numerator",
        help_vi="Số đạt yêu cầu (ví dụ số hồ sơ giải quyết đúng hạn)",
        help_en="How many met the requirement (e.g. files settled on time)",
    ),
    Input(
        "denominator",
        "whole",
        "Mẫu số",
        "Denominator",
        help_vi="Tổng số (ví dụ tổng số hồ sơ tiếp nhận)",
        help_en="The total (e.g. all files received)",
    ),
)
ZERO_DEN = Branch(
    "zero_denominator", "Mẫu số bằng 0", "Zero denominator", status="zero_denominator"
)


def zero_den_points(outcome: str, top: Decimal) -> Decimal | None:
    """The points a zero denominator gives: full, zero, or not applicable (``None``)."""
    return {"full": top, "zero": ZERO, "not_applicable": None}[outcome]


def prepare_rate(answer: Mapping[str, Any]) -> Prepared:
    """``numerator / denominator`` as a percentage (status ``zero_denominator`` for 0)."""
    num, den = whole(answer, "numerator"), whole(answer, "denominator")
    if num > den:
        raise AnswerError(
            "numerator",
            f"numerator {num} exceeds denominator {den}",
            vi=f"số đạt yêu cầu ({num}) lớn hơn tổng số ({den})",
        )
    inputs = {"numerator": num, "denominator": den}
    if den == 0:
        return Prepared("zero_denominator", None, inputs)
    rate = Fraction(num * 100, den)
    return Prepared(VALUE, rate, {**inputs, "rate": to_decimal(rate)})


def numerators(current: Mapping[str, Any], rates: Iterable[Decimal]) -> Iterator[Proposal]:
    """Raise the numerator just enough to reach each of ``rates`` percent, or to the
    denominator (bands start inclusive, so the least numerator reaching a rate is enough)."""
    if not current.get("denominator"):
        return
    num, den = int(current.get("numerator", 0)), int(current["denominator"])
    for n in sorted({math.ceil(rate * den / 100) for rate in rates} | {den}):
        if num < n <= den:
            yield [("numerator", Decimal(n - num), n)]


class RatioBandsRule(RuleSpec):
    """``ratio_bands``: the rate (numerator / denominator, %) placed in bands over [0, 100]."""

    kind: Literal["ratio_bands"]
    zero_denominator: ZeroDenominator
    bands: list[Band] = Field(min_length=1)


class RatioBands(Handler[RatioBandsRule]):
    """A rate in bands."""

    kind = "ratio_bands"
    spec = RatioBandsRule
    doc = "A rate (numerator / denominator, %) placed in bands."
    label_vi, label_en = "Tỷ lệ theo khoảng", "Rate in bands"
    inputs = RATE_INPUTS

    def check(self, rule: RatioBandsRule, top: Decimal) -> list[Problem]:
        return check_bands(rule.bands, *PERCENT, top)

    def branches(self, rule: RatioBandsRule, top: Decimal) -> list[Branch]:
        return [*band_branches(rule.bands, *PERCENT), ZERO_DEN]

    def prepare(self, rule: RatioBandsRule, answer: Mapping[str, Any]) -> Prepared:
        return prepare_rate(answer)

    def points(
        self, rule: RatioBandsRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal | None:
        if branch == "zero_denominator":
            return zero_den_points(rule.zero_denominator, top)
        return band_points(rule.bands, branch)

    def proposals(
        self, rule: RatioBandsRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        return numerators(current, (interval(b, *PERCENT)[0] for b in rule.bands))


class ProportionalRule(RuleSpec):
    """``proportional``: max × rate / target, none below ``threshold``, full from ``target``."""

    kind: Literal["proportional"]
    target: Num = Decimal(100)
    threshold: Num = Decimal(0)
    zero_denominator: ZeroDenominator


class Proportional(Handler[ProportionalRule]):
    """A rate scored in proportion to a target."""

    kind = "proportional"
    spec = ProportionalRule
    doc = "Points = max × rate / target, capped at max."
    label_vi, label_en = "Tỷ lệ, điểm tương ứng", "Rate, proportional points"
    inputs = RATE_INPUTS

    def check(self, rule: ProportionalRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        if not ZERO < rule.target <= 100:
            p.append((("target",), f"target: {rule.target} must be in (0, 100]"))
        if not ZERO <= rule.threshold <= rule.target:
            p.append((("threshold",), f"threshold: {rule.threshold} must be in [0, target]"))
        for name, v in (("target", rule.target), ("threshold", rule.threshold)):
            if not has_places(v):
                p.append(((name,), f"{name}: {v} has more than 3 decimals"))
        return p

    def branches(self, rule: ProportionalRule, top: Decimal) -> list[Branch]:
        t, th = encode_bound(rule.target), encode_bound(rule.threshold)
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
        if rule.threshold > 0:
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

    def prepare(self, rule: ProportionalRule, answer: Mapping[str, Any]) -> Prepared:
        return prepare_rate(answer)

    def points(
        self, rule: ProportionalRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal | None:
        if branch == "zero_denominator":
            return zero_den_points(rule.zero_denominator, top)
        if branch == "full":
            return top
        if branch == "below_threshold" or prepared.value is None:
            return ZERO
        return times_over(top, prepared.value, rule.target)

    def proposals(
        self, rule: ProportionalRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        return numerators(current, (rule.threshold, rule.target))


class ValueBandsRule(RuleSpec):
    """``value_bands``: a number in ``range`` placed in bands."""

    kind: Literal["value_bands"]
    range: tuple[Num, Num]
    bands: list[Band] = Field(min_length=1)


class ValueBands(Handler[ValueBandsRule]):
    """A value in bands."""

    kind = "value_bands"
    spec = ValueBandsRule
    doc = "A number (a percentage, a count) placed in bands."
    label_vi, label_en = "Giá trị theo khoảng", "Value in bands"
    inputs = named(VALUE_INPUT)
    adjustable = True

    def check(self, rule: ValueBandsRule, top: Decimal) -> list[Problem]:
        return check_range(rule.range) or check_bands(rule.bands, *rule.range, top)

    def branches(self, rule: ValueBandsRule, top: Decimal) -> list[Branch]:
        return band_branches(rule.bands, *rule.range)

    def prepare(self, rule: ValueBandsRule, answer: Mapping[str, Any]) -> Prepared:
        v = in_range(answer, "value", rule.range)
        return Prepared(VALUE, Fraction(v), {"value": v})

    def points(
        self, rule: ValueBandsRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        return band_points(rule.bands, branch)

    def bounds(self, rule: ValueBandsRule, name: str) -> tuple[Decimal, Decimal] | None:
        return rule.range

    def proposals(
        self, rule: ValueBandsRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        if "value" not in current:
            return
        v = Decimal(current["value"])
        for target in band_targets(rule.bands, rule.range, v):
            yield [("value", abs(target - v), target)]
