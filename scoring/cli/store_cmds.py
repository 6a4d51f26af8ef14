"""Store commands: opening a campaign, importing, submitting, moving states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from scoring.campaign.submission import Schedule, UnitSpec
from scoring.cli import texts
from scoring.cli.base import (
    EXIT_FAIL,
    EXIT_OK,
    actor,
    app,
    campaign_option,
    campaign_zone,
    err,
    error_line,
    guard,
    lazy,
    now,
    out,
    print_json,
    print_ranking,
    store,
)
from scoring.cli.index_cmds import index_files
from scoring.cli.store_common import (
    CampaignArg,
    JsonOpt,
    UnitArg,
    VersionOpt,
    campaign_app,
    date_option,
    group_called,
    id_option,
    id_options,
    name_option,
    unit_app,
    unit_called,
    zone_option,
)
from scoring.cli.texts import t
from scoring.errors import InputFileError, Location, SubmissionError
from scoring.sources.yamlsrc import exists, is_dir, read_text

# ---------------------------------------------------------------- campaign

campaigns = lazy("scoring.store.campaigns")
imports = lazy("scoring.store.imports")
moves = lazy("scoring.store.moves")
cycle = lazy("scoring.store.cycle")
roster = lazy("scoring.store.roster")
stored = lazy("scoring.store.stored")


@campaign_app.command("create")
def campaign_create(
    campaign_id: Annotated[
        str,
        typer.Argument(
            help="New campaign id, e.g. langson-2019.", metavar="ID", callback=id_option
        ),
    ],
    year: Annotated[int, typer.Option("--year", help="The year assessed.")],
    index: Annotated[Path, typer.Option("--index", help="criteria.yaml")] = Path("criteria.yaml"),
    rules: Annotated[Path | None, typer.Option("--rules", help="Rule packs.")] = None,
    due: Annotated[
        dt.date | None, typer.Option("--due", help="Self-assessment deadline.", parser=date_option)
    ] = None,
    explanation_due: Annotated[
        dt.date | None,
        typer.Option(
            "--explanation-due", help="Explanation deadline (not before --due).", parser=date_option
        ),
    ] = None,
    late: Annotated[
        Literal["flag", "refuse"], typer.Option("--late", help="Late files: flagged or refused.")
    ] = "flag",
    units: Annotated[
        Path | None,
        typer.Option(
            "--units", help="A units file (units: [{id, name, group, tags}]), as in campaign.yaml."
        ),
    ] = None,
    time_zone: Annotated[
        str,
        typer.Option(
            "--time-zone",
            help="IANA time zone the deadlines are met and times shown in.",
            callback=zone_option,
        ),
    ] = "Asia/Ho_Chi_Minh",
) -> None:
    """Open a campaign on an index (registered in the store if new), with its units from a
    units file (or add them with `parindex unit add`). Dates: 2019-11-30 or 30/11/2019.

    Example: parindex campaign create langson-2019 --year 2019 --index samples/2019/criteria.yaml
    """
    if due and explanation_due and explanation_due < due:
        raise typer.BadParameter(
            f"{explanation_due} is before the self-assessment deadline --due {due}",
            param_hint="'--explanation-due'",
        )

    def body() -> None:
        sched = Schedule(self_assessment_due=due, explanation_due=explanation_due)
        rules_dir = index_files(None, index, rules)[1]
        specs = roster.read_units(units, year) if units is not None else []
        row = campaigns.create(
            store(),
            campaign_id,
            year,
            index,
            rules_dir,
            schedule=sched,
            late=late,
            time_zone=time_zone,
            units=specs,
            actor=actor(),
            now=now(time_zone=time_zone),
        )
        n = t("with_units", n=len(specs)) if specs else ""
        out.print(
            t("campaign_created", id=row.id, year=row.year, hash=row.index_hash[:12], units=n),
            markup=False,
        )

    guard(body)


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
        tz = st["time_zone"]
        late = st["late_submission"]
        late = t(f"late_{late}") if f"late_{late}" in texts.TEXT else late
        out.print(
            f"{st['campaign']} ({st['year']}): {texts.state(st['state'])} — "
            f"{t('index_word')} {st['index']}; {t('opened')} {texts.when(st['created_at'], tz)} "
            f"({tz}); {t('self_due')} {texts.when(st['self_assessment_due'])}, "
            f"{t('explain_due')} {texts.when(st['explanation_due'])}, {t('late_files')}: {late}",
            markup=False,
        )
        for u in st["units"]:
            flag = f" ({t('late')})" if u["late"] else ""
            when = texts.when(u["submitted_at"], tz) if u["submitted_at"] else ""
            out.print(
                f"  {u['unit_id']:<52} {texts.state(u['state']):<20} v{u['version']:<4} "
                f"{when}{flag}",
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
        doc = cycle.run_cycle(store(), folder, actor=actor(), progress=_step_done)
        if as_json:
            print_json(doc)
        else:
            print_ranking(doc, campaign_zone(doc["campaign"]))

    guard(body)


def _step_done(step: str, figures: dict[str, Any]) -> None:
    """A step of ``campaign run`` said on stderr, in the chosen language."""
    shown = dict(figures)
    if step == "submitted":
        late = shown["late"]
        shown.update(k=len(late), late=", ".join(late) or t("rb_none"))
    if step == "round":
        shown["round"] = texts.round_name(shown["round"]).lower()
    err.print(t(f"cycle_{step}", **shown), markup=False)


@campaign_app.command("advance")
def campaign_advance(
    campaign_id: CampaignArg,
    to: Annotated[str, typer.Option("--to", help="appraisal | review")],
) -> None:
    """Move the campaign to its next state (publication is `parindex publish`).

    Example: parindex campaign advance langson-2019 --to appraisal
    """

    def body() -> None:
        row = moves.advance_campaign(store(), campaign_id, to, actor=actor(), now=now(campaign_id))
        out.print(t("campaign_now", id=row.id, state=texts.state(row.state)), markup=False)

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
        str | None,
        typer.Option(
            "--campaign",
            help="Campaign id or year (for a single file).",
            callback=campaign_option,
        ),
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
            raise InputFileError(
                "no such file or folder", Location(str(path)), vi="không có tệp hay thư mục này"
            )
        st = store()
        if is_dir(path):
            from scoring.campaign.folder import read_campaign_file

            spec = read_campaign_file(path)
            when = now(spec.id, time_zone=spec.time_zone)
            report = imports.import_folder(st, path, actor=actor(), now=when)
            said = "import_created" if report.created else "import_updated"
            out.print(t(said, id=report.campaign, n=len(report.stored)), markup=False)
            for w in report.warnings:
                err.print(w, markup=False)
            for uid, errors in sorted(report.errors.items()):
                err.print(t("unit_not_imported", unit=uid), markup=False)
                for e in errors:
                    err.print(f"  {error_line(e)}", markup=False)
            return EXIT_FAIL if report.errors else EXIT_OK
        if campaign is None:
            raise SubmissionError(
                "importing one file needs --campaign ID",
                vi="nhập một tệp cần --campaign MÃ_KỲ (hoặc năm)",
            )
        uid, text = _unit_file(st, campaign, path, unit)
        for w in imports.import_unit(
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
        out.print(t("self_stored", unit=unit_called(campaign, uid), id=campaign), markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


def _unit_file(st: Any, cid: str, path: Path, unit: str | None) -> tuple[str, str]:
    """(unit id, text) of a unit file: YAML, JSON (by its .json name) or an .xlsx template
    (read as YAML)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from scoring.excel.reader import read_template

        text = read_template(path, stored.campaign_index(st, cid))
    else:  # YAML, or JSON read by its name (.json)
        text = read_text(path)
    from scoring.campaign.folder import parse_unit_file

    uf = parse_unit_file(text, str(path))[0]
    if unit is not None and unit != uf.unit:
        raise SubmissionError(
            f"the file is for unit {uf.unit!r}, not {unit!r}",
            vi=f"tệp này là của đơn vị {uf.unit!r}, không phải {unit!r}",
        )
    return uf.unit, text


@app.command()
def submit(campaign: CampaignArg, unit: UnitArg, expected: VersionOpt = None) -> None:
    """Lock a unit's self-assessment (draft → submitted); the deadline is enforced.

    Example: parindex submit langson-2019 so-tai-chinh
    """

    def body() -> None:
        row = moves.submit(
            store(), campaign, unit, actor=actor(), now=now(campaign), expected_version=expected
        )
        late = f" ({t('late')})" if row.late else ""
        who = texts.named(row.name, unit)
        out.print(t("submitted", unit=who, late=late, version=row.version), markup=False)

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
        row = moves.advance_unit(
            store(), campaign, unit, to, actor=actor(), now=now(campaign), expected_version=expected
        )
        who, state = texts.named(row.name, unit), texts.state(row.state)
        out.print(t("unit_now", unit=who, state=state, version=row.version), markup=False)

    guard(body)


@unit_app.command("add")
def unit_add(
    campaign: CampaignArg,
    unit: Annotated[
        str,
        typer.Argument(help="New unit id, e.g. so-tai-chinh.", metavar="UNIT", callback=id_option),
    ],
    name: Annotated[str, typer.Option("--name", help="The unit's name.", callback=name_option)],
    group: Annotated[
        str,
        typer.Option(
            "--group", help="Its group in the index, e.g. department.", callback=id_option
        ),
    ],
    tags: Annotated[
        list[str] | None,
        typer.Option("--tag", help="A tag (repeat for more).", callback=id_options),
    ] = None,
    unranked: Annotated[bool, typer.Option("--unranked", help="Scored, not ranked.")] = False,
) -> None:
    """Add a unit to an open campaign (its group checked against the campaign's index).

    Example: parindex unit add langson-2019 so-tai-chinh --name "Sở Tài chính" --group department
    """

    def body() -> None:
        spec = UnitSpec(id=unit, name=name, group=group, tags=tags or [], ranked=not unranked)
        row = roster.add_unit(store(), campaign, spec, actor=actor(), now=now())
        who, in_group = texts.named(row.name, row.unit_id), group_called(campaign, row.group_id)
        out.print(t("unit_added", unit=who, group=in_group, id=campaign), markup=False)

    guard(body)
