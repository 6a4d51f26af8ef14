"""The report's charts as inline SVG text (matplotlib, Agg), readable in black and white.

Same look as ``scoring.plots`` (DejaVu Sans, text kept as text, hatching and marker shapes
rather than colours): a unit's index per area against its group's median (and last year's,
as open diamonds), and a group's indices as a strip chart against its class thresholds. The
SVG's element ids get a prefix, so several charts can share one HTML page.

Each chart is drawn once a process (the HTML and the PDF of a page embed the same SVG). The
room left around a chart's axes (matplotlib's tight layout, a full text layout of every label)
depends only on what is printed outside the axes: tick labels, axis label, legend. It is worked
out once for each set of those (one for every unit of a group) and reused.
"""

from __future__ import annotations

import io
import re
from collections.abc import Hashable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..plots import _style, _wrap  # the house style of parindex's charts
from .model import GroupReport, Scorecard

_IDS = re.compile(r'(\bid="|url\(#|href="#)')
_STYLE = re.compile(r'style="([^"]*)"')
_SHEET = re.compile(r"<style[^>]*>\*\{([^}]*)\}</style>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SIDES = ("left", "bottom", "right", "top", "wspace", "hspace")
Layout = tuple[float, ...]  # a figure's subplot parameters, in the order of _SIDES


def _attributes(declarations: str) -> str:
    """CSS declarations as SVG presentation attributes (``fill: #000`` → ``fill="#000"``)."""
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return " ".join(f'{k.strip()}="{v.strip()}"' for k, v in pairs)


_LAYOUTS: dict[Hashable, Layout] = {}


def _place(fig: Figure, key: Hashable | None = None) -> None:
    """Lay ``fig`` out as tight layout does, worked out once per ``key`` (what the figure
    prints outside its axes; texts inside them are kept out of the layout), or each time with
    no key. No layout engine is left on the figure: saving it draws it once, not twice."""
    layout = None if key is None else _LAYOUTS.get(key)
    if layout is None:
        fig.tight_layout()
        layout = tuple(float(getattr(fig.subplotpars, side)) for side in _SIDES)
        if key is not None:
            if len(_LAYOUTS) >= 256:  # a long-lived process reporting many campaigns
                _LAYOUTS.clear()
            _LAYOUTS[key] = layout
    else:
        fig.subplots_adjust(**dict(zip(_SIDES, layout, strict=True)))
    fig.set_layout_engine(None)


def clear_caches() -> None:
    """Forget every chart and layout drawn so far (the benchmark starts each round cold)."""
    profile_svg.cache_clear()
    distribution_svg.cache_clear()
    _LAYOUTS.clear()


def _svg(fig: Figure, prefix: str) -> str:
    """The figure as an ``<svg>`` element for an HTML page: no XML prolog or metadata, its
    ids made unique by ``prefix``, and its styles as presentation attributes (an HTML engine
    would read ``style`` and ``<style>`` as page CSS and warn about SVG-only properties)."""
    FigureCanvasAgg(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :], count=1)
    sheet = _SHEET.search(text)
    if sheet:  # matplotlib's one rule for every element: inherited from the root instead
        text = _SHEET.sub("", text, count=1).replace("<svg ", f"<svg {_attributes(sheet[1])} ", 1)
    text = _STYLE.sub(lambda m: _attributes(m[1]), text)
    return _IDS.sub(lambda m: f"{m[1]}{prefix}-", text)


@lru_cache(maxsize=64)  # the HTML and the PDF of a page embed the same chart
def profile_svg(card: Scorecard) -> str:
    """The unit's area index (points / applicable max × 100) against its group's median."""
    areas = card.unit.areas
    with _style():
        fig = Figure(figsize=(6.9, 3.6))
        ax = fig.add_subplot()
        xs = list(range(len(areas)))
        width = 0.38
        mine = [a.percent or 0.0 for a in areas]
        theirs = [a.group_median or 0.0 for a in areas]
        ax.bar([x - width / 2 for x in xs], mine, width, color="0.3", edgecolor="black",
               label="đơn vị / unit")  # fmt: skip
        ax.bar([x + width / 2 for x in xs], theirs, width, color="white", edgecolor="black",
               hatch="///", label="trung vị nhóm / group median")  # fmt: skip
        # every value label stays inside the axes (no bar passes 100, the axis goes to 112), so
        # it takes no part in the layout
        inside: dict[str, Any] = {
            "ha": "center",
            "va": "bottom",
            "fontsize": 6.5,
            "in_layout": False,
        }
        for x, a in zip(xs, areas, strict=True):
            if a.percent is None:  # the area does not apply: say so where the bar would be
                ax.text(x - width / 2, 1.5, "KAD", **inside)
            elif a.percent >= 12:  # at the foot of the dark bar, in white: clear of the diamond
                ax.text(x - width / 2, 2, f"{a.percent:.0f}", color="white", **inside)
            else:  # too short to hold its label
                ax.text(x - width / 2, a.percent + 1.5, f"{a.percent:.0f}", **inside)
            median_text = "—" if a.group_median is None else f"{a.group_median:.0f}"
            ax.text(x + width / 2, (a.group_median or 0.0) + 1.5, median_text, **inside)
        last = [(x, a.previous_percent) for x, a in zip(xs, areas, strict=True)]
        if card.previous is not None and any(v is not None for _, v in last):
            ax.plot(
                [x - width / 2 for x, v in last if v is not None],
                [v for _, v in last if v is not None],
                "D", markerfacecolor="white", markeredgecolor="black", markersize=5.5,
                label=f"đơn vị năm {card.previous.year} / unit in {card.previous.year}",
            )  # fmt: skip
        ticks = [f"{a.id}\n{_wrap(a.title_vi, 14)}" for a in areas]
        ax.set_xticks(xs, ticks, fontsize=6.5)
        ax.set_ylim(0, 112)
        ax.set_ylabel("Chỉ số lĩnh vực / area index (%)")
        ax.grid(axis="y", linestyle=":", color="0.7")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3, fontsize=7,
                  frameon=False)  # fmt: skip
        outside = (tuple(ticks), tuple(ax.get_legend_handles_labels()[1]))
        _place(fig, ("profile", *outside))
        return _svg(fig, f"profile-{card.unit.unit_id}")


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
    with _style():
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
        _place(fig)  # one chart a group: nothing to share
        return _svg(fig, f"dist-{group.id}")
