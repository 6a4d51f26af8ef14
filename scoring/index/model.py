"""Typed records of the index as written in ``criteria.yaml`` and ``rules/*.yaml``.

These models check shape only (types, required keys, unknown keys). Cross-node invariants
(sums, band coverage, references) are checked by ``loader`` once the whole index is read. A
rule's record is its kind's (``kinds.Rule``): each kind defines the YAML of its rules.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, StrictBool, model_serializer

from scoring.index.fields import Frozen, Id, Num, Slug, Text, Whole
from scoring.index.kinds import Input, Rule, handler

NaStrategy = Literal["exclude_and_rescale", "grant_full"]


# ---------------------------------------------------------------- the tree


class EvidenceSpec(Frozen):
    """What evidence a leaf asks for: required or not, and which documents, in words."""

    required: StrictBool = False
    documents_vi: Text | None = None
    documents_en: Text | None = None


class InputLabel(Frozen):
    """A leaf's own words for one input of its rule ("Số hồ sơ giải quyết đúng hạn"), in place
    of its rule kind's general label ("Tử số"); what is not given here stays the kind's."""

    label_vi: Text
    label_en: Text | None = None
    help_vi: Text | None = None
    help_en: Text | None = None


class Node(Frozen):
    """An area, criterion or sub-criterion; a node without children is a scored leaf.

    ``inputs`` (leaves only, optional) names the rule's inputs in the leaf's own words. It is
    left out of the record's dump when not given, so an index that gives none keeps the
    content hash it had before leaves could name their inputs.
    """

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
    inputs: dict[str, InputLabel] | None = None
    children: list[Node] = []

    @model_serializer(mode="wrap")
    def _dump(self, next_: SerializerFunctionWrapHandler) -> Any:
        out = next_(self)
        if self.inputs is None and isinstance(out, dict):
            out.pop("inputs", None)
        return out

    def input_spec(self, name: str) -> Input | None:
        """This leaf's input ``name`` as people read it: the rule kind's declaration with the
        leaf's own label and help where it gives them; None when its rule reads no such input."""
        if self.rule is None:
            return None
        spec = handler(self.rule).inputs.get(name)
        own = (self.inputs or {}).get(name)
        if spec is None or own is None:
            return spec
        return replace(
            spec,
            label_vi=own.label_vi,
            label_en=own.label_en or spec.label_en,
            help_vi=own.help_vi or spec.help_vi,
            help_en=own.help_en or spec.help_en,
        )


class ClassBand(Frozen):
    """One class of a group: units whose published index reaches ``min`` (best first)."""

    id: Slug
    label_vi: Text
    label_en: Text
    min: Num


class Group(Frozen):
    """A group of units ranked together, with its classes."""

    id: Slug
    title_vi: Text
    title_en: Text
    classification: list[ClassBand] = Field(min_length=1)


class Block(Frozen):
    """A block of the index (content, survey): its share of the scale."""

    max: Num
    title_vi: Text | None = None
    title_en: Text | None = None


class Cap(Frozen):
    """The most all bonuses (or all penalties) may add up to."""

    max: Num


class Rounding(Frozen):
    """How published figures are rounded: decimal places, half up."""

    places: Whole = 2
    mode: Literal["half_up"] = "half_up"


class Ranking(Frozen):
    """How units are ranked: ties, the precision compared, the tie-break figures."""

    tie_policy: Literal["competition", "dense"] = "competition"
    precision: Whole = 2
    tie_break: list[Literal["content", "survey", "points"]] = []


class IndexMeta(Frozen):
    """The ``index:`` section: identity, scale, rounding, blocks, caps and ranking."""

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
    """A consistency check of a rule pack: ``left`` not greater than ``right``, or a date
    ``field`` within the index's year."""

    id: Id
    title_vi: Text
    title_en: Text
    severity: Literal["error", "warning"] = "error"
    kind: Literal["not_greater", "date_in_year"]
    left: Text | None = None
    right: Text | None = None
    field: Text | None = None


class Adjustment(Frozen):
    """A bonus or penalty of a rule pack, scored by a rule of an adjustable kind."""

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
