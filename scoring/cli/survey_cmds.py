"""Survey commands over raw forms: count a campaign's forms against its quotas, and store the
survey results they give."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from scoring.cli.base import actor, guard, lazy, now, out, print_json, store
from scoring.cli.store_common import CampaignArg, JsonOpt, survey_app
from scoring.cli.texts import TEXT, t
from scoring.errors import Location, SubmissionError
from scoring.sources.yamlsrc import is_dir

imports = lazy("scoring.store.imports")


@survey_app.command("import-forms")
def survey_import_forms(
    campaign: CampaignArg,
    design: Annotated[Path, typer.Argument(help="The survey design (survey-design.yaml).")],
    files: Annotated[list[Path], typer.Argument(help="Raw forms files (.csv or .xlsx).")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Give every unit the survey rates these files' counts (a unit with no form "
            "falls below the minimum); without it, only the units with forms here change.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Count raw survey forms (one row per form) and store the survey results they give.

    Every form is checked (unknown unit, respondent group, mode, question or option, bad
    date, duplicates; each named file:row:column) and nothing is stored if any is wrong.
    Prints each unit's sample against its quota, and the units below the minimum.

    Example: parindex survey import-forms mini-2018 survey-design.yaml forms.csv
    """

    def body() -> None:
        from scoring.campaign.survey_tally import read_forms_input

        given = read_forms_input(design, files)
        counted = imports.import_forms(
            store(), campaign, given, actor=actor(), now=now(campaign), replace=replace
        )
        doc = counted.document()
        if as_json:
            print_json(doc)
            return
        how = t("others_replaced" if replace else "others_kept")
        out.print(t("forms_stored", n=doc["forms"], id=campaign, how=how), markup=False)
        print_quota(doc)

    guard(body)


@survey_app.command("quota")
def survey_quota(
    folder: Annotated[Path, typer.Argument(help="Campaign folder naming survey_forms.")],
    as_json: JsonOpt = False,
) -> None:
    """Each unit's sample of forms against its quota, and the units below the minimum sample
    with the rule applied to them (from the design and forms campaign.yaml names).

    Example: parindex survey quota samples/2025 --json
    """

    def body() -> None:
        from scoring.campaign.folder import read_campaign_file, survey_source

        if not is_dir(folder):
            raise SubmissionError(
                "not a campaign folder", Location(str(folder)), vi="không phải thư mục kỳ đánh giá"
            )
        spec = read_campaign_file(folder)
        found = survey_source(spec, folder)
        if found is None:
            raise SubmissionError(
                "campaign.yaml names no survey_forms (design and forms files)",
                Location(str(folder / "campaign.yaml")),
                vi="campaign.yaml không khai báo survey_forms (tệp thiết kế và tệp phiếu khảo sát)",
            )
        doc = found[1].document()
        if as_json:
            print_json(doc)
        else:
            print_quota(doc)

    guard(body)


def print_quota(doc: dict[str, Any]) -> None:
    """The quota report as a table: sample, quota and shortfall per unit, then the units
    below the minimum and the rule applied."""
    table = Table(title=t("quota_title", n=doc["minimum"]))
    for key in ("unit", "q_group", "q_sample", "q_quota", "q_short", "q_below"):
        table.add_column(t(key), justify="left" if key in ("unit", "q_group") else "right")
    for u in doc["units"]:
        table.add_row(
            u["unit_id"],
            u["group"],
            str(u["sample"]),
            str(u["quota"]),
            str(u["shortfall"]),
            t("yes") if u["below_minimum"] else "",
        )
    out.print(table)
    below = [u["unit_id"] for u in doc["units"] if u["below_minimum"]]
    if below:
        rule = doc["below_minimum_rule"]
        rule, units = t(f"bm_{rule}") if f"bm_{rule}" in TEXT else rule, ", ".join(below)
        out.print(t("below_minimum", n=doc["minimum"], rule=rule, units=units), markup=False)
    out.print(t("results_sha", sha=doc["results_sha256"]), markup=False)
