"""``parindex robustness``: rank intervals of a campaign under its declared uncertainties."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from scoring.cli import texts
from scoring.cli.base import app, err, guard, lazy, out
from scoring.cli.texts import t
from scoring.errors import ErrorList, Location, SubmissionError, unknown_id
from scoring.evaluation.ranking import CampaignResult

if TYPE_CHECKING:
    from scoring.simulation.robustness import RobustnessReport

from scoring.cli.index_cmds import IndexOpt, JsonOpt, RulesOpt, campaign_result, report_unscored

rb = lazy("scoring.simulation.robustness")  # NumPy: imported when the command runs, not at start-up


def _check_unit(result: CampaignResult, unit: str) -> None:
    if result.unit(unit) is not None:
        return
    if unit in result.errors:
        raise ErrorList(result.errors[unit])
    every = [u.unit_id for us in result.groups.values() for u in us]
    raise unknown_id("no scored unit", unit, every, f"in {result.campaign_id}", Location("--unit"))


def _print(report: RobustnessReport, names: dict[str, str]) -> None:
    """The tables, one per group, and the pairs that cannot be told apart (by unit name):
    probabilities and figures with a decimal comma in Vietnamese, labels in the chosen
    language."""
    spec = report.spec
    tolerance = ", ".join(
        f"{texts.kind_name(k)} {_g(v)}" for k, v in sorted(spec.appraisal_tolerance.items())
    )
    out.print(
        t(
            "rb_head",
            id=report.campaign_id,
            year=report.year,
            draws=_whole(report.draws),
            seed=report.seed,
            sampling=_g(spec.survey_sampling),
            tolerance=tolerance or t("rb_none"),
            dist=t(f"dist_{spec.tolerance_distribution}"),
            weights=_g(spec.area_weights),
        ),
        markup=False,
    )
    for g in report.groups:
        table = Table(title=texts.pick(g.title_vi, g.title_en or g.id), title_justify="left")
        for key, justify in (
            ("rank", "right"),
            ("unit", "left"),
            ("index", "right"),
            ("median", "right"),
            ("rb_interval", "center"),
            ("p_keep", "right"),
        ):
            table.add_column(t(key), justify=justify)  # type: ignore[arg-type]
        for u in g.units:
            ranked = u.point_rank is not None
            table.add_row(
                str(u.point_rank) if ranked else "",
                u.name,
                texts.num(u.index),
                str(u.median_rank) if ranked else "",
                f"{u.low_rank}–{u.high_rank}" if ranked else t("not_ranked"),
                _p(u.p_keep) if u.p_keep is not None else "",
            )
        out.print(table)
        if g.pairs:
            out.print(t("rb_pairs"), markup=False)
        for p in g.pairs:
            out.print(
                t(
                    "rb_pair",
                    a=names[p.a],
                    b=names[p.b],
                    above=_p(p.p_above),
                    below=_p(p.p_below),
                    tied=_p(p.p_tie),
                ),
                markup=False,
            )


def _p(value: float) -> str:
    """A probability at two decimals, with a decimal comma in Vietnamese (``0,93``)."""
    return texts.num(f"{value:.2f}")


def _g(value: float) -> str:
    """A factor as short as it is exact (``1``, ``0,05``), with a decimal comma in Vietnamese."""
    return texts.num(f"{value:g}")


def _whole(n: int) -> str:
    """A count with its thousands grouped as people write them (``10.000``; ``10,000``)."""
    grouped = f"{n:,}"
    return grouped.replace(",", ".") if texts.lang() == "vi" else grouped


@app.command(name="robustness")
def robustness_cmd(
    campaign: Annotated[
        str,
        typer.Argument(
            help="Campaign folder (with campaign.yaml), or a campaign id or year in the store."
        ),
    ],
    uncertainty: Annotated[
        Path | None,
        typer.Option(
            "--uncertainty", "-u", help="YAML file of the uncertainties (default: built in)."
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", "-n", help=f"Monte Carlo draws (1 to {rb.MAX_DRAWS:,}).")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same report).")
    ] = 2018,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write PNG and SVG charts into this folder.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Show (and plot) only this unit, e.g. so-y-te.")
    ] = None,
    index: IndexOpt = None,
    rules: RulesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank robustness: a Monte Carlo over survey sampling error, appraisal tolerance and
    (optionally) area weights; per unit its median rank, 5–95 % rank interval and the chance
    of keeping its rank, and the pairs of units that cannot be told apart.

    Example: parindex robustness samples/2018 --draws 10000 --plot plots/ --unit so-y-te
    """

    def body() -> int:
        if not 1 <= draws <= rb.MAX_DRAWS:
            raise SubmissionError(
                f"must be between 1 and {rb.MAX_DRAWS:,}, got {draws}",
                Location("--draws"),
                vi=f"phải từ 1 đến {rb.MAX_DRAWS:_}, nhận {draws}".replace("_", "."),
            )
        if seed < 0:
            raise SubmissionError(
                f"must be 0 or more, got {seed}",
                Location("--seed"),
                vi=f"phải từ 0 trở lên, nhận {seed}",
            )
        spec = rb.load_uncertainty(uncertainty) if uncertainty is not None else rb.UncertaintySpec()
        result = campaign_result(campaign, index, rules, published=True)
        if unit is not None:
            _check_unit(result, unit)
        report = rb.robustness(result, spec, draws=draws, seed=seed)
        shown = report.for_unit(unit) if unit is not None else report
        if as_json:
            sys.stdout.write(json.dumps(shown.document(), ensure_ascii=False, indent=2) + "\n")
        else:
            _print(shown, {u.unit_id: u.name for g in report.groups for u in g.units})
        if plot is not None:
            from scoring.reports.robustness_figures import write_plots

            written = write_plots(result, report, plot, unit)
            said = t("wrote_files", n=len(written), folder=plot, status=t("rb_plots"))
            (err if as_json else out).print(said, markup=False)
        return report_unscored(result)

    raise typer.Exit(guard(body))
