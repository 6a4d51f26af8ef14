"""The command line: tables, JSON, explain, and every kind of bad input as a located message."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoring.cli import app
from tests.support.paths import MINI, ROOT

runner = CliRunner()


def run(*args: str, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    if cwd is not None:
        import os

        old = os.getcwd()
        os.chdir(cwd)
        try:
            return runner.invoke(app, list(args))
        finally:
            os.chdir(old)
    return runner.invoke(app, list(args))


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A writable copy of the mini campaign."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


def test_check_prints_a_summary() -> None:
    """check validates the index and its packs and reports what it compiled."""
    r = run("check", str(MINI / "criteria.yaml"))
    assert r.exit_code == 0, r.output
    assert "mini-2018" in r.stdout and "10 tiêu chí chấm điểm" in r.stdout
    assert "bộ quy tắc durable-rules" in r.stdout


def test_score_prints_ranking_tables() -> None:
    """score prints a table per group with rank, unit, points, index and class."""
    r = run("score", str(MINI))
    assert r.exit_code == 0, r.output
    assert "Sở A" in r.stdout and "93,00" in r.stdout and "Tốt" in r.stdout


def test_score_json_document() -> None:
    """--json prints the documented document with Decimals as strings."""
    r = run("score", str(MINI), "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["format"] == "parindex.score/1"
    assert doc["index"]["id"] == "mini-2018" and len(doc["index"]["content_hash"]) == 64
    unit = doc["groups"][0]["units"][0]
    assert set(unit) >= {
        "unit_id",
        "name",
        "group",
        "points",
        "max_points",
        "index",
        "classification",
        "rank",
        "areas",
    }
    assert unit["unit_id"] == "a" and unit["points"] == "93.00" and unit["index"] == "93.00"
    assert unit["areas"][0] == {
        "id": "1",
        "title_vi": "Chỉ đạo điều hành",
        "title_en": None,
        "points": "48.00",
        "max": "50.00",
        "full_max": "50.00",
    }
    assert isinstance(unit["rank"], int)


def test_explain_whole_and_below_a_node() -> None:
    """explain prints each rule that fired, its inputs and points; NODE narrows it."""
    r = run("explain", "b", "1", "--campaign", str(MINI))
    assert r.exit_code == 0, r.output
    assert "quy tắc 1.2#late_2" in r.stdout and "Số ngày trễ" in r.stdout
    assert "S.1" not in r.stdout
    j = run("explain", "b", "--campaign", str(MINI), "--json")
    doc = json.loads(j.stdout)
    assert doc["format"] == "parindex.trace/1" and doc["steps"][-1]["node"] == "total"


def test_explain_unknown_unit_or_node_suggests() -> None:
    """A mistyped unit or node id gets a suggestion and exit 1."""
    r = run("explain", "bb", "--campaign", str(MINI))
    assert r.exit_code == 1 and "did you mean 'b'" in r.output
    r = run("explain", "b", "1.33", "--campaign", str(MINI))
    assert r.exit_code == 1 and "no node '1.33'" in r.output


# (file, old, new, expected message, line)
BAD_INPUTS = [
    ("criteria.yaml", "max: 50", "max: 50\n    max: 50", "duplicate key 'max'", 28),
    (
        "criteria.yaml",
        "  ranking: {tie_policy: competition, precision: 1}",
        "  ranking: {tie_policy: competition, precision: 1",
        "invalid YAML",
        None,
    ),
    (
        "criteria.yaml",
        "    title_vi: Chỉ đạo điều hành",
        "    title_vi: Chỉ đạo điều hành\n    mx: 3",
        "unknown key 'mx' (did you mean 'max'?)",
        27,
    ),
    (
        "criteria.yaml",
        "            - {min: 95, max: 100, points: 5}",
        "            - {min: 95, max: 99, points: 5}",
        "gap: between bands",
        45,
    ),
    (
        "units/a.yaml",
        '"1.3": {numerator: 100',
        '"1.33": {numerator: 100',
        "no scored item '1.33' in this group (did you mean '1.3'?)",
        5,
    ),
    ("units/a.yaml", "{count: 5}", "{count: five}", "expected a whole number >= 0, got 'five'", 7),
    (
        "units/a.yaml",
        "{numerator: 80, denominator: 100}",
        "{numerator: 180, denominator: 100}",
        "numerator 180 exceeds denominator 100",
        6,
    ),
    (
        "units/a.yaml",
        '"2.3": {level: tot}',
        '"2.3": {level: tot, colour: red}',
        "unknown key 'colour'",
        9,
    ),
    ("units/a.yaml", "unit: a", "unit: b", "this file is for unit 'b'", 1),
    ("units/a.yaml", "unit: a", "unit: a\nindex: mini-2019", "answers index 'mini-2019'", 2),
    (
        "campaign.yaml",
        "{id: b, name: Sở B, group: department}",
        "{id: b, name: Sở B, group: departmnt}",
        "unknown group 'departmnt' (did you mean",
        9,
    ),
    ("council.yaml", "{score: 10, reason: Tốt}", "{score: 10}", "needs a non-empty reason", 2),
    (
        "units/a.yaml",
        '  "2.3": {level: tot}',
        '  "2.3": {level: tot}\n  "1.5": {score: 10, reason: x}',
        "item 1.5 is answered twice",
        "council.yaml:2:",
    ),
    (
        "council.yaml",
        'c: {"1.5": {score: 5, reason: Còn thiếu nội dung}}',
        'c: {"1.5": {score: 5, reason: Còn thiếu nội dung}, "2.1": {count: 1}}',
        "item 2.1 is assessed by self: its answer belongs in the unit's own file",
        4,
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "message", "line"), BAD_INPUTS, ids=[b[3][:40] for b in BAD_INPUTS]
)
def test_bad_input_is_a_located_message_and_exit_1(
    campaign: Path, name: str, old: str, new: str, message: str, line: int | str | None
) -> None:
    """Each kind of bad input names the file and line, exits 1 and prints no traceback (in
    English here, to read the messages as written; Vietnamese below)."""
    path = campaign / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    r = run("--lang", "en", "score", str(campaign))
    assert r.exit_code == 1, r.output
    assert message in r.output
    assert "Traceback" not in r.output
    where = line if isinstance(line, str) else f"{name}:{line}:" if line else f"{name}:"
    assert where in r.output


# (file, old, new, the Vietnamese words of the message, line)
BAD_INPUTS_VI = [
    ("criteria.yaml", "max: 50", "max: 50\n    max: 50", "khóa 'max' bị lặp lại", 28),
    (
        "criteria.yaml",
        "    title_vi: Chỉ đạo điều hành",
        "    title_vi: Chỉ đạo điều hành\n    mx: 3",
        "không có khóa 'mx' ở đây (có phải là 'max'?)",
        27,
    ),
    (
        "units/a.yaml",
        "{count: 5}",
        "{count: five}",
        "cần một số nguyên từ 0 trở lên, nhận 'five'",
        7,
    ),
    (
        "units/a.yaml",
        "{numerator: 80, denominator: 100}",
        "{numerator: 180, denominator: 100}",
        "số đạt yêu cầu (180) lớn hơn tổng số (100)",
        6,
    ),
    ("council.yaml", "{score: 10, reason: Tốt}", "{score: 10}", "cần ghi rõ lý do", 2),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "message", "line"), BAD_INPUTS_VI, ids=[b[3][:40] for b in BAD_INPUTS_VI]
)
def test_bad_input_is_told_in_vietnamese_by_default(
    campaign: Path, name: str, old: str, new: str, message: str, line: int
) -> None:
    """A unit's or the index's mistake reads in Vietnamese, with its file and line, the trail
    of where in the file in Vietnamese too ("Khóa: …"), and none of the English words."""
    path = campaign / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    r = run("score", str(campaign))
    assert r.exit_code == 1, r.output
    assert f"lỗi: {path}:{line}:" in r.output and message in r.output, r.output
    assert "At key" not in r.output and "error:" not in r.output


def test_one_bad_unit_does_not_stop_the_others(campaign: Path) -> None:
    """The other units are scored and ranked; the bad one is reported; the exit code is 1."""
    p = campaign / "units" / "b.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("{value: true}", "{value: maybe}"))
    r = run("score", str(campaign), "--json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert [u["unit_id"] for u in doc["groups"][0]["units"]] == ["a", "c"]
    assert (
        doc["errors"][0]["unit_id"] == "b"
        and "expected true or false" in doc["errors"][0]["errors"][0]
    )
    # --json keeps the exact English words; the person reading stderr gets Vietnamese ones
    assert "Không chấm được điểm đơn vị b:" in r.stderr
    assert "cần có (true) hoặc không (false), nhận 'maybe'" in r.stderr


def test_missing_campaign_and_usage_errors(tmp_path: Path) -> None:
    """A missing folder is exit 1 with a message; a wrong option is a usage error (2)."""
    r = run("--lang", "en", "score", str(tmp_path / "nope"))
    assert r.exit_code == 1 and "file not found" in r.output
    r = run("--lang", "en", "score", str(MINI), "--colour")
    assert r.exit_code == 2


def test_yaml_object_tag_is_refused(campaign: Path) -> None:
    """A YAML tag that would build a Python object is refused, never executed."""
    p = campaign / "units" / "a.yaml"
    p.write_text("unit: !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    r = run("--lang", "en", "score", str(campaign))
    assert r.exit_code == 1 and "not allowed" in r.output
    assert not Path("pwned").exists()


def test_console_script_runs_as_a_process() -> None:
    """The installed entry point works from a shell, with the same exit codes."""
    exe = Path(sys.executable).parent / "parindex"
    ok = subprocess.run(
        [str(exe), "check", str(MINI / "criteria.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [str(exe), "check", str(ROOT / "README.md")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_one_bad_survey_entry_spoils_only_its_unit(campaign: Path) -> None:
    """A misspelled field for one unit, or an unknown unit, in survey.yaml stops nobody else."""
    p = campaign / "survey.yaml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("S.2: {value: 75.5}", "S.2: {valeu: 75.5}")
        + "  zz: {S.2: {value: 80}}\n",
        encoding="utf-8",
    )
    r = run("--lang", "en", "score", str(campaign), "--json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert [u["unit_id"] for u in doc["groups"][0]["units"]] == ["a", "c"]
    assert "did you mean 'value'" in r.stderr and "unknown unit 'zz'" in r.stderr


def test_check_json_reports_summary_or_located_errors(campaign: Path) -> None:
    """check --json prints the summary, or every error with file, line and path."""
    r = run("check", str(campaign / "criteria.yaml"), "--json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["ok"] and doc["groups"]["department"]["leaves"] == 10
    p = campaign / "criteria.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("max: 50", "max: 49"), encoding="utf-8")
    r = run("check", str(p), "--json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 1 and not doc["ok"]
    assert doc["errors"][0]["line"] == 27 and doc["errors"][0]["path"] == [
        "Area(id='1')",
        "At key: max",
    ]


def test_numbers_that_would_hang_or_overflow_are_refused(campaign: Path) -> None:
    """Huge exponents, huge integers and base-60 numbers are input errors, not hangs."""
    p = campaign / "units" / "a.yaml"
    base = p.read_text(encoding="utf-8")
    for bad, message in (
        ("{count: 1.0e+99999999}", "out of range"),
        ("{count: " + "9" * 5000 + "}", "more than 30 digits"),
        ("{count: 1:30}", "is not a number"),
    ):
        p.write_text(base.replace("{count: 5}", bad), encoding="utf-8")
        r = run("--lang", "en", "score", str(campaign))
        assert r.exit_code == 1 and message in r.output and "a.yaml:7" in r.output
