"""Composing a ``Report`` from stored documents: pure functions of plain JSON data, no I/O.

``compose_report`` takes what the store keeps for a run: the score document (``score_document``,
every figure a string at the published places) and each unit's trace as JSON
(``trace.to_jsonable`` of its ``UnitResult``), plus last year's score document when there is
one. Annex figures are copied from the document unchanged; the scorecard's tree takes its
points from the trace steps, rounded under the same half-up rule to the same places.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from statistics import median
from typing import Any

from scoring.campaign.register import YearJoin, same_name
from scoring.evaluation.aggregate import percent
from scoring.evaluation.trace import ClassLabel
from scoring.reports.model import (
    AnnexRow,
    AppraisalEntry,
    AreaScore,
    ClassCount,
    Explanation,
    GroupReport,
    Line,
    Meta,
    Mover,
    Report,
    Scorecard,
    YearOver,
)
from scoring.reports.years import (
    earlier_units,
    joined,
    merged_from,
    part_year_of,
    unit_changes,
)
from scoring.sources.numbers import fmt, quantize
from scoring.sources.text import vn_key

Doc = Mapping[str, Any]
Bands = Mapping[str, Sequence[tuple[ClassLabel, str]]]  # group -> (label, min), highest first
Titles = Mapping[str, tuple[str, str | None]]  # bonus/penalty id -> (title_vi, title_en)
Explained = Mapping[str, Mapping[str, Sequence[Explanation]]]  # unit -> node -> explanations
MOVERS = 5  # how many rises and falls the summary lists


def signed(x: Decimal) -> str:
    """A difference as text: ``+1.25``, ``-0.50``, ``0.00``."""
    return f"+{fmt(x)}" if x > 0 else fmt(x)


def label(data: Mapping[str, Any] | None) -> ClassLabel | None:
    """A classification as a score document holds it, as a ``ClassLabel`` (None: none)."""
    if not data:
        return None
    return ClassLabel(data["id"], data["label_vi"], data["label_en"])


def _percent(points: str, top: str) -> float | None:
    share = percent(Decimal(points), Decimal(top))
    return None if share is None else float(share)


def compose_report(
    doc: Doc,
    traces: Mapping[str, Mapping[str, Any]],
    meta: Meta,
    *,
    bands: Bands,
    titles: Titles | None = None,
    explained: Explained | None = None,
    previous: Doc | None = None,
    register: YearJoin | None = None,
) -> Report:
    """The report of a score document, its units' traces and last year's document, its units
    joined to last year's by ``register`` (``years.joined`` says how without one)."""
    join = joined(doc, previous, register)
    before = earlier_units(join, previous)
    groups: list[GroupReport] = []
    cards: dict[str, Scorecard] = {}
    for g in doc["groups"]:
        group = _group(g, bands.get(g["id"], ()), before, meta.places)
        groups.append(group)
        ranked = sum(1 for u in group.units if u.rank is not None)
        for unit in group.units:
            lines, adjustments = tree(
                traces[unit.unit_id],
                meta.places,
                titles or {},
                (explained or {}).get(unit.unit_id, {}),
            )
            cards[unit.unit_id] = Scorecard(
                unit=unit,
                group_title_vi=g["title_vi"],
                group_title_en=g["title_en"],
                ranked_in_group=ranked,
                lines=lines,
                adjustments=adjustments,
                previous=_year_over(unit, before.get(unit.unit_id), previous),
                merged_from=merged_from(join, previous, unit.unit_id),
                part_year_vi=part_year_of(join, unit.unit_id),
            )
    rises, falls = movers(doc, previous, before)
    errors = tuple((e["unit_id"], tuple(e["errors"])) for e in doc.get("errors", []))
    changes = unit_changes(join, doc, previous)
    return Report(meta, tuple(groups), cards, rises, falls, errors, changes)


def _group(
    g: Mapping[str, Any],
    bands: Sequence[tuple[ClassLabel, str]],
    before: Mapping[str, Mapping[str, Any]],
    places: int,
) -> GroupReport:
    raw = g["units"]
    ranks = Counter(u["rank"] for u in raw if u["rank"] is not None)
    columns = _area_columns(raw)
    medians: dict[str, float | None] = {}
    for aid, _, _ in columns:
        values = [
            p
            for u in raw
            for a in u["areas"]
            if a["id"] == aid and (p := _percent(a["points"], a["max"])) is not None
        ]
        medians[aid] = median(values) if values else None
    units = tuple(
        _unit(
            u,
            ranks[u["rank"]] > 1 if u["rank"] is not None else False,
            medians,
            before.get(u["unit_id"]),
        )
        for u in raw
    )
    counts = Counter(u.classification.id for u in units if u.classification)
    indices = [Decimal(u.index) for u in units]
    return GroupReport(
        id=g["id"],
        title_vi=g["title_vi"],
        title_en=g["title_en"],
        units=units,
        areas=columns,
        classes=tuple(ClassCount(lab, low, counts.get(lab.id, 0)) for lab, low in bands),
        lowest=fmt(min(indices)) if indices else None,
        median=fmt(quantize(median(indices), places)) if indices else None,
        highest=fmt(max(indices)) if indices else None,
        satisfaction=g.get("satisfaction"),
    )


def _area_columns(units: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str, str | None], ...]:
    """Every area of the group's units, each after its predecessor in some unit's list."""
    order: list[str] = []
    titles: dict[str, tuple[str, str | None]] = {}
    for u in units:
        at = -1
        for a in u["areas"]:
            if a["id"] not in titles:
                titles[a["id"]] = (a["title_vi"], a.get("title_en"))
                order.insert(at + 1, a["id"])
            at = order.index(a["id"])
    return tuple((aid, *titles[aid]) for aid in order)


def _unit(
    u: Mapping[str, Any],
    tied: bool,
    medians: Mapping[str, float | None],
    last: Mapping[str, Any] | None,
) -> AnnexRow:
    last_areas = {a["id"]: a for a in last["areas"]} if last else {}
    areas = []
    for a in u["areas"]:
        old = last_areas.get(a["id"])
        areas.append(
            AreaScore(
                id=a["id"],
                title_vi=a["title_vi"],
                title_en=a.get("title_en"),
                points=a["points"],
                max=a["max"],
                full_max=a["full_max"],
                lost=fmt(Decimal(a["max"]) - Decimal(a["points"])),
                percent=_percent(a["points"], a["max"]),
                group_median=medians.get(a["id"]),
                previous=old["points"] if old else None,
                previous_percent=_percent(old["points"], old["max"]) if old else None,
                change=signed(Decimal(a["points"]) - Decimal(old["points"])) if old else None,
            )
        )
    return AnnexRow(
        unit_id=u["unit_id"],
        name=u["name"],
        group=u["group"],
        rank=u["rank"],
        ranked=u["ranked"],
        tied=tied,
        points=u["points"],
        max_points=u["max_points"],
        index=u["index"],
        content=u["content"],
        survey=u["survey"],
        bonus=u["bonus"],
        penalty=u["penalty"],
        classification=label(u.get("classification")),
        areas=tuple(areas),
        warnings=tuple(u.get("warnings", ())),
        satisfaction=u.get("satisfaction"),  # runs published before it have none
    )


def _year_over(unit: AnnexRow, last: Mapping[str, Any] | None, doc: Doc | None) -> YearOver | None:
    if last is None or doc is None:
        return None
    rank = last["rank"]
    return YearOver(
        campaign=doc["campaign"],
        year=doc["year"],
        index=last["index"],
        rank=rank,
        classification=label(last.get("classification")),
        index_change=signed(Decimal(unit.index) - Decimal(last["index"])),
        # a rank is a place within a group: none gained or lost across groups
        rank_change=None
        if rank is None or unit.rank is None or last["group"] != unit.group
        else rank - unit.rank,
        from_name=None
        if last["unit_id"] == unit.unit_id and same_name(last["name"], unit.name)
        else last["name"],
    )


def movers(
    doc: Doc,
    previous: Doc | None,
    before: Mapping[str, Mapping[str, Any]] | None = None,
    count: int = MOVERS,
) -> tuple[tuple[Mover, ...], tuple[Mover, ...]]:
    """The ``count`` biggest rises and falls of the index since last year (equal changes in
    Vietnamese alphabetical order of the names), among the units joined like for like
    (``before``: last year's unit by this year's id; by default joined by id with the names
    checked)."""
    if previous is None:
        return (), ()
    if before is None:
        before = earlier_units(joined(doc, previous, None), previous)
    moved = []
    for g in doc["groups"]:
        for u in g["units"]:
            last = before.get(u["unit_id"])
            if last is None:
                continue
            delta = Decimal(u["index"]) - Decimal(last["index"])
            moved.append(
                (
                    delta,
                    Mover(
                        unit_id=u["unit_id"],
                        name=u["name"],
                        group_title_vi=g["title_vi"],
                        before=last["index"],
                        after=u["index"],
                        change=signed(delta),
                        rank_before=last["rank"],
                        rank_after=u["rank"],
                    ),
                )
            )
    rises = sorted((m for m in moved if m[0] > 0), key=lambda m: (-m[0], vn_key(m[1].name)))
    falls = sorted((m for m in moved if m[0] < 0), key=lambda m: (m[0], vn_key(m[1].name)))
    return tuple(m for _, m in rises[:count]), tuple(m for _, m in falls[:count])


# ---------------------------------------------------------------- a unit's tree


def tree(
    trace: Mapping[str, Any],
    places: int,
    titles: Titles,
    explained: Mapping[str, Sequence[Explanation]],
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """A unit's scorecard rows from its trace: areas → criteria → leaves in index order, then
    its bonuses and penalties; each with its appraisal changes and explanations."""

    def q(x: str | None) -> str | None:
        return None if x is None else fmt(quantize(Decimal(x), places))

    nodes: Mapping[str, Mapping[str, Any]] = trace["nodes"]
    base: dict[str, Mapping[str, Any]] = {}
    adjusted: dict[str, Mapping[str, Any]] = {}
    children: dict[str | None, list[str]] = {}
    adjustments: list[Line] = []
    for step in trace["trace"]:
        level, node = step["level"], step["node"]
        if level in ("leaf", "node", "area") and node not in base:
            base[node] = step
            children.setdefault(step["parent"], []).append(node)
        elif level == "adjusted":
            adjusted[node] = step
        elif level in ("bonus", "penalty"):
            title_vi, title_en = titles.get(node, (node, None))
            adjustments.append(
                Line(
                    node=node,
                    level=level,
                    depth=0,
                    title_vi=title_vi,
                    title_en=title_en,
                    max=q(step["max"]) or "",
                    points=q(step["points"]),
                    scope=step["parent"],
                    changes=_changes(step, places),
                    explanations=tuple(explained.get(node, ())),
                )
            )
    lines: list[Line] = []

    def walk(node: str, depth: int) -> None:
        step = base[node]
        info = nodes.get(node, {})
        after = adjusted.get(node)
        excluded = step["points"] is None
        status = "applicable"
        if str(step["applicability"]).startswith("not_applicable"):
            status = "not_applicable" if excluded else "granted_full"
        top = info.get("full_max", step["max"]) if excluded else step["max"]
        changes = _changes(step, places)
        points = q((after or step)["points"])
        below = points is not None and Decimal(points) < Decimal(q(top) or "0")
        lines.append(
            Line(
                node=node,
                level=step["level"],
                depth=depth,
                title_vi=info.get("title_vi", node),
                title_en=info.get("title_en"),
                max=q(top) or "",
                points=points,
                self_score=q(step.get("self_score")),
                status=status,
                before_adjustment=q(step["points"]) if after else None,
                reason_vi=step["reason_vi"]
                if step["level"] == "leaf" and below and not changes
                else None,
                changes=changes,
                explanations=tuple(explained.get(node, ())),
            )
        )
        for child in children.get(node, ()):
            walk(child, depth + 1)

    for area in trace["areas"]:
        if area in base:
            walk(area, 0)
    return tuple(lines), tuple(adjustments)


def _changes(step: Mapping[str, Any], places: int) -> tuple[AppraisalEntry, ...]:
    def q(x: Any) -> str:
        return fmt(quantize(Decimal(str(x)), places))

    return tuple(
        AppraisalEntry(
            round=str(a["round"]),
            at=str(a.get("at", "")),
            appraiser=str(a.get("appraiser", "")),
            before=q(a["from"]),
            after=q(a["to"]),
            reason=str(a.get("reason") or ""),
        )
        for a in step.get("appraisal") or ()
    )
