"""Store commands: appraisal rounds, explanations and survey results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scoring.campaign.appraisal_files import ExplanationEntry, parse_appraisals, parse_explanations
from scoring.campaign.submission import EvidenceRef
from scoring.cli import texts
from scoring.cli.base import actor, app, guard, lazy, now, out, store
from scoring.cli.store_common import CampaignArg, VersionOpt, survey_app, unit_called
from scoring.cli.texts import t
from scoring.errors import Location, SubmissionError
from scoring.sources.said import parse_figure
from scoring.sources.yamlsrc import read_text

# ---------------------------------------------------------------- appraisal

appraisal = lazy("scoring.store.appraisal")
imports = lazy("scoring.store.imports")


@app.command()
def appraise(
    campaign: CampaignArg,
    unit: Annotated[str | None, typer.Argument(help="Unit id (not with --file).")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="NODE=POINTS, repeatable.")
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (required for a change).")] = "",
    round_: Annotated[str, typer.Option("--round", help="1 | 2 | correction")] = "1",
    file: Annotated[Path | None, typer.Option("--file", help="An appraisal round file.")] = None,
    expected: VersionOpt = None,
) -> None:
    """Record appraisal changes (points set by the appraisers) with a reason for each.

    Example: parindex appraise langson-2019 so-tai-chinh --set 1.1.1=0.5 --reason "Trễ hạn"
    """

    def body() -> None:
        st = store()
        if file is not None:
            f = parse_appraisals(read_text(file), str(file))[0]
            # one transaction for the whole file: a crash stores all of it or none
            appraisal.appraise_many(
                st,
                campaign,
                str(f.round),
                appraisal.file_changes(f),
                actor=actor(),
                now=now(campaign),
            )
            n = sum(len(v) for v in f.units.values())
            out.print(t("round_file", round=texts.round_name(f.round), n=n), markup=False)
            return
        if unit is None or not set_:
            raise SubmissionError(
                "give UNIT and at least one --set NODE=POINTS, or --file",
                vi="cần UNIT và ít nhất một --set MỤC=ĐIỂM, hoặc --file",
            )
        changes = []
        for item in set_:
            node, _, value = item.partition("=")
            try:
                score = parse_figure(value, f"--set {item}")
            except ValueError as exc:
                raise SubmissionError(
                    f"{exc}; expected NODE=POINTS, e.g. 1.1.1=0,5",
                    Location("--set"),
                    vi=f"--set {item}: {value.strip()!r} không phải là điểm hợp lệ; cần MỤC=ĐIỂM, "
                    "ví dụ 1.1.1=0,5",
                ) from None
            if not node.strip():
                raise SubmissionError(
                    f"--set {item}: expected NODE=POINTS, e.g. 1.1.1=0,5",
                    Location("--set"),
                    vi=f"--set {item}: cần MỤC=ĐIỂM, ví dụ 1.1.1=0,5",
                )
            changes.append(appraisal.AppraisalChange(node.strip(), score, reason, actor()))
        version = appraisal.appraise(
            st,
            campaign,
            unit,
            round_,
            changes,
            actor=actor(),
            now=now(campaign),
            expected_version=expected,
        )
        out.print(
            t(
                "changes_recorded",
                round=texts.round_name(round_),
                n=len(changes),
                unit=unit_called(campaign, unit),
                version=version,
            ),
            markup=False,
        )

    guard(body)


@app.command()
def respond(
    campaign: CampaignArg,
    unit: Annotated[str | None, typer.Argument(help="Unit id (not with --file).")] = None,
    node: Annotated[str | None, typer.Argument(help="The item explained.")] = None,
    text: Annotated[str, typer.Option("--text", help="The explanation.")] = "",
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="A document number, repeatable.")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="An explanations file.")] = None,
    expected: VersionOpt = None,
) -> None:
    """Record a unit's explanation (giải trình) of a round-1 change, with extra evidence.

    Example: parindex respond langson-2019 so-cong-thuong 7.1.2 --text "Bổ sung" --evidence 1/BC
    """

    def body() -> None:
        st = store()
        if file is not None:
            ex = parse_explanations(read_text(file), str(file))[0]
            appraisal.respond_many(st, campaign, ex.units, actor=actor(), now=now(campaign))
            out.print(t("explanations_file", n=len(ex.units)), markup=False)
            return
        if unit is None or node is None or not text.strip():
            raise SubmissionError(
                "give UNIT NODE --text TEXT, or --file",
                vi="cần UNIT MỤC --text NỘI_DUNG, hoặc --file",
            )
        entry = ExplanationEntry(
            node=node, text=text, evidence=[EvidenceRef(doc=d) for d in evidence or []]
        )
        version = appraisal.respond(
            st, campaign, unit, [entry], actor=actor(), now=now(campaign), expected_version=expected
        )
        who = unit_called(campaign, unit)
        out.print(t("explanation_recorded", unit=who, node=node, version=version), markup=False)

    guard(body)


@survey_app.command("import")
def survey_import(
    campaign: CampaignArg,
    file: Annotated[Path, typer.Argument(help="survey.yaml (or council.yaml with --council).")],
    council: Annotated[
        bool, typer.Option("--council", help="The file holds the council's scores.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Drop the stored results of every unit the file does not name."
        ),
    ] = False,
) -> None:
    """Load the survey results (or the council's scores) of a campaign.

    The whole file is checked against the index first (nothing is stored if any entry is
    wrong). The units it names take its results; the others keep theirs unless --replace.

    Example: parindex survey import langson-2019 samples/2019/survey.yaml
    """

    def body() -> None:
        kind = "council" if council else "survey"
        units = imports.import_source(
            store(),
            campaign,
            kind,
            read_text(file),
            str(file),
            actor=actor(),
            now=now(campaign),
            replace=replace,
        )
        how = t("others_replaced" if replace else "others_kept")
        out.print(t(f"{kind}_stored", id=campaign, n=len(units), how=how), markup=False)

    guard(body)
