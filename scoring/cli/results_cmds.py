"""Store commands: publish, verify, compare, export, templates and the audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scoring.cli import texts
from scoring.cli.base import (
    EXIT_FAIL,
    EXIT_OK,
    actor,
    app,
    campaign_option,
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
from scoring.cli.store_common import CampaignArg, CampaignOpt, JsonOpt, UnitArg, audit_app
from scoring.cli.texts import t
from scoring.errors import SubmissionError, suggest
from scoring.sources.clock import show
from scoring.sources.files import write_text
from scoring.sources.numbers import decimal_comma

if TYPE_CHECKING:
    from scoring.store.auditlog import Entry

# ---------------------------------------------------------------- results

audit = lazy("scoring.store.audit")
auditlog = lazy("scoring.store.auditlog")
publication = lazy("scoring.store.publication")
stored = lazy("scoring.store.stored")
years = lazy("scoring.store.years")


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
        run = publication.publish(st, campaign, actor=actor(), now=now(campaign), reason=reason)
        doc = publication.published_document(st, campaign)
        err.print(
            f"published run {run.id} ({run.kind}); result hash {run.result_hash}", markup=False
        )
        print_json(doc) if as_json else print_ranking(doc, campaign_zone(campaign))

    guard(body)


@app.command()
def verify(campaign: CampaignArg) -> None:
    """Recompute every published result of a campaign from storage and report differences.

    Example: parindex verify langson-2018
    """

    def body() -> int:
        report = publication.verify(store(read_only=True), campaign)
        if report.problems:
            for p in report.problems:
                err.print(f"verify: {p}", markup=False)
            return EXIT_FAIL
        out.print(t("verified", id=campaign, n=len(report.runs)), markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


@app.command()
def compare(
    first: Annotated[str, typer.Argument(help="Campaign id or year.")],
    second: Annotated[str, typer.Argument(help="Campaign id or year.")],
    as_json: JsonOpt = False,
) -> None:
    """Year over year: points, index and rank changes per unit and area, units joined by the
    register (merged, renamed, new, part-year, ended without a successor).

    Example: parindex compare 2018 2019
    """

    def body() -> None:
        doc = years.compare(store(read_only=True), first, second)
        if as_json:
            print_json(doc)
            return
        from rich.table import Table

        from scoring.campaign.register import part_year_vi

        table = Table(title=f"{doc['from']} → {doc['to']}", title_justify="left")
        for col in ("Đơn vị", "Chỉ số", "Δ", "Hạng", "Δ hạng", "Ghi chú"):
            table.add_column(col)
        for u in doc["units"]:
            r = u["rank"]
            notes = [f"kế thừa từ {u['from_unit']['name']}"] if u["join"] == "renamed" else []
            notes += [t for t in map(part_year_vi, u["part_year"]) if t]
            table.add_row(
                u["name"],
                f"{vn(u['index'][0])} → {vn(u['index'][1])}",
                vn(u["index"][2]),
                f"{r[0] if r[0] is not None else '—'} → {r[1] if r[1] is not None else '—'}",
                "" if r[2] is None else f"{r[2]:+d}",
                "; ".join(notes),
            )
        out.print(table)
        for line in register_lines(doc):
            out.print(line, markup=False)

    guard(body)


def vn(figure: str) -> str:
    """A figure as people read it here: with a decimal comma."""
    return str(decimal_comma(figure))


def register_lines(doc: dict[str, Any]) -> list[str]:
    """The register's part of ``compare`` in Vietnamese: merged units beside their
    predecessors (no change computed), new units, units with no successor, ids taken by
    another body."""
    from scoring.campaign.register import part_year_vi

    def said(u: dict[str, Any]) -> str:
        span = part_year_vi(u["part_year"])
        return f"{u['name']} (chỉ số {vn(u['index'])}{'; ' + span if span else ''})"

    lines: list[str] = []
    if doc["merged"]:
        lines.append("Đơn vị hợp nhất (không tính chênh lệch với từng đơn vị cũ):")
        for m in doc["merged"]:
            before = ", ".join(said(p) for p in m["predecessors"])
            lines.append(f"  {said(m)}: kế thừa từ {before}")
    if doc["new"]:
        lines.append("Đơn vị mới (không có đơn vị tiền thân):")
        lines += [f"  {said(n)}" for n in doc["new"]]
    if doc["no_successor"]:
        lines.append("Không có đơn vị kế thừa:")
        for g in doc["no_successor"]:
            end = f"; chấm dứt từ {show(g['ended_on'])}" if g["ended_on"] else ""
            note = f" — {g['note_vi']}" if g["note_vi"] else ""
            lines.append(f"  {said(g)}{end}{note}")
    if doc["conflicts"]:
        lines.append(
            "Cùng mã nhưng khác tên, không ghép (khai báo predecessors nếu là một đơn vị):"
        )
        lines += [f"  {c['unit_id']}: {c['name_from']} → {c['name_to']}" for c in doc["conflicts"]]
    return lines


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
        doc = publication.published_document(store(read_only=True), campaign)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            from scoring.reports.export import export_results

            export_results(doc, output)
        elif suffix == ".csv":
            from scoring.reports.export import export_csv

            export_csv(doc, output)
        elif suffix == ".json":
            write_text(output, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            raise SubmissionError(
                f"unknown format {suffix or output.name!r}: use .xlsx, .csv or .json",
                vi=f"không rõ định dạng {suffix or output.name!r}: dùng .xlsx, .csv hoặc .json",
                suggestion=suggest(suffix, [".xlsx", ".csv"]),
            )
        out.print(t("wrote", file=output), markup=False)

    guard(body)


@app.command()
def template(
    unit: UnitArg,
    campaign: Annotated[
        str,
        typer.Option(
            "--campaign", help="Campaign id in the store, or its year.", callback=campaign_option
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx to write.")],
) -> None:
    """Write a unit's Excel self-assessment template (one row per leaf, scoring text, max).

    Example: parindex template so-tai-chinh --campaign langson-2019 --output so-tai-chinh.xlsx
    """

    def body() -> None:
        from scoring.excel.reader import write_template

        u, index = stored.unit_with_index(store(read_only=True), campaign, unit)
        write_template(index, u.group_id, u.unit_id, u.name, output)
        out.print(t("wrote", file=output), markup=False)

    guard(body)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit chain: an edited or deleted entry is reported.

    Example: parindex audit verify
    """

    def body() -> int:
        count, problems = audit.check(store(read_only=True))
        for p in problems:
            err.print(f"audit: entry {p.seq} {p.problem}", markup=False)
        if problems:
            return EXIT_FAIL
        out.print(t("audit_intact", n=count), markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


@audit_app.command("list")
def audit_list(
    campaign: CampaignOpt = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    node: Annotated[str | None, typer.Option("--node")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Who changed what, when, from what to what, and why: each entry's time of writing
    (the machine's clock) and its effective time (--at), in the campaign's time zone.

    Example: parindex audit list --campaign langson-2018 --unit so-tai-chinh
    """

    def body() -> None:
        st = store(read_only=True)
        if as_json:  # exact: ISO UTC times, ids, the detail as stored
            print_json(audit.entries(st, campaign=campaign, unit=unit, node=node, limit=limit))
            return
        lang = texts.lang()
        entries = auditlog.listing(
            st, campaign=campaign, unit=unit, node=node, limit=limit, lang=lang
        )
        zones = stored.time_zones(st)
        if entries:
            out.print(
                f"{t('a_seq'):>6} {t('a_written'):<16} {t('a_effective'):<16} "
                f"{t('a_actor'):<22} {t('a_action'):<22} {t('a_where')}",
                markup=False,
            )
        for e in entries:
            out.print(audit_lines(e, zones.get(e.row.campaign_id or ""), lang), markup=False)

    guard(body)


def audit_lines(e: Entry, tz: str | None, lang: str) -> str:
    """One audit entry for people: its number, when written and effective (local time), who
    and what by name, the campaign, unit and item, then its detail in words on the next line,
    or for a save each changed field in the leaf's words."""
    from scoring.store.auditlog import action_name

    r = e.row
    written = show(r.written_at, tz) or "—"  # entries from before migration 0003
    where = " · ".join(x for x in (e.campaign_name, e.unit_name or r.unit_id, r.node_id) if x)
    lines = [
        f"{r.seq:>6} {written:<16} {show(r.at, tz):<16} {e.actor_name:<22} "
        f"{action_name(r.action, lang):<22} {where}".rstrip()
    ]
    if e.changes:
        lines += [f"{'':>6} {c.said}" for c in e.changes]
    elif e.said and e.said != "—":
        lines.append(f"{'':>6} {e.said}")
    return "\n".join(lines)
