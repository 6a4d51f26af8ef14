"""The web pages' charts (matplotlib SVG, in the house style of ``scoring.reports.chart_style``):
the ranking of a group as bars against its class thresholds, and each unit's index last year and
this year. Values come from the report's decimal strings; labels use the page's decimal
separator."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from matplotlib.figure import Figure

from scoring.reports.chart_style import house_style, svg_element
from scoring.reports.model import GroupReport
from scoring.web.i18n import number


def ranking_svg(group: GroupReport, lang: str) -> str:
    """Horizontal bars, best unit on top, index labelled, class thresholds dashed."""
    units = [u for u in group.units if u.rank is not None] + [
        u for u in group.units if u.rank is None
    ]
    height = 0.9 + 0.24 * max(len(units), 1)
    with house_style():
        fig = Figure(figsize=(7.2, height))
        ax = fig.add_subplot()
        ys = list(range(len(units)))[::-1]
        values = [float(Decimal(u.index)) for u in units]
        ax.barh(ys, values, color="0.55", edgecolor="black", height=0.7)
        for y, u, v in zip(ys, units, values, strict=True):
            ax.text(v + 0.6, y, number(u.index, lang), va="center", fontsize=6.5)
        names = [f"{u.rank_text}. {u.name}" for u in units]
        ax.set_yticks(ys, names, fontsize=6.5)
        for c in group.classes:
            x = float(Decimal(c.min))
            if x > 0:
                ax.axvline(x, color="black", linestyle="--", linewidth=0.7)
                label = c.label.label_vi if lang == "vi" else (c.label.label_en or c.label.label_vi)
                ax.text(x, len(units) - 0.2, f" {label}", fontsize=6, rotation=90, va="top")
        ax.set_xlim(0, 108)
        ax.set_xlabel("Chỉ số / index" if lang == "vi" else "Index")
        ax.grid(axis="x", linestyle=":", color="0.7")
        fig.tight_layout()
        return svg_element(fig, f"rank-{group.id}")


def yoy_svg(
    group_id: str, rows: Sequence[tuple[str, str, str]], years: tuple[int, int], lang: str
) -> str:
    """One line per unit from last year's index (open circle) to this year's (filled)."""
    height = 0.9 + 0.24 * max(len(rows), 1)
    with house_style():
        fig = Figure(figsize=(7.2, height))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        for y, (_, before, after) in zip(ys, rows, strict=True):
            b, a = float(Decimal(before)), float(Decimal(after))
            ax.plot([b, a], [y, y], color="black", linewidth=0.8)
            ax.plot([b], [y], "o", markerfacecolor="white", markeredgecolor="black", markersize=5)
            ax.plot([a], [y], "o", color="black", markersize=5)
            delta = Decimal(after) - Decimal(before)
            sign = "+" if delta > 0 else ""
            ax.text(max(a, b) + 0.8, y, number(f"{sign}{delta}", lang), va="center", fontsize=6.5)
        ax.set_yticks(ys, [name for name, _, _ in rows], fontsize=6.5)
        ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="black", label=str(years[0]))
        ax.plot([], [], "o", color="black", label=str(years[1]))
        ax.legend(loc="lower right", fontsize=7, frameon=False)
        ax.set_xlabel("Chỉ số / index" if lang == "vi" else "Index")
        ax.grid(axis="x", linestyle=":", color="0.7")
        fig.tight_layout()
        return svg_element(fig, f"yoy-{group_id}")
