"""The Excel self-assessment template of one unit: its layout, and ``write_template``.

Sheet ``Tự đánh giá`` holds a header block (rows 2-6: index id, content hash, unit id, unit
name, group), a line of instructions, the column labels (row 8), the column keys that
``scoring.excel.read_template`` reads by (row 9), then one row per self-assessed leaf in tree
order, with its area and criterion as heading rows. Sheet ``Điểm thưởng-trừ`` lists the group's
bonuses and penalties the same way. Each input a rule kind reads has its own named column;
cells an item does not use are grey. A hidden sheet ``Danh mục`` holds the drop-down lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# openpyxl ships no type information and types-openpyxl is not a dev dependency
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from .errors import Location, SubmissionError, suggest
from .loader import AdjustmentItem, GroupView, Index, Item
from .submission import nfc

SHEET = "Tự đánh giá"
ADJ_SHEET = "Điểm thưởng-trừ"
LISTS_SHEET = "Danh mục"
HEADER = {"index": 2, "content_hash": 3, "unit": 4, "name": 5, "group": 6}  # key -> row
HEADER_LABELS = {
    "index": "Mã Chỉ số (index id)",
    "content_hash": "Mã kiểm tra nội dung (content hash)",
    "unit": "Mã đơn vị (unit id)",
    "name": "Tên đơn vị (unit name)",
    "group": "Nhóm đơn vị (group)",
}
VALUE_COL = 3  # header values sit in column C
NOTE_ROW, LABEL_ROW, KEY_ROW, FIRST_ROW = 7, 8, 9, 10
YES, NO, NOT_DONE = "Có", "Không", "Chưa thực hiện"


@dataclass(frozen=True)
class Column:
    """One column of a template sheet; ``kind`` is how its cells are read (info: not read)."""

    key: str  # what row 9 holds
    label: str
    width: float
    field: str | None = None  # the answer field it fills
    kind: str = "info"  # info | id | bool | date | whole | number | level | responses | text | na
    is_input: bool = False  # a rule input (or na): grey on the rows of items that do not read it


def _input(key: str, field: str, kind: str, label: str, width: float = 12) -> Column:
    return Column(key, label, width, field, kind, True)


INPUTS: tuple[Column, ...] = (
    _input("value:bool", "value", "bool", "Có / Không\n(value: yes/no)", 11),
    _input("done_on", "done_on", "date", "Ngày hoàn thành\n(done_on)", 13),
    _input("numerator", "numerator", "whole", "Tử số\n(numerator)"),
    _input("denominator", "denominator", "whole", "Mẫu số\n(denominator)"),
    _input("value:number", "value", "number", "Giá trị\n(value)"),
    _input("count", "count", "whole", "Số lượng\n(count)", 10),
    _input("level", "level", "level", "Mức độ đạt được\n(level)", 26),
    _input("actual", "actual", "number", "Thời gian thực tế\n(actual)"),
    _input("limit", "limit", "number", "Thời hạn quy định\n(limit)"),
    _input(
        "responses", "responses", "responses", "Số phiếu trả lời\n(responses: A: 40; B: 12)", 18
    ),
    _input("score", "score", "number", "Điểm hội đồng\n(score)"),
    _input("reason", "reason", "text", "Lý do\n(reason)", 30),
)
_LEAF_INFO = (
    Column("id", "Mã tiêu chí\n(leaf id)", 9, "id", "id"),
    Column("title_vi", "Nội dung\n(title)", 42),
    Column("max", "Điểm tối đa\n(max)", 8),
    Column("scoring_vi", "Cách chấm điểm\n(scoring)", 48),
    Column("kind", "Cách tính\n(rule kind)", 15),
)
_ADJ_INFO = (
    Column("id", "Mã\n(id)", 7, "id", "id"),
    Column("sign", "Thưởng / trừ\n(bonus / penalty)", 11),
    Column("title_vi", "Nội dung\n(title)", 42),
    Column("max", "Điểm tối đa\n(max)", 8),
    Column("scoring_vi", "Cách chấm điểm\n(scoring)", 48),
    Column("kind", "Cách tính\n(rule kind)", 15),
)
NA = Column("na", "Không áp dụng\n(na)", 10, "na", "na", True)
TAIL = (
    Column("self_score", "Điểm tự chấm\n(self_score)", 10, "self_score", "number"),
    Column("evidence.doc", "Số, ký hiệu văn bản\n(evidence: doc)", 16, "doc", "text"),
    Column("evidence.title", "Trích yếu, tên tài liệu\n(evidence: title)", 36, "title", "text"),
    Column("evidence.date", "Ngày văn bản\n(evidence: date)", 12, "date", "date"),
    Column("evidence.section", "Mục\n(section)", 10, "section", "text"),
    Column("evidence.page", "Trang\n(page)", 7, "page", "text"),
    Column("note", "Ghi chú\n(note)", 30, "note", "text"),
)
KNOWN: dict[str, Column] = {c.key: c for c in (*_LEAF_INFO, *_ADJ_INFO, *INPUTS, NA, *TAIL)}
KIND_VI = {
    "boolean": "Có / không",
    "deadline": "Thời hạn",
    "ratio_bands": "Tỷ lệ theo khoảng",
    "value_bands": "Giá trị theo khoảng",
    "proportional": "Tỷ lệ, điểm tương ứng",
    "count_points": "Đếm, cộng điểm",
    "count_deduction": "Đếm, trừ điểm",
    "ordinal_levels": "Mức độ",
    "survey_weighted": "Khảo sát",
    "council_judgment": "Hội đồng chấm",
    "external_value": "Số liệu nguồn ngoài",
    "compare_to_limit": "So với thời hạn",
}
INSTRUCTIONS = (
    "Hướng dẫn: chỉ điền vào ô trắng (ô xám: tiêu chí không dùng). Ngày ghi dd/mm/yyyy; việc "
    f"chưa làm ghi «{NOT_DONE}». Mỗi tài liệu kiểm chứng một dòng: thêm tài liệu thì chèn dòng "
    "ngay bên dưới, để trống cột Mã. Ô vàng: bắt buộc có tài liệu kiểm chứng. Không dùng công "
    "thức, không gộp ô; không sửa dòng 1-9. / Fill the white cells only; one evidence document a "
    "row (insert rows below, leave the id empty); no formulas, no merged cells."
)


def column_for(key: str) -> Column | None:
    """The column a row-9 key names (``field:kind`` for inputs outside the table)."""
    if key in KNOWN:
        return KNOWN[key]
    field, _, kind = key.partition(":")
    if kind in ("bool", "date", "whole", "number", "level", "responses", "text"):
        return _input(key, field, kind, field)
    return None


def input_column(field: str, kind: str) -> Column:
    """The column of one rule input (a named one from the table, else a generic one)."""
    for c in INPUTS:
        if c.field == field and c.kind == kind:
            return c
    return _input(f"{field}:{kind}", field, kind, field)


def self_leaves(view: GroupView) -> list[Item]:
    """The leaves a unit answers itself, in tree order."""
    return [i for a in view.areas for i in a.walk() if i.is_leaf and i.node.assessed_by == "self"]


def group_adjustments(index: Index, group: str) -> list[AdjustmentItem]:
    return [a for a in index.adjustments if group in a.groups]


def _layout(info: Sequence[Column], inputs: Iterable[Column], na: bool) -> list[Column]:
    wanted = set(inputs)
    used = [c for c in INPUTS if c in wanted] + sorted(wanted - set(INPUTS), key=lambda c: c.key)
    return [*info, *used, *([NA] if na else []), *TAIL]


# ---------------------------------------------------------------- styles

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="D9D9D9")
_AREA = PatternFill("solid", fgColor="DDEBF7")
_CRITERION = PatternFill("solid", fgColor="F2F2F2")
_HEAD = PatternFill("solid", fgColor="BDD7EE")
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FORMATS = {"date": "dd/mm/yyyy", "whole": "0", "id": "@"}


class _Validations:
    """Data validations, one object per distinct rule, each covering many cells."""

    def __init__(self, ws: Any, lists: Any) -> None:
        self.ws, self.lists = ws, lists
        self.by_key: dict[tuple[Any, ...], Any] = {}
        self.list_cols: dict[tuple[str, ...], str] = {}

    def add(self, cell: str, key: tuple[Any, ...], **kw: Any) -> None:
        dv = self.by_key.get(key)
        if dv is None:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, **kw)
            self.ws.add_data_validation(dv)
            self.by_key[key] = dv
        dv.add(cell)

    def choice(self, cell: str, options: tuple[str, ...]) -> None:
        """A drop-down of ``options``, kept on the hidden lists sheet (labels may hold commas)."""
        if options not in self.list_cols:
            col = get_column_letter(len(self.list_cols) + 1)
            for r, text in enumerate(options, start=1):
                self.lists[f"{col}{r}"] = text
            self.list_cols[options] = col
        col = self.list_cols[options]
        ref = f"'{LISTS_SHEET}'!${col}$1:${col}${len(options)}"
        self.add(cell, ("list", ref), type="list", formula1=ref, errorStyle="stop")


def level_options(rule: Any) -> tuple[str, ...]:
    """What the level drop-down offers: the Vietnamese labels if they are distinct, else keys."""
    labels = tuple(nfc(lv.label_vi) for lv in rule.levels.values())
    norm = {" ".join(x.casefold().split()) for x in labels}
    clash = norm & {k.casefold() for k in rule.levels}
    return labels if len(norm) == len(labels) and not clash else tuple(rule.levels)


def _validate(v: _Validations, cell: str, col: Column, rule: Any, top: Any) -> None:
    if col.kind in ("bool", "na"):
        v.add(cell, ("yn",), type="list", formula1=f'"{YES},{NO}"')
    elif col.kind == "date":
        prompt = "dd/mm/yyyy" + (f" hoặc «{NOT_DONE}»" if col.field == "done_on" else "")
        v.add(
            cell,
            ("date", col.field),
            type="date",
            operator="greaterThan",
            formula1="1",
            errorStyle="warning",
            prompt=prompt,
            showInputMessage=True,
        )
    elif col.kind == "whole":
        v.add(cell, ("whole",), type="whole", operator="greaterThanOrEqual", formula1="0")
    elif col.kind == "level":
        v.choice(cell, level_options(rule))
    elif col.key == "self_score":
        v.add(
            cell,
            ("score", str(top)),
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(top),
        )
    elif col.kind == "number" and getattr(rule, "range", None) is not None:
        lo, hi = rule.range
        v.add(
            cell,
            ("range", str(lo), str(hi)),
            type="decimal",
            operator="between",
            formula1=str(lo),
            formula2=str(hi),
        )


# ---------------------------------------------------------------- writing


def write_template(index: Index, group: str, unit_id: str, unit_name: str, path: Path) -> None:
    """Write the .xlsx self-assessment template of one unit of ``group``."""
    view = index.groups.get(group)
    if view is None:
        raise SubmissionError(
            f"unknown group {group!r}", Location(str(path)), suggest(group, index.groups)
        )
    name = nfc(unit_name)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    adj_ws = wb.create_sheet(ADJ_SHEET, 1)
    leaves = self_leaves(view)
    cols = _layout(
        _LEAF_INFO,
        (input_column(f, t) for i in leaves if i.handler for f, t in i.handler.inputs.items()),
        any(i.node.na_allowed for i in leaves),
    )
    head = {"index": index.id, "content_hash": index.content_hash, "unit": unit_id}
    head |= {"name": name, "group": group}
    title = f"PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {index.meta.year}"
    _sheet_top(ws, cols, f"{title}: {name}", head, nfc(view.group.title_vi))
    v = _Validations(ws, lists)
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
    adj_cols = _layout(
        _ADJ_INFO,
        (input_column(f, t) for a in adjustments for f, t in a.handler.inputs.items()),
        False,
    )
    _sheet_top(adj_ws, adj_cols, f"ĐIỂM THƯỞNG, ĐIỂM TRỪ: {name}", head, nfc(view.group.title_vi))
    adj_v = _Validations(adj_ws, lists)
    for r, adj in enumerate(adjustments, start=FIRST_ROW):
        _adjustment_row(adj_ws, adj_v, adj_cols, r, adj)
    for sheet in (ws, adj_ws):
        _print_setup(sheet, f"{name} — {index.id}")
    wb.properties.title = title
    wb.properties.creator = "parindex"
    wb.save(path)


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
        label.fill = _HEAD
        label.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        label.border = _BORDER
        key = ws.cell(KEY_ROW, c, col.key)
        key.font = Font(size=8, italic=True, color="808080")
        key.border = _BORDER
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[LABEL_ROW].height = 45
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)


def _info(item_max: Any, title: str, scoring: str | None, kind: str) -> dict[str, Any]:
    return {
        "title_vi": nfc(title),
        "max": item_max,
        "scoring_vi": nfc(scoring or ""),
        "kind": f"{KIND_VI.get(kind, kind)}\n({kind})",
    }


def _leaf_row(ws: Any, v: _Validations, cols: list[Column], row: int, item: Item) -> None:
    node, rule = item.node, item.node.rule
    assert rule is not None and item.handler is not None
    reads = {input_column(f, t).key for f, t in item.handler.inputs.items()}
    if node.na_allowed:
        reads.add("na")
    values = {"id": item.id, **_info(node.max, node.title_vi, node.scoring_vi, rule.kind)}
    required = node.evidence is not None and node.evidence.required
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row, c, values.get(col.key))
        _style(cell, col)
        if col.is_input and col.key not in reads:
            cell.fill = _GREY
        elif col.kind not in ("info", "id"):
            _validate(v, cell.coordinate, col, rule, node.max)
        if col.key == "evidence.doc" and required:
            cell.fill = _REQUIRED
            docs = node.evidence.documents_vi if node.evidence else None
            if docs:
                cell.comment = Comment(f"Bắt buộc / required: {nfc(docs)}", "parindex")


def _heading_row(ws: Any, cols: list[Column], row: int, item: Item) -> None:
    fill = _AREA if item.parent is None else _CRITERION
    values = {"id": item.id, "title_vi": nfc(item.node.title_vi), "max": item.max}
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row, c, values.get(col.key))
        _style(cell, col)
        cell.fill = fill
        cell.font = Font(bold=True)


def _adjustment_row(
    ws: Any, v: _Validations, cols: list[Column], row: int, adj: AdjustmentItem
) -> None:
    spec = adj.spec
    reads = {input_column(f, t).key for f, t in adj.handler.inputs.items()}
    values = {
        "id": spec.id,
        "sign": "Thưởng (bonus)" if adj.sign > 0 else "Trừ (penalty)",
        **_info(spec.max, spec.title_vi, spec.scoring_vi, spec.rule.kind),
    }
    if spec.scope != "total":
        values["scoring_vi"] += f"\n(Áp dụng vào / applies to: {spec.scope})"
    for c, col in enumerate(cols, start=1):
        cell = ws.cell(row, c, values.get(col.key))
        _style(cell, col)
        if col.is_input and col.key not in reads:
            cell.fill = _GREY
        elif col.kind not in ("info", "id"):
            _validate(v, cell.coordinate, col, spec.rule, spec.max)
        if col.key == "evidence.doc" and spec.evidence is not None and spec.evidence.required:
            cell.fill = _REQUIRED


def _style(cell: Any, col: Column) -> None:
    cell.border = _BORDER
    cell.alignment = _WRAP
    if col.kind in _FORMATS:
        cell.number_format = _FORMATS[col.kind]


def _print_setup(ws: Any, header: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{LABEL_ROW}:{KEY_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddFooter.right.text = "Trang &P / &N"
