"""What the store commands share: their command groups, argument types and option parsers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer

from scoring.cli import texts
from scoring.cli.base import app, campaign_option, store
from scoring.errors import SubmissionError
from scoring.index.fields import SLUG_PATTERN, SLUG_RULE

campaign_app = typer.Typer(help="Open, follow, move and run a campaign.", no_args_is_help=True)
survey_app = typer.Typer(help="Survey and council results.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
unit_app = typer.Typer(help="The units of a campaign.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
app.add_typer(survey_app, name="survey")
app.add_typer(audit_app, name="audit")
app.add_typer(unit_app, name="unit")

CampaignArg = Annotated[
    str,
    typer.Argument(
        help="Campaign id in the store, e.g. langson-2018, or its year (2018).",
        callback=campaign_option,
    ),
]
CampaignOpt = Annotated[
    str | None,
    typer.Option(
        "--campaign", help="Campaign id in the store, or its year.", callback=campaign_option
    ),
]
UnitArg = Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")]
VersionOpt = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        min=0,
        max=2**62,  # the store's integers are 64-bit
        help="Refuse if the unit changed since you read this version (see campaign status).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

_ID = re.compile(SLUG_PATTERN)


def id_option(value: str) -> str:
    """An id option or argument: the index's id pattern (lowercase letters, digits, - and _)."""
    if not _ID.fullmatch(value):
        raise typer.BadParameter(f"{value!r} is not an id: {SLUG_RULE}")
    return value


def id_options(values: list[str] | None) -> list[str]:
    """A repeatable id option (--tag): each value an id."""
    return [id_option(v) for v in values or []]


def date_option(text: str) -> dt.date:
    """A date option: a real date, ISO (2019-11-30) or as Vietnamese write it (30/11/2019)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise typer.BadParameter(f"not a date (YYYY-MM-DD or DD/MM/YYYY): {text!r}")


def zone_option(name: str) -> str:
    """A --time-zone option: an IANA name this machine knows (tzdata), checked before any
    store is opened."""
    from scoring.sources import clock

    try:
        clock.zone(name)
    except SubmissionError as exc:
        hint = f"; did you mean {exc.suggestion}?" if exc.suggestion else ""
        raise typer.BadParameter(exc.message + hint) from None
    return name


def name_option(value: str) -> str:
    """A --name option: not blank."""
    if not value.strip():
        raise typer.BadParameter("a unit needs a name")
    return value


def unit_called(cid: str, uid: str) -> str:
    """Unit ``uid`` of campaign ``cid`` as people know it, ``Sở Tài chính (so-tai-chinh)``
    (just the id when the store has no such unit)."""
    from scoring.store import views

    row = views.unit(store(read_only=True), cid, uid)
    return texts.named(row.name if row is not None else None, uid)


def group_called(cid: str, gid: str) -> str:
    """Group ``gid`` of campaign ``cid``'s index by its title in the chosen language."""
    from scoring.store import stored

    view = stored.campaign_index(store(read_only=True), cid).groups.get(gid)
    return texts.pick(view.group.title_vi, view.group.title_en) if view is not None else gid
