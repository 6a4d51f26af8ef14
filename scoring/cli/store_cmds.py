"""Store commands: opening a campaign, importing, submitting, moving states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputFileError, Location, SubmissionError
from ..submission import Schedule
from ..yamlsrc import exists, is_dir, read_text
from .base import (
    EXIT_FAIL,
    EXIT_OK,
    actor,
    app,
    campaign_zone,
    err,
    guard,
    lazy,
    now,
    out,
    print_json,
    print_ranking,
    store,
)
from .store_common import (
    CampaignArg,
    JsonOpt,
    UnitArg,
    VersionOpt,
    campaign_app,
)

# ---------------------------------------------------------------- campaign

campaigns = lazy("scoring.campaigns")
cycle = lazy("scoring.cycle")
stored = lazy("scoring.stored")


@campaign_app.command("create")
def campaign_create(
    campaign_id: CampaignArg,
    year: Annotated[int, typer.Option("--year", help="The year assessed.")],
    index: Annotated[Path, typer.Option("--index", help="criteria.yaml")] = Path("criteria.yaml"),
    rules: Annotated[Path | None, typer.Option("--rules", help="Rule packs.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Self-assessment deadline.")] = None,
    explanation_due: Annotated[str | None, typer.Option("--explanation-due")] = None,
    late: Annotated[str, typer.Option("--late", help="flag | refuse late files.")] = "flag",
    time_zone: Annotated[
        str,
        typer.Option(
            "--time-zone",
            help="IANA time zone the deadlines are met and times shown in.",
        ),
    ] = "Asia/Ho_Chi_Minh",
) -> None:
    """Open a campaign on an index (registered in the store if new).

    Example: parindex campaign create langson-2019 --year 2019 --index samples/2019/criteria.yaml
    """

    def body() -> None:
        sched = Schedule(
            self_assessment_due=_date("--due", due),
            explanation_due=_date("--explanation-due", explanation_due),
        )
        rules_dir = (
            rules
            if rules is not None
            else (index.parent / "rules" if is_dir(index.parent / "rules") else None)
        )
        row = campaigns.create(
            store(),
            campaign_id,
            year,
            index,
            rules_dir,
            schedule=sched,
            late=late,
            time_zone=time_zone,
            actor=actor(),
            now=now(time_zone=time_zone),
        )
        out.print(
            f"campaign {row.id} ({row.year}) opened on index {row.index_hash[:12]}", markup=False
        )

    guard(body)


def _date(option: str, text: str | None) -> dt.date | None:
    """An option's ISO date; a usage mistake is an error naming the option (it was a bug:
    pydantic's ValidationError escaped)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SubmissionError(f"{option}: not a date (YYYY-MM-DD): {text!r}") from None


@campaign_app.command("status")
def campaign_status(campaign_id: CampaignArg, as_json: JsonOpt = False) -> None:
    """Show the campaign's state, deadlines and every unit's workflow state and version.

    Example: parindex campaign status langson-2018
    """

    def body() -> None:
        st = campaigns.status(store(read_only=True), campaign_id)
        if as_json:
            print_json(st)
            return
        from ..clock import show

        tz = st["time_zone"]
        out.print(
            f"{st['campaign']} ({st['year']}): {st['state']} — index {st['index']}; "
            f"opened {show(st['created_at'], tz)} ({tz}); "
            f"self-assessment due {show(st['self_assessment_due']) or '—'}, explanations due "
            f"{show(st['explanation_due']) or '—'}, late files: {st['late_submission']}",
            markup=False,
        )
        for u in st["units"]:
            flag = " (late)" if u["late"] else ""
            when = show(u["submitted_at"], tz)
            out.print(
                f"  {u['unit_id']:<52} {u['state']:<12} v{u['version']:<4} {when}{flag}",
                markup=False,
            )

    guard(body)


@campaign_app.command("run")
def campaign_run(
    folder: Annotated[Path, typer.Argument(help="Campaign folder with campaign.yaml.")],
    as_json: JsonOpt = False,
) -> None:
    """Run a campaign folder's whole year into the store and print the published ranking:
    import, submit, appraisal round 1, explanations, round 2, review, publish.

    Example: parindex campaign run samples/2018
    """

    def body() -> None:
        doc = cycle.run_cycle(
            store(), folder, actor=actor(), progress=lambda m: err.print(m, markup=False)
        )
        if as_json:
            print_json(doc)
        else:
            print_ranking(doc, campaign_zone(doc["campaign"]))

    guard(body)


@campaign_app.command("advance")
def campaign_advance(
    campaign_id: CampaignArg,
    to: Annotated[str, typer.Option("--to", help="appraisal | review")],
) -> None:
    """Move the campaign to its next state (publication is `parindex publish`).

    Example: parindex campaign advance langson-2019 --to appraisal
    """

    def body() -> None:
        row = campaigns.advance_campaign(
            store(), campaign_id, to, actor=actor(), now=now(campaign_id)
        )
        out.print(f"campaign {row.id} is now {row.state}", markup=False)

    guard(body)


# ---------------------------------------------------------------- units


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A campaign folder, or one unit's file (.yaml, .json or an .xlsx template)."
        ),
    ],
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="Campaign id (for a single file).")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit id (for an .xlsx).")] = None,
    expected: VersionOpt = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Let one unit's file drop answers already stored (refused without it).",
        ),
    ] = False,
) -> None:
    """Import self-assessments: a whole campaign folder (creating the campaign), or one unit.

    A unit's file that leaves out answers already stored is refused (the message names them)
    unless --replace is given.

    Example: parindex import samples/2019
    Example: parindex import a.json --campaign langson-2019 --replace
    """

    def body() -> int:
        if not exists(path):  # before the store is opened (and perhaps created)
            raise InputFileError("no such file or folder", Location(str(path)))
        st = store()
        if is_dir(path):
            from ..submission import read_campaign_file

            spec = read_campaign_file(path)
            when = now(spec.id, time_zone=spec.time_zone)
            report = campaigns.import_folder(st, path, actor=actor(), now=when)
            verb = "created" if report.created else "updated"
            out.print(
                f"campaign {report.campaign} {verb}: {len(report.stored)} self-assessments stored",
                markup=False,
            )
            for w in report.warnings:
                err.print(w, markup=False)
            for uid, errors in sorted(report.errors.items()):
                err.print(f"unit {uid} was not imported:", markup=False)
                for e in errors:
                    err.print(f"  error: {e}", markup=False)
            return EXIT_FAIL if report.errors else EXIT_OK
        if campaign is None:
            raise SubmissionError("importing one file needs --campaign ID")
        uid, text = _unit_file(st, campaign, path, unit)
        for w in campaigns.import_unit(
            st,
            campaign,
            uid,
            text,
            str(path),
            actor=actor(),
            now=now(campaign),
            expected_version=expected,
            replace=replace,
        ):
            err.print(w, markup=False)
        out.print(f"self-assessment of {uid} stored in {campaign}", markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


def _unit_file(st: Any, cid: str, path: Path, unit: str | None) -> tuple[str, str]:
    """(unit id, text) of a unit file: YAML, JSON (by its .json name) or an .xlsx template
    (read as YAML)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from ..excel import read_template

        with st.read() as s:
            index = stored.index_for(s, stored.campaign_row(s, cid).index_hash)
        text = read_template(path, index)
    else:  # YAML, or JSON read by its name (.json)
        text = read_text(path)
    from ..submission import parse_unit_file

    uf = parse_unit_file(text, str(path))[0]
    if unit is not None and unit != uf.unit:
        raise SubmissionError(f"the file is for unit {uf.unit!r}, not {unit!r}")
    return uf.unit, text


@app.command()
def submit(campaign: CampaignArg, unit: UnitArg, expected: VersionOpt = None) -> None:
    """Lock a unit's self-assessment (draft → submitted); the deadline is enforced.

    Example: parindex submit langson-2019 so-tai-chinh
    """

    def body() -> None:
        row = campaigns.submit(
            store(), campaign, unit, actor=actor(), now=now(campaign), expected_version=expected
        )
        late = " (late)" if row.late else ""
        out.print(f"{unit} submitted{late}; version {row.version}", markup=False)

    guard(body)


@app.command()
def advance(
    campaign: CampaignArg,
    unit: UnitArg,
    to: Annotated[
        str, typer.Option("--to", help="appraised_1 | explanation | appraised_2 | final")
    ],
    expected: VersionOpt = None,
) -> None:
    """Move one unit to its next workflow state.

    Example: parindex advance langson-2019 so-tai-chinh --to appraised_1
    """

    def body() -> None:
        row = campaigns.advance_unit(
            store(), campaign, unit, to, actor=actor(), now=now(campaign), expected_version=expected
        )
        out.print(f"{unit} is now {row.state}; version {row.version}", markup=False)

    guard(body)
