"""Building a web app on a store with the 2018 samples and one account per role."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from scoring.store import accounts, imports, moves
from scoring.store.cycle import run_cycle
from scoring.store.db import Store, open_store
from scoring.store.stored import units_of
from tests.support.paths import SAMPLES

CID = "langson-2018"
PASSWORD = "mật-khẩu-đủ-dài-1"  # a test password (Vietnamese letters on purpose)
OWN, OTHER = "so-tai-chinh", "ban-dan-toc"
# username -> (role, unit)
PEOPLE = {
    "canbo": ("officer", OWN),
    "canbo2": ("officer", OTHER),
    "thamdinh": ("appraiser", None),
    "kiemtoan": ("auditor", None),
    "quantri": ("admin", None),
}
ROLE_USER = {"officer": "canbo", "appraiser": "thamdinh", "auditor": "kiemtoan", "admin": "quantri"}
NOW = dt.datetime(2018, 11, 20, 9, tzinfo=dt.UTC)  # before the self-assessment deadline

_TEMPLATE: dict[str, Path] = {}


def _build(path: Path, published: bool) -> None:
    st = open_store(f"sqlite:///{path}")
    if published:
        run_cycle(st, SAMPLES, actor="seed")
        run_cycle(st, SAMPLES.parent / "2019", actor="seed")
    else:
        imports.import_folder(st, SAMPLES, actor="seed", now=NOW)
    for name, (role, unit) in PEOPLE.items():
        accounts.add(
            st, name, role, PASSWORD, unit=unit, display_name=f"Người {name}", actor="seed", now=NOW
        )
    st.close()


def open_copy(folder: Path, published: bool = False) -> Store:
    """A store with the samples imported (campaign open, every unit a draft) and the accounts,
    or (``published``) the samples' whole cycle run and published; built once a session, then
    copied (argon2 hashing is slow on purpose)."""
    kind = "published" if published else "open"
    if kind not in _TEMPLATE:
        base = Path(tempfile.mkdtemp(prefix="parindex-web-")) / f"{kind}.db"
        _build(base, published)
        _TEMPLATE[kind] = base
    target = folder / f"web-{kind}.db"
    shutil.copy(_TEMPLATE[kind], target)
    return open_store(f"sqlite:///{target}")


def to_appraisal(st: Store) -> None:
    """Every unit submits, the campaign moves to appraisal."""
    with st.read() as s:
        units = [u.unit_id for u in units_of(s, CID)]
    for uid in units:
        moves.submit(st, CID, uid, actor="seed", now=NOW)
    moves.advance_campaign(st, CID, "appraisal", actor="seed", now=NOW)


def in_appraisal(folder: Path) -> Iterator[Store]:
    """A fixture's body: the 2018 samples' store in ``folder``, every unit submitted and the
    campaign in appraisal; closed when the fixture ends."""
    store = open_copy(folder)
    to_appraisal(store)
    yield store
    store.close()


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Post the sign-in form as a browser would (its CSRF token read from the page)."""
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token is not None
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf": token[1], "next": "/"},
        follow_redirects=False,
    )


def client_as(store: Any, username: str) -> TestClient:
    """A test client of the app on ``store`` (the tests' clock), signed in as ``username``."""
    from scoring.web import create_app

    c = TestClient(create_app(store, clock=lambda: NOW))
    assert sign_in(c, username).status_code == 303
    return c


def csrf_of(client: TestClient) -> str:
    """The signed-in session's CSRF token, read from a page as a browser would."""
    page = client.get("/")
    token = CSRF.search(page.text)
    assert token is not None, page.text[:500]
    return token[1]
