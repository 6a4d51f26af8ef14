"""Excel: the self-assessment template written, and read back as a unit file."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring import ErrorList, Index, SubmissionError, load_campaign
from scoring.campaign.submission import UnitFile
from scoring.errors import ParindexError
from scoring.evaluation.ranking import score_campaign
from scoring.excel.reader import read_template, write_template
from scoring.excel.template import ADJ_SHEET, FIRST_ROW, SHEET
from scoring.sources.yamlsrc import load_yaml, load_yaml_file
from tests.support.excel import columns, fill, row_of
from tests.support.paths import SAMPLES

UNIT = SAMPLES / "units" / "so-tai-chinh.yaml"


@pytest.fixture(scope="module")
def index(real_index: Index) -> Index:
    """The repository's index (the session's)."""
    return real_index


# ---------------------------------------------------------------- helpers


def template(tmp_path: Path, index: Index, group: str = "department") -> Path:
    path = tmp_path / "t.xlsx"
    write_template(index, group, "so-tai-chinh", "Sở Tài chính", path)
    return path


def edit(path: Path, sheet: str = SHEET, **cells: Any) -> None:
    """Set cells by 'A12'-style names on one sheet."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def at(ws_path: Path, item: str, key: str, sheet: str = SHEET) -> tuple[str, int, int]:
    """(cell name, row, column) of an item's field in a template."""
    ws = openpyxl.load_workbook(ws_path)[sheet]
    r, c = row_of(ws, item), columns(ws)[key]
    return f"{openpyxl.utils.get_column_letter(c)}{r}", r, c


def refused(path: Path, index: Index) -> list[ParindexError]:
    """The errors read_template raises (failing the test on success or another exception)."""
    with pytest.raises(ParindexError) as info:
        read_template(path, index)
    exc = info.value
    errors = exc.errors if isinstance(exc, ErrorList) else [exc]
    assert all(isinstance(e, SubmissionError) for e in errors)
    return errors


# ---------------------------------------------------------------- the template


def test_template_has_header_block_and_named_input_columns(tmp_path: Path, index: Index) -> None:
    """The template names the index, hash, unit and group and gives every input its own column."""
    ws = openpyxl.load_workbook(template(tmp_path, index))[SHEET]
    assert [ws.cell(r, 3).value for r in range(2, 7)] == [
        "langson-2018",
        index.content_hash,
        "so-tai-chinh",
        "Sở Tài chính",
        "department",
    ]
    keys = set(columns(ws))
    assert {"numerator", "denominator", "done_on", "count", "level", "actual", "limit"} <= keys
    assert {"value:bool", "value:number", "na", "self_score", "note"} <= keys
    assert {f"evidence.{k}" for k in ("doc", "title", "date", "section", "page")} <= keys
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_template_lists_self_assessed_leaves_in_tree_order(tmp_path: Path, index: Index) -> None:
    """Every self-assessed leaf has one row, in tree order; survey and council leaves have none."""
    ws = openpyxl.load_workbook(template(tmp_path, index))[SHEET]
    ids = [ws.cell(r, 1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    view = index.groups["department"]
    selfs = [k for k, i in view.leaves.items() if i.node.assessed_by == "self"]
    assert [i for i in ids if i in view.leaves] == selfs
    assert not any(view.leaves[k].node.assessed_by != "self" for k in ids if k in view.leaves)


def test_template_greys_unused_inputs_and_offers_na_only_where_allowed(
    tmp_path: Path, index: Index
) -> None:
    """Cells a leaf's kind does not read are grey; na is white only for na_allowed leaves."""
    ws = openpyxl.load_workbook(template(tmp_path, index))[SHEET]
    cols, r = columns(ws), row_of(ws, "1.3.1")  # ratio_bands, na not allowed
    grey = {k for k, c in cols.items() if ws.cell(r, c).fill.fgColor.rgb == "00D9D9D9"}
    assert {"value:bool", "done_on", "count", "level", "na"} <= grey
    assert not {"numerator", "denominator", "self_score"} & grey
    r2 = row_of(ws, "2.1.1")  # na_allowed
    assert ws.cell(r2, cols["na"]).fill.fgColor.rgb != "00D9D9D9"


def test_template_has_validation_lists_and_adjustment_sheet(tmp_path: Path, index: Index) -> None:
    """Yes/no and level cells get drop-downs; bonuses and penalties have their own sheet."""
    wb = openpyxl.load_workbook(template(tmp_path, index))
    ws = wb[SHEET]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    cols = columns(ws)
    level_cell = f"{openpyxl.utils.get_column_letter(cols['level'])}{row_of(ws, '1.4.1')}"
    assert any(level_cell in dv.sqref for dv in lists)
    assert any(dv.formula1 == '"Có,Không"' for dv in lists)
    assert wb["Danh mục"].sheet_state == "hidden"
    adj = wb[ADJ_SHEET]
    ids = [adj.cell(r, 1).value for r in range(FIRST_ROW, adj.max_row + 1)]
    assert ids == ["TH1", "TH2", "TR1", "TR2", "TR3", "TR4", "TR5"]


def test_template_text_is_nfc(tmp_path: Path, index: Index) -> None:
    """A unit name typed in decomposed form (NFD) is written composed (NFC)."""
    path = tmp_path / "t.xlsx"
    write_template(
        index, "district", "huyen-loc-binh", unicodedata.normalize("NFD", "Huyện Lộc Bình"), path
    )
    ws = openpyxl.load_workbook(path)[SHEET]
    assert ws["C5"].value == "Huyện Lộc Bình"
    assert all(
        unicodedata.is_normalized("NFC", v)
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    )


def test_template_for_unknown_group_or_bad_unit_id_is_refused(tmp_path: Path, index: Index) -> None:
    """write_template names an unknown group (suggesting the closest) and a bad unit id."""
    with pytest.raises(SubmissionError, match="unknown group 'departement'") as info:
        write_template(index, "departement", "x", "X", tmp_path / "t.xlsx")
    assert info.value.suggestion == "department"
    with pytest.raises(SubmissionError, match="unit id 'Sở Tài chính' must be"):
        write_template(index, "department", "Sở Tài chính", "X", tmp_path / "t.xlsx")


# ---------------------------------------------------------------- round trips


def test_filled_template_gives_the_unit_file_back(tmp_path: Path, index: Index) -> None:
    """so-tai-chinh's answers typed into its template come back as the same answers."""
    original, _ = load_yaml_file(UNIT)
    path = template(tmp_path, index)
    fill(path, original["answers"], original["adjustments"], index)
    text = read_template(path, index)
    data, _ = load_yaml(text)
    got, want = UnitFile.model_validate(data), UnitFile.model_validate(original)
    assert (got.unit, got.index) == (want.unit, want.index)
    dump = {k: a.model_dump(exclude_unset=True) for k, a in got.answers.items()}
    assert dump == {k: a.model_dump(exclude_unset=True) for k, a in want.answers.items()}
    assert got.adjustments == want.adjustments


def test_every_sample_unit_round_trips_to_the_same_scores(tmp_path: Path, index: Index) -> None:
    """Every sample unit, through a template and back, scores exactly as its YAML file did."""
    campaign = tmp_path / "campaign"
    shutil.copytree(SAMPLES, campaign)
    for u in load_campaign(SAMPLES).spec.units:
        unit_file = campaign / (u.file or f"units/{u.id}.yaml")
        data, _ = load_yaml_file(unit_file)
        path = tmp_path / f"{u.id}.xlsx"
        write_template(index, u.group, u.id, u.name, path)
        fill(path, data.get("answers", {}), data.get("adjustments", {}), index)
        unit_file.write_text(read_template(path, index), encoding="utf-8")
    before = score_campaign(index, load_campaign(SAMPLES))
    after = score_campaign(index, load_campaign(campaign))
    for uid in (u.unit_id for units in before.groups.values() for u in units):
        a, b = before.unit(uid), after.unit(uid)
        assert a is not None and b is not None
        assert (a.points, a.index, a.rank) == (b.points, b.index, b.rank)
        assert {k: n.points for k, n in a.nodes.items()} == {
            k: n.points for k, n in b.nodes.items()
        }
        assert len(a.warnings) == len(b.warnings)  # their text names the file and line
    assert not after.errors


def test_yaml_is_canonical(tmp_path: Path, index: Index) -> None:
    """The text has unit, index, quoted ids, ISO dates, exact decimals and not-done as null."""
    path = template(tmp_path, index)
    answers = {
        "1.1.1": {"done_on": None},
        "1.1.3": {"value": Decimal("91.3"), "self_score": Decimal("1.25")},
        "2.1.1": {"na": True, "note": "Không có văn bản phải ban hành"},
    }
    fill(path, answers, {}, index)
    text = read_template(path, index)
    lines = text.splitlines()
    assert "unit: so-tai-chinh" in lines and "index: langson-2018" in lines
    assert '  "1.1.1":' in lines and "    done_on: null" in lines
    assert "    value: 91.3" in lines and "    self_score: 1.25" in lines
    assert "    na: true" in lines and "adjustments: {}" in lines
    data, _ = load_yaml(text)
    assert data["answers"]["1.1.3"]["value"] == Decimal("91.3")


def test_vietnamese_text_survives_and_nfd_comes_back_nfc(tmp_path: Path, index: Index) -> None:
    """Notes and evidence typed in NFD come back exactly, composed (NFC)."""
    path = template(tmp_path, index)
    title = "Kế hoạch CCHC năm 2018 của Sở Tài chính — «đợt 1»"
    note = 'Đã ban hành; ghi chú: "ưu tiên"\nDòng hai'
    nfd = {"title": unicodedata.normalize("NFD", title)}
    answers = {
        "1.1.2": {
            "value": True,
            "evidence": [{"doc": "276/KH-STC", **nfd, "date": dt.date(2018, 1, 14)}],
            "note": unicodedata.normalize("NFD", note),
        }
    }
    fill(path, answers, {}, index)
    edit(path, C5=unicodedata.normalize("NFD", "Sở Tài chính tỉnh Lạng Sơn"))
    text = read_template(path, index)
    assert unicodedata.is_normalized("NFC", text)
    assert text.splitlines()[0].startswith("# Sở Tài chính tỉnh Lạng Sơn (department)")
    data, _ = load_yaml(text)
    ans = data["answers"]["1.1.2"]
    assert ans["note"] == note and ans["evidence"][0]["title"] == title
    assert ans["evidence"][0]["date"] == dt.date(2018, 1, 14)


def test_empty_template_is_refused(tmp_path: Path, index: Index) -> None:
    """A template left empty is refused: importing it would store a self-assessment of nothing."""
    path = template(tmp_path, index)
    (e,) = refused(path, index)
    assert e.message.startswith("the template of so-tai-chinh holds no answers")
    assert (e.location.file, e.location.line) == (f"{path}!{SHEET}", FIRST_ROW)


def test_level_by_key_or_label_and_text_numbers(tmp_path: Path, index: Index) -> None:
    """A level may be typed as its key or label; numbers typed as text are read exactly."""
    path = template(tmp_path, index)
    fill(path, {"1.4.1": {"level": "hoan-thanh"}, "2.3.3": {"level": "day-du"}}, {}, index)
    ref, _, _ = at(path, "1.3.1", "numerator")
    ref2, _, _ = at(path, "1.3.1", "denominator")
    ref3, _, _ = at(path, "2.3.2", "value:number")
    ref4, _, _ = at(path, "2.3.3", "level")
    edit(path, **{ref: "8", ref2: 12, ref3: "91,5", ref4: "  XỬ LÝ ĐẦY ĐỦ "})
    data, _ = load_yaml(read_template(path, index))
    a = data["answers"]
    assert a["1.4.1"] == {"level": "hoan-thanh"} and a["2.3.3"] == {"level": "day-du"}
    assert a["1.3.1"] == {"numerator": 8, "denominator": 12}
    assert a["2.3.2"] == {"value": Decimal("91.5")}


def test_workbook_with_an_extra_sheet_still_imports(tmp_path: Path, index: Index) -> None:
    """Sheets other than the template's are ignored."""
    path = template(tmp_path, index)
    wb = openpyxl.load_workbook(path)
    extra = wb.create_sheet("Ghi chú của tôi")
    extra["A1"] = "=1+1"
    extra.merge_cells("A2:C3")
    wb.save(path)
    fill(path, {"1.1.2": {"value": True}}, {}, index)
    data, _ = load_yaml(read_template(path, index))
    assert data["answers"] == {"1.1.2": {"value": True}}


# ---------------------------------------------------------------- refusals


def test_wrong_type_is_located_by_sheet_row_and_column(tmp_path: Path, index: Index) -> None:
    """A word in a whole-number cell names the sheet, row, column, leaf and field."""
    path = template(tmp_path, index)
    ref, r, c = at(path, "3.2.1", "denominator")
    n_ref, _, _ = at(path, "3.2.1", "numerator")
    edit(path, **{ref: "abc", n_ref: 3})
    [err] = refused(path, index)
    assert err.location.file == f"{path}!{SHEET}"
    assert (err.location.line, err.location.column) == (r, c)
    assert err.message == f"row {r}, leaf 3.2.1, 'denominator': expected a whole number, got 'abc'"
    assert str(err).startswith(f"{path}!{SHEET}:{r}:{c}: row {r}")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("done_on", "soon", "expected a date (dd/mm/yyyy) or «Chưa thực hiện», got 'soon'"),
        ("done_on", "31/02/2018", "'31/02/2018' is not a valid date"),
        ("value:bool", "maybe", "expected Có or Không (yes/no), got 'maybe'"),
        ("count", -2, "expected a whole number >= 0, got -2"),
        ("count", 1.5, "expected a whole number, got 1.5"),
        ("level", "xuất sắc", "'xuất sắc' is not one of: Hoàn thành 100% kế hoạch / "),
        ("self_score", "nhiều", "expected a number, got 'nhiều'"),
        ("evidence.date", "hôm qua", "expected a date (dd/mm/yyyy), got 'hôm qua'"),
    ],
)
def test_each_wrong_type_is_refused(
    tmp_path: Path, index: Index, key: str, value: Any, message: str
) -> None:
    """Each input kind refuses a value of the wrong kind with a located message."""
    item = {"done_on": "1.1.1", "value:bool": "1.1.2", "count": "1.5.1", "level": "1.4.1"}
    leaf = item.get(key, "1.1.2")
    path = template(tmp_path, index)
    ref, r, c = at(path, leaf, key)
    edit(path, **{ref: value})
    errors = refused(path, index)
    field = {"value:bool": "value"}.get(key, key)
    mine = [e for e in errors if (e.location.line, e.location.column) == (r, c)]
    assert mine, [str(e) for e in errors]
    assert mine[0].message.startswith(f"row {r}, leaf {leaf}, {field!r}: {message}")


def test_template_of_another_index_version_is_refused(tmp_path: Path, index: Index) -> None:
    """A content hash that is not the index's refuses the file at the hash cell."""
    path = template(tmp_path, index)
    edit(path, C3="0" * 64)
    [err] = refused(path, index)
    assert (err.location.file, err.location.line, err.location.column) == (f"{path}!{SHEET}", 3, 3)
    assert "another version of index 'langson-2018'" in err.message


def test_template_of_another_index_is_refused(tmp_path: Path, index: Index) -> None:
    """A template for another index id is refused at the index cell."""
    path = template(tmp_path, index)
    edit(path, C2="cantho-2019")
    [err] = refused(path, index)
    assert err.location.line == 2 and "for index 'cantho-2019', not 'langson-2018'" in err.message


def test_unknown_leaf_id_is_refused_with_a_suggestion(tmp_path: Path, index: Index) -> None:
    """An id that is no self-assessed leaf of the group is refused; survey leaves say why."""
    path = template(tmp_path, index)
    r1, r2 = row_of(openpyxl.load_workbook(path)[SHEET], "1.1.1"), FIRST_ROW + 200
    edit(path, **{f"A{r1}": "1.1.9", f"G{r1}": dt.date(2018, 1, 5), f"A{r2}": "S.1.1"})
    edit(path, **{f"H{r2}": 3})
    errors = refused(path, index)
    assert [(e.location.line, e.location.column) for e in errors] == [(r1, 1), (r2, 1)]
    assert "'1.1.9' is not an item of this sheet" in errors[0].message
    assert errors[0].suggestion is not None and errors[0].suggestion.startswith("1.1.")
    assert "is assessed by survey" in errors[1].message


def test_formula_in_an_input_cell_is_refused(tmp_path: Path, index: Index) -> None:
    """A formula where a value belongs is refused: formulas are not accepted."""
    path = template(tmp_path, index)
    ref, r, c = at(path, "1.3.1", "numerator")
    edit(path, **{ref: "=2+6"})
    [err] = refused(path, index)
    assert (err.location.line, err.location.column) == (r, c)
    assert err.message.startswith(f"row {r}, leaf 1.3.1, 'numerator': formulas are not accepted")


def test_merged_cells_in_the_data_area_are_refused(tmp_path: Path, index: Index) -> None:
    """Merged cells below the column keys are refused at their top-left cell."""
    path = template(tmp_path, index)
    wb = openpyxl.load_workbook(path)
    r = row_of(wb[SHEET], "1.3.1")
    wb[SHEET].merge_cells(f"H{r}:I{r}")
    wb.save(path)
    [err] = refused(path, index)
    assert (err.location.line, err.location.column) == (r, 8)
    assert f"merged cells are not accepted in the data area (H{r}:I{r})" in err.message


def test_grey_cells_and_na_misuse_are_refused(tmp_path: Path, index: Index) -> None:
    """An input the leaf does not read, and na where it is not allowed, are refused."""
    path = template(tmp_path, index)
    ref, r, _ = at(path, "1.1.1", "count")
    na_ref, r2, _ = at(path, "1.3.1", "na")
    na_ok, r3, _ = at(path, "2.1.1", "na")
    num, _, _ = at(path, "2.1.1", "numerator")
    edit(path, **{ref: 3, na_ref: "Có", na_ok: "Có", num: 1})
    errors = refused(path, index)
    messages = [e.message for e in errors]
    assert messages[0].startswith(f"row {r}, leaf 1.1.1, 'count': this item does not take")
    assert messages[1].startswith(f"row {r2}, leaf 1.3.1, 'na': this item does not take a not-")
    assert messages[2] == (
        f"row {r3}, leaf 2.1.1, 'numerator': a not-applicable answer takes no inputs; "
        "empty this cell"
    )


def test_rule_problems_are_located(tmp_path: Path, index: Index) -> None:
    """The rule kinds check the answers read and point at the cell of the field."""
    path = template(tmp_path, index)
    num, r, c = at(path, "1.3.1", "numerator")
    den, _, _ = at(path, "1.3.1", "denominator")
    score, r3, _ = at(path, "1.1.2", "self_score")
    _, _, value = at(path, "1.1.2", "value:bool")
    edit(path, **{num: 9, den: 3, score: 0.5})
    errors = refused(path, index)
    where = {(e.location.line, e.location.column): e.message for e in errors}
    assert where == {
        (r, c): f"row {r}, leaf 1.3.1, 'numerator': numerator 9 exceeds denominator 3",
        (r3, value): f"row {r3}, leaf 1.1.2, 'value': 'value' is required for this item",
    }
    said = {(e.location.line, e.location.column): e.reason("vi") for e in errors}
    assert said == {
        (r, c): f"dòng {r}, mục 1.3.1, 'numerator': số đạt yêu cầu (9) lớn hơn tổng số (3)",
        (r3, value): f"dòng {r3}, mục 1.1.2, 'value': mục này cần số liệu 'value'",
    }


def test_consistency_packs_run_on_the_answers(tmp_path: Path, index: Index) -> None:
    """A completion date outside the index year breaks V02 at its cell."""
    path = template(tmp_path, index)
    done, r, c = at(path, "1.1.1", "done_on")
    edit(path, **{done: dt.date(2017, 12, 30)})
    [err] = refused(path, index)
    assert (err.location.line, err.location.column) == (r, c)
    assert err.message.startswith(f"row {r}, leaf 1.1.1, 'done_on': V02: Completion dates")


def test_evidence_rows_and_orphan_rows(tmp_path: Path, index: Index) -> None:
    """A row without an id adds evidence to the item above; with anything else it is refused."""
    path = template(tmp_path, index)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    cols, r = columns(ws), row_of(ws, "1.1.2")
    ws.cell(r, cols["value:bool"], "Có")
    ws.cell(r, cols["evidence.doc"], "1/KH")
    ws.insert_rows(r + 1, 2)
    ws.cell(r + 1, cols["evidence.doc"], 24)
    ws.cell(r + 1, cols["evidence.page"], "3")
    ws.cell(r + 2, cols["self_score"], 1)
    wb.save(path)
    [err] = refused(path, index)
    assert err.location.line == r + 2 and "may only add evidence documents" in err.message
    wb = openpyxl.load_workbook(path)
    wb[SHEET].delete_rows(r + 2)
    wb.save(path)
    data, _ = load_yaml(read_template(path, index))
    assert data["answers"]["1.1.2"]["evidence"] == [{"doc": "1/KH"}, {"doc": "24", "page": 3}]


def test_repeated_and_heading_rows(tmp_path: Path, index: Index) -> None:
    """A repeated id may add evidence only; a second answer or an answered heading is refused."""
    path = template(tmp_path, index)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    cols, r = columns(ws), row_of(ws, "1.5.1")
    ws.cell(r, cols["count"], 2)
    ws.insert_rows(r + 1)
    ws.cell(r + 1, 1, "1.5.1")
    ws.cell(r + 1, cols["evidence.doc"], "235/CV-STC")
    wb.save(path)
    data, _ = load_yaml(read_template(path, index))
    assert data["answers"]["1.5.1"] == {"count": 2, "evidence": [{"doc": "235/CV-STC"}]}
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    ws.cell(r + 1, cols["count"], 3)
    heading = row_of(ws, "1.5")
    ws.cell(heading, cols["count"], 1)
    wb.save(path)
    errors = refused(path, index)
    assert [(e.location.line, e.location.column) for e in errors] == [(heading, 1), (r + 1, 1)]
    assert (
        errors[0].message
        == f"row {heading}: 1.5 is a heading, not a scored item; answer its sub-criteria"
    )
    assert errors[1].message.startswith(f"row {r + 1}, leaf 1.5.1: answered twice (rows {r} and")


def test_without_the_adjustment_sheet_no_bonus_is_claimed(tmp_path: Path, index: Index) -> None:
    """Deleting the bonus and penalty sheet leaves adjustments empty, not an error."""
    path = template(tmp_path, index)
    original, _ = load_yaml_file(UNIT)
    fill(path, original["answers"], original["adjustments"], index)
    wb = openpyxl.load_workbook(path)
    del wb[ADJ_SHEET]
    wb.save(path)
    data, _ = load_yaml(read_template(path, index))
    assert data["adjustments"] == {}


def test_adjustment_sheet_errors_name_their_sheet(tmp_path: Path, index: Index) -> None:
    """A wrong value on the bonus and penalty sheet is located on that sheet."""
    path = template(tmp_path, index)
    ref, r, c = at(path, "TR1", "count", ADJ_SHEET)
    edit(path, ADJ_SHEET, **{ref: "hai"})
    [err] = refused(path, index)
    assert (err.location.file, err.location.line, err.location.column) == (
        f"{path}!{ADJ_SHEET}",
        r,
        c,
    )
    assert err.message == f"row {r}, penalty TR1, 'count': expected a whole number, got 'hai'"


@pytest.mark.parametrize(
    "content",
    [b"", b"unit: so-tai-chinh\n", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 64],
)
def test_not_a_workbook_is_refused_without_traceback(
    tmp_path: Path, index: Index, content: bytes
) -> None:
    """Text, empty, truncated or legacy .xls files are refused as not an Excel workbook."""
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    [err] = refused(path, index)
    assert err.message.startswith("not an Excel workbook") and err.location.file == str(path)


def test_damaged_zip_inside_is_refused(tmp_path: Path, index: Index) -> None:
    """A zip whose parts are not a workbook is refused, not a traceback."""
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<not-xml")
    [err] = refused(path, index)
    assert err.message.startswith("not an Excel workbook")


def test_a_workbook_without_the_template_sheet_is_refused(tmp_path: Path, index: Index) -> None:
    """A real workbook that is not a template says so."""
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    [err] = refused(path, index)
    assert err.message == "not a parindex template: no sheet 'Tự đánh giá'"
