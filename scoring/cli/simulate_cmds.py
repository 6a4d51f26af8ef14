"""``parindex simulate`` and ``parindex gaps``: what-if and where points are lost."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scoring.errors import SubmissionError
from scoring.evaluation.trace import to_jsonable
from scoring.sources.numbers import fmt, quantize

if TYPE_CHECKING:
    from scoring.simulation.gaps import Candidate
from scoring.cli import texts
from scoring.cli.base import app, guard, lazy, out, print_json
from scoring.cli.index_cmds import campaign_result
from scoring.cli.texts import t

CampaignOpt = Annotated[
    str,
    typer.Option(
        "--campaign", "-c", help="Campaign folder, or a campaign id or year in the store."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

whatif = lazy("scoring.simulation.whatif")
losses = lazy("scoring.simulation.gaps")


@app.command()
def simulate(
    unit: Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="NODE=VALUE or NODE.input=VALUE, repeatable.")
    ] = None,
    campaign: CampaignOpt = "samples/2018",
    scenarios: Annotated[
        Path | None, typer.Option("--scenarios", help="A scenarios YAML file.")
    ] = None,
    save: Annotated[
        str | None, typer.Option("--save", help="Save these changes under a name in --scenarios.")
    ] = None,
    load: Annotated[
        str | None, typer.Option("--load", help="Run a named scenario from --scenarios.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Re-score a unit with changed answers: points, index, class and rank in its group, and
    every leaf that moved.

    Example: parindex simulate so-giao-duc-va-dao-tao --set 5.1.1.evidence=12/QĐ --set 7.3.3=true
    """

    def body() -> None:
        typed = list(set_ or [])
        if load is not None:
            if scenarios is None:
                raise SubmissionError(
                    "--load needs --scenarios FILE", vi="--load cần --scenarios TỆP"
                )
            owner, saved = whatif.load_scenario(scenarios, load)
            if owner != unit:
                raise SubmissionError(
                    f"scenario {load!r} is for unit {owner}, not {unit}",
                    vi=f"kịch bản {load!r} là của đơn vị {owner}, không phải {unit}",
                )
            typed = saved + typed
        if not typed:
            raise SubmissionError(
                "give at least one --set NODE=VALUE (or --load NAME)",
                vi="cần ít nhất một --set MỤC=GIÁ_TRỊ (hoặc --load TÊN)",
            )
        result = campaign_result(campaign)
        changes = [whatif.parse_change(result.index, result, unit, x) for x in typed]
        w = whatif.simulate(result.index, result, unit, changes)
        if save is not None:
            if scenarios is None:
                raise SubmissionError(
                    "--save needs --scenarios FILE", vi="--save cần --scenarios TỆP"
                )
            whatif.save_scenario(scenarios, unit, save, changes)
        places = result.index.meta.rounding.places
        doc = whatif.summary(w, places)
        if as_json:
            print_json(doc)
            return
        # the changes typed, in the leaf's words: "2.4.1 Mức độ đạt được → Đầy đủ, đúng tiến độ"
        ix, group = result.index, w.after.group
        shown = [
            f"{c.node} {texts.input_label(None, c.field, index=ix, node=c.node, group=group)}"
            f" → {texts.answer(c.value, ix, c.node, c.field)}"
            for c in changes
        ]
        out.print(f"{w.after.name} ({unit}): " + "; ".join(shown), markup=False)
        en = texts.lang() == "en"
        pair: dict[str, Callable[[Any], str]] = {
            "points": texts.num,
            "index": texts.num,
            "rank": str,
            "class": str,
        }
        for key in ("points", "index", "rank", "class"):
            a, b = doc[key]
            if key == "class" and en:
                a, b = (x.label_en if x else None for x in (w.class_before, w.class_after))
            a, b = ("—" if x is None else pair[key](x) for x in (a, b))
            out.print(f"  {t(key):<9} {a} → {b}", markup=False)
        for m in doc["moved"]:
            why = texts.reason(m["reason_en"] if en else m["reason_vi"], places)
            out.print(
                f"  {m['node']:<8} {texts.num(m['from'], places)} → "
                f"{texts.num(m['to'], places)}  {why}",
                markup=False,
            )
        if save:
            out.print(t("saved_scenario", name=save, file=scenarios), markup=False)

    guard(body)


@app.command()
def gaps(
    unit: Annotated[str, typer.Argument(help="Unit id, e.g. so-tai-chinh.")],
    campaign: CampaignOpt = "samples/2018",
    as_json: JsonOpt = False,
) -> None:
    """Every leaf where the unit is below its maximum: points lost, why, and what input
    would reach the next band and the full points, most recoverable first.

    Example: parindex gaps so-giao-duc-va-dao-tao --campaign samples/2018
    """

    def body() -> None:
        result = campaign_result(campaign)
        places = result.index.meta.rounding.places
        found = losses.gaps(result.index, result, unit)

        def option(c: Candidate | None) -> dict[str, object] | None:
            if c is None:
                return None
            return {
                "changes": {n: to_jsonable(v) for n, v in c.changes},  # exact, ISO dates
                "points": fmt(c.points),
                "gain": fmt(c.gain),
            }

        rows = [
            {
                "node": g.node,
                "title_vi": g.title_vi,
                "points": fmt(g.points),
                "max": fmt(g.max),
                "lost": fmt(g.lost),
                "why_vi": g.why_vi,
                "why_en": g.why_en,
                "controllable": g.controllable,
                "next": option(g.next),
                "full": option(g.full),
            }
            for g in found
        ]
        if as_json:
            print_json({"unit_id": unit, "gaps": rows})
            return
        total = quantize(sum((g.lost for g in found), start=Decimal(0)), places)
        called = f"{whatif.scored_unit(result, unit).name} ({unit})"  # by name, as plan does
        lead = t("gaps_head", unit=called, n=len(found), lost=texts.num(total, places))
        out.print(lead, markup=False)
        en = texts.lang() == "en"
        for g in found:
            pts, mx = texts.num(g.points, places), texts.num(g.max, places)
            why = texts.reason(g.why_en if en else g.why_vi, places)
            out.print(
                f"  {g.node:<8} {pts:>5}/{mx:<5} −{texts.num(g.lost, places):<6} {why}",
                markup=False,
            )
            for word, c in (("next", g.next), ("full", g.full)):
                if c is not None and (word == "next" or c != g.next):
                    moves = texts.pick(c.change_vi, c.change_en)
                    gain = texts.num(c.gain, places)
                    out.print(f"           {t(word)}: {moves} (+{gain})", markup=False)
            if not g.controllable:
                out.print(f"           {t('not_controllable')}", markup=False)

    guard(body)
