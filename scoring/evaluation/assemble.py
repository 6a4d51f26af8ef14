"""A batch's results assembled from compact scores: nodes and trace made when first read.

``assemble`` wraps a ``compact.UnitScore`` into a ``UnitResult``; its trace is a ``LazySteps``
whose steps are built from the score's specs, in the order and with the digits of the
step-by-step scorer (leaves and nodes in plan order, each node's own bonuses and penalties
after it, then the total-scope ones, the caps and the total).
"""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal

from scoring.campaign.submission import Ready
from scoring.evaluation.compact import GroupPlan, Outcome, Spec, UnitScore, total_step
from scoring.evaluation.evaluate import (
    Appraisals,
    LazyNodes,
    _apply,
    _common,
    _evidence,
    _leaf_step,
    na_step,
    node_step,
)
from scoring.evaluation.trace import LazySteps, Step, UnitResult
from scoring.index.loader import AdjustmentItem, Index, Item
from scoring.sources.numbers import CONTEXT, ZERO, clamp, fmt


def assemble(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    s: UnitScore,
    appraised: Appraisals,
) -> UnitResult:
    """The ``UnitResult`` of a compact score: nodes and trace are made when first read."""
    nodes = LazyNodes(plan.view, plan.pos, s.vals, s.maxs or plan.full_max)

    return UnitResult(
        r.unit.id,
        r.unit.name,
        r.group,
        r.unit.ranked,
        s.points,
        s.applicable,
        s.value,
        s.content,
        s.survey,
        s.bonus,
        s.penalty,
        nodes,
        tuple(a.id for a in plan.view.areas),
        LazySteps((), functools.partial(_steps_read, index, plan, r, s, appraised)),
        warnings=s.warnings,
        index_id=index.id,
        content_hash=index.content_hash,
    )


def _steps_read(
    index: Index, plan: GroupPlan, r: Ready, s: UnitScore, appraised: Appraisals
) -> list[Step]:
    """The steps, when the trace is first read (a partial: fewer objects a unit than a
    closure, which the garbage collector would walk)."""
    with decimal.localcontext(CONTEXT):
        return _steps(index, plan, r, s, appraised)


def _steps(
    index: Index,
    plan: GroupPlan,
    r: Ready,
    s: UnitScore,
    appraised: Appraisals,
) -> list[Step]:
    """Every step of the trace, in the order ``evaluate._Scorer`` appends them."""
    out: list[Step] = []
    maxs = s.maxs or plan.full_max
    leaf_no = 0
    for i, item in enumerate(plan.items):
        if plan.children[i] is None:
            out.append(_leaf(item, r, s.leaves[leaf_no], s.special.get(leaf_no)))
            leaf_no += 1
        else:
            out.append(node_step(item, s.sums.get(i, s.vals[i]), maxs[i]))
        for spec in s.after.get(i, ()):
            if spec[0] == "adjusted":
                out.append(_adjusted(item, *spec[1:]))
            else:
                out.append(_adj_step(index, r, appraised, *spec[1:]))
    for spec in s.tail:
        if spec[0] == "cap":
            out.append(_cap_step(*spec[1:]))
        else:
            out.append(_adj_step(index, r, appraised, *spec[1:]))
    out.append(
        total_step(index, s.applicable, s.points, s.value, s.content, s.survey, s.bonus, s.penalty)
    )
    return out


def _leaf(item: Item, r: Ready, out: Outcome | None, spec: Spec | None) -> Step:
    p = r.leaves[item.id]
    if out is not None:
        return _leaf_step(item, r, p, out[0], out[1], out[2], out[2], ())  # type: ignore[arg-type]
    assert spec is not None
    if spec[0] == "leaf":
        return _leaf_step(item, r, p, *spec[1:])
    strategy, why_vi, why_en, rule, branch = spec[1:]
    common = _common(item, r.answers.get(item.id))
    return na_step(item, strategy, (why_vi, why_en), p.inputs, rule, branch, common)


def _adjusted(item: Item, mx: Decimal, new: Decimal, notes: tuple[str, ...]) -> Step:
    return Step(
        item.id,
        "adjusted",
        mx,
        new,
        f"Sau điểm thưởng/trừ: {fmt(new)}/{fmt(mx)}",
        f"After bonus/penalty: {fmt(new)}/{fmt(mx)}",
        notes=notes,
        parent=item.parent,
    )


def _cap_step(sign: int, raw: Decimal, cap: Decimal) -> Step:
    word = "bonus" if sign > 0 else "penalty"
    return Step(
        f"{word}-cap",
        word,
        cap,
        cap,
        f"Tổng điểm {'thưởng' if sign > 0 else 'trừ'} {fmt(raw)} vượt mức tối đa, tính {fmt(cap)}",
        f"Total {word} {fmt(raw)} capped at {fmt(cap)}",
        notes=(f"capped at {fmt(cap)}",),
        parent="total",
    )


def _adj_step(
    index: Index,
    r: Ready,
    appraised: Appraisals,
    k: int,
    value: Decimal,
    note: str | None,
    branch_id: str | None,
    gated: bool,
) -> Step:
    """A bonus or penalty's step (``evaluate._Scorer._adj_step``)."""
    adj = index.adjustments[k]
    word_vi, word_en = ("Điểm thưởng", "Bonus") if adj.sign > 0 else ("Điểm trừ", "Penalty")
    if branch_id is None:
        label_vi, label_en, points = "do tổ thẩm định xác định", "set by the appraisal", ZERO
    else:
        branch = next(b for b in adj.branches if b.id == branch_id)
        label_vi, label_en = branch.label_vi, branch.label_en
        points = ZERO if gated else computed(adj, r, branch_id)
    _, changes = _apply(appraised.get(adj.spec.id), points)
    notes = tuple(
        n
        for n in (note, "evidence_missing" if gated else None, "appraised" if changes else None)
        if n
    )
    prepared = r.adjustments.get(adj.spec.id)
    return Step(
        adj.spec.id,
        "bonus" if adj.sign > 0 else "penalty",
        adj.spec.max,
        value,
        f"{word_vi} {adj.spec.title_vi}: {label_vi} → {fmt(value)}",
        f"{word_en} {adj.spec.title_en}: {label_en} → {fmt(value)}",
        rule=None if branch_id is None else f"{adj.code}#{branch_id}",
        kind=adj.spec.rule.kind,
        branch=branch_id,
        inputs=None if prepared is None else dict(prepared.inputs),
        evidence=_evidence(r.adjustment_answers.get(adj.spec.id)),
        notes=notes,
        parent=adj.spec.scope,
        appraisal=changes,
    )


def computed(adj: AdjustmentItem, r: Ready, branch_id: str) -> Decimal:
    """An adjustment's points for its branch, within [0, its max]."""
    got = adj.handler.points(adj.spec.rule, branch_id, r.adjustments[adj.spec.id], adj.spec.max)
    return clamp(got or ZERO, ZERO, adj.spec.max)
