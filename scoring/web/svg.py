"""A small SVG canvas for the web app's charts: elements written as text, no plotting library.

A web page redraws a chart each time its figures change (a save moves a unit's bars), so its
charts are laid out here by arithmetic rather than drawn by matplotlib, which takes 0.1–0.5 s a
chart. The canvas's user unit is the point (``width="518.4pt"`` with a viewBox of 518.4), so a
``font-size`` of 9 is 9 pt at the chart's nominal size, as in matplotlib's SVG. Text is measured
with DejaVu Sans' advance widths (the house font, ``chart_style.FONT_FAMILY``) to place labels,
and is escaped by ``xml.etree`` (a unit named ``<b>`` stays text). The chart says what it shows
to a screen reader: ``role="img"`` with a ``<title>`` and a ``<desc>``.

    canvas = Canvas(518.4, 180, "rank-so", "Xếp hạng nhóm Sở", "1. Sở A: 88,40 …")
    canvas.text(10, 20, "Chỉ số")
    svg = canvas.svg()
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET

from scoring.reports.chart_style import FONT_FAMILY, INK, MIN_FONT

# DejaVu Sans' advance widths (units of 1/2048 em) of the printable ASCII characters, from
# space to "~"; a Vietnamese letter is its base letter plus combining marks of no width
_ASCII = (
    "651 821 942 1716 1303 1946 1597 563 799 799 1024 1716 651 739 651 690 1303 1303 1303 1303 "
    "1303 1303 1303 1303 1303 1303 690 690 1716 1716 1716 1087 2048 1401 1405 1430 1577 1294 1178 "
    "1587 1540 604 604 1343 1141 1767 1532 1612 1235 1612 1423 1300 1251 1499 1401 2025 1403 1251 "
    "1403 799 690 799 1716 1024 1024 1255 1300 1126 1300 1260 721 1300 1298 569 569 1186 569 1995 "
    "1298 1253 1300 1300 842 1067 803 1298 1212 1675 1212 1212 1075 1303 690 1303 1716"
)
_WIDTHS = dict(zip(map(chr, range(32, 127)), map(int, _ASCII.split()), strict=True))
_WIDTHS.update({"đ": 1300, "Đ": 1587, "…": 2048, "—": 2048, "–": 1024, "≥": 1716})
_OTHER = 1300  # a character not in the table: about a lower-case letter


def text_width(text: str, size: float = MIN_FONT) -> float:
    """The width in points of ``text`` set in DejaVu Sans at ``size`` points."""
    units = 0
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        units += _WIDTHS.get(ch, _OTHER)
    return units * size / 2048


def wrap(text: str, width: float, size: float = MIN_FONT) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` points (a word wider than
    that keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def shorten(text: str, width: float, size: float = MIN_FONT) -> str:
    """``text`` cut and ended with "…" if it is wider than ``width`` points."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def ticks(low: float, high: float, most: int = 9) -> list[float]:
    """Round tick values from ``low`` to ``high`` (1, 2, 2.5 or 5 times a power of ten apart),
    at most about ``most`` of them: 65…105 by 5 on an axis from 65 to 108."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / most
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    count = math.floor(high / step + 1e-9) - first + 1
    return [round((first + i) * step, 9) for i in range(count)]


def tick_label(value: float, lang: str) -> str:
    """A tick value as written: ``62,5`` in Vietnamese, ``62.5`` in English, ``65`` either way."""
    shown = f"{value:g}"
    return shown.replace(".", ",") if lang == "vi" else shown


def _num(value: float) -> str:
    """A coordinate, short and the same for the same value (two decimals are 1/36 mm)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class Canvas:
    """An SVG element being drawn: shapes and text in points from the top left corner."""

    def __init__(self, width: float, height: float, prefix: str, title: str, desc: str) -> None:
        """A blank chart ``width`` × ``height`` points whose ids start with ``prefix``, said to
        a screen reader as ``title`` and ``desc``."""
        self.prefix = prefix
        self.root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "width": f"{_num(width)}pt",
                "height": f"{_num(height)}pt",
                "viewBox": f"0 0 {_num(width)} {_num(height)}",
                "role": "img",
                "aria-labelledby": f"{prefix}-title {prefix}-desc",
                "font-family": f"{FONT_FAMILY}, sans-serif",
                "font-size": _num(MIN_FONT),
                "fill": INK,
            },
        )
        ET.SubElement(self.root, "title", id=f"{prefix}-title").text = title
        ET.SubElement(self.root, "desc", id=f"{prefix}-desc").text = desc
        self.defs = ET.SubElement(self.root, "defs")

    def rect(self, x: float, y: float, w: float, h: float, **attrs: str) -> ET.Element:
        """A rectangle (``fill``, ``stroke``… as keyword attributes, ``_`` for ``-``)."""
        return self._add("rect", {"x": x, "y": y, "width": w, "height": h}, attrs)

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: str) -> ET.Element:
        """A straight line, black unless ``stroke`` says otherwise."""
        attrs.setdefault("stroke", INK)
        return self._add("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2}, attrs)

    def circle(self, x: float, y: float, r: float, **attrs: str) -> ET.Element:
        """A circle of radius ``r`` points centred on (x, y)."""
        return self._add("circle", {"cx": x, "cy": y, "r": r}, attrs)

    def diamond(self, x: float, y: float, r: float, **attrs: str) -> ET.Element:
        """A diamond (a square on its corner) reaching ``r`` points from (x, y)."""
        corners = ((x, y - r), (x + r, y), (x, y + r), (x - r, y))
        attrs["points"] = " ".join(f"{_num(a)},{_num(b)}" for a, b in corners)
        return self._add("polygon", {}, attrs)

    def text(
        self, x: float, y: float, text: str, size: float = MIN_FONT, anchor: str = "start",
        **attrs: str,
    ) -> ET.Element:  # fmt: skip
        """``text`` with its baseline at ``y``, starting (``anchor``: or middle, end) at ``x``;
        never smaller than the house style's ``MIN_FONT``."""
        attrs["font-size"] = _num(max(size, MIN_FONT))
        if anchor != "start":
            attrs["text-anchor"] = anchor
        element = self._add("text", {"x": x, "y": y}, attrs)
        element.text = text
        return element

    def hatch(self, name: str, gap: float = 4.0) -> str:
        """A fill of black diagonal lines on white ("///"), defined once; its ``url(#…)``."""
        ident = f"{self.prefix}-{name}"
        if self.defs.find(f"pattern[@id='{ident}']") is None:
            pattern = ET.SubElement(self.defs, "pattern", id=ident, width=_num(gap),
                                    height=_num(gap), patternUnits="userSpaceOnUse")  # fmt: skip
            ET.SubElement(pattern, "rect", width=_num(gap), height=_num(gap), fill="#ffffff")
            ET.SubElement(pattern, "path", d=f"M0,{_num(gap)} L{_num(gap)},0", stroke=INK,
                          attrib={"stroke-width": "0.6"})  # fmt: skip
        return f"url(#{ident})"

    def svg(self) -> str:
        """The chart as an ``<svg>`` element for an HTML page (no XML prolog)."""
        if not len(self.defs):
            self.root.remove(self.defs)
        return ET.tostring(self.root, encoding="unicode", short_empty_elements=True)

    def _add(self, tag: str, place: dict[str, float], attrs: dict[str, str]) -> ET.Element:
        """An element of the chart, its coordinates rounded, ``stroke_width`` as written."""
        out = {k: _num(v) for k, v in place.items()}
        out.update({k.replace("_", "-"): v for k, v in attrs.items()})
        return ET.SubElement(self.root, tag, out)
