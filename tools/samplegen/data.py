"""The generator's data: the designed cases (``cases.yaml``) and the wording (``prose.yaml``).

Both files are read with the project's own YAML reader (exact decimals, duplicate keys refused,
every value located) and validated into frozen records, so that a typo in a unit id or a
missing sentence fails when the data is loaded, with the file and line, never halfway through
drawing a campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from scoring.errors import InputFileError
from scoring.sources.located import validate
from scoring.sources.yamlsrc import load_yaml_file

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.yaml"
PROSE = HERE / "prose.yaml"


class Record(BaseModel):
    """Base of the data records: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------- cases.yaml


class Unit(Record):
    """One unit of the campaigns: id, Vietnamese name, group, tags, document-number suffix."""

    id: str
    name: str
    group: str
    tags: list[str] = []
    suffix: str
    decision_name: str | None = None  # the name a published decision prints, if not ``name``


class Schedule(Record):
    """A year's workflow dates, in the order campaign.yaml lists them."""

    self_assessment_due: dt.date
    explanation_due: dt.date
    appraisal_1_on: dt.date
    appraisal_2_on: dt.date
    publish_on: dt.date


class AdjustmentChange(Record):
    """A hand-set appraisal of a bonus or penalty (appraiser: the round's default if None)."""

    round: Literal[1, 2]
    unit: str
    item: str
    score: Decimal
    reason: str
    appraiser: str | None = None


class DesignedExplanation(Record):
    """An explanation set by hand; ``text``, ``document`` and ``decision`` replace the drawn
    wording when given (all three or none)."""

    unit: str
    node: str
    accepted: bool
    text: str | None = None
    document: str | None = None
    decision: str | None = None

    @model_validator(mode="after")
    def _all_or_none(self) -> DesignedExplanation:
        given = [x is not None for x in (self.text, self.document, self.decision)]
        if any(given) and not all(given):
            raise ValueError("give text, document and decision together, or none of them")
        return self


class Year(Record):
    """Everything that differs between two years' sample campaigns (cases.yaml, ``years``)."""

    year: int
    own_index: bool  # a copy of criteria.yaml moved to this year, in the year's folder
    shared_stream: bool  # one random stream for all units, or one per unit
    dates_within_submission: bool  # no date in a unit file after the unit's submitted_on
    submission_spread: int
    online_growth: float
    publish_note: str
    quality: dict[str, float]
    ties: dict[str, str]
    na_no_legal_doc: list[str]
    na_no_findings: list[str]
    missing_evidence: dict[str, list[str]]
    missing_answer: dict[str, list[str]]
    late: dict[str, dict[str, int | None]]
    warning_v03: str | None
    adjustments: dict[str, dict[str, dict[str, Any]]]
    schedule: Schedule
    late_submitted: dict[str, dt.date]
    adjustment_changes: list[AdjustmentChange]
    round_1_targets: dict[str, Decimal]
    designed_explanations: list[DesignedExplanation]
    # a published decision (CSV beside cases.yaml) the year's published indices must equal;
    # copied into the year's folder as published-decision.csv
    published: str | None = None

    def named_units(self) -> set[str]:
        """Every unit id this year's cases name."""
        named = {*self.quality, *self.ties, *self.ties.values(), *self.na_no_legal_doc}
        named |= {*self.na_no_findings, *self.missing_evidence, *self.missing_answer}
        named |= {*self.late, *self.adjustments, *self.late_submitted, *self.round_1_targets}
        named |= {c.unit for c in self.adjustment_changes}
        named |= {e.unit for e in self.designed_explanations}
        return named | ({self.warning_v03} if self.warning_v03 else set())


class Cases(Record):
    """The whole of cases.yaml: the units, the cases shared by every year, and each year's."""

    units: list[Unit]
    no_service_units: list[str]
    no_subordinate_units: list[str]
    documented_penalties: list[str]
    denominators: dict[str, tuple[int, int]]
    years: list[Year]

    @model_validator(mode="after")
    def _known_units(self) -> Cases:
        ids = [u.id for u in self.units]
        if len(set(ids)) != len(ids):
            raise ValueError("a unit is listed twice")
        shared = {*self.no_service_units, *self.no_subordinate_units}
        for name, named in [("the shared cases", shared)] + [
            (str(y.year), y.named_units()) for y in self.years
        ]:
            unknown = sorted(named - set(ids))
            if unknown:
                raise ValueError(f"{name} name units not in `units`: {', '.join(unknown)}")
        for y in self.years:
            if set(y.quality) != set(ids):
                raise ValueError(f"{y.year}: `quality` must give every unit one value")
        return self


# ---------------------------------------------------------------- prose.yaml


class FileHeaders(Record):
    """The comment lines heading each generated file."""

    generated: str
    campaign: str
    unit: str
    survey: str
    council: str
    appraisal: str
    explanations: str


class IndexText(Record):
    """Header and notice of a later year's own index."""

    header: str
    notice: str


class AnswersText(Record):
    """Notes, document types and dating words of the self-assessments."""

    no_legal_doc: str
    no_findings: str
    no_service_units: str
    no_subordinate_units: str
    doc_types: dict[str, str]
    sections: list[str]
    plan: str
    report: str
    yearly: str
    adjustment_doc: str


class LineDepartment(Record):
    """A department that appraises the nodes starting with ``prefix``."""

    prefix: str
    name: str


class AppraisalText(Record):
    """Who appraises, where figures are checked, and the reasons shared by both rounds."""

    round_1_by: str
    round_2_by: str
    line_departments: list[LineDepartment]
    sources: dict[str, str]
    default_source: str
    proper_starts: list[str]
    issued: str
    confirm_missing: str
    round_2: str
    council_again: str
    raised: str


class Reason(Record):
    """A lowering reason and the kind of change it is (how the unit may answer it)."""

    tag: str
    reason: str


class CountReason(Record):
    """What a count_points leaf counts, and the condition an item must meet."""

    noun: str
    condition: str


class LoweringText(Record):
    """Why an appraiser lowers a leaf, per rule kind."""

    late_unproven: str
    late_signed: str
    late_band: str
    boolean: dict[str, Reason]
    boolean_default: Reason
    figures: str
    resubmitted: str
    reminders_source: str
    reminders: str
    revenue: str
    completion: str
    count: str
    count_points: dict[str, CountReason]
    finding: str
    finding_undeclared: str
    finding_beyond: str
    count_deduction: dict[str, str]
    level: str
    time_source: str
    time_equal: str
    time_longer: str
    wrong_document: str


class Reply(Record):
    """An explanation's text and the title of the document it adds."""

    text: str
    document: str


class AdjustmentReply(Record):
    """An explanation of a bonus or penalty change, and round 2's reason either way."""

    text: str
    document: str
    accepted: str
    rejected: str


class ExplainingText(Record):
    """What units write to answer round-1 changes."""

    late: str
    late_undated: str
    late_document: str
    figures: str
    figures_document: str
    wrongdoc: str
    missing: str
    count: str
    count_document: str
    by_tag: dict[str, Reply]
    adjustments: dict[str, AdjustmentReply]


class DecidingText(Record):
    """Round 2's reasons for accepting, rejecting or partly accepting an explanation."""

    accept: dict[str, str]
    reject: dict[str, str]
    partial: str


class Prose(Record):
    """The whole of prose.yaml."""

    files: FileHeaders
    index: IndexText
    answers: AnswersText
    council_reasons: dict[str, dict[str, str]]
    appraisal: AppraisalText
    lowering: LoweringText
    explaining: ExplainingText
    deciding: DecidingText


@dataclass(frozen=True)
class Data:
    """The designed cases and the wording, as the generator takes them."""

    cases: Cases
    prose: Prose


def read(model: type[Record], path: Path) -> Any:
    """One data file, validated into ``model`` (errors located by file, line and ids)."""
    data, source = load_yaml_file(path)
    return validate(model, data, source, InputFileError)


def load(cases: Path = CASES, prose: Path = PROSE) -> Data:
    """The generator's data files."""
    return Data(read(Cases, cases), read(Prose, prose))
