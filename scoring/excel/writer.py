"""Files parindex writes: the self-assessment template, the ranking annex.

``write_template`` lays out the template that ``excel_template`` describes. ``export_results``
and ``export_csv`` take the document of ``report.score_document``: numbers in the workbook are
numeric cells showing the published places, those in the CSV the published strings.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

# openpyxl ships no type information and types-openpyxl is not a dev dependency
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from scoring.errors import Location, SubmissionError, suggest
from scoring.excel.template import (
    ADJ_INFO,
    ADJ_SHEET,
    FIRST_ROW,
    HEADER,
    HEADER_LABELS,
    INSTRUCTIONS,
    KEY_ROW,
    KIND_VI,
    LABEL_ROW,
    LEAF_INFO,
    LISTS_SHEET,
    NOTE_ROW,
    SHEET,
    SLUG,
    VALUE_COL,
    Column,
    Validations,
    group_adjustments,
    input_column,
    layout,
    self_leaves,
    validate_cell,
)
from scoring.index.loader import AdjustmentItem, Index, Item
from scoring.sources.files import atomic_open, atomic_path
from scoring.sources.numbers import fmt, quantize
from scoring.sources.text import nfc

# ---------------------------------------------------------------- the template

_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="D9D9D9")
_AREA = PatternFill("solid", fgColor="DDEBF7")
_CRITERION = PatternFill("solid", fgColor="F2F2F2")
HEAD = PatternFill("solid", fgColor="BDD7EE")
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FORMATS = {"date": "dd/mm/yyyy", "id": "@"}  # ids stay text: Excel would make 1.10 a number


def write_template(index: Index, group: str, unit_id: str, unit_name: str, path: Path) -> None:
    """Write the .xlsx self-assessment template of one unit of ``group``."""
    view = index.groups.get(group)
    if view is None:
        raise SubmissionError(
            f"unknown group {group!r}", Location(str(path)), suggest(group, index.groups)
        )
    if not SLUG.match(unit_id):
        raise SubmissionError(f"unit id {unit_id!r} must be [a-z0-9_-]", Location(str(path)))
    name = nfc(unit_name)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    adj_ws = wb.create_sheet(ADJ_SHEET, 1)
    leaves = self_leaves(view)
    cols = layout(
        LEAF_INFO,
        (input_column(f, t) for i in leaves if i.handler for f, t in i.handler.inputs.items()),
        any(i.node.na_allowed for i in leaves),
    )
    head = {"index": index.id, "content_hash": index.content_hash, "unit": unit_id}
    head |= {"name": name, "group": group}
    title = f"PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {index.meta.year}"
    _sheet_top(ws, cols, f"{title}: {name}", head, nfc(view.group.title_vi))
    v = Validations(ws, lists)
    row = FIRST_ROW
    shown = {i.id for i in leaves}
    for item in (i for a in view.areas for i in a.walk()):
        if item.is_leaf and item.id in shown:
            _leaf_row(ws, v, cols, row, item)
            row += 1
        elif not item.is_leaf and any(c.id in shown for c in item.walk()):
            _heading_row(ws, cols, row, item)
            row += 1
    adjustments = group_adjustments(index, group)
    adj_cols = layout(
        ADJ_INFO,
        (input_column(f, t) for a in adjustments for f, t in a.handler.inputs.items()),
        False,
    )
    _sheet_top(adj_ws, adj_cols, f"ĐIỂM THƯỞNG, ĐIỂM TRỪ: {name}", head, nfc(view.group.title_vi))
    adj_v = Validations(adj_ws, lists)
    for r, adj in enumerate(adjustments, start=FIRST_ROW):
        _adjustment_row(adj_ws, adj_v, adj_cols, r, adj)
    for sheet in (ws, adj_ws):
        print_setup(sheet, f"{LABEL_ROW}:{KEY_ROW}", f"{name} — {index.id}")
    wb.properties.title = title
    wb.properties.creator = "parindex"
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _sheet_top(
    ws: Any, cols: list[Column], title: str, head: dict[str, str], group_title: str
) -> None:
    last = get_column_letter(len(cols))
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    for key, r in HEADER.items():
        ws.cell(r, 1, HEADER_LABELS[key]).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        cell = ws.cell(r, VALUE_COL, head[key])
        cell.number_format = "@"
        ws.merge_cells(start_row=r, start_column=VALUE_COL, end_row=r, end_column=VALUE_COL + 2)
    ws.cell(HEADER["group"], VALUE_COL + 3, group_title)
    ws.cell(NOTE_ROW, 1, INSTRUCTIONS).alignment = _WRAP
    ws.merge_cells(f"A{NOTE_ROW}:{last}{NOTE_ROW}")
    ws.row_dimensions[NOTE_ROW].height = 45
    for c, col in enumerate(cols, start=1):
        label = ws.cell(LABEL_ROW, c, col.label)
        label.font = Font(bold=True)
        label.fill = HEAD
        label.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        label.border = BORDER
        key = ws.cell(KEY_ROW, c, col.key)
        key.font = Font(size=8, italic=True, color="808080")
        key.border = BORDER
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[LABEL_ROW].height = 45
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)


def _item_row(
    ws: Any,
    v: Validations,
    cols: list[Column],
    row: int,
    values: dict[str, Any],
    reads: set[str],
    rule: Any,
    top: Any,
    evidence: Any,
) -> None:
    """One answerable item: its description, white input cells it reads, grey ones it does not."""
    kind = rule.kind
    values |= {"max": top, "kind": f"{KIND_VI.get(kind, kind)}\n({kind})"}
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row, c, values.get(col.key))
        _style(cell, col)
        if col.is_input and col.key not in reads:
            cell.fill = _GREY
        elif col.kind not in ("info", "id"):
            validate_cell(v, cell.coordinate, col, rule, top)
        if col.key == "evidence.doc" and evidence is not None and evidence.required:
            cell.fill = _REQUIRED
            if evidence.documents_vi:
                text = f"Bắt buộc / required: {nfc(evidence.documents_vi)}"
                cell.comment = Comment(text, "parindex")


def _leaf_row(ws: Any, v: Validations, cols: list[Column], row: int, item: Item) -> None:
    node = item.node
    assert item.handler is not None
    reads = {input_column(f, t).key for f, t in item.handler.inputs.items()}
    reads |= {"na"} if node.na_allowed else set()
    values = {
        "id": item.id,
        "title_vi": nfc(node.title_vi),
        "scoring_vi": nfc(node.scoring_vi) if node.scoring_vi else None,
    }
    _item_row(ws, v, cols, row, values, reads, node.rule, node.max, node.evidence)


def _adjustment_row(
    ws: Any, v: Validations, cols: list[Column], row: int, adj: AdjustmentItem
) -> None:
    spec = adj.spec
    scoring = nfc(spec.scoring_vi or "")
    if spec.scope != "total":
        scoring += f"\n(Áp dụng vào / applies to: {spec.scope})"
    values = {
        "id": spec.id,
        "sign": "Thưởng (bonus)" if adj.sign > 0 else "Trừ (penalty)",
        "title_vi": nfc(spec.title_vi),
        "scoring_vi": scoring,
    }
    reads = {input_column(f, t).key for f, t in adj.handler.inputs.items()}
    _item_row(ws, v, cols, row, values, reads, spec.rule, spec.max, spec.evidence)


def _heading_row(ws: Any, cols: list[Column], row: int, item: Item) -> None:
    fill = _AREA if item.parent is None else _CRITERION
    values = {"id": item.id, "title_vi": nfc(item.node.title_vi), "max": item.max}
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row, c, values.get(col.key))
        _style(cell, col)
        cell.fill = fill
        cell.font = Font(bold=True)


def _style(cell: Any, col: Column) -> None:
    cell.border = BORDER
    cell.alignment = _WRAP
    if col.kind in _FORMATS:
        cell.number_format = _FORMATS[col.kind]


def print_setup(ws: Any, title_rows: str, header: str = "") -> None:
    """A4 landscape, one page wide, column titles repeated, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddFooter.right.text = "Trang &P / &N"


# ---------------------------------------------------------------- the ranking annex

FIXED_BEFORE = ("Hạng", "Đơn vị")
FIXED_AFTER = (
    "Điểm nội dung",
    "Điểm khảo sát",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Chỉ số",
    "Xếp loại",
)
_FIGURES = ("content", "survey", "bonus", "penalty", "points", "index")  # doc keys, in order
_TITLE_ROW, _GROUP_ROW, _HEAD_ROW = 1, 2, 3


def _areas(units: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The areas of some units, each after its predecessor in a unit's list: (id, header)."""
    order: list[str] = []
    header: dict[str, str] = {}
    for u in units:
        before = -1
        for a in u["areas"]:
            if a["id"] not in header:
                header[a["id"]] = f"{a['id']}. {nfc(a['title_vi'])}"
                order.insert(before + 1, a["id"])
            before = order.index(a["id"])
    return [(aid, header[aid]) for aid in order]


def _row(u: dict[str, Any], areas: list[tuple[str, str]]) -> list[Any]:
    """One unit's row as published strings (rank an int or None)."""
    points = {a["id"]: a["points"] for a in u["areas"]}
    label = (u.get("classification") or {}).get("label_vi", "")
    return [
        u["rank"],
        nfc(u["name"]),
        *(points.get(aid) for aid, _ in areas),
        *(u[k] for k in _FIGURES),
        nfc(label),
    ]


def _numeric(text: str, places: int) -> float:
    """A published decimal as an Excel number, refused unless it shows back the same."""
    exact = quantize(Decimal(text), places)
    value = float(exact)
    if format(value, f".{places}f") != fmt(exact):
        raise ValueError(f"{text} cannot be stored exactly as an Excel number")
    return value


def sheet_title(title: str, used: set[str]) -> str:
    """A unique Excel sheet name (31 characters, no []:*?/\\) for a title."""
    base = re.sub(r"[\[\]:*?/\\]", "-", nfc(title))[:31] or "Nhóm"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def export_results(doc: dict[str, Any], path: Path) -> None:
    """Write the ranking annex of a score document: one sheet per group."""
    places = int(doc["index"]["rounding"]["places"])
    number_format = "0." + "0" * places if places else "0"
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for group in doc["groups"]:
        ws = wb.create_sheet(sheet_title(group["title_vi"], used))
        areas = _areas(group["units"])
        headers = [*FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER]
        first_num, last_num = 3, len(headers) - 1  # columns holding points (1-based)
        title = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {doc['year']} ({doc['campaign']})"
        ws.cell(_TITLE_ROW, 1, title).font = Font(bold=True, size=14)
        ws.cell(_GROUP_ROW, 1, nfc(group["title_vi"]))
        ws.cell(_GROUP_ROW, 1).font = Font(bold=True)
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(_HEAD_ROW, c, text)
            cell.font = Font(bold=True)
            cell.fill = HEAD
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            width = 40 if c == 2 else 14 if first_num <= c < len(headers) - 6 else 11
            ws.column_dimensions[get_column_letter(c)].width = width
        row = _HEAD_ROW
        for u in group["units"]:
            row += 1
            for c, value in enumerate(_row(u, areas), start=1):
                is_num = first_num <= c <= last_num and value is not None
                cell = ws.cell(row, c, _numeric(value, places) if is_num else value)
                cell.border = BORDER
                if is_num:
                    cell.number_format = number_format
        meta = doc["index"]
        ws.cell(row + 2, 1, f"Chỉ số (index): {meta['id']}")
        ws.cell(row + 3, 1, f"Mã kiểm tra nội dung (content hash): {meta['content_hash']}")
        ws.freeze_panes = ws.cell(_HEAD_ROW + 1, 3)
        ws.row_dimensions[_HEAD_ROW].height = 60
        print_setup(ws, f"{_HEAD_ROW}:{_HEAD_ROW}", f"{doc['campaign']} — {group['title_vi']}")
    if doc.get("errors"):
        ws = wb.create_sheet(sheet_title("Lỗi hồ sơ", used))
        ws.append(["Đơn vị (unit)", "Lỗi (error)"])
        for entry in doc["errors"]:
            for message in entry["errors"]:
                ws.append([entry["unit_id"], message])
        ws.column_dimensions["B"].width = 120
    wb.properties.title = f"{doc['campaign']} {doc['year']}"
    wb.properties.creator = "parindex"
    with atomic_path(path) as tmp:
        wb.save(tmp)


def export_csv(doc: dict[str, Any], path: Path) -> None:
    """Write every group's table to one UTF-8 CSV (with a BOM, for Excel)."""
    areas = _areas([u for g in doc["groups"] for u in g["units"]])
    with atomic_open(path, encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["group", *FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER])
        for group in doc["groups"]:
            for u in group["units"]:
                out.writerow(["" if v is None else v for v in [group["id"], *_row(u, areas)]])
