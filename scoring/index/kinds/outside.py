"""Kinds scored from outside the unit's own work: the survey, the council, another system."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field

from scoring.errors import suggest
from scoring.index.fields import Id, Num, Text
from scoring.index.kinds.bands import (
    VALUE_INPUT,
    Band,
    band_branches,
    band_points,
    check_bands,
    check_range,
    in_range,
)
from scoring.index.kinds.base import (
    VALUE,
    AnswerError,
    Branch,
    Handler,
    Input,
    Prepared,
    Problem,
    RuleSpec,
    get,
    named,
    number,
    points_ok,
)
from scoring.sources.numbers import (
    ZERO,
    encode_bound,
    has_places,
    said_value,
    times_over,
    to_decimal,
)


class SurveyWeightedRule(RuleSpec):
    """``survey_weighted``: each answer option weighs 0..1; max × the weighted average."""

    kind: Literal["survey_weighted"]
    weights: dict[Id, Num] = Field(min_length=1)
    no_responses: Literal["zero", "not_applicable"] = "zero"


class SurveyWeighted(Handler[SurveyWeightedRule]):
    """A survey's answers, weighted and averaged."""

    kind = "survey_weighted"
    spec = SurveyWeightedRule
    doc = "Survey answers A/B/C/D weighted, averaged, × max."
    label_vi, label_en = "Khảo sát", "Survey"
    inputs = named(
        Input(
            "responses",
            "responses",
            "Số phiếu trả lời",
            "Responses per option",
            help_vi="Số phiếu trả lời theo từng phương án",
            help_en="The number of responses per option",
        ),
    )
    assessors = frozenset({"self", "survey"})
    set_elsewhere = True

    def check(self, rule: SurveyWeightedRule, top: Decimal) -> list[Problem]:
        return [
            (("weights", k), f"weight {k}: {w} must be in [0, 1]")
            for k, w in rule.weights.items()
            if not ZERO <= w <= 1 or not has_places(w)
        ]

    def branches(self, rule: SurveyWeightedRule, top: Decimal) -> list[Branch]:
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

    def prepare(self, rule: SurveyWeightedRule, answer: Mapping[str, Any]) -> Prepared:
        resp = get(answer, "responses")
        if not isinstance(resp, dict):
            raise AnswerError(
                "responses",
                f"expected counts per option, got {resp!r}",
                vi=f"cần số phiếu của từng phương án, nhận {resp!r}",
            )
        total, weighted = 0, Fraction(0)
        for opt, n in resp.items():
            if opt not in rule.weights:
                raise AnswerError(
                    "responses",
                    f"unknown option {opt!r}",
                    suggest(str(opt), rule.weights),
                    vi=f"không có phương án {opt!r}",
                )
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise AnswerError(
                    "responses",
                    f"count of {opt} must be a whole number >= 0",
                    vi=f"số phiếu của {opt} phải là số nguyên từ 0 trở lên",
                )
            total += n
            weighted += n * Fraction(rule.weights[opt])
        inputs = {"responses": dict(resp), "respondents": total}
        if total == 0:
            return Prepared("no_responses", None, inputs)
        rate = weighted * 100 / total
        return Prepared(VALUE, rate, {**inputs, "rate": to_decimal(rate)})

    def points(
        self, rule: SurveyWeightedRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal | None:
        if branch == "no_responses":
            return ZERO if rule.no_responses == "zero" else None
        assert prepared.value is not None
        return times_over(top, prepared.value, 100)

    def sampling_error(self, rule: SurveyWeightedRule, inputs: Mapping[str, Any]) -> float:
        """The standard error of the rate (0..1): the responses are a sample of n scores, the
        option weights, with their Bessel-corrected variance (p(1 − p) when n = 1)."""
        weights = rule.weights
        counts = {k: int(v) for k, v in (inputs.get("responses") or {}).items() if k in weights}
        n = sum(counts.values())
        if n == 0:
            return 0.0
        p = sum(c * float(weights[k]) for k, c in counts.items()) / n
        if n == 1:
            var = p * (1 - p)
        else:
            var = sum(c * (float(weights[k]) - p) ** 2 for k, c in counts.items()) / (n - 1)
        return math.sqrt(var / n)

    def answer_weights(self, rule: SurveyWeightedRule) -> Mapping[str, Decimal]:
        """The options the rule weighs: what a raw survey form's question may answer."""
        return rule.weights


class CouncilJudgmentRule(RuleSpec):
    """``council_judgment``: a score the council sets, one of ``levels`` when they are given."""

    kind: Literal["council_judgment"]
    levels: list[Num] | None = None


class CouncilJudgment(Handler[CouncilJudgmentRule]):
    """The council's score, with its reason."""

    kind = "council_judgment"
    spec = CouncilJudgmentRule
    doc = "A score set by the council, with a mandatory reason."
    label_vi, label_en = "Hội đồng chấm", "Council score"
    inputs = named(
        Input(
            "score",
            "number",
            "Điểm hội đồng",
            "Council score",
            help_vi="Điểm do Hội đồng chấm",
            help_en="The score the council gave",
        ),
        Input("reason", "text", "Lý do", "Reason"),
    )
    assessors = frozenset({"council"})
    set_elsewhere = True
    tolerance = 0.10

    def check(self, rule: CouncilJudgmentRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for i, lv in enumerate(rule.levels or []):
            points_ok(("levels", i), lv, top, p)
        return p

    def branches(self, rule: CouncilJudgmentRule, top: Decimal) -> list[Branch]:
        return [
            Branch("judged", "Hội đồng chấm", "Scored by the council", lo=0, hi=encode_bound(top))
        ]

    def prepare(self, rule: CouncilJudgmentRule, answer: Mapping[str, Any]) -> Prepared:
        score = number(answer, "score")
        reason = answer.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AnswerError(
                "reason",
                "a council judgment needs a non-empty reason",
                vi="điểm của hội đồng cần ghi rõ lý do",
            )
        if rule.levels is not None and score not in rule.levels:
            raise AnswerError(
                "score",
                f"{score} is not one of the levels {', '.join(str(x) for x in rule.levels)}",
                vi=f"{said_value(score)} không phải là một trong các mức "
                + "; ".join(said_value(x) for x in rule.levels),
            )
        if not has_places(score):
            raise AnswerError(
                "score",
                f"{score} has more than 3 decimals",
                vi=f"{said_value(score)} có quá 3 chữ số thập phân",
            )
        return Prepared(VALUE, Fraction(score), {"score": score, "reason": reason})

    def points(
        self, rule: CouncilJudgmentRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        return Decimal(prepared.inputs["score"])

    def check_answer(self, rule: CouncilJudgmentRule, prepared: Prepared, top: Decimal) -> None:
        if prepared.value is not None and prepared.value > top:
            raise AnswerError(
                "score",
                f"{prepared.inputs['score']} is above the item's max {top}",
                vi=f"{said_value(prepared.inputs['score'])} vượt điểm tối đa của mục "
                f"({said_value(top)})",
            )

    def levels(self, rule: CouncilJudgmentRule) -> tuple[Decimal, ...] | None:
        return None if rule.levels is None else tuple(rule.levels)


class ExternalValueRule(RuleSpec):
    """``external_value``: a figure of another system in ``range``, scaled or in bands."""

    kind: Literal["external_value"]
    source: Text
    range: tuple[Num, Num] = (Decimal(0), Decimal(100))
    bands: list[Band] | None = None


class ExternalValue(Handler[ExternalValueRule]):
    """A figure taken from another system."""

    kind = "external_value"
    spec = ExternalValueRule
    doc = "A value from another system (e.g. SIPAS %), scaled or banded."
    label_vi, label_en = "Số liệu nguồn ngoài", "Figure from another system"
    inputs = named(VALUE_INPUT)
    assessors = frozenset({"self", "survey"})
    set_elsewhere = True

    def check(self, rule: ExternalValueRule, top: Decimal) -> list[Problem]:
        problems = check_range(rule.range)
        if problems or not rule.bands:
            return problems
        return check_bands(rule.bands, *rule.range, top)

    def branches(self, rule: ExternalValueRule, top: Decimal) -> list[Branch]:
        if rule.bands:
            return band_branches(rule.bands, *rule.range)
        lo, hi = (encode_bound(x) for x in rule.range)
        return [
            Branch(
                "proportional",
                f"Tỷ lệ theo {rule.source}",
                f"Proportional to {rule.source}",
                lo=lo,
                hi=hi,
            )
        ]

    def prepare(self, rule: ExternalValueRule, answer: Mapping[str, Any]) -> Prepared:
        v = in_range(answer, "value", rule.range)
        return Prepared(VALUE, Fraction(v), {"value": v, "source": rule.source})

    def points(
        self, rule: ExternalValueRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        if rule.bands:
            return band_points(rule.bands, branch)
        assert prepared.value is not None
        lo, hi = Fraction(rule.range[0]), Fraction(rule.range[1])
        return to_decimal(Fraction(top) * (prepared.value - lo) / (hi - lo))

    def bounds(self, rule: ExternalValueRule, name: str) -> tuple[Decimal, Decimal] | None:
        return rule.range
