"""The plain ranking annex of a published score document: ``parindex export`` to .xlsx or .csv.

``export_results`` and ``export_csv`` take the document of ``score_document`` (as published,
``store.publication.published``): rank, unit, points by area, the totals and the class, one
table per group. The workbook is written by the one annex writer (``scoring.reports.xlsx``),
its figures numeric cells showing the published places; the CSV holds the published strings.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl.styles import Font  # type: ignore[import-untyped]  # no stubs (see excel.writer)

from scoring.reports.xlsx import (
    AnnexTable,
    add_group_sheet,
    annex_workbook,
    number,
    save_annex,
    sheet_title,
)
from scoring.sources.files import atomic_open
from scoring.sources.text import nfc

FIXED_BEFORE = ("Hạng", "Đơn vị")
FIXED_AFTER = (
    "Điểm nội dung",
    "Điểm khảo sát",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Chỉ số",
    "Xếp loại",
)
FIGURES = ("content", "survey", "bonus", "penalty", "points", "index")  # doc keys, in order
HEAD_ROW = 3  # below the title and the group's name
ERRORS_SHEET = "Lỗi hồ sơ"


def export_results(doc: dict[str, Any], path: Path) -> None:
    """Write the ranking annex of a score document: one sheet per group (and one listing the
    units that could not be scored, if any)."""
    places = int(doc["index"]["rounding"]["places"])
    wb = annex_workbook()
    used: set[str] = set()
    for group in doc["groups"]:
        add_group_sheet(wb, used, _table(doc, group, places), places)
    if doc.get("errors"):
        ws = wb.create_sheet(sheet_title(ERRORS_SHEET, used))
        ws.append(["Đơn vị (unit)", "Lỗi (error)"])
        for entry in doc["errors"]:
            for message in entry["errors"]:
                ws.append([entry["unit_id"], message])
        ws.column_dimensions["B"].width = 120
    save_annex(wb, path, f"{doc['campaign']} {doc['year']}")


def export_csv(doc: dict[str, Any], path: Path) -> None:
    """Write every group's table to one UTF-8 CSV (with a BOM, for Excel)."""
    areas = _areas([u for g in doc["groups"] for u in g["units"]])
    with atomic_open(path, encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["group", *FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER])
        for group in doc["groups"]:
            for u in group["units"]:
                out.writerow(["" if v is None else v for v in [group["id"], *_row(u, areas)]])


def _table(doc: dict[str, Any], group: dict[str, Any], places: int) -> AnnexTable:
    """One group's sheet: figures as numbers (the columns from the first area to the index)."""
    areas = _areas(group["units"])
    headers = [*FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER]
    first_num, last_num = 3, len(headers) - 1  # columns holding points (1-based)
    widths = [
        40 if c == 2 else 14 if first_num <= c < len(headers) - 6 else 11
        for c in range(1, len(headers) + 1)
    ]
    rows = [
        [
            number(value, places) if first_num <= c <= last_num and value is not None else value
            for c, value in enumerate(_row(u, areas), start=1)
        ]
        for u in group["units"]
    ]
    meta = doc["index"]
    title = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {doc['year']} ({doc['campaign']})"
    return AnnexTable(
        title=group["title_vi"],
        top=((title, Font(bold=True, size=14)), (nfc(group["title_vi"]), Font(bold=True))),
        head_row=HEAD_ROW,
        headers=headers,
        widths=widths,
        rows=rows,
        notes=(
            f"Chỉ số (index): {meta['id']}",
            f"Mã kiểm tra nội dung (content hash): {meta['content_hash']}",
        ),
        print_header=f"{doc['campaign']} — {group['title_vi']}",
    )


def _areas(units: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The areas of some units, each after its predecessor in a unit's list: (id, header)."""
    order: list[str] = []
    header: dict[str, str] = {}
    for u in units:
        before = -1
        for a in u["areas"]:
            if a["id"] not in header:
                header[a["id"]] = f"{a['id']}. {nfc(a['title_vi'])}"
                order.insert(before + 1, a["id"])
            before = order.index(a["id"])
    return [(aid, header[aid]) for aid in order]


def _row(u: dict[str, Any], areas: list[tuple[str, str]]) -> list[Any]:
    """One unit's row as published strings (rank an int or None)."""
    points = {a["id"]: a["points"] for a in u["areas"]}
    label = (u.get("classification") or {}).get("label_vi", "")
    return [
        u["rank"],
        nfc(u["name"]),
        *(points.get(aid) for aid, _ in areas),
        *(u[k] for k in FIGURES),
        nfc(label),
    ]
