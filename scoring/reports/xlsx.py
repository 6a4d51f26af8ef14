"""The ranking annex as an Excel workbook (openpyxl): one sheet per group, numbers as numbers.

Every point and index is a numeric cell showing the published places (number format ``0.00``
for two places), refused at writing time unless it reads back as the published string. Ranks
are whole numbers; a tie is said in the note column. Each sheet prints on A4 landscape, one page
wide, with the campaign, index hash, generation time and page numbers in its footer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

# openpyxl ships no type information (see scoring.excel.writer)
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from scoring.excel.writer import BORDER, HEAD, print_setup, sheet_title
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


def number(text: str, places: int) -> float:
    """A published decimal as an Excel number, refused unless it shows back the same."""
    exact = quantize(Decimal(text), places)
    value = float(exact)
    if fmt(exact) != text or format(value, f".{places}f") != text:
        raise ValueError(f"{text} cannot be stored exactly as an Excel number at {places} places")
    return value


def _note(u: AnnexRow) -> str:
    if u.rank is None:
        return "không xếp hạng / not ranked"
    return "đồng hạng / tied" if u.tied else ""


def _group_sheet(ws: Any, report: Report, group: GroupReport) -> None:
    meta = report.meta
    areas = [aid for aid, _, _ in group.areas]
    headers = [
        "Hạng",
        "Đơn vị",
        *(f"{aid}. {nfc(t)}" for aid, t, _ in group.areas),
        *(label for _, label in FIGURES),
        "Xếp loại",
        "Ghi chú",
        "Mã đơn vị",
    ]
    title = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {meta.year} — {meta.province}"
    ws.cell(TITLE_ROW, 1, nfc(title)).font = Font(bold=True, size=14)
    ws.cell(GROUP_ROW, 1, nfc(f"{group.title_vi} ({group.title_en})")).font = Font(bold=True)
    status = "DỰ THẢO / DRAFT — chưa công bố" if meta.draft else f"Công bố: lần {meta.run_id}"
    ws.cell(STATUS_ROW, 1, f"{status} · {meta.footer}").font = Font(bold=meta.draft)
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(HEAD_ROW, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        width = 38 if c == 2 else 24 if c == len(headers) else 12
        ws.column_dimensions[get_column_letter(c)].width = width
    row = HEAD_ROW
    for u in group.units:
        row += 1
        values: list[Any] = [u.rank, nfc(u.name)]
        for aid in areas:
            a = u.area(aid)
            values.append(number(a.points, meta.places) if a and a.applicable else "KAD")
        values += [number(getattr(u, key), meta.places) for key, _ in FIGURES]
        values += [nfc(u.class_vi), _note(u), u.unit_id]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            cell.border = BORDER
            if isinstance(value, float):
                cell.number_format = meta.number_format
            elif value == "KAD":
                cell.alignment = Alignment(horizontal="center")
    policy = TIE_POLICY.get(meta.tie_policy, (meta.tie_policy, meta.tie_policy))[0]
    notes = [
        f"Hạng theo chỉ số làm tròn {meta.rank_precision} chữ số thập phân; đồng hạng: {policy}.",
        "KAD: không áp dụng (not applicable).",
        f"Chỉ số (index): {meta.index_id}; mã kiểm tra nội dung (content hash): "
        f"{meta.content_hash}",
    ]
    for i, text in enumerate(notes, start=row + 2):
        ws.cell(i, 1, text)
    ws.freeze_panes = ws.cell(HEAD_ROW + 1, 3)
    ws.row_dimensions[HEAD_ROW].height = 60
    print_setup(ws, f"{HEAD_ROW}:{HEAD_ROW}", f"{meta.campaign} — {nfc(group.title_vi)}")
    _footer(ws, report)


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


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the ranking annex: a sheet per group, then the report's metadata; the path."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = {INFO_SHEET}
    for group in report.groups:
        _group_sheet(wb.create_sheet(sheet_title(group.title_vi, used)), report, group)
    _info_sheet(wb.create_sheet(INFO_SHEET), report)
    wb.properties.title = f"{report.meta.campaign} {report.meta.year}"
    wb.properties.creator = "parindex"
    when = report.meta.generated_at
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)  # openpyxl writes naive UTC
    wb.properties.created = wb.properties.modified = when
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
