"""Target planning: the cheapest changes that lift a unit to a class, a rank or an index.

A target becomes the gains that reach it (``targets.needs``, read as the published figures
are). ``gaps.candidates`` (every way to raise each leaf of the unit) are chosen by a 0/1 integer
programme solved with PuLP/CBC: at most one candidate per node, the gains at least the need,
the least total cost. Floats live only inside the solver. A solution is accepted only when its
outcome, recomputed exactly (``Decimal`` gains, the ranking code, then ``whatif.simulate``),
reaches the target; one that misses (float noise, a cap the gains do not show) is excluded and
the solver asked again.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

# PuLP ships no type hints (no py.typed, no stubs package)
import pulp  # type: ignore[import-untyped]

from scoring.errors import SubmissionError
from scoring.evaluation.aggregate import rescale
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import ClassLabel, UnitResult
from scoring.index.loader import Index
from scoring.simulation.gaps import Candidate, Costs, candidates
from scoring.simulation.targets import (
    ClassTarget,
    IndexTarget,
    Option,
    RankTarget,
    Target,
    Words,
    find_band,
    needs,
)
from scoring.simulation.whatif import InputChange, scored_unit, simulate
from scoring.sources.numbers import CONTEXT, ZERO, fmt, quantize, to_decimal
from scoring.sources.said import figure

__all__ = [
    "ClassTarget",
    "IndexTarget",
    "Plan",
    "PlannedChange",
    "RankTarget",
    "Standing",
    "Target",
    "plan",
]

_SLACK = Fraction(1, 10**9)  # relative tolerance of the solver's float sums against a need
_MAX_CUTS = 50  # plans excluded for missing the target exactly before a safe margin is used
ZF = Fraction(0)


@dataclass(frozen=True)
class PlannedChange:
    """One chosen candidate and what it costs."""

    candidate: Candidate
    cost: Decimal


@dataclass(frozen=True)
class Standing:
    """Where the unit stands: points gained, index (unrounded), class and rank in its group."""

    gain: Decimal
    index: Decimal
    classification: ClassLabel
    rank: int | None


@dataclass(frozen=True)
class Plan:
    """The cheapest way found to reach a target, or why there is none."""

    unit_id: str
    name: str
    group: str
    target: Target
    goal_vi: str  # the target in words, with the threshold it was read as
    goal_en: str
    needed_gain: Decimal  # the least points gain that reaches the target (0 when met)
    changes: tuple[PlannedChange, ...]
    cost: Decimal
    before: Standing
    after: Standing  # with the changes, re-scored (= before when there are none)
    best: Standing  # with the best candidate of every node: the most the unit can reach
    reachable: bool
    already_met: bool
    message_vi: str  # the outcome in one sentence, figures as people write them
    message_en: str


# ---------------------------------------------------------------- outcome, exactly


@dataclass(frozen=True)
class _Context:
    """What every step of planning one unit reads."""

    index: Index
    result: CampaignResult
    me: UnitResult
    cands: Sequence[Candidate]
    costs: Sequence[Decimal]
    measures: Sequence[Mapping[str, Fraction]]  # per candidate: what its gain raises
    rescore: bool  # confirm a plan by re-scoring the unit with its changes (whatif.simulate)


def index_after(index: Index, me: UnitResult, gain: Decimal) -> Decimal:
    """The unit's index if its points rose by ``gain`` (same applicable maximum)."""
    return rescale(max(ZERO, me.points + gain), me.max_points, index.meta.scale)


def _measures(index: Index, me: UnitResult, c: Candidate) -> dict[str, Fraction]:
    """What a candidate's gain raises: the points, and the block of the node it changes."""
    view = index.groups[me.group]
    block: str | None = None
    if c.node in view.items:
        block = view.items[c.node].block
    else:
        for adj in index.adjustments:
            if adj.spec.id == c.node and adj.spec.scope in view.items:
                block = view.items[adj.spec.scope].block
    g = Fraction(c.gain)
    return {"points": g, **({block: g} if block in ("content", "survey") else {})}


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, ZF)


def _outcome(ctx: _Context, chosen: Sequence[int]) -> Standing:
    """The unit's index, class and rank with these changes, recomputed with the ranking code."""
    ms = [ctx.measures[i] for i in chosen]
    gain = to_decimal(_sum(x["points"] for x in ms))
    new_index = index_after(ctx.index, ctx.me, gain)
    me = ctx.me
    changed = dataclasses.replace(
        me,
        points=to_decimal(Fraction(me.points) + Fraction(gain)),
        content=to_decimal(Fraction(me.content) + _sum(x.get("content", ZF) for x in ms)),
        survey=to_decimal(Fraction(me.survey) + _sum(x.get("survey", ZF) for x in ms)),
        index=new_index,
    )
    group = [changed if u is me else u for u in ctx.result.groups[me.group]]
    mine = next(u for u in rank(group, ctx.index) if u.unit_id == me.unit_id)
    assert mine.classification is not None
    return Standing(gain, new_index, mine.classification, mine.rank)


def _confirmed(ctx: _Context, chosen: Sequence[int]) -> Standing:
    """The outcome of a plan by re-scoring the unit with its changes made (caps and all)."""
    if not ctx.rescore or not chosen:
        return _outcome(ctx, chosen)
    changes = [
        InputChange(ctx.cands[i].node, name, value)
        for i in chosen
        for name, value in ctx.cands[i].changes
    ]
    w = simulate(ctx.index, ctx.result, ctx.me.unit_id, changes)
    assert w.class_after is not None
    gain = (w.after.points - ctx.me.points).normalize(CONTEXT)
    return Standing(gain, w.after.index, w.class_after, w.rank_after)


def _reaches(ctx: _Context, target: Target, out: Standing) -> bool:
    if isinstance(target, RankTarget):
        return out.rank is not None and out.rank <= target.rank
    if isinstance(target, ClassTarget):
        bands = [b.id for b in ctx.index.groups[ctx.me.group].group.classification]
        wanted, _ = find_band(ctx.index, ctx.me, target.label)
        return bands.index(out.classification.id) <= wanted
    return quantize(out.index, ctx.index.meta.rounding.places) >= target.value


# ---------------------------------------------------------------- the programme


def _solve(
    ctx: _Context, option: Option, margin: float, cuts: Sequence[frozenset[int]]
) -> list[int] | None:
    """The cheapest candidates (by position) meeting every need, or None if there are none."""
    prob = pulp.LpProblem("plan", pulp.LpMinimize)
    # PuLP 3.3 deprecates LpVariable(...) for prob.add_variable(...), which 2.x lacks
    new = getattr(prob, "add_variable", None) or pulp.LpVariable
    x = [new(f"x{i}", cat="Binary") for i in range(len(ctx.cands))]
    prob += pulp.lpSum(float(k) * v for k, v in zip(ctx.costs, x, strict=True))
    by_node: dict[str, list[int]] = {}
    for i, c in enumerate(ctx.cands):
        by_node.setdefault(c.node, []).append(i)
    for members in by_node.values():
        if len(members) > 1:
            prob += pulp.lpSum(x[i] for i in members) <= 1
    for n in option:
        gains = [(i, float(g[n.measure])) for i, g in enumerate(ctx.measures) if n.measure in g]
        need = float(n.at_least)
        prob += pulp.lpSum(g * x[i] for i, g in gains) >= need + margin * max(1.0, abs(need))
    for cut in cuts:  # exclude exactly this set of changes (its supersets stay allowed)
        prob += (
            pulp.lpSum(x[i] for i in cut) - pulp.lpSum(v for i, v in enumerate(x) if i not in cut)
            <= len(cut) - 1
        )
    prob.solve(_solver())
    if pulp.LpStatus[prob.status] != "Optimal":
        return None
    return [i for i, v in enumerate(x) if (v.value() or 0) > 0.5]


def _solver() -> Any:
    """CBC: on the PATH (``pip install pulp[cbc]``, PuLP 4's way), else the one PuLP bundles."""
    coin = pulp.COIN_CMD(msg=False)
    if coin.available():
        return coin
    with warnings.catch_warnings():
        # PuLP 3.3 deprecates its bundled CBC in favour of pulp[cbc]; the wheel still ships it
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(msg=False)


def _best_for(ctx: _Context, option: Option, target: Target) -> list[int] | None:
    """The cheapest plan for one option whose outcome, recomputed exactly, reaches the target.

    The solver compares float sums with a slack of 1e-9 (relative), so a set of gains that
    adds up exactly to the need is not lost to rounding; a set that then misses the target
    exactly (float noise, or a cap the gains do not show) is excluded and the solver asked
    again. After too many misses, a safe margin above the need replaces the exclusions."""
    for n in option:  # a necessary check first: no solver call for the hopeless
        best: dict[str, Fraction] = {}
        for c, g in zip(ctx.cands, ctx.measures, strict=True):
            best[c.node] = max(best.get(c.node, ZF), g.get(n.measure, ZF))
        if _sum(best.values()) < n.at_least - _SLACK * max(Fraction(1), abs(n.at_least)):
            return None
    cuts: list[frozenset[int]] = []
    for margin in (-_SLACK, _SLACK):
        while len(cuts) <= _MAX_CUTS:
            chosen = _solve(ctx, option, float(margin), cuts)
            if chosen is None:
                break
            if _reaches(ctx, target, _outcome(ctx, chosen)) and _reaches(
                ctx, target, _confirmed(ctx, chosen)
            ):
                return _prune(ctx, chosen, target)
            cuts.append(frozenset(chosen))
        cuts = []
    return None


def _prune(ctx: _Context, chosen: list[int], target: Target) -> list[int]:
    """Drop the free changes the solver was at liberty to add but the target does not need."""
    for i in [i for i in chosen if ctx.costs[i] == 0]:
        rest = [j for j in chosen if j != i]
        if _reaches(ctx, target, _confirmed(ctx, rest)):
            chosen = rest
    return chosen


# ---------------------------------------------------------------- the plan


def plan(
    index: Index,
    result: CampaignResult,
    unit_id: str,
    target: Target,
    costs: Costs,
    *,
    options: Sequence[Candidate] | None = None,
    rescore: bool = True,
) -> Plan:
    """The cheapest set of changes (one per node at most) that makes ``unit_id`` reach ``target``.

    ``options`` replaces ``gaps.candidates`` (a caller that filtered them, or tests);
    ``rescore=False`` trusts the candidates' gains instead of re-scoring the unit with the
    chosen changes (for candidates whose changes are not real inputs)."""
    if unit_id in result.errors and result.unit(unit_id) is None:
        raise SubmissionError(
            f"unit {unit_id!r} could not be scored, so it cannot be planned",
            vi=f"đơn vị {unit_id!r} không chấm được điểm nên không lập được kế hoạch",
        )
    me = scored_unit(result, unit_id)
    if me.max_points == 0:
        raise SubmissionError(
            f"nothing in the index applies to unit {unit_id!r}; it has no index",
            vi=f"không tiêu chí nào áp dụng cho đơn vị {unit_id!r}; đơn vị không có chỉ số",
        )
    found = candidates(index, result, unit_id) if options is None else options
    cands = [c for c in found if c.gain > 0]
    priced = [costs.cost(c) for c in cands]
    for c, k in zip(cands, priced, strict=True):
        if k < 0:
            raise SubmissionError(
                f"a change of {c.node} costs {fmt(k)}; costs must be >= 0",
                vi=f"chi phí thay đổi mục {c.node} là {fmt(k)}; chi phí phải từ 0 trở lên",
            )
    measures = [_measures(index, me, c) for c in cands]
    ctx = _Context(index, result, me, cands, priced, measures, rescore)
    goal, alternatives = needs(index, result, me, target)
    assert me.classification is not None
    before = Standing(ZERO, me.index, me.classification, me.rank)
    best: dict[str, int] = {}
    for i, c in enumerate(cands):
        if c.node not in best or c.gain > cands[best[c.node]].gain:
            best[c.node] = i
    ceiling = _confirmed(ctx, list(best.values()))
    places = index.meta.rounding.places

    def shown(o: Standing, lang: str) -> str:
        x, c = figure(o.index, lang, places), o.classification
        if lang == "vi":
            r = "" if o.rank is None else f", hạng {o.rank}"
            return f"chỉ số {x}, xếp loại {c.label_vi}{r}"
        r = "" if o.rank is None else f", rank {o.rank}"
        return f"index {x}, class {c.label_en or c.label_vi}{r}"

    def make(
        chosen: Sequence[int], option: Option, after: Standing, reachable: bool, message: Words
    ) -> Plan:
        need = max((n.at_least for n in option if n.measure == "points"), default=ZF)
        return Plan(
            me.unit_id,
            me.name,
            me.group,
            target,
            *goal,
            _ceil(max(need, ZF)),
            tuple(PlannedChange(cands[i], priced[i]) for i in chosen),
            sum((priced[i] for i in chosen), ZERO),
            before,
            after,
            ceiling,
            reachable,
            reachable and not chosen,
            *message,
        )

    if _reaches(ctx, target, before):
        met = (f"đã đạt: {shown(before, 'vi')}", f"already met: {shown(before, 'en')}")
        return make([], (), before, True, met)
    plans = []
    for n, option in enumerate(alternatives):
        chosen = _best_for(ctx, option, target)
        if chosen is not None:
            plans.append((sum((priced[i] for i in chosen), ZERO), n, chosen, option))
    if not plans:
        return make(
            [],
            alternatives[-1] if alternatives else (),
            before,
            False,
            (
                f"không thể đạt: đơn vị tăng được nhiều nhất "
                f"{figure(ceiling.gain, 'vi', places)} điểm, {shown(ceiling, 'vi')}",
                f"not reachable: the most the unit can gain is "
                f"{figure(ceiling.gain, 'en', places)} points, {shown(ceiling, 'en')}",
            ),
        )
    cost, _, chosen, option = min(plans, key=lambda f: (f[0], f[1]))
    after = _confirmed(ctx, chosen)
    n = len(chosen)
    message = (
        f"đạt được với {n} thay đổi, chi phí {figure(cost, 'vi')}: {shown(after, 'vi')}",
        f"reached with {n} change{'' if n == 1 else 's'} costing {figure(cost, 'en')}: "
        f"{shown(after, 'en')}",
    )
    return make(chosen, option, after, True, message)


def _ceil(x: Fraction) -> Decimal:
    """A Decimal no smaller than ``x`` (exact when ``x`` has a finite expansion)."""
    d = to_decimal(x)
    return d if Fraction(d) >= x else d.next_plus()
