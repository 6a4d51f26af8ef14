"""``parindex report``: the publication-ready annex, summary and scorecards of a campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scoring.cli.base import app, err, guard, now, out, store
from scoring.cli.store_common import CampaignArg
from scoring.cli.texts import t


@app.command()
def report(
    campaign: CampaignArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write into (default: ./bao-cao-CAMPAIGN)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Comma-separated formats: html, pdf, xlsx, docx.")
    ] = "html,pdf,xlsx,docx",
    unit: Annotated[
        str | None, typer.Option("--unit", help="Write the scorecard of this unit only.")
    ] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            "--previous", help="Last year's campaign (id or year); default: found by year."
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, max=64, help="Pages written in parallel (worker processes)."
        ),
    ] = 1,
) -> None:
    """Write the ranking annex, the summary and a scorecard per unit, as published.

    Files: DIR/annex.{html,pdf,xlsx,docx}, DIR/summary.{html,pdf} and
    DIR/scorecards/UNIT.{html,pdf}. The Word annex is laid out to attach to the Quyết định.
    A campaign not yet published is reported as it stands and marked DRAFT (DỰ THẢO).
    The generation time in every footer is --at, else now.

    Example: parindex report langson-2018 --out /tmp/bao-cao
    """

    def body() -> None:
        from scoring import reports

        kinds = reports.formats(fmt)
        rep = reports.build(store(read_only=True), campaign, previous=previous, generated_at=now())
        folder = out_dir if out_dir is not None else Path(f"bao-cao-{campaign}")
        planned = reports.outputs(rep, folder, kinds, unit)
        reports.make_folders(folder, planned)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[page]}"),
        )
        with Progress(*columns, console=err) as progress:
            task = progress.add_task(campaign, total=len(planned), page="")
            for done in reports.write_all(rep, planned, jobs):
                progress.update(task, advance=1, page=done.name)
        count = sum(len(o.paths) for o in planned)
        status = t("draft_status") if rep.meta.draft else t("published_status", run=rep.meta.run_id)
        out.print(t("wrote_files", n=count, folder=folder, status=status), markup=False)

    guard(body)
