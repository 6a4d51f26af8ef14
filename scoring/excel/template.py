"""The Excel self-assessment template's format: its layout, and what each kind of cell accepts.

Sheet ``Tự đánh giá`` holds a header block (rows 2-6: index id, content hash, unit id, unit
name, group), a line of instructions, the column labels (row 8), the column keys that
``scoring.excel.reader.read_template`` reads by (row 9), then one row per self-assessed leaf in tree
order, with its area and criterion as heading rows. Sheet ``Điểm thưởng-trừ`` lists the group's
bonuses and penalties the same way. Each input a rule kind reads has its own named column;
cells an item does not use are grey. A hidden sheet ``Danh mục`` holds the drop-down lists.

Each column has a kind; ``validate_cell`` gives its cells the Excel validation of that kind and
``read_cell`` reads them back, so what the drop-downs offer is what the reader accepts.
``excel_export.write_template`` writes the workbook and ``excel.read_template`` reads it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# openpyxl ships no type information and types-openpyxl is not a dev dependency
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from scoring.index.loader import AdjustmentItem, GroupView, Index, Item
from scoring.sources.text import nfc

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
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # unit ids, as model.Slug


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
LEAF_INFO = (
    Column("id", "Mã tiêu chí\n(leaf id)", 9, "id", "id"),
    Column("title_vi", "Nội dung\n(title)", 42),
    Column("max", "Điểm tối đa\n(max)", 8),
    Column("scoring_vi", "Cách chấm điểm\n(scoring)", 48),
    Column("kind", "Cách tính\n(rule kind)", 15),
)
ADJ_INFO = (
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
KNOWN: dict[str, Column] = {c.key: c for c in (*LEAF_INFO, *ADJ_INFO, *INPUTS, NA, *TAIL)}
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
    """The bonuses and penalties a unit of ``group`` may claim."""
    return [a for a in index.adjustments if group in a.groups]


def layout(info: Sequence[Column], inputs: Iterable[Column], na: bool) -> list[Column]:
    """A sheet's columns: ``info``, the inputs its items read (table order), na, the tail."""
    wanted = set(inputs)
    used = [c for c in INPUTS if c in wanted] + sorted(wanted - set(INPUTS), key=lambda c: c.key)
    return [*info, *used, *([NA] if na else []), *TAIL]


# ---------------------------------------------------------------- Excel validations


class Validations:
    """Data validations, one object per distinct rule, each covering many cells."""

    def __init__(self, ws: Any, lists: Any) -> None:
        self.ws, self.lists = ws, lists
        self.by_key: dict[tuple[Any, ...], Any] = {}
        self.list_cols: dict[tuple[str, ...], str] = {}

    def add(self, cell: str, key: tuple[Any, ...], **kw: Any) -> None:
        """Give ``cell`` the data validation of ``key`` (one validation per distinct rule)."""
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


def validate_cell(v: Validations, cell: str, col: Column, rule: Any, top: Any) -> None:
    """Give a cell the Excel validation of its column's kind (what ``read_cell`` accepts)."""
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


# ---------------------------------------------------------------- reading cells


class CellError(ValueError):
    """A cell's value is of the wrong kind (the message says what was expected)."""


_YES = {"có", "co", "yes", "true", "x"}
_NO = {"không", "khong", "no", "false"}
_NOT_DONE = {NOT_DONE.casefold(), "chua thuc hien", "không thực hiện", "not done"}


def cell_value(cell: Any) -> Any:
    """A cell's raw value, stripped; None when empty; a formula raises ``CellError``."""
    raw = cell.value
    if cell.data_type == "f" or (isinstance(raw, str) and raw.startswith("=")):
        raise CellError("formulas are not accepted; type the value itself")
    if isinstance(raw, str):
        return raw.strip() or None
    return raw


def _show(raw: Any) -> str:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return repr(raw)


def _norm(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


def cell_text(raw: Any) -> str:
    """A text cell, NFC; numbers as typed (a document number may be typed as one)."""
    if isinstance(raw, bool | dt.date | dt.time):
        raise CellError(f"expected text, got {_show(raw)}")
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return nfc(str(raw)).strip()


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and _norm(raw) in _YES | _NO:
        return _norm(raw) in _YES
    raise CellError(f"expected Có or Không (yes/no), got {_show(raw)}")


def cell_date(raw: Any, not_done: bool) -> dt.date | None:
    """A date cell or dd/mm/yyyy text; ``None`` for «Chưa thực hiện» where ``not_done``."""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise CellError(f"expected a date without a time, got {_show(raw)}")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        if not_done and _norm(raw) in _NOT_DONE:
            return None
        try:
            if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw):
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            raise CellError(f"{raw!r} is not a valid date") from None
    extra = f" or «{NOT_DONE}»" if not_done else ""
    raise CellError(f"expected a date (dd/mm/yyyy){extra}, got {_show(raw)}")


def _whole(raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\d+", raw):
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise CellError(f"expected a whole number, got {_show(raw)}")
    if raw < 0:
        raise CellError(f"expected a whole number >= 0, got {raw}")
    return raw


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"expected a number, got {_show(raw)}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float) and math.isfinite(raw):
        return Decimal(repr(raw))  # the shortest text that reads back as this float: what was typed
    if isinstance(raw, str) and re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", raw):
        return Decimal(raw.replace(",", "."))
    raise CellError(f"expected a number, got {_show(raw)}")


def _level(raw: Any, rule: Any) -> str:
    text = _norm(cell_text(raw))
    for key in rule.levels:
        if text == key.casefold():
            return str(key)
    for key, lv in rule.levels.items():
        if text == _norm(lv.label_vi):
            return str(key)
    options = level_options(rule)
    raise CellError(f"{_show(raw)} is not one of: {' / '.join(options)}")


def _responses(raw: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in cell_text(raw).split(";"))):
        m = re.fullmatch(r"([A-Za-z0-9._-]+)\s*[:=]\s*(\d+)", part)
        if m is None or m[1] in out:
            raise CellError(f"expected answers and counts such as 'A: 40; B: 12', got {_show(raw)}")
        out[m[1]] = int(m[2])
    return out


def read_cell(col: Column, raw: Any, rule: Any) -> Any:
    """The value a cell of column ``col`` holds, or ``CellError`` saying what was expected."""
    match col.kind:
        case "bool" | "na":
            return _bool(raw)
        case "date":
            return cell_date(raw, col.field == "done_on")
        case "whole":
            return _whole(raw)
        case "number":
            return _number(raw)
        case "level":
            return _level(raw, rule)
        case "responses":
            return _responses(raw)
    return cell_text(raw)
