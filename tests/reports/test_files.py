"""Publication-ready reports: the figures of every format equal the stored results."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.shared import Mm, Pt
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

import scoring.cli.report_cmds  # noqa: F401  # registers `parindex report` on the app
from scoring.errors import SubmissionError
from scoring.reports import (
    Report,
    build,
    charts,
    formats,
    make_folders,
    outputs,
    render_html,
    render_pdf,
    write_all,
)
from scoring.reports.fonts import missing_glyphs
from scoring.reports.xlsx import HEAD_ROW
from scoring.sources.numbers import fmt, quantize
from scoring.store import imports
from scoring.store.cycle import run_cycle
from scoring.store.db import Store, open_store
from scoring.store.publication import latest_run, published
from tests.support.cli import run
from tests.support.paths import MINI, ROOT

AT = dt.datetime(2020, 1, 15, 9, 30, tzinfo=dt.UTC)
CARDS_2019 = ("so-ke-hoach-va-dau-tu", "huyen-cao-loc", "thanh-tra-tinh")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space, in NFC."""
    return " ".join(nfc(text).split())


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, as PDFium extracts it (pypdfium2: no system tool)."""
    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF, whitespace collapsed."""
    return flat("\n".join(pdf_pages(path)))


def pdf_row(path: Path, needle: str) -> str:
    """The text of the band of the page, full width, on the line where ``needle`` first is:
    a table row's cells, whatever order the PDF holds them in."""
    doc = pdfium.PdfDocument(path)
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            found = textpage.search(needle).get_next()
            if found is None:
                continue
            _, bottom, _, top = textpage.get_charbox(found[0])
            band = textpage.get_text_bounded(0, bottom - 1, page.get_width(), top + 1)
            return flat(band)
    finally:
        doc.close()
    raise AssertionError(f"{needle!r} is not in {path}")


def units(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for g in doc["groups"] for u in g["units"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    st = open_store(f"sqlite:///{tmp_path_factory.mktemp('store')}/r.db")
    run_cycle(st, ROOT / "samples/2018", actor="t")
    run_cycle(st, ROOT / "samples/2019", actor="t")
    return st


@pytest.fixture(scope="module")
def docs(store: Store) -> dict[str, dict[str, Any]]:
    with store.read() as s:
        return {cid: published(s, cid) for cid in ("langson-2018", "langson-2019")}


@pytest.fixture(scope="module")
def traces(store: Store) -> dict[str, Any]:
    with store.read() as s:
        run = latest_run(s, "langson-2019")
        assert run is not None
        return dict(json.loads(run.traces_json))


@pytest.fixture(scope="module")
def report(store: Store) -> Report:
    return build(store, "langson-2019", generated_at=AT)


@pytest.fixture(scope="module")
def files(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Annex (HTML, PDF, Excel, Word), summary and three scorecards (HTML, PDF) of 2019."""
    folder = tmp_path_factory.mktemp("bao-cao")
    planned = [o for u in CARDS_2019 for o in outputs(report, folder, unit=u)]
    planned = list({o.paths: o for o in planned}.values())  # annex and summary once
    make_folders(folder, planned)
    assert len(list(write_all(report, planned))) == 2 + len(CARDS_2019)
    return folder


def _rows(page: str) -> dict[str, list[str]]:
    """The annex's cells per unit id, as text."""
    out = {}
    for uid, row in re.findall(r'<tr id="unit-([^"]+)">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        out[uid] = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
    return out


def vn(figure: str) -> str:
    """A figure of the score document as the reports print it: with a decimal comma."""
    return figure.replace(".", ",")


def test_annex_html_rows_equal_the_stored_document(files: Path, docs: dict[str, Any]) -> None:
    """Each unit's annex row holds exactly the published rank, name, area points, totals and
    satisfaction index."""
    rows = _rows((files / "annex.html").read_text(encoding="utf-8"))
    doc = docs["langson-2019"]
    assert set(rows) == {u["unit_id"] for u in units(doc)}
    for g in doc["groups"]:
        columns = list(dict.fromkeys(a["id"] for u in g["units"] for a in u["areas"]))
        for u in g["units"]:
            areas = {a["id"]: a for a in u["areas"]}
            expected_areas = [
                areas[c]["points"] if Decimal(areas[c]["max"]) else "KAD" for c in columns
            ]
            figures = ("content", "survey", "bonus", "penalty", "points", "max_points", "index")
            cells = rows[u["unit_id"]]
            assert cells[1] == nfc(u["name"])
            expected = [vn(x) for x in expected_areas + [u[k] for k in figures]]
            assert cells[2:-2] == expected  # with a decimal comma, as Vietnamese readers write
            assert cells[-2] == u["classification"]["label_vi"]
            assert cells[-1] == vn(u["satisfaction"])  # the satisfaction index beside it
            assert cells[0].lstrip("=") == str(u["rank"])


def test_annex_marks_ties_as_the_tie_policy_says(report: Report, docs: dict[str, Any]) -> None:
    """Units sharing a rank show ``=N``; with the competition policy the next rank skips."""
    assert docs["langson-2019"]["index"]["ranking"]["tie_policy"] == "competition"
    rows = _rows(render_html(report, "annex"))
    for g in docs["langson-2019"]["groups"]:
        ranks = [u["rank"] for u in g["units"]]
        for u in g["units"]:
            shown = rows[u["unit_id"]][0]
            assert shown == (f"={u['rank']}" if ranks.count(u["rank"]) > 1 else str(u["rank"]))
    depts = [u["rank"] for u in docs["langson-2019"]["groups"][0]["units"]]
    assert depts[:3] == [1, 1, 3]
    assert "=1" in rows["so-noi-vu"][0] and "competition (1, 2, 2, 4)" in render_html(report)


def test_excel_reopens_with_numbers_equal_to_the_document(
    files: Path, docs: dict[str, Any]
) -> None:
    """Every figure of the Excel annex (the satisfaction index included) is a numeric cell
    showing the published string."""
    wb = load_workbook(files / "annex.xlsx", data_only=True)
    doc = docs["langson-2019"]
    seen = 0
    for g, ws in zip(doc["groups"], wb.worksheets, strict=False):
        assert ws.title == g["title_vi"][:31]
        header = [c.value for c in ws[HEAD_ROW]]
        for r, u in enumerate(g["units"], start=HEAD_ROW + 1):
            row = {h: ws.cell(r, c + 1) for c, h in enumerate(header)}
            assert row["Hạng"].value == u["rank"] and isinstance(row["Hạng"].value, int)
            assert row["Đơn vị"].value == nfc(u["name"])
            assert row["Mã đơn vị"].value == u["unit_id"]
            for key, title in (
                ("points", "Tổng điểm"),
                ("index", "Chỉ số"),
                ("bonus", "Điểm thưởng"),
                ("satisfaction", "Hài lòng (%)"),
            ):
                cell = row[title]
                assert type(cell.value) in (int, float) and cell.number_format == "0.00"
                assert format(cell.value, ".2f") == u[key]
            for a in u["areas"]:
                cell = row[f"{a['id']}. {nfc(a['title_vi'])}"]
                if Decimal(a["max"]):
                    assert format(cell.value, ".2f") == a["points"]
                else:
                    assert cell.value == "KAD"
            seen += 1
    assert seen == len(units(doc)) == 31
    assert wb["Thông tin"]["B7"].value == doc["index"]["content_hash"]


def test_word_annex_is_laid_out_for_the_decision(files: Path, docs: dict[str, Any]) -> None:
    """The Word annex reads back (python-docx) as A4 portrait, administrative margins, Times
    New Roman 13, the heading block with blanks, and one table per group whose rows hold the
    published total, index, class, satisfaction index and rank (decimal comma; ties said)."""
    doc = Document(str(files / "annex.docx"))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    twip = Mm(0.02)  # Word stores margins in twentieths of a point
    for side, low, high in (
        ("top", 20, 25),
        ("bottom", 20, 25),
        ("left", 30, 35),
        ("right", 15, 20),
    ):
        assert Mm(low) - twip <= getattr(section, f"{side}_margin") <= Mm(high) + twip, side
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size in (Pt(13), Pt(14))
    head = [p.text for p in doc.paragraphs[:6]]
    assert "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in head and "PHỤ LỤC" in head
    assert (
        "(Kèm theo Quyết định số ……/QĐ-UBND ngày …… tháng …… năm …… của UBND tỉnh Lạng Sơn)" in head
    )
    doc_groups = docs["langson-2019"]["groups"]
    assert len(doc.tables) == len(doc_groups)
    for table, g in zip(doc.tables, doc_groups, strict=True):
        rows = [[c.text for c in r.cells] for r in table.rows]
        assert rows[0] == [
            "STT", "Tên đơn vị", "Điểm", "Chỉ số", "Xếp loại", "Hài lòng (%)", "Xếp hạng"
        ]  # fmt: skip
        ranks = [u["rank"] for u in g["units"]]
        for i, (row, u) in enumerate(zip(rows[1:], g["units"], strict=True), start=1):
            tied = ranks.count(u["rank"]) > 1
            rank = f"{u['rank']} (đồng hạng)" if tied else str(u["rank"])
            expected = [str(i), nfc(u["name"]), vn(u["points"]), vn(u["index"]),
                        u["classification"]["label_vi"], vn(u["satisfaction"]), rank]  # fmt: skip
            assert row == expected
            assert all(unicodedata.is_normalized("NFC", c) for c in row)
    assert "langson-2019 · chỉ số / index" in doc.sections[0].footer.paragraphs[0].text
    assert "DỰ THẢO" not in "\n".join(p.text for p in doc.paragraphs)


def test_pdf_text_has_every_unit_with_its_total_and_index(
    files: Path, docs: dict[str, Any]
) -> None:
    """The annex PDF's text shows every unit's name, and on its row its total, index and
    satisfaction index; footers are there."""
    text = pdf_text(files / "annex.pdf")
    for u in units(docs["langson-2019"]):
        name = nfc(u["name"])
        assert name in text
        row = pdf_row(files / "annex.pdf", " ".join(name.split()[:4])).split()
        assert row[0].lstrip("=") == str(u["rank"]), name
        assert vn(u["points"]) in row and vn(u["index"]) in row, name
        assert row[-1] == vn(u["satisfaction"]), name  # the satisfaction index, last
    assert "Trang 1 / 2" in text and "Trang 2 / 2" in text
    assert f"langson-2019 · chỉ số / index langson-2019 {report_hash(docs)}" in text
    assert "lập lúc / generated 2020-01-15 09:30 UTC" in text


def report_hash(docs: dict[str, Any]) -> str:
    return str(docs["langson-2019"]["index"]["content_hash"][:12])


def test_html_is_one_self_contained_file(files: Path) -> None:
    """Each HTML report embeds its CSS, font and charts and refers to no other file or URL."""
    for name in ("annex.html", "summary.html", f"scorecards/{CARDS_2019[0]}.html"):
        page = (files / name).read_text(encoding="utf-8")
        assert "<link" not in page and "<script" not in page and "url(http" not in page
        assert not re.search(r'\b(src|href)="(?!#)', page), name
        assert page.count("@font-face") == 2 and "@page" in page and "counter(pages)" in page
    card = (files / "scorecards" / f"{CARDS_2019[0]}.html").read_text(encoding="utf-8")
    assert card.count("<svg") == 1 and 'style="' not in card.split("<svg", 1)[1].split("</svg>")[0]


def test_a_rendered_page_image_is_produced(files: Path, tmp_path: Path) -> None:
    """PDFium renders the first page of a scorecard and of the annex as PNGs for inspection:
    A4 (portrait, landscape), not blank."""
    for name, portrait in ((f"scorecards/{CARDS_2019[0]}.pdf", True), ("annex.pdf", False)):
        doc = pdfium.PdfDocument(files / name)
        width, height = doc[0].get_size()  # points
        assert (round(width), round(height)) == ((595, 842) if portrait else (842, 595)), name
        image = doc[0].render(scale=60 / 72).to_pil().convert("L")
        doc.close()
        assert abs(image.width / image.height - width / height) < 0.01
        inked = sum(image.histogram()[:128]) / (image.width * image.height)
        assert 0.01 < inked < 0.5, (name, inked)  # text and rules, not a blank or black page
        png = tmp_path / f"{Path(name).stem}.png"
        image.save(png)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        print(f"rendered page: {png}")


def test_vietnamese_strings_survive_every_format(files: Path, report: Report) -> None:
    """Names, titles, classes and reasons come out of HTML, PDF and Excel as stored, in NFC,
    and the embedded font has a glyph for every character of the page."""
    card = report.scorecard("so-ke-hoach-va-dau-tu")
    reason = next(c.reason for _, c in card.changes)
    words = ["Sở Nông nghiệp và Phát triển nông thôn", "Huyện Đình Lập", "UBND huyện, thành phố",
             "Xuất sắc", "Khá", "Điều tra xã hội học"]  # fmt: skip
    annex = html.unescape((files / "annex.html").read_text(encoding="utf-8"))
    annex_pdf = pdf_text(files / "annex.pdf")
    for name in ("annex.pdf", "summary.pdf", "scorecards/so-ke-hoach-va-dau-tu.pdf"):
        raw = "".join(pdf_pages(files / name))
        assert unicodedata.is_normalized("NFC", raw), name  # precomposed, as stored
    sheets = {
        str(c.value) for ws in load_workbook(files / "annex.xlsx").worksheets for r in ws for c in r
    }
    for w in words:
        assert w == nfc(w)
        assert w in annex and w in annex_pdf, w
        assert any(w in s for s in sheets), w
    page = (files / "scorecards" / "so-ke-hoach-va-dau-tu.html").read_text(encoding="utf-8")
    assert reason in html.unescape(page) and flat(reason) in pdf_text(
        files / "scorecards" / "so-ke-hoach-va-dau-tu.pdf"
    )
    faces = re.findall(r"base64,([A-Za-z0-9+/=]+)\) format\(\"truetype\"\)", page)
    assert len(faces) == 2
    font = TTFont(io.BytesIO(base64.b64decode(faces[0])))
    visible = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1]))
    assert not {c for c in visible if c.strip() and ord(c) not in font.getBestCmap()}
    assert not missing_glyphs(visible)


def test_scorecard_lists_every_appraisal_change_with_its_reason(
    files: Path, traces: dict[str, Any]
) -> None:
    """Every stored appraisal change of a unit is in its scorecard: round, from → to, reason."""
    for uid in CARDS_2019:
        page = html.unescape((files / "scorecards" / f"{uid}.html").read_text(encoding="utf-8"))
        changes = [(s, a) for s in traces[uid]["trace"] for a in s["appraisal"]]
        assert changes, uid
        for step, a in changes:
            q = [vn(fmt(quantize(Decimal(x), 2))) for x in (a["from"], a["to"])]
            assert f"{q[0]} → {q[1]}</b> — {a['reason']}" in page, (uid, step["node"])
    page = html.unescape((files / "scorecards" / "huyen-cao-loc.html").read_text(encoding="utf-8"))
    assert "TR3" in page and "Thẩm định vòng 1" in page


def test_scorecard_tree_and_areas_equal_the_stored_results(
    report: Report, docs: dict[str, Any], traces: dict[str, Any]
) -> None:
    """The tree's leaves carry the stored self-score and points; areas sum as published."""
    stored = {u["unit_id"]: u for u in units(docs["langson-2019"])}
    for uid in CARDS_2019:
        card = report.scorecard(uid)
        steps = {s["node"]: s for s in traces[uid]["trace"] if s["level"] == "leaf"}
        leaves = [line for line in card.lines if line.level == "leaf"]
        assert {line.node for line in leaves} == set(steps)
        for line in leaves:
            s = steps[line.node]
            if s["points"] is None:
                assert line.points is None and line.status == "not_applicable"
            else:
                assert line.points == fmt(quantize(Decimal(s["points"]), 2))
            if s["self_score"] is not None:
                assert line.self_score == fmt(quantize(Decimal(s["self_score"]), 2))
        areas = {a["id"]: a for a in stored[uid]["areas"]}
        for area in card.unit.areas:
            assert area.points == areas[area.id]["points"]
            lost = Decimal(areas[area.id]["max"]) - Decimal(areas[area.id]["points"])
            assert Decimal(area.lost) == lost
    na = report.scorecard("thanh-tra-tinh")
    assert any(line.status == "not_applicable" for line in na.lines)
    assert not next(a for a in na.unit.areas if a.id == "3").applicable


def test_year_over_year_change_for_2019_against_2018(
    report: Report, store: Store, docs: dict[str, Any], files: Path
) -> None:
    """2019 finds 2018 by year: each scorecard and the summary's movers say what changed."""
    assert report.meta.previous == "langson-2018"
    last = {u["unit_id"]: u for u in units(docs["langson-2018"])}
    for uid in CARDS_2019:
        card = report.scorecard(uid)
        assert card.previous is not None and card.previous.index == last[uid]["index"]
        change = Decimal(card.unit.index) - Decimal(last[uid]["index"])
        assert Decimal(card.previous.index_change) == change
        page = html.unescape((files / "scorecards" / f"{uid}.html").read_text(encoding="utf-8"))
        assert f"{vn(last[uid]['index'])} → {vn(card.unit.index)}" in page
    assert len(report.rises) == len(report.falls) == 5
    changes = [Decimal(m.change) for m in report.rises]
    assert changes == sorted(changes, reverse=True) and all(c > 0 for c in changes)
    for m in (*report.rises, *report.falls):
        assert Decimal(m.after) - Decimal(m.before) == Decimal(m.change)
    summary = pdf_text(files / "summary.pdf")
    assert f"{report.rises[0].name}" in summary and vn(report.rises[0].change) in summary
    first = build(store, "langson-2018", generated_at=AT)
    assert first.meta.previous is None and first.scorecard("so-tai-chinh").previous is None
    assert "Không có kết quả công bố của năm trước" in render_html(first, "summary")


def test_a_kept_chart_figure_draws_as_a_new_one(report: Report) -> None:
    """A scorecard chart drawn on the figure kept from the other units of its group is the same
    SVG as on a new figure: a short bar's label above it, an area that does not apply, last
    year's diamonds."""
    card = report.scorecard("so-ke-hoach-va-dau-tu")
    areas = list(card.unit.areas)
    areas[0] = dataclasses.replace(areas[0], percent=5.0)  # too short to hold its label
    areas[1] = dataclasses.replace(areas[1], percent=None, previous_percent=None)  # N/A
    odd = dataclasses.replace(card, unit=dataclasses.replace(card.unit, areas=tuple(areas)))
    assert odd.previous is not None
    charts.clear_caches()
    new = charts.profile_svg(odd)
    charts.clear_caches()
    for other in report.scorecards.values():
        if other.group_title_vi == card.group_title_vi:
            charts.profile_svg(other)
    kept = charts.profile_svg(odd)
    assert kept == new and kept != charts.profile_svg(card)
    assert ">5<" in new and ">KAD<" in new


def test_summary_counts_classes_and_describes_the_distribution(report: Report) -> None:
    """Class counts add up to the group; the summary shows lowest, median, highest, the mean
    satisfaction and charts."""
    page = render_html(report, "summary")
    for g in report.groups:
        assert sum(c.count for c in g.classes) == len(g.units)
        assert g.lowest == min((u.index for u in g.units), key=Decimal)
        assert g.median is not None and g.median in page
        assert g.satisfaction is not None and vn(g.satisfaction) in page  # the group's mean
    assert page.count("<svg") == len(report.groups)
    assert 'id="dist-department-' in page and 'id="dist-district-' in page


def test_an_unpublished_campaign_is_marked_draft(tmp_path: Path) -> None:
    """A campaign not yet published is computed as it stands and marked DỰ THẢO / DRAFT."""
    st = open_store(f"sqlite:///{tmp_path}/d.db")
    imports.import_folder(st, MINI, actor="t", now=dt.datetime(2018, 11, 20, tzinfo=dt.UTC))
    draft = build(st, "mini-2018", generated_at=AT)
    assert draft.meta.draft and draft.meta.run_id is None
    page = render_html(draft, "annex")
    assert "DỰ THẢO / DRAFT" in page and 'class="watermark"' in page
    planned = outputs(draft, tmp_path / "out", ("pdf", "xlsx", "docx"))
    make_folders(tmp_path / "out", planned)
    list(write_all(draft, planned[:1]))
    assert "DỰ THẢO / DRAFT" in pdf_text(tmp_path / "out" / "annex.pdf")
    ws = load_workbook(tmp_path / "out" / "annex.xlsx").worksheets[0]
    assert str(ws["A3"].value).startswith("DỰ THẢO / DRAFT")
    word = Document(str(tmp_path / "out" / "annex.docx"))
    assert word.paragraphs[0].text == "DỰ THẢO / DRAFT"
    assert word.sections[0].header.paragraphs[0].text.startswith("DỰ THẢO / DRAFT")


def test_published_report_is_not_marked_draft_and_is_deterministic(report: Report) -> None:
    """A published campaign's report has no draft marks, and the same inputs give the same bytes."""
    page = render_html(report, "scorecard", "huyen-cao-loc")
    assert "DỰ THẢO" not in page and not report.meta.draft
    assert page == render_html(report, "scorecard", "huyen-cao-loc")


def test_pdf_takes_any_generation_time(report: Report) -> None:
    """A generation time with microseconds, in the campaign's zone, still gives a PDF (Typst
    takes whole seconds): the README's `report` example failed on it."""
    when = dt.datetime(2020, 1, 15, 16, 30, 5, 123456, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    meta = dataclasses.replace(report.meta, generated_at=when)
    pdf = render_pdf(dataclasses.replace(report, meta=meta), "annex")
    assert pdf.startswith(b"%PDF-")


def test_outputs_refuse_unknown_units_formats_and_unsafe_ids(
    report: Report, tmp_path: Path
) -> None:
    """An unknown unit gets a suggestion, an unknown format too, a non-slug id is refused."""
    with pytest.raises(SubmissionError, match="did you mean 'so-y-te'"):
        outputs(report, tmp_path, unit="so-y-tee")
    with pytest.raises(SubmissionError, match="unknown format 'odt'"):
        formats("html,odt")
    assert formats(" PDF, html ,pdf") == ("pdf", "html")
    card = report.scorecard("so-y-te")
    evil = dataclasses.replace(report, scorecards={"../../etc/x": card})
    with pytest.raises(SubmissionError, match="cannot name a file"):
        outputs(evil, tmp_path, unit="../../etc/x")


def test_cli_writes_every_scorecard_of_a_province_with_progress(
    store: Store, tmp_path: Path
) -> None:
    """`parindex report --format html` writes annex, summary and all 31 scorecards, no more."""
    out = tmp_path / "bao-cao"
    r = run("--db", store.url, "--at", "2020-01-15T09:30:00", "report", "langson-2019",
            "--out", str(out), "--format", "html")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Đã ghi 33 tệp" in r.stdout and "33/33" in r.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(written) == 33 and written[:2] == ["annex.html", "scorecards/ban-dan-toc.html"]
    assert "summary.html" in written
    # an --at without offset is read in the campaign's zone (Asia/Ho_Chi_Minh)
    assert "2020-01-15 09:30 +07" in (out / "annex.html").read_text(encoding="utf-8")


def test_cli_one_unit_in_worker_processes(store: Store, tmp_path: Path) -> None:
    """`--unit` limits the scorecards to one; `--jobs 2` writes the pages in two processes."""
    out = tmp_path / "mot"
    r = run("--db", store.url, "report", "langson-2018", "--out", str(out), "--format", "html",
            "--unit", "so-tai-chinh", "--jobs", "2")  # fmt: skip
    assert r.exit_code == 0, r.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["annex.html", "scorecards/so-tai-chinh.html", "summary.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("langson-2017",), "Không có kỳ đánh giá 'langson-2017'"),
        (("langson-2018", "--unit", "so-tai-chinhh"), "did you mean 'so-tai-chinh'"),
        (("langson-2018", "--format", "html,odt"), "unknown format 'odt'"),
        (("langson-2019", "--previous", "2019"), "is the campaign itself"),
    ],
)
def test_cli_exit_codes(store: Store, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    """Unknown campaign, unit or format, or a wrong --previous, exit 1 with a clear message."""
    r = run("--db", store.url, "report", *args, "--out", str(tmp_path / "x"))
    assert r.exit_code == 1, r.output
    assert message in r.stderr
    assert not (tmp_path / "x").exists()
