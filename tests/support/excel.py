"""Typing answers into a self-assessment template as a person would (tests and ``fuzz/``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from scoring import Index
from scoring.excel.template import ADJ_SHEET, FIRST_ROW, KEY_ROW, SHEET


def columns(ws: Any) -> dict[str, int]:
    """The template's columns by the key in row 9."""
    return {ws.cell(KEY_ROW, c).value: c for c in range(1, ws.max_column + 1)}


def row_of(ws: Any, item: str) -> int:
    """The row of an item id in column A."""
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value == item:
            return r
    raise KeyError(item)


def cell_value(field: str, value: Any, index: Index, item: str) -> Any:
    """What a person would type for ``value``: Có/Không, dates, plain numbers, levels."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None and field == "done_on":
        return "Chưa thực hiện"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    leaves = index.groups["department"].leaves
    if field == "level" and item in leaves and item < "5":  # labels in areas 1-4, keys after
        return leaves[item].node.rule.levels[value].label_vi
    return value


def fill_sheet(ws: Any, answers: dict[str, Any], index: Index) -> None:
    """Type answers into a template sheet, one evidence document a row."""
    cols = columns(ws)
    rows = {a: row_of(ws, a) for a in answers}
    for item, ans in sorted(answers.items(), key=lambda kv: -rows[kv[0]]):  # bottom-up: inserts
        r = rows[item]
        for field, value in ans.items():
            if field == "evidence":
                for i, ev in enumerate(value):
                    if i:
                        ws.insert_rows(r + i)
                    for k, v in ev.items():
                        ws.cell(r + i, cols[f"evidence.{k}"], v)
                continue
            key = field
            if field == "value":
                key = "value:bool" if isinstance(value, bool) else "value:number"
            ws.cell(r, cols[key], cell_value(field, value, index, item))


def fill(path: Path, answers: dict[str, Any], adjustments: dict[str, Any], index: Index) -> None:
    """Type a unit's answers and adjustments into the template at ``path``, and save it."""
    wb = openpyxl.load_workbook(path)
    fill_sheet(wb[SHEET], answers, index)
    fill_sheet(wb[ADJ_SHEET], adjustments, index)
    wb.save(path)
