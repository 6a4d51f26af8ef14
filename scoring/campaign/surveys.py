"""Survey and council files at the door: checked whole against the index, then merged.

A survey or council file gives, for some units, their answers to the items the survey or the
council assesses. ``check_source`` reads the whole file and puts each named unit's answers
through ``prepare``, the very checks a unit file's answers get (the leaf's range, response counts
whole and >= 0, only the options the rule weighs, a council score within [0, max] and among its
levels, a non-empty reason); it raises every problem at once, each naming file:line:column, the
unit and the item. ``merged`` is the text to store: the file's units replace their own stored
answers and every other unit's stay as they were, unless the caller replaces everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.campaign.folder import read_source
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Campaign, Submission, UnitSpec
from scoring.errors import ErrorList, Location, ParindexError, SubmissionError
from scoring.index.loader import Index
from scoring.sources.yamlsrc import dump_yaml, load_yaml

KINDS = ("survey", "council")


def check_source(
    index: Index, kind: str, text: str, name: str, units: Mapping[str, UnitSpec]
) -> dict[str, Any]:
    """Each unit the file names and its answers as written; raise every problem, located.

    ``units`` are the campaign's units: a file naming another is refused (with the closest id).
    A file naming no unit at all is refused: it would store nothing but look like it did."""
    if kind not in KINDS:
        raise SubmissionError(f"unknown kind of results {kind!r}: survey or council")
    data, source = load_yaml(text, name)
    subs = {uid: Submission(spec) for uid, spec in units.items()}
    by_unit: dict[str, list[ParindexError]] = {}
    read_source(text, name, kind, subs, by_unit, (data, source))
    named: dict[str, Any] = data["units"]  # _read_source checked the shape
    if not named:
        raise SubmissionError(
            f"the {kind} file names no units (units: {{unit id: {{item: answer}}}}): "
            "nothing would be stored",
            source.locate(("units",)),
        )
    errors = [e for errs in by_unit.values() for e in errs]
    for uid in named:
        if uid in subs and uid not in by_unit and not subs[uid].answers:
            errors.append(
                SubmissionError(
                    f"unit {uid}: no items given, which would erase its {kind} results "
                    "(to drop a unit's results, import a file without it with --replace)",
                    source.locate(("units", uid)),
                )
            )
        elif uid in subs and uid not in by_unit:
            try:
                prepare(index, subs[uid])
            except ParindexError as exc:
                here = source.locate(("units", uid))
                errors.extend(_in_unit(e, uid, here) for e in _flat(exc))
    if errors:
        raise ErrorList.of(sorted(errors, key=_position))
    return {str(uid): answers for uid, answers in named.items()}


def merged(stored: str | None, text: str, named: Mapping[str, Any], replace: bool) -> str:
    """The results text to store after importing ``text`` (naming the units ``named``).

    The file's own text when it replaces everything, when nothing is stored yet, or when it
    names every unit already stored (so importing the same complete file twice stores the
    same bytes and the same hash); otherwise the stored units in their order, the named ones
    taking the file's answers, new ones after them, written out again (exact decimals)."""
    if replace or stored is None:
        return text
    before = stored_units(stored)
    if set(before) <= set(named):
        return text
    units = dict(before)
    units.update(named)
    return dump_yaml({"units": units})


def missing_results(index: Index, campaign: Campaign) -> dict[str, list[str]]:
    """Per unit, what is missing for it to be scored, in English: ``no survey results for …``
    (``missing_items`` says which)."""
    return {
        uid: [f"no {kind} results for {', '.join(ids)}" for kind, ids in lacking]
        for uid, lacking in missing_items(index, campaign).items()
    }


def missing_items(index: Index, campaign: Campaign) -> dict[str, list[tuple[str, list[str]]]]:
    """Per unit, what is missing for it to be scored, as (survey or council, item ids): the
    items the survey or the council assesses (and no tag of the unit exempts) that have no
    answer. Scoring such an item as "no answer" would publish a ranking with its points
    silently missing."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for uid, sub in campaign.submissions.items():
        tags = set(sub.unit.tags)
        for kind in KINDS:
            lacking = [
                lid
                for lid, item in index.groups[sub.unit.group].leaves.items()
                if item.node.assessed_by == kind
                and lid not in sub.answers
                and not tags & set(item.exemptions)
            ]
            if lacking:
                out.setdefault(uid, []).append((kind, lacking))
    return out


def stored_units(text: str) -> dict[str, Any]:
    """The units of a stored results text and their answers (empty if it holds none)."""
    data, _ = load_yaml(text, "store")
    units = data.get("units") if isinstance(data, dict) else None
    return {str(k): v for k, v in units.items()} if isinstance(units, dict) else {}


def _flat(exc: ParindexError) -> list[ParindexError]:
    return exc.errors if isinstance(exc, ErrorList) else [exc]


def _in_unit(e: ParindexError, uid: str, here: Location) -> ParindexError:
    """``e`` naming the unit, and located at the unit's entry when it has no place in the file
    (a problem with the unit itself, such as a tag its group does not know)."""
    if not e.location.file:
        return type(e)(f"unit {uid}: {e.message}", here, e.suggestion)
    if f"Unit(id={uid!r})" in e.location.trail:
        return e
    return type(e)(f"unit {uid}: {e.message}", e.location, e.suggestion)


def _position(e: ParindexError) -> tuple[int, int]:
    return (e.location.line or 0, e.location.column or 0)
