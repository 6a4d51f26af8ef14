"""How parindex draws a chart: the one house style of every figure (reports, robustness, web).

Every chart is matplotlib on the Agg canvas (no display), readable in black and white: hatching
and marker shapes rather than colours. Its text is set in DejaVu Sans, which matplotlib ships
and which has every Vietnamese diacritic, and SVG keeps the text as text, so unit names stay
searchable. A figure leaves either as an ``<svg>`` element for an HTML page (``svg_element``)
or as PNG and SVG files (``save_figure``), without a date or a software version, so that the
same chart always gives the same bytes; a figure is drawn and written inside ``house_style``
(its settings name the SVG ids too).

    with house_style():
        fig = Figure(figsize=(6.9, 3.6))
        ...
        svg = svg_element(fig, "profile-so-y-te")
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from scoring.sources.files import atomic_path

FILE_FORMATS = ("png", "svg")  # what ``save_figure`` writes
MIN_FONT = 9.0  # points: no text of a chart smaller (read on a screen or a printed A4 page)
# The style's constants, shared by matplotlib here and the web app's charts drawn as SVG text
# (``scoring.web.figures``): one font, black ink, and greys that still read in black and white.
FONT_FAMILY = "DejaVu Sans"  # matplotlib ships it; it has every Vietnamese diacritic
INK = "#000000"  # lines, edges, text
BAR = "#8c8c8c"  # a plain bar (matplotlib's grey "0.55")
DARK = "#4d4d4d"  # the unit's own bar beside a lighter one ("0.3")
GRID = "#b3b3b3"  # dotted grid lines ("0.7")

_IDS = re.compile(r'(\bid="|url\(#|href="#)')
_STYLE = re.compile(r'style="([^"]*)"')
_SHEET = re.compile(r"<style[^>]*>\*\{([^}]*)\}</style>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


@contextmanager
def house_style() -> Iterator[None]:
    """matplotlib's settings for parindex's charts, for the figures made inside the block."""
    with mpl.rc_context(
        {
            "font.family": FONT_FAMILY,
            "font.size": 9,
            "svg.fonttype": "none",  # text stays text in SVG
            "svg.hashsalt": "parindex",  # the same report gives the same SVG bytes
            "text.parse_math": False,  # names are text: a "$" is a dollar sign, not TeX
        }
    ):
        yield


def zoomed_axis(values: list[float], top: float = 100.0, step: float = 5.0) -> tuple[float, float]:
    """Axis limits that show the spread of ``values`` (indices on a 0–``top`` scale): from a
    multiple of ``step`` a little below the lowest to ``top`` with room for a value label, or
    from 0 when the lowest is near 0 anyway. An axis that does not start at 0 says so
    (``axis_note``), since bar lengths are then no longer proportional to the values."""
    if not values:
        return 0.0, top * 1.08
    low = step * ((min(values) - step / 2) // step)
    low = 0.0 if low < 2 * step else low
    high = max(top, max(values)) + (max(top, max(values)) - low) * 0.08
    return low, high


def axis_note(low: float, lang: str) -> str:
    """What an axis label adds when the axis does not start at 0 ("" when it does)."""
    if low <= 0:
        return ""
    shown = f"{low:g}".replace(".", ",") if lang == "vi" else f"{low:g}"
    if lang == "vi":
        return f" (trục bắt đầu từ {shown}, không từ 0)"
    return f" (axis starts at {shown}, not 0)"


def wrap_label(title: str, width: int = 16, lines: int = 3) -> str:
    """A long tick label (an area's title) on at most ``lines`` lines of ``width`` characters,
    the last one shortened with "…" if the title does not fit."""
    parts = textwrap.wrap(title, width)
    if len(parts) > lines:
        parts = [
            *parts[: lines - 1],
            textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder="…"),
        ]
    return "\n".join(parts)


def svg_element(fig: Figure, prefix: str) -> str:
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


def _attributes(declarations: str) -> str:
    """CSS declarations as SVG presentation attributes (``fill: #000`` → ``fill="#000"``)."""
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return " ".join(f'{k.strip()}="{v.strip()}"' for k, v in pairs)


def save_figure(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write the figure as ``folder/STEM.png`` and ``.svg`` (the stem made a safe file name),
    each atomically; the paths written."""
    FigureCanvasAgg(fig)
    written = []
    for fmt in FILE_FORMATS:
        path = folder / f"{_slug(stem)}.{fmt}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=150, metadata=_metadata(fmt))
        written.append(path)
    return written


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def _metadata(fmt: str) -> dict[str, str | None]:
    # no creation date or software version, so that a rerun writes the same bytes
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    return {"Software": None}
