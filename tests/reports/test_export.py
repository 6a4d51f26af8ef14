"""The plain ranking annex of a score document (``parindex export``): .xlsx and .csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring import Index, load_campaign, score_document
from scoring.evaluation.ranking import score_campaign
from scoring.reports.export import export_csv, export_results
from tests.support.paths import SAMPLES


@pytest.fixture(scope="module")
def doc(real_index: Index) -> dict[str, Any]:
    """The score document of the 2018 samples, as ``parindex score --json`` prints it."""
    return score_document(score_campaign(real_index, load_campaign(SAMPLES)))


def test_export_results_has_numeric_cells_equal_to_the_document(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    """Each group's sheet shows the document's figures as numbers at the published places."""
    path = tmp_path / "ketqua.xlsx"
    export_results(doc, path)
    wb = openpyxl.load_workbook(path, data_only=True)
    assert len(wb.sheetnames) == len(doc["groups"])
    for group, ws in zip(doc["groups"], wb.worksheets, strict=True):
        assert "2018" in ws["A1"].value and doc["campaign"] in ws["A1"].value
        assert ws["A2"].value == group["title_vi"]
        header = [c.value for c in ws[3]]
        assert header[:2] == ["Hạng", "Đơn vị"] and header[-1] == "Xếp loại"
        assert all(c.font.b for c in ws[3])
        n_areas = len(group["units"][0]["areas"])
        for i, u in enumerate(group["units"]):
            row = [c for c in ws[4 + i]]
            assert row[0].value == u["rank"] and row[1].value == u["name"]
            want = [a["points"] for a in u["areas"]]
            want += [u[k] for k in ("content", "survey", "bonus", "penalty", "points", "index")]
            cells = row[2 : 2 + n_areas + 6]
            assert [c.data_type for c in cells] == ["n"] * len(want)
            assert [format(c.value, ".2f") for c in cells] == want
            assert {c.number_format for c in cells} == {"0.00"}
            assert row[2 + n_areas + 6].value == u["classification"]["label_vi"]
        footer = [ws.cell(r, 1).value for r in range(ws.max_row - 1, ws.max_row + 1)]
        assert doc["index"]["content_hash"] in footer[1] and doc["index"]["id"] in footer[0]


def test_export_csv_matches_the_document(tmp_path: Path, doc: dict[str, Any]) -> None:
    """The CSV has a BOM, a group column first and the published decimal strings."""
    path = tmp_path / "ketqua.csv"
    export_csv(doc, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["group", "Hạng", "Đơn vị"] and rows[0][-1] == "Xếp loại"
    units = [(g["id"], u) for g in doc["groups"] for u in g["units"]]
    assert len(rows) == 1 + len(units)
    head = rows[0]
    for (gid, u), row in zip(units, rows[1:], strict=True):
        got = dict(zip(head, row, strict=True))
        assert row[:3] == [gid, str(u["rank"] or ""), u["name"]]
        for a in u["areas"]:
            assert got[f"{a['id']}. {a['title_vi']}"] == a["points"]
        figures = [u[k] for k in ("content", "survey", "bonus", "penalty", "points", "index")]
        assert row[-7:-1] == figures and row[-1] == u["classification"]["label_vi"]
    areas = head[3:-7]
    assert [a.split(".")[0] for a in areas] == ["1", "2", "3", "4", "5", "6", "7", "8", "S"]


def test_export_refuses_a_figure_excel_cannot_hold(tmp_path: Path, doc: dict[str, Any]) -> None:
    """A figure that would not show back the same at the published places is refused."""
    bad = {**doc, "groups": [{**doc["groups"][0], "units": [dict(doc["groups"][0]["units"][0])]}]}
    bad["groups"][0]["units"][0]["points"] = "12345678901234567.89"
    with pytest.raises(ValueError, match="cannot be stored exactly"):
        export_results(bad, tmp_path / "x.xlsx")
