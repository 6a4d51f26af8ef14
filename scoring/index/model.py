"""Typed records of the index as written in ``criteria.yaml`` and ``rules/*.yaml``.

These models check shape only (types, required keys, unknown keys). Cross-node invariants
(sums, band coverage, references) are checked by ``loader`` once the whole index is read.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints


def _number(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise ValueError(f"expected a number, got {v!r}")
    d = Decimal(v)
    if not d.is_finite():
        raise ValueError(f"expected a finite number, got {v!r}")
    return d


def _whole(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, Decimal) and v.is_finite() and v == v.to_integral_value():
            return int(v)
        raise ValueError(f"expected a whole number, got {v!r}")
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f'expected text, got {v!r} (quote ids such as "1.1" in YAML)')
    return unicodedata.normalize("NFC", v)  # Vietnamese typed decomposed reads the same


Num = Annotated[Decimal, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_whole)]
Text = Annotated[str, BeforeValidator(_text)]
Id = Annotated[
    str, BeforeValidator(_text), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # every id of groups, units, tags, packs, campaigns
SLUG_RULE = (
    "lowercase letters, digits, - and _, starting with a letter or digit (e.g. langson-2019)"
)
Slug = Annotated[str, BeforeValidator(_text), StringConstraints(pattern=SLUG_PATTERN)]
NaStrategy = Literal["exclude_and_rescale", "grant_full"]
ZeroDenominator = Literal["full", "zero", "not_applicable"]


class Frozen(BaseModel):
    """Base of every record: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------- rule kinds


class Band(Frozen):
    """One band of a banded rule; ``min`` inclusive and ``max`` exclusive unless stated."""

    min: Num | None = None
    max: Num | None = None
    min_inclusive: StrictBool = True
    max_inclusive: StrictBool | None = None
    points: Num
    label_vi: Text | None = None
    label_en: Text | None = None


class BooleanRule(Frozen):
    kind: Literal["boolean"]
    yes: Num | None = None
    no: Num = Decimal(0)


class LateBand(Frozen):
    max_days: Whole | None = None
    points: Num


class DeadlineRule(Frozen):
    kind: Literal["deadline"]
    due: dt.date
    on_time: Num | None = None
    late: Num | list[LateBand]
    not_done: Num = Decimal(0)


class RatioBandsRule(Frozen):
    kind: Literal["ratio_bands"]
    zero_denominator: ZeroDenominator
    bands: list[Band] = Field(min_length=1)


class ValueBandsRule(Frozen):
    kind: Literal["value_bands"]
    range: tuple[Num, Num]
    bands: list[Band] = Field(min_length=1)


class ProportionalRule(Frozen):
    kind: Literal["proportional"]
    target: Num = Decimal(100)
    threshold: Num = Decimal(0)
    zero_denominator: ZeroDenominator


class CountPointsRule(Frozen):
    kind: Literal["count_points"]
    per_item: Num
    cap: Num | None = None


class CountDeductionRule(Frozen):
    kind: Literal["count_deduction"]
    per_item: Num
    floor: Num = Decimal(0)


class Level(Frozen):
    points: Num
    label_vi: Text
    label_en: Text | None = None


class OrdinalLevelsRule(Frozen):
    kind: Literal["ordinal_levels"]
    levels: dict[Id, Level] = Field(min_length=1)


class SurveyWeightedRule(Frozen):
    kind: Literal["survey_weighted"]
    weights: dict[Id, Num] = Field(min_length=1)
    no_responses: Literal["zero", "not_applicable"] = "zero"


class CouncilJudgmentRule(Frozen):
    kind: Literal["council_judgment"]
    levels: list[Num] | None = None


class ExternalValueRule(Frozen):
    kind: Literal["external_value"]
    source: Text
    range: tuple[Num, Num] = (Decimal(0), Decimal(100))
    bands: list[Band] | None = None


class CompareToLimitRule(Frozen):
    kind: Literal["compare_to_limit"]
    shorter: Num
    equal: Num
    longer: Num


Rule = Annotated[
    BooleanRule
    | DeadlineRule
    | RatioBandsRule
    | ValueBandsRule
    | ProportionalRule
    | CountPointsRule
    | CountDeductionRule
    | OrdinalLevelsRule
    | SurveyWeightedRule
    | CouncilJudgmentRule
    | ExternalValueRule
    | CompareToLimitRule,
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------- the tree


class EvidenceSpec(Frozen):
    required: StrictBool = False
    documents_vi: Text | None = None
    documents_en: Text | None = None


class Node(Frozen):
    """An area, criterion or sub-criterion; a node without children is a scored leaf."""

    id: Id
    title_vi: Text
    title_en: Text | None = None
    max: Num
    block: Literal["content", "survey"] | None = None
    groups: list[Slug] | None = None
    exempt_tags: list[Slug] = []
    na_strategy: NaStrategy | None = None
    na_allowed: StrictBool = False
    assessed_by: Literal["self", "survey", "council"] = "self"
    scoring_vi: Text | None = None
    scoring_en: Text | None = None
    evidence: EvidenceSpec | None = None
    rule: Rule | None = None
    children: list[Node] = []


class ClassBand(Frozen):
    id: Slug
    label_vi: Text
    label_en: Text
    min: Num


class Group(Frozen):
    id: Slug
    title_vi: Text
    title_en: Text
    classification: list[ClassBand] = Field(min_length=1)


class Block(Frozen):
    max: Num
    title_vi: Text | None = None
    title_en: Text | None = None


class Cap(Frozen):
    max: Num


class Rounding(Frozen):
    places: Whole = 2
    mode: Literal["half_up"] = "half_up"


class Ranking(Frozen):
    tie_policy: Literal["competition", "dense"] = "competition"
    precision: Whole = 2
    tie_break: list[Literal["content", "survey", "points"]] = []


class IndexMeta(Frozen):
    id: Slug
    year: Whole
    province: Text
    title_vi: Text
    title_en: Text
    notice: Text | None = None
    scale: Num = Decimal(100)
    rounding: Rounding = Rounding()
    not_applicable: NaStrategy = "exclude_and_rescale"
    blocks: dict[Literal["content", "survey"], Block]
    bonus: Cap = Cap(max=Decimal(0))
    penalty: Cap = Cap(max=Decimal(0))
    ranking: Ranking = Ranking()


class CriteriaFile(Frozen):
    """The whole of ``criteria.yaml``."""

    index: IndexMeta
    groups: list[Group] = Field(min_length=1)
    tree: list[Node] = Field(min_length=1)


# ---------------------------------------------------------------- rule packs


class Check(Frozen):
    id: Id
    title_vi: Text
    title_en: Text
    severity: Literal["error", "warning"] = "error"
    kind: Literal["not_greater", "date_in_year"]
    left: Text | None = None
    right: Text | None = None
    field: Text | None = None


class Adjustment(Frozen):
    id: Id
    title_vi: Text
    title_en: Text
    scoring_vi: Text | None = None
    scoring_en: Text | None = None
    scope: Text = "total"
    max: Num
    groups: list[Slug] | None = None
    evidence: EvidenceSpec | None = None
    rule: Rule


class RulePack(Frozen):
    """One file of ``rules/``."""

    pack: Slug
    title_vi: Text | None = None
    title_en: Text | None = None
    checks: list[Check] = []
    bonuses: list[Adjustment] = []
    penalties: list[Adjustment] = []
