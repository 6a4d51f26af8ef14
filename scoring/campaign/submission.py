"""A campaign's records: the unit list and schedule (``campaign.yaml``), each unit's answers,
and a ``Submission``, everything known about one unit's year with where each answer was written.

Reading a campaign folder into these records is ``folder``'s job; checking one unit's answers
against the index is ``prepare``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StrictBool,
    ValidationError,
    model_validator,
)

from scoring.errors import Location, ParindexError
from scoring.index.fields import Frozen, Num, Slug, Text, Whole
from scoring.index.kinds import every_input
from scoring.sources import clock
from scoring.sources.located import trail_for
from scoring.sources.yamlsrc import Source


class EvidenceRef(Frozen):
    """A document offered as evidence (tài liệu kiểm chứng)."""

    doc: Text
    title: Text | None = None
    date: dt.date | None = None
    section: Text | None = None
    page: Whole | Text | None = None


class Answer(Frozen):
    """One answer; the fields a leaf needs depend on its rule kind (README.md, "Rule kinds").

    The built-in kinds' inputs are declared, so a unit file's keys keep their order; an input
    any other registered kind reads is taken as an extra key, and any other key is refused
    as unknown (as ``extra="forbid"`` would)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    value: Any = None
    numerator: Any = None
    denominator: Any = None
    done_on: Any = None
    count: Any = None
    level: Any = None
    responses: Any = None
    score: Any = None
    reason: Any = None
    actual: Any = None
    limit: Any = None
    na: StrictBool = False
    self_score: Num | None = None
    note: Text | None = None
    evidence: tuple[EvidenceRef, ...] = ()  # a tuple: a scored answer's evidence stays put

    def inputs(self) -> dict[str, Any]:
        """The fields the author wrote, for the rule handlers."""
        return {k: getattr(self, k) for k in self.model_fields_set}

    @model_validator(mode="wrap")
    @classmethod
    def _known_inputs_only(cls, data: Any, default: ModelWrapValidatorHandler[Answer]) -> Answer:
        errors: list[Any] = []
        try:
            answer = default(data)
            if not answer.model_extra:
                return answer
        except ValidationError as exc:
            errors = [
                {k: v for k, v in e.items() if k in ("type", "loc", "input", "ctx")}
                for e in exc.errors()
            ]
        if isinstance(data, Mapping):
            read = {i.name for i in every_input().values()}
            errors += [
                {"type": "extra_forbidden", "loc": (k,), "input": v}
                for k, v in data.items()
                if k not in cls.model_fields and k not in read
            ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return answer


class UnitSpec(Frozen):
    """A unit as ``campaign.yaml`` lists it: id, name, group, tags, its file and submission date,
    and its place in the register of units (``register``): the part of the year it existed
    (``valid_from``, ``valid_to``) and the units of earlier years it continues or absorbs."""

    id: Slug
    name: Text
    group: Slug
    tags: list[Slug] = []
    ranked: StrictBool = True
    file: Text | None = None
    submitted_on: dt.date | None = None  # when the unit locked its self-assessment
    valid_from: dt.date | None = None  # created during the year (None: existed on 1 January)
    valid_to: dt.date | None = None  # ended during the year (None: still existed on 31 December)
    predecessors: list[Slug] = []  # ids of earlier years' units it continues or absorbs


class EndedUnit(Frozen):
    """A unit of an earlier year that no longer exists and has no successor (``ended:``)."""

    id: Slug
    name: Text
    on: dt.date  # the day it ceased to exist
    note_vi: Text | None = None


class Schedule(Frozen):
    """The campaign's dates (the deadlines the workflow enforces, and when each round ran)."""

    self_assessment_due: dt.date | None = None
    explanation_due: dt.date | None = None
    appraisal_1_on: dt.date | None = None
    appraisal_2_on: dt.date | None = None
    publish_on: dt.date | None = None


class SurveyForms(Frozen):
    """``survey_forms:`` of ``campaign.yaml``: the survey design and the raw forms files."""

    design: Text
    files: list[Text] = Field(min_length=1)


class CampaignFile(Frozen):
    """The whole of ``campaign.yaml``: its index, files, schedule, time zone and units."""

    id: Slug
    year: Whole
    index: Text | None = None
    rules: Text | None = None
    survey: Text | None = None
    survey_forms: SurveyForms | None = None
    council: Text | None = None
    schedule: Schedule = Schedule()
    late_submission: Literal["flag", "refuse"] = "flag"
    time_zone: Annotated[Text, AfterValidator(clock.check_zone)] = clock.DEFAULT_ZONE
    appraisals: list[Text] = []  # appraisal round files, in order
    explanations: Text | None = None
    units: list[UnitSpec] = Field(min_length=1)
    ended: list[EndedUnit] = []  # earlier years' units with no successor


class UnitFile(Frozen):
    """A unit's self-assessment file: its answers per leaf and per bonus/penalty."""

    unit: Slug
    index: Slug | None = None
    answers: dict[Text, Answer] = {}
    adjustments: dict[Text, Answer] = {}


class SourceFile(Frozen):
    """A survey or council results file: answers per unit and leaf."""

    units: dict[Slug, dict[Text, Answer]] = {}


@dataclass
class Submission:
    """Everything known about one unit's year, with where each answer was written."""

    unit: UnitSpec
    index_id: str | None = None  # the index the unit file says it answers
    answers: dict[str, Answer] = field(default_factory=dict)
    adjustments: dict[str, Answer] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[Source, tuple[str | int, ...], Any]] = field(
        default_factory=dict
    )

    def locate(self, kind: str, key: str, field_name: str | None = None) -> Location:
        """Where an answer (or one field of it) was written, for an error message."""
        if (kind, key) not in self.where:  # answers made in memory (what-if): no file
            trail = (f"Answer(id={key!r})", *((f"At key: {field_name}",) if field_name else ()))
            return Location("<what-if>", trail=trail)
        src, path, data = self.where[(kind, key)]
        full = (*path, field_name) if field_name else path
        return src.locate(full, trail_for(data, full))


@dataclass
class Campaign:
    """A campaign folder, read: the spec, the usable submissions, and per-unit errors."""

    spec: CampaignFile
    folder: Path
    submissions: dict[str, Submission]
    errors: dict[str, list[ParindexError]]

    def index_path(self) -> Path | None:
        """The index the folder names (``index:``), resolved, or None for the default."""
        return (self.folder / self.spec.index).resolve() if self.spec.index else None

    def rules_path(self) -> Path | None:
        """The rule packs the folder names (``rules:``), resolved, or None for the default."""
        return (self.folder / self.spec.rules).resolve() if self.spec.rules else None
