"""Raw survey forms that count to a campaign's survey results: for a sample campaign whose
``survey.yaml`` and ``forms.csv`` must agree (the 2025 sample calls this).

``forms_from_survey`` turns the ``units:`` of a survey file (per unit, per leaf ``responses:
{A: n, …}``) into a survey design and one row per form such that counting the forms (parindex's
``survey_tally``) gives back exactly those responses. Each unit gets as many forms as its most
answered leaf has responses; every other leaf's answers are spread over them at random, the rest
of its cells left blank (not answered), so every form answers at least one question. Leaves
answered with a ``value`` (a figure from another system) are not asked. Respondent groups,
modes and dates (within the campaign's year) are drawn from a seeded generator: the same inputs
always give the same bytes. ``write_forms_csv`` writes the rows as Excel's "CSV UTF-8" (BOM,
CRLF); ``design_yaml`` the design.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scoring.campaign.survey_forms import FIXED
from scoring.sources.files import write_text
from scoring.sources.yamlsrc import dump_yaml

RESPONDENTS = {
    "lanh-dao": "Lãnh đạo cơ quan, đơn vị",
    "cong-chuc": "Công chức, viên chức",
    "nguoi-dan": "Người dân, doanh nghiệp",
}
MODES = {"giay": "Phiếu giấy", "ung-dung": "Ứng dụng CNTT", "buu-chinh": "Bưu chính"}


def forms_from_survey(
    survey: Mapping[str, Mapping[str, Any]],
    *,
    year: int,
    seed: int = 0,
    minimum: int = 10,
    quota: int | None = None,
    respondents: Mapping[str, str] = RESPONDENTS,
    modes: Mapping[str, str] = MODES,
    groups: list[str] | None = None,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The design (as written to YAML) and the forms (column -> cell text, header order) that
    count to ``survey`` (unit id -> leaf id -> answer). ``quota`` defaults to the largest
    sample; ``minimum`` and ``groups`` (unit groups rated) go to the design as they are; the
    design scores a unit below the minimum as it is, so the counts stay those of ``survey``."""
    questions: dict[str, dict[str, Any]] = {}
    leaf_question: dict[str, str] = {}
    for answers in survey.values():
        for leaf, answer in answers.items():
            counts = answer.get("responses") if isinstance(answer, Mapping) else None
            if not isinstance(counts, Mapping):
                continue
            if leaf not in leaf_question:
                leaf_question[leaf] = f"Q{len(leaf_question) + 1}"
                questions[leaf_question[leaf]] = {"leaf": leaf, "options": []}
            options = questions[leaf_question[leaf]]["options"]
            options.extend(str(o) for o in counts if str(o) not in options)
    rows: list[dict[str, str]] = []
    largest = 0
    for uid, answers in survey.items():
        rng = random.Random(f"{seed}:{uid}")  # a unit's forms do not depend on the others'
        columns: dict[str, list[str]] = {}
        for leaf, q in leaf_question.items():
            counts = (answers.get(leaf) or {}).get("responses") if leaf in answers else None
            if isinstance(counts, Mapping):
                columns[q] = [str(o) for o, n in counts.items() for _ in range(int(n))]
        size = max((len(v) for v in columns.values()), default=0)
        largest = max(largest, size)
        for cells in columns.values():
            cells.extend([""] * (size - len(cells)))
            rng.shuffle(cells)
        for k in range(size):
            day = dt.date(year, 10, 1) + dt.timedelta(days=rng.randrange(61))
            row = {
                "form_id": f"P{len(rows) + 1:06d}",
                "unit": uid,
                "respondent": rng.choice(list(respondents)),
                "mode": rng.choice(list(modes)),
                "date": day.strftime("%d/%m/%Y"),
            }
            row.update({q: columns[q][k] if q in columns else "" for q in questions})
            rows.append(row)
    design: dict[str, Any] = {
        "questions": questions,
        "respondents": dict(respondents),
        "modes": dict(modes),
        **({"groups": groups} if groups is not None else {}),
        "quota": {"default": quota or max(largest, minimum)},
        "minimum": minimum,
        "below_minimum": "score_as_is",
    }
    return design, rows


def forms_csv(rows: list[dict[str, str]], questions: list[str]) -> str:
    """The forms as Excel's "CSV UTF-8": a BOM, commas, CRLF, the header first."""
    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([*FIXED, *questions])
    for row in rows:
        out.writerow([row[c] for c in (*FIXED, *questions)])
    return "\ufeff" + buf.getvalue()


def write_forms_csv(path: Path, rows: list[dict[str, str]], questions: list[str]) -> Path:
    """Write the forms to ``path`` (atomically) as ``forms_csv`` gives them (its CRLF kept as
    they are, on Windows too)."""
    return write_text(path, forms_csv(rows, questions), newline="")


def design_yaml(design: Mapping[str, Any]) -> str:
    """The design as the YAML text of a ``survey-design.yaml``."""
    return "# Survey design (generated by tools/samplegen/forms.py)\n" + dump_yaml(dict(design))
