"""``parindex``: a thin command line over the scoring library.

Exit codes: 0 ok; 1 expected failure (bad input, with file, line and path); 2 usage;
3 a bug (traceback only with ``--debug``); 130 interrupted.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .errors import EngineError, ErrorList, ParindexError
from .loader import Index, load_index
from .numbers import fmt, quantize
from .ranking import CampaignResult, score_campaign
from .report import score_document, trace_document
from .submission import load_campaign, read_campaign_file
from .trace import subtree

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPT = 0, 1, 2, 3, 130

app = typer.Typer(
    name="parindex",
    help="Score a provincial administrative-reform index (Chỉ số CCHC) from YAML, with traces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)
_state = {"debug": False}
T = TypeVar("T")


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of bugs.")] = False,
) -> None:
    """parindex: the PAR index as data, scored by durable-rules, every point traced."""
    _state["debug"] = debug


def _guard(fn: Callable[[], T]) -> T:
    """Run a command body; turn our errors into messages and exit codes."""
    try:
        return fn()
    except EngineError as exc:
        err.print(f"[bold red]internal error[/]: {exc}", markup=True)
        if _state["debug"]:
            traceback.print_exc()
        raise typer.Exit(EXIT_BUG) from None
    except ParindexError as exc:
        for e in exc.errors if isinstance(exc, ErrorList) else [exc]:
            err.print(f"error: {e}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPT) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug: say so plainly, traceback only on request
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
        )
        if _state["debug"]:
            traceback.print_exc()
        raise typer.Exit(EXIT_BUG) from None


def _resolve_index(
    campaign: Path | None, index: Path | None, rules: Path | None
) -> tuple[Path, Path | None]:
    spec = read_campaign_file(campaign) if campaign is not None else None
    folder = campaign if campaign is None or campaign.is_dir() else campaign.parent
    if index is None:
        index = (folder / spec.index) if spec and spec.index and folder else Path("criteria.yaml")
    if rules is None:
        if spec and spec.rules and folder:
            rules = folder / spec.rules
        elif (index.parent / "rules").is_dir():
            rules = index.parent / "rules"
    return index, rules


IndexOpt = Annotated[Path | None, typer.Option("--index", help="criteria.yaml to use.")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Folder of rule packs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@app.command()
def check(
    criteria: Annotated[Path, typer.Argument(help="The index file.")] = Path("criteria.yaml"),
    rules: RulesOpt = None,
) -> None:
    """Validate an index and its rule packs; print a summary.

    Example: parindex check criteria.yaml --rules rules
    """

    def body() -> None:
        index = load_index(*_resolve_index(None, criteria, rules))
        _summary(index)

    _guard(body)


def _summary(index: Index) -> None:
    meta = index.meta
    out.print(f"{meta.id}: {meta.title_vi} ({meta.year}) — OK")
    out.print(f"  content hash {index.content_hash}")
    kinds: dict[str, int] = {}
    for gid, view in index.groups.items():
        out.print(
            f"  group {gid}: {len(view.areas)} areas, {len(view.items) - len(view.leaves)} "
            f"criteria and areas, {len(view.leaves)} scored leaves"
        )
        for item in view.leaves.values():
            assert item.node.rule is not None
            kinds[item.node.rule.kind] = kinds.get(item.node.rule.kind, 0) + 1
    out.print(
        f"  rule packs: {len(index.checks)} checks, "
        f"{sum(a.sign > 0 for a in index.adjustments)} bonuses, "
        f"{sum(a.sign < 0 for a in index.adjustments)} penalties"
    )
    out.print(f"  durable-rules ruleset: {index.rule_count} rules")
    out.print("  rule kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for w in index.warnings:
        out.print(f"  note: {w}")


def _score(campaign: Path, index: Path | None, rules: Path | None) -> CampaignResult:
    idx = load_index(*_resolve_index(campaign, index, rules))
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
            _tables(result)
        for uid, errors in sorted(result.errors.items()):
            err.print(f"unit {uid} was not scored:", markup=False)
            for e in errors:
                err.print(f"  error: {e}", markup=False)
        return EXIT_FAIL if result.errors else EXIT_OK

    raise typer.Exit(_guard(body))


def _tables(result: CampaignResult) -> None:
    meta = result.index.meta
    places = meta.rounding.places
    out.print(
        f"{meta.title_vi} — {result.campaign_id} (index {meta.id}, "
        f"hash {result.index.content_hash[:12]})"
    )
    for gid, results in result.groups.items():
        g = result.index.groups[gid].group
        table = Table(title=f"{g.title_vi} / {g.title_en}", title_justify="left")
        for col, justify in (
            ("Hạng", "right"),
            ("Đơn vị", "left"),
            ("Điểm", "right"),
            ("Tối đa", "right"),
            ("Chỉ số", "right"),
            ("Xếp loại", "left"),
        ):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for r in results:
            table.add_row(
                "" if r.rank is None else str(r.rank),
                r.name,
                fmt(quantize(r.points, places)),
                fmt(quantize(r.max_points, places)),
                fmt(quantize(r.index, places)),
                r.classification.label_vi if r.classification else "",
            )
        out.print(table)
    for r in (r for rs in result.groups.values() for r in rs):
        for w in r.warnings:
            err.print(w, markup=False)


@app.command()
def explain(
    unit: Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")],
    node: Annotated[str | None, typer.Argument(help="Node id, e.g. 1.1 (default: all).")] = None,
    campaign: Annotated[Path, typer.Option("--campaign", "-c", help="Campaign folder.")] = Path(
        "samples/2018"
    ),
    index: IndexOpt = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show why a unit got its points: every rule that fired, its inputs and points.

    Example: parindex explain so-tai-chinh 1.1 --campaign samples/2018
    """

    def body() -> None:
        result = _score(campaign, index, rules)
        r = result.unit(unit)
        if r is None:
            from .errors import SubmissionError, suggest

            if unit in result.errors:
                raise ErrorList(result.errors[unit])
            every = [u.unit_id for rs in result.groups.values() for u in rs]
            raise SubmissionError(
                f"no scored unit {unit!r} in {result.campaign_id}", suggestion=suggest(unit, every)
            )
        if node is not None and node not in r.nodes and not any(s.node == node for s in r.trace):
            from .errors import SubmissionError, suggest

            raise SubmissionError(
                f"no node {node!r} in group {r.group!r}", suggestion=suggest(node, r.nodes)
            )
        steps = subtree(r, node)
        doc = trace_document(r, steps, result.index.id, result.index.content_hash, node)
        if as_json:
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        _print_trace(r.name, r.unit_id, doc)

    _guard(body)


def _print_trace(name: str, uid: str, doc: dict[str, Any]) -> None:
    out.print(f"{name} ({uid}) — index {doc['index']['id']} {doc['index']['content_hash'][:12]}")
    for s in doc["steps"]:
        pts = "—" if s["points"] is None else s["points"]
        line = f"  {s['node']:<10} {pts:>8} / {s['max']:<6} {s['reason_vi']}"
        out.print(line, markup=False)
        details = []
        if s["rule"]:
            details.append(f"rule {s['rule']}")
        if s["inputs"]:
            details.append("inputs " + json.dumps(s["inputs"], ensure_ascii=False))
        if s["self_score"] is not None:
            details.append(f"self-score {s['self_score']}")
        if s["evidence"]:
            details.append("evidence " + "; ".join(e.get("doc", "") for e in s["evidence"]))
        if s["notes"]:
            details.append("notes " + ", ".join(s["notes"]))
        if details:
            out.print("             " + " | ".join(details), markup=False)
        out.print(f"             {s['reason_en']}", markup=False, style="dim")


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPT)
