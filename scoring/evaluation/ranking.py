"""Classification and ranking per group, and scoring a whole campaign.

Ranks are computed on the index rounded to ``ranking.precision`` decimals, then the declared
tie-break keys; equal keys share a rank. ``competition`` gives 1, 2, 2, 4; ``dense`` 1, 2, 2, 3.
Units with ``ranked: false`` are scored and classified but take no rank. Units that share a
rank are listed in Vietnamese alphabetical order of their names (``vn_key``), as the published
decisions list them (Lạng Sơn 2018, 86.8: Sở Công thương, Sở Ngoại vụ, Sở Y tế); so are the
units that take no rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.campaign.ready import Ready, prepare
from scoring.campaign.submission import Campaign, Submission
from scoring.errors import ParindexError
from scoring.evaluation.batch import score_units
from scoring.evaluation.inputs import Appraisals
from scoring.evaluation.trace import ClassLabel, UnitResult
from scoring.index import model as m
from scoring.index.loader import Index
from scoring.sources.numbers import quantize
from scoring.sources.text import vn_key


def classify(index_value: Decimal, group: m.Group, places: int) -> ClassLabel:
    """The class of an index, compared at the published precision."""
    shown = quantize(index_value, places)
    for band in group.classification:
        if shown >= band.min:
            return ClassLabel(band.id, band.label_vi, band.label_en)
    last = group.classification[-1]
    return ClassLabel(last.id, last.label_vi, last.label_en)


def rank_key(r: UnitResult, policy: m.Ranking, places: int) -> tuple[Decimal, ...]:
    """What ranks a unit, highest first: its index at the ranking's precision, then the
    tie-break figures at ``places`` (the published precision)."""
    extra = {"content": r.content, "survey": r.survey, "points": r.points}
    # tie-break figures are compared as published, so two equal-looking units stay tied
    return (
        quantize(r.index, policy.precision),
        *(quantize(extra[k], places) for k in policy.tie_break),
    )


def rank(results: Sequence[UnitResult], index: Index) -> list[UnitResult]:
    """One group's results classified, ranked and sorted: best first, tied units in Vietnamese
    alphabetical order of their names (then by id), the units without a rank last, by name."""
    meta = index.meta
    policy = meta.ranking
    out: list[UnitResult] = []
    places = meta.rounding.places
    ranked = sorted(
        (r for r in results if r.ranked and r.max_points > 0),
        key=lambda r: (tuple(-k for k in rank_key(r, policy, places)), vn_key(r.name), r.unit_id),
    )
    prev: tuple[Decimal, ...] | None = None
    current = 0
    for position, r in enumerate(ranked, start=1):
        key = rank_key(r, policy, places)
        if key != prev:
            current = position if policy.tie_policy == "competition" else current + 1
            prev = key
        group = index.groups[r.group].group
        out.append(r.with_rank(current, classify(r.index, group, meta.rounding.places)))
    for r in sorted(
        (r for r in results if not r.ranked or r.max_points == 0),
        key=lambda r: (vn_key(r.name), r.unit_id),
    ):
        group = index.groups[r.group].group
        out.append(r.with_rank(None, classify(r.index, group, meta.rounding.places)))
    return out


@dataclass
class CampaignResult:
    """A scored campaign: per group the ranked results, and the units that could not be scored."""

    campaign_id: str
    year: int
    index: Index
    groups: dict[str, list[UnitResult]]
    errors: dict[str, list[ParindexError]] = field(default_factory=dict)
    ready: dict[str, Ready] = field(default_factory=dict)  # what each unit was scored from
    submissions: dict[str, Submission] = field(default_factory=dict)
    appraisals: Mapping[str, Appraisals] = field(default_factory=dict)

    def unit(self, unit_id: str) -> UnitResult | None:
        """The result of ``unit_id``, whichever its group (None: not scored)."""
        for results in self.groups.values():
            for r in results:
                if r.unit_id == unit_id:
                    return r
        return None


def score_campaign(
    index: Index, campaign: Campaign, appraisals: Mapping[str, Appraisals] | None = None
) -> CampaignResult:
    """Prepare, score, classify and rank every unit that can be; collect the others' errors.

    ``appraisals`` (unit id -> node -> changes) apply the appraisal rounds, if any."""
    errors = {k: list(v) for k, v in campaign.errors.items()}
    ready: list[Ready] = []
    for uid, sub in campaign.submissions.items():
        try:
            ready.append(prepare(index, sub))
        except ParindexError as exc:
            errors[uid] = list(getattr(exc, "errors", [exc]))
    results = score_units(index, ready, appraisals)
    groups: dict[str, list[UnitResult]] = {}
    for gid in index.groups:
        members = [r for r in results if r.group == gid]
        if members:
            groups[gid] = rank(members, index)
    return CampaignResult(
        campaign.spec.id,
        campaign.spec.year,
        index,
        groups,
        errors,
        ready={r.unit.id: r for r in ready},
        appraisals=appraisals or {},
        submissions=dict(campaign.submissions),
    )
