"""Calibrating a year to a published decision: each unit's survey answers moved, one respondent
(or one tenth of a SIPAS percent) at a time, until its published index is the decision's.

The published index is what ``parindex campaign run`` publishes: the self-assessment with the
appraisal changes of both rounds, survey and council results, bonuses and penalties, rescaled
to the index's scale. The decision lists it at the ranking's precision (one decimal in 2018).

Only the survey moves. It is the one part of a unit's figures that no designed case uses and no
appraisal change touches (appraisers never lower a survey leaf), and whose points the unit
does not claim, so moving it leaves every answer, self-score, appraisal change and explanation
as drawn. Each move is scored by the library (``Scorer.points``), and the folder is scored again
at the end with the appraisal applied: a unit that misses its figure stops the generator.
"""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring import UnitResult
from scoring.evaluation.aggregate import rescale
from scoring.evaluation.inputs import Appraisal as Applied
from scoring.evaluation.inputs import Appraisals
from scoring.index.kinds.outside import ExternalValueRule, SurveyWeightedRule
from scoring.sources.numbers import quantize
from tools.samplegen.appraise import Appraisal
from tools.samplegen.context import Context
from tools.samplegen.data import HERE

UP = {"D": "C", "C": "B", "B": "A"}  # a respondent's answer one option better
DOWN = {v: k for k, v in UP.items()}
TOP_SHARE = Decimal("0.92")  # never more A answers than this share of the respondents
SIPAS = (Decimal(70), Decimal(95))  # the SIPAS range the drawn percentages keep to
STEPS = 4000  # more moves than any unit needs: a unit still off then is a data problem


@dataclass(frozen=True)
class Published:
    """One line of a published decision: a unit's group, position in its list and figure."""

    group: str
    position: int
    name: str
    score: Decimal


def read_decision(path: Path) -> list[Published]:
    """A decision's list as CSV: ``group,position,unit,score``, one unit a line."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Published(row["group"], int(row["position"]), row["unit"], Decimal(row["score"]))
            for row in csv.DictReader(f)
        ]


def targets(ctx: Context, decision: list[Published]) -> dict[str, Decimal]:
    """The decision's figure per unit id (units matched by the name the decision prints)."""
    by_name = {u.decision_name or u.name: u for u in ctx.units}
    out = {}
    for row in decision:
        unit = by_name[row.name]
        assert unit.group == row.group, (row.name, row.group)
        out[unit.id] = row.score
    assert set(out) == {u.id for u in ctx.units}, "the decision must list every unit"
    return out


def applied(ap: Appraisal, uid: str) -> Appraisals:
    """A unit's appraisal changes as the library applies them: per node, oldest first."""
    out: dict[str, list[Applied]] = {}
    for n, rounds in (("1", ap.round1), ("2", ap.round2)):
        for node, c in rounds.get(uid, {}).items():
            out.setdefault(node, []).append(Applied(n, c.score, c.reason, c.appraiser or "", ""))
    return out


def shown(ctx: Context, index: Decimal) -> tuple[Decimal, Decimal]:
    """An index as published: at the ranking's precision, directly and from its rounding to
    the index's places (both must be the decision's figure, so no reader rounding twice sees
    another)."""
    meta = ctx.index.meta
    once = quantize(index, meta.ranking.precision)
    twice = quantize(quantize(index, meta.rounding.places), meta.ranking.precision)
    return once, twice


class SurveyWalk:
    """One unit's survey answers, moved step by step towards a published figure."""

    def __init__(self, ctx: Context, uid: str, result: UnitResult, answers: dict[str, Any]):
        self.ctx, self.uid = ctx, uid
        self.group = result.group
        self.answers = {lid: dict(a) for lid, a in answers.items()}
        for a in self.answers.values():
            if "responses" in a:
                a["responses"] = dict(a["responses"])
        self.rules = {lid: ctx.index.groups[result.group].leaves[lid].node.rule for lid in answers}
        self.others = result.points - sum(self.points().values(), Decimal(0))
        self.max = result.max_points
        self.rng = ctx.stream("survey-calibration", uid)

    def points(self) -> dict[str, Decimal]:
        """Each survey leaf's points for the current answers."""
        out = {}
        for lid, a in self.answers.items():
            got = self.ctx.scorer.points(self.group, lid, a)
            assert got is not None
            out[lid] = got
        return out

    def index(self) -> Decimal:
        """The unit's index with the current survey answers."""
        total = max(Decimal(0), self.others + sum(self.points().values(), Decimal(0)))
        return rescale(total, self.max, self.ctx.index.meta.scale)

    def moves(self, up: bool) -> list[str]:
        """Survey leaves that can move one step in that direction and stay realistic."""
        out = []
        for lid, a in self.answers.items():
            rule = self.rules[lid]
            if isinstance(rule, SurveyWeightedRule):
                r = a["responses"]
                n = sum(r.values())
                if up and (r["D"] or r["C"] or (r["B"] and r["A"] + 1 <= TOP_SHARE * n)):
                    out.append(lid)
                if not up and r["A"] > 0:
                    out.append(lid)
            elif isinstance(rule, ExternalValueRule) and rule.bands is None:
                v = Decimal(repr(a["value"]))
                if (up and v < SIPAS[1]) or (not up and v > SIPAS[0]):
                    out.append(lid)
        return out

    def step(self, lid: str, up: bool, k: int) -> None:
        """Move ``k`` respondents of ``lid`` one option up or down (a SIPAS value: k × 0.1)."""
        a = self.answers[lid]
        if "value" in a:
            v = Decimal(repr(a["value"])) + (1 if up else -1) * k * Decimal("0.1")
            a["value"] = float(min(SIPAS[1], max(SIPAS[0], v)))
            return
        r = a["responses"]
        n = sum(r.values())
        for _ in range(k):
            if up:  # the worst answer given moves one option up
                src = next((o for o in ("D", "C", "B") if r[o]), None)
                if src is None or (src == "B" and r["A"] + 1 > TOP_SHARE * n):
                    return
                r[src] -= 1
                r[UP[src]] += 1
            else:  # the best answer given moves one option down
                src = next((o for o in ("A", "B", "C") if r[o]), None)
                if src is None:
                    return
                r[src] -= 1
                r[DOWN[src]] += 1

    def reach(self, target: Decimal) -> dict[str, Any]:
        """Answers whose index publishes as ``target``; halving the gap, then single steps."""
        for _ in range(STEPS):
            value = self.index()
            if shown(self.ctx, value) == (target, target):
                return self.answers
            up = value < target
            options = self.moves(up)
            assert options, f"{self.uid}: the survey cannot reach {target} (index {value:.2f})"
            lid = self.rng.choice(options)
            rule = self.rules[lid]
            gap = abs(target - value) * self.max / self.ctx.index.meta.scale  # in points
            leaf_max = self.ctx.index.groups[self.group].leaves[lid].node.max
            if isinstance(rule, SurveyWeightedRule):
                n = sum(self.answers[lid]["responses"].values())
                per = leaf_max * Decimal("0.2") / n  # one respondent one option up
            else:
                per = leaf_max * Decimal("0.001")  # 0.1 % of SIPAS
            self.step(lid, up, max(1, int(gap / per / 4)))
        raise AssertionError(f"{self.uid}: no survey answers reach {target}")


def calibrate(
    ctx: Context, survey: dict[str, dict[str, Any]], results: dict[str, UnitResult]
) -> dict[str, dict[str, Any]]:
    """Every unit's survey answers, moved so that its published index is the decision's
    (``results``: the units scored with their appraisal). Tied units share their leader's."""
    assert ctx.year.published is not None
    decision = read_decision(HERE / ctx.year.published)
    wanted = targets(ctx, decision)
    out = dict(survey)
    for u in ctx.units:
        if u.id in ctx.year.ties:
            continue
        out[u.id] = SurveyWalk(ctx, u.id, results[u.id], survey[u.id]).reach(wanted[u.id])
    for follower, leader in ctx.year.ties.items():
        out[follower] = copy.deepcopy(out[leader])
    return out


def check(ctx: Context, results: dict[str, UnitResult]) -> None:
    """Every unit's published index is the decision's figure (scored again, from the files)."""
    assert ctx.year.published is not None
    wanted = targets(ctx, read_decision(HERE / ctx.year.published))
    off = {
        uid: (str(r.index), str(wanted[uid]))
        for uid, r in results.items()
        if shown(ctx, r.index) != (wanted[uid], wanted[uid])
    }
    assert not off, f"published indices differ from the decision: {off}"
