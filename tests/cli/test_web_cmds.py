"""``parindex user add``: an officer's account belongs to a unit some campaign has."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from scoring.cli import app
from scoring.store.db import open_store
from scoring.store.schema import AccountRow, AuditRow
from tests.support.cli import runner
from tests.support.paths import MINI

PASSWORD = "một-mật-khẩu-dài\n"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with the mini campaign imported (units a, b and c)."""
    url = f"sqlite:///{tmp_path / 'u.db'}"
    done = runner.invoke(app, ["--db", url, "--at", "2018-11-20", "import", str(MINI)])
    assert done.exit_code == 0, done.output
    return url


def _add(db: str, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["--db", db, "user", "add", *args, "--password-stdin"], input=PASSWORD)
    return r.exit_code, r.output


def _stored(db: str) -> tuple[list[str], list[str]]:
    st = open_store(db)
    try:
        with st.read() as s:
            names = [a.username for a in s.exec(select(AccountRow))]
            actions = [e.action for e in s.exec(select(AuditRow))]
    finally:
        st.close()
    return names, actions


def test_an_officer_of_an_unknown_unit_is_refused_with_the_nearest(db: str) -> None:
    """`user add --role officer --unit` naming no campaign's unit exits 1 saying which unit
    was meant; no account and no audit entry is stored."""
    before = _stored(db)
    code, output = _add(db, "can.bo", "--role", "officer", "--unit", "aa")
    assert code == 1, output
    assert "'aa'" in output and "'a'" in output  # the unit typed, and the one meant
    assert "Traceback" not in output
    assert _stored(db) == before
    code, output = _add(db, "can.bo", "--role", "officer", "--unit", "so-khong-co")
    assert code == 1 and "'so-khong-co'" in output
    assert _stored(db) == before


def test_an_officer_of_a_known_unit_is_created(db: str) -> None:
    """A unit of an imported campaign is accepted, and the account is stored with its entry;
    roles without a unit are not checked against units."""
    assert _add(db, "can.bo", "--role", "officer", "--unit", "b")[0] == 0
    assert _add(db, "tham.dinh", "--role", "appraiser")[0] == 0
    names, actions = _stored(db)
    assert sorted(names) == ["can.bo", "tham.dinh"]
    assert actions.count("account.create") == 2


def test_before_any_campaign_an_officer_cannot_be_created(tmp_path: Path) -> None:
    """With no campaign stored, no unit is known: an officer's account is refused (exit 1),
    an administrator's is not."""
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    code, output = _add(db, "can.bo", "--role", "officer", "--unit", "so-tai-chinh")
    assert code == 1 and "'so-tai-chinh'" in output
    assert _add(db, "quan.tri", "--role", "admin")[0] == 0
