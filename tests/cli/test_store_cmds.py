"""The store's commands end to end through the CLI, on a temporary SQLite file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scoring.store.db import open_store
from tests.support.cli import run
from tests.support.paths import MINI, ROOT
from tests.support.registers import two_years


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'parindex.db'}"


def test_campaign_run_status_verify_audit(db: str) -> None:
    """The whole cycle, then status, verify, audit verify and explain with history."""
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(MINI))
    assert r.exit_code == 0, r.output
    assert "lần công bố 1" in r.stdout and "Sở A" in r.stdout and "90,50" in r.stdout
    r = run("--db", db, "campaign", "status", "mini-2018", "--json")
    st = json.loads(r.stdout)
    assert st["state"] == "published" and {u["state"] for u in st["units"]} == {"final"}
    assert run("--db", db, "verify", "mini-2018").exit_code == 0
    r = run("--db", db, "audit", "verify")
    assert r.exit_code == 0 and "chuỗi liên kết nguyên vẹn" in r.stdout
    r = run("--db", db, "explain", "a", "1.4", "--campaign", "mini-2018")
    assert "thẩm định vòng 2" in r.stdout and "giải trình" in r.stdout
    r = run("--db", db, "--lang", "en", "explain", "a", "1.4", "--campaign", "2018")
    assert "appraisal round 2" in r.stdout and "explanation" in r.stdout
    r = run("--db", db, "audit", "list", "--campaign", "mini-2018", "--unit", "a", "--json")
    actions = [e["action"] for e in json.loads(r.stdout)]
    assert "unit.submit" in actions and "appraisal.round_2" in actions


def test_step_by_step_with_refusals(db: str, tmp_path: Path) -> None:
    """Each step of the cycle from the CLI; out-of-order steps exit 1 with a reason (read in
    English here; the Vietnamese words are the web's and test_refusal_words')."""
    base = ("--lang", "en", "--db", db, "--actor", "snv")
    assert run(*base, "--at", "2018-11-20", "import", str(MINI)).exit_code == 0
    r = run(*base, "appraise", "mini-2018", "a", "--set", "1.2=5", "--reason", "x")
    assert r.exit_code == 1 and "cannot change now" in r.output
    for u in "abc":
        assert run(*base, "--at", "2018-11-29", "submit", "mini-2018", u).exit_code == 0
    r = run(*base, "campaign", "advance", "mini-2018", "--to", "review")
    assert r.exit_code == 1 and "cannot go from open to review" in r.output
    assert run(*base, "campaign", "advance", "mini-2018", "--to", "appraisal").exit_code == 0
    r = run(*base, "appraise", "mini-2018", "a", "--set", "1.2=5")
    assert r.exit_code == 1 and "needs a reason" in r.output
    r = run(
        *base,
        "appraise",
        "mini-2018",
        "a",
        "--set",
        "1.2=5",
        "--reason",
        "Trễ hạn",
        "--expect-version",
        "3",
    )
    assert r.exit_code == 0, r.output
    r = run(
        *base,
        "appraise",
        "mini-2018",
        "a",
        "--set",
        "1.2=4",
        "--reason",
        "Khác",
        "--expect-version",
        "3",
    )
    assert r.exit_code == 1 and "changed by someone else" in r.output
    r = run(*base, "publish", "mini-2018")
    assert r.exit_code == 1 and "from review only" in r.output
    r = run(
        *base,
        "campaign",
        "create",
        "x-2018",
        "--year",
        "2019",
        "--index",
        str(MINI / "criteria.yaml"),
    )
    assert r.exit_code == 1 and "is for 2019, but index mini-2018 is for 2018" in r.output


def test_missing_store_folder_and_unknown_campaign(tmp_path: Path) -> None:
    """A store in a folder that does not exist, a store file not created yet (a read does not
    create it), or an unknown campaign: exit 1, a message."""
    r = run("--db", f"sqlite:///{tmp_path / 'nope' / 'x.db'}", "campaign", "status", "c")
    assert r.exit_code == 1 and "does not exist" in r.output
    r = run("--db", f"sqlite:///{tmp_path / 'x.db'}", "campaign", "status", "c")
    assert r.exit_code == 1 and "no parindex store here" in r.output
    assert not (tmp_path / "x.db").exists()
    open_store(f"sqlite:///{tmp_path / 'x.db'}").close()  # a write creates it
    r = run("--db", f"sqlite:///{tmp_path / 'x.db'}", "campaign", "status", "c")
    assert r.exit_code == 1 and "Không có kỳ đánh giá 'c'" in r.output


def test_default_store_is_parindex_db_here(tmp_path: Path) -> None:
    """Without --db or $PARINDEX_DB the store is ./parindex.db."""
    env = os.environ.pop("PARINDEX_DB", None)
    try:
        r = run("campaign", "run", str(MINI), cwd=tmp_path)
    finally:
        if env is not None:
            os.environ["PARINDEX_DB"] = env
    assert r.exit_code == 0, r.output
    assert (tmp_path / "parindex.db").exists()


def test_json_unit_file_imports_like_yaml(db: str, tmp_path: Path) -> None:
    """A unit's answers as JSON (decimals exact) import like the YAML file."""
    base = ("--db", db, "--actor", "snv", "--at", "2018-11-20")
    assert run("--lang", "en", *base, "import", str(MINI)).exit_code == 0
    answers = {
        "unit": "a",
        "answers": {
            "1.1": {"value": True, "evidence": [{"doc": "01/KH"}]},
            "1.4": {"numerator": 80, "denominator": 100},
            "2.1": {"count": 2},
        },
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    r = run("--lang", "en", *base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "leaves out 5 answer(s) already stored" in r.output
    r = run("--lang", "en", *base, "import", str(path), "--campaign", "mini-2018", "--replace")
    assert r.exit_code == 0, r.output
    path.write_text(
        json.dumps({**answers, "answers": {"1.4": {"numerator": 180, "denominator": 100}}})
    )
    r = run("--lang", "en", *base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "numerator 180 exceeds denominator 100" in r.output
    path.write_text("{not json")
    r = run("--lang", "en", *base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "invalid JSON" in r.output


def test_samples_2018_and_2019_compare(db: str) -> None:
    """Both sample years run to publication; compare reports every unit's change."""
    for year in ("2018", "2019"):
        r = run("--db", db, "campaign", "run", str(ROOT / "samples" / year))
        assert r.exit_code == 0, r.output
    r = run("--db", db, "compare", "2018", "2019", "--json")
    doc = json.loads(r.stdout)
    assert doc["from"] == "langson-2018" and doc["to"] == "langson-2019"
    assert len(doc["units"]) == 31 and not doc["only_in_from"] and not doc["only_in_to"]
    assert all(len(u["areas"]) >= 8 for u in doc["units"])
    assert run("--db", db, "verify", "langson-2019").exit_code == 0


AT_DOOR = [  # (--at, exit code, what the output says)
    ("2018-11-19T23:59", 1, "là trước khi mở kỳ đánh giá (20/11/2018 07:00)"),  # Hà Nội
    ("2999-01-01", 1, "là thời điểm trong tương lai"),
    ("yesterday", 1, "không phải ngày giờ theo dạng ISO"),
    ("2018-11-30T23:30", 0, "(a) đã nộp bản tự đánh giá; phiên bản"),  # Hà Nội, due day: on time
    ("2018-12-01T01:00", 0, "(b) đã nộp bản tự đánh giá (nộp muộn)"),  # 18:00 UTC, but late
]


def test_at_is_local_and_checked_and_audit_shows_both_times(db: str) -> None:
    """--at without an offset is Hà Nội time, refused in the future or before the campaign
    opened; audit list shows when each change was written and when it takes effect."""
    base = ("--db", db, "--actor", "snv")
    assert run(*base, "--at", "2018-11-20T07:00", "import", str(MINI)).exit_code == 0
    for (when, code, said), uid in zip(AT_DOOR, "aaaab", strict=True):
        r = run(*base, "--at", when, "submit", "mini-2018", uid)
        assert r.exit_code == code and said in r.output, (when, r.output)
    r = run("--db", db, "campaign", "status", "mini-2018")
    assert "mở ngày 20/11/2018 07:00 (Asia/Ho_Chi_Minh)" in r.stdout
    assert "hạn tự đánh giá 30/11/2018" in r.stdout and "01/12/2018 01:00 (nộp muộn)" in r.stdout
    r = run("--db", db, "audit", "list", "--unit", "b")
    assert r.exit_code == 0 and "Ghi lúc" in r.stdout and "Hiệu lực" in r.stdout
    line = next(x for x in r.stdout.splitlines() if "Nộp bản tự đánh giá" in x)
    written, effective = line.split()[1:3], line.split()[3:5]
    assert effective == ["01/12/2018", "01:00"] and written != effective
    assert "+00:00" not in r.stdout  # people read local times, not UTC ISO text
    r = run("--db", db, "audit", "list", "--unit", "b", "--json")
    entry = next(e for e in json.loads(r.stdout) if e["action"] == "unit.submit")
    assert entry["at"] == "2018-11-30T18:00:00+00:00"  # --json stays exact ISO UTC
    assert entry["written_at"] > "2026" and entry["written_at"].endswith("+00:00")
    assert run("--db", db, "audit", "verify").exit_code == 0


def test_campaign_time_zone_option_and_file_key(db: str, mini_copy: Path) -> None:
    """campaign create --time-zone sets the zone (an unknown one is a usage error, exit 2, and
    no store is created); a campaign.yaml
    naming an unknown zone is refused at its line."""
    base = ("--db", db, "--actor", "snv")
    create = ("campaign", "create", "--year", "2018", "--index", str(MINI / "criteria.yaml"))
    r = run(*base, *create, "ny-2018", "--time-zone", "America/New_Yrok")
    assert r.exit_code == 2 and "unknown time zone 'America/New_Yrok'" in r.output
    assert "America/New_York" in r.output  # did you mean
    assert not Path(db.removeprefix("sqlite:///")).exists()
    r = run(
        *base, "--at", "2018-11-20T07:00", *create, "ny-2018", "--time-zone", "America/New_York"
    )
    assert r.exit_code == 0, r.output
    r = run("--db", db, "campaign", "status", "ny-2018", "--json")
    st = json.loads(r.stdout)
    assert st["time_zone"] == "America/New_York"
    assert st["created_at"] == "2018-11-20T12:00:00+00:00"  # 07:00 in New York
    camp = mini_copy / "campaign.yaml"
    lines = camp.read_text(encoding="utf-8").splitlines()
    camp.write_text("\n".join([*lines, "time_zone: Hanoi"]) + "\n", encoding="utf-8")
    r = run(*base, "import", str(mini_copy))
    assert r.exit_code == 1 and f"campaign.yaml:{len(lines) + 1}:" in r.output
    assert "unknown time zone 'Hanoi'" in r.output


def test_compare_says_the_joins_in_vietnamese(tmp_path: Path) -> None:
    """parindex compare prints the merged, new, ended and conflicting units in Vietnamese."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    for folder in two_years(tmp_path):
        assert run("--db", db, "campaign", "run", str(folder)).exit_code == 0
    r = run("--db", db, "compare", "reg-a", "reg-b")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "Sở Nông nghiệp và Môi trường (chỉ số 93,00): kế thừa từ Sở A (chỉ số 93,00)" in text
    assert "Sở Ngoại vụ (chỉ số 31,17; hoạt động từ 01/08/2018)" in text
    assert "Huyện H (chỉ số 31,17); chấm dứt từ 01/07/2018 — Bãi bỏ cấp huyện" in text
    assert "x: Sở X → Ban X" in text and "kế thừa từ Sở K" in text
    doc = json.loads(run("--db", db, "compare", "reg-a", "reg-b", "--json").stdout)
    assert doc["only_in_from"] == ["h", "x"] and doc["only_in_to"] == ["ngoai-vu", "x"]


def test_a_units_file_with_a_date_outside_the_year_is_refused(tmp_path: Path) -> None:
    """campaign create --units checks the register's dates against --year, at file:line."""
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - {id: a, name: Sở A, group: department}\n"
        "  - {id: b, name: Sở B, group: department, valid_from: 2019-03-01}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'u.db'}"
    r = run(
        "--db",
        db,
        "campaign",
        "create",
        "u-2018",
        "--year",
        "2018",
        "--index",
        str(MINI / "criteria.yaml"),
        "--rules",
        str(MINI / "rules"),
        "--units",
        str(units),
    )
    assert r.exit_code == 1, r.output
    assert f"{units}:3:" in r.output and "valid_from 01/03/2019 is not in 2018" in r.output
