"""The steps of a trace: one builder per kind of step, each from plain data.

A trace lists, children before parents: each leaf (``leaf_step``, or ``na_step`` for one that
does not apply), each criterion or area (``node_step``), right after a node any bonus or
penalty of its own and the node's points after them (``adjustment_step``, ``adjusted_step``),
then the total-scope bonuses and penalties and their caps (``cap_step``), and last the total
and its rescale (``total_step``). Every step's one-line reason is written here, in Vietnamese
and English.

Scoring records what a step needs as a ``Spec`` (plain data: cheap to hold and to send back
from a worker process) and the trace is built from the specs when first read. A batch
(``results``) and an incremental re-score build their steps with the same builders from the
same outcomes and specs, so a re-scored trace is, digit for digit, a fully scored one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.campaign.ready import Ready
from scoring.campaign.submission import Answer
from scoring.evaluation.inputs import Appraisals, apply_appraisals
from scoring.evaluation.outcomes import GRANT_FULL, Outcome, adjustment_points
from scoring.evaluation.trace import Step
from scoring.index.kinds import Prepared
from scoring.index.loader import Index, Item
from scoring.sources.numbers import ZERO, fmt

# A step not built yet, as plain data; the first item says which:
#   ("leaf", branch, evidence gate, computed, final points, appraisal changes): ``leaf_step``
#   ("na", strategy, why vi, why en, rule, branch): ``na_step``
#   ("adj", position of the adjustment in the index, value, note, branch, evidence gate)
#   ("adjusted", max, points after): ``adjusted_step``    ("cap", sign, raw, cap): ``cap_step``
Spec = tuple[Any, ...]


def _common(item: Item, ans: Answer | None) -> dict[str, Any]:
    """The fields every leaf step takes from the leaf and the unit's answer."""
    rule = item.node.rule
    return {
        "evidence": () if ans is None else tuple(ans.evidence),
        "self_score": ans.self_score if ans else None,
        "kind": rule.kind if rule else None,
        "parent": item.parent,
    }


def leaf_step(
    item: Item,
    r: Ready,
    p: Prepared,
    branch_id: str,
    gated: bool,
    computed: Decimal,
    final: Decimal,
    changes: tuple[dict[str, Any], ...],
) -> Step:
    """The step of an applicable leaf: its branch, its points, any evidence gate and appraisal."""
    branch = item.branch_map[branch_id]
    mx = item.max_text
    ans, rule = r.answers.get(item.id), item.node.rule
    if gated:
        notes: tuple[str, ...] = ("evidence_missing",)
        vi = f"{branch.label_vi}, nhưng thiếu tài liệu kiểm chứng: 0/{mx} điểm"
        en = f"{branch.label_en}, but no evidence given: 0 of {mx}"
    else:
        notes = ()
        got = fmt(computed)
        vi = f"{branch.label_vi}: {got}/{mx} điểm"
        en = f"{branch.label_en}: {got} of {mx}"
    if changes:
        last = changes[-1]
        notes = (*notes, "appraised")
        to = fmt(final)
        vi += f"; thẩm định vòng {last['round']}: {to} ({last['reason']})"
        en += f"; appraisal round {last['round']}: {to} ({last['reason']})"
    return Step(
        item.id,
        "leaf",
        item.max,
        final,
        vi,
        en,
        rule=f"{item.code}#{branch_id}",
        branch=branch_id,
        inputs=p.inputs,
        notes=notes,
        appraisal=changes,
        evidence=() if ans is None else tuple(ans.evidence),  # _common, inlined: every leaf
        self_score=ans.self_score if ans else None,
        kind=rule.kind if rule else None,
        parent=item.parent,
    )


def na_step(
    item: Item,
    r: Ready,
    strategy: str,
    why_vi: str,
    why_en: str,
    rule: str | None,
    branch: str | None,
) -> Step:
    """The step of a leaf that does not apply: its full points (grant_full), or left out."""
    full = strategy == GRANT_FULL
    vi = f"Không áp dụng ({why_vi}): " + (
        f"tính đủ {fmt(item.max)} điểm" if full else "loại khỏi tử số và mẫu số"
    )
    en = f"Not applicable ({why_en}): " + (
        f"full {fmt(item.max)} points" if full else "left out of points and maximum"
    )
    return Step(
        item.id,
        "leaf",
        item.max,
        item.max if full else None,
        vi,
        en,
        rule=rule,
        branch=branch,
        inputs=dict(r.leaves[item.id].inputs) or None,
        applicability=f"not_applicable:{strategy}",
        **_common(item, r.answers.get(item.id)),
    )


def leaf_step_of(item: Item, r: Ready, out: Outcome | None, spec: Spec | None) -> Step:
    """A leaf's step from its outcome (the common path) or, off it, from its spec."""
    p = r.leaves[item.id]
    if out is not None:
        return leaf_step(item, r, p, out[0], out[1], out[2], out[2], ())  # type: ignore[arg-type]
    assert spec is not None
    if spec[0] == "leaf":
        return leaf_step(item, r, p, *spec[1:])
    return na_step(item, r, *spec[1:])


def node_step(item: Item, pts: Decimal, mx: Decimal) -> Step:
    """The step of an area or criterion: the sum of its children (or not applicable)."""
    level = "area" if item.parent is None else "node"
    vi, en = node_reasons(pts, mx)
    if mx == 0:
        return Step(
            item.id, level, ZERO, None, vi, en, applicability="not_applicable", parent=item.parent
        )
    return Step(item.id, level, mx, pts, vi, en, parent=item.parent)


NOT_APPLICABLE_NODE = ("Không áp dụng (toàn bộ tiêu chí con)", "Not applicable (every sub-item)")


def node_reasons(pts: Decimal, mx: Decimal) -> tuple[str, str]:
    """An area's or criterion's reason in Vietnamese and English (``node_step``'s)."""
    if mx == 0:
        return NOT_APPLICABLE_NODE
    of = f"{fmt(pts)}/{fmt(mx)}"
    return f"Tổng các tiêu chí con: {of}", f"Sum of the sub-items: {of}"


def adjusted_step(item: Item, mx: Decimal, new: Decimal, notes: tuple[str, ...]) -> Step:
    """A node's points after its own bonuses and penalties, kept within [0, its max]."""
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


def cap_step(sign: int, raw: Decimal, cap: Decimal) -> Step:
    """The total bonus (sign 1) or penalty (sign -1) held at the index's cap."""
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


def adjustment_step(
    index: Index,
    r: Ready,
    appraised: Appraisals,
    k: int,
    value: Decimal,
    note: str | None,
    branch_id: str | None,
    gated: bool,
) -> Step:
    """A bonus or penalty's step: the branch its inputs matched (or the appraiser's points)."""
    adj = index.adjustments[k]
    word_vi, word_en = ("Điểm thưởng", "Bonus") if adj.sign > 0 else ("Điểm trừ", "Penalty")
    if branch_id is None:
        label_vi, label_en, points = "do tổ thẩm định xác định", "set by the appraisal", ZERO
    else:
        branch = next(b for b in adj.branches if b.id == branch_id)
        label_vi, label_en = branch.label_vi, branch.label_en
        points = ZERO if gated else adjustment_points(adj, r, branch_id)
    _, changes = apply_appraisals(appraised.get(adj.spec.id), points)
    notes = tuple(
        n
        for n in (note, "evidence_missing" if gated else None, "appraised" if changes else None)
        if n
    )
    prepared = r.adjustments.get(adj.spec.id)
    ans = r.adjustment_answers.get(adj.spec.id)
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
        evidence=() if ans is None else tuple(ans.evidence),
        notes=notes,
        parent=adj.spec.scope,
        appraisal=changes,
    )


def total_step(
    index: Index,
    applicable: Decimal,
    points: Decimal,
    value: Decimal,
    content: Decimal,
    survey: Decimal,
    bonus: Decimal,
    penalty: Decimal,
) -> Step:
    """The last step of every trace: the total and its rescale."""
    scale = index.meta.scale
    return Step(
        "total",
        "total",
        applicable,
        points,
        f"Tổng {fmt(points)}/{fmt(applicable)} điểm áp dụng (nội dung {fmt(content)}, "
        f"khảo sát {fmt(survey)}, thưởng {fmt(bonus)}, trừ {fmt(penalty)}); quy đổi "
        f"{fmt(scale)}: {fmt(value)}",
        f"Total {fmt(points)} of an applicable {fmt(applicable)} (content {fmt(content)}, "
        f"survey {fmt(survey)}, bonus {fmt(bonus)}, penalty {fmt(penalty)}); rescaled to "
        f"{fmt(scale)}: {fmt(value)}",
        notes=() if applicable == scale else (f"rescaled: × {fmt(scale)} / {fmt(applicable)}",),
    )
