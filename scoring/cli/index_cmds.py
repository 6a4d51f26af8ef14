"""``parindex check``, ``score``, ``explain``: the index and campaign folders (or, for
``explain`` and the commands scoring a campaign, a campaign in the store)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from scoring.campaign.folder import check_forms_design, load_campaign, read_campaign_file
from scoring.cli import texts
from scoring.cli.base import (
    EXIT_FAIL,
    EXIT_OK,
    app,
    campaign_of,
    campaign_zone,
    err,
    error_line,
    guard,
    lazy,
    out,
    print_json,
    print_ranking,
    print_trace,
    store,
)
from scoring.cli.texts import t
from scoring.errors import ErrorList, Location, ParindexError, SubmissionError, unknown_id
from scoring.evaluation.documents import score_document, trace_document
from scoring.evaluation.ranking import CampaignResult, score_campaign
from scoring.evaluation.trace import subtree, to_jsonable
from scoring.index.loader import Index, load_index
from scoring.sources.yamlsrc import exists, is_dir

publication = lazy("scoring.store.publication")  # the store: imported when a command needs it
stored = lazy("scoring.store.stored")


def index_files(
    campaign: Path | None, index: Path | None, rules: Path | None
) -> tuple[Path, Path | None]:
    """The index file and rule folder the options name: --index and --rules, else those the
    campaign folder's campaign.yaml names, else criteria.yaml and the rules folder beside it."""
    spec = read_campaign_file(campaign) if campaign is not None else None
    folder = campaign if campaign is None or is_dir(campaign) else campaign.parent
    if index is None:
        index = (folder / spec.index) if spec and spec.index and folder else Path("criteria.yaml")
    if rules is None:
        if spec and spec.rules and folder:
            rules = folder / spec.rules
        elif is_dir(index.parent / "rules"):
            rules = index.parent / "rules"
    return index, rules


IndexOpt = Annotated[Path | None, typer.Option("--index", help="criteria.yaml to use.")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Folder of rule packs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@app.command()
def check(
    criteria: Annotated[Path, typer.Argument(help="The index file.")] = Path("criteria.yaml"),
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate an index and its rule packs; print a summary (or every problem, located).

    Example: parindex check criteria.yaml --rules rules
    """

    def body() -> int:
        try:
            index = load_index(*index_files(None, criteria, rules))
        except ParindexError as exc:
            if not as_json:
                raise
            problems = exc.errors if isinstance(exc, ErrorList) else [exc]
            print_json({"ok": False, "errors": [_located(e) for e in problems]})
            return EXIT_FAIL
        summary = _summary(index)
        if as_json:
            print_json({"ok": True, **summary})
            return EXIT_OK
        meta = index.meta
        title = texts.pick(meta.title_vi, meta.title_en)
        say = out.print
        say(t("check_ok", id=summary["index"], title=title, year=meta.year), markup=False)
        say(t("check_hash", hash=summary["content_hash"]), markup=False)
        for gid, g in summary["groups"].items():
            group = index.groups[gid].group
            name = texts.pick(group.title_vi, group.title_en)
            say(t("check_group", group=name, **g), markup=False)
        packs = {k: summary[k] for k in ("checks", "bonuses", "penalties")}
        say(t("check_packs", **packs), markup=False)
        say(t("check_engine", n=summary["engine_rules"]), markup=False)
        kinds = ", ".join(f"{texts.kind_name(k)} ({k}) {n}" for k, n in summary["kinds"].items())
        say(t("check_kinds", kinds=kinds), markup=False)
        for w in index.warnings:
            say(t("check_note", note=w), markup=False)
        return EXIT_OK

    raise typer.Exit(guard(body))


def _located(e: ParindexError) -> dict[str, Any]:
    loc = e.location
    return {
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "path": list(loc.trail),
        "message": e.message,
        "suggestion": e.suggestion,
    }


def _summary(index: Index) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    groups = {}
    for gid, view in index.groups.items():
        groups[gid] = {
            "areas": len(view.areas),
            "nodes": len(view.items) - len(view.leaves),
            "leaves": len(view.leaves),
        }
        for item in view.leaves.values():
            assert item.node.rule is not None
            kinds[item.node.rule.kind] = kinds.get(item.node.rule.kind, 0) + 1
    return {
        "index": index.id,
        "year": index.meta.year,
        "content_hash": index.content_hash,
        "groups": groups,
        "checks": len(index.checks),
        "bonuses": sum(a.sign > 0 for a in index.adjustments),
        "penalties": sum(a.sign < 0 for a in index.adjustments),
        "engine_rules": index.rule_count,
        "kinds": dict(sorted(kinds.items())),
        "notes": list(index.warnings),
    }


def campaign_result(
    campaign: str, index: Path | None = None, rules: Path | None = None, published: bool = False
) -> CampaignResult:
    """A campaign folder scored as ``parindex score`` does, else a stored campaign: as it
    stands, or (``published``) with the appraisal changes of its last published run."""
    if is_dir(Path(campaign)):
        return _score(Path(campaign), index, rules)
    if "/" in campaign or "\\" in campaign or exists(Path(campaign)):  # a path, not an id
        raise SubmissionError(
            "not a campaign folder", Location(campaign), vi="không phải thư mục kỳ đánh giá"
        )
    st = store(read_only=True)
    cid = publication.campaign_id(st, campaign)
    result: CampaignResult = publication.scored(st, cid, as_published=published)[1]
    return result


def report_unscored(result: CampaignResult) -> int:
    """Print the units that could not be scored; the exit code that follows."""
    for uid, errors in sorted(result.errors.items()):
        label = f"{uid}:" if uid.endswith(" file") else t("unit_not_scored", unit=uid)
        err.print(label, markup=False)
        for e in errors:
            err.print(f"  {error_line(e)}", markup=False)
    return EXIT_FAIL if result.errors else EXIT_OK


def _score(campaign: Path, index: Path | None, rules: Path | None) -> CampaignResult:
    idx = load_index(*index_files(campaign, index, rules))
    check_forms_design(idx, campaign)
    return score_campaign(idx, load_campaign(campaign))


@app.command()
def score(
    campaign: Annotated[Path, typer.Argument(help="Campaign folder (with campaign.yaml).")],
    index: IndexOpt = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Score every unit of a campaign; print the ranking per group.

    Example: parindex score samples/2018 --json
    """

    def body() -> int:
        result = _score(campaign, index, rules)
        if as_json:
            sys.stdout.write(
                json.dumps(score_document(result), ensure_ascii=False, indent=2) + "\n"
            )
        else:
            print_ranking(score_document(result))
        return report_unscored(result)

    raise typer.Exit(guard(body))


@app.command()
def explain(
    unit: Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")],
    node: Annotated[str | None, typer.Argument(help="Node id, e.g. 1.1 (default: all).")] = None,
    campaign: Annotated[
        str,
        typer.Option(
            "--campaign", "-c", help="Campaign folder, or a campaign id or year in the store."
        ),
    ] = "samples/2018",
    index: IndexOpt = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show why a unit got its points: every rule that fired, its inputs and points, and
    (for a stored campaign) every appraisal change and explanation.

    Example: parindex explain so-tai-chinh 1.1 --campaign samples/2018
    """

    def body() -> None:
        tz = None
        if is_dir(Path(campaign)):
            result = _score(Path(campaign), index, rules)
            if result.unit(unit) is None and unit in result.errors:
                raise ErrorList(result.errors[unit])
            doc, explanations = _unit_trace(result, unit, node), None
            compiled = result.index
        else:
            cid = campaign_of(campaign)
            doc, explanations, compiled = _stored_trace(cid, unit, node)
            tz = campaign_zone(cid)
        if as_json:
            doc["explanations"] = explanations or []
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        print_trace(doc, explanations, tz, compiled.meta.rounding.places, compiled)

    guard(body)


def _unit_trace(
    result: CampaignResult, unit: str, node: str | None, known: Iterable[str] | None = None
) -> dict[str, Any]:
    """The trace document of a scored unit (the subtree of ``node``, if given); an unknown
    unit (among ``known``, by default the scored ones) or node is refused with the closest."""
    r = result.unit(unit)
    if r is None:
        every = [u.unit_id for rs in result.groups.values() for u in rs] if known is None else known
        raise unknown_id("no scored unit", unit, every, f"in {result.campaign_id}")
    if node is not None and node not in r.nodes and not any(s.node == node for s in r.trace):
        raise unknown_id("no node", node, r.nodes, f"in group {r.group!r}")
    return trace_document(r, subtree(r, node), result.index.id, result.index.content_hash, node)


def _stored_trace(
    cid: str, unit: str, node: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]], Index]:
    """A unit's trace from the store (as published, else as it stands), its explanations and
    the index it was scored with."""
    st = store(read_only=True)
    held, result = publication.scored(st, cid, as_published=True)
    doc = _unit_trace(result, unit, node, [u.unit_id for u in held.units])
    return to_jsonable(doc), stored.explanations(st, cid, unit), result.index
