"""Appraisal changes: the ways an appraiser may lower a leaf, the rare raises, and the changes
of bonuses, penalties and council scores.

Every score a change sets is what scoring gives the corrected answer (``Scorer.points``): an
appraiser who finds 41/50 dossiers instead of the 45/50 declared scores 41/50.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from typing import Any

from scoring.index.kinds.choices import (
    BooleanRule,
    CompareToLimitRule,
    DeadlineRule,
    LateBand,
    OrdinalLevelsRule,
)
from scoring.index.kinds.counts import CountDeductionRule, CountPointsRule
from scoring.index.kinds.outside import CouncilJudgmentRule
from scoring.index.kinds.rates import ProportionalRule, RatioBandsRule, ValueBandsRule
from tools.samplegen.answers import q2
from tools.samplegen.context import Context
from tools.samplegen.views import UnitView
from tools.samplegen.wording import by_prefix, first_doc, keyed, lower_first, pct, vdate, vn
from tools.samplegen.yamlout import Flow, LeafId


@dataclass
class Change:
    """One appraisal record: the points an appraiser set for a leaf or a bonus/penalty."""

    node: str
    score: Decimal
    reason: str
    tag: str  # late | authority | figures | content | wrongdoc | count | finding | level | ...
    computed: Decimal  # what scoring gives the self-assessment
    restore: Decimal  # what an accepted explanation gives back
    sign: int = 1  # +1 leaf or bonus, -1 penalty (its score is a deduction)
    appraiser: str | None = None
    hint: dict[str, Any] = field(default_factory=dict)

    @property
    def effect(self) -> Decimal:
        """The change of the unit's total against the computed points."""
        return self.sign * (self.score - self.computed)

    def entry(self) -> dict[str, Any]:
        """The change as an appraisal file writes it."""
        out = Flow(node=LeafId(self.node), score=self.score, reason=self.reason)
        if self.appraiser:
            out["appraiser"] = self.appraiser
        return out


def total_effect(changes: dict[str, Change]) -> Decimal:
    """What a unit's changes take from (or add to) its computed points, before rescaling."""
    return sum((c.effect for c in changes.values()), Decimal(0))


def storable(x: Decimal) -> Decimal:
    """An appraised score has at most 3 decimals; round an exact rule result down to 2."""
    if x == x.quantize(Decimal("0.001")):
        return x
    return x.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def must(points: Decimal | None) -> Decimal:
    """Points of an answer that cannot make its leaf not applicable."""
    assert points is not None
    return points


def source_of(ctx: Context, lid: str) -> str:
    """Where the appraisers check a leaf's figures."""
    words = ctx.prose.appraisal
    return by_prefix(words.sources, lid, words.default_source)


def line_department(ctx: Context, unit: UnitView, node: str) -> str | None:
    """The line department that appraises a node, unless it is the unit itself."""
    for dept in ctx.prose.appraisal.line_departments:
        if node.startswith(dept.prefix) and dept.name != unit.name:
            return dept.name
    return None


def first_lower(points: Callable[[int], Decimal | None], pts: Decimal, num: int) -> int | None:
    """The largest numerator below ``num`` that scores lower than ``pts``.

    A ratio's points never fall as its numerator rises, so the numerators scoring lower are
    0..k for some k, found by bisection.
    """

    def lower(n: int) -> bool:
        p = points(n)
        return p is not None and p < pts

    if num >= 1 and lower(num - 1):
        return num - 1
    if num < 1 or not lower(0):
        return None
    lo, hi = 0, num - 1  # lower(lo) holds, lower(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if lower(mid) else (lo, mid)
    return lo


def step_down(
    points: Callable[[Decimal], Decimal], v: Decimal, low: Decimal, pts: Decimal
) -> Decimal:
    """The first of v - 0.5, v - 1, ... that scores lower than ``pts``, or the first at or
    below ``low`` (where no lower value remains).

    A value's points never rise as it falls, so the steps scoring lower are those from some
    k on, found by bisection.
    """
    half = Decimal("0.5")
    last = int(((v - low) / half).to_integral_value(ROUND_CEILING))  # first at or below low
    if last <= 0:
        return v
    lo, hi = 0, last  # step lo still scores ``pts`` or more; step hi ends the walk
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if points(v - mid * half) < pts else (mid, hi)
    return v - hi * half


def lowerings(
    ctx: Context, rng: random.Random, unit: UnitView, lid: str
) -> list[tuple[float, Change]]:
    """Ways an appraiser may lower one leaf, with their weights."""
    item, ans, pts = unit.leaves[lid], unit.answers[lid], unit.points[lid]
    r, mx = item.node.rule, item.max
    words, proper = ctx.prose.lowering, ctx.prose.appraisal.proper_starts
    out: list[tuple[float, Change]] = []

    def add(weight: float, score: Decimal | None, tag: str, reason: str, **hint: Any) -> None:
        if must(score) < pts:
            hint.setdefault("source", source_of(ctx, lid))
            out.append((weight, Change(lid, must(score), reason, tag, pts, pts, hint=hint)))

    def scored(**inputs: Any) -> Decimal | None:
        return ctx.scorer.points(unit.group, lid, {**ans, **inputs})

    if isinstance(r, DeadlineRule) and ans["done_on"] is not None:
        due, done = r.due, ans["done_on"]
        bands = r.late if isinstance(r.late, list) else [LateBand(points=r.late)]
        days_late = (done - due).days
        if days_late <= 0:
            first = bands[0].max_days if bands[0].max_days is not None else 12
            got = due + dt.timedelta(days=rng.randint(1, min(12, first)))
            dates = {"got": vdate(got), "due": vdate(due)}
            reason = words.late_unproven.format(**dates)
            add(3, scored(done_on=got), "late", reason, due=due, got=got, done=done)
            if item.node.title_vi.startswith(ctx.prose.appraisal.issued):
                reason = words.late_signed.format(document=first_doc(item), **dates)
                add(1, scored(done_on=got), "authority", reason, due=due, got=got)
        else:
            i = next(
                j for j, b in enumerate(bands) if b.max_days is None or days_late <= b.max_days
            )
            band_days = bands[i].max_days
            if i + 1 < len(bands) and band_days is not None:
                got = due + dt.timedelta(days=band_days + rng.randint(1, 6))
                reason = words.late_band.format(
                    got=vdate(got), days=(got - due).days, done=vdate(done), limit=band_days
                )
                add(2, scored(done_on=got), "late", reason, due=due, got=got, done=done)
    elif isinstance(r, BooleanRule) and ans["value"]:
        because = keyed(words.boolean, unit.group, lid) or words.boolean_default
        add(2, scored(value=False), because.tag, because.reason)
    elif isinstance(r, RatioBandsRule | ProportionalRule) and ans["denominator"]:
        num, den = ans["numerator"], ans["denominator"]
        src = source_of(ctx, lid)
        n2: int | None
        if isinstance(r, RatioBandsRule):
            n2 = first_lower(lambda n: scored(numerator=n), pts, num)
        else:
            drop = Decimal(rng.choice(["0.2", "0.25", "0.3", "0.4", "0.5"]))
            want = (pts - drop) / mx * r.target
            n2 = min(num - 1, int(want * den / 100)) if pts > drop else None
        if n2 is not None and n2 >= 0:
            p2 = must(scored(numerator=n2))
            partial = isinstance(r, ProportionalRule)
            score = q2(p2) if partial else p2
            if pts - score >= Decimal("0.1"):
                reason = words.figures.format(
                    source=src,
                    den=den,
                    found=n2,
                    found_pct=pct(n2, den),
                    told=num,
                    told_pct=pct(num, den),
                )
                add(3, score, "figures", reason, source=src, partial=partial)
    elif isinstance(r, ValueBandsRule):
        lo, hi = r.range
        v = Decimal(str(ans["value"]))
        if hi == 1000000:  # a count of reminders or repeated requests
            for v2 in range(int(v) + 1, int(v) + 4):
                p2 = must(scored(value=v2))
                if p2 < pts:
                    if lid == "3.4.2":
                        src = source_of(ctx, lid)
                        reason = words.resubmitted.format(source=src, found=v2, told=int(v))
                    else:
                        src = words.reminders_source
                        reason = words.reminders.format(found=v2, told=int(v))
                    add(2, p2, "figures", reason, source=src)
                    break
        else:
            w = step_down(lambda x: must(scored(value=x)), v, lo, pts)
            if must(scored(value=w)) < pts:
                text = words.revenue if hi == 300 else words.completion
                reason = text.format(found=vn(w), told=vn(v))
                add(2, scored(value=w), "figures", reason, source=source_of(ctx, lid))
    elif isinstance(r, CountPointsRule) and ans["count"] > 0:
        n = ans["count"]
        what = keyed(words.count_points, unit.group, lid)
        assert what is not None, f"prose.yaml: no count_points wording for {lid}"
        for n2 in range(n - 1, -1, -1):
            if must(scored(count=n2)) < pts:
                n2 = max(0, n2 - (rng.randint(0, 2) if r.per_item < Decimal("0.25") else 0))
                reason = words.count.format(
                    found=n2, told=n, noun=what.noun, condition=what.condition
                )
                add(2, scored(count=n2), "count", reason, noun=what.noun, missing=n - n2)
                break
    elif isinstance(r, CountDeductionRule) and lid in words.count_deduction:
        n = ans["count"]
        told = words.finding_undeclared if n == 0 else words.finding_beyond.format(count=n)
        reason = words.finding.format(finding=words.count_deduction[lid], told=told)
        add(1, scored(count=n + 1), "finding", reason)
    elif isinstance(r, OrdinalLevelsRule):
        keys = list(r.levels)
        i = keys.index(ans["level"])
        if i + 1 < len(keys):
            label = r.levels[keys[i + 1]].label_vi
            reason = words.level.format(label=lower_first(label, proper))
            add(2, scored(level=keys[i + 1]), "level", reason, label=label)
    elif isinstance(r, CompareToLimitRule):
        actual, limit = Decimal(str(ans["actual"])), Decimal(ans["limit"])
        if actual < limit:
            reason = words.time_equal.format(found=vn(limit), told=vn(actual))
            add(2, scored(actual=ans["limit"]), "figures", reason, source=words.time_source)
        elif actual == limit:
            longer = (limit * Decimal("1.08")).quantize(Decimal("0.1"))
            reason = words.time_longer.format(found=vn(longer), limit=vn(limit))
            add(1, scored(actual=longer), "figures", reason, source=words.time_source)
    ev = item.node.evidence
    if ev is not None and ev.required and mx <= 1 and pts > 0:
        reason = words.wrong_document.format(document=lower_first(first_doc(item), proper))
        ungated = ctx.scorer.points(unit.group, lid, ans, evidence=False)
        add(0.4, ungated, "wrongdoc", reason, doc=first_doc(item))
    return out


def choose(rng: random.Random, options: list[tuple[float, Change]]) -> Change:
    """One of the options, drawn by weight."""
    weights = [w for w, _c in options]
    return copy.deepcopy(rng.choices([c for _w, c in options], weights=weights)[0])


def lowerable(ctx: Context, unit: UnitView) -> list[str]:
    """Leaves an appraiser may lower: applicable, self-assessed, with points and evidence."""
    # a penalty deducted from a leaf itself (scope: the leaf) already settles that leaf
    scoped = {a.spec.scope for a in ctx.index.adjustments if a.spec.id in unit.adjustments}
    out = []
    for lid, item in unit.leaves.items():
        ans = unit.answers.get(lid)
        if item.node.assessed_by != "self" or ans is None:
            continue
        if unit.points[lid] <= 0 or ans.get("denominator") == 0:
            continue
        if lid in ctx.year.missing_evidence.get(unit.uid, []) or lid in scoped:
            continue
        out.append(lid)
    return out


def raises(ctx: Context, views: dict[str, UnitView], most: int = 2) -> dict[str, Change]:
    """Rare round-1 changes that restore points: a report dated one day late that the
    provincial register shows as received on time."""
    out: dict[str, Change] = {}
    for u in ctx.units:
        if len(out) >= most or u.id in ctx.year.ties:
            continue
        unit = views[u.id]
        hand_set = set(ctx.year.late.get(u.id, {}))
        for lid, item in unit.leaves.items():
            ans = unit.answers.get(lid)
            r = item.node.rule
            if not isinstance(r, DeadlineRule) or not ans or not ans.get("done_on"):
                continue
            if lid in hand_set:
                continue
            if (ans["done_on"] - r.due).days == 1 and ans.get("evidence"):
                on_time = must(ctx.scorer.points(unit.group, lid, {**ans, "done_on": r.due}))
                reason = ctx.prose.appraisal.raised.format(
                    due=vdate(r.due), done=vdate(ans["done_on"])
                )
                out[u.id] = Change(
                    lid, on_time, reason, "raise", unit.points[lid], unit.points[lid]
                )
                break
    return out


def adjustment_change(
    ctx: Context, unit: UnitView, item: str, score: Decimal, reason: str
) -> Change:
    """A hand-set appraisal of a bonus or penalty, against what scoring gives the unit's
    declaration (0 if it declared nothing)."""
    sign = next(a.sign for a in ctx.index.adjustments if a.spec.id == item)
    computed = unit.adjustment_points.get(item, Decimal(0))
    return Change(item, score, reason, "adjustment", computed, computed, sign=sign)


def council_lowering(ctx: Context, unit: UnitView, lid: str) -> Change | None:
    """The council's score one level down, with the reason of that level."""
    rule = unit.leaves[lid].node.rule
    assert isinstance(rule, CouncilJudgmentRule) and rule.levels is not None
    now = unit.points[lid]
    below = [x for x in sorted(rule.levels) if 0 < x < now]
    if not below:
        return None
    said = ctx.prose.council_reasons[lid][str(below[-1])].rstrip(".")
    proper = ctx.prose.appraisal.proper_starts
    reason = ctx.prose.appraisal.council_again.format(reason=lower_first(said, proper))
    return Change(lid, below[-1], reason, "council", now, now)
