"""Where a unit loses points, the input changes that would win them back, and their cost.

``gaps`` lists every applicable leaf below its maximum and why; ``candidates`` lists every
input change that would raise a leaf the unit controls (the rule kind proposes the values to
try, ``Handler.proposals``; the rule then scores them), with how far each input moves. ``Costs``
prices a candidate for the planner (``plan``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.campaign.ready import NA
from scoring.campaign.submission import Answer
from scoring.errors import SubmissionError
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import Step
from scoring.index.engine import branch_of
from scoring.index.fields import Frozen, Num
from scoring.index.kinds import MISSING, Proposal
from scoring.index.loader import Index, Item
from scoring.simulation.whatif import EVIDENCE, scored_unit
from scoring.sources.clock import show
from scoring.sources.located import validate
from scoring.sources.numbers import ZERO
from scoring.sources.said import figure, people
from scoring.sources.yamlsrc import load_yaml_file


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
    # the changes for people, without the item: "Mức độ đạt được → Đầy đủ, đúng tiến độ"
    change_vi: str = ""
    change_en: str = ""


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
    r = scored_unit(result, unit_id)
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
        why_vi, why_en = _why(step, item, index.meta.rounding.places)
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


def _why(step: Step, item: Item, places: int) -> tuple[str, str]:
    """Why a leaf lost points, in Vietnamese and English, as people write it (the trace's
    reason with its figures at ``places`` decimals, decimal commas in Vietnamese, bands in
    words: ``scoring.sources.said``)."""
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
    vi, en = people(step.reason_vi, "vi", places), people(step.reason_en, "en", places)
    if item.handler is not None and item.handler.set_elsewhere:
        return f"{vi} (do khảo sát/hội đồng chấm)", f"{en} (set by the survey or the council)"
    return vi, en


def candidates(index: Index, result: CampaignResult, unit_id: str) -> list[Candidate]:
    """Every input change that raises an applicable leaf the unit controls."""
    r = scored_unit(result, unit_id)
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
        assert item.handler is not None and item.node.rule is not None
        current = ans.inputs() if ans is not None and ready.leaves[step.node].status != NA else {}
        proposals = list(item.handler.proposals(item.node.rule, current, item.max))
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
            label_vi = ", ".join(change_words(item, n, v, "vi") for n, v in names)
            label_en = ", ".join(change_words(item, n, v, "en") for n, v in names)
            out.append(
                Candidate(
                    step.node,
                    names,
                    pts,
                    pts - step.points,
                    sum(dist, ZERO),
                    f"{item.node.title_vi}: {label_vi}",
                    f"{step.node}: {label_en}",
                    dist,
                    label_vi,
                    label_en,
                )
            )
    return out


def change_words(item: Item, name: str, value: Any, lang: str = "vi") -> str:
    """One proposed change of a leaf's input as people read it: the input's label (the leaf's
    own words, else the rule-kind registry's), then the value, a level by its label and never
    by its code (``Mức độ đạt được → Đầy đủ, đúng tiến độ``)."""
    en = lang == "en"
    spec = item.node.input_spec(name)
    if spec is not None:
        label = (spec.label_en or spec.label_vi) if en else spec.label_vi
    elif name == EVIDENCE:
        label = "Evidence" if en else "Tài liệu kiểm chứng"
    else:
        label = name
    shown = show_value(value, lang)
    if item.handler is not None and item.node.rule is not None:
        for choice in item.handler.choices(item.node.rule, name):
            if choice.value == value:
                shown = choice.label_en if en else choice.label_vi
    return f"{label} → {shown}"


def show_value(value: Any, lang: str = "vi") -> str:
    """A proposed input value as a person reads it: a decimal comma in Vietnamese, a date
    dd/mm/yyyy, yes/no; evidence reads "thêm tài liệu" (add a document)."""
    vi = lang != "en"
    if isinstance(value, list):
        return "thêm tài liệu" if vi else "add a document"
    if isinstance(value, bool):
        return ("có" if value else "không") if vi else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return show(value)
    return figure(value, lang) if isinstance(value, Decimal | int) else str(value)


def _points(index: Index, item: Item, ans: Answer | None, changes: Proposal) -> Decimal | None:
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
    branch, gated = branch_of(item.code, index.engine.decide([key])[key])
    pts = item.handler.points(item.node.rule, branch, p, item.max)
    return None if pts is None else (ZERO if gated else pts)


# ---------------------------------------------------------------- what a change costs


class CostsFile(Frozen):
    """A costs file: a default cost per unit moved, and costs per input."""

    default: Num = Decimal(1)
    inputs: dict[str, Num] = {}


@dataclass(frozen=True)
class Costs:
    """What moving each input costs: ``LEAF.input``, ``*.input``, ``LEAF`` or ``evidence``."""

    default: Decimal = Decimal(1)
    per_input: Mapping[str, Decimal] = field(default_factory=dict)

    def weight(self, node: str, name: str) -> Decimal:
        """The cost of moving input ``name`` of ``node`` by one."""
        for key in (f"{node}.{name}", f"*.{name}", node, name):
            if key in self.per_input:
                return self.per_input[key]
        return self.default

    def cost(self, c: Candidate) -> Decimal:
        """What a candidate costs: each change's distance at its input's weight."""
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
                f"cost of {key} must be >= 0, got {value}",
                source.locate(("inputs", key)),
                vi=f"chi phí của {key} phải từ 0 trở lên, nhận {value}",
            )
    return Costs(spec.default, dict(spec.inputs))
