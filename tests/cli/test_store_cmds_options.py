"""The doors of a new campaign: `campaign create`'s options and units, and `unit add`.

Each bad option is refused where it is read: a usage error (exit 2) naming the option when its
shape is wrong, exit 1 with a located message when the store or the index refuses it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.campaign.submission import Schedule
from scoring.errors import SubmissionError
from scoring.store import campaigns
from scoring.store.db import Store
from tests.support.cli import run
from tests.support.paths import MINI
from tests.support.stores import at

CRITERIA = str(MINI / "criteria.yaml")
UNITS = """units:
- {id: a, name: Sở A, group: department}
- {id: b, name: Sở B, group: department}
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'parindex.db'}"


def _text(output: str) -> str:
    """The output with rich's error box taken off and its wrapped lines joined."""
    return " ".join(output.replace("│", " ").replace("╭", " ").replace("╰", " ").split())


def _create(db: str, *args: str, cid: str = "mini-2018", lang: str = "vi") -> object:
    base = ("--lang", lang, "--db", db, "--actor", "snv", "--at", "2018-11-01")
    return run(*base, "campaign", "create", cid, "--year", "2018", "--index", CRITERIA, *args)


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


BAD_CREATE = [
    # (campaign id, options, exit code, message)
    ("Mini_2018", [], 2, "Invalid value for 'ID': 'Mini_2018' is not an id"),
    ("mini.2018", [], 2, "'mini.2018' is not an id"),
    ("mini-2018", ["--late", "never"], 2, "Invalid value for '--late'"),
    ("mini-2018", ["--late", "Flag"], 2, "'Flag' is not one of 'flag', 'refuse'"),
    ("mini-2018", ["--due", "2018-02-30"], 2, "Invalid value for '--due': not a date"),
    ("mini-2018", ["--due", "30-11-2018"], 2, "Invalid value for '--due': not a date"),
    ("mini-2018", ["--due", "31/11/2018"], 2, "not a date (YYYY-MM-DD or DD/MM/YYYY)"),
    ("mini-2018", ["--explanation-due", "2018-13-01"], 2, "'--explanation-due': not a date"),
    ("mini-2018", ["--due", "30/11/2017"], 1, "the self-assessment deadline 2017-11-30 is not in"),
    (
        "mini-2018",
        ["--explanation-due", "2020-01-05"],
        1,
        "not in 2018 (the year assessed) or 2019",
    ),
    (
        "mini-2018",
        ["--due", "2018-11-30", "--explanation-due", "29/11/2018"],
        2,
        "Invalid value for '--explanation-due': 2018-11-29 is before the self-assessment "
        "deadline --due 2018-11-30",
    ),
    ("mini-2018", ["--time-zone", "Asia/Ho_Chi_Mihn"], 2, "did you mean Asia/Ho_Chi_Minh?"),
    ("mini-2018", ["--time-zone", "ICT"], 2, "Invalid value for '--time-zone': unknown time"),
]


@pytest.mark.parametrize(("cid", "options", "code", "message"), BAD_CREATE)
def test_campaign_create_refuses_a_bad_option(
    db: str, cid: str, options: list[str], code: int, message: str
) -> None:
    """Each bad option of `campaign create` exits with its code and names the option; nothing
    is stored."""
    r = _create(db, *options, cid=cid)
    assert r.exit_code == code, r.output
    assert message in _text(r.output)
    assert "internal error" not in r.output and "Traceback" not in r.output
    r = run("--db", db, "campaign", "status", cid)
    assert r.exit_code in (1, 2) and "state" not in r.output


BAD_UNITS = [
    # (units file, message)
    ("units: []\n", "units.yaml:1:1: At key: units ==> List should have at least 1 item"),
    ("- {id: a, name: A, group: department}\n", "units.yaml:1: expected a mapping with units"),
    (
        UNITS + "- {id: a, name: A, group: department}\n",
        "units.yaml:4:4: At key: units ==> Unit(id='a') ==> unit 'a' is listed twice",
    ),
    ("units:\n- {id: a, name: A, group: departmnt}\n", "(did you mean 'department'?)"),
    (
        "units:\n- {id: A, name: A, group: department}\n",
        "units.yaml:2:4: At key: units ==> "
        "Unit(id='A') ==> At key: id ==> String should match pattern",
    ),
    (
        "units:\n- {id: a, group: department}\n",
        "units.yaml:2:3: At key: units ==> "
        "Unit(id='a') ==> At key: name ==> required key 'name' is missing",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_UNITS)
def test_campaign_create_refuses_a_bad_units_file(
    db: str, tmp_path: Path, text: str, message: str
) -> None:
    """A units file that is not a list of units of the index's groups: exit 1, located, and
    the campaign is not created (all or nothing)."""
    r = _create(db, "--units", _file(tmp_path, text), lang="en")
    assert r.exit_code == 1, r.output
    assert message in r.output
    r = run("--db", db, "campaign", "status", "mini-2018")
    # a units file refused before the store is opened leaves no store at all
    assert r.exit_code == 1 and (
        "Không có kỳ đánh giá" in r.output or "no parindex store" in r.output
    )


def test_campaign_create_reads_both_date_forms_and_its_units(db: str, tmp_path: Path) -> None:
    """Dates as dd/mm/yyyy or ISO are stored as ISO dates; the units file's units are added."""
    r = _create(
        db,
        *("--due", "30/11/2018", "--explanation-due", "2018-12-12", "--late", "refuse"),
        *("--units", _file(tmp_path, UNITS)),
    )
    assert r.exit_code == 0, r.output
    assert "với 2 đơn vị" in r.output
    st = json.loads(run("--db", db, "campaign", "status", "mini-2018", "--json").stdout)
    assert (st["self_assessment_due"], st["explanation_due"]) == ("2018-11-30", "2018-12-12")
    assert st["late_submission"] == "refuse"
    assert [(u["unit_id"], u["group"], u["state"]) for u in st["units"]] == [
        ("a", "department", "draft"),
        ("b", "department", "draft"),
    ]


BAD_UNIT_ADD = [
    # (arguments after `unit add mini-2018`, exit code, message)
    (["C", "--name", "C", "--group", "department"], 2, "Invalid value for 'UNIT'"),
    (["c", "--name", "  ", "--group", "department"], 2, "a unit needs a name"),
    (["c", "--name", "C", "--group", "Department"], 2, "Invalid value for '--group'"),
    (["c", "--name", "C", "--group", "department", "--tag", "No procedures"], 2, "'--tag'"),
    (["c", "--name", "C", "--group", "departmen"], 1, "did you mean 'department'?"),
    (["a", "--name", "A", "--group", "department"], 1, "unit 'a' is already in campaign"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_UNIT_ADD)
def test_unit_add_refuses_a_bad_unit(
    db: str, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    """`unit add` checks the id, name, group and tags where it reads them, and the group
    against the index; nothing is added."""
    assert _create(db, "--units", _file(tmp_path, UNITS)).exit_code == 0
    r = run("--db", db, "unit", "add", "mini-2018", *args)
    assert r.exit_code == code, r.output
    assert message in _text(r.output)
    st = json.loads(run("--db", db, "campaign", "status", "mini-2018", "--json").stdout)
    assert [u["unit_id"] for u in st["units"]] == ["a", "b"]


def test_unit_add_needs_an_open_campaign(db: str) -> None:
    """Units join a campaign while it is open; an unknown campaign is named."""
    r = run("--db", db, "unit", "add", "nope", "c", "--name", "C", "--group", "department")
    assert r.exit_code == 1 and "Không có kỳ đánh giá 'nope'" in r.output
    assert run("--db", db, "--actor", "snv", "campaign", "run", str(MINI)).exit_code == 0
    r = run("--db", db, "unit", "add", "mini-2018", "d", "--name", "D", "--group", "department")
    assert r.exit_code == 1 and "campaign mini-2018 is published" in r.output


def test_a_created_campaign_filled_by_commands_publishes_like_campaign_run(
    db: str, tmp_path: Path
) -> None:
    """Create with a units file, add a unit, import the files one by one: `campaign run` then
    finishes that year with the result of running the folder alone."""
    base = ("--db", db, "--actor", "snv", "--at", "2018-11-20")
    dates = ("--due", "30/11/2018", "--explanation-due", "12/12/2018")
    assert _create(db, *dates, "--units", _file(tmp_path, UNITS)).exit_code == 0
    r = run(*base, "unit", "add", "mini-2018", "c", "--name", "Văn phòng C")
    assert r.exit_code == 2  # --group is required
    add = ("unit", "add", "mini-2018", "c", "--name", "Văn phòng C", "--group", "department")
    r = run(*base, *add, "--tag", "no_procedures")
    assert r.exit_code == 0, r.output
    for u in "abc":
        path = str(MINI / "units" / f"{u}.yaml")
        assert run(*base, "import", path, "--campaign", "mini-2018").exit_code == 0
    assert run(*base, "survey", "import", "mini-2018", str(MINI / "survey.yaml")).exit_code == 0
    council = ("survey", "import", "mini-2018", str(MINI / "council.yaml"), "--council")
    assert run(*base, *council).exit_code == 0
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(MINI), "--json")
    assert r.exit_code == 0, r.output
    assert "các bản tự đánh giá đã được lưu" in r.output
    filled = json.loads(r.stdout[r.stdout.index("{") :])["run"]["result_hash"]
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    r = run("--db", alone, "--actor", "snv", "campaign", "run", str(MINI), "--json")
    assert json.loads(r.stdout[r.stdout.index("{") :])["run"]["result_hash"] == filled


@pytest.mark.parametrize(
    ("cid", "schedule", "late", "message"),
    [
        ("Mini 2018", Schedule(), "flag", "campaign id 'Mini 2018' is not an id"),
        ("mini-2018", Schedule(), "maybe", "late submissions: 'maybe' is not one of flag, refuse"),
        (
            "mini-2018",
            Schedule(self_assessment_due="2018-11-30", explanation_due="2018-11-01"),
            "flag",
            "the explanation deadline 2018-11-01 is before the self-assessment deadline",
        ),
    ],
)
def test_the_library_checks_what_the_options_check(
    store: Store, cid: str, schedule: Schedule, late: str, message: str
) -> None:
    """`campaigns.create` refuses what the CLI refuses (for callers that are not the CLI, and
    for campaign.yaml, whose schedule has no order check of its own)."""
    with pytest.raises(SubmissionError) as exc:
        campaigns.create(
            store,
            cid,
            2018,
            MINI / "criteria.yaml",
            MINI / "rules",
            schedule=schedule,
            late=late,
            actor="snv",
            now=at("2018-11-01"),
        )
    assert message in str(exc.value)


def test_a_campaign_yaml_with_the_explanation_deadline_first_is_refused(
    db: str, mini_copy: Path
) -> None:
    """campaign.yaml's schedule goes through the same check: `import` exits 1, nothing stored."""
    text = (mini_copy / "campaign.yaml").read_text(encoding="utf-8")
    text = text.replace("explanation_due: 2018-12-12", "explanation_due: 2018-11-12")
    (mini_copy / "campaign.yaml").write_text(text, encoding="utf-8")
    r = run("--db", db, "import", str(mini_copy))
    assert r.exit_code == 1 and "is before the self-assessment deadline" in r.output
    r = run("--db", db, "campaign", "status", "mini-2018")
    assert r.exit_code == 1 and "Không có kỳ đánh giá" in r.output
