"""Counting checked survey forms: each unit's sample against its quota, and each survey leaf's
responses, in the very shape a survey file gives them (``responses: {A: n, …}``).

Every unit of a group the survey rates gets a tally, forms or none. A unit whose sample is below
the design's minimum is handled by the design's rule: ``not_applicable`` gives each leaf the
questions feed a not-applicable answer (``na: true``, so the index is rescaled over the rest);
``score_as_is`` counts the forms it has. ``read_survey_forms`` reads a campaign folder's design
and forms (``survey_forms:`` in ``campaign.yaml``) into a ``Tally``; ``combined`` puts the
tally's answers beside those of the campaign's survey file (``survey:``), which keeps the leaves
the forms do not feed (a figure from another system, say).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.campaign.survey_design import SurveyDesign, read_design
from scoring.campaign.survey_forms import Form, FormsFile, read_forms
from scoring.errors import ErrorList, Location, ParindexError, SubmissionError
from scoring.sources.yamlsrc import Source, dump_yaml, load_yaml, read_bytes, read_text


@dataclass(frozen=True)
class UnitTally:
    """One unit's forms counted: sample, quota, and per leaf the count of each option."""

    unit: str
    group: str
    sample: int
    quota: int
    counts: Mapping[str, Mapping[str, int]]  # leaf -> option -> forms choosing it
    respondents: Mapping[str, int]  # respondent group -> forms
    modes: Mapping[str, int]  # mode -> forms

    @property
    def shortfall(self) -> int:
        """How many forms the sample lacks to reach the quota (0 when it does)."""
        return max(0, self.quota - self.sample)


@dataclass(frozen=True)
class Tally:
    """Every rated unit's forms counted, and the files they came from."""

    design: SurveyDesign
    units: Mapping[str, UnitTally]  # in the campaign's order
    files: tuple[FormsFile, ...]

    def below_minimum(self) -> list[str]:
        """The units whose sample is below the design's minimum."""
        return [u.unit for u in self.units.values() if u.sample < self.design.minimum]

    def answers(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Per unit, per leaf the questions feed, its answer as a survey file writes it."""
        below = set(self.below_minimum())
        na = self.design.below_minimum == "not_applicable"
        return {
            uid: {
                leaf: {"na": True} if na and uid in below else {"responses": dict(counts)}
                for leaf, counts in t.counts.items()
            }
            for uid, t in self.units.items()
        }

    def results_hash(self) -> str:
        """The SHA-256 of the derived results (the survey-file text of ``answers``)."""
        return hashlib.sha256(dump_yaml({"units": self.answers()}).encode()).hexdigest()

    def document(self) -> dict[str, Any]:
        """The quota report: per unit sample, quota, shortfall and the rule applied."""
        below = set(self.below_minimum())
        return {
            "minimum": self.design.minimum,
            "below_minimum_rule": self.design.below_minimum,
            "forms": sum(t.sample for t in self.units.values()),
            "files": [{"name": f.name, "sha256": f.sha256, "rows": f.rows} for f in self.files],
            "results_sha256": self.results_hash(),
            "units": [
                {
                    "unit_id": t.unit,
                    "group": t.group,
                    "sample": t.sample,
                    "quota": t.quota,
                    "shortfall": t.shortfall,
                    "below_minimum": t.unit in below,
                    "rule": self.design.below_minimum if t.unit in below else None,
                    "respondents": dict(t.respondents),
                    "modes": dict(t.modes),
                }
                for t in self.units.values()
            ],
        }


def tally(
    design: SurveyDesign,
    forms: Sequence[Form],
    units: Mapping[str, str],
    files: Sequence[FormsFile] = (),
) -> Tally:
    """Count ``forms`` (already checked) for every unit of ``units`` (id -> group) the survey
    rates; each leaf lists its options in the design's order, chosen or not."""
    options: dict[str, list[str]] = {}
    for q in design.questions.values():
        known = options.setdefault(q.leaf, [])
        known.extend(o for o in q.options if o not in known)
    rated = [uid for uid, g in units.items() if design.rates(g)]
    counts = {
        uid: {leaf: dict.fromkeys(opts, 0) for leaf, opts in options.items()} for uid in rated
    }
    sample: Counter[str] = Counter()
    respondents: dict[str, Counter[str]] = {uid: Counter() for uid in rated}
    modes: dict[str, Counter[str]] = {uid: Counter() for uid in rated}
    for f in forms:
        sample[f.unit] += 1
        respondents[f.unit][f.respondent] += 1
        modes[f.unit][f.mode] += 1
        for qid, opt in f.answers:
            counts[f.unit][design.questions[qid].leaf][opt] += 1
    return Tally(
        design,
        {
            uid: UnitTally(
                uid,
                units[uid],
                sample[uid],
                design.quota.of(uid, units[uid]),
                counts[uid],
                dict(sorted(respondents[uid].items())),
                dict(sorted(modes[uid].items())),
            )
            for uid in rated
        },
        tuple(files),
    )


@dataclass(frozen=True)
class FormsInput:
    """A campaign's survey design and forms, read: what a tally is made from."""

    design: SurveyDesign
    source: Source
    data: Any
    design_name: str
    files: tuple[tuple[str, bytes], ...]


def read_forms_input(design_path: Path, form_paths: Sequence[Path]) -> FormsInput:
    """The design file and the forms files' bytes (the design checked for shape)."""
    design, source, data = read_design(read_text(design_path), str(design_path))
    return FormsInput(
        design, source, data, str(design_path), tuple((str(p), read_bytes(p)) for p in form_paths)
    )


def count_forms(given: FormsInput, units: Mapping[str, str]) -> Tally:
    """The tally of the forms of ``given`` for the campaign's ``units`` (id -> unit group),
    every problem of the forms and of the design's quota raised at once, located."""
    errors: list[ParindexError] = []
    for uid in given.design.quota.units:
        if uid not in units:
            errors.append(
                SubmissionError(
                    f"quota for unknown unit {uid!r}",
                    given.source.locate(("quota", "units", uid)),
                )
            )
    try:
        forms, files = read_forms(given.files, given.design, units)
    except ParindexError as exc:
        errors.extend(exc.errors if isinstance(exc, ErrorList) else [exc])
    if errors:
        raise ErrorList.of(errors)
    return tally(given.design, forms, units, files)


def combined(survey: tuple[str, str] | None, counted: Tally, design_name: str) -> str:
    """The survey-file text of ``counted`` beside the answers of the survey file ``survey``
    (name, text); a leaf both give is refused, at the survey file's entry."""
    derived = counted.answers()
    if survey is None:
        return dump_yaml({"units": derived})
    data, source = load_yaml(survey[1], survey[0])
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, dict):
        raise SubmissionError(
            "expected a mapping with units: {unit id: {item: answer}}", Location(survey[0], 1)
        )
    errors: list[ParindexError] = []
    out: dict[str, dict[str, Any]] = {str(k): dict(v or {}) for k, v in units.items()}
    for uid, leaves in derived.items():
        mine = out.setdefault(uid, {})
        for leaf, answer in leaves.items():
            if leaf in mine:
                errors.append(
                    SubmissionError(
                        f"unit {uid}: item {leaf} is counted from the forms of {design_name}; "
                        "the survey file must not give it too",
                        source.locate(("units", uid, leaf)),
                    )
                )
            mine[leaf] = answer
    if errors:
        raise ErrorList.of(errors)
    return dump_yaml({"units": out})
