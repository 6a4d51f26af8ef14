"""Fuzz the Excel import: a filled self-assessment template through ``read_template``.

The first byte picks how the rest makes a workbook:

- even: the workbook's parts as text, ``<name>\\n<content>`` joined by ``\\x00@@\\x00``, zipped
  again (stored) by the harness, so mutations reach the sheet XML (cell types, shared-string
  indexes, formulas, merged ranges, sheet states) rather than break the zip's checksums;
- odd: edits with openpyxl driven by the bytes (a value of any type in any cell of the data
  area, formulas that reference other sheets, merged ranges, extra and hidden sheets, hidden
  rows, rows far below the table) applied to the filled template.

Seeds: the template of ``so-tai-chinh`` empty and filled with its 2018 answers, typed in by
the tests' own helper (``tests.support.excel``), so the repository root must be on the path:

    PYTHONPATH=. .venv/bin/python fuzz/fuzz_excel.py fuzz/corpus/excel -max_total_time=600
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import atheris
from common import ROOT, located, main

with atheris.instrument_imports(include=["scoring", "openpyxl"]):
    import openpyxl

    from scoring import load_index
    from scoring.excel.reader import read_template, write_template
    from scoring.excel.template import FIRST_ROW, SHEET
    from scoring.sources.yamlsrc import load_yaml_file

from tests.support.excel import fill  # the tests' way of typing answers in

SEP = b"\x00@@\x00"
INDEX = load_index(ROOT / "criteria.yaml", ROOT / "rules")
WORK = Path(tempfile.mkdtemp(prefix="parindex-fuzz-excel-"))
PATH = WORK / "so-tai-chinh.xlsx"


def _template(filled: bool) -> bytes:
    write_template(INDEX, "department", "so-tai-chinh", "Sở Tài chính", PATH)
    if filled:
        data, _ = load_yaml_file(ROOT / "samples" / "2018" / "units" / "so-tai-chinh.yaml")
        fill(PATH, data.get("answers", {}), data.get("adjustments", {}), INDEX)
    return PATH.read_bytes()


FILLED = _template(True)


def parts(xlsx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return SEP.join(i.filename.encode() + b"\n" + z.read(i) for i in z.infolist())


def from_parts(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the game
        for part in data.split(SEP):
            name, _, content = part.partition(b"\n")
            with contextlib.suppress(Exception):  # a name zipfile refuses: the part is left out
                z.writestr(name.decode("utf-8", "replace") or "x", content)
    return buf.getvalue()


def _value(fdp: atheris.FuzzedDataProvider) -> object:
    kind = fdp.ConsumeIntInRange(0, 9)
    if kind == 0:
        return fdp.ConsumeInt(8)
    if kind == 1:
        return fdp.ConsumeRegularFloat()
    if kind == 2:
        return fdp.ConsumeBool()
    if kind == 3:
        return "=" + fdp.PickValueInList(
            ["'Danh mục'!A1", "Sheet9!B2", "1/0", "SUM(A1:A9)", "NOW()"]
        )
    if kind == 4:
        return dt.datetime(1900 + fdp.ConsumeIntInRange(0, 300), 1, 1) + dt.timedelta(
            seconds=fdp.ConsumeIntInRange(0, 400 * 86400)
        )
    if kind == 5:
        return dt.time(fdp.ConsumeIntInRange(0, 23), fdp.ConsumeIntInRange(0, 59))
    if kind == 6:
        return dt.timedelta(days=fdp.ConsumeIntInRange(-(10**6), 10**6))
    if kind == 7:
        return fdp.PickValueInList(["Có", "Không", "Chưa thực hiện", "Co\u0301", "#N/A", "  ", ""])
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 60))


def edited(data: bytes) -> bytes:
    fdp = atheris.FuzzedDataProvider(data)
    wb = openpyxl.load_workbook(io.BytesIO(FILLED))
    for _ in range(fdp.ConsumeIntInRange(1, 8)):
        ws = wb[fdp.PickValueInList(wb.sheetnames)]
        op = fdp.ConsumeIntInRange(0, 7)
        row = fdp.ConsumeIntInRange(1, FIRST_ROW + 90)
        col = fdp.ConsumeIntInRange(1, 20)
        # openpyxl refuses some edits itself (control characters, '?' in a sheet title, a
        # merged cell): the edit is skipped, the reading of what it could write is the test
        with contextlib.suppress(Exception):
            if op <= 2:
                ws.cell(row, col).value = _value(fdp)
            elif op == 3:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row + fdp.ConsumeIntInRange(0, 3),
                    end_column=col + fdp.ConsumeIntInRange(0, 3),
                )  # fmt: skip
            elif op == 4:
                new = wb.create_sheet(fdp.ConsumeUnicodeNoSurrogates(8).strip("[]:*?/\\'") or None)
                new.sheet_state = fdp.PickValueInList(["visible", "hidden", "veryHidden"])
                new["A1"] = _value(fdp)
            elif op == 5:
                ws.row_dimensions[row].hidden = True
            elif op == 6:
                ws.cell(fdp.ConsumeIntInRange(FIRST_ROW, 1_048_576), col).value = _value(fdp)
            else:
                ws.sheet_state = fdp.PickValueInList(["visible", "hidden", "veryHidden"])
    out = io.BytesIO()
    try:
        wb.save(out)
    except Exception:  # a workbook openpyxl will not write (all sheets hidden, a bool title…)
        return FILLED
    return out.getvalue()


def test_one_input(data: bytes) -> None:
    if not data:
        return
    PATH.write_bytes(from_parts(data[1:]) if data[0] % 2 == 0 else edited(data[1:]))
    located(read_template, PATH, INDEX)


def seeds() -> dict[str, bytes]:
    return {
        "parts-filled": b"\x00" + parts(FILLED),
        "parts-empty": b"\x00" + parts(_template(False)),
        "edits": b"\x01" + bytes(range(256)),
    }


assert SHEET  # the sheet the edits aim at most is the template's first one

if __name__ == "__main__":
    main(test_one_input, seeds)
    sys.exit(0)
