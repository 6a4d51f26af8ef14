"""Hostile files through the CLI: each ends in a located message and exit 1, never a traceback.

Excel self-assessments (formulas, also across sheets and without a cached value, merged and
hidden cells, hidden sheets, rows far down, wrong types, odd characters, bytes that are not
UTF-8 inside the workbook) go through ``parindex import FILE.xlsx``; YAML files in a legacy
encoding through ``check``, ``score`` and ``import``.
"""

from __future__ import annotations

import gc
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring import Index
from scoring.excel.reader import write_template
from scoring.excel.template import SHEET
from tests.support.cli import run
from tests.support.paths import MINI

CAMPAIGN = "mini-2018"
VALUE, DONE_ON = 6, 7  # columns of value:bool and done_on in the mini index's template
ROW_11, ROW_12 = 11, 12  # leaves 1.1 (boolean) and 1.2 (deadline)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, mini_index: Index) -> tuple[str, Path]:
    """A store holding the mini campaign, and an empty template of its unit a."""
    folder = tmp_path_factory.mktemp("hostile")
    db = f"sqlite:///{folder / 'p.db'}"
    assert run("--db", db, "import", str(MINI)).exit_code == 0
    base = folder / "base.xlsx"
    write_template(mini_index, "department", "a", "Sở A", base)
    return db, base


def _cell(row: int, col: int, value: Any) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        wb[SHEET].cell(row, col).value = value

    return edit


def _answered(then: Callable[[Any], None]) -> Callable[[Any], None]:
    """Answer leaf 1.1 (Có), then apply ``then``."""

    def edit(wb: Any) -> None:
        wb[SHEET].cell(ROW_11, VALUE).value = "Có"
        then(wb)

    return edit


def _merge(wb: Any) -> None:
    wb[SHEET].merge_cells(start_row=ROW_11, start_column=VALUE, end_row=ROW_12, end_column=VALUE)


def _hide_row(wb: Any) -> None:
    wb[SHEET].row_dimensions[ROW_11].hidden = True


def _hide_col(wb: Any) -> None:
    wb[SHEET].column_dimensions["F"].hidden = True


def _hide_sheet(wb: Any) -> None:
    wb.active = 1
    wb[SHEET].sheet_state = "hidden"


# (name, edit, (row, column) of the error, field named, message)
EXCEL_CASES = [
    ("formula to another sheet, no cached value", _cell(ROW_11, VALUE, "='Danh mục'!A1"),
     (ROW_11, VALUE), "'value'", "formulas are not accepted"),
    ("formula in the id cell", _cell(ROW_11, 1, "=Sheet9!A1"), (ROW_11, 1), "'id'",
     "formulas are not accepted"),
    ("formula in the header", _cell(4, 3, "='Tự đánh giá'!C4"), (4, 3), "'unit'",
     "formulas are not accepted"),
    ("merged cells in the data area", _answered(_merge), (ROW_11, VALUE), "",
     "merged cells are not accepted"),
    ("hidden row holding an answer", _answered(_hide_row), (ROW_11, VALUE), "",
     "the row is hidden but holds answers"),
    ("hidden column holding an answer", _answered(_hide_col), (ROW_11, VALUE), "'value'",
     "the column is hidden but holds answers"),
    ("hidden template sheet with answers", _answered(_hide_sheet), (ROW_11, VALUE), "",
     "the sheet is hidden but holds answers"),
    ("a value a million rows down", _cell(1_048_576, VALUE, "Có"), (1_048_576, None), "",
     "too long for a template"),
    ("text in a date cell", _cell(ROW_12, DONE_ON, "hôm qua"), (ROW_12, DONE_ON), "'done_on'",
     "expected a date"),
    ("a number for yes/no", _cell(ROW_11, VALUE, 1), (ROW_11, VALUE), "'value'",
     "expected Có or Không"),
    ("a zero-width space in an id", _cell(ROW_11, 1, "1.1\u200b"), (ROW_11, 1), "",
     "did you mean '1.1'?"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "at", "field", "message"), [c[1:] for c in EXCEL_CASES],
                         ids=[c[0] for c in EXCEL_CASES])  # fmt: skip
def test_hostile_workbook_is_refused_at_its_cell(
    store: tuple[str, Path],
    tmp_path: Path,
    edit: Callable[[Any], None],
    at: tuple[int, int | None],
    field: str,
    message: str,
) -> None:
    """Each hostile workbook: exit 1, the message at file!sheet:row:column naming the field."""
    db, base = store
    path = tmp_path / "a.xlsx"
    shutil.copy(base, path)
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    r = run("--db", db, "import", str(path), "--campaign", CAMPAIGN)
    assert r.exit_code == 1, r.output
    where = f"{path}!{SHEET}:{at[0]}" + (f":{at[1]}:" if at[1] else ":")
    assert where in r.output and message in r.output
    assert field in r.output.split(where, 1)[1].splitlines()[0]
    assert "Traceback" not in r.output and "internal error" not in r.output


def _rezip(src: Path, dest: Path, change: Callable[[str, bytes], bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))


@pytest.mark.parametrize(
    ("part", "olds", "new"),
    [
        # the unit's name, as openpyxl writes it: UTF-8, or a character reference without lxml
        ("xl/worksheets/sheet1.xml", ("Sở A".encode(), b"S&#7903; A"), b"S\xf5 A"),
        ("xl/workbook.xml", (b"",), b"\xff\xfe"),
    ],
    ids=["a TCVN3 byte in a sheet", "a UTF-16 BOM on UTF-8"],
)
def test_workbook_with_bytes_that_are_not_utf8_is_refused(
    store: tuple[str, Path], tmp_path: Path, part: str, olds: tuple[bytes, ...], new: bytes
) -> None:
    """XML inside the workbook that is not UTF-8: 'not an Excel workbook', located at the file."""
    db, base = store
    path = tmp_path / "a.xlsx"
    seen = []

    def change(name: str, data: bytes) -> bytes:
        for old in olds:
            if name == part and old in data:
                seen.append(name)
                return data.replace(old, new, 1) if old else new + data
        return data

    _rezip(base, path, change)
    assert seen == [part]
    r = run("--db", db, "import", str(path), "--campaign", CAMPAIGN)
    assert r.exit_code == 1, r.output
    assert f"{path}: not an Excel workbook" in r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    gc.collect()  # a file handle left open by the reader would warn now (filterwarnings=error)


def test_formula_with_a_cached_value_is_still_refused(
    store: tuple[str, Path], tmp_path: Path
) -> None:
    """A formula saved by Excel keeps its last value; the formula is refused all the same."""
    db, base = store
    path = tmp_path / "a.xlsx"

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        cell = b'<c r="F11" t="str"><f>\'Danh m\xe1\xbb\xa5c\'!A1</f><v>C\xc3\xb3</v></c>'
        # an empty cell: <c .../> (openpyxl over lxml) or <c ...></c> (over the standard library)
        out, n = re.subn(rb'<c r="F11"[^>]*?(/>|></c>)', cell, data, count=1)
        assert n == 1
        return out

    _rezip(base, path, change)
    r = run("--db", db, "import", str(path), "--campaign", CAMPAIGN)
    assert r.exit_code == 1, r.output
    assert f"{path}!{SHEET}:11:6: row 11, leaf 1.1, 'value': formulas are not accepted" in r.output


def test_extra_hidden_sheet_is_ignored_and_nfd_beside_nfc_reads_as_nfc(
    store: tuple[str, Path], tmp_path: Path
) -> None:
    """An extra hidden sheet is not read; Có typed decomposed beside composed gives one answer
    form, and the stored unit file is the one an all-NFC workbook gives."""
    db, base = store
    texts = []
    for form in ("NFC", "NFD"):
        path = tmp_path / f"a-{form}.xlsx"
        shutil.copy(base, path)
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEET]
        ws.cell(ROW_11, VALUE).value = unicodedata.normalize(form, "Có")
        ws.cell(ROW_11, 14).value = "12/QĐ-UBND"  # evidence.doc, typed composed in both
        ws.cell(ROW_11, 15).value = unicodedata.normalize(form, "Kế hoạch cải cách")
        extra = wb.create_sheet("Ghi chú")
        extra["A1"], extra.sheet_state = "=1/0", "hidden"
        wb.save(path)
        r = run("--db", db, "import", str(path), "--campaign", CAMPAIGN, "--replace")
        assert r.exit_code == 0, r.output
        r = run("--db", db, "explain", "a", "1.1", "--campaign", CAMPAIGN, "--json")
        assert r.exit_code == 0, r.output
        texts.append(r.stdout)
    assert texts[0] == texts[1]
    assert unicodedata.normalize("NFC", "Kế hoạch cải cách") in texts[1]


# ---------------------------------------------------------------- YAML not in UTF-8


def _legacy(path: Path, old: str, new: bytes) -> int:
    """Replace ``old`` by its TCVN3 (ABC) bytes, the pre-Unicode Vietnamese encoding; its line."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    before, after = text.split(old, 1)
    path.write_bytes(before.encode() + new + after.encode())
    return before.count("\n") + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "command"),
    [
        ("criteria.yaml", "Chỉ đạo", b"Ch\xc9 \xae\xb9o", ("check", "{dir}/criteria.yaml")),
        ("rules/checks.yaml", "Tử số", b"T\xf7 s\xe8", ("check", "{dir}/criteria.yaml")),
        ("campaign.yaml", "Sở A", b"S\xeb A", ("score", "{dir}")),
        ("units/a.yaml", "Kế hoạch", b"K\xd5 ho\xb9ch", ("score", "{dir}")),
        (
            "units/a.yaml",
            "Kế hoạch",
            b"K\xd5 ho\xb9ch",
            ("import", "{dir}/units/a.yaml", "--campaign", CAMPAIGN),
        ),
    ],
    ids=["check criteria", "check rule pack", "score campaign", "score unit", "import unit"],
)
def test_yaml_in_a_legacy_encoding_is_located(
    store: tuple[str, Path],
    tmp_path: Path,
    file: str,
    old: str,
    new: bytes,
    command: tuple[str, ...],
) -> None:
    """A YAML file with TCVN3 bytes: exit 1, 'not valid UTF-8' at the file and line."""
    db, _ = store
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    path = folder / file
    line = _legacy(path, old, new)
    r = run("--lang", "en", "--db", db, *(a.format(dir=folder) for a in command))
    assert r.exit_code == 1, r.output
    assert f"{path}:{line}: not valid UTF-8" in r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
