"""Raw survey forms at the door: one row per answered form, read from CSV or XLSX and checked.

A forms file has a header row, then one row per form. Its columns: ``form_id``, ``unit`` (the
rated unit's id), ``respondent`` (a respondent group of the design), ``mode`` (a mode of the
design), ``date`` (dd/mm/yyyy or yyyy-mm-dd; a date cell in XLSX), and one column per question
of the design, holding the option code chosen or nothing (not answered). Columns may come in
any order; a question the file lacks is simply not answered by its forms.

CSV is UTF-8, with or without a BOM (Excel's "CSV UTF-8"), separated by commas or (Excel on a
Vietnamese Windows) semicolons, CRLF or LF. XLSX is read from its first sheet.

``read_forms`` reads every file and checks every row (unknown unit, respondent group, mode,
question or option; a bad date; a form answering nothing; a form id used twice; a row repeating
another exactly); it raises every problem at once, each named ``file:row:column``, so nothing is
counted or stored from files with any error.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.campaign.survey_design import SurveyDesign
from scoring.errors import (
    ErrorList,
    InputFileError,
    Location,
    ParindexError,
    SubmissionError,
    suggest,
    unknown_id,
)
from scoring.sources.text import nfc

FIXED = ("form_id", "unit", "respondent", "mode", "date")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

Cell = str | dt.date


@dataclass(frozen=True)
class Form:
    """One answered form, checked: who rated which unit, how, when, and each answer."""

    file: str
    row: int
    form_id: str
    unit: str
    respondent: str
    mode: str
    date: dt.date
    answers: tuple[tuple[str, str], ...]  # (question id, option), answered questions only


@dataclass(frozen=True)
class FormsFile:
    """A forms file as read: its name, the SHA-256 of its bytes and its count of forms."""

    name: str
    sha256: str
    rows: int


def read_forms(
    files: Sequence[tuple[str, bytes]], design: SurveyDesign, units: Mapping[str, str]
) -> tuple[list[Form], list[FormsFile]]:
    """The forms of ``files`` (name, bytes) and what each file is, checked against ``design``
    and the campaign's ``units`` (id -> unit group); every problem raised at once, located."""
    forms: list[Form] = []
    read: list[FormsFile] = []
    errors: list[ParindexError] = []
    seen_ids: dict[str, tuple[str, int, tuple[Cell, ...]]] = {}
    for name, data in files:
        count = 0
        try:
            rows = list(_rows(name, data))
        except ParindexError as exc:
            errors.append(exc)
            continue
        if not rows:
            errors.append(SubmissionError("the file holds no header row", Location(name, 1)))
            continue
        header_row, header = rows[0]
        columns = _columns(name, header_row, header, design, errors)
        if columns is None:
            continue
        for number, cells in rows[1:]:
            count += 1
            form = _form(name, number, cells, columns, design, units, errors)
            key = cells[columns["form_id"]] if columns["form_id"] < len(cells) else ""
            fid = str(key)
            if fid and fid in seen_ids:
                first_file, first_row, first_cells = seen_ids[fid]
                what = (
                    "repeats row"
                    if tuple(cells) == first_cells
                    else f"uses the form id {fid!r} of row"
                )
                errors.append(
                    SubmissionError(
                        f"form {fid}: this row {what} {first_file}:{first_row} "
                        "(a form is counted once)",
                        Location(name, number, columns["form_id"] + 1),
                    )
                )
                continue
            if fid:
                seen_ids[fid] = (name, number, tuple(cells))
            if form is not None:
                forms.append(form)
        read.append(FormsFile(name, hashlib.sha256(data).hexdigest(), count))
    if errors:
        raise ErrorList.of(errors)
    return forms, read


def _rows(name: str, data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) of every non-blank row of a CSV or XLSX file, header first."""
    rows = _xlsx_rows(name, data) if name.lower().endswith(".xlsx") else _csv_rows(name, data)
    for number, cells in rows:
        if any(c != "" for c in cells):
            yield number, cells


def _csv_rows(name: str, data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            'save the sheet as "CSV UTF-8 (Comma delimited)"',
            Location(name, line),
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, [nfc(c.strip()) for c in cells]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(f"not a readable CSV file: {exc}", Location(name, start)) from None


def _xlsx_rows(name: str, data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs; XLSX only

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    except Exception as exc:  # openpyxl raises KeyError, TypeError, XML errors… on damaged files
        raise InputFileError(f"not an .xlsx workbook ({exc!r})", Location(name)) from None
    for number, values in enumerate(rows, start=1):
        yield number, [_xlsx_cell(v) for v in values]


def _xlsx_cell(value: Any) -> Cell:
    """An XLSX cell as text or a date (a whole number written without its ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value).strip())


def _columns(
    name: str, row: int, header: list[Cell], design: SurveyDesign, errors: list[ParindexError]
) -> dict[str, int] | None:
    """Column index of each fixed field and question; None (errors added) if the header is
    wrong."""
    columns: dict[str, int] = {}
    bad = False
    for i, raw in enumerate(header):
        cell = str(raw)
        key = cell.lower() if cell.lower() in FIXED else cell
        here = Location(name, row, i + 1)
        if key == "":
            continue
        if key in columns:
            errors.append(SubmissionError(f"column {cell!r} appears twice", here))
            bad = True
        elif key not in FIXED and key not in design.questions:
            errors.append(
                unknown_id("unknown question", cell, [*FIXED, *design.questions], location=here)
            )
            bad = True
        columns[key] = i
    for field in FIXED:
        if field not in columns:
            errors.append(
                SubmissionError(f"no {field!r} column in the header", Location(name, row))
            )
            bad = True
    return None if bad else columns


def _form(
    name: str,
    number: int,
    cells: list[Cell],
    columns: Mapping[str, int],
    design: SurveyDesign,
    units: Mapping[str, str],
    errors: list[ParindexError],
) -> Form | None:
    """One row as a form, or None with its problems added to ``errors``."""
    before = len(errors)

    def cell(key: str) -> Cell:
        i = columns[key]
        return cells[i] if i < len(cells) else ""

    def at(key: str) -> Location:
        return Location(name, number, columns[key] + 1)

    width = max(columns.values()) + 1
    for i in range(width, len(cells)):
        if cells[i] != "":
            errors.append(
                SubmissionError("a value in a column with no header", Location(name, number, i + 1))
            )
    fid, unit, resp, mode = (str(cell(k)) for k in ("form_id", "unit", "respondent", "mode"))
    if not fid:
        errors.append(SubmissionError("no form id", at("form_id")))
    if unit not in units:
        errors.append(unknown_id("unknown unit", unit, units, location=at("unit")))
    elif not design.rates(units[unit]):
        errors.append(
            SubmissionError(
                f"unit {unit} is of group {units[unit]!r}, which the survey does not rate",
                at("unit"),
            )
        )
    for key, value, known in (
        ("respondent", resp, design.respondents),
        ("mode", mode, design.modes),
    ):
        if value not in known:
            what = "respondent group" if key == "respondent" else "mode"
            errors.append(unknown_id(f"unknown {what}", value, known, location=at(key)))
    date = _date(cell("date"))
    if date is None:
        errors.append(
            SubmissionError(f"date {cell('date')!r} is not dd/mm/yyyy or yyyy-mm-dd", at("date"))
        )
    answers: list[tuple[str, str]] = []
    for qid, q in design.questions.items():
        if qid not in columns or cell(qid) == "":
            continue
        opt = str(cell(qid))
        if opt not in q.options:
            errors.append(
                SubmissionError(
                    f"question {qid}: {opt!r} is not one of its options ({', '.join(q.options)})",
                    at(qid),
                    suggest(opt, q.options),
                )
            )
        answers.append((qid, opt))
    if not answers:
        errors.append(SubmissionError(f"form {fid}: no question answered", Location(name, number)))
    if len(errors) > before or date is None:
        return None
    return Form(name, number, fid, unit, resp, mode, date, tuple(answers))


def _date(value: Cell) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    for pattern, order in ((_DMY, (2, 1, 0)), (_ISO, (0, 1, 2))):
        m = pattern.fullmatch(value)
        if m:
            y, mo, d = (int(m.group(i + 1)) for i in order)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None
