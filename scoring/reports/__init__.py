"""Publication-ready reports of a campaign: ranking annex, summary and one scorecard per unit.

``build(store, campaign_id)`` reads the latest published run (or scores the campaign as it
stands and marks it DRAFT) and last year's published campaign; the ``Report`` it returns is
plain data (``model``, composed by ``compose``) that ``write_html``, ``write_pdf``,
``write_xlsx`` and ``write_docx`` render. ``outputs``, ``make_folders`` and ``write_all`` are what
``parindex report`` uses to lay the files out in a folder. ``export_results`` and ``export_csv``
write the plainer annex of a published score document (``parindex export``) through the same
workbook writer (``xlsx``); ``charts`` (the report's) and ``robustness_figures`` draw in the
one house style of ``chart_style``.

    report = build(open_store("sqlite:///parindex.db"), "langson-2018")
    write_pdf(report, Path("annex.pdf"), "annex")
    write_html(report, Path("so-tai-chinh.html"), "scorecard", "so-tai-chinh")
    write_xlsx(report, Path("annex.xlsx"))
    write_docx(report, Path("phu-luc.docx"))  # the annex to attach to the draft Quyết định
"""

from __future__ import annotations

from scoring.reports.build import build
from scoring.reports.export import export_csv, export_results
from scoring.reports.files import FORMATS, Output, formats, make_folders, outputs, write, write_all
from scoring.reports.html import PARTS, Part, render_html, write_html
from scoring.reports.model import Report, Scorecard
from scoring.reports.pdf import render_pdf, write_pdf
from scoring.reports.word import render_docx, write_docx
from scoring.reports.xlsx import write_xlsx

__all__ = [
    "FORMATS",
    "PARTS",
    "Output",
    "Part",
    "Report",
    "Scorecard",
    "build",
    "export_csv",
    "export_results",
    "formats",
    "make_folders",
    "outputs",
    "render_docx",
    "render_html",
    "render_pdf",
    "write",
    "write_all",
    "write_docx",
    "write_html",
    "write_pdf",
    "write_xlsx",
]
