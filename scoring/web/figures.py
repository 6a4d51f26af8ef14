"""The web pages' charts, drawn as SVG text (``scoring.web.svg``) in the house style of
``scoring.reports.chart_style`` (its font, greys and ``MIN_FONT``): the ranking of a group as
bars against its class thresholds, each unit's index last year and this year, and a unit's area
profile against its group's median. No text is smaller than ``MIN_FONT``. Values come from the
report's decimal strings; labels use the page's language and decimal separator.

The reports (PDF, HTML files) keep matplotlib (``scoring.reports.charts``); a page redraws its
chart after every save that moves its figures, and laying it out by arithmetic takes a
millisecond where matplotlib took 0.1–0.5 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from scoring.reports.chart_style import (
    BAR,
    DARK,
    GRID,
    INK,
    MIN_FONT,
    axis_note,
    wrap_label,
    zoomed_axis,
)
from scoring.reports.model import GroupReport, Scorecard
from scoring.web.i18n import number
from scoring.web.svg import Canvas, shorten, text_width, tick_label, ticks, wrap

WIDTH = 518.4  # points: 7.2 inches, as the matplotlib charts were
ROW = 21.6  # points a unit's row takes
LINE = MIN_FONT * 1.25  # points from one line of text to the next
_FRAME = {"fill": "none", "stroke": INK, "stroke_width": "0.8"}
_DOTTED = {"stroke": GRID, "stroke_width": "0.8", "stroke_dasharray": "1 2"}


class _Axis:
    """An axis from ``low`` to ``high`` drawn between ``left`` and ``right`` points."""

    def __init__(self, low: float, high: float, left: float, right: float) -> None:
        self.low, self.high, self.left, self.right = low, high, left, right

    def x(self, value: float) -> float:
        """Where ``value`` falls, in points from the chart's left edge."""
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)


def _right_edge(values: Sequence[float], labels: Sequence[str], low: float, high: float,
                left: float) -> float:  # fmt: skip
    """The axis' right end that leaves room for each value's label after its bar or mark."""
    right = WIDTH - 10
    for value, label in zip(values, labels, strict=True):
        share = (value - low) / (high - low)
        if share > 0:  # the label ends within the chart: left + share·(right-left) + pad + text
            room = WIDTH - 6 - text_width(label) - 3
            right = min(right, left + (room - left) / share)
    return max(right, left + 0.4 * (WIDTH - left))


def _names(canvas: Canvas, names: Sequence[str], top: float) -> float:
    """The rows' names at the left, each shortened to at most 45 % of the chart (the full name
    stays in a tooltip); where the axis starts."""
    wide = min(max((text_width(n) for n in names), default=0.0), 0.45 * WIDTH)
    left = wide + 14
    for i, name in enumerate(names):
        y = top + (i + 0.7) * ROW
        label = canvas.text(left - 6, y + 0.35 * MIN_FONT, shorten(name, wide), anchor="end")
        if label.text != name:
            label.set("aria-label", name)
        canvas.line(left - 3.5, y, left, y)
    return left


def _x_axis(canvas: Canvas, axis: _Axis, top: float, bottom: float, lang: str, title: str) -> float:
    """Grid, ticks and tick labels below the axes, then ``title`` (wrapped); the baseline of
    its last line."""
    for t in ticks(axis.low, axis.high):
        x = axis.x(t)
        canvas.line(x, top, x, bottom, **_DOTTED)
        canvas.line(x, bottom, x, bottom + 3.5)
        canvas.text(x, bottom + 3.5 + LINE, tick_label(t, lang), anchor="middle")
    y = bottom + 3.5 + LINE
    for part in wrap(title, WIDTH - 20):
        y += LINE
        canvas.text((axis.left + axis.right) / 2, y, part, anchor="middle")
    return y


@lru_cache(maxsize=64)  # a group whose figures did not change keeps its drawing
def ranking_svg(group: GroupReport, lang: str, precision: int = 2) -> str:
    """Horizontal bars, best unit on top, index labelled, class thresholds dashed, on an axis
    zoomed to the group's indices (the axis label says where it starts); units sharing a rank
    are marked "đồng hạng", with a note on the ranking's precision (``precision`` decimals)."""
    units = [u for u in group.units if u.rank is not None] + [
        u for u in group.units if u.rank is None
    ]
    tied = " (đồng hạng)" if lang == "vi" else " (tied)"
    values = [float(Decimal(u.index)) for u in units]
    labels = [number(u.index, lang) + (tied if u.tied else "") for u in units]
    low, high = zoomed_axis(values)
    name = group.title_vi if lang == "vi" else (group.title_en or group.title_vi)
    title = f"{'Xếp hạng' if lang == 'vi' else 'Ranking'}: {name}"
    note = precision_note(precision, lang)
    axis_title = ("Chỉ số" if lang == "vi" else "Index") + axis_note(low, lang)
    said = [f"{u.rank_text}. {u.name}: {label}" for u, label in zip(units, labels, strict=True)]
    notes = wrap(note, WIDTH - 12)
    top, bottom = 8.0, 8.0 + (len(units) + 0.4) * ROW
    height = bottom + 3.5 + 3 * LINE + len(notes) * LINE + 8
    canvas = Canvas(WIDTH, height, f"rank-{group.id}", title,
                    "; ".join(said) + f". {axis_title}. {note}")  # fmt: skip
    left = _names(canvas, [f"{u.rank_text}. {u.name}" for u in units], top)
    axis = _Axis(low, high, left, _right_edge(values, labels, low, high, left))
    y = _x_axis(canvas, axis, top, bottom, lang, axis_title)
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        middle = top + (i + 0.7) * ROW
        x = axis.x(max(value, low))
        canvas.rect(left, middle - 0.35 * ROW, x - left, 0.7 * ROW, fill=BAR, stroke=INK,
                    stroke_width="0.8")  # fmt: skip
        canvas.text(x + 3, middle + 0.35 * MIN_FONT, label)
    for c in group.classes:
        value = float(Decimal(c.min))
        if low < value < high:
            x = axis.x(value)
            canvas.line(x, top, x, bottom, stroke_width="0.7", stroke_dasharray="4 2")
            label = c.label.label_vi if lang == "vi" else (c.label.label_en or c.label.label_vi)
            shown = canvas.text(0, 0, label, anchor="end")
            shown.set("transform", f"translate({x + 2 + 0.8 * MIN_FONT:.2f},{top + 4:.2f}) "
                                   "rotate(-90)")  # fmt: skip
    canvas.rect(left, top, axis.right - left, bottom - top, **_FRAME)
    for part in notes:
        y += LINE
        canvas.text(6, y + 4, part)
    return canvas.svg()


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
    """One line per unit from last year's index (open circle) to this year's (filled), the
    change written after it, on an axis zoomed to the indices (its label says where it starts)."""
    before = [float(Decimal(b)) for _, b, _ in rows]
    after = [float(Decimal(a)) for _, _, a in rows]
    changes = []
    for _, was, now in rows:
        delta = Decimal(now) - Decimal(was)
        changes.append(number(f"{'+' if delta > 0 else ''}{delta}", lang))
    low, high = zoomed_axis(before + after)
    axis_title = ("Chỉ số" if lang == "vi" else "Index") + axis_note(low, lang)
    title = (
        f"Chỉ số năm {years[0]} và năm {years[1]}"
        if lang == "vi"
        else f"Index in {years[0]} and in {years[1]}"
    )
    said = [f"{n}: {number(b, lang)} → {number(a, lang)} ({c})"
            for (n, b, a), c in zip(rows, changes, strict=True)]  # fmt: skip
    top, bottom = 8.0, 8.0 + (len(rows) + 0.4) * ROW
    height = bottom + 3.5 + 4 * LINE + 8
    canvas = Canvas(WIDTH, height, f"yoy-{group_id}", title, "; ".join(said) + ".")
    left = _names(canvas, [n for n, _, _ in rows], top)
    ends = [max(b, a) for b, a in zip(before, after, strict=True)]
    axis = _Axis(low, high, left, _right_edge(ends, changes, low, high, left))
    y = _x_axis(canvas, axis, top, bottom, lang, axis_title)
    for i, (b, a, change) in enumerate(zip(before, after, changes, strict=True)):
        middle = top + (i + 0.7) * ROW
        canvas.line(axis.x(b), middle, axis.x(a), middle, stroke_width="0.8")
        canvas.circle(axis.x(b), middle, 2.5, fill="#ffffff", stroke=INK)
        canvas.circle(axis.x(a), middle, 2.5, fill=INK, stroke=INK)
        canvas.text(axis.x(max(a, b)) + 6, middle + 0.35 * MIN_FONT, change)
    canvas.rect(left, top, axis.right - left, bottom - top, **_FRAME)
    y += LINE  # the legend: which mark is which year
    x = left
    for year, fill in ((years[0], "#ffffff"), (years[1], INK)):
        canvas.circle(x + 3, y - 0.35 * MIN_FONT, 2.5, fill=fill, stroke=INK)
        canvas.text(x + 9, y, str(year))
        x += 9 + text_width(str(year)) + 14
    return canvas.svg()


PROFILE_WIDTH = 0.38  # of an area's slot: a bar; the unit's left of the slot's middle


@lru_cache(maxsize=64)  # the unit page after a save that did not move its areas: drawn already
def profile_svg(card: Scorecard, lang: str) -> str:
    """The unit's index in each area (points / applicable max × 100, dark bars) against its
    group's median (hatched), each labelled, "KAD" where the area does not apply, and last
    year's index as open diamonds when there is one."""
    areas = card.unit.areas
    vi = lang == "vi"
    year = None
    if card.previous is not None and any(a.previous_percent is not None for a in areas):
        year = card.previous.year
    left, right, top, bottom = 46.0, WIDTH - 8, 8.0, 8.0 + 170.0
    slot = (right - left) / max(len(areas), 1)
    chars = max(6, int(slot / (0.62 * MIN_FONT)))
    ticks_of = [[a.id, *wrap_label(a.title_vi if vi else (a.title_en or a.title_vi),
                                   chars).split("\n")] for a in areas]  # fmt: skip
    lines = max((len(t) for t in ticks_of), default=1)
    height = bottom + 3.5 + lines * LINE + 2 * LINE + 8
    canvas = Canvas(WIDTH, height, f"profile-{card.unit.unit_id}", _profile_title(card, vi),
                    _profile_desc(card, vi, year))  # fmt: skip

    def y(value: float) -> float:
        return bottom - value / 112 * (bottom - top)

    for t in range(0, 101, 20):
        canvas.line(left, y(t), right, y(t), **_DOTTED)
        canvas.line(left - 3.5, y(t), left, y(t))
        canvas.text(left - 6, y(t) + 0.35 * MIN_FONT, str(t), anchor="end")
    axis = "Chỉ số lĩnh vực (%)" if vi else "Area index (%)"
    label = canvas.text(0, 0, axis, anchor="middle")
    label.set("transform", f"translate(12,{(top + bottom) / 2:.2f}) rotate(-90)")
    hatch = canvas.hatch("hatch")
    bar = PROFILE_WIDTH * slot
    for i, (a, tick) in enumerate(zip(areas, ticks_of, strict=True)):
        middle = left + (i + 0.5) * slot
        mine, theirs = middle - bar / 2, middle + bar / 2
        if a.percent is not None:
            canvas.rect(mine - bar / 2, y(a.percent), bar, bottom - y(a.percent), fill=DARK,
                        stroke=INK, stroke_width="0.8")  # fmt: skip
        if a.group_median is not None:
            canvas.rect(theirs - bar / 2, y(a.group_median), bar, bottom - y(a.group_median),
                        fill=hatch, stroke=INK, stroke_width="0.8")  # fmt: skip
        if a.percent is None:  # the area does not apply: say so where the bar would be
            canvas.text(mine, y(1.5), "KAD" if vi else "N/A", anchor="middle")
        elif a.percent >= 12:  # at the foot of the dark bar, in white: clear of the diamond
            canvas.text(mine, y(2), f"{a.percent:.0f}", anchor="middle", fill="#ffffff")
        else:  # too short to hold its label
            canvas.text(mine, y(a.percent + 1.5), f"{a.percent:.0f}", anchor="middle")
        median = "—" if a.group_median is None else f"{a.group_median:.0f}"
        canvas.text(theirs, y((a.group_median or 0.0) + 1.5), median, anchor="middle")
        if year is not None and a.previous_percent is not None:
            canvas.diamond(mine, y(a.previous_percent), 3.5, fill="#ffffff", stroke=INK)
        canvas.line(middle, bottom, middle, bottom + 3.5)
        for n, part in enumerate(tick):
            canvas.text(middle, bottom + 3.5 + (n + 1) * LINE, part, anchor="middle")
    canvas.rect(left, top, right - left, bottom - top, **_FRAME)
    keys: list[tuple[str, str]] = [
        ("bar", "đơn vị" if vi else "unit"),
        ("hatch", "trung vị nhóm" if vi else "group median"),
    ]
    if year is not None:
        keys.append(("diamond", f"đơn vị năm {year}" if vi else f"unit in {year}"))
    base = height - 8 - 0.5 * LINE
    x = (WIDTH - sum(14 + text_width(k) + 16 for _, k in keys)) / 2
    for mark, key in keys:
        if mark == "diamond":
            canvas.diamond(x + 5, base - 3, 3.5, fill="#ffffff", stroke=INK)
        else:
            fill = DARK if mark == "bar" else hatch
            canvas.rect(x, base - 8, 10, 8, fill=fill, stroke=INK, stroke_width="0.8")
        canvas.text(x + 14, base, key)
        x += 14 + text_width(key) + 16
    return canvas.svg()


def _profile_title(card: Scorecard, vi: bool) -> str:
    """What the profile chart is, for a screen reader."""
    if vi:
        return f"Chỉ số theo lĩnh vực của {card.unit.name} so với trung vị nhóm"
    return f"Area index of {card.unit.name} against the group median"


def _profile_desc(card: Scorecard, vi: bool, year: int | None) -> str:
    """Each area's figures in words, for a screen reader."""
    said = []
    for a in card.unit.areas:
        mine = "không áp dụng" if vi else "not applicable"
        if a.percent is not None:
            mine = f"{a.percent:.0f} %"
        median = "—" if a.group_median is None else f"{a.group_median:.0f} %"
        part = f"{a.id}: {mine}, {'trung vị nhóm' if vi else 'group median'} {median}"
        if year is not None and a.previous_percent is not None:
            part += f", {'năm' if vi else 'in'} {year} {a.previous_percent:.0f} %"
        said.append(part)
    return "; ".join(said) + "."
