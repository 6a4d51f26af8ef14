"""``parindex evidence``: attach a unit's evidence files (PDF, PNG, JPEG, WebP) and list them.

The same library calls as the web app's upload (``store.evidence``): the type is read from the
file's content, the bytes are kept once per SHA-256, and each attachment is audited with its
hash. The human output is Vietnamese (English with ``--lang en``), times in the campaign's
zone; ``--json`` is exact, ISO.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from scoring.cli.base import actor, app, campaign_zone, guard, now, out, print_json, store
from scoring.cli.store_common import CampaignArg, JsonOpt, UnitArg
from scoring.cli.texts import lang, t
from scoring.sources import clock
from scoring.sources.filetypes import MAX_BYTES, TYPES, size_text

evidence_app = typer.Typer(help="Evidence files attached to a unit's items.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("add")
def evidence_add(
    campaign: CampaignArg,
    unit: UnitArg,
    node: Annotated[str, typer.Argument(help="The item (leaf) id, e.g. 1.1.1.")],
    file: Annotated[Path, typer.Argument(help="A PDF, PNG, JPEG or WebP file.")],
    stage: Annotated[
        str,
        typer.Option(
            "--stage", help="answers (the self-assessment) or explanation (its round-2 answer)."
        ),
    ] = "answers",
) -> None:
    """Attach a file to an item of a unit, while its form (or explanation window) is open.

    Example: parindex evidence add langson-2018 so-tai-chinh 1.1.1 "QĐ 12.pdf"
    """

    def body() -> None:
        from scoring.store import evidence

        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # one byte over is enough to refuse it
        att, new = evidence.attach(
            store(), campaign, unit, node, data, file.name,
            stage=stage, actor=actor(), now=now(campaign),
        )  # fmt: skip
        if not new:
            out.print(t("ev_kept", name=att.name, node=node), markup=False)
            return
        out.print(
            t(
                "ev_added",
                name=att.name,
                kind=TYPES[att.media_type][1],
                size=size_text(att.size, lang()),
                node=node,
                unit=unit,
                stage=t(f"stage_{att.stage}"),
                sha=att.sha256,
            ),
            markup=False,
        )

    guard(body)


@evidence_app.command("list")
def evidence_list(
    campaign: CampaignArg,
    unit: Annotated[str | None, typer.Argument(help="Only this unit's files.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the evidence files of a campaign (or of one unit).

    Example: parindex evidence list langson-2018 so-tai-chinh
    """

    def body() -> None:
        from scoring.store import evidence

        found = evidence.listing(store(read_only=True), campaign, unit)
        if as_json:
            print_json([dataclasses.asdict(f) for f in found])
            return
        if not found:
            out.print(t("ev_none"), markup=False)
            return
        tz = campaign_zone(campaign)
        out.print(t("ev_head", campaign=campaign, n=len(found)), markup=False)
        for f in found:  # one line a file: readable in a narrow terminal, easy to grep
            line = t(
                "ev_line",
                id=f.id,
                unit=f.unit,
                node=f.node,
                stage=t(f"stage_{f.stage}"),
                name=f.name,
                kind=TYPES[f.media_type][1],
                size=size_text(f.size, lang()),
                who=f.uploader,
                at=clock.show(f.at, tz),
                sha=f.sha256[:12],
            )
            out.print(line, markup=False)

    guard(body)
