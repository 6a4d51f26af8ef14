"""A unit's unsaved answers scored against its campaign as it stands: the web form's re-score.

The draft is the text of a unit file (what the web form writes), read through the same checked
path as an imported file, prepared and scored with the unit's appraisal changes so far, then
ranked against the other units of its group as they stand. Nothing is stored. Survey and
council answers are not in a unit's file: they come from the campaign's stored files, so the
draft keeps them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from scoring.campaign.folder import read_unit_text
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Submission
from scoring.evaluation.batch import score_units
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import UnitResult
from scoring.store.imports import unit_spec
from scoring.store.schema import UnitRow


@dataclass(frozen=True)
class Draft:
    """A unit scored from a draft: its result ranked in its group, that group's size, and the
    campaign's result with the draft in place of the unit's stored answers."""

    unit: UnitResult
    group_size: int
    result: CampaignResult


def with_sources(sub: Submission, old: Submission | None) -> None:
    """Give ``sub`` the survey and council answers of the unit's stored submission ``old``
    (an answer the draft itself gives is kept)."""
    if old is None:
        return
    for k, a in old.answers.items():
        if ("source", k) in old.where:
            sub.answers.setdefault(k, a)
            sub.where[("source", k)] = old.where[("source", k)]


def score_draft(result: CampaignResult, unit: UnitRow, text: str, name: str) -> Draft:
    """Score unit ``unit`` from the unit-file ``text`` (called ``name`` in messages) and rank
    it against the rest of its group in ``result``; a ``ParindexError`` says what is wrong."""
    uid = unit.unit_id
    sub = Submission(unit_spec(unit))
    read_unit_text(text, name, sub)
    with_sources(sub, result.submissions.get(uid))
    ready = prepare(result.index, sub)
    after = score_units(result.index, [ready], {uid: result.appraisals.get(uid, {})})[0]
    group = [after if x.unit_id == uid else x for x in result.groups.get(unit.group_id, [])]
    if all(x.unit_id != uid for x in group):
        group.append(after)
    ranked_group = rank(group, result.index)
    ranked = next(x for x in ranked_group if x.unit_id == uid)
    with_draft = dataclasses.replace(
        result,
        groups={**result.groups, unit.group_id: ranked_group},
        ready={**result.ready, uid: ready},
        submissions={**result.submissions, uid: sub},
    )
    return Draft(ranked, len(group), with_draft)
