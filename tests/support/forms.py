"""A mini campaign whose survey comes as raw forms (``tests/data/mini-forms``), and forms
files written as the tests need them (CSV text, XLSX workbooks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

from tests.support.paths import MINI, MINI_FORMS

FORMS_LINE = "survey_forms: {design: survey-design.yaml, files: [forms.csv]}\n"


def forms_campaign(dest: Path, *, na_rule: bool = False) -> Path:
    """A copy of the mini campaign at ``dest`` counting its S.1 from the mini forms; with
    ``na_rule`` the design's rule below the minimum is ``not_applicable`` (S.1 allows N/A)."""
    shutil.copytree(MINI, dest)
    for f in MINI_FORMS.iterdir():
        shutil.copy(f, dest / f.name)
    camp = dest / "campaign.yaml"
    camp.write_text(
        camp.read_text(encoding="utf-8").replace(
            "survey: survey.yaml\n", "survey: survey.yaml\n" + FORMS_LINE
        ),
        encoding="utf-8",
    )
    if na_rule:
        edit(
            dest / "survey-design.yaml",
            "below_minimum: score_as_is",
            "below_minimum: not_applicable",
        )
        edit(
            dest / "criteria.yaml",
            "survey\n        rule: {kind: survey_weighted",
            "survey\n        na_allowed: true\n        rule: {kind: survey_weighted",
        )
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx workbook at ``path`` whose first sheet holds ``rows`` (header first)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
