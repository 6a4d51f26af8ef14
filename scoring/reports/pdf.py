"""Reports as PDF: WeasyPrint prints the HTML of ``html.render_html`` (A4, fonts embedded).

The PDF is the HTML report paginated by its own ``@page`` CSS, so both say the same thing with
the same figures. WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and
HarfBuzz's subsetter (libharfbuzz-subset0); it is imported only when a PDF is written.
"""

from __future__ import annotations

from pathlib import Path

from ..files import atomic_path
from .html import Part, render_html
from .model import Report


def save_pdf(html: str, path: Path) -> Path:
    """Print rendered HTML text to a PDF at ``path``."""
    # WeasyPrint ships no type information
    from weasyprint import HTML  # type: ignore[import-untyped]

    with atomic_path(path) as tmp:
        HTML(string=html).write_pdf(tmp)
    return path


def write_pdf(report: Report, path: Path, part: Part = "annex", unit: str | None = None) -> Path:
    """Write one report as a PDF; the path written."""
    return save_pdf(render_html(report, part, unit), path)
