"""The web pages' charts (matplotlib SVG, in the house style of ``scoring.reports.chart_style``):
the ranking of a group as bars against its class thresholds, and each unit's index last year and
this year. No text is smaller than ``MIN_FONT``. Values come from the report's decimal strings;
labels use the page's decimal separator."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from matplotlib.figure import Figure

from scoring.reports.chart_style import MIN_FONT, axis_note, house_style, svg_element, zoomed_axis
from scoring.reports.model import GroupReport
from scoring.web.i18n import number


@lru_cache(maxsize=64)  # a group whose figures did not change keeps its drawing
def ranking_svg(group: GroupReport, lang: str, precision: int = 2) -> str:
    """Horizontal bars, best unit on top, index labelled, class thresholds dashed, on an axis
    zoomed to the group's indices (the axis label says where it starts); units sharing a rank
    are marked "đồng hạng", with a note on the ranking's precision (``precision`` decimals)."""
    units = [u for u in group.units if u.rank is not None] + [
        u for u in group.units if u.rank is None
    ]
    height = 1.3 + 0.3 * max(len(units), 1)
    tied = " (đồng hạng)" if lang == "vi" else " (tied)"
    with house_style():
        fig = Figure(figsize=(7.2, height))
        ax = fig.add_subplot()
        ys = list(range(len(units)))[::-1]
        values = [float(Decimal(u.index)) for u in units]
        low, high = zoomed_axis(values)
        bars = [v - low for v in values]
        ax.barh(ys, bars, left=low, color="0.55", edgecolor="black", height=0.7)
        pad = (high - low) * 0.01
        for y, u, v in zip(ys, units, values, strict=True):
            label = number(u.index, lang) + (tied if u.tied else "")
            ax.text(v + pad, y, label, va="center", fontsize=MIN_FONT)
        names = [f"{u.rank_text}. {u.name}" for u in units]
        ax.set_yticks(ys, names, fontsize=MIN_FONT)
        ax.tick_params(axis="x", labelsize=MIN_FONT)
        for c in group.classes:
            x = float(Decimal(c.min))
            if low < x < high:
                ax.axvline(x, color="black", linestyle="--", linewidth=0.7)
                label = c.label.label_vi if lang == "vi" else (c.label.label_en or c.label.label_vi)
                ax.text(x, len(units) - 0.2, f" {label}", fontsize=MIN_FONT, rotation=90, va="top")
        ax.set_xlim(low, high)
        ax.set_ylim(-0.7, len(units) - 0.3)
        axis = "Chỉ số" if lang == "vi" else "Index"
        ax.set_xlabel(axis + axis_note(low, lang), fontsize=MIN_FONT)
        ax.grid(axis="x", linestyle=":", color="0.7")
        fig.text(0.01, 0.005, precision_note(precision, lang), fontsize=MIN_FONT, va="bottom")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        return svg_element(fig, f"rank-{group.id}")


def precision_note(precision: int, lang: str) -> str:
    """How the ranking compares indices, said under its chart: units equal at that many
    decimals share a rank."""
    if lang == "vi":
        return (
            f"Xếp hạng so sánh chỉ số đến {precision} chữ số thập phân; "
            "bằng nhau ở độ chính xác đó là đồng hạng."
        )
    return f"The ranking compares indices to {precision} decimals; equal there means tied."


def yoy_svg(
    group_id: str, rows: Sequence[tuple[str, str, str]], years: tuple[int, int], lang: str
) -> str:
    """One line per unit from last year's index (open circle) to this year's (filled)."""
    height = 1.1 + 0.3 * max(len(rows), 1)
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
            ax.text(
                max(a, b) + 0.8, y, number(f"{sign}{delta}", lang), va="center", fontsize=MIN_FONT
            )
        ax.set_yticks(ys, [name for name, _, _ in rows], fontsize=MIN_FONT)
        ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="black", label=str(years[0]))
        ax.plot([], [], "o", color="black", label=str(years[1]))
        ax.legend(loc="lower right", fontsize=MIN_FONT, frameon=False)
        ax.set_xlabel("Chỉ số / index" if lang == "vi" else "Index")
        ax.grid(axis="x", linestyle=":", color="0.7")
        fig.tight_layout()
        return svg_element(fig, f"yoy-{group_id}")
