"""The self-assessment template a unit fills in, as an Excel workbook (openpyxl).

``write_template`` lays out the template that ``scoring.excel.template`` describes: one row per
self-assessed leaf and per bonus or penalty, white input cells where the leaf's rule reads an
input, drop-down lists and checks for each kind of cell. ``print_setup``, ``BORDER`` and
``HEAD`` are the print layout and cell styles every parindex workbook shares (the ranking
annex of ``scoring.reports.xlsx`` too).
"""

from __future__ import annotations

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
    kind_label,
    layout,
    self_leaves,
    validate_cell,
)
from scoring.index.loader import AdjustmentItem, Index, Item
from scoring.sources.files import atomic_path
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
        (input_column(inp) for i in leaves if i.handler for inp in i.handler.inputs.values()),
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
        (input_column(inp) for a in adjustments for inp in a.handler.inputs.values()),
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
    values |= {"max": top, "kind": kind_label(rule)}
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
    reads = {inp.key for inp in item.handler.inputs.values()}
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
    reads = {inp.key for inp in adj.handler.inputs.values()}
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
