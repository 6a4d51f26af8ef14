"""Excel templates for units to fill, and reading a filled one back.

Public API::

    write_template(index, group, unit_id, unit_name, path)   # the template of one unit
    read_template(path, index) -> str                        # a filled one, as unit-file YAML

``scoring.excel.template`` describes the template (layout, what each kind of cell accepts),
``scoring.excel.writer`` writes it, and this module reads a filled template back.

``read_template`` reads a filled template back: every cell is checked for its type, then the
answers go through ``ready.prepare`` (rule kinds, consistency packs) exactly as a YAML unit
file would. Every problem is a ``SubmissionError`` located at ``<file>!<sheet>``, the Excel row
and column, and says which item and field it is about.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs (see excel_template)

from scoring.campaign.ready import prepare
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.errors import ErrorList, Location, ParindexError, SubmissionError, suggest
from scoring.excel.template import (
    ADJ_SHEET,
    FIRST_ROW,
    HEADER,
    KEY_ROW,
    SHEET,
    SLUG,
    VALUE_COL,
    CellError,
    Column,
    cell_date,
    cell_text,
    cell_value,
    column_for,
    group_adjustments,
    read_cell,
)
from scoring.excel.writer import write_template
from scoring.index.loader import Index
from scoring.sources.yamlsrc import Source, canonical_yaml

__all__ = ["read_template", "write_template"]

MAX_BYTES = 32 * 1024 * 1024  # the file, and below the sum of its unzipped parts
MAX_UNZIPPED = 256 * 1024 * 1024
MAX_ROWS = 10_000


@dataclass(frozen=True)
class _Target:
    """An item a sheet may answer: its name in messages, the columns it reads, its rule."""

    label: str  # "leaf 3.2.1", "bonus TH1"
    reads: frozenset[str]
    rule: Any


@dataclass
class _Parsed:
    """One item's answer as read, with the cells it came from."""

    key: str
    label: str
    row: int
    fields: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    cells: dict[str, int] = field(default_factory=dict)  # field -> column
    bad: bool = False  # a cell was refused: the rule checks would only repeat it

    def answer(self) -> dict[str, Any]:
        """The answer as a unit file writes it: inputs, na, self_score, evidence, note."""
        out = {k: v for k, v in self.fields.items() if k != "note"}
        if self.evidence:
            out["evidence"] = self.evidence
        if "note" in self.fields:
            out["note"] = self.fields["note"]
        return out


def read_template(path: Path, index: Index) -> str:
    """The canonical YAML text of the unit file a filled template holds; errors are located."""
    wb = _open(path)
    if SHEET not in wb.sheetnames:
        raise SubmissionError(f"not a parindex template: no sheet {SHEET!r}", Location(str(path)))
    head = _header(wb[SHEET], f"{path}!{SHEET}", index)
    view = index.groups[head["group"]]
    targets: dict[str, _Target] = {}
    elsewhere: dict[str, str] = {}
    for item in view.leaves.values():
        assert item.handler is not None
        if item.node.assessed_by != "self":
            elsewhere[item.id] = f"is assessed by {item.node.assessed_by}, not by the unit"
            continue
        reads = {inp.key for inp in item.handler.inputs.values()}
        reads |= {"na"} if item.node.na_allowed else set()
        targets[item.id] = _Target(f"leaf {item.id}", frozenset(reads), item.node.rule)
    headings = {k for k, i in view.items.items() if not i.is_leaf}
    main = _Sheet(wb[SHEET], f"{path}!{SHEET}", targets, headings, elsewhere)
    sheets = [main]
    if ADJ_SHEET in wb.sheetnames:  # without it, the unit claims no bonus and no penalty
        adj_targets = {
            a.spec.id: _Target(
                f"{'bonus' if a.sign > 0 else 'penalty'} {a.spec.id}",
                frozenset(inp.key for inp in a.handler.inputs.values()),
                a.spec.rule,
            )
            for a in group_adjustments(index, head["group"])
        }
        sheets.append(_Sheet(wb[ADJ_SHEET], f"{path}!{ADJ_SHEET}", adj_targets))
    parsed = [sheet.read() for sheet in sheets]
    errors = [e for sheet in sheets for e in sheet.errors]
    errors += _check(index, head, sheets, parsed)
    if errors:
        raise ErrorList.of(sorted(errors, key=_order))
    answers, adjustments = ({k: p.answer() for k, p in got.items()} for got in (*parsed, {})[:2])
    if not answers and not adjustments:  # saved before filling in, or the wrong file
        raise SubmissionError(
            f"the template of {head['unit']} holds no answers: nothing to import "
            "(fill in at least one leaf, or import the unit's file)",
            Location(main.label, FIRST_ROW),
        )
    comment = f"{head['name']} ({head['group']}), read from an Excel template"
    head_fields = {"unit": head["unit"], "index": index.id}
    return canonical_yaml(head_fields, {"answers": answers, "adjustments": adjustments}, comment)


def _order(e: ParindexError) -> tuple[str, int, int]:
    loc = e.location
    return (loc.file, loc.line or 0, loc.column or 0)


def _open(path: Path) -> Any:
    where = Location(str(path))
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as z:
            unzipped = sum(i.file_size for i in z.infolist())
    except FileNotFoundError:
        raise SubmissionError("file not found", where) from None
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise SubmissionError(f"not an Excel workbook (.xlsx): {exc}", where) from None
    if size > MAX_BYTES or unzipped > MAX_UNZIPPED:
        raise SubmissionError(f"workbook too large ({unzipped} bytes unzipped)", where)
    try:
        # our own handle, closed whatever happens: openpyxl leaves its own open when the
        # workbook's XML is damaged (a ResourceWarning later, found by the hostile-file tests)
        with path.open("rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            return load_workbook(fh, data_only=False)
    except Exception as exc:  # openpyxl raises KeyError, TypeError, XML errors… on damaged files
        raise SubmissionError(f"not an Excel workbook (.xlsx): {exc!r}", where) from None


class _Sheet:
    """One sheet of a template being read: its columns by key, its items, the errors found."""

    def __init__(
        self,
        ws: Any,
        label: str,
        targets: Mapping[str, _Target],
        headings: set[str] | None = None,
        elsewhere: Mapping[str, str] | None = None,
    ) -> None:
        self.ws, self.label, self.targets = ws, label, targets
        self.headings, self.elsewhere = headings or set(), elsewhere or {}
        self.cols: dict[int, Column] = {}
        for c in range(1, ws.max_column + 1):
            key = ws.cell(KEY_ROW, c).value
            col = column_for(key.strip()) if isinstance(key, str) else None
            if col is not None:
                self.cols[c] = col
        self.by_key = {col.key: c for c, col in self.cols.items()}
        self.hidden_told = False
        self.hidden_cols = {
            c for d in ws.column_dimensions.values() if d.hidden for c in range(d.min, d.max + 1)
        }
        self.source = Source(label)
        self.errors: list[ParindexError] = []

    def fail(self, row: int, col: int | None, what: str, msg: str, sugg: str | None = None) -> None:
        """Record a refused cell (row, column, the field it holds), to report with the rest."""
        text = f"row {row}, {what}: {msg}" if what else f"row {row}: {msg}"
        self.errors.append(SubmissionError(text, Location(self.label, row, col), sugg))

    def read(self) -> dict[str, _Parsed]:
        """Every answered item of the sheet; problems go to ``errors``."""
        if "id" not in self.by_key:
            raise SubmissionError(
                f"not a parindex template: row {KEY_ROW} has no 'id' key",
                Location(self.label, KEY_ROW, 1),
            )
        for rng in self.ws.merged_cells.ranges:
            if rng.max_row >= FIRST_ROW:
                msg = f"merged cells are not accepted in the data area ({rng.coord}); unmerge them"
                self.fail(rng.min_row, rng.min_col, "", msg)
        last = self.ws.max_row
        if last - FIRST_ROW > MAX_ROWS:
            raise SubmissionError(
                f"content down to row {last}; too long for a template", Location(self.label, last)
            )
        out: dict[str, _Parsed] = {}
        current: _Parsed | None = None
        for row in range(FIRST_ROW, last + 1):
            before = len(self.errors)
            cells = self._cells(row)
            if cells:
                self._visible(row, cells)
                current = self._row(row, cells, out, current)
            if current is not None and len(self.errors) > before:
                current.bad = True
        return {k: p for k, p in out.items() if p.fields or p.evidence}

    def _visible(self, row: int, cells: dict[str, tuple[int, Any]]) -> None:
        """Refuse answers nobody sees: what is imported must be what the unit's leader signed."""
        answers = sorted(c for key, (c, _) in cells.items() if key != "id")
        if not answers:
            return
        if self.ws.sheet_state != "visible" and not self.hidden_told:
            self.hidden_told = True
            msg = f"the sheet is {self.ws.sheet_state} but holds answers; unhide it"
            self.fail(row, answers[0], "", msg)
        elif self.ws.row_dimensions[row].hidden:
            self.fail(row, answers[0], "", "the row is hidden but holds answers; unhide it")
        for c in answers:
            if c in self.hidden_cols:
                name = self.cols[c].field or self.cols[c].key
                self.fail(row, c, repr(name), "the column is hidden but holds answers; unhide it")

    def _cells(self, row: int) -> dict[str, tuple[int, Any]]:
        cells: dict[str, tuple[int, Any]] = {}
        for c, col in self.cols.items():
            if col.kind == "info":
                continue
            try:
                raw = cell_value(self.ws.cell(row, c))
            except CellError as exc:
                raw = exc  # reported once the row's item is known
            if raw is not None:
                cells[col.key] = (c, raw)
        return cells

    def _row(
        self,
        row: int,
        cells: dict[str, tuple[int, Any]],
        out: dict[str, _Parsed],
        current: _Parsed | None,
    ) -> _Parsed | None:
        id_col = self.by_key["id"]
        try:
            key = cell_text(_ok(cells.pop("id")[1])) if "id" in cells else None
        except CellError as exc:
            self.fail(row, id_col, "'id'", str(exc))
            return None
        if key is None or (current is not None and key == current.key):
            if current is not None and all(k.startswith("evidence.") for k in cells):
                self._evidence(row, cells, current)
            elif current is not None and key is not None:
                msg = f"answered twice (rows {current.row} and {row}); a repeated row may only"
                msg += " add evidence"
                self.fail(row, id_col, current.label, msg)
            else:
                msg = (
                    "a row without an item id may only add evidence documents to the item above it"
                )
                self.fail(row, min(c for c, _ in cells.values()), "", msg)
            return current
        target = self.targets.get(key)
        if key in self.headings:
            if cells:
                self.fail(
                    row,
                    id_col,
                    "",
                    f"{key} is a heading, not a scored item; answer its sub-criteria",
                )
        elif target is None:
            why = self.elsewhere.get(key, "is not an item of this sheet for the unit's group")
            self.fail(row, id_col, "", f"{key!r} {why}", suggest(key, self.targets))
        elif key in out and (out[key].fields or out[key].evidence):
            self.fail(row, id_col, target.label, f"answered twice (rows {out[key].row} and {row})")
        else:
            parsed = out[key] = _Parsed(key, target.label, row)
            for name in (*target.reads, "self_score", "note", "id"):
                if name in self.by_key:
                    parsed.cells[self.cols[self.by_key[name]].field or name] = self.by_key[name]
            self._fields(row, cells, target, parsed)
            self._evidence(row, cells, parsed)
            return parsed
        return None

    def _fields(
        self, row: int, cells: dict[str, tuple[int, Any]], target: _Target, parsed: _Parsed
    ) -> None:
        for key, (c, raw) in cells.items():
            col = self.cols[c]
            name = col.field or key
            if key.startswith("evidence."):
                continue
            if col.is_input and key not in target.reads:
                what = "a not-applicable answer" if key == "na" else repr(name)
                msg = f"this item does not take {what} (grey cell); leave it empty"
                self.fail(row, c, f"{target.label}, {name!r}", msg)
                continue
            try:
                parsed.fields[name] = read_cell(col, _ok(raw), target.rule)
            except CellError as exc:
                self.fail(row, c, f"{target.label}, {name!r}", str(exc))
        if parsed.fields.get("na") is False:
            del parsed.fields["na"]
        filled = [k for k in sorted(target.reads - {"na"}) if k in cells]
        if parsed.fields.get("na") and filled:
            c = cells[filled[0]][0]
            msg = "a not-applicable answer takes no inputs; empty this cell"
            self.fail(row, c, f"{target.label}, {self.cols[c].field!r}", msg)

    def _evidence(self, row: int, cells: dict[str, tuple[int, Any]], parsed: _Parsed) -> None:
        ev: dict[str, Any] = {}
        for key, (c, raw) in cells.items():
            name = key.removeprefix("evidence.")
            if name == key:
                continue
            try:
                ev[name] = cell_date(_ok(raw), False) if name == "date" else cell_text(_ok(raw))
            except CellError as exc:
                self.fail(row, c, f"{parsed.label}, {key!r}", str(exc))
        if isinstance(ev.get("page"), str) and ev["page"].isdigit():
            ev["page"] = int(ev["page"])
        if ev and "doc" not in ev:
            c = self.by_key.get("evidence.doc", min(c for c, _ in cells.values()))
            msg = "evidence needs the document's number (Số, ký hiệu văn bản)"
            self.fail(row, c, f"{parsed.label}, 'evidence.doc'", msg)
        elif ev:
            parsed.evidence.append(dict(sorted(ev.items(), key=lambda kv: _EV_ORDER[kv[0]])))


_EV_ORDER = {"doc": 0, "title": 1, "date": 2, "section": 3, "page": 4}


def _ok(raw: Any) -> Any:
    """A cell's value, raising the error ``cell_value`` kept in place of a formula."""
    if isinstance(raw, CellError):
        raise raw
    return raw


# ---------------------------------------------------------------- the header and final checks


def _header(ws: Any, label: str, index: Index) -> dict[str, str]:
    """The header block's values, refused unless they name this index and a known group."""
    head: dict[str, str] = {}
    for key, row in HEADER.items():
        try:
            raw = cell_value(ws.cell(row, VALUE_COL))
            head[key] = "" if raw is None else cell_text(raw)
        except CellError as exc:
            raise _head_error(label, key, str(exc)) from None
    if head["index"] != index.id:
        msg = f"this template is for index {head['index']!r}, not {index.id!r}"
        raise _head_error(label, "index", f"{msg}; make a new template")
    if (got := head["content_hash"]) != index.content_hash:
        msg = f"this template was made from another version of index {index.id!r}"
        msg += f" (content hash {got[:12]}…, now {index.content_hash[:12]}…)"
        raise _head_error(label, "content_hash", f"{msg}; make a new template")
    if not SLUG.match(head["unit"]):
        raise _head_error(label, "unit", f"unit id {head['unit']!r} must be [a-z0-9_-]")
    if head["group"] not in index.groups:
        sugg = suggest(head["group"], index.groups)
        raise _head_error(label, "group", f"unknown group {head['group']!r}", sugg)
    return head


def _head_error(label: str, key: str, msg: str, sugg: str | None = None) -> SubmissionError:
    row = HEADER[key]
    return SubmissionError(f"row {row}, {key!r}: {msg}", Location(label, row, VALUE_COL), sugg)


def _check(
    index: Index, head: dict[str, str], sheets: list[_Sheet], parsed: list[dict[str, _Parsed]]
) -> list[ParindexError]:
    """The answers through ``ready.prepare``: rule kinds and consistency packs."""
    unit = UnitSpec(id=head["unit"], name=head["name"] or head["unit"], group=head["group"])
    sub = Submission(unit)
    where: dict[tuple[str, int | None, int | None], str] = {}
    for (kind, base), sheet, got in zip(
        (("answer", "answers"), ("adjustment", "adjustments")), sheets, parsed, strict=False
    ):
        for key, p in got.items():
            if p.bad:
                continue
            where[(sheet.label, p.row, None)] = p.label
            for name, c in p.cells.items():
                sheet.source.marks[(base, key, *([] if name == "id" else [name]))] = (p.row, c)
                where[(sheet.label, p.row, c)] = name
            (sub.answers if kind == "answer" else sub.adjustments)[key] = Answer.model_validate(
                p.answer()
            )
            sub.where[(kind, key)] = (sheet.source, (base, key), {})
    try:
        prepare(index, sub)
    except ParindexError as exc:
        out: list[ParindexError] = []
        for e in exc.errors if isinstance(exc, ErrorList) else [exc]:
            loc = e.location
            name = where.get((loc.file, loc.line, loc.column), "id")
            at = f"row {loc.line}, {where.get((loc.file, loc.line, None), '?')}"
            at += "" if name == "id" else f", {name!r}"
            located = Location(loc.file, loc.line, loc.column)
            at_vi = "dòng" + at.removeprefix("row").replace(", leaf ", ", mục ", 1)
            said = f"{at_vi}: {e.vi}" if e.vi else None
            out.append(SubmissionError(f"{at}: {e.message}", located, e.suggestion, vi=said))
        return out
    return []
