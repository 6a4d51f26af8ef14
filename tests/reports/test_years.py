"""The report's year over year joins units through the register (issue 15)."""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from scoring.reports import build
from scoring.reports.html import render_html
from scoring.reports.model import Report
from scoring.reports.pdf import write_pdf
from scoring.store.cycle import run_cycle
from scoring.store.db import open_store
from tests.support.registers import two_years


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the later register campaign, with the earlier one as last year."""
    tmp = tmp_path_factory.mktemp("register")
    st = open_store(f"sqlite:///{tmp / 'r.db'}")
    for folder in two_years(tmp):
        run_cycle(st, folder, actor="snv")
    when = dt.datetime(2019, 1, 5, tzinfo=dt.UTC)
    rep = build(st, "reg-b", generated_at=when)  # last year found by its predecessors
    st.close()
    return rep


def test_a_merged_department_shows_its_predecessors_and_no_change(report: Report) -> None:
    """The merged unit's scorecard lists both predecessors' indices and gives no change."""
    card = report.scorecard("nn")
    assert card.previous is None
    assert [(m.name, m.index) for m in card.merged_from] == [("Sở A", "93.00"), ("Sở B", "31.17")]
    page = html.unescape(render_html(report, "scorecard", "nn"))
    assert "Kế thừa từ" in page and "không so sánh chênh lệch" in page


def test_a_renamed_unit_changes_from_its_predecessor(report: Report) -> None:
    """k2 is compared with k, and its scorecard says whose successor it is."""
    card = report.scorecard("k2")
    assert card.previous is not None and card.previous.from_name == "Sở K"
    assert card.previous.index == "93.00" and card.previous.index_change == "-68.40"
    assert "kế thừa từ / successor of Sở K" in html.unescape(render_html(report, "scorecard", "k2"))


def test_a_new_body_is_part_year_with_no_last_year(report: Report) -> None:
    """The body created on 01/08 has no last year and is marked as existing part of it."""
    card = report.scorecard("ngoai-vu")
    assert card.previous is None and card.merged_from == ()
    assert card.part_year_vi == "hoạt động từ 01/08/2018"


def test_an_id_taken_by_another_body_is_not_compared(report: Report) -> None:
    """x, now another body, has no year over year and is in no mover list."""
    assert report.scorecard("x").previous is None
    movers = {m.unit_id for m in (*report.rises, *report.falls)}
    assert movers == {"k2"}  # the one like-for-like unit that moved


def test_the_summary_lists_every_change_of_units(report: Report) -> None:
    """The summary names the merged, renamed, new and ended units and the id conflict."""
    ch = report.unit_changes
    assert [here.unit_id for here, _ in ch.merged] == ["nn"]
    assert [(a.unit_id, b.unit_id) for a, b in ch.renamed] == [("k", "k2")]
    assert [u.unit_id for u in ch.new] == ["ngoai-vu", "x"]
    assert [(u.unit_id, on, note) for u, on, note in ch.ended] == [
        ("h", "01/07/2018", "Bãi bỏ cấp huyện"),
        ("x", None, None),
    ]
    assert ch.conflicts == (("x", "Sở X", "Ban X"),)
    page = " ".join(html.unescape(render_html(report, "summary")).split())
    assert "Huyện H (chỉ số 2017: 31,17): không có đơn vị kế thừa, chấm dứt từ 01/07/2018" in page
    assert "Sở Ngoại vụ: đơn vị mới, hoạt động từ 01/08/2018" in page
    assert "x: Sở X → Ban X: cùng mã nhưng khác đơn vị" in page


def _pdf_words(report: Report, unit: str, path: Path) -> str:
    """The text of a unit's PDF scorecard, whitespace collapsed."""
    write_pdf(report, path, "scorecard", unit)
    doc = pdfium.PdfDocument(path)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_pdf_scorecards_say_what_the_register_says(report: Report, tmp_path: Path) -> None:
    """The PDF scorecard of a merged unit names its predecessors with no change, a renamed
    unit's says whose successor it is, and a new body's that it existed part of the year."""
    merged = _pdf_words(report, "nn", tmp_path / "nn.pdf")
    assert "Kế thừa từ / successor of: Sở A (chỉ số / index 93,00" in merged
    assert "không so sánh chênh lệch" in merged
    assert "kế thừa từ / successor of Sở K" in _pdf_words(report, "k2", tmp_path / "k2.pdf")
    new = _pdf_words(report, "ngoai-vu", tmp_path / "nv.pdf")
    assert "Đơn vị hoạt động từ 01/08/2018" in new
