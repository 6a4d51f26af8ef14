"""What-if for a unit: change some answers, see points, index, class and rank move.

``simulate`` applies changes (``NODE=VALUE`` or ``NODE.input=VALUE``) to one unit's answers,
re-scores only what they affect (``incremental.rescore``, falling back to a full re-score of
the unit), and ranks it again against the others as they stand. ``gaps`` lists where a unit
loses points and why; ``candidates`` lists every input change that would raise a leaf, with
how far each input moves, for the planner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.campaign.submission import NA, Answer, Submission, prepare
from scoring.errors import Location, SubmissionError, suggest, unknown_id
from scoring.evaluation.evaluate import _branch_of, score_units
from scoring.evaluation.incremental import rescore
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import ClassLabel, Step, UnitResult
from scoring.index.kinds import MISSING
from scoring.index.loader import Index, Item
from scoring.index.model import Frozen, Num
from scoring.sources.located import validate
from scoring.sources.numbers import ZERO, clamp, fmt, quantize
from scoring.sources.yamlsrc import load_yaml, load_yaml_file

EVIDENCE = "evidence"


@dataclass(frozen=True)
class Change:
    """One edit of a unit's answers: an input of a leaf (or of a bonus/penalty)."""

    node: str
    field: str
    value: Any

    def __str__(self) -> str:
        return f"{self.node}.{self.field}={self.value}"


def parse_change(index: Index, result: CampaignResult, unit_id: str, text: str) -> Change:
    """``NODE=VALUE`` or ``NODE.input=VALUE`` (VALUE read as YAML: 12, 0.5, true, 2018-01-31)."""
    target, sep, raw = text.partition("=")
    if not sep or not target.strip():
        raise SubmissionError(f"--set {text!r}: expected NODE=VALUE or NODE.input=VALUE")
    r = _unit(result, unit_id)
    view = index.groups[r.group]
    adjustments = {a.spec.id: a for a in index.adjustments if r.group in a.groups}
    node, field_name = target.strip(), ""
    if node not in view.leaves and node not in adjustments and "." in node:
        head, _, tail = node.rpartition(".")
        if head in view.leaves or head in adjustments:
            node, field_name = head, tail
    if node in view.leaves:
        rule = view.leaves[node].node.rule
    elif node in adjustments:
        rule = adjustments[node].spec.rule
    else:
        raise SubmissionError(
            f"no item {node!r} in group {r.group!r}",
            suggestion=suggest(node, [*view.leaves, *adjustments]),
        )
    assert rule is not None
    inputs = [*_handler_inputs(rule), "na", EVIDENCE]
    if not field_name:
        own = _handler_inputs(rule)
        if len(own) != 1:
            raise SubmissionError(
                f"{node} reads {', '.join(own)}: name one, e.g. {node}.{own[0]}={raw.strip()}"
            )
        field_name = own[0]
    if field_name not in inputs:
        raise SubmissionError(
            f"{node} has no input {field_name!r}; it reads {', '.join(inputs)}",
            suggestion=suggest(field_name, inputs),
        )
    data, _ = load_yaml(f"v: {raw.strip()}", "--set")
    value = data["v"] if isinstance(data, dict) else None
    if field_name != EVIDENCE and isinstance(value, str) and _not_finite(value):
        raise SubmissionError(
            f"{text!r}: {value!r} is not a number parindex accepts (write a finite number)",
            Location("--set"),
        )
    if field_name == EVIDENCE and value is not None and not isinstance(value, list):
        value = [{"doc": str(value)}]
    return Change(node, field_name, value)


def _not_finite(text: str) -> bool:
    """Whether ``text`` reads as NaN, sNaN or Infinity (YAML leaves them text: a number field
    would refuse them, but located in the unit's file rather than at --set)."""
    try:
        return not Decimal(text.strip()).is_finite()
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        return False


def _handler_inputs(rule: Any) -> list[str]:
    from scoring.index.kinds import handler

    return [k for k in handler(rule).inputs if k != "reason"]


def _unit(result: CampaignResult, unit_id: str) -> UnitResult:
    r = result.unit(unit_id)
    if r is None:
        every = [u.unit_id for g in result.groups.values() for u in g]
        raise unknown_id("no scored unit", unit_id, every, f"in {result.campaign_id}")
    return r


def apply(
    sub: Submission, changes: Iterable[Change], adjustment_ids: Iterable[str] = ()
) -> Submission:
    """A copy of ``sub`` with the changes made (each answer re-validated)."""
    answers, adjustments = dict(sub.answers), dict(sub.adjustments)
    bonus_or_penalty = set(adjustment_ids)
    for ch in changes:
        book = adjustments if ch.node in bonus_or_penalty else answers
        old = book.get(ch.node)
        data = old.model_dump(exclude_unset=True) if old is not None else {}
        data[ch.field] = ch.value
        try:
            book[ch.node] = Answer.model_validate(data)
        except Exception as exc:  # pydantic's ValidationError: report it as a bad value
            raise SubmissionError(f"{ch}: {str(exc).splitlines()[-1].strip()}") from None
    return dataclasses.replace(sub, answers=answers, adjustments=adjustments)


@dataclass(frozen=True)
class WhatIf:
    """A unit before and after some changes, and its place in its group."""

    unit_id: str
    changes: tuple[Change, ...]
    before: UnitResult
    after: UnitResult
    rank_before: int | None
    rank_after: int | None
    class_before: ClassLabel | None
    class_after: ClassLabel | None
    moved: tuple[tuple[Step, Step], ...]  # (before, after) of every leaf whose points moved
    incremental: bool


def simulate(
    index: Index,
    result: CampaignResult,
    unit_id: str,
    changes: Sequence[Change],
    incremental: bool = True,
) -> WhatIf:
    """Re-score one unit with changed answers and rank it against the others as they are."""
    before = _unit(result, unit_id)
    sub = result.submissions.get(unit_id)
    if sub is None:
        raise SubmissionError(f"unit {unit_id} has no answers to change")
    ready = prepare(index, apply(sub, changes, (a.spec.id for a in index.adjustments)))
    appraised = result.appraisals.get(unit_id, {})
    leaves = {c.node for c in changes}
    after = None
    if incremental and leaves <= set(index.groups[before.group].leaves):
        after = rescore(index, ready, before, leaves, appraised)
    used_incremental = after is not None
    if after is None:
        after = score_units(index, [ready], {unit_id: appraised})[0]
    group = [after if r.unit_id == unit_id else r for r in result.groups[before.group]]
    ranked = next(r for r in rank(group, index) if r.unit_id == unit_id)
    old = {s.node: s for s in before.trace if s.level == "leaf"}
    moved = tuple(
        (old[s.node], s)
        for s in ranked.trace
        if s.level == "leaf" and s.node in old and old[s.node].points != s.points
    )
    return WhatIf(
        unit_id,
        tuple(changes),
        before,
        ranked,
        before.rank,
        ranked.rank,
        before.classification,
        ranked.classification,
        moved,
        used_incremental,
    )


# ---------------------------------------------------------------- gaps and candidates


@dataclass(frozen=True)
class Candidate:
    """One way to raise a leaf: the inputs to change and what the leaf then scores."""

    node: str
    changes: tuple[tuple[str, Any], ...]
    points: Decimal
    gain: Decimal
    distance: Decimal
    label_vi: str
    label_en: str
    distances: tuple[Decimal, ...] = ()  # per change, aligned with ``changes``


@dataclass(frozen=True)
class Gap:
    """Where a unit loses points on one leaf, why, and what would recover them."""

    node: str
    title_vi: str
    points: Decimal
    max: Decimal
    lost: Decimal
    why_vi: str
    why_en: str
    controllable: bool
    next: Candidate | None = None
    full: Candidate | None = None

    @property
    def recoverable(self) -> Decimal:
        """The most points an input change can bring back on this leaf."""
        best = self.full or self.next
        return best.gain if best is not None else ZERO


def gaps(index: Index, result: CampaignResult, unit_id: str) -> list[Gap]:
    """Every applicable leaf below its maximum, most recoverable first."""
    r = _unit(result, unit_id)
    view = index.groups[r.group]
    by_node: dict[str, list[Candidate]] = {}
    for c in candidates(index, result, unit_id):
        by_node.setdefault(c.node, []).append(c)
    out = []
    for step in r.trace:
        if step.level != "leaf" or step.points is None or step.points >= step.max:
            continue
        item = view.leaves[step.node]
        options = sorted(by_node.get(step.node, []), key=lambda c: (c.points, c.distance))
        better = [c for c in options if c.gain > 0]
        nxt = better[0] if better else None
        full = next(
            (c for c in sorted(better, key=lambda c: c.distance) if c.points == step.max), None
        )
        why_vi, why_en = _why(step, item)
        out.append(
            Gap(
                step.node,
                item.node.title_vi,
                step.points,
                step.max,
                step.max - step.points,
                why_vi,
                why_en,
                bool(better),
                nxt,
                full,
            )
        )
    return sorted(out, key=lambda g: (-g.recoverable, -g.lost, g.node))


def _why(step: Step, item: Item) -> tuple[str, str]:
    if step.appraisal:
        last = step.appraisal[-1]
        return (
            f"Thẩm định vòng {last['round']}: {last['reason']}",
            f"Appraisal round {last['round']}: {last['reason']}",
        )
    if "evidence_missing" in step.notes:
        return "Thiếu tài liệu kiểm chứng", "No evidence given"
    if step.branch == MISSING:
        return "Chưa khai", "No answer given"
    kind = item.node.rule.kind if item.node.rule else ""
    if kind in ("survey_weighted", "external_value", "council_judgment"):
        return (
            f"{step.reason_vi} (do khảo sát/hội đồng chấm)",
            f"{step.reason_en} (set by the survey or the council)",
        )
    return step.reason_vi, step.reason_en


def candidates(index: Index, result: CampaignResult, unit_id: str) -> list[Candidate]:
    """Every input change that raises an applicable leaf the unit controls."""
    r = _unit(result, unit_id)
    ready = result.ready.get(unit_id)
    if ready is None:
        return []
    view = index.groups[r.group]
    appraised = result.appraisals.get(unit_id, {})
    out: list[Candidate] = []
    for step in r.trace:
        if step.level != "leaf" or step.points is None or step.points >= step.max:
            continue
        item = view.leaves[step.node]
        if step.node in appraised or item.node.assessed_by != "self":
            continue  # the appraisers', the survey's or the council's word is final
        ans = ready.answers.get(step.node)
        needs_evidence = item.gated and (ans is None or not ans.evidence)
        proposals = list(_proposals(item, ans, ready.leaves[step.node].status))
        if needs_evidence and ans is not None:
            proposals.append([])  # the evidence alone
        for proposal in proposals:
            changes = list(proposal)
            if needs_evidence:
                changes.append((EVIDENCE, Decimal(1), [{"doc": "bổ sung"}]))
            pts = _points(index, item, ans, changes)
            if pts is None or pts <= step.points:
                continue
            names = tuple((name, value) for name, _, value in changes)
            dist = tuple(d for _, d, _ in changes)
            label = ", ".join(f"{n} → {show_value(v)}" for n, v in names)
            out.append(
                Candidate(
                    step.node,
                    names,
                    pts,
                    pts - step.points,
                    sum(dist, ZERO),
                    f"{item.node.title_vi}: {label}",
                    f"{step.node}: {label}",
                    dist,
                )
            )
    return out


def show_value(value: Any) -> str:
    """An input value as a what-if label shows it (evidence added, an exact decimal, text)."""
    if isinstance(value, list):
        return "thêm tài liệu"
    return fmt(value) if isinstance(value, Decimal) else str(value)


Proposal = list[tuple[str, Decimal, Any]]  # (input, distance, new value)


def _proposals(item: Item, ans: Answer | None, status: str) -> Iterable[Proposal]:
    """Input values worth trying for one leaf (the rule decides what they are worth)."""
    rule: Any = item.node.rule  # one of the rule records; each branch below knows which
    cur = ans.inputs() if ans is not None and status != NA else {}
    k = rule.kind
    one = Decimal(1)
    if k == "boolean":
        yield [("value", one, True)]
    elif k == "deadline":
        done, due = cur.get("done_on"), rule.due
        days = Decimal((done - due).days) if isinstance(done, dt.date) else one
        yield [("done_on", max(days, one), due)]
        if not isinstance(rule.late, Decimal):
            for band in rule.late:
                if band.max_days is not None and (
                    done is None or (done - due).days > band.max_days
                ):
                    new = due + dt.timedelta(days=band.max_days)
                    gap = Decimal((done - new).days) if isinstance(done, dt.date) else one
                    yield [("done_on", max(gap, one), new)]
    elif k in ("ratio_bands", "proportional") and cur.get("denominator"):
        num, den = int(cur.get("numerator", 0)), int(cur["denominator"])
        for n in sorted({_needed(x, den) for x in _thresholds(rule)} | {den}):
            if num < n <= den:
                yield [("numerator", Decimal(n - num), n)]
    elif k == "value_bands" and "value" in cur:
        v = Decimal(cur["value"])
        for target in _band_targets(rule, v):
            yield [("value", abs(target - v), target)]
    elif k == "count_points":
        n = int(cur.get("count", 0))
        cap = rule.cap if rule.cap is not None else item.max
        for c in range(n + 1, n + 1 + max(0, math.ceil(cap / rule.per_item) - n)):
            yield [("count", Decimal(c - n), c)]
    elif k == "count_deduction":
        n = int(cur.get("count", 0))
        for c in range(n - 1, -1, -1):
            yield [("count", Decimal(n - c), c)]
    elif k == "ordinal_levels":
        keys = list(rule.levels)
        at = keys.index(cur["level"]) if cur.get("level") in keys else len(keys)
        for i, key in enumerate(keys):
            yield [("level", Decimal(abs(i - at)) or one, key)]
    elif k == "compare_to_limit" and "limit" in cur:
        actual, limit = Decimal(cur.get("actual", 0)), Decimal(cur["limit"])
        for new in (limit - 1, limit):
            if new >= 0 and new < actual:
                yield [("actual", actual - new, new)]


def _thresholds(rule: Any) -> list[Decimal]:
    if rule.kind == "proportional":
        return [rule.threshold, rule.target]
    from scoring.index.kinds.base import interval

    return [interval(b, ZERO, Decimal(100))[0] for b in rule.bands]


def _needed(rate: Decimal, den: int) -> int:
    """The least numerator whose rate reaches ``rate`` percent (bands start inclusive)."""
    return math.ceil(rate * den / 100)


def _band_targets(rule: Any, v: Decimal) -> list[Decimal]:
    from scoring.index.kinds.base import interval

    step = Decimal(1) if v == v.to_integral_value() else Decimal("0.001")
    out = []
    for b in rule.bands:
        lo, lo_incl, hi, hi_incl = interval(b, *rule.range)
        if v < lo:
            out.append(lo if lo_incl else lo + step)
        elif v > hi:
            out.append(hi if hi_incl else hi - step)
    return out


def _points(
    index: Index, item: Item, ans: Answer | None, changes: list[tuple[str, Decimal, Any]]
) -> Decimal | None:
    """What the leaf would score with the changes (None: not applicable or invalid)."""
    data = ans.model_dump(exclude_unset=True) if ans is not None else {}
    data.pop("na", None)
    for name, _, value in changes:
        data[name] = value
    try:
        new = Answer.model_validate(data)
        assert item.handler is not None and item.node.rule is not None
        p = item.handler.prepare(item.node.rule, new.inputs())
    except Exception:  # a proposal the rule rejects is simply not a candidate
        return None
    gate = (1 if new.evidence else 0) if item.gated else None
    key = ("in", item.code, p.status, p.encoded, gate)
    branch, gated = _branch_of(item.code, index.engine.decide([key])[key])
    pts = item.handler.points(item.node.rule, branch, p, item.max)
    return None if pts is None else (ZERO if gated else pts)


def index_after(index: Index, result: CampaignResult, unit_id: str, gain: Decimal) -> Decimal:
    """The unit's index if its points rose by ``gain`` (same applicable maximum)."""
    r = _unit(result, unit_id)
    if r.max_points == 0:
        return ZERO
    points = max(ZERO, r.points + gain)
    return clamp(points * index.meta.scale / r.max_points, ZERO, index.meta.scale)


# ---------------------------------------------------------------- costs and scenarios


class CostsFile(Frozen):
    default: Num = Decimal(1)
    inputs: dict[str, Num] = {}


@dataclass(frozen=True)
class Costs:
    """What moving each input costs: ``LEAF.input``, ``*.input``, ``LEAF`` or ``evidence``."""

    default: Decimal = Decimal(1)
    per_input: Mapping[str, Decimal] = field(default_factory=dict)

    def weight(self, node: str, name: str) -> Decimal:
        for key in (f"{node}.{name}", f"*.{name}", node, name):
            if key in self.per_input:
                return self.per_input[key]
        return self.default

    def cost(self, c: Candidate) -> Decimal:
        distances = c.distances or (c.distance,) * len(c.changes)
        return sum(
            (
                d * self.weight(c.node, name)
                for (name, _), d in zip(c.changes, distances, strict=False)
            ),
            ZERO,
        )


def load_costs(path: Path) -> Costs:
    """A costs file: ``default: 1`` and ``inputs: {"3.4.1.numerator": 0.05, evidence: 2}``."""
    data, source = load_yaml_file(path)
    spec: CostsFile = validate(CostsFile, data or {}, source, SubmissionError)
    for key, value in spec.inputs.items():
        if value < 0:
            raise SubmissionError(
                f"cost of {key} must be >= 0, got {value}", source.locate(("inputs", key))
            )
    return Costs(spec.default, dict(spec.inputs))


class ScenarioFile(Frozen):
    unit: str
    scenarios: dict[str, list[str]]


def save_scenario(path: Path, unit_id: str, name: str, changes: Sequence[Change]) -> None:
    """Add (or replace) a named scenario of a unit in a YAML file."""
    from scoring.sources.files import write_text
    from scoring.sources.yamlsrc import dump_yaml, exists

    scenarios: dict[str, list[str]] = {}
    if exists(path):
        spec = _read_scenarios(path)
        if spec.unit != unit_id:
            raise SubmissionError(
                f"{path} holds scenarios of {spec.unit}, not {unit_id}", Location(str(path))
            )
        scenarios = dict(spec.scenarios)
    scenarios[name] = [str(c) for c in changes]
    write_text(path, dump_yaml({"unit": unit_id, "scenarios": scenarios}))


def _read_scenarios(path: Path) -> ScenarioFile:
    data, source = load_yaml_file(path)
    return validate(ScenarioFile, data or {}, source, SubmissionError)  # type: ignore[no-any-return]


def load_scenario(path: Path, name: str) -> tuple[str, list[str]]:
    """(unit id, the ``--set`` texts) of a named scenario."""
    spec = _read_scenarios(path)
    if name not in spec.scenarios:
        raise SubmissionError(
            f"no scenario {name!r} in {path}", suggestion=suggest(name, spec.scenarios)
        )
    return spec.unit, spec.scenarios[name]


def summary(w: WhatIf, places: int) -> dict[str, Any]:
    """The what-if as plain data (published precision)."""

    def q(x: Decimal) -> str:
        return fmt(quantize(x, places))

    return {
        "unit_id": w.unit_id,
        "changes": [str(c) for c in w.changes],
        "points": [q(w.before.points), q(w.after.points)],
        "index": [q(w.before.index), q(w.after.index)],
        "rank": [w.rank_before, w.rank_after],
        "class": [
            w.class_before.label_vi if w.class_before else None,
            w.class_after.label_vi if w.class_after else None,
        ],
        "moved": [
            {
                "node": a.node,
                "from": fmt(a.points or ZERO),
                "to": fmt(b.points or ZERO),
                "reason_vi": b.reason_vi,
                "reason_en": b.reason_en,
            }
            for a, b in w.moved
        ],
        "incremental": w.incremental,
    }
