"""The ranking annex as a Word document (python-docx), ready to attach to the draft Quyết định.

Laid out as Vietnamese administrative documents are (Nghị định 30/2020/NĐ-CP): A4 portrait,
margins 20 mm top and bottom, 30 mm left, 15 mm right, Times New Roman 13 pt (14 pt for the
heading block). The heading block names the province, says PHỤ LỤC and the title, and leaves
the decision's number and date blank for Home Affairs to fill ("Kèm theo Quyết định số
…/QĐ-UBND ngày … của UBND tỉnh …"). Then one table per group: STT, đơn vị, điểm, chỉ số,
xếp loại, hạng; figures with a decimal comma; a shared rank reads "2 (đồng hạng)". Every page
has the campaign, index hash and generation time in its footer, with its number; a campaign
not yet published is marked DỰ THẢO / DRAFT at the top of every page.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell  # a cell of a row: python-docx gives it no public name
from docx.text.paragraph import Paragraph

from scoring.reports.html import TIE_POLICY
from scoring.reports.model import AnnexRow, GroupReport, Report
from scoring.sources.files import atomic_path
from scoring.sources.numbers import decimal_comma
from scoring.sources.text import nfc

FONT = "Times New Roman"
BODY, HEADING, TABLE, FOOTER = Pt(13), Pt(14), Pt(12), Pt(9)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
COLUMNS = (  # header, width
    ("STT", Mm(12)),
    ("Tên đơn vị", Mm(58)),
    ("Điểm", Mm(19)),
    ("Chỉ số", Mm(19)),
    ("Xếp loại", Mm(20)),
    ("Hài lòng (%)", Mm(17)),
    ("Xếp hạng", Mm(20)),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
BLANK = "……"


def vn(figure: str) -> str:
    """A figure with a decimal comma: ``85.50`` → ``85,50``."""
    return str(decimal_comma(figure))


def rank_text(u: AnnexRow) -> str:
    """The rank as the annex prints it: ``2``, ``2 (đồng hạng)``, or ``—`` when not ranked."""
    if u.rank is None:
        return "—"
    return f"{u.rank} (đồng hạng)" if u.tied else str(u.rank)


def _fonts_everywhere(doc: DocumentObject) -> None:
    """Times New Roman for every script Word distinguishes (Vietnamese counts as complex)."""
    style = doc.styles["Normal"]
    assert isinstance(style, ParagraphStyle)
    style.font.name = FONT
    style.font.size = BODY
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)


def _para(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(nfc(text))
        run.bold, run.italic = bold, italic
        if size is not None:
            run.font.size = size
    return p


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word prints the page's number there."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _page_setup(doc: DocumentObject, report: Report) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = section.footer_distance = Mm(10)
    meta = report.meta
    if meta.draft:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = head.add_run("DỰ THẢO / DRAFT — chưa công bố")
        mark.bold, mark.font.size = True, Pt(11)
    foot = section.footer.paragraphs[0]
    foot.add_run(nfc(meta.footer) + " · Trang ")
    _page_field(foot)
    for run in foot.runs:
        run.font.size = FOOTER


def _cell(cell: _Cell, col: int, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if col == 1 else WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(nfc(text))
    run.bold = bold
    run.font.size = TABLE


def _repeat_header(table: Table) -> None:
    """The header row is printed again at the top of each page the table runs on."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _group(doc: DocumentObject, number: int, group: GroupReport) -> None:
    roman = ROMAN[number] if number < len(ROMAN) else str(number + 1)
    _para(doc, f"{roman}. {group.title_vi.upper()}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    table = doc.add_table(rows=1 + len(group.units), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rows = [tuple(title for title, _ in COLUMNS)]
    rows += [
        (
            str(r),
            u.name,
            vn(u.points),
            vn(u.index),
            u.class_vi,
            vn(u.satisfaction) if u.satisfaction is not None else "—",
            rank_text(u),
        )
        for r, u in enumerate(group.units, start=1)
    ]
    # row by row: python-docx's table.cell(r, c) walks the whole table at each call
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = COLUMNS[c][1]
            _cell(cell, c, value, bold=r == 0)
    _repeat_header(table)
    _para(doc)


def _heading(doc: DocumentObject, report: Report) -> None:
    meta = report.meta
    if meta.draft:
        _para(doc, "DỰ THẢO / DRAFT", bold=True, size=HEADING)
    _para(doc, f"ỦY BAN NHÂN DÂN TỈNH {meta.province.upper()}", bold=True, size=HEADING)
    _para(doc)
    _para(doc, "PHỤ LỤC", bold=True, size=HEADING)
    groups = "; ".join(g.title_vi for g in report.groups)
    _para(
        doc,
        f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {meta.year} CỦA CÁC {groups.upper()}",
        bold=True,
        size=HEADING,
    )
    _para(
        doc,
        f"(Kèm theo Quyết định số {BLANK}/QĐ-UBND ngày {BLANK} tháng {BLANK} năm {BLANK} "
        f"của UBND tỉnh {meta.province})",
        italic=True,
        size=HEADING,
    )
    _para(doc, "_" * 12)
    _para(doc)


def _notes(doc: DocumentObject, report: Report) -> None:
    meta = report.meta
    policy = TIE_POLICY.get(meta.tie_policy, (meta.tie_policy, meta.tie_policy))[0]
    left = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, "Ghi chú:", bold=True, italic=True, align=left)
    for text in (
        f"- Chỉ số = tổng điểm / điểm tối đa áp dụng × {meta.scale}; số liệu làm tròn "
        f"{meta.places} chữ số thập phân.",
        f"- Xếp hạng theo chỉ số làm tròn {meta.rank_precision} chữ số thập phân; "
        f"đơn vị có cùng chỉ số đồng hạng ({policy}).",
        f"- Chỉ số CCHC {meta.index_id}, mã kiểm tra {meta.short_hash}.",
    ):
        _para(doc, text, italic=True, align=left)


def render_docx(report: Report) -> bytes:
    """The ranking annex as the bytes of a .docx file."""
    doc = Document()
    _fonts_everywhere(doc)
    _page_setup(doc, report)
    _heading(doc, report)
    for number, group in enumerate(report.groups):
        _group(doc, number, group)
    _notes(doc, report)
    meta = report.meta
    props = doc.core_properties
    props.title = nfc(f"Phụ lục kết quả Chỉ số CCHC năm {meta.year} — {meta.campaign}")
    props.author = props.last_modified_by = "parindex"
    props.comments = meta.footer
    when = meta.generated_at
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = when
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def save_docx(data: bytes, path: Path) -> Path:
    """Write .docx bytes to ``path`` (through a temporary file: never a truncated file)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def write_docx(report: Report, path: Path) -> Path:
    """Write the ranking annex as a Word document; the path written."""
    return save_docx(render_docx(report), path)
