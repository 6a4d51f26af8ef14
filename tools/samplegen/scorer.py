"""Points as the library gives them: the generator asks ``scoring``, it never scores itself.

It asks two questions. What does a leaf's rule give for an answer a unit might write
(``Scorer.points``: the self-score a unit claims, what an appraiser's correction leaves)? And
what does each unit of a campaign folder the generator has just written score
(``Scorer.campaign``: the folder read back through ``load_campaign`` and ``prepare``, as any
campaign is, and scored with ``score_units``)?
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring import Index, UnitResult, load_campaign, prepare, score_unit, score_units
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.errors import ErrorList
from scoring.evaluation.inputs import Appraisals
from scoring.sources.yamlsrc import Source

# what an answer holds besides the rule's inputs
NOT_INPUTS = frozenset({"self_score", "note", "evidence", "na"})
PROBE_EVIDENCE = ({"doc": "probe"},)


def exact(value: Any) -> Any:
    """A drawn value as the unit file gives it to scoring: a float is written, and read back,
    as the decimal of its shortest repr."""
    return Decimal(repr(value)) if isinstance(value, float) else value


def frozen(value: Any) -> Hashable:
    """An input as a cache key: a mapping (a survey leaf's responses) as its sorted items."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    return value  # a scalar: numbers, dates, strings and booleans hash as they are


class Scorer:
    """Scoring for one year's compiled index, with the points of every answer asked kept."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._points: dict[Hashable, Decimal | None] = {}

    def points(
        self, group: str, leaf: str, answer: Mapping[str, Any], evidence: bool = True
    ) -> Decimal | None:
        """The points a unit of ``group`` gets for ``leaf`` answered with ``answer``'s inputs,
        citing evidence or not (None: the answer makes the leaf not applicable).

        The answer is scored as the only one of a unit that answered nothing else: a leaf's
        points depend on its own answer only.
        """
        inputs = {k: exact(v) for k, v in answer.items() if k not in NOT_INPUTS}
        key = (group, leaf, evidence, tuple(sorted((k, frozen(v)) for k, v in inputs.items())))
        if key not in self._points:
            written = {**inputs, "evidence": PROBE_EVIDENCE} if evidence else inputs
            sub = Submission(
                UnitSpec(id="probe", name="probe", group=group),
                answers={leaf: Answer.model_validate(written)},
            )
            item = self.index.groups[group].leaves[leaf]
            if item.node.assessed_by != "self":  # read as a survey or council file gives it
                sub.where[("source", leaf)] = (Source("probe"), (item.node.assessed_by,), None)
            node = score_unit(self.index, prepare(self.index, sub)).nodes[leaf]
            # a leaf left out of the applicable maximum is not applicable (a probe unit has no
            # tags, so nothing exempts it)
            self._points[key] = None if node.max == 0 else node.points
        return self._points[key]

    def campaign(
        self, folder: Path, appraisals: Mapping[str, Appraisals] | None = None
    ) -> dict[str, UnitResult]:
        """Every unit of the campaign folder, scored (with ``appraisals``, per unit, applied:
        the published figures); any unit the library refuses is an error (the generator must
        write campaigns that score)."""
        campaign = load_campaign(folder)
        if campaign.errors:
            raise ErrorList.of(e for errors in campaign.errors.values() for e in errors)
        ready = [prepare(self.index, sub) for sub in campaign.submissions.values()]
        return {r.unit_id: r for r in score_units(self.index, ready, appraisals)}
