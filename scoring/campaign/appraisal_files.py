"""Appraisal rounds and explanations as files (``appraisal-1.yaml``, ``explanations.yaml``).

An appraisal file records, per unit, the points the appraisers set for some leaves (or
bonuses/penalties) with a reason; an explanation file records what units answered between the
rounds. Both are checked for shape here and against the index and workflow by ``campaigns``.
"""

from __future__ import annotations

from typing import Any, Literal

from scoring.campaign.submission import EvidenceRef
from scoring.errors import Location, SubmissionError
from scoring.index.fields import Frozen, Num, Slug, Text
from scoring.sources.located import validate
from scoring.sources.yamlsrc import Source, load_yaml


class AppraisalEntry(Frozen):
    """One appraised node of a unit: the points the appraisers set and why."""

    node: Text
    score: Num
    reason: Text = ""
    appraiser: Text | None = None


class AppraisalFile(Frozen):
    """An appraisal file: its round (1, 2 or a correction), the appraiser, entries per unit."""

    round: Literal[1, 2, "correction"]
    appraiser: Text
    units: dict[Slug, list[AppraisalEntry]] = {}


class ExplanationEntry(Frozen):
    """A unit's explanation of one node between the rounds, with its evidence."""

    node: Text
    text: Text
    evidence: list[EvidenceRef] = []
    author: Text | None = None


class ExplanationFile(Frozen):
    """An explanation file: entries per unit."""

    units: dict[Slug, list[ExplanationEntry]] = {}


def parse_appraisals(text: str, name: str) -> tuple[AppraisalFile, Source, Any]:
    """An appraisal file, checked for shape."""
    data, source = load_yaml(text, name)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with round, appraiser and units",
            Location(name, 1),
            vi="cần một bảng có round, appraiser và units",
        )
    return validate(AppraisalFile, data, source, SubmissionError), source, data


def parse_explanations(text: str, name: str) -> tuple[ExplanationFile, Source, Any]:
    """An explanation file, checked for shape."""
    data, source = load_yaml(text, name)
    if not isinstance(data, dict):
        raise SubmissionError(
            "expected a mapping with units", Location(name, 1), vi="cần một bảng có units"
        )
    return validate(ExplanationFile, data, source, SubmissionError), source, data
