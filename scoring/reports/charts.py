"""The report's charts as inline SVG text (matplotlib, Agg), readable in black and white.

In the house style of ``scoring.reports.chart_style`` (DejaVu Sans, text kept as text, hatching
and marker shapes rather than colours): a unit's index per area against its group's median
(and last year's, as open diamonds), and a group's indices as a strip chart against its class
thresholds. The SVG's element ids get a prefix, so several charts can share one HTML page.

Each chart is drawn once a process (the HTML and the PDF of a page embed the same SVG). The
scorecard charts of one group differ only inside their axes: one figure is built and laid out
for them (axes, ticks, area names, legend; matplotlib's tight layout measures every label) and
each unit's bars, value labels and diamonds are set on it before it is saved.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from scoring.reports.chart_style import house_style, svg_element, wrap_label
from scoring.reports.model import GroupReport, Scorecard


def _place(fig: Figure) -> None:
    """Tight layout, then no layout engine left on ``fig``: saving it draws it once, not twice
    (matplotlib draws a figure with a layout engine, even tight layout's placeholder, once
    more before saving it)."""
    fig.tight_layout()
    fig.set_layout_engine(None)


@dataclass(frozen=True, slots=True)
class _Profile:
    """A drawn scorecard chart kept for the next unit that prints the same things outside its
    axes (area names, legend): its figure, laid out, and the artists that change per unit."""

    fig: Figure
    mine: BarContainer
    theirs: BarContainer
    labels: tuple[tuple[Text, Text], ...]  # per area: the unit's value, the group median's
    last: Line2D | None  # last year's values, when the legend has them


_PROFILES: OrderedDict[Hashable, _Profile] = OrderedDict()
_LOCK = threading.Lock()  # a kept figure is redrawn by one thread at a time (web requests)
WIDTH = 0.38  # of a bar; the unit's bar left of the area's tick, the median's right of it


@lru_cache(maxsize=64)  # the HTML and the PDF of a page embed the same chart
def profile_svg(card: Scorecard) -> str:
    """The unit's area index (points / applicable max × 100) against its group's median."""
    areas = card.unit.areas
    ticks = tuple(f"{a.id}\n{wrap_label(a.title_vi, 14)}" for a in areas)
    year = None
    if card.previous is not None and any(a.previous_percent is not None for a in areas):
        year = card.previous.year
    with _LOCK, house_style():
        chart = _PROFILES.get((ticks, year))
        if chart is None:
            chart = _profile_frame(ticks, year)
            _PROFILES[ticks, year] = chart
            if len(_PROFILES) > 16:  # a long-lived process reporting many campaigns
                _PROFILES.popitem(last=False)
        _profile_values(chart, card)
        return svg_element(chart.fig, f"profile-{card.unit.unit_id}")


def clear_caches() -> None:
    """Forget every chart drawn and kept so far (the benchmark starts each round cold)."""
    profile_svg.cache_clear()
    distribution_svg.cache_clear()
    with _LOCK:
        _PROFILES.clear()


def _profile_frame(ticks: tuple[str, ...], year: int | None) -> _Profile:
    """A scorecard chart with its axes, area names and legend, laid out; bars at zero."""
    fig = Figure(figsize=(6.9, 3.6))
    ax = fig.add_subplot()
    xs = list(range(len(ticks)))
    zeros = [0.0] * len(xs)
    mine = ax.bar([x - WIDTH / 2 for x in xs], zeros, WIDTH, color="0.3", edgecolor="black",
                  label="đơn vị / unit")  # fmt: skip
    theirs = ax.bar([x + WIDTH / 2 for x in xs], zeros, WIDTH, color="white", edgecolor="black",
                    hatch="///", label="trung vị nhóm / group median")  # fmt: skip
    # every value label stays inside the axes (no area's points pass its max, so no bar passes
    # 100, and the axis goes to 112): it takes no part in the layout, which thus holds for
    # every unit with these ticks and legend
    inside: dict[str, Any] = {"ha": "center", "va": "bottom", "fontsize": 6.5, "in_layout": False}
    labels = tuple(
        (ax.text(x - WIDTH / 2, 0, "", **inside), ax.text(x + WIDTH / 2, 0, "", **inside))
        for x in xs
    )
    last = None
    if year is not None:
        (last,) = ax.plot([], [], "D", markerfacecolor="white", markeredgecolor="black",
                          markersize=5.5, label=f"đơn vị năm {year} / unit in {year}")  # fmt: skip
    ax.set_xticks(xs, ticks, fontsize=6.5)
    ax.set_ylim(0, 112)
    ax.set_ylabel("Chỉ số lĩnh vực / area index (%)")
    ax.grid(axis="y", linestyle=":", color="0.7")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3, fontsize=7,
              frameon=False)  # fmt: skip
    _place(fig)
    return _Profile(fig, mine, theirs, labels, last)


def _profile_values(chart: _Profile, card: Scorecard) -> None:
    """Set the chart's bars, value labels and last year's diamonds to ``card``'s figures."""
    areas = card.unit.areas
    for a, bar, median, (value, median_label) in zip(
        areas, chart.mine, chart.theirs, chart.labels, strict=True
    ):
        bar.set_height(a.percent or 0.0)
        median.set_height(a.group_median or 0.0)
        if a.percent is None:  # the area does not apply: say so where the bar would be
            value.set(y=1.5, text="KAD", color="black")
        elif a.percent >= 12:  # at the foot of the dark bar, in white: clear of the diamond
            value.set(y=2, text=f"{a.percent:.0f}", color="white")
        else:  # too short to hold its label
            value.set(y=a.percent + 1.5, text=f"{a.percent:.0f}", color="black")
        median_text = "—" if a.group_median is None else f"{a.group_median:.0f}"
        median_label.set(y=(a.group_median or 0.0) + 1.5, text=median_text)
    if chart.last is not None:
        last = [(x, a.previous_percent) for x, a in enumerate(areas)]
        chart.last.set_data(
            [x - WIDTH / 2 for x, v in last if v is not None], [v for _, v in last if v is not None]
        )


def _stack(values: Sequence[float], step: float) -> list[int]:
    """A level for each value so that values closer than ``step`` do not overlap."""
    levels: list[int] = []
    placed: list[tuple[float, int]] = []
    for v in values:
        taken = {lvl for x, lvl in placed if abs(x - v) < step}
        level = next(i for i in range(len(values) + 1) if i not in taken)
        levels.append(level)
        placed.append((v, level))
    return levels


@lru_cache(maxsize=64)
def distribution_svg(group: GroupReport) -> str:
    """A strip chart of the group's indices, one circle per unit, with its class thresholds."""
    units = sorted(group.units, key=lambda u: Decimal(u.index))
    values = [float(u.index) for u in units]
    levels = _stack(values, 0.9)
    top = max(levels, default=0)
    with house_style():
        fig = Figure(figsize=(6.9, 1.8 + 0.16 * top))
        ax = fig.add_subplot()
        left = max(0.0, 5 * ((min(values, default=0.0) - 3) // 5))  # thresholds below: no unit
        ax.plot(values, levels, "o", markerfacecolor="white", markeredgecolor="black",
                markersize=6)  # fmt: skip
        for c in group.classes:
            x = float(c.min)
            if x <= left:
                continue
            ax.axvline(x, color="black", linestyle="--", linewidth=0.8)
            ax.annotate(
                f"{c.label.label_vi} ≥ {c.min}", (x, 1.0), xycoords=("data", "axes fraction"),
                xytext=(2, -2), textcoords="offset points", ha="left", va="top", fontsize=7,
                rotation=90,
            )  # fmt: skip
        if group.median is not None:
            m = float(group.median)
            ax.axvline(m, color="0.45", linestyle="-", linewidth=2.2, alpha=0.6)
        ax.set_xlim(left, 100)
        ax.set_ylim(-0.8, top + 1.8)
        ax.set_yticks([])
        ax.set_xlabel("Chỉ số / index")
        ax.grid(axis="x", linestyle=":", color="0.8")
        ax.legend(
            handles=[
                Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                       markeredgecolor="black", label="một đơn vị / one unit"),
                Line2D([], [], color="black", linestyle="--", linewidth=0.8,
                       label="ngưỡng xếp loại / class threshold"),
                Line2D([], [], color="0.45", linewidth=2.2, alpha=0.6,
                       label=f"trung vị / median {group.median}"),
            ],
            loc="upper center", bbox_to_anchor=(0.5, -0.32), ncols=3, fontsize=7, frameon=False,
        )  # fmt: skip
        _place(fig)
        return svg_element(fig, f"dist-{group.id}")
