"""What the store commands share: their command groups and argument types."""

from __future__ import annotations

from typing import Annotated

import typer

from scoring.cli.base import app

campaign_app = typer.Typer(help="Open, follow, move and run a campaign.", no_args_is_help=True)
survey_app = typer.Typer(help="Survey and council results.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
unit_app = typer.Typer(help="The units of a campaign.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
app.add_typer(survey_app, name="survey")
app.add_typer(audit_app, name="audit")
app.add_typer(unit_app, name="unit")

CampaignArg = Annotated[str, typer.Argument(help="Campaign id in the store, e.g. langson-2018.")]
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
