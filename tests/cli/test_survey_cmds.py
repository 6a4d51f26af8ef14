"""The survey-forms commands end to end: score and campaign run from raw forms, the quota
report, import-forms, and a bad form refused with its file:row:column and exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run
from tests.support.forms import forms_campaign


def test_score_json_publishes_satisfaction(tmp_path: Path) -> None:
    """score --json gives each unit's satisfaction and the group mean; the table has them too."""
    folder = forms_campaign(tmp_path / "camp")
    r = run("score", str(folder), "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    group = doc["groups"][0]
    assert group["satisfaction"] == "49.84"
    assert {u["unit_id"]: u["satisfaction"] for u in group["units"]} == {
        "a": "66.67",
        "b": "20.00",
        "c": "62.86",
    }
    table = run("score", str(folder)).stdout
    assert "Hài lòng (%)" in table and "66,67" in table and "49,84 %" in table


def test_quota_report_lists_shortfall_and_below_minimum(tmp_path: Path) -> None:
    """survey quota gives sample, quota and shortfall per unit and the rule below the minimum."""
    folder = forms_campaign(tmp_path / "camp")
    r = run("survey", "quota", str(folder), "--json")
    assert r.exit_code == 0, r.output
    units = {u["unit_id"]: u for u in json.loads(r.stdout)["units"]}
    assert (units["a"]["shortfall"], units["b"]["below_minimum"]) == (1, True)
    text = run("survey", "quota", str(folder)).stdout
    assert "Dưới mức tối thiểu 3 phiếu (áp dụng: chấm theo số phiếu thu được): b" in text


def test_bad_form_exits_1_naming_file_row_column(tmp_path: Path) -> None:
    """A forms file with a bad option fails score with exit 1 and file:row:column, no traceback."""
    folder = forms_campaign(tmp_path / "camp")
    forms = folder / "forms.csv"
    forms.write_bytes(
        forms.read_bytes().replace(
            b"F05,a,nguoi-dan,giay,09/11/2018,A,B", b"F05,a,nguoi-dan,giay,09/11/2018,A,Z"
        )
    )
    r = run("score", str(folder))
    assert r.exit_code == 1
    assert "forms.csv:6:7: question Q2: 'Z' is not one of its options" in r.output
    assert "Traceback" not in r.output


def test_campaign_run_and_import_forms(tmp_path: Path) -> None:
    """campaign run counts the forms into the published ranking; import-forms after
    publication is refused (the results are frozen)."""
    folder = forms_campaign(tmp_path / "camp")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(folder), "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["groups"][0]["satisfaction"] == "49.84"
    r = run(
        "--db",
        db,
        "--actor",
        "snv",
        "survey",
        "import-forms",
        "mini-2018",
        str(folder / "survey-design.yaml"),
        str(folder / "forms.csv"),
    )
    assert r.exit_code == 1 and "frozen" in r.output
