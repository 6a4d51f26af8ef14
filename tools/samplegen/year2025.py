"""The 2025 sample campaign (samples/2025/): Lạng Sơn after the two-tier reform, drawn by the
same program as 2018 and 2019 from its own data.

Data: ``cases2025.yaml`` (15 departments and agencies, 65 xã and phường, the year's designed
cases), ``prose2025.yaml`` (the wording, with 2025's line departments) and ``register2025.yaml``
(validity dates, predecessors in the 2018 sample, districts ended with no successor). The
index, ``samples/2025/criteria.yaml``, is written by hand and copied into the folder unchanged.
The campaign is drawn and appraised by ``writing.write_year``; this module adds what 2025
has besides: the index copy, the campaign's time zone and the register.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import model_validator

from scoring import load_index
from scoring.sources.files import write_text
from scoring.sources.yamlsrc import dump_yaml, load_yaml_file
from tools.samplegen.context import Context
from tools.samplegen.data import CASES, HERE, Data, Record, load, read
from tools.samplegen.forms import design_yaml, forms_from_survey, write_forms_csv
from tools.samplegen.scorer import Scorer
from tools.samplegen.writing import ROOT, RULES, write_year
from tools.samplegen.yamlout import dump

YEAR = 2025
CASES_2025 = HERE / "cases2025.yaml"
PROSE_2025 = HERE / "prose2025.yaml"
REGISTER_2025 = HERE / "register2025.yaml"
CRITERIA_2025 = ROOT / "samples" / str(YEAR) / "criteria.yaml"
TIME_ZONE = "Asia/Ho_Chi_Minh"
COMMUNE_GROUP = "xa-phuong"
MINIMUM_SAMPLE = 30  # forms a unit needs for its survey to count


class Succession(Record):
    """A 2025 unit that exists only part of the year, with the 2018 units it continues."""

    id: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    predecessors: list[str] = []


class Ended(Record):
    """A 2018 unit abolished during the year with no successor."""

    id: str
    name: str


class Register(Record):
    """The whole of register2025.yaml."""

    in_campaign: bool  # write the keys into campaign.yaml (True) or register.yaml (False)
    units: list[Succession]
    communes_from: dt.date  # every unit of the commune group starts that day
    ended: list[Ended]
    ended_on: dt.date
    ended_note_vi: str

    @model_validator(mode="after")
    def _within_the_year(self) -> Register:
        for u in self.units:
            for day in (u.valid_from, u.valid_to):
                if day is not None and day.year != YEAR:
                    raise ValueError(f"{u.id}: {day} is not in {YEAR}")
        if self.communes_from.year != YEAR or self.ended_on.year != YEAR:
            raise ValueError(f"communes_from and ended_on must fall in {YEAR}")
        return self


def load_2025() -> Data:
    """The 2025 cases and wording."""
    return load(CASES_2025, PROSE_2025)


def load_register(data: Data, path: Path = REGISTER_2025) -> Register:
    """register2025.yaml, checked against the 2025 units and the 2018 sample's units."""
    register: Register = read(Register, path)
    ours = {u.id for u in data.cases.units}
    before = {u.id for u in load(CASES).cases.units}  # the 2018 sample's units
    problems = [f"{u.id}: not a 2025 unit" for u in register.units if u.id not in ours]
    for u in register.units:
        problems += [
            f"{u.id}: predecessor {p} is not a 2018 unit" for p in u.predecessors if p not in before
        ]
    continued = {p for u in register.units for p in u.predecessors}
    for e in register.ended:
        if e.id not in before or e.id in continued:
            problems.append(f"ended {e.id}: not a 2018 unit, or it has a successor")
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return register


def register_entries(data: Data, register: Register) -> tuple[list[dict[str, Any]], list[Any]]:
    """Per unit, the register keys it carries (in the units' order), and the ended units."""
    by_id = {u.id: u for u in register.units}
    entries: list[dict[str, Any]] = []
    for unit in data.cases.units:
        if unit.id in by_id:
            keys = by_id[unit.id].model_dump(exclude_none=True, exclude_defaults=True)
        elif unit.group == COMMUNE_GROUP:
            keys = {"id": unit.id, "valid_from": register.communes_from}
        else:
            continue
        entries.append(keys)
    ended = [
        {"id": e.id, "name": e.name, "on": register.ended_on, "note_vi": register.ended_note_vi}
        for e in register.ended
    ]
    return entries, ended


def write_register(folder: Path, data: Data, register: Register) -> None:
    """The register: into campaign.yaml's units if switched on, else beside it."""
    entries, ended = register_entries(data, register)
    generated = data.prose.files.generated
    if not register.in_campaign:
        header = "Register of units for 2025 (validity, predecessors in samples/2018, ended units)"
        dump(folder / "register.yaml", {"units": entries, "ended": ended}, header, generated)
        return
    # units without tags are written one a line (`- {id: ..., submitted_on: ...}`): the keys
    # go at the end of that line; ended units follow the units
    path = folder / "campaign.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keyed = {e["id"]: e for e in entries}
    for i, line in enumerate(lines):
        uid = line.removeprefix("- {id: ").split(",", 1)[0]
        if line.startswith("- {id: ") and uid in keyed:
            extra = ", ".join(f"{k}: {_flow(v)}" for k, v in keyed.pop(uid).items() if k != "id")
            lines[i] = line.rstrip("}\n") + f", {extra}}}\n"
    if keyed:
        raise ValueError(f"units not written one a line in campaign.yaml: {', '.join(keyed)}")
    rows = [
        f"- {{id: {e['id']}, name: {e['name']}, 'on': {e['on'].isoformat()}, "
        f"note_vi: '{e['note_vi']}'}}\n"
        for e in ended
    ]
    write_text(path, "".join([*lines, "ended:\n", *rows]), newline="\n")


def _flow(value: Any) -> str:
    """A register value as one flow-style YAML scalar or list."""
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def drop_unsurveyed(folder: Path, data: Data) -> None:
    """survey.yaml without the units that have nothing to answer (tagged no_procedures, the
    survey block exempt): an empty entry would erase a unit's results when imported."""
    path = folder / "survey.yaml"
    text = path.read_text(encoding="utf-8")
    for unit in data.cases.units:
        text = text.replace(f"\n  {unit.id}: {{}}\n", "\n")
    write_text(path, text, newline="\n")


def add_time_zone(folder: Path) -> None:
    """campaign.yaml states its time zone (the writer of 2018 and 2019 leaves the default)."""
    path = folder / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    mark = "late_submission: flag  # flag | refuse\n"
    write_text(path, text.replace(mark, f"{mark}time_zone: {TIME_ZONE}\n"), newline="\n")


def add_forms(folder: Path) -> None:
    """The survey as its raw forms: ``forms.csv`` (one row per answered form) and
    ``survey-design.yaml`` drawn from survey.yaml's counts, which the forms then count back to;
    survey.yaml keeps only what no form gives, and campaign.yaml names the forms. A unit below
    the minimum sample of 30 forms has its survey leaves not applicable (rescaled, as Thanh
    Hóa scores units without a survey on 84)."""
    path = folder / "survey.yaml"
    survey, _ = load_yaml_file(path)
    design, rows = forms_from_survey(survey["units"], year=YEAR, seed=YEAR, minimum=MINIMUM_SAMPLE)
    design["below_minimum"] = "not_applicable"
    write_text(folder / "survey-design.yaml", design_yaml(design), newline="\n")
    write_forms_csv(folder / "forms.csv", rows, list(design["questions"]))
    fed = {q["leaf"] for q in design["questions"].values()}
    kept = {
        uid: {leaf: answer for leaf, answer in answers.items() if leaf not in fed}
        for uid, answers in survey["units"].items()
    }
    header = "".join(
        line + "\n"
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    note = (
        "# The counted leaves come from forms.csv (survey-design.yaml); this file keeps the rest.\n"
    )
    write_text(
        path,
        header + note + dump_yaml({"units": {u: a for u, a in kept.items() if a}}),
        newline="\n",
    )
    camp = folder / "campaign.yaml"
    text = camp.read_text(encoding="utf-8")
    forms = "survey_forms: {design: survey-design.yaml, files: [forms.csv]}\n"
    write_text(
        camp,
        text.replace("survey: survey.yaml\n", "survey: survey.yaml\n" + forms, 1),
        newline="\n",
    )


def generate_2025(out: Path, data: Data | None = None) -> None:
    """Write the 2025 campaign into ``out/2025``: the index copy, the year, the register."""
    data = data or load_2025()
    register = load_register(data)
    folder = out / str(YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    own = folder / "criteria.yaml"
    if own.resolve() != CRITERIA_2025.resolve():
        write_text(own, CRITERIA_2025.read_text(encoding="utf-8"), newline="\n")
    index = load_index(own, RULES)
    for year in data.cases.years:
        write_year(Context(data, year, index, Scorer(index), folder))
    add_time_zone(folder)
    drop_unsurveyed(folder, data)
    add_forms(folder)
    write_register(folder, data, register)
