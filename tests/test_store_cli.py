"""The store's commands end to end through the CLI, on a temporary SQLite file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scoring.db import open_store
from tests.conftest import MINI
from tests.test_cli import run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'parindex.db'}"


def test_campaign_run_status_verify_audit(db: str) -> None:
    """The whole cycle, then status, verify, audit verify and explain with history."""
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(MINI))
    assert r.exit_code == 0, r.output
    assert "published run 1" in r.stdout and "Sở A" in r.stdout and "90.50" in r.stdout
    r = run("--db", db, "campaign", "status", "mini-2018", "--json")
    st = json.loads(r.stdout)
    assert st["state"] == "published" and {u["state"] for u in st["units"]} == {"final"}
    assert run("--db", db, "verify", "mini-2018").exit_code == 0
    r = run("--db", db, "audit", "verify")
    assert r.exit_code == 0 and "chain intact" in r.stdout
    r = run("--db", db, "explain", "a", "1.4", "--campaign", "mini-2018")
    assert "appraisal round 2" in r.stdout and "explanation" in r.stdout
    r = run("--db", db, "audit", "list", "--campaign", "mini-2018", "--unit", "a", "--json")
    actions = [e["action"] for e in json.loads(r.stdout)]
    assert "unit.submit" in actions and "appraisal.round_2" in actions


def test_step_by_step_with_refusals(db: str, tmp_path: Path) -> None:
    """Each step of the cycle from the CLI; out-of-order steps exit 1 with a reason."""
    base = ("--db", db, "--actor", "snv")
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
    assert r.exit_code == 1 and "no campaign 'c'" in r.output


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
    assert run(*base, "import", str(MINI)).exit_code == 0
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
    r = run(*base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "leaves out 5 answer(s) already stored" in r.output
    r = run(*base, "import", str(path), "--campaign", "mini-2018", "--replace")
    assert r.exit_code == 0, r.output
    path.write_text(
        json.dumps({**answers, "answers": {"1.4": {"numerator": 180, "denominator": 100}}})
    )
    r = run(*base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "numerator 180 exceeds denominator 100" in r.output
    path.write_text("{not json")
    r = run(*base, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1 and "invalid JSON" in r.output


def test_samples_2018_and_2019_compare(db: str) -> None:
    """Both sample years run to publication; compare reports every unit's change."""
    from tests.conftest import ROOT

    for year in ("2018", "2019"):
        r = run("--db", db, "campaign", "run", str(ROOT / "samples" / year))
        assert r.exit_code == 0, r.output
    r = run("--db", db, "compare", "2018", "2019", "--json")
    doc = json.loads(r.stdout)
    assert doc["from"] == "langson-2018" and doc["to"] == "langson-2019"
    assert len(doc["units"]) == 31 and not doc["only_in_from"] and not doc["only_in_to"]
    assert all(len(u["areas"]) >= 8 for u in doc["units"])
    assert run("--db", db, "verify", "langson-2019").exit_code == 0
