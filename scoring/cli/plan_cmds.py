"""``parindex plan``: the cheapest changes that lift a unit to a class, a rank or an index."""

from __future__ import annotations

import shlex
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from scoring.cli import texts
from scoring.cli.base import app, guard, lazy, out, print_json
from scoring.cli.index_cmds import campaign_result
from scoring.cli.texts import t
from scoring.errors import SubmissionError
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import to_jsonable
from scoring.sources.numbers import fmt, quantize

if TYPE_CHECKING:
    from scoring.index.compiled import Index
    from scoring.simulation.gaps import Candidate
    from scoring.simulation.plan import Plan, Standing, Target

planning = lazy("scoring.simulation.plan")  # PuLP: imported when the command runs, not at start-up
gaps = lazy("scoring.simulation.gaps")

PLAN_FORMAT = "parindex.plan/1"


def plan_document(p: Plan, result: CampaignResult) -> dict[str, Any]:
    """The plan as JSON data (``parindex plan --json``): Decimals as strings, the index and
    the classes as published (``rounding.places``), ``*_exact`` unrounded."""
    places = result.index.meta.rounding.places

    def standing(s: Standing) -> dict[str, Any]:
        return {
            "gain": fmt(s.gain),
            "index": fmt(quantize(s.index, places)),
            "index_exact": fmt(s.index),
            "classification": to_jsonable(s.classification),
            "rank": s.rank,
        }

    return {
        "format": PLAN_FORMAT,
        "campaign": result.campaign_id,
        "index_id": result.index.id,
        "content_hash": result.index.content_hash,
        "unit_id": p.unit_id,
        "name": p.name,
        "group": p.group,
        "target": {"kind": _kind(p.target), **to_jsonable(p.target)},
        "goal": p.goal_en,  # kept as before in this format; goal_vi is the Vietnamese
        "goal_vi": p.goal_vi,
        "reachable": p.reachable,
        "already_met": p.already_met,
        "message": p.message_en,
        "message_vi": p.message_vi,
        "needed_gain": fmt(p.needed_gain),
        "changes": [
            {
                "node": c.candidate.node,
                "changes": [[k, to_jsonable(v)] for k, v in c.candidate.changes],
                "points": fmt(c.candidate.points),
                "gain": fmt(c.candidate.gain),
                "distance": fmt(c.candidate.distance),
                "cost": fmt(c.cost),
                "label_vi": c.candidate.label_vi,
                "label_en": c.candidate.label_en,
                "set": set_texts(c.candidate),
            }
            for c in p.changes
        ],
        "cost": fmt(p.cost),
        "before": standing(p.before),
        "after": standing(p.after),
        "best": standing(p.best),
    }


def set_texts(c: Candidate) -> list[str]:
    """The candidate's changes as ``parindex simulate --set`` texts (NODE.input=VALUE)."""
    texts = []
    for name, value in c.changes:
        if isinstance(value, list):  # evidence references: simulate takes a document number
            value = ", ".join(str(e.get("doc", "")) for e in value)
        elif isinstance(value, Decimal):
            value = fmt(value)
        texts.append(f"{c.node}.{name}={str(value).lower() if isinstance(value, bool) else value}")
    return texts


def _kind(t: Target) -> str:
    kinds = {"ClassTarget": "class", "RankTarget": "rank", "IndexTarget": "index"}
    return kinds[type(t).__name__]


def _target(to: str | None, rank: int | None, index: str | None) -> Target:
    if to is not None:
        return planning.ClassTarget(to)  # type: ignore[no-any-return]  # lazily imported module
    if rank is not None:
        return planning.RankTarget(rank)  # type: ignore[no-any-return]  # lazily imported module
    assert index is not None
    try:
        value = Decimal(index.strip().replace(",", "."))  # 80,5 as written in Vietnamese
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise SubmissionError(f"--index {index!r}: expected a number, e.g. 85 or 85.5")
    return planning.IndexTarget(value)  # type: ignore[no-any-return]  # lazily imported module


def _print(p: Plan, index: Index) -> None:
    """The plan for people: each change in the leaf's words, its gain and cost, and the
    standing before and after (figures with a decimal comma in Vietnamese; the exact plan is
    ``--json``)."""
    places = index.meta.rounding.places

    def q(x: Decimal) -> str:
        return texts.num(x, places)

    goal = texts.reason(texts.pick(p.goal_vi, p.goal_en))
    out.print(f"{p.name} ({p.unit_id}) — {goal}", markup=False)
    if p.changes:
        table = Table(title_justify="left")
        for col, justify in (
            ("item", "left"),
            ("change", "left"),
            ("points", "right"),
            ("gain", "right"),
            ("cost", "right"),
        ):
            table.add_column(t(col), justify=justify)  # type: ignore[arg-type]
        for ch in p.changes:
            c = ch.candidate
            table.add_row(
                c.node,
                texts.pick(c.change_vi, c.change_en)
                or "; ".join(  # a hand-made candidate without its words: the leaf's
                    f"{texts.input_label(None, name, index=index, node=c.node, group=p.group)}"
                    f" → {texts.answer(v, index, c.node, name)}"
                    for name, v in c.changes
                ),
                q(c.points),
                "+" + q(c.gain),
                texts.num(ch.cost),
            )
        table.add_section()
        table.add_row(
            "", t("changes_n", n=len(p.changes)), "", "+" + q(p.after.gain), texts.num(p.cost)
        )
        out.print(table)
    b, a = p.before, p.after
    rank = ""
    if b.rank is not None or a.rank is not None:
        rank = f"  {t('rank'):<9} {b.rank or '—'} → {a.rank or '—'}"
    step = Decimal(1).scaleb(-places)
    need = p.needed_gain.quantize(step, rounding=ROUND_CEILING)
    for line in (
        f"  {t('need'):<9} {texts.num(need)} {t('points_word')}" if p.needed_gain > 0 else "",
        f"  {t('index'):<9} {q(b.index)} → {q(a.index)}",
        f"  {t('class'):<9} {texts.pick(b.classification.label_vi, b.classification.label_en)}"
        f" → {texts.pick(a.classification.label_vi, a.classification.label_en)}",
        rank,
        f"  {texts.reason(texts.pick(p.message_vi, p.message_en))}",
    ):
        if line:
            out.print(line, markup=False)
    if p.changes:
        sets = " ".join(
            f"--set {shlex.quote(s)}" for ch in p.changes for s in set_texts(ch.candidate)
        )
        out.print(
            f"  {t('check')}: parindex simulate {p.unit_id} {sets}", markup=False, style="dim"
        )


@app.command("plan")
def plan_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id, e.g. ban-dan-toc.")],
    to: Annotated[
        str | None, typer.Option("--to", help="A class of the unit's group: id or label.")
    ] = None,
    rank: Annotated[
        int | None, typer.Option("--rank", help="Rank N or better in the unit's group.")
    ] = None,
    index: Annotated[
        str | None, typer.Option("--index", help="A published index of at least X.")
    ] = None,
    campaign: Annotated[
        str,
        typer.Option(
            "--campaign", "-c", help="Campaign folder, or a campaign id or year in the store."
        ),
    ] = "samples/2018",
    costs: Annotated[
        Path | None,
        typer.Option("--costs", help="YAML cost weights per input (default: 1 per unit moved)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The cheapest changes to a unit's answers that reach a class (--to), a rank (--rank) or
    an index (--index), chosen by an integer programme over every way to raise each leaf.

    Example: parindex plan ban-dan-toc --to tot --campaign samples/2018
    """
    if sum(x is not None for x in (to, rank, index)) != 1:
        raise typer.BadParameter(
            "give exactly one of --to CLASS, --rank N, --index X", param_hint="target"
        )

    def body() -> None:
        target = _target(to, rank, index)
        weights = gaps.load_costs(costs) if costs is not None else gaps.Costs()
        result = campaign_result(campaign)
        p = planning.plan(result.index, result, unit, target, weights)
        if as_json:
            print_json(plan_document(p, result))
            return
        _print(p, result.index)

    guard(body)
