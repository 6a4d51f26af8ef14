"""Score prepared units: the engine decides each leaf's branch, Decimal arithmetic does the rest.

``score_units`` sends every applicable leaf of every unit to the rule engine in one batch (the
engine decides each distinct fact once), then aggregates per unit, bottom-up: leaf points,
evidence gate, not-applicable handling, node sums with node-scope bonuses and penalties,
blocks, total-scope bonus and penalty caps, and the rescale to the index's scale.
"""

from __future__ import annotations

import decimal
import functools
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import EngineError
from .kinds import MISSING, Prepared
from .loader import AdjustmentItem, GroupView, Index, Item
from .numbers import CONTEXT, ZERO, clamp, fmt, to_decimal
from .submission import NA, Answer, EvidenceRef, Ready
from .trace import LazySteps, NodeScore, Step, UnitResult

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


def _evidence_flag(required: bool, ans: Answer | None) -> int | None:
    if not required:
        return None
    return 1 if ans is not None and ans.evidence else 0


def _fact(code: str, p: Prepared, gate: int | None) -> FactKey:
    return ("in", code, p.status, p.encoded, gate)


def _leaf_keys(view: GroupView, ready: Ready) -> dict[str, FactKey]:
    """The engine fact of every applicable leaf of one unit (N/A leaves have none)."""
    tags = set(ready.unit.tags)
    answers, leaves = ready.answers, ready.leaves
    keys: dict[str, FactKey] = {}
    for lid, item in view.leaves.items():
        p = leaves[lid]
        if p.status == NA or (tags and not tags.isdisjoint(item.exemptions)):
            continue
        gate = _evidence_flag(item.gated and p.status != MISSING, answers.get(lid))
        keys[lid] = ("in", item.code, p.status, p.encoded, gate)
    return keys


def _adj_key(adj: AdjustmentItem, ready: Ready) -> FactKey:
    ev = adj.spec.evidence
    gate = _evidence_flag(bool(ev and ev.required), ready.adjustment_answers.get(adj.spec.id))
    return _fact(adj.code, ready.adjustments[adj.spec.id], gate)


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
) -> list[UnitResult]:
    """Score many units; the engine sees each distinct fact once.

    ``appraisals`` maps a unit id to its appraisal changes per node: a changed leaf or
    bonus/penalty takes the last change's points, and its trace step lists every change.
    """
    units = list(units)
    appraisals = appraisals or {}
    per_unit = [_leaf_keys(index.groups[r.group], r) for r in units]
    keys: list[FactKey] = [k for unit_keys in per_unit for k in unit_keys.values()]
    for r in units:
        keys.extend(_adj_key(a, r) for a in _claimed(index, r) if a.spec.id in r.adjustments)
    fired = index.engine.decide(keys)
    with decimal.localcontext(CONTEXT):  # every sum and product under the one declared context
        return [
            _Scorer(index, r, fired, k, appraisals.get(r.unit.id, {})).result()
            for r, k in zip(units, per_unit, strict=True)
        ]


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


_PLANS: weakref.WeakKeyDictionary[GroupView, list[tuple[Item, tuple[str, ...] | None]]] = (
    weakref.WeakKeyDictionary()
)


def _plan(view: GroupView) -> list[tuple[Item, tuple[str, ...] | None]]:
    """A group's nodes in evaluation order (children first), each with its children's ids
    (None for a leaf); computed once per group."""
    plan = _PLANS.get(view)
    if plan is None:
        plan = []

        def visit(item: Item) -> None:
            for child in item.children:
                visit(child)
            plan.append((item, None if item.is_leaf else tuple(c.id for c in item.children)))

        for area in view.areas:
            visit(area)
        _PLANS[view] = plan
    return plan


class LazyNodes(Mapping[str, NodeScore]):
    """Every node's points and applicable maximum, as NodeScore records made on demand."""

    def __init__(
        self,
        view: GroupView,
        points: dict[str, Decimal],
        maxima: dict[str, Decimal],
        derive: bool = False,
    ) -> None:
        self._view, self._points, self._maxima = view, points, maxima
        self._made: dict[str, NodeScore] = {}
        if derive:  # only leaves given: every other node is the sum of its children
            with decimal.localcontext(CONTEXT):
                for item, children in _plan(view):
                    if children is not None:
                        points[item.id] = sum([points[c] for c in children], ZERO)
                        maxima[item.id] = sum([maxima[c] for c in children], ZERO)

    def __getitem__(self, key: str) -> NodeScore:
        made = self._made.get(key)
        if made is None:
            if key not in self._points:
                raise KeyError(key)
            item = self._view.items[key]
            made = NodeScore(
                key,
                item.node.title_vi,
                item.node.title_en,
                self._points[key],
                self._maxima[key],
                item.max,
                item.parent,
            )
            self._made[key] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def __contains__(self, key: object) -> bool:
        return key in self._points


_LEAF_PLANS: weakref.WeakKeyDictionary[GroupView, list[Item]] = weakref.WeakKeyDictionary()


def _leaf_plan(view: GroupView) -> list[Item]:
    """A group's leaves in evaluation order."""
    plan = _LEAF_PLANS.get(view)
    if plan is None:
        plan = [item for item, children in _plan(view) if children is None]
        _LEAF_PLANS[view] = plan
    return plan


def _outcome(
    index: Index, item: Item, key: FactKey, p: Prepared, fired: Mapping[FactKey, tuple[str, ...]]
) -> tuple[str, bool, Decimal | None]:
    """(branch, evidence gate, points) of a leaf's fact; the same fact and exact value always
    give the same outcome, so it is computed once per index."""
    memo = index.engine.outcomes
    value = p.value  # exact; as integers, since hashing a Fraction is slow
    mkey = (key, None) if value is None else (key, value.numerator, value.denominator)
    found: tuple[str, bool, Decimal | None] | None = memo.get(mkey)
    if found is not None:
        return found
    branch_id, gated = _branch_of(item.code, fired[key])
    if branch_id == MISSING:
        pts: Decimal | None = ZERO
    else:
        assert item.handler is not None
        pts = item.handler.points(item.node.rule, branch_id, p, item.max)
    if gated and pts is not None:
        pts = ZERO
    out = (branch_id, gated, pts)
    memo[mkey] = out
    return out


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
    mx = fmt(item.max)
    if gated:
        notes: tuple[str, ...] = ("evidence_missing",)
        vi = f"{branch.label_vi}, nhưng thiếu tài liệu kiểm chứng: 0/{mx} điểm"
        en = f"{branch.label_en}, but no evidence given: 0 of {mx}"
    else:
        notes = ()
        vi = f"{branch.label_vi}: {fmt(computed)}/{mx} điểm"
        en = f"{branch.label_en}: {fmt(computed)} of {mx}"
    if changes:
        last = changes[-1]
        notes = (*notes, "appraised")
        vi += f"; thẩm định vòng {last['round']}: {fmt(final)} ({last['reason']})"
        en += f"; appraisal round {last['round']}: {fmt(final)} ({last['reason']})"
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
        **_common(item, r.answers.get(item.id)),
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
    return Step(
        item.id,
        level,
        mx,
        pts,
        f"Tổng các tiêu chí con: {fmt(pts)}/{fmt(mx)}",
        f"Sum of the sub-items: {fmt(pts)}/{fmt(mx)}",
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
    prefix: Callable[[], Iterable[Step]] | None = None,
) -> UnitResult:
    """The unit's total, rescaled index and total step, from its blocks and adjustments."""
    meta = index.meta
    points = max(ZERO, content + survey + bonus - penalty)
    value = ZERO
    if applicable > 0:
        value = clamp(
            to_decimal(Fraction(points) * Fraction(meta.scale) / Fraction(applicable)),
            ZERO,
            meta.scale,
        )
    steps.append(
        Step(
            "total",
            "total",
            applicable,
            points,
            f"Tổng {fmt(points)}/{fmt(applicable)} điểm áp dụng (nội dung {fmt(content)}, "
            f"khảo sát {fmt(survey)}, thưởng {fmt(bonus)}, trừ {fmt(penalty)}); quy đổi "
            f"{fmt(meta.scale)}: {fmt(value)}",
            f"Total {fmt(points)} of an applicable {fmt(applicable)} (content {fmt(content)}, "
            f"survey {fmt(survey)}, bonus {fmt(bonus)}, penalty {fmt(penalty)}); rescaled to "
            f"{fmt(meta.scale)}: {fmt(value)}",
            notes=()
            if applicable == meta.scale
            else (f"rescaled: × {fmt(meta.scale)} / {fmt(applicable)}",),
        )
    )
    warnings = r.warnings
    if applicable == 0:
        warnings = (
            *warnings,
            f"unit {r.unit.id}: nothing in the index applies to it "
            "(every part exempt or not applicable); it is not ranked",
        )
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
        LazySteps(steps, prefix),
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

    def result(self) -> UnitResult:
        r = self.ready
        view = self.index.groups[r.group]
        self.steps: list[Step | _Lazy] = []
        self.adj_by_scope: dict[str, list[tuple[AdjustmentItem, Decimal]]] = {}
        for adj in _claimed(self.index, r, self.appraised):
            self.adj_by_scope.setdefault(adj.spec.scope, []).append((adj, self._adjust(adj)))
        if self.adj_by_scope.keys() <= {"total"}:
            return self._leaves_only(view)
        points: dict[str, Decimal] = {}
        maxima: dict[str, Decimal] = {}
        scoped, steps = self.adj_by_scope, self.steps
        for item, children in _plan(view):  # children before parents, as the trace lists them
            if children is None:
                pts, mx, made = self._leaf_known(item)
                steps.append(made)
            else:
                pts = sum([points[c] for c in children], ZERO)
                mx = sum([maxima[c] for c in children], ZERO)
                steps.append(_Lazy(node_step, (item, pts, mx)))
            if item.id in scoped:
                pts = self._scoped(item, pts, mx)
            points[item.id], maxima[item.id] = pts, mx
        blocks: dict[str, Decimal] = {}
        applicable = ZERO
        for area in view.areas:
            blocks[area.block] = blocks.get(area.block, ZERO) + points[area.id]
            applicable += maxima[area.id]
        bonus, penalty = self._total_adjustments()
        content, survey = blocks.get("content", ZERO), blocks.get("survey", ZERO)
        nodes = LazyNodes(view, points, maxima)
        return finish(
            self.index, r, nodes, view, self.steps, applicable, content, survey, bonus, penalty
        )

    def _leaf_known(self, item: Item) -> tuple[Decimal, Decimal, Step | _Lazy]:
        """A leaf's points, max and (unbuilt) step; the common case, an outcome already known
        and no appraisal, stays cheap: it runs once per leaf of every unit of a nation."""
        iid = item.node.id
        key = self.leaf_keys.get(iid)
        if key is not None and iid not in self.appraised:
            p = self.ready.leaves[iid]
            v = p.value
            out = self.index.engine.outcomes.get(
                (key, None) if v is None else (key, v.numerator, v.denominator)
            )
            if out is not None and out[2] is not None:
                pts = out[2]
                step = _Lazy(_leaf_step, (item, self.ready, p, out[0], out[1], pts, pts, ()))
                return pts, item.node.max, step
        pts, mx = self._leaf(item)
        return pts, mx, self.steps.pop()

    def _leaves_only(self, view: GroupView) -> UnitResult:
        """The usual case, no bonus or penalty inside the tree: only leaves are evaluated now;
        criteria are sums computed when read, and the trace is built when read."""
        r = self.ready
        points: dict[str, Decimal] = {}
        maxima: dict[str, Decimal] = {}
        made: dict[str, Step | _Lazy] = {}
        for item in _leaf_plan(view):
            pts, mx, made[item.node.id] = self._leaf_known(item)
            points[item.node.id], maxima[item.node.id] = pts, mx
        # criteria and areas: sums of their children, in the same order as the full pass so
        # that every digit agrees (Decimal sums round at 34 digits)
        nodes = LazyNodes(view, points, maxima, derive=True)
        blocks: dict[str, Decimal] = {}
        applicable = ZERO
        for a in view.areas:
            area = nodes[a.id]
            blocks[a.block] = blocks.get(a.block, ZERO) + area.points
            applicable += area.max
        bonus, penalty = self._total_adjustments()

        def tree_steps() -> list[Step]:
            out: list[Step] = []
            for item, children in _plan(view):
                if children is None:
                    step = made[item.node.id]
                    out.append(step if isinstance(step, Step) else step())
                else:
                    n = nodes[item.node.id]
                    out.append(node_step(item, n.points, n.max))
            return out

        return finish(
            self.index,
            r,
            nodes,
            view,
            self.steps,
            applicable,
            blocks.get("content", ZERO),
            blocks.get("survey", ZERO),
            bonus,
            penalty,
            prefix=tree_steps,
        )

    # -- leaves and nodes

    def _scoped(self, item: Item, pts: Decimal, mx: Decimal) -> Decimal:
        adjs = self.adj_by_scope.get(item.id, [])
        if not adjs:
            return pts
        if mx == 0:
            for adj, _ in adjs:
                self._adj_step(adj, ZERO, "scope not applicable: skipped")
            return pts
        raw = pts + sum((a.sign * v for a, v in adjs), ZERO)
        new = clamp(raw, ZERO, mx)
        for adj, v in adjs:
            self._adj_step(adj, v)
        note = () if new == raw else (f"kept within [0, {fmt(mx)}]",)
        self.steps.append(
            Step(
                item.id,
                "adjusted",
                mx,
                new,
                f"Sau điểm thưởng/trừ: {fmt(new)}/{fmt(mx)}",
                f"After bonus/penalty: {fmt(new)}/{fmt(mx)}",
                notes=note,
                parent=item.parent,
            )
        )
        return new

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
        full = strategy == "grant_full"
        pts = item.max if full else None
        vi = f"Không áp dụng ({why_vi}): " + (
            f"tính đủ {fmt(item.max)} điểm" if full else "loại khỏi tử số và mẫu số"
        )
        en = f"Not applicable ({why_en}): " + (
            f"full {fmt(item.max)} points" if full else "left out of points and maximum"
        )
        self.steps.append(
            Step(
                item.id,
                "leaf",
                item.max,
                pts,
                vi,
                en,
                rule=rule,
                branch=branch,
                inputs=dict(p.inputs) or None,
                applicability=f"not_applicable:{strategy}",
                **common,
            )
        )
        return (item.max, item.max) if full else (ZERO, ZERO)

    # -- bonuses and penalties

    def _decided(self, adj: AdjustmentItem) -> tuple[str | None, bool]:
        """The engine's branch for a claimed adjustment (None: set by the appraiser only)."""
        if adj.spec.id not in self.ready.adjustments:
            return None, False
        return _branch_of(adj.code, self.fired[_adj_key(adj, self.ready)])

    def _adjust(self, adj: AdjustmentItem) -> Decimal:
        branch_id, gated = self._decided(adj)
        value = ZERO
        if branch_id is not None and not gated:
            got = adj.handler.points(
                adj.spec.rule, branch_id, self.ready.adjustments[adj.spec.id], adj.spec.max
            )
            value = clamp(got or ZERO, ZERO, adj.spec.max)
        return _apply(self.appraised.get(adj.spec.id), value)[0]

    def _adj_step(self, adj: AdjustmentItem, value: Decimal, note: str | None = None) -> None:
        branch_id, gated = self._decided(adj)
        word_vi, word_en = ("Điểm thưởng", "Bonus") if adj.sign > 0 else ("Điểm trừ", "Penalty")
        if branch_id is None:
            label_vi, label_en, computed = "do tổ thẩm định xác định", "set by the appraisal", ZERO
        else:
            branch = next(b for b in adj.branches if b.id == branch_id)
            label_vi, label_en = branch.label_vi, branch.label_en
            computed = (
                ZERO
                if gated
                else clamp(
                    adj.handler.points(
                        adj.spec.rule, branch_id, self.ready.adjustments[adj.spec.id], adj.spec.max
                    )
                    or ZERO,
                    ZERO,
                    adj.spec.max,
                )
            )
        _, changes = _apply(self.appraised.get(adj.spec.id), computed)
        notes = tuple(
            n
            for n in (note, "evidence_missing" if gated else None, "appraised" if changes else None)
            if n
        )
        ans = self.ready.adjustment_answers.get(adj.spec.id)
        prepared = self.ready.adjustments.get(adj.spec.id)
        self.steps.append(
            Step(
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
                evidence=_evidence(ans),
                notes=notes,
                parent=adj.spec.scope,
                appraisal=changes,
            )
        )

    def _total_adjustments(self) -> tuple[Decimal, Decimal]:
        meta = self.index.meta
        out = []
        for sign, cap in ((1, meta.bonus.max), (-1, meta.penalty.max)):
            adjs = [(a, v) for a, v in self.adj_by_scope.get("total", []) if a.sign == sign]
            for adj, v in adjs:
                self._adj_step(adj, v)
            raw = sum((v for _, v in adjs), ZERO)
            out.append(min(raw, cap))
            if raw > cap:
                word = "bonus" if sign > 0 else "penalty"
                self.steps.append(
                    Step(
                        f"{word}-cap",
                        word,
                        cap,
                        cap,
                        f"Tổng điểm {'thưởng' if sign > 0 else 'trừ'} {fmt(raw)} "
                        f"vượt mức tối đa, tính {fmt(cap)}",
                        f"Total {word} {fmt(raw)} capped at {fmt(cap)}",
                        notes=(f"capped at {fmt(cap)}",),
                        parent="total",
                    )
                )
        return out[0], out[1]
