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

from scoring.index.kinds import Input, every_input, handler
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
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # unit ids, as fields.Slug


@dataclass(frozen=True)
class Column:
    """One column of a template sheet; ``kind`` is how its cells are read (info: not read)."""

    key: str  # what row 9 holds
    label: str
    width: float
    field: str | None = None  # the answer field it fills
    kind: str = "info"  # info | id | bool | date | whole | number | level | responses | text | na
    is_input: bool = False  # a rule input (or na): grey on the rows of items that do not read it


# how each type of input cell is shown: its width, and a hint at how to type it
_WIDTH = {"bool": 11, "date": 13, "level": 26, "responses": 18, "text": 30}
_HINT = {"bool": ": yes/no", "responses": ": A: 40; B: 12"}
TYPES = ("bool", "date", "whole", "number", "level", "responses", "text")  # what read_cell reads


def input_column(inp: Input) -> Column:
    """The column of one rule input: its key, the kind's label for it, read by its type."""
    label = f"{inp.label_vi}\n({inp.name}{_HINT.get(inp.type, '')})"
    return Column(inp.key, label, _WIDTH.get(inp.type, 12), inp.name, inp.type, True)


def input_columns() -> list[Column]:
    """The column of every input a rule kind reads, in the order the kinds declare them."""
    return [input_column(inp) for inp in every_input().values()]


def kind_label(rule: Any) -> str:
    """The "rule kind" cell of an item: the kind in Vietnamese, then its name."""
    h = handler(rule)
    return f"{h.label_vi}\n({h.kind})"


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
FIXED: dict[str, Column] = {c.key: c for c in (*LEAF_INFO, *ADJ_INFO, NA, *TAIL)}
INSTRUCTIONS = (
    "Hướng dẫn: chỉ điền vào ô trắng (ô xám: tiêu chí không dùng). Ngày ghi dd/mm/yyyy; việc "
    f"chưa làm ghi «{NOT_DONE}». Mỗi tài liệu kiểm chứng một dòng: thêm tài liệu thì chèn dòng "
    "ngay bên dưới, để trống cột Mã. Ô vàng: bắt buộc có tài liệu kiểm chứng. Không dùng công "
    "thức, không gộp ô; không sửa dòng 1-9. / Fill the white cells only; one evidence document a "
    "row (insert rows below, leave the id empty); no formulas, no merged cells."
)


def column_for(key: str) -> Column | None:
    """The column a row-9 key names (``field:kind`` for inputs outside the table)."""
    if key in FIXED:
        return FIXED[key]
    inputs = every_input()
    if key in inputs:
        return input_column(inputs[key])
    field, _, kind = key.partition(":")
    if kind in TYPES:
        return Column(key, field, 12, field, kind, True)
    return None


def self_leaves(view: GroupView) -> list[Item]:
    """The leaves a unit answers itself, in tree order."""
    return [i for a in view.areas for i in a.walk() if i.is_leaf and i.node.assessed_by == "self"]


def group_adjustments(index: Index, group: str) -> list[AdjustmentItem]:
    """The bonuses and penalties a unit of ``group`` may claim."""
    return [a for a in index.adjustments if group in a.groups]


def layout(info: Sequence[Column], inputs: Iterable[Column], na: bool) -> list[Column]:
    """A sheet's columns: ``info``, the inputs its items read (table order), na, the tail."""
    wanted, table = set(inputs), input_columns()
    used = [c for c in table if c in wanted] + sorted(wanted - set(table), key=lambda c: c.key)
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


def level_options(rule: Any, field: str) -> tuple[str, ...]:
    """What the level drop-down offers: the Vietnamese labels if they are distinct, else keys."""
    choices = handler(rule).choices(rule, field)
    labels = tuple(nfc(c.label_vi) for c in choices)
    norm = {" ".join(x.casefold().split()) for x in labels}
    clash = norm & {c.value.casefold() for c in choices}
    return labels if len(norm) == len(labels) and not clash else tuple(c.value for c in choices)


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
        v.choice(cell, level_options(rule, col.field or ""))
    elif col.key == "self_score":
        v.add(
            cell,
            ("score", str(top)),
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(top),
        )
    elif col.kind == "number" and (bounds := handler(rule).bounds(rule, col.field or "")):
        lo, hi = bounds
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


def _level(raw: Any, rule: Any, field: str) -> str:
    text = _norm(cell_text(raw))
    choices = handler(rule).choices(rule, field)
    for c in choices:
        if text == c.value.casefold():
            return c.value
    for c in choices:
        if text == _norm(c.label_vi):
            return c.value
    options = level_options(rule, field)
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
            return _level(raw, rule, col.field or "")
        case "responses":
            return _responses(raw)
    return cell_text(raw)
