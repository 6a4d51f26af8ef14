"""Comparing two published years through the register of units.

``year_join`` joins the units of a later stored campaign to an earlier one by the register each
was imported with (``scoring.campaign.register`` states the rule); ``compare`` puts the two
published score documents side by side under that join. A change (points, index, rank, areas)
is given only where one earlier unit is joined like for like; a merged unit shows its
predecessors' figures side by side instead, and the units that are new, that ended without a
successor, or whose id another body took, are listed apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from scoring.campaign.register import Link, YearJoin, join_years, part_year
from scoring.sources.text import vn_key
from scoring.store.db import Store
from scoring.store.publication import published, resolve
from scoring.store.stored import campaign_row, spec_of, units_of

Unit = Mapping[str, Any]


def year_join(s: Session, earlier: str, later: str) -> YearJoin:
    """The join of campaign ``later``'s units to campaign ``earlier``'s, by the later
    campaign's register (its units' predecessors and its ``ended:`` list)."""
    a = spec_of(campaign_row(s, earlier), units_of(s, earlier))
    b = spec_of(campaign_row(s, later), units_of(s, later))
    return join_years(a.units, b.units, b.ended)


def units_of_document(doc: Mapping[str, Any]) -> dict[str, Unit]:
    """A score document's units by id."""
    return {u["unit_id"]: u for g in doc["groups"] for u in g["units"]}


def compare(store: Store, ref_a: str, ref_b: str) -> dict[str, Any]:
    """Two published campaigns side by side, joined by the register.

    ``units``: later units joined like for like to one earlier unit (``join`` is ``same``
    or ``renamed``), with points, index, rank and area changes; ``merged``: later units that
    continue several earlier ones, with each predecessor's figures and no change computed;
    ``new``: later units that continue none; ``no_successor``: earlier units nothing
    continues (with the date they ended, if the register says); ``conflicts``: an id whose
    name changed beyond normalisation without the register saying the unit continues (the
    two are not joined). ``only_in_from``/``only_in_to`` list the ids of the last three kinds
    on either side. Every ``part_year`` is the part of its year a unit existed (ISO dates)."""
    with store.read() as s:
        a_id, b_id = resolve(s, ref_a), resolve(s, ref_b)
        a, b = units_of_document(published(s, a_id)), units_of_document(published(s, b_id))
        join = year_join(s, a_id, b_id)
    rows: list[dict[str, Any]] = []
    merged: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for link in join.links:
        ub = b.get(link.unit.id)
        if ub is None:  # listed but not in the published result (cannot happen once published)
            continue
        found = [p for p in link.predecessors if p.id in a]
        if link.conflict is not None:
            conflicts.append(
                {
                    "unit_id": link.unit.id,
                    "name_from": link.conflict.name,
                    "name_to": link.unit.name,
                }
            )
        if link.like_for_like and found:
            rows.append(_row(a[found[0].id], ub, link))
        elif found:
            merged.append(
                {
                    **_figures(ub, part_year(link.unit)),
                    "predecessors": [_figures(a[p.id], part_year(p)) for p in found],
                    "missing": list(link.missing),
                }
            )
        else:
            new.append({**_figures(ub, part_year(link.unit)), "missing": list(link.missing)})
    gone = [
        {
            **_figures(a[g.unit.id], part_year(g.unit)),
            "ended_on": g.ended.on.isoformat() if g.ended else None,
            "note_vi": g.ended.note_vi if g.ended else None,
            "id_taken": g.conflict,
        }
        for g in join.gone
        if g.unit.id in a
    ]
    for listing in (merged, new, gone, conflicts):  # names, not ranks: in Vietnamese order
        listing.sort(
            key=lambda x: (vn_key(str(x.get("name", x.get("name_to", "")))), str(x.get("unit_id")))
        )
    return {
        "from": a_id,
        "to": b_id,
        "units": rows,
        "merged": merged,
        "new": new,
        "no_successor": gone,
        "conflicts": conflicts,
        "only_in_from": sorted(g["unit_id"] for g in gone),
        "only_in_to": sorted(n["unit_id"] for n in new),
    }


def _figures(u: Unit, span: dict[str, str | None] | None) -> dict[str, Any]:
    """A unit's published figures, as a list of the register's kinds shows them."""
    return {
        "unit_id": u["unit_id"],
        "name": u["name"],
        "group": u["group"],
        "points": u["points"],
        "index": u["index"],
        "rank": u["rank"],
        "part_year": span,
    }


def _row(ua: Unit, ub: Unit, link: Link) -> dict[str, Any]:
    """A like-for-like row: the changes from the one earlier unit joined."""
    areas_a = {x["id"]: Decimal(x["points"]) for x in ua["areas"]}
    same_group = ua["group"] == ub["group"]  # a rank is a place within a group
    before = link.predecessors[0]
    return {
        "unit_id": ub["unit_id"],
        "name": ub["name"],
        "group": ub["group"],
        "join": link.kind,
        "from_unit": {"unit_id": ua["unit_id"], "name": ua["name"], "group": ua["group"]},
        "part_year": [part_year(before), part_year(link.unit)],
        "points": [ua["points"], ub["points"], delta(ua["points"], ub["points"])],
        "index": [ua["index"], ub["index"], delta(ua["index"], ub["index"])],
        "rank": [
            ua["rank"],
            ub["rank"],
            None
            if ua["rank"] is None or ub["rank"] is None or not same_group
            else ua["rank"] - ub["rank"],
        ],
        "areas": [
            {
                "id": x["id"],
                "from": str(areas_a.get(x["id"], "")),
                "to": x["points"],
                "delta": delta(str(areas_a[x["id"]]), x["points"]) if x["id"] in areas_a else None,
            }
            for x in ub["areas"]
        ],
    }


def delta(a: str, b: str) -> str:
    """``b - a`` as signed decimal text: ``+1.25``, ``-0.50``, ``0.00``."""
    d = Decimal(b) - Decimal(a)
    return f"+{d}" if d > 0 else str(d)
