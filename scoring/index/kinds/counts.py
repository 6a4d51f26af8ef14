"""Count kinds: points per item up to a cap, or full points less a deduction per item."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from scoring.index.fields import Num
from scoring.index.kinds.base import (
    VALUE,
    Branch,
    Handler,
    Input,
    Prepared,
    Problem,
    Proposal,
    RuleSpec,
    named,
    per_item_ok,
    points_ok,
    whole,
)
from scoring.sources.numbers import encode_bound

COUNT_INPUTS = named(
    Input(
        "count",
        "whole",
        "Số lượng",
        "Count",
        help_vi="Số trường hợp trong năm (số nguyên, 0 nếu không có)",
        help_en="How many cases in the year (a whole number, 0 if none)",
    )
)


def prepare_count(answer: Mapping[str, Any]) -> Prepared:
    """A count of items, 0 or more."""
    n = whole(answer, "count")
    return Prepared(VALUE, Fraction(n), {"count": n})


class CountPointsRule(RuleSpec):
    """``count_points``: ``per_item`` points for each item, at most ``cap`` (default: max)."""

    kind: Literal["count_points"]
    per_item: Num
    cap: Num | None = None

    def ceiling(self, top: Decimal) -> Decimal:
        """The most the items can score: the cap, or the item's max."""
        return top if self.cap is None else self.cap


class CountPoints(Handler[CountPointsRule]):
    """Points per item, capped."""

    kind = "count_points"
    spec = CountPointsRule
    doc = "Points per item, capped."
    label_vi, label_en = "Đếm, cộng điểm", "Count, points added"
    inputs = COUNT_INPUTS
    adjustable = True

    def check(self, rule: CountPointsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        per_item_ok(rule.per_item, p)
        points_ok(("cap",), rule.cap, top, p)
        return p

    def branches(self, rule: CountPointsRule, top: Decimal) -> list[Branch]:
        k = math.ceil(rule.ceiling(top) / rule.per_item)
        return [
            Branch(
                "per_item",
                f"{rule.per_item} điểm mỗi mục",
                f"{rule.per_item} per item",
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

    def prepare(self, rule: CountPointsRule, answer: Mapping[str, Any]) -> Prepared:
        return prepare_count(answer)

    def points(
        self, rule: CountPointsRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        assert prepared.value is not None
        return rule.ceiling(top) if branch == "capped" else rule.per_item * int(prepared.value)

    def proposals(
        self, rule: CountPointsRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        n = int(current.get("count", 0))
        for c in range(n + 1, n + 1 + max(0, math.ceil(rule.ceiling(top) / rule.per_item) - n)):
            yield [("count", Decimal(c - n), c)]


class CountDeductionRule(RuleSpec):
    """``count_deduction``: max less ``per_item`` for each item, not below ``floor``."""

    kind: Literal["count_deduction"]
    per_item: Num
    floor: Num = Decimal(0)


class CountDeduction(Handler[CountDeductionRule]):
    """Full points less a deduction per item."""

    kind = "count_deduction"
    spec = CountDeductionRule
    doc = "Full points less a deduction per item, floored."
    label_vi, label_en = "Đếm, trừ điểm", "Count, points deducted"
    inputs = COUNT_INPUTS
    adjustable = True

    def check(self, rule: CountDeductionRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        per_item_ok(rule.per_item, p)
        points_ok(("floor",), rule.floor, top, p)
        return p

    def branches(self, rule: CountDeductionRule, top: Decimal) -> list[Branch]:
        k = max(1, math.ceil((top - rule.floor) / rule.per_item))
        out = [
            Branch("full", "Không vi phạm: đủ điểm", "No item: full points", lo=0, hi=0),
            Branch("floored", "Trừ đến mức sàn", "Deducted down to the floor", lo=encode_bound(k)),
        ]
        if k > 1:
            out.append(
                Branch(
                    "deducted",
                    f"Trừ {rule.per_item} điểm mỗi mục",
                    f"{rule.per_item} deducted per item",
                    lo=0,
                    lo_incl=False,
                    hi=encode_bound(k),
                    hi_incl=False,
                )
            )
        return out

    def prepare(self, rule: CountDeductionRule, answer: Mapping[str, Any]) -> Prepared:
        return prepare_count(answer)

    def points(
        self, rule: CountDeductionRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        assert prepared.value is not None
        if branch == "full":
            return top
        return max(rule.floor, top - rule.per_item * int(prepared.value))

    def proposals(
        self, rule: CountDeductionRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        n = int(current.get("count", 0))
        for c in range(n - 1, -1, -1):
            yield [("count", Decimal(n - c), c)]
