"""The ranking annex as an Excel workbook (openpyxl): one sheet per group, numbers as numbers.

This module is the one writer of annex workbooks. ``write_xlsx`` writes the published report's
annex (``parindex report``); ``scoring.reports.export`` lays out the plainer table of a score
document (``parindex export``) and writes it here too, through ``annex_workbook``,
``add_group_sheet`` and ``save_annex``.

Every point and index is a numeric cell showing the published places (number format ``0.00``
for two places), refused at writing time unless it reads back as the published string. Ranks
are whole numbers; a tie is said in the note column. Each sheet prints on A4 landscape, one page
wide, with the campaign, index hash, generation time and page numbers in its footer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

# openpyxl ships no type information (see scoring.excel.writer)
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from scoring.excel.writer import BORDER, HEAD, print_setup
from scoring.reports.html import TIE_POLICY
from scoring.reports.model import AnnexRow, GroupReport, Report
from scoring.sources.files import atomic_path
from scoring.sources.numbers import fmt, quantize
from scoring.sources.text import nfc

TITLE_ROW, GROUP_ROW, STATUS_ROW, HEAD_ROW = 1, 2, 3, 5
FIGURES = (
    ("content", "Điểm nội dung"),
    ("survey", "Điểm khảo sát"),
    ("bonus", "Điểm thưởng"),
    ("penalty", "Điểm trừ"),
    ("points", "Tổng điểm"),
    ("max_points", "Điểm tối đa"),
    ("index", "Chỉ số"),
)
INFO_SHEET = "Thông tin"
NOT_APPLICABLE = "KAD"  # không áp dụng: an area that does not apply to the unit
NO_FIGURE = "—"  # no figure: a unit with no survey answers has no satisfaction index


@dataclass(frozen=True)
class AnnexTable:
    """One group's sheet as the writer lays it out: lines above the column titles (each with
    its font), the titles on ``head_row``, one row of values per unit, notes below.

    A float value is a figure, shown at the published places; a text in ``centred`` is
    centred in its cell."""

    title: str  # names the sheet (made a valid, unique Excel sheet name)
    top: Sequence[tuple[str, Font]]  # rows 1, 2, …
    head_row: int
    headers: Sequence[str]
    widths: Sequence[float]
    rows: Sequence[Sequence[Any]]
    notes: Sequence[str]
    print_header: str  # centred in each printed page's header
    centred: frozenset[str] = frozenset()


def number(text: str, places: int) -> float:
    """A published decimal as an Excel number, refused unless it shows back the same."""
    exact = quantize(Decimal(text), places)
    value = float(exact)
    if fmt(exact) != text or format(value, f".{places}f") != text:
        raise ValueError(f"{text} cannot be stored exactly as an Excel number at {places} places")
    return value


def number_format(places: int) -> str:
    """The Excel number format that shows ``places`` decimals (``0.00`` for two)."""
    return "0." + "0" * places if places else "0"


def sheet_title(title: str, used: set[str]) -> str:
    """A unique Excel sheet name (31 characters, no []:*?/\\) for a title."""
    base = re.sub(r"[\[\]:*?/\\]", "-", nfc(title))[:31] or "Nhóm"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def annex_workbook() -> Any:
    """An empty workbook (no default sheet) for ``add_group_sheet``."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_group_sheet(wb: Any, used: set[str], table: AnnexTable, places: int) -> Any:
    """Lay one group's table out on a new sheet of ``wb`` (a sheet name not in ``used``);
    the sheet, for the caller's footer."""
    ws = wb.create_sheet(sheet_title(table.title, used))
    for r, (text, font) in enumerate(table.top, start=1):
        ws.cell(r, 1, text).font = font
    for c, (text, width) in enumerate(zip(table.headers, table.widths, strict=True), start=1):
        cell = ws.cell(table.head_row, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    row = table.head_row
    for values in table.rows:
        row += 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            cell.border = BORDER
            if isinstance(value, float):
                cell.number_format = number_format(places)
            elif isinstance(value, str) and value in table.centred:
                cell.alignment = Alignment(horizontal="center")
    for i, text in enumerate(table.notes, start=row + 2):
        ws.cell(i, 1, text)
    ws.freeze_panes = ws.cell(table.head_row + 1, 3)
    ws.row_dimensions[table.head_row].height = 60
    print_setup(ws, f"{table.head_row}:{table.head_row}", table.print_header)
    return ws


def save_annex(wb: Any, path: Path, title: str, created: dt.datetime | None = None) -> None:
    """Write the workbook atomically, titled, by parindex, dated ``created`` (default: now)."""
    wb.properties.title = title
    wb.properties.creator = "parindex"
    if created is not None:
        if created.tzinfo is not None:
            created = created.astimezone(dt.UTC).replace(tzinfo=None)  # openpyxl writes naive UTC
        wb.properties.created = wb.properties.modified = created
    with atomic_path(path) as tmp:
        wb.save(tmp)


# ---------------------------------------------------------------- the published report's annex


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the ranking annex: a sheet per group, then the report's metadata; the path."""
    wb = annex_workbook()
    used: set[str] = {INFO_SHEET}
    for group in report.groups:
        ws = add_group_sheet(wb, used, _group_table(report, group), report.meta.places)
        _footer(ws, report)
    _info_sheet(wb.create_sheet(INFO_SHEET), report)
    save_annex(wb, path, f"{report.meta.campaign} {report.meta.year}", report.meta.generated_at)
    return path


def _note(u: AnnexRow) -> str:
    if u.rank is None:
        return "không xếp hạng / not ranked"
    return "đồng hạng / tied" if u.tied else ""


def _group_table(report: Report, group: GroupReport) -> AnnexTable:
    meta = report.meta
    headers = [
        "Hạng",
        "Đơn vị",
        *(f"{aid}. {nfc(t)}" for aid, t, _ in group.areas),
        *(label for _, label in FIGURES),
        "Xếp loại",
        "Hài lòng (%)",
        "Ghi chú",
        "Mã đơn vị",
    ]
    widths = [38 if c == 2 else 24 if c == len(headers) else 12 for c in range(1, len(headers) + 1)]
    rows = []
    for u in group.units:
        values: list[Any] = [u.rank, nfc(u.name)]
        for aid, _, _ in group.areas:
            a = u.area(aid)
            values.append(number(a.points, meta.places) if a and a.applicable else NOT_APPLICABLE)
        values += [number(getattr(u, key), meta.places) for key, _ in FIGURES]
        satisfaction = (
            number(u.satisfaction, meta.places) if u.satisfaction is not None else NO_FIGURE
        )
        values += [nfc(u.class_vi), satisfaction, _note(u), u.unit_id]
        rows.append(values)
    title = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {meta.year} — {meta.province}"
    status = "DỰ THẢO / DRAFT — chưa công bố" if meta.draft else f"Công bố: lần {meta.run_id}"
    policy = TIE_POLICY.get(meta.tie_policy, (meta.tie_policy, meta.tie_policy))[0]
    return AnnexTable(
        title=group.title_vi,
        top=(
            (nfc(title), Font(bold=True, size=14)),
            (nfc(f"{group.title_vi} ({group.title_en})"), Font(bold=True)),
            (f"{status} · {meta.footer}", Font(bold=meta.draft)),
        ),
        head_row=HEAD_ROW,
        headers=headers,
        widths=widths,
        rows=rows,
        notes=(
            f"Hạng theo chỉ số làm tròn {meta.rank_precision} chữ số thập phân; "
            f"đồng hạng: {policy}.",
            "KAD: không áp dụng (not applicable). Hài lòng: chỉ số hài lòng (satisfaction, %); "
            "—: không có phiếu khảo sát (no survey answers).",
            f"Chỉ số (index): {meta.index_id}; mã kiểm tra nội dung (content hash): "
            f"{meta.content_hash}",
        ),
        print_header=f"{meta.campaign} — {nfc(group.title_vi)}",
        centred=frozenset({NOT_APPLICABLE, NO_FIGURE}),
    )


def _footer(ws: Any, report: Report) -> None:
    meta = report.meta
    ws.oddFooter.left.text = meta.footer.replace("&", "&&")
    ws.oddFooter.left.size = 7
    if meta.draft:
        ws.oddHeader.left.text = "DỰ THẢO / DRAFT"


def _info_sheet(ws: Any, report: Report) -> None:
    meta = report.meta
    rows = [
        ("Tỉnh / province", meta.province),
        ("Chiến dịch / campaign", meta.campaign),
        ("Năm / year", meta.year),
        ("Tình trạng / status", "DỰ THẢO / DRAFT" if meta.draft else "Đã công bố / published"),
        (
            "Lần công bố / run",
            f"{meta.run_id} ({meta.run_kind}, {meta.run_at})" if meta.run_id else "",
        ),
        ("Chỉ số / index", meta.index_id),
        ("Mã kiểm tra / content hash", meta.content_hash),
        ("Lập lúc / generated", meta.generated_at.isoformat()),
        ("Năm trước / previous", meta.previous or ""),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(r, 1, key).font = Font(bold=True)
        ws.cell(r, 2, nfc(str(value)) if isinstance(value, str) else value)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 70
    print_setup(ws, "1:1", meta.campaign)
    _footer(ws, report)
