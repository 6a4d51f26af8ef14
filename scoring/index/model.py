"""Typed records of the index as written in ``criteria.yaml`` and ``rules/*.yaml``.

These models check shape only (types, required keys, unknown keys). Cross-node invariants
(sums, band coverage, references) are checked by ``loader`` once the whole index is read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints

from scoring.sources.text import nfc


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
    return nfc(v)  # Vietnamese typed decomposed reads the same


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
    """Yes/no (input ``value``): ``yes`` points (default the leaf's max) or ``no`` points."""

    kind: Literal["boolean"]
    yes: Num | None = None
    no: Num = Decimal(0)


class LateBand(Frozen):
    """One step of a graded late penalty: ``points`` when done at most ``max_days`` late."""

    max_days: Whole | None = None
    points: Num


class DeadlineRule(Frozen):
    """Done by ``due`` (input ``done_on``, or null if not done): on time, late (one
    value or graded ``LateBand``s), or not done."""

    kind: Literal["deadline"]
    due: dt.date
    on_time: Num | None = None
    late: Num | list[LateBand]
    not_done: Num = Decimal(0)


class RatioBandsRule(Frozen):
    """``numerator``/``denominator`` as a percentage, scored by the band it falls in; a zero
    denominator scored as ``zero_denominator`` says."""

    kind: Literal["ratio_bands"]
    zero_denominator: ZeroDenominator
    bands: list[Band] = Field(min_length=1)


class ValueBandsRule(Frozen):
    """A ``value`` within ``range``, scored by the band it falls in."""

    kind: Literal["value_bands"]
    range: tuple[Num, Num]
    bands: list[Band] = Field(min_length=1)


class ProportionalRule(Frozen):
    """max × min(rate ÷ ``target``, 1) of ``numerator``/``denominator``; 0 below ``threshold``."""

    kind: Literal["proportional"]
    target: Num = Decimal(100)
    threshold: Num = Decimal(0)
    zero_denominator: ZeroDenominator


class CountPointsRule(Frozen):
    """``count`` × ``per_item`` points, capped at ``cap`` (default the leaf's max)."""

    kind: Literal["count_points"]
    per_item: Num
    cap: Num | None = None


class CountDeductionRule(Frozen):
    """max − ``count`` × ``per_item``, never below ``floor``."""

    kind: Literal["count_deduction"]
    per_item: Num
    floor: Num = Decimal(0)


class Level(Frozen):
    """One level of an ordinal rule: its points and the label a person picks."""

    points: Num
    label_vi: Text
    label_en: Text | None = None


class OrdinalLevelsRule(Frozen):
    """One of the named ``levels`` (input ``level``), each with its points."""

    kind: Literal["ordinal_levels"]
    levels: dict[Id, Level] = Field(min_length=1)


class SurveyWeightedRule(Frozen):
    """max × Σ(nᵢ·wᵢ) ÷ Σnᵢ over the survey's ``responses`` per option; no responses
    score zero or make the leaf not applicable."""

    kind: Literal["survey_weighted"]
    weights: dict[Id, Num] = Field(min_length=1)
    no_responses: Literal["zero", "not_applicable"] = "zero"


class CouncilJudgmentRule(Frozen):
    """The appraisal council's ``score`` with a non-empty ``reason``, within [0, max] and among
    ``levels`` when given."""

    kind: Literal["council_judgment"]
    levels: list[Num] | None = None


class ExternalValueRule(Frozen):
    """A value measured elsewhere (``source``, e.g. SIPAS) within ``range``: proportional to
    the range, or by ``bands``."""

    kind: Literal["external_value"]
    source: Text
    range: tuple[Num, Num] = (Decimal(0), Decimal(100))
    bands: list[Band] | None = None


class CompareToLimitRule(Frozen):
    """An ``actual`` number against its ``limit`` (e.g. days): shorter, equal or longer."""

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
    """What documents a leaf's answer must cite (``required``) and which, in words."""

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
    """A classification band of a group: units scoring at least ``min`` get this label."""

    id: Slug
    label_vi: Text
    label_en: Text
    min: Num


class Group(Frozen):
    """A group of units ranked together (e.g. departments, districts) with its classification."""

    id: Slug
    title_vi: Text
    title_en: Text
    classification: list[ClassBand] = Field(min_length=1)


class Block(Frozen):
    """A block of the tree (``content`` or ``survey``) and its maximum."""

    max: Num
    title_vi: Text | None = None
    title_en: Text | None = None


class Cap(Frozen):
    """The most that bonuses (or penalties) may add (or take) in total."""

    max: Num


class Rounding(Frozen):
    """How published figures are rounded: to ``places`` decimals, half up."""

    places: Whole = 2
    mode: Literal["half_up"] = "half_up"


class Ranking(Frozen):
    """How ties are ranked: the tie policy, the places compared, and tie-break blocks."""

    tie_policy: Literal["competition", "dense"] = "competition"
    precision: Whole = 2
    tie_break: list[Literal["content", "survey", "points"]] = []


class IndexMeta(Frozen):
    """The ``index:`` header of ``criteria.yaml``: id, year, province, scale, rounding, N/A
    strategy, blocks, bonus/penalty caps and ranking policy."""

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
    """A consistency check of a rule pack: ``not_greater`` (``left`` ≤ ``right``) or
    ``date_in_year`` (``field``'s dates inside the index's year)."""

    id: Id
    title_vi: Text
    title_en: Text
    severity: Literal["error", "warning"] = "error"
    kind: Literal["not_greater", "date_in_year"]
    left: Text | None = None
    right: Text | None = None
    field: Text | None = None


class Adjustment(Frozen):
    """A bonus or penalty of a rule pack: a rule computing a magnitude up to ``max``, applied
    to ``scope`` (the total or a node) for the listed ``groups``."""

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
