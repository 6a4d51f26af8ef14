"""`submit-all` and `advance-all`: the plan shown, confirmed (or --yes), done all at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from scoring.cli import app, workflow_cmds
from scoring.store.db import Store
from scoring.store.schema import UnitRow
from tests.support.cli import run
from tests.support.web import CID, open_copy

AT = ("--at", "2018-11-21T10:00")  # after the store was made, before the deadline
INCOMPLETE = "so-tai-nguyen-va-moi-truong"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store file with the 2018 samples imported: the campaign open, every unit a draft."""
    store: Store = open_copy(tmp_path)
    store.close()
    return f"sqlite:///{tmp_path / 'web-open.db'}"


def _states(db: str) -> dict[str, str]:
    from scoring.store.db import open_store

    st = open_store(db)
    with st.read() as s:
        found = {u.unit_id: u.state for u in s.exec(select(UnitRow))}
    st.close()
    return found


def test_submit_all_refuses_without_yes_when_nobody_can_answer(db: str) -> None:
    """Not on a terminal and without --yes: exit 1, the reason, and no unit submitted."""
    r = run("--db", db, *AT, "submit-all", CID)
    assert r.exit_code == 1
    assert "--yes" in r.output and "chưa có gì thay đổi" in r.output
    assert set(_states(db).values()) == {"draft"}


def test_submit_all_with_yes_lists_and_submits(db: str) -> None:
    """--yes submits every complete draft and names the incomplete one and why, in
    Vietnamese; a year names the campaign."""
    r = run("--db", db, *AT, "submit-all", "2018", "--yes")
    assert r.exit_code == 0, r.output
    assert "sẽ nộp bản tự đánh giá của 30 đơn vị" in r.stdout
    assert "✗ Sở Tài nguyên và Môi trường (so-tai-nguyen-va-moi-truong): chưa trả lời" in r.stdout
    assert "Đã nộp bản tự đánh giá của 30 đơn vị." in r.stdout
    states = _states(db)
    assert states[INCOMPLETE] == "draft"
    assert sum(1 for s in states.values() if s == "submitted") == 30


@pytest.mark.parametrize(("answer", "code", "submitted"), [("n\n", 1, 0), ("y\n", 0, 30)])
def test_submit_all_asks_on_a_terminal(
    db: str, monkeypatch: pytest.MonkeyPatch, answer: str, code: int, submitted: int
) -> None:
    """On a terminal the command asks; "n" changes nothing, "y" submits."""
    monkeypatch.setattr(workflow_cmds, "interactive", lambda: True)
    r = CliRunner().invoke(app, ["--db", db, *AT, "submit-all", CID], input=answer)
    assert r.exit_code == code, r.output
    assert "Xác nhận thực hiện cho 30 đơn vị?" in r.output
    assert sum(1 for s in _states(db).values() if s == "submitted") == submitted


def test_advance_all_json(db: str) -> None:
    """advance-all --json reports the units moved and the others, exactly, with ids."""
    assert run("--db", db, *AT, "submit-all", CID, "--yes").exit_code == 0
    assert run("--db", db, *AT, "submit", CID, INCOMPLETE).exit_code == 0
    r = run("--db", db, *AT, "campaign", "advance", CID, "--to", "appraisal")
    assert r.exit_code == 0, r.output
    r = run("--db", db, *AT, "advance-all", CID, "--to", "appraised_1", "--yes", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["from"] == "submitted" and doc["to"] == "appraised_1" and doc["done"] is True
    assert len(doc["moved"]) == 31 and doc["not_eligible"] == []
    assert set(_states(db).values()) == {"appraised_1"}


def test_advance_all_refuses_a_step_the_campaign_is_not_at(db: str) -> None:
    """A bulk step the campaign's state does not allow exits 1 with the reason."""
    r = run("--db", db, *AT, "advance-all", CID, "--to", "appraised_1", "--yes")
    assert r.exit_code == 1
    assert "khi kỳ đánh giá ở bước «Thẩm định» (hiện là «Đang mở»)" in r.output


def test_submit_all_in_english_on_lang_en(db: str) -> None:
    """--lang en: the plan, the unit that cannot move and why, and what was done, in English."""
    r = run("--lang", "en", "--db", db, *AT, "submit-all", CID, "--yes")
    assert r.exit_code == 0, r.output
    assert f"Campaign {CID}: will submit the self-assessments of 30 units." in r.stdout
    assert "Units that cannot move (1):" in r.stdout
    blocked = next(line for line in r.stdout.splitlines() if INCOMPLETE in line)
    assert "item(s) unanswered" in blocked and "chưa" not in blocked
    assert "Submitted the self-assessments of 30 units." in r.stdout
    assert "đơn vị" not in r.stdout
