"""Figures of a robustness report, written as PNG and SVG files in the house style
(``scoring.reports.chart_style``).

Two charts: the rank intervals of a group (a bar from the 5th to the 95th percentile rank, a
filled circle at the median, an open diamond at the point rank), and a unit's profile by area
(its area index against its group's median, hatched bars).
"""

from __future__ import annotations

from pathlib import Path
from statistics import median

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from scoring.errors import unknown_id
from scoring.evaluation.aggregate import percent
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult
from scoring.index.fields import Frozen
from scoring.reports.chart_style import house_style, save_figure, wrap_label
from scoring.simulation.robustness import GroupRobustness, RobustnessReport
from scoring.sources.files import make_folder


class AreaProfile(Frozen):
    """A unit's index per area (points / applicable max × 100) against its group's median."""

    area: str
    title_vi: str
    title_en: str | None
    unit: float | None  # None: the area does not apply to the unit
    group_median: float | None


def area_profile(result: CampaignResult, unit_id: str) -> tuple[AreaProfile, ...]:
    """The profile by area of one scored unit (the group median over the group's scored
    units to which the area applies)."""
    r = result.unit(unit_id)
    if r is None:
        every = [u.unit_id for us in result.groups.values() for u in us]
        raise unknown_id("no scored unit", unit_id, every, f"in {result.campaign_id}")

    def pct(u: UnitResult, area: str) -> float | None:
        node = u.nodes.get(area)
        share = None if node is None else percent(node.points, node.max)
        return None if share is None else float(share)

    rows = []
    for a in r.areas:
        values = [v for u in result.groups[r.group] if (v := pct(u, a)) is not None]
        node = r.nodes[a]
        rows.append(
            AreaProfile(
                area=a,
                title_vi=node.title_vi,
                title_en=node.title_en,
                unit=pct(r, a),
                group_median=median(values) if values else None,
            )
        )
    return tuple(rows)


def group_intervals(report: RobustnessReport, group: GroupRobustness, folder: Path) -> list[Path]:
    """The rank intervals of one group's ranked units, best at the top, with P(keep rank)."""
    units = [u for u in group.units if u.point_rank is not None]
    n = max(len(units), 1)
    with house_style():
        height = 1.9 + 0.3 * n
        fig = Figure(figsize=(11.0, height))
        ax = fig.add_subplot()
        for y, u in enumerate(units):
            assert u.low_rank is not None and u.high_rank is not None and u.p_keep is not None
            assert u.median_rank is not None and u.point_rank is not None
            ax.plot(
                [u.low_rank, u.high_rank], [y, y], color="0.55", linewidth=5.0,
                solid_capstyle="butt", marker="|", markersize=12, markeredgecolor="black",
                zorder=1,
            )  # fmt: skip
            ax.plot(u.median_rank, y, "o", color="black", markersize=4.5, zorder=3)
            ax.plot(
                u.point_rank, y, "D", markerfacecolor="none", markeredgecolor="black",
                markeredgewidth=1.3, markersize=9, zorder=2,
            )  # fmt: skip
            ax.annotate(
                f"{u.p_keep:.2f}", (1.0, y), xycoords=("axes fraction", "data"),
                xytext=(8, 0), textcoords="offset points", va="center", fontsize=8,
            )  # fmt: skip
        ax.annotate(
            "P(giữ hạng)\nP(keep rank)", (1.0, 1.0), xycoords="axes fraction", xytext=(8, 3),
            textcoords="offset points", va="bottom", ha="left", fontsize=7,
        )  # fmt: skip
        ax.set_yticks(range(len(units)), [f"{u.point_rank}. {u.name}" for u in units])
        ax.set_ylim(len(units) - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.5)
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel("Hạng / rank")
        ax.grid(axis="x", linestyle=":", color="0.7")
        ax.set_title(
            f"{group.title_vi} — {report.campaign_id}\nKhoảng hạng 5–95 % / rank intervals "
            f"({report.draws:,} lần rút / draws, seed {report.seed})",
            loc="left",
            pad=12,
        )
        fig.legend(
            handles=[
                Line2D([], [], color="0.55", linewidth=5.0, marker="|", markersize=12,
                       markeredgecolor="black", label="khoảng 5–95 % / 5–95 % interval"),
                Line2D([], [], linestyle="none", marker="o", color="black", markersize=4.5,
                       label="trung vị / median"),
                Line2D([], [], linestyle="none", marker="D", markerfacecolor="none",
                       markeredgecolor="black", markersize=9, label="hạng theo điểm / point rank"),
            ],
            loc="lower center", ncols=3, fontsize=8, frameon=False,
        )  # fmt: skip
        fig.tight_layout(rect=(0.0, 0.35 / height, 0.96, 1.0))
        return save_figure(fig, folder, f"{group.id}-intervals")


def unit_profile(result: CampaignResult, unit_id: str, folder: Path) -> list[Path]:
    """A unit's area index (points / max × 100) against its group's median, per area."""
    rows = area_profile(result, unit_id)
    r = result.unit(unit_id)
    assert r is not None
    with house_style():
        fig = Figure(figsize=(max(6.0, 0.9 * len(rows) + 2.0), 4.2))
        ax = fig.add_subplot()
        xs = range(len(rows))
        width = 0.38
        mine = [row.unit or 0.0 for row in rows]
        theirs = [row.group_median or 0.0 for row in rows]
        ax.bar([x - width / 2 for x in xs], mine, width, color="0.25", edgecolor="black",
               label=r.name)  # fmt: skip
        ax.bar([x + width / 2 for x in xs], theirs, width, color="white", edgecolor="black",
               hatch="///", label="trung vị nhóm / group median")  # fmt: skip
        for x, row in zip(xs, rows, strict=True):
            for dx, value in ((-width / 2, row.unit), (width / 2, row.group_median)):
                text = "N/A" if value is None else f"{value:.0f}"
                ax.text(x + dx, (value or 0.0) + 1.5, text, ha="center", va="bottom", fontsize=7)
        labels = [f"{row.area}\n{wrap_label(row.title_vi)}" for row in rows]
        ax.set_xticks(list(xs), labels, fontsize=7)
        ax.set_ylim(0, 110)
        ax.set_ylabel("Chỉ số lĩnh vực / area index (%)")
        ax.grid(axis="y", linestyle=":", color="0.7")
        ax.set_title(f"{r.name} — {result.campaign_id}", loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=2, fontsize=8)
        fig.tight_layout()
        return save_figure(fig, folder, f"{unit_id}-profile")


def write_plots(
    result: CampaignResult, report: RobustnessReport, folder: Path, unit: str | None = None
) -> list[Path]:
    """Every group's interval chart and every unit's profile (only ``unit``'s group and
    profile when given) into ``folder``; the files written."""
    make_folder(folder)
    written: list[Path] = []
    target = result.unit(unit) if unit is not None else None
    for group in report.groups:
        if target is not None and group.id != target.group:
            continue
        written += group_intervals(report, group, folder)
        for u in group.units:
            if unit is None or u.unit_id == unit:
                written += unit_profile(result, u.unit_id, folder)
    return written
