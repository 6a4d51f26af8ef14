"""Last year beside this year in a report, joined by the register of units (pure, no I/O).

``compose`` gives a unit a year-over-year change only from the one earlier unit the register
joins it to like for like (the same unit, or one renamed); a merged unit gets its
predecessors' figures side by side instead, and ``unit_changes`` lists the merged, renamed,
new and ended units and the ids another body took. Without a stored register (a report
composed from two documents alone) units are joined by id, and only when their names agree
(``scoring.campaign.register`` states the rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.campaign.register import YearJoin, join_years, part_year, part_year_vi
from scoring.campaign.submission import UnitSpec
from scoring.reports.model import Prior, UnitChanges
from scoring.sources.clock import show

Doc = Mapping[str, Any]
Unit = Mapping[str, Any]


def document_units(doc: Doc | None) -> dict[str, Unit]:
    """A score document's units by id (none for no document)."""
    if doc is None:
        return {}
    return {u["unit_id"]: u for g in doc["groups"] for u in g["units"]}


def _specs(doc: Doc) -> list[UnitSpec]:
    return [
        UnitSpec(id=u["unit_id"], name=u["name"], group=u["group"])
        for u in document_units(doc).values()
    ]


def joined(doc: Doc, previous: Doc | None, register: YearJoin | None) -> YearJoin | None:
    """The join of this year's units to last year's: the stored register's, or else by id
    with the names checked; None when there is no last year."""
    if previous is None:
        return None
    return register or join_years(_specs(previous), _specs(doc))


def earlier_units(join: YearJoin | None, previous: Doc | None) -> dict[str, Unit]:
    """Last year's unit of each unit of this year joined like for like, by this year's id."""
    before = document_units(previous)
    return {
        x.unit.id: before[x.predecessors[0].id]
        for x in (join.links if join else ())
        if x.like_for_like and x.predecessors[0].id in before
    }


def _prior(u: Unit, span: dict[str, str | None] | None = None) -> Prior:
    return Prior(u["unit_id"], u["name"], u["index"], u["rank"], part_year_vi(span))


def merged_from(join: YearJoin | None, previous: Doc | None, unit_id: str) -> tuple[Prior, ...]:
    """The predecessors of a unit merged from several, with last year's figures."""
    link = join.link(unit_id) if join else None
    before = document_units(previous)
    if link is None or link.kind != "merged":
        return ()
    return tuple(_prior(before[p.id], part_year(p)) for p in link.predecessors if p.id in before)


def part_year_of(join: YearJoin | None, unit_id: str) -> str | None:
    """The part of this year a unit existed, in Vietnamese (None: all year, or no register)."""
    link = join.link(unit_id) if join else None
    return part_year_vi(part_year(link.unit)) if link else None


def unit_changes(join: YearJoin | None, doc: Doc, previous: Doc | None) -> UnitChanges:
    """How the units changed since last year, by the register (nothing without last year)."""
    if join is None or previous is None:
        return UnitChanges()
    now, before = document_units(doc), document_units(previous)
    merged, renamed, new, conflicts = [], [], [], []
    for x in join.links:
        if x.unit.id not in now:
            continue
        here = _prior(now[x.unit.id], part_year(x.unit))
        found = [p for p in x.predecessors if p.id in before]
        if x.conflict is not None:
            conflicts.append((x.unit.id, x.conflict.name, x.unit.name))
        if x.kind == "merged" and found:
            merged.append((here, tuple(_prior(before[p.id], part_year(p)) for p in found)))
        elif x.kind == "renamed" and found:
            renamed.append((_prior(before[found[0].id], part_year(found[0])), here))
        elif not found:
            new.append(here)
    ended = tuple(
        (
            _prior(before[g.unit.id], part_year(g.unit)),
            show(g.ended.on) if g.ended else None,
            g.ended.note_vi if g.ended else None,
        )
        for g in join.gone
        if g.unit.id in before
    )
    return UnitChanges(tuple(merged), tuple(renamed), tuple(new), ended, tuple(conflicts))
