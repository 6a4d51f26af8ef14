"""The register of units: which units of a year continue, absorb or replace which of earlier
years, which existed only part of the year, and which ended without a successor.

``campaign.yaml`` says it (``valid_from``, ``valid_to`` and ``predecessors`` on a unit, and a
top-level ``ended:`` list); ``check_register`` refuses a register that contradicts itself,
located at the key; ``join_years`` joins the units of a later campaign to an earlier one. The
rule of the join, stated once:

- a unit joins the earlier units its ``predecessors`` name, and the earlier unit of its own id;
- the own-id join is made only when both names are the same after normalisation (Unicode NFC,
  case and spacing ignored) or the unit lists its own id among its predecessors (the register
  says it continues under a new name); otherwise the two are different bodies under one id:
  the join is refused and reported as a conflict, never made silently;
- one earlier unit joined: like for like (``same``, or ``renamed`` when the id or the name
  changed), so a change can be given; several: ``merged``, whose predecessors' figures are
  shown side by side and no single change is computed;
- an earlier unit that no later unit joins has no successor (with its ``ended:`` entry, if the
  later campaign lists it); a later unit that joins none is ``new``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from scoring.campaign.submission import CampaignFile, EndedUnit, UnitSpec
from scoring.errors import ErrorList, ParindexError, SubmissionError
from scoring.sources.clock import show
from scoring.sources.located import trail_for
from scoring.sources.text import nfc
from scoring.sources.yamlsrc import Source

JoinKind = Literal["same", "renamed", "merged", "new", "conflict"]
LIKE_FOR_LIKE: tuple[JoinKind, ...] = ("same", "renamed")


def same_name(a: str, b: str) -> bool:
    """Whether two names are one name once Unicode form, case and spacing are ignored."""
    return " ".join(nfc(a).casefold().split()) == " ".join(nfc(b).casefold().split())


def check_register(spec: CampaignFile, source: Source, data: Any) -> None:
    """Refuse a register that contradicts itself, every problem located at its key: a date
    outside the campaign's year or ``valid_from`` after ``valid_to``; a predecessor listed
    twice, still a unit of this year, or listed as ended; an ``ended:`` id listed twice, also
    a unit of this year, or ended after the campaign's year."""
    errors: list[ParindexError] = []

    def refuse(message: str, path: tuple[str | int, ...], item: tuple[str | int, ...]) -> None:
        errors.append(SubmissionError(message, source.locate(path, trail_for(data, item))))

    ids = {u.id for u in spec.units}
    ended = {e.id for e in spec.ended}
    for i, u in enumerate(spec.units):
        item = ("units", i)
        for key in ("valid_from", "valid_to"):
            day: dt.date | None = getattr(u, key)
            if day is not None and day.year != spec.year:
                refuse(
                    f"{key} {show(day)} is not in {spec.year}, the campaign's year",
                    (*item, key),
                    item,
                )
        if u.valid_from and u.valid_to and u.valid_from > u.valid_to:
            refuse(
                f"valid_from {show(u.valid_from)} is after valid_to {show(u.valid_to)}",
                (*item, "valid_to"),
                item,
            )
        seen: set[str] = set()
        for j, p in enumerate(u.predecessors):
            where = (*item, "predecessors", j)
            if p in seen:
                refuse(f"predecessor {p!r} is listed twice", where, item)
            elif p != u.id and p in ids:
                refuse(
                    f"predecessor {p!r} is a unit of this campaign too: a body that still "
                    f"exists is not a predecessor of {u.id!r}",
                    where,
                    item,
                )
            elif p in ended:
                refuse(
                    f"predecessor {p!r} is listed under ended: (no successor), yet {u.id!r} "
                    "succeeds it",
                    where,
                    item,
                )
            seen.add(p)
    listed: set[str] = set()
    for k, e in enumerate(spec.ended):
        item = ("ended", k)
        if e.id in listed:
            refuse(f"ended unit {e.id!r} is listed twice", (*item, "id"), item)
        elif e.id in ids:
            refuse(
                f"{e.id!r} is both a unit of this campaign and an ended unit",
                (*item, "id"),
                item,
            )
        if e.on.year > spec.year:
            refuse(
                f"on {show(e.on)} is after {spec.year}, the campaign's year", (*item, "on"), item
            )
        listed.add(e.id)
    if errors:
        raise ErrorList.of(errors)


def part_year(u: UnitSpec) -> dict[str, str | None] | None:
    """The part of the year a unit existed, as ISO dates (None: the whole year)."""
    if u.valid_from is None and u.valid_to is None:
        return None
    return {
        "from": u.valid_from.isoformat() if u.valid_from else None,
        "to": u.valid_to.isoformat() if u.valid_to else None,
    }


def part_year_vi(span: dict[str, str | None] | None) -> str | None:
    """A part of the year in Vietnamese: "hoạt động từ 01/08/2025", "… đến 28/02/2025"."""
    if not span:
        return None
    start, end = span.get("from"), span.get("to")
    words = ["hoạt động"]
    if start:
        words.append(f"từ {show(start)}")
    if end:
        words.append(f"đến {show(end)}")
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Link:
    """How one unit of the later campaign joins the earlier one."""

    unit: UnitSpec
    kind: JoinKind
    predecessors: tuple[UnitSpec, ...] = ()  # the earlier units joined, as the register lists
    missing: tuple[str, ...] = ()  # predecessors named that the earlier campaign does not have
    conflict: UnitSpec | None = None  # the earlier unit of its id, another body: not joined

    @property
    def like_for_like(self) -> bool:
        """Whether one earlier unit is joined, so that a change from it means something."""
        return self.kind in LIKE_FOR_LIKE


@dataclass(frozen=True, slots=True)
class Gone:
    """A unit of the earlier campaign that no unit of the later one continues."""

    unit: UnitSpec
    ended: EndedUnit | None = None  # the later campaign's ``ended:`` entry for it
    conflict: bool = False  # its id was taken by another body in the later campaign


@dataclass(frozen=True, slots=True)
class YearJoin:
    """Every unit of a later campaign joined to an earlier one, and the earlier units left."""

    links: tuple[Link, ...]
    gone: tuple[Gone, ...]

    def link(self, unit_id: str) -> Link | None:
        """The join of one later unit (None: not in the later campaign)."""
        return next((x for x in self.links if x.unit.id == unit_id), None)

    def successors(self, earlier_id: str) -> tuple[str, ...]:
        """The later units that join one earlier unit (two or more: it was split)."""
        return tuple(
            x.unit.id for x in self.links if any(p.id == earlier_id for p in x.predecessors)
        )


def join_years(
    earlier: Sequence[UnitSpec], later: Sequence[UnitSpec], ended: Sequence[EndedUnit] = ()
) -> YearJoin:
    """Join each later unit to the earlier units it continues, under the rule of this module's
    docstring; ``ended`` is the later campaign's list of units with no successor."""
    before = {u.id: u for u in earlier}
    links: list[Link] = []
    for u in later:
        joined: list[UnitSpec] = []
        missing: list[str] = []
        for p in u.predecessors:
            if p in before:
                joined.append(before[p])
            else:
                missing.append(p)
        conflict = None
        own = before.get(u.id)
        if own is not None and u.id not in u.predecessors:
            if same_name(own.name, u.name):
                joined.insert(0, own)
            else:
                conflict = own
        kind: JoinKind
        if len(joined) > 1:
            kind = "merged"
        elif joined:
            only = joined[0]
            kind = "same" if only.id == u.id and same_name(only.name, u.name) else "renamed"
        else:
            kind = "conflict" if conflict else "new"
        links.append(Link(u, kind, tuple(joined), tuple(missing), conflict))
    continued = {p.id for x in links for p in x.predecessors}
    taken = {x.conflict.id for x in links if x.conflict}
    by_id = {e.id: e for e in ended}
    gone = tuple(Gone(u, by_id.get(u.id), u.id in taken) for u in earlier if u.id not in continued)
    return YearJoin(tuple(links), gone)
