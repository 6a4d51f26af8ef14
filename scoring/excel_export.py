"""Files parindex writes for people: the ranking annex (.xlsx, .csv) and a unit file's YAML.

``export_results`` and ``export_csv`` take the document of ``report.score_document``; numbers
in the workbook are numeric cells showing the published places, those in the CSV the published
strings. ``unit_yaml`` writes the canonical text of a unit file (README, "Campaign directory").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

# openpyxl ships no type information and types-openpyxl is not a dev dependency
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from .numbers import fmt, quantize
from .submission import nfc

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
_FIGURES = ("content", "survey", "bonus", "penalty", "points", "index")  # doc keys, in order
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="BDD7EE")
_TITLE_ROW, _GROUP_ROW, _HEAD_ROW = 1, 2, 3


def _areas(units: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The areas of some units, in order of first appearance: (id, header text)."""
    seen: dict[str, str] = {}
    for u in units:
        for a in u["areas"]:
            seen.setdefault(a["id"], f"{a['id']}. {nfc(a['title_vi'])}")
    return list(seen.items())


def _row(u: dict[str, Any], areas: list[tuple[str, str]]) -> list[Any]:
    """One unit's row as published strings (rank an int or None)."""
    points = {a["id"]: a["points"] for a in u["areas"]}
    label = (u.get("classification") or {}).get("label_vi", "")
    return [
        u["rank"],
        nfc(u["name"]),
        *(points.get(aid) for aid, _ in areas),
        *(u[k] for k in _FIGURES),
        nfc(label),
    ]


def _numeric(text: str, places: int) -> float:
    """A published decimal as an Excel number, refused unless it shows back the same."""
    exact = quantize(Decimal(text), places)
    value = float(exact)
    if format(value, f".{places}f") != fmt(exact):
        raise ValueError(f"{text} cannot be stored exactly as an Excel number")
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", nfc(title))[:31] or "Nhóm"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def export_results(doc: dict[str, Any], path: Path) -> None:
    """Write the ranking annex of a score document: one sheet per group."""
    places = int(doc["index"]["rounding"]["places"])
    number_format = "0." + "0" * places if places else "0"
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for group in doc["groups"]:
        ws = wb.create_sheet(_sheet_title(group["title_vi"], used))
        areas = _areas(group["units"])
        headers = [*FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER]
        first_num, last_num = 3, len(headers) - 1  # columns holding points (1-based)
        ws.cell(_TITLE_ROW, 1, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {doc['year']}")
        ws.cell(_TITLE_ROW, 1).font = Font(bold=True, size=14)
        ws.cell(_GROUP_ROW, 1, f"{nfc(group['title_vi'])} — {doc['campaign']}")
        ws.cell(_GROUP_ROW, 1).font = Font(bold=True)
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(_HEAD_ROW, c, text)
            cell.font = Font(bold=True)
            cell.fill = _HEAD
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            width = 40 if c == 2 else 14 if first_num <= c < len(headers) - 6 else 11
            ws.column_dimensions[get_column_letter(c)].width = width
        row = _HEAD_ROW
        for u in group["units"]:
            row += 1
            for c, value in enumerate(_row(u, areas), start=1):
                is_num = first_num <= c <= last_num and value is not None
                cell = ws.cell(row, c, _numeric(value, places) if is_num else value)
                cell.border = _BORDER
                if is_num:
                    cell.number_format = number_format
        meta = doc["index"]
        ws.cell(row + 2, 1, f"Chỉ số (index): {meta['id']}")
        ws.cell(row + 3, 1, f"Mã kiểm tra nội dung (content hash): {meta['content_hash']}")
        ws.freeze_panes = ws.cell(_HEAD_ROW + 1, 3)
        ws.row_dimensions[_HEAD_ROW].height = 60
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{_HEAD_ROW}:{_HEAD_ROW}"
    if doc.get("errors"):
        ws = wb.create_sheet(_sheet_title("Lỗi hồ sơ", used))
        ws.append(["Đơn vị (unit)", "Lỗi (error)"])
        for entry in doc["errors"]:
            for message in entry["errors"]:
                ws.append([entry["unit_id"], message])
        ws.column_dimensions["B"].width = 120
    wb.properties.title = f"{doc['campaign']} {doc['year']}"
    wb.properties.creator = "parindex"
    wb.save(path)


def export_csv(doc: dict[str, Any], path: Path) -> None:
    """Write every group's table to one UTF-8 CSV (with a BOM, for Excel)."""
    areas = _areas([u for g in doc["groups"] for u in g["units"]])
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["group", *FIXED_BEFORE, *(h for _, h in areas), *FIXED_AFTER])
        for group in doc["groups"]:
            for u in group["units"]:
                out.writerow(["" if v is None else v for v in [group["id"], *_row(u, areas)]])


# ---------------------------------------------------------------- a unit file's text


def unit_yaml(
    unit: str,
    index_id: str,
    answers: Mapping[str, Mapping[str, Any]],
    adjustments: Mapping[str, Mapping[str, Any]],
    comment: str = "",
) -> str:
    """A unit file's canonical YAML: quoted ids, exact decimals, ISO dates, NFC text."""
    lines = [f"# {' '.join(nfc(comment).split())}"] if comment else []
    lines += [f"unit: {_scalar(unit)}", f"index: {_scalar(index_id)}"]
    for name, items in (("answers", answers), ("adjustments", adjustments)):
        lines.append(f"{name}:" if items else f"{name}: {{}}")
        for key, answer in items.items():
            lines.append(f"  {_quote(key)}:")
            for field, value in answer.items():
                if field == "evidence":
                    lines.append("    evidence:")
                    lines.extend(f"    - {_scalar(ev, plain_keys=True)}" for ev in value)
                else:
                    lines.append(f"    {field}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


# what YAML refuses even inside quotes, and the line breaks it would fold: written as escapes
_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _quote(text: str) -> str:
    quoted = json.dumps(nfc(text), ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _scalar(value: Any, plain_keys: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else fmt(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = (f"{k if plain_keys else _quote(k)}: {_scalar(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return _quote(str(value))
