"""The unit-file doors (issue 13): JSON like YAML, no silent drops, bounded self-scores, no NaN."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scoring import Index
from scoring.campaign.folder import read_unit_text
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Submission, UnitSpec
from scoring.errors import ErrorList, ParindexError
from tests.support import indexes
from tests.support.cli import run
from tests.support.paths import MINI


def refusals(text: str, name: str) -> list[ParindexError]:
    """Every error reading and checking a unit file of unit a raises (none: [])."""
    sub = Submission(UnitSpec(id="a", name="Sở A", group="department"))
    try:
        read_unit_text(text, name, sub)
        prepare(indexes.mini(), sub)
    except ParindexError as exc:
        return exc.errors if isinstance(exc, ErrorList) else [exc]
    return []


def test_json_date_scores_as_the_yaml_date(mini_index: Index) -> None:
    """A deadline leaf's done_on "2018-01-20" in JSON is the date YAML reads from 2018-01-20."""
    yaml_sub = Submission(UnitSpec(id="a", name="A", group="department"))
    read_unit_text('unit: a\nanswers:\n  "1.2": {done_on: 2018-01-20}\n', "a.yaml", yaml_sub)
    json_sub = Submission(UnitSpec(id="a", name="A", group="department"))
    read_unit_text(
        '{"unit": "a", "answers": {"1.2": {"done_on": "2018-01-20"}}}', "a.json", json_sub
    )
    assert json_sub.answers["1.2"].done_on == dt.date(2018, 1, 20)
    json_ready, yaml_ready = prepare(mini_index, json_sub), prepare(mini_index, yaml_sub)
    assert json_ready.leaves["1.2"] == yaml_ready.leaves["1.2"]


# (name, JSON text, message, line, column): errors found after parsing point into the JSON
BAD_JSON = [
    (
        "one line",
        '{"unit": "a", "answers": {"1.2": {"done_on": "20/01/2018"}}}',
        "expected a date (YYYY-MM-DD) or null, got '20/01/2018'",
        1,
        35,
    ),
    (
        "multi-line",
        '{\n  "unit": "a",\n  "answers": {\n    "1.4": {"numerator": 80,\n'
        '            "denominator": "x"}\n  }\n}',
        "expected a whole number >= 0, got 'x'",
        5,
        13,
    ),
    (
        "after non-ASCII",
        '{"unit": "a", "answers": {"1.1": {"note": "Sở Tài chính", "value": "có"}}}',
        "expected true or false",
        1,
        59,
    ),
    (
        "not a real date",
        '{"unit": "a",\n "answers": {"1.2": {"done_on": "2018-02-30"}}}',
        "got '2018-02-30'",
        2,
        22,
    ),
    (
        "unknown key",
        '{"unit": "a",\n "answers": {"1.3": {"numerator": 1,\n  "denominatr": 2}}}',
        "unknown key 'denominatr'",
        3,
        3,
    ),
    (
        "unknown leaf",
        '{"unit": "a",\n\n "answers": {\n   "9.9": {"count": 1}}}',
        "no scored item '9.9'",
        4,
        4,
    ),
]


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the mini campaign, imported once (refused imports change nothing)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('doors') / 'p.db'}"
    assert run("--db", db, "--at", "2018-11-20", "import", str(MINI)).exit_code == 0
    return db


@pytest.mark.parametrize(("text", "message", "line", "col"), [b[1:] for b in BAD_JSON],
                         ids=[b[0] for b in BAD_JSON])  # fmt: skip
def test_json_errors_point_into_the_json(
    mini_db: str, tmp_path: Path, text: str, message: str, line: int, col: int
) -> None:
    """`parindex import a.json`: an error names the line and column of the JSON as written."""
    (e,) = refusals(text, "a.json")
    assert message in e.message, e
    assert (e.location.file, e.location.line, e.location.column) == ("a.json", line, col)
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    r = run(
        "--lang",
        "en",
        "--db",
        mini_db,
        "--at",
        "2018-11-20",
        "import",
        str(path),
        "--campaign",
        "mini-2018",
    )
    assert r.exit_code == 1 and f"{path}:{line}:{col}:" in r.output and message in r.output, (
        r.output
    )


# (name, unit file, its name, message, line, column)
BAD_NUMBERS = [
    ("self_score above max", '  "1.2": {done_on: 2018-01-20, self_score: 11}', "a.yaml",
     "unit a, item 1.2: self_score 11 is above the maximum 10", 3, 32),
    ("self_score negative", '  "1.2": {done_on: 2018-01-20, self_score: -0.5}', "a.yaml",
     "unit a, item 1.2: self_score -0.5 is below 0", 3, 32),
    ("bonus self_score", '  "1.1": {value: true}\nadjustments:\n  B1: {count: 1, self_score: 3}',
     "a.yaml", "unit a, B1: self_score 3 is above the maximum 2", 5, 18),
    ("YAML .nan", '  "1.2": {done_on: 2018-01-20, self_score: .nan}', "a.yaml",
     "not a finite number: '.nan'", 3, 44),
    ("YAML .inf", '  "1.4": {numerator: .inf, denominator: 100}', "a.yaml",
     "not a finite number: '.inf'", 3, 22),
    ("string NaN", '  "1.4": {numerator: "NaN", denominator: 100}', "a.yaml",
     "expected a whole number >= 0, got 'NaN'", 3, 11),
    ("string sNaN", '  "1.2": {done_on: 2018-01-20, self_score: "sNaN"}', "a.yaml",
     "expected a number, got 'sNaN'", 3, 32),
]  # fmt: skip
JSON_NUMBERS = [
    ("JSON self_score above max", '{"unit": "a", "answers": {"1.2": {"self_score": 10.5}}}',
     "a.json", "self_score 10.5 is above the maximum 10", 1, 35),
    ("JSON NaN", '{"unit": "a",\n "answers": {"2.1": {"count": NaN}}}', "a.json",
     "NaN is not a number parindex accepts", 2, 31),
    ("JSON string sNaN", '{"unit": "a",\n "answers": {"2.1": {"count": "sNaN"}}}', "a.json",
     "expected a whole number >= 0, got 'sNaN'", 2, 22),
]  # fmt: skip


@pytest.mark.parametrize(("body", "name", "message", "line", "col"),
                         [c[1:] for c in BAD_NUMBERS + JSON_NUMBERS],
                         ids=[c[0] for c in BAD_NUMBERS + JSON_NUMBERS])  # fmt: skip
def test_bad_numbers_are_refused_located(
    body: str, name: str, message: str, line: int, col: int
) -> None:
    """A self_score outside [0, max], NaN, sNaN or Infinity: refused at file:line:column."""
    text = body if name.endswith(".json") else f"unit: a\nanswers:\n{body}\n"
    errors = refusals(text, name)
    assert [e.message for e in errors if message in e.message], errors
    e = next(e for e in errors if message in e.message)
    assert (e.location.file, e.location.line, e.location.column) == (name, line, col)


@pytest.mark.parametrize(("name", "text"), [
    ("a.yaml", 'unit: a\nanswers:\n  "1.2": {done_on: 2018-01-20, self_score: .nan}\n'),
    ("a.json", '{"unit": "a", "answers": {"1.2": {"self_score": 99}}}'),
    ("a.json", '{"unit": "a", "answers": {"2.1": {"count": -Infinity}}}'),
])  # fmt: skip
def test_bad_numbers_exit_1_from_import(tmp_path: Path, name: str, text: str) -> None:
    """`parindex import` of a file with a bad number exits 1 with a located message, not 3."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("--db", db, "--at", "2018-11-20", "import", str(MINI)).exit_code == 0
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = run("--db", db, "--at", "2018-11-20", "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1, r.output
    assert f"{path}:1:" in r.output or f"{path}:3:" in r.output
    assert "Traceback" not in r.output and "internal error" not in r.output


@pytest.mark.parametrize(("value", "message"), [
    ("1.4.numerator=NaN", "'NaN' is not a number parindex accepts"),
    ("2.1=sNaN", "'sNaN' is not a number parindex accepts"),
    ("2.1=Infinity", "'Infinity' is not a number parindex accepts"),
    ("1.4.numerator=.nan", "not a finite number: '.nan'"),
])  # fmt: skip
def test_simulate_set_refuses_nan(value: str, message: str) -> None:
    """`simulate --set` with NaN, sNaN or Infinity exits 1, the message at --set."""
    r = run("--lang", "en", "simulate", "a", "--campaign", str(MINI), "--set", value)
    assert r.exit_code == 1, r.output
    assert "--set" in r.output and message in r.output


# (name, the new file's answers, what it would drop)
DROPS = [
    ("one leaf", {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3"}, "bỏ sót 1 câu trả lời đã lưu (1.4)"),
    ("two leaves", {"1.1", "1.2", "1.3", "2.2", "2.3"}, "bỏ sót 2 câu trả lời đã lưu (1.4, 2.1)"),
    ("a bonus", {"1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "-B1"}, "(B1)"),
]


@pytest.mark.parametrize(("keep", "message"), [d[1:] for d in DROPS], ids=[d[0] for d in DROPS])
def test_a_file_that_drops_stored_answers_needs_replace(
    tmp_path: Path, keep: set[str], message: str
) -> None:
    """Re-importing a unit file that leaves out stored answers is refused, naming them, unless
    --replace is given."""
    from scoring.sources.yamlsrc import dump_yaml, load_yaml_file

    db = f"sqlite:///{tmp_path / 'p.db'}"
    base = ("--db", db, "--at", "2018-11-20")
    assert run(*base, "import", str(MINI)).exit_code == 0
    data, _ = load_yaml_file(MINI / "units" / "a.yaml")
    data["answers"] = {k: v for k, v in data["answers"].items() if k in keep}
    if "-B1" in keep:
        data["adjustments"] = {}
    path = tmp_path / "a.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    r = run(*base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and message in r.output and "--replace" in r.output, r.output
    r = run(*base, "import", str(path), "--campaign", "mini-2018", "--replace")
    assert r.exit_code == 0, r.output
    r = run(*base, "import", str(MINI / "units" / "a.yaml"), "--campaign", "mini-2018")
    assert r.exit_code == 0, r.output  # adding answers back drops nothing
