"""Score prepared units: the engine decides each leaf's branch, Decimal arithmetic does the rest.

``score_units`` sends every applicable leaf of every unit to the rule engine in one batch (the
engine decides each distinct fact once), then aggregates per unit, bottom-up: leaf points,
evidence gate, not-applicable handling, node sums with node-scope bonuses and penalties,
blocks, total-scope bonus and penalty caps, and the rescale to the index's scale. The batch
itself runs in ``batch`` (compact per-unit scores, worker processes) and ``assemble`` (the
results, their nodes and traces built when read); this module holds what they share: the
engine facts, the outcome of a leaf, the leaf and node steps, and ``_Scorer``, which
re-scores single leaves for ``incremental``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.campaign.submission import NA, Answer, EvidenceRef, Ready
from scoring.errors import EngineError
from scoring.evaluation.compact import Outcome, OutcomeKey, empty_warning, total_step, totals
from scoring.evaluation.trace import LazySteps, NodeScore, Step, UnitResult
from scoring.index.kinds import MISSING, Prepared
from scoring.index.loader import AdjustmentItem, GroupView, Index, Item
from scoring.sources.numbers import ZERO, fmt

FactKey = tuple[Hashable, ...]


@dataclass(frozen=True)
class Appraisal:
    """One appraisal change of a leaf or a bonus/penalty: the points the appraiser set."""

    round: str  # "1", "2" or "correction"
    score: Decimal
    reason: str
    appraiser: str
    at: str  # ISO timestamp


Appraisals = Mapping[str, Sequence[Appraisal]]  # node id -> changes, oldest first


def _apply(
    history: Sequence[Appraisal] | None, computed: Decimal
) -> tuple[Decimal, tuple[dict[str, Any], ...]]:
    """The final points after the appraisal changes, and the changes as trace records."""
    if not history:
        return computed, ()
    records, before = [], computed
    for a in history:
        records.append(
            {
                "round": a.round,
                "from": before,
                "to": a.score,
                "reason": a.reason,
                "appraiser": a.appraiser,
                "at": a.at,
            }
        )
        before = a.score
    return before, tuple(records)


def _fact(code: str, p: Prepared, gate: int | None) -> FactKey:
    return ("in", code, p.status, p.encoded, gate)


def _gate(required: bool, p: Prepared) -> int | None:
    """The fact's evidence flag: 1 or 0 when the item requires evidence, else None."""
    if not required or p.status == MISSING:
        return None
    return 1 if p.evidence else 0


def _leaf_keys(view: GroupView, ready: Ready) -> dict[str, FactKey]:
    """The engine fact of every applicable leaf of one unit (N/A leaves have none)."""
    tags = set(ready.unit.tags)
    leaves = ready.leaves
    keys: dict[str, FactKey] = {}
    for lid, item in view.leaves.items():
        p = leaves[lid]
        if p.status == NA or (tags and not tags.isdisjoint(item.exemptions)):
            continue
        keys[lid] = ("in", item.code, p.status, p.encoded, _gate(item.gated, p))
    return keys


def _adj_key(adj: AdjustmentItem, ready: Ready) -> FactKey:
    ev = adj.spec.evidence
    p = ready.adjustments[adj.spec.id]
    return _fact(adj.code, p, _gate(bool(ev and ev.required), p))


def _claimed(
    index: Index, ready: Ready, appraised: Appraisals | None = None
) -> list[AdjustmentItem]:
    """The bonuses and penalties a unit claimed, or an appraiser set."""
    return [
        a
        for a in index.adjustments
        if ready.group in a.groups
        and (a.spec.id in ready.adjustments or (appraised and a.spec.id in appraised))
    ]


def score_units(
    index: Index,
    units: Iterable[Ready],
    appraisals: Mapping[str, Appraisals] | None = None,
    jobs: int = 1,
) -> list[UnitResult]:
    """Score many units; the engine sees each distinct fact once.

    ``appraisals`` maps a unit id to its appraisal changes per node: a changed leaf or
    bonus/penalty takes the last change's points, and its trace step lists every change.
    ``jobs`` > 1 scores a large batch in that many processes (see ``scoring.evaluation.batch``).
    """
    from scoring.evaluation.batch import (
        score_batch,  # here: batch imports this module (its step builders)
    )

    return score_batch(index, list(units), appraisals, jobs)


def score_unit(index: Index, ready: Ready, appraisals: Appraisals | None = None) -> UnitResult:
    """Score one unit."""
    return score_units(index, [ready], {ready.unit.id: appraisals or {}})[0]


@functools.lru_cache(maxsize=65536)
def _branch_of(code: str, rule_ids: tuple[str, ...]) -> tuple[str, bool]:
    gate = f"{code}#evidence_gate" in rule_ids
    branches = [r.split("#", 1)[1] for r in rule_ids if r != f"{code}#evidence_gate"]
    if len(branches) != 1:
        raise EngineError(f"item {code}: expected exactly one branch to hold, got {branches}")
    return branches[0], gate


def _evidence(ans: Answer | None) -> tuple[EvidenceRef, ...]:
    return () if ans is None else tuple(ans.evidence)


class LazyNodes(Mapping[str, NodeScore]):
    """Every node's points and applicable maximum, as NodeScore records made on demand.

    ``positions`` maps each node id, in trace order, to its place in ``points`` and ``maxima``
    (a group plan's, shared by every unit of the group).
    """

    def __init__(
        self,
        view: GroupView,
        positions: Mapping[str, int],
        points: Sequence[Decimal],
        maxima: Sequence[Decimal],
    ) -> None:
        self._view, self._pos, self._points, self._maxima = view, positions, points, maxima
        self._made: dict[str, NodeScore] | None = None  # made when first read

    def __getitem__(self, key: str) -> NodeScore:
        if self._made is None:
            self._made = {}
        made = self._made.get(key)
        if made is None:
            i = self._pos[key]  # KeyError for an id not in the group
            item = self._view.items[key]
            made = NodeScore(
                key,
                item.node.title_vi,
                item.node.title_en,
                self._points[i],
                self._maxima[i],
                item.max,
                item.parent,
            )
            self._made[key] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, key: object) -> bool:
        return key in self._pos


def outcome_key(code: str, p: Prepared, gate: int | None) -> OutcomeKey:
    """What a leaf's outcome depends on: its fact (item, status, engine value, evidence flag)
    and its exact value. One flat tuple, so that looking it up hashes and compares the fewest
    objects; the exact value is left out when the engine value already says it (an even
    ``encoded`` is a multiple of 1/SCALE: see ``numbers.encode``)."""
    enc = p.encoded
    if enc is None or not enc & 1:
        return (code, p.status, enc, gate)
    v = p.value
    assert v is not None
    return (code, p.status, enc, gate, v.numerator, v.denominator)


def fact_of(mkey: OutcomeKey) -> FactKey:
    """The engine fact of an outcome key (``_fact``'s shape)."""
    return ("in", *mkey[:4])


def leaf_outcome(item: Item, p: Prepared, rule_ids: tuple[str, ...]) -> Outcome:
    """(branch, evidence gate, points) of a leaf, from the rules its fact fired."""
    branch_id, gated = _branch_of(item.code, rule_ids)
    if branch_id == MISSING:
        pts: Decimal | None = ZERO
    else:
        assert item.handler is not None
        pts = item.handler.points(item.node.rule, branch_id, p, item.max)
    if gated and pts is not None:
        pts = ZERO
    return (branch_id, gated, pts)


def _outcome(
    index: Index, item: Item, key: FactKey, p: Prepared, fired: Mapping[FactKey, tuple[str, ...]]
) -> Outcome:
    """A leaf's outcome; the same fact and exact value always give the same outcome, so it is
    computed once per index (the memo the batch scorer fills too)."""
    memo = index.engine.outcomes
    mkey = outcome_key(item.code, p, key[4])  # type: ignore[arg-type]
    found: Outcome | None = memo.get(mkey)
    if found is None:
        found = memo[mkey] = leaf_outcome(item, p, fired[key])
    return found


class _Lazy:
    """A trace step not built yet: a builder and its arguments (see ``trace.LazySteps``)."""

    __slots__ = ("args", "build")

    def __init__(self, build: Callable[..., Step], args: tuple[Any, ...]) -> None:
        self.build, self.args = build, args

    def __call__(self) -> Step:
        return self.build(*self.args)


def _common(item: Item, ans: Answer | None) -> dict[str, Any]:
    rule = item.node.rule
    return {
        "evidence": _evidence(ans),
        "self_score": ans.self_score if ans else None,
        "kind": rule.kind if rule else None,
        "parent": item.parent,
    }


def na_step(
    item: Item,
    strategy: str,
    why: tuple[str, str],
    inputs: Mapping[str, Any],
    rule: str | None,
    branch: str | None,
    common: dict[str, Any],
) -> Step:
    """The step of a leaf that does not apply: its full points (grant_full), or left out."""
    full = strategy == "grant_full"
    vi = f"Không áp dụng ({why[0]}): " + (
        f"tính đủ {fmt(item.max)} điểm" if full else "loại khỏi tử số và mẫu số"
    )
    en = f"Not applicable ({why[1]}): " + (
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
        inputs=dict(inputs) or None,
        applicability=f"not_applicable:{strategy}",
        **common,
    )


def _leaf_step(
    item: Item,
    r: Ready,
    p: Prepared,
    branch_id: str,
    gated: bool,
    computed: Decimal,
    final: Decimal,
    changes: tuple[dict[str, Any], ...],
) -> Step:
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


def node_step(item: Item, pts: Decimal, mx: Decimal) -> Step:
    """The step of an area or criterion: the sum of its children (or not applicable)."""
    level = "area" if item.parent is None else "node"
    if mx == 0:
        return Step(
            item.id,
            level,
            ZERO,
            None,
            "Không áp dụng (toàn bộ tiêu chí con)",
            "Not applicable (every sub-item)",
            applicability="not_applicable",
            parent=item.parent,
        )
    of = f"{fmt(pts)}/{fmt(mx)}"
    return Step(
        item.id,
        level,
        mx,
        pts,
        f"Tổng các tiêu chí con: {of}",
        f"Sum of the sub-items: {of}",
        parent=item.parent,
    )


def finish(
    index: Index,
    r: Ready,
    nodes: Mapping[str, NodeScore],
    view: GroupView,
    steps: list[Step | _Lazy],
    applicable: Decimal,
    content: Decimal,
    survey: Decimal,
    bonus: Decimal,
    penalty: Decimal,
) -> UnitResult:
    """The unit's total, rescaled index and total step, from its blocks and adjustments."""
    points, value = totals(index, content, survey, bonus, penalty, applicable)
    steps.append(total_step(index, applicable, points, value, content, survey, bonus, penalty))
    warnings = r.warnings if applicable != 0 else (*r.warnings, empty_warning(r))
    return UnitResult(
        r.unit.id,
        r.unit.name,
        r.group,
        r.unit.ranked,
        points,
        applicable,
        value,
        content,
        survey,
        bonus,
        penalty,
        nodes,
        tuple(a.id for a in view.areas),
        LazySteps(steps),
        warnings=warnings,
        index_id=index.id,
        content_hash=index.content_hash,
    )


@dataclass
class _Scorer:
    index: Index
    ready: Ready
    fired: Mapping[FactKey, tuple[str, ...]]
    leaf_keys: Mapping[str, FactKey]
    appraised: Appraisals
    steps: list[Step | _Lazy] = field(default_factory=list)

    def _leaf(self, item: Item) -> tuple[Decimal, Decimal]:
        r = self.ready
        p = r.leaves[item.id]
        key = self.leaf_keys.get(item.id)
        if key is None:  # exempt by a tag, or answered N/A
            exempt = sorted(set(item.exemptions) & set(r.unit.tags))
            why = (
                f"đơn vị thuộc diện {', '.join(exempt)}" if exempt else "đơn vị khai không áp dụng"
            )
            why_en = f"unit tagged {', '.join(exempt)}" if exempt else "unit answered N/A"
            strategy = item.exemptions[exempt[0]] if exempt else item.na_strategy
            return self._not_applicable(item, strategy, why, why_en, self._common(item), p)
        branch_id, gated, pts = _outcome(self.index, item, key, p, self.fired)
        if pts is None:
            branch = item.branch_map[branch_id]
            return self._not_applicable(
                item,
                item.na_strategy,
                branch.label_vi,
                branch.label_en,
                self._common(item),
                p,
                rule=f"{item.code}#{branch_id}",
                branch=branch_id,
            )
        history = self.appraised.get(item.id)
        final, changes = _apply(history, pts) if history else (pts, ())
        # the step itself (reasons in two languages, evidence) is built only when read
        self.steps.append(_Lazy(_leaf_step, (item, r, p, branch_id, gated, pts, final, changes)))
        return final, item.max

    def _common(self, item: Item) -> dict[str, Any]:
        return _common(item, self.ready.answers.get(item.id))

    def _not_applicable(
        self,
        item: Item,
        strategy: str,
        why_vi: str,
        why_en: str,
        common: dict[str, Any],
        p: Prepared,
        rule: str | None = None,
        branch: str | None = None,
    ) -> tuple[Decimal, Decimal]:
        self.steps.append(na_step(item, strategy, (why_vi, why_en), p.inputs, rule, branch, common))
        return (item.max, item.max) if strategy == "grant_full" else (ZERO, ZERO)
