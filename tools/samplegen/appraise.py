"""A year's appraisal: round 1, the units' explanations and round 2, drawn per unit.

Each unit's changes come from its own streams (``Context.stream``), so the draws of one unit do
not move when another unit's answers change; only the choice of who explains, which
explanations are accepted and which units get further round-2 changes uses the year's shared
stream, in that order.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from decimal import Decimal

from tools.samplegen.context import Context
from tools.samplegen.explaining import Explanation, decision, explanation_for
from tools.samplegen.lowering import (
    Change,
    adjustment_change,
    choose,
    council_lowering,
    line_department,
    lowerable,
    lowerings,
    raises,
    total_effect,
)
from tools.samplegen.views import UnitView
from tools.samplegen.wording import lower_first


@dataclass
class Appraisal:
    """Both rounds and the explanations of one year, per unit."""

    round1: dict[str, dict[str, Change]]
    explanations: dict[str, list[Explanation]]
    round2: dict[str, dict[str, Change]]

    def final(self, uid: str) -> dict[str, Change]:
        """A unit's last change per node."""
        return {**self.round1[uid], **self.round2.get(uid, {})}

    def drop(self, uid: str) -> Decimal:
        """The points a unit's changes take from its computed total."""
        return -total_effect(self.final(uid))


def round_one(ctx: Context, views: dict[str, UnitView], ap: Appraisal, leaders: list[str]) -> None:
    """3-6 changes a unit, lowering its total by 1.5-4 points."""
    ups = raises(ctx, views)
    for uid in leaders:
        unit = views[uid]
        fixed: dict[str, Change] = {}
        for lid in ctx.year.missing_evidence.get(uid, []):
            given = ctx.scorer.points(unit.group, lid, unit.answers[lid]) or Decimal(0)
            missing = ctx.prose.appraisal.confirm_missing
            fixed[lid] = Change(lid, Decimal(0), missing, "missing", Decimal(0), given)
        for hand in ctx.year.adjustment_changes:
            if hand.round == 1 and hand.unit == uid:
                c = adjustment_change(ctx, unit, hand.item, hand.score, hand.reason)
                c.appraiser = hand.appraiser
                fixed[hand.item] = c
        if uid in ups:
            fixed[ups[uid].node] = ups[uid]
        urng = ctx.stream("round-1", uid)
        need = max(2, urng.randint(3, 6) - len(fixed))
        target = Decimal(str(round(urng.uniform(1.5, 4.0), 2)))
        target = ctx.year.round_1_targets.get(uid, target)
        options = {lid: lowerings(ctx, urng, unit, lid) for lid in lowerable(ctx, unit)}
        pool = [lid for lid, opts in options.items() if opts and lid not in fixed]
        best: tuple[Decimal, dict[str, Change]] | None = None
        for _ in range(600):
            chosen = {lid: choose(urng, options[lid]) for lid in urng.sample(pool, need)}
            drop = -total_effect(fixed) - total_effect(chosen)
            if Decimal("1.5") <= drop <= 4:
                gap = abs(drop - target)
                if best is None or gap < best[0]:
                    best = (gap, chosen)
                if gap <= Decimal("0.25"):
                    break
        assert best is not None, f"no round-1 draw fits {uid}"
        for c in best[1].values():
            c.appraiser = line_department(ctx, unit, c.node)
        changes = {**fixed, **best[1]}
        ap.round1[uid] = {n: changes[n] for n in sorted(changes, key=unit.order)}


def explain(
    ctx: Context,
    rng: random.Random,
    views: dict[str, UnitView],
    ap: Appraisal,
    leaders: list[str],
    weight: dict[str, int],
) -> list[tuple[str, Change, Explanation]]:
    """About a third of the units answer 1-2 of their round-1 changes."""
    designed = {(e.unit, e.node): e.accepted for e in ctx.year.designed_explanations}
    chosen_units = list(dict.fromkeys(u for u, _n in designed))
    rest = [u for u in leaders if u not in chosen_units]
    rng.shuffle(rest)
    wanted = round(len(ctx.units) / 3)
    for u in rest:
        if sum(weight[x] for x in chosen_units) + weight[u] <= wanted:
            chosen_units.append(u)
    chosen_units.sort(key=leaders.index)
    pending: list[tuple[str, Change, Explanation]] = []
    for uid in chosen_units:
        unit = views[uid]
        nodes = [n for u, n in designed if u == uid]
        free = [n for n, c in ap.round1[uid].items() if c.tag != "raise" and n not in nodes]
        urng = ctx.stream("explanation", uid)
        k = urng.randint(1, 2)
        if len(nodes) < k:
            nodes += urng.sample(free, min(len(free), k - len(nodes)))
        nodes.sort(key=unit.order)
        ap.explanations[uid] = []
        for n in nodes:
            e = explanation_for(ctx, urng, unit, ap.round1[uid][n])
            ap.explanations[uid].append(e)
            pending.append((uid, ap.round1[uid][n], e))
    return pending


def decide(
    ctx: Context,
    rng: random.Random,
    views: dict[str, UnitView],
    ap: Appraisal,
    pending: list[tuple[str, Change, Explanation]],
    leaders: list[str],
    weight: dict[str, int],
) -> None:
    """Round 2 accepts about half of the explanations, and makes the hand-set changes."""
    designed = {(e.unit, e.node): e.accepted for e in ctx.year.designed_explanations}
    total = sum(weight[u] for u, _c, _e in pending)
    accepted = sum(weight[u] for u, c, _e in pending if designed.get((u, c.node)))
    free_items = [(u, c, e) for u, c, e in pending if (u, c.node) not in designed]
    rng.shuffle(free_items)
    for u, c, e in pending:
        if (u, c.node) in designed:
            e.accepted = designed[(u, c.node)]
    for u, _c, e in free_items:
        if 2 * (accepted + weight[u]) <= total + 1:
            e.accepted = True
            accepted += weight[u]
    for u, c, e in sorted(
        pending, key=lambda t: (leaders.index(t[0]), views[t[0]].order(t[1].node))
    ):
        urng = ctx.stream("decision", u)
        ap.round2.setdefault(u, {})[c.node] = decision(ctx, urng, u, c, e)
    for hand in ctx.year.adjustment_changes:
        if hand.round == 2:
            c = adjustment_change(ctx, views[hand.unit], hand.item, hand.score, hand.reason)
            c.appraiser = hand.appraiser
            ap.round2.setdefault(hand.unit, {})[hand.item] = c


def round_two(
    ctx: Context, rng: random.Random, views: dict[str, UnitView], ap: Appraisal, leaders: list[str]
) -> None:
    """1-2 further changes for a few units; every unit ends 1-4 points below its computed
    total."""
    extra = set(rng.sample(leaders, 4))
    proper = ctx.prose.appraisal.proper_starts
    for uid in leaders:
        unit = views[uid]
        done = set(ap.final(uid))
        pool = [n for n in lowerable(ctx, unit) if n not in done]
        pool += [n for n, item in unit.leaves.items() if item.node.assessed_by == "council"]
        urng = ctx.stream("round-2", uid)
        urng.shuffle(pool)
        offers: list[Change] = []
        for lid in pool:
            offer: Change | None
            if unit.leaves[lid].node.assessed_by == "council":
                offer = council_lowering(ctx, unit, lid)
            else:
                opts = lowerings(ctx, urng, unit, lid)
                offer = choose(urng, opts) if opts else None
            if offer is not None:
                offers.append(offer)
        wanted, added = (2 if uid in extra else 0), 0
        while added < 2 and (added < wanted or ap.drop(uid) < 1):
            short, room = 1 - ap.drop(uid), 4 - ap.drop(uid)
            fits = [c for c in offers if c.computed - c.score <= room]
            if not fits:
                break
            pick = fits[0]
            if short > 0:  # a unit that explained its way back above the range needs more
                big = [c for c in fits if c.computed - c.score >= short]
                pick = big[0] if big else max(fits, key=lambda c: c.computed - c.score)
            offers.remove(pick)
            if pick.tag != "council":
                reason = lower_first(pick.reason, proper)
                pick.reason = ctx.prose.appraisal.round_2.format(reason=reason)
            ap.round2.setdefault(uid, {})[pick.node] = pick
            added += 1
        assert 1 <= ap.drop(uid) <= 4, (uid, ap.drop(uid))
        if uid in ap.round2:
            ap.round2[uid] = {n: ap.round2[uid][n] for n in sorted(ap.round2[uid], key=unit.order)}


def copy_ties(views: dict[str, UnitView], ap: Appraisal, followers: dict[str, list[str]]) -> None:
    """Tied units get exactly the same appraisal (only document numbers differ)."""
    for leader, fs in followers.items():
        for f in fs:
            old, new = views[leader].suffix, views[f].suffix
            ap.round1[f] = copy.deepcopy(ap.round1[leader])
            if leader in ap.round2:
                ap.round2[f] = copy.deepcopy(ap.round2[leader])
            if leader in ap.explanations:
                ap.explanations[f] = copy.deepcopy(ap.explanations[leader])
                for e in ap.explanations[f]:
                    for ev in e.evidence:
                        ev["doc"] = ev["doc"].replace(f"-{old}", f"-{new}")


def appraise(ctx: Context, views: dict[str, UnitView]) -> Appraisal:
    """Draw round 1, the explanations and round 2 of one year."""
    rng = random.Random(ctx.year.year * 10 + 1)
    ties = ctx.year.ties
    leaders = [u.id for u in ctx.units if u.id not in ties]
    followers = {u: [f for f, s in ties.items() if s == u] for u in leaders}
    weight = {u: 1 + len(followers[u]) for u in leaders}
    ap = Appraisal({}, {}, {})
    round_one(ctx, views, ap, leaders)
    pending = explain(ctx, rng, views, ap, leaders, weight)
    decide(ctx, rng, views, ap, pending, leaders, weight)
    round_two(ctx, rng, views, ap, leaders)
    copy_ties(views, ap, followers)
    order = [u.id for u in ctx.units]
    return Appraisal(
        {u: ap.round1[u] for u in order},
        {u: ap.explanations[u] for u in order if u in ap.explanations},
        {u: ap.round2[u] for u in order if u in ap.round2},
    )
