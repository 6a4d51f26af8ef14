"""Reports as self-contained HTML: Jinja2 templates, CSS inline, charts as inline SVG, the font
embedded as base64 ``@font-face``.

Three parts: ``annex`` (the ranking annex per group, A4 landscape), ``summary`` (distribution,
class counts, biggest movers) and ``scorecard`` (one unit, A4 portrait). The page CSS (``@page``)
puts the campaign, the index id and content hash, the generation time and "Trang N / M" at the
foot of every printed page, and a DRAFT banner and watermark on a report not yet published,
when a browser prints it; ``pdf`` typesets the same report with Typst.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scoring.errors import Location, SubmissionError, suggest
from scoring.reports import charts
from scoring.reports.fonts import font_css
from scoring.reports.model import Report
from scoring.sources.files import write_text
from scoring.sources.numbers import decimal_comma
from scoring.sources.text import nfc

Part = Literal["annex", "summary", "scorecard"]
PARTS: tuple[Part, ...] = ("annex", "summary", "scorecard")
TEMPLATES = Path(__file__).resolve().parent / "templates"
_FONTS = "/*@font-face*/"  # replaced by the embedded font once the page's text is known
TIE_POLICY = {
    "competition": ("đồng hạng chiếm chỗ của hạng sau (1, 2, 2, 4)", "competition (1, 2, 2, 4)"),
    "dense": ("hạng sau liền kề (1, 2, 2, 3)", "dense (1, 2, 2, 3)"),
}


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that cannot end the ``<style>`` element."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '\\"<>\n\r' or not c.isprintable() else c for c in text
    )
    return Markup(f'"{escaped}"')  # noqa: S704  # every special character escaped above


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # the templates ship with the package: no need to stat each one at every use (the
        # scorecard includes its notes rows once per line of the tree, 3,700 times a set)
        auto_reload=False,
    )
    env.filters["css_string"] = css_string
    env.filters["vn"] = decimal_comma  # 85.50 → 85,50 in every figure printed
    env.globals["tie_policy"] = TIE_POLICY
    return env


_ENV = _environment()


def render_html(report: Report, part: Part = "annex", unit: str | None = None) -> str:
    """One report as HTML text: ``part`` of the campaign (a ``scorecard`` needs ``unit``)."""
    context: dict[str, Any] = {"report": report, "meta": report.meta}
    if part == "scorecard":
        if unit is None:
            raise SubmissionError("a scorecard needs a unit id", Location("report"))
        card = report.scorecard(unit)
        chart = Markup(charts.profile_svg(card))  # noqa: S704  # matplotlib escapes its text
        context |= {"card": card, "chart": chart}
    elif part == "summary":
        context["charts"] = {
            g.id: Markup(charts.distribution_svg(g))  # noqa: S704  # matplotlib escapes its text
            for g in report.groups
        }
    elif part != "annex":
        raise SubmissionError(
            f"unknown report part {part!r}", Location("report"), suggest(part, PARTS)
        )
    page = _ENV.get_template(f"{part}.html").render(context)
    page = nfc(page)
    return page.replace(_FONTS, font_css(page), 1)


def save_html(text: str, path: Path) -> Path:
    """Write rendered HTML text to ``path``."""
    return write_text(path, text)


def write_html(report: Report, path: Path, part: Part = "annex", unit: str | None = None) -> Path:
    """Write one report as a self-contained HTML file; the path written."""
    return save_html(render_html(report, part, unit), path)
