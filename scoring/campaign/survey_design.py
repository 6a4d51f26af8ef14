"""A survey's design (``survey-design.yaml``): what a raw form asks and how forms are counted.

The design names each question and the survey leaf it feeds (its options are the leaf's weight
keys), the respondent groups and the modes a form may give, the quota of forms per unit (by
default, per group of units, per unit), the minimum sample and the rule for a unit below it:

- ``not_applicable``: the leaves the questions feed become not applicable for that unit, so its
  index is rescaled over the rest (each such leaf must allow it: ``na_allowed: true``);
- ``score_as_is``: the forms the unit has are counted as they are.

``read_design`` checks the file's shape (every problem located); ``check_design`` checks it
against the compiled index (leaves that exist, count answers and are assessed by the survey;
options the leaf weighs; the N/A the rule needs), so a bad design fails before any form is read.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from scoring.errors import ErrorList, Location, ParindexError, SubmissionError, suggest
from scoring.index.fields import Frozen, Id, Slug, Text, Whole
from scoring.index.loader import Index
from scoring.sources.located import trail_for, validate
from scoring.sources.yamlsrc import Source, load_yaml

Positive = Annotated[Whole, Field(ge=1)]


class Question(Frozen):
    """One question of the form: the survey leaf it feeds and the options it offers."""

    leaf: Text
    options: list[Id] = Field(min_length=1)
    text_vi: Text | None = None


class Quota(Frozen):
    """Forms wanted per unit: ``units`` over ``groups`` (of units) over ``default``."""

    default: Positive
    groups: dict[Slug, Positive] = {}
    units: dict[Slug, Positive] = {}

    def of(self, unit: str, group: str) -> int:
        """The quota of ``unit`` (of the unit group ``group``)."""
        return self.units.get(unit, self.groups.get(group, self.default))


class SurveyDesign(Frozen):
    """The whole of ``survey-design.yaml``."""

    questions: dict[Id, Question] = Field(min_length=1)
    respondents: dict[Slug, Text] = Field(min_length=1)  # respondent group id -> label
    modes: dict[Slug, Text] = Field(min_length=1)  # mode id -> label
    groups: list[Slug] | None = None  # the unit groups the survey rates (None: every group)
    quota: Quota
    minimum: Positive
    below_minimum: Literal["not_applicable", "score_as_is"] = "not_applicable"

    def leaves(self) -> list[str]:
        """The survey leaves the questions feed, in the questions' order, each once."""
        return list(dict.fromkeys(q.leaf for q in self.questions.values()))

    def rates(self, group: str) -> bool:
        """Whether the survey rates the units of ``group``."""
        return self.groups is None or group in self.groups


def read_design(text: str, name: str) -> tuple[SurveyDesign, Source, Any]:
    """A design file's text, checked for shape, with the source that locates its values."""
    data, source = load_yaml(text, name)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with questions, respondents, modes, quota and minimum",
            Location(name, 1),
        )
    design: SurveyDesign = validate(SurveyDesign, data, source, SubmissionError)
    errors: list[ParindexError] = []
    for qid, q in design.questions.items():
        seen: set[str] = set()
        for i, opt in enumerate(q.options):
            if opt in seen:
                errors.append(
                    _at(
                        source,
                        data,
                        ("questions", qid, "options", i),
                        f"option {opt!r} is listed twice",
                    )
                )
            seen.add(opt)
    if errors:
        raise ErrorList.of(errors)
    return design, source, data


def check_design(index: Index, design: SurveyDesign, source: Source, data: Any) -> None:
    """Refuse, every problem located, a design the index cannot score."""
    errors: list[ParindexError] = []
    groups = design.groups if design.groups is not None else list(index.groups)
    for key, where in (("groups", design.groups or []), ("quota", list(design.quota.groups))):
        for g in where:
            if g not in index.groups:
                path = ("groups", where.index(g)) if key == "groups" else ("quota", "groups", g)
                errors.append(
                    _at(source, data, path, f"unknown unit group {g!r}", suggest(g, index.groups))
                )
    for qid, q in design.questions.items():
        here = ("questions", qid, "leaf")
        for g in groups:
            item = index.groups[g].leaves.get(q.leaf) if g in index.groups else None
            if item is None:
                hint = suggest(q.leaf, index.groups[g].leaves) if g in index.groups else None
                errors.append(
                    _at(source, data, here, f"no scored item {q.leaf!r} in group {g!r}", hint)
                )
                continue
            assert item.handler is not None and item.node.rule is not None
            weights = item.handler.answer_weights(item.node.rule)
            if item.node.assessed_by != "survey" or weights is None:
                errors.append(
                    _at(
                        source,
                        data,
                        here,
                        f"item {q.leaf} is not a survey item that counts answers "
                        f"(assessed by {item.node.assessed_by}, rule {item.node.rule.kind})",
                    )
                )
                continue
            for i, opt in enumerate(q.options):
                if opt not in weights:
                    errors.append(
                        _at(
                            source,
                            data,
                            ("questions", qid, "options", i),
                            f"option {opt!r} is not weighed by item {q.leaf} "
                            f"(its options: {', '.join(weights)})",
                            suggest(opt, weights),
                        )
                    )
            if design.below_minimum == "not_applicable" and not item.node.na_allowed:
                errors.append(
                    _at(
                        source,
                        data,
                        ("below_minimum",),
                        f"below_minimum: not_applicable needs item {q.leaf} to allow a "
                        "not-applicable answer (na_allowed: true in the index); or use score_as_is",
                    )
                )
    if errors:
        raise ErrorList.of(list({str(e): e for e in errors}.values()))


def _at(
    source: Source, data: Any, path: tuple[str | int, ...], message: str, hint: str | None = None
) -> SubmissionError:
    return SubmissionError(message, source.locate(path, trail_for(data, path)), hint)
