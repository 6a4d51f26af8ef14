"""Commands on the campaign store: the annual cycle from opening to publication and audit."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import appraisal, audit, campaigns, cycle, publication
from ..errors import ErrorList, ParindexError, SubmissionError, suggest
from ..rounds import ExplanationEntry, parse_appraisals, parse_explanations
from ..stored import campaign_row, explanation_rows, index_for, unit_row
from ..submission import EvidenceRef, Schedule
from ..trace import subtree, to_jsonable
from ..yamlsrc import dump_yaml, read_text
from .base import (
    EXIT_FAIL,
    EXIT_OK,
    actor,
    app,
    err,
    guard,
    now,
    out,
    print_json,
    print_ranking,
    store,
)

campaign_app = typer.Typer(help="Open, follow, move and run a campaign.", no_args_is_help=True)
survey_app = typer.Typer(help="Survey and council results.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
app.add_typer(survey_app, name="survey")
app.add_typer(audit_app, name="audit")

CampaignArg = Annotated[str, typer.Argument(help="Campaign id in the store, e.g. langson-2018.")]
UnitArg = Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")]
VersionOpt = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        help="Refuse if the unit changed since you read this version (see campaign status).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


# ---------------------------------------------------------------- campaign


@campaign_app.command("create")
def campaign_create(
    campaign_id: CampaignArg,
    year: Annotated[int, typer.Option("--year", help="The year assessed.")],
    index: Annotated[Path, typer.Option("--index", help="criteria.yaml")] = Path("criteria.yaml"),
    rules: Annotated[Path | None, typer.Option("--rules", help="Rule packs.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Self-assessment deadline.")] = None,
    explanation_due: Annotated[str | None, typer.Option("--explanation-due")] = None,
    late: Annotated[str, typer.Option("--late", help="flag | refuse late files.")] = "flag",
) -> None:
    """Open a campaign on an index (registered in the store if new).

    Example: parindex campaign create langson-2019 --year 2019 --index samples/2019/criteria.yaml
    """

    def body() -> None:
        sched = Schedule.model_validate(
            {"self_assessment_due": due, "explanation_due": explanation_due}
        )
        rules_dir = (
            rules
            if rules is not None
            else (index.parent / "rules" if (index.parent / "rules").is_dir() else None)
        )
        row = campaigns.create(
            store(),
            campaign_id,
            year,
            index,
            rules_dir,
            schedule=sched,
            late=late,
            actor=actor(),
            now=now(),
        )
        out.print(
            f"campaign {row.id} ({row.year}) opened on index {row.index_hash[:12]}", markup=False
        )

    guard(body)


@campaign_app.command("status")
def campaign_status(campaign_id: CampaignArg, as_json: JsonOpt = False) -> None:
    """Show the campaign's state, deadlines and every unit's workflow state and version.

    Example: parindex campaign status langson-2018
    """

    def body() -> None:
        st = campaigns.status(store(), campaign_id)
        if as_json:
            print_json(st)
            return
        out.print(
            f"{st['campaign']} ({st['year']}): {st['state']} — index {st['index']}; "
            f"self-assessment due {st['self_assessment_due']}, explanations due "
            f"{st['explanation_due']}, late files: {st['late_submission']}",
            markup=False,
        )
        for u in st["units"]:
            flag = " (late)" if u["late"] else ""
            out.print(f"  {u['unit_id']:<52} {u['state']:<12} v{u['version']}{flag}", markup=False)

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
            print_ranking(doc)

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
        row = campaigns.advance_campaign(store(), campaign_id, to, actor=actor(), now=now())
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
) -> None:
    """Import self-assessments: a whole campaign folder (creating the campaign), or one unit.

    Example: parindex import samples/2019
    """

    def body() -> int:
        st = store()
        if path.is_dir():
            report = campaigns.import_folder(st, path, actor=actor(), now=now())
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
            st, campaign, uid, text, str(path), actor=actor(), now=now(), expected_version=expected
        ):
            err.print(w, markup=False)
        out.print(f"self-assessment of {uid} stored in {campaign}", markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


def _unit_file(st: Any, cid: str, path: Path, unit: str | None) -> tuple[str, str]:
    """(unit id, canonical YAML text) of a unit file in any accepted format."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from ..excel import read_template

        with st.read() as s:
            index = index_for(s, campaign_row(s, cid).index_hash)
        text = read_template(path, index)
    elif suffix == ".json":
        try:
            data = json.loads(read_text(path), parse_float=Decimal)
        except (json.JSONDecodeError, InvalidOperation) as exc:
            from ..errors import Location

            raise SubmissionError(f"invalid JSON: {exc}", Location(str(path))) from None
        text = dump_yaml(data)
    else:
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
            store(), campaign, unit, actor=actor(), now=now(), expected_version=expected
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
            store(), campaign, unit, to, actor=actor(), now=now(), expected_version=expected
        )
        out.print(f"{unit} is now {row.state}; version {row.version}", markup=False)

    guard(body)


# ---------------------------------------------------------------- appraisal


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
            errors: list[ParindexError] = []
            for uid, entries in f.units.items():
                batch = [
                    appraisal.Change(e.node, e.score, e.reason, e.appraiser or f.appraiser)
                    for e in entries
                ]
                try:
                    appraisal.appraise(
                        st, campaign, uid, str(f.round), batch, actor=actor(), now=now()
                    )
                except ParindexError as exc:
                    errors.append(exc)
            if errors:
                raise ErrorList.of(errors)
            out.print(
                f"round {f.round}: {sum(len(v) for v in f.units.values())} changes recorded",
                markup=False,
            )
            return
        if unit is None or not set_:
            raise SubmissionError("give UNIT and at least one --set NODE=POINTS, or --file")
        changes = []
        for item in set_:
            node, _, value = item.partition("=")
            try:
                score = Decimal(value)
            except InvalidOperation:
                raise SubmissionError(f"--set {item}: expected NODE=POINTS") from None
            changes.append(appraisal.Change(node.strip(), score, reason, actor()))
        version = appraisal.appraise(
            st, campaign, unit, round_, changes, actor=actor(), now=now(), expected_version=expected
        )
        out.print(f"{len(changes)} change(s) recorded for {unit}; version {version}", markup=False)

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
            for uid, entries in ex.units.items():
                appraisal.respond(st, campaign, uid, entries, actor=actor(), now=now())
            out.print(f"explanations of {len(ex.units)} unit(s) recorded", markup=False)
            return
        if unit is None or node is None or not text.strip():
            raise SubmissionError("give UNIT NODE --text TEXT, or --file")
        entry = ExplanationEntry(
            node=node, text=text, evidence=[EvidenceRef(doc=d) for d in evidence or []]
        )
        version = appraisal.respond(
            st, campaign, unit, [entry], actor=actor(), now=now(), expected_version=expected
        )
        out.print(f"explanation recorded for {unit} {node}; version {version}", markup=False)

    guard(body)


@survey_app.command("import")
def survey_import(
    campaign: CampaignArg,
    file: Annotated[Path, typer.Argument(help="survey.yaml (or council.yaml with --council).")],
    council: Annotated[
        bool, typer.Option("--council", help="The file holds the council's scores.")
    ] = False,
) -> None:
    """Load the survey results (or the council's scores) of a campaign.

    Example: parindex survey import langson-2019 samples/2019/survey.yaml
    """

    def body() -> None:
        kind = "council" if council else "survey"
        campaigns.import_source(
            store(), campaign, kind, read_text(file), str(file), actor=actor(), now=now()
        )
        out.print(f"{kind} results stored for {campaign}", markup=False)

    guard(body)


# ---------------------------------------------------------------- results


@app.command()
def publish(
    campaign: CampaignArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (for a correction).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Publish the final classification and ranking (frozen), or a correction of them.

    Example: parindex publish langson-2019
    """

    def body() -> None:
        st = store()
        run = publication.publish(st, campaign, actor=actor(), now=now(), reason=reason)
        with st.read() as s:
            doc = publication.published(s, campaign)
        err.print(
            f"published run {run.id} ({run.kind}); result hash {run.result_hash}", markup=False
        )
        print_json(doc) if as_json else print_ranking(doc)

    guard(body)


@app.command()
def verify(campaign: CampaignArg) -> None:
    """Recompute every published result of a campaign from storage and report differences.

    Example: parindex verify langson-2018
    """

    def body() -> int:
        report = publication.verify(store(), campaign)
        if report.problems:
            for p in report.problems:
                err.print(f"verify: {p}", markup=False)
            return EXIT_FAIL
        out.print(
            f"{campaign}: {len(report.runs)} published run(s) recomputed from storage: identical",
            markup=False,
        )
        return EXIT_OK

    raise typer.Exit(guard(body))


@app.command()
def compare(
    first: Annotated[str, typer.Argument(help="Campaign id or year.")],
    second: Annotated[str, typer.Argument(help="Campaign id or year.")],
    as_json: JsonOpt = False,
) -> None:
    """Year over year: points, index and rank changes per unit and area.

    Example: parindex compare 2018 2019
    """

    def body() -> None:
        doc = publication.compare(store(), first, second)
        if as_json:
            print_json(doc)
            return
        from rich.table import Table

        table = Table(title=f"{doc['from']} → {doc['to']}", title_justify="left")
        for col in ("Đơn vị", "Chỉ số", "Δ", "Hạng", "Δ hạng"):
            table.add_column(col)
        for u in doc["units"]:
            r = u["rank"]
            table.add_row(
                u["name"],
                f"{u['index'][0]} → {u['index'][1]}",
                u["index"][2],
                f"{r[0]} → {r[1]}",
                "" if r[2] is None else f"{r[2]:+d}",
            )
        out.print(table)

    guard(body)


@app.command()
def export(
    campaign: CampaignArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (.xlsx, .csv or .json).")
    ],
) -> None:
    """Export the published ranking annex (rank, unit, points by area, totals, class).

    Example: parindex export langson-2018 --output ket-qua-2018.xlsx
    """

    def body() -> None:
        with store().read() as s:
            doc = publication.published(s, campaign)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            from ..excel import export_results

            export_results(doc, output)
        elif suffix == ".csv":
            from ..excel import export_csv

            export_csv(doc, output)
        elif suffix == ".json":
            output.write_text(
                json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        else:
            raise SubmissionError(
                f"unknown format {suffix or output.name!r}: use .xlsx, .csv or .json",
                suggestion=suggest(suffix, [".xlsx", ".csv"]),
            )
        out.print(f"wrote {output}", markup=False)

    guard(body)


@app.command()
def template(
    unit: UnitArg,
    campaign: Annotated[str, typer.Option("--campaign", help="Campaign id in the store.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
) -> None:
    """Write a unit's Excel self-assessment template (one row per leaf, scoring text, max).

    Example: parindex template so-tai-chinh --campaign langson-2019 --output so-tai-chinh.xlsx
    """

    def body() -> None:
        from ..excel import write_template

        with store().read() as s:
            row = campaign_row(s, campaign)
            u = unit_row(s, campaign, unit)
            write_template(index_for(s, row.index_hash), u.group_id, u.unit_id, u.name, output)
        out.print(f"wrote {output}", markup=False)

    guard(body)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit chain: an edited or deleted entry is reported.

    Example: parindex audit verify
    """

    def body() -> int:
        with store().read() as s:
            count, problems = audit.verify(s)
        for p in problems:
            err.print(f"audit: entry {p.seq} {p.problem}", markup=False)
        if problems:
            return EXIT_FAIL
        out.print(f"audit log: {count} entries, chain intact", markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


@audit_app.command("list")
def audit_list(
    campaign: Annotated[str | None, typer.Option("--campaign")] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    node: Annotated[str | None, typer.Option("--node")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Who changed what, when, from what to what, and why.

    Example: parindex audit list --campaign langson-2018 --unit so-tai-chinh
    """

    def body() -> None:
        from sqlmodel import col, select

        from ..schema import AuditRow

        with store().read() as s:
            q = select(AuditRow)
            for column, value in (
                (AuditRow.campaign_id, campaign),
                (AuditRow.unit_id, unit),
                (AuditRow.node_id, node),
            ):
                if value is not None:
                    q = q.where(column == value)
            rows = list(s.exec(q.order_by(col(AuditRow.seq).desc()).limit(limit)))
        entries = [
            {
                "seq": r.seq,
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "campaign": r.campaign_id,
                "unit": r.unit_id,
                "node": r.node_id,
                "detail": json.loads(r.detail_json),
            }
            for r in reversed(rows)
        ]
        if as_json:
            print_json(entries)
            return
        for e in entries:
            where = " ".join(x for x in (e["campaign"], e["unit"], e["node"]) if x)
            out.print(
                f"{e['seq']:>6} {e['at']} {e['actor']:<22} {e['action']:<22} {where} "
                f"{json.dumps(e['detail'], ensure_ascii=False)}",
                markup=False,
            )

    guard(body)


def stored_trace(
    cid: str, unit: str, node: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A unit's trace from the store (as published, else as it stands) and its explanations."""
    from ..report import trace_document

    with store().read() as s:
        run = publication.latest_run(s, cid)
        stored, result = publication.compute(s, cid, run.last_appraisal_id if run else None)
        r = result.unit(unit)
        if r is None:
            raise SubmissionError(
                f"no scored unit {unit!r} in {cid}",
                suggestion=suggest(unit, [u.unit_id for u in stored.units]),
            )
        if node is not None and node not in r.nodes and not any(x.node == node for x in r.trace):
            raise SubmissionError(
                f"no node {node!r} in group {r.group!r}", suggestion=suggest(node, r.nodes)
            )
        doc = trace_document(r, subtree(r, node), stored.index.id, stored.index.content_hash, node)
        doc = to_jsonable(doc)
        expl = [
            {
                "node_id": e.node_id,
                "text": e.text,
                "author": e.author,
                "at": e.at,
                "evidence": json.loads(e.evidence_json),
            }
            for e in explanation_rows(s, cid)
            if e.unit_id == unit
        ]
    return doc, expl
