"""Every route × every role × own/other unit, generated from the app's route table.

The expected permissions are written out here, independently of ``scoring.web.policy``: a new
route or action that is not in this table fails the test, and so does a policy that lets in
someone this table does not. Every request carries a valid CSRF token (the CSRF checks have
their own tests), and bodies that would change something are made invalid so a permitted
request fails in validation (4xx other than 401/403) rather than changing the store; denied
requests must change nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import select

from scoring.store.schema import AuditRow, DocumentRow
from scoring.web import create_app
from scoring.web.app import RouteSpec, routes
from scoring.web.policy import ACTIONS
from tests.support.web import CID, NOW, OTHER, OWN, ROLE_USER, csrf_of, open_copy, sign_in
from tests.support.webforms import form

ALL = {"officer", "appraiser", "auditor", "admin"}
STAFF = {"appraiser", "auditor", "admin"}
# action -> (roles allowed on any unit, officer allowed on its own unit)
EXPECTED: dict[str, tuple[set[str], bool]] = {
    "public": (set(), False),
    "signed_in": (ALL, False),
    "campaign.read": (STAFF, False),
    "ranking.read": (STAFF, False),
    "unit.read": (STAFF, True),
    "unit.simulate": (STAFF, True),
    "trace.read": (STAFF, True),
    "answers.write": (set(), True),
    "answers.submit": (set(), True),
    "explanation.write": (set(), True),
    "appraisal.write": ({"appraiser"}, False),
    "unit.advance": ({"appraiser"}, False),
    "units.advance": ({"appraiser"}, False),
    "audit.read": ({"auditor", "admin"}, False),
    "publication.verify": ({"auditor", "admin"}, False),
    "campaign.advance": ({"admin"}, False),
    "campaign.publish": ({"admin"}, False),
    "accounts.read": ({"admin"}, False),
    "accounts.write": ({"admin"}, False),
    "evidence.read": (STAFF, True),
    "evidence.write": (set(), True),
}
# bodies that a permitted request rejects without changing anything
BODY = {
    "version": "999999",  # a stale version: optimistic locking refuses the write
    "target": "no-such-state",
    "username": "",
    "role": "",
    "password": "",
    "active": "1",
}
PARAMS = {"cid": CID, "username": "no-such-user", "code": "vi", "fid": "999999"}
SKIP = {("POST", "/login"), ("POST", "/logout")}  # sign-in and sign-out have their own tests


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[object, dict[str, TestClient]]]:
    st = open_copy(tmp_path_factory.mktemp("access"))
    app = create_app(st, clock=lambda: NOW)
    clients = {"anonymous": TestClient(app)}
    for role, user in ROLE_USER.items():
        c = TestClient(app)
        assert sign_in(c, user).status_code == 303
        clients[role] = c
    yield st, clients
    st.close()


def test_every_route_is_declared_with_an_action_the_test_knows() -> None:
    """Every route of the app is in the route table with an action, and every action has an
    expectation here."""
    app = create_app(open_copy(Path(__import__("tempfile").mkdtemp())), clock=lambda: NOW)
    declared = {(r.method, r.path) for r in routes(app)}
    for r in app.routes:
        if isinstance(r, APIRoute):
            for method in r.methods:
                assert (method, r.path) in declared, f"{method} {r.path} has no declared action"
    assert set(ACTIONS) == set(EXPECTED), "an action without an expectation in this test"
    assert {r.action for r in routes(app)} <= set(EXPECTED)


def _cases() -> list[tuple[RouteSpec, str, str | None]]:
    app = create_app(open_copy(Path(__import__("tempfile").mkdtemp())), clock=lambda: NOW)
    out = []
    for spec in routes(app):
        if (spec.method, spec.path) in SKIP:
            continue
        units = [OWN, OTHER] if "{uid}" in spec.path else [None]
        for who in ("anonymous", *sorted(ALL)):
            for unit in units:
                out.append((spec, who, unit))
    return out


def _allowed(action: str, who: str, unit: str | None) -> bool:
    if action == "public":
        return True
    if who == "anonymous":
        return False
    roles, own = EXPECTED[action]
    return who in roles or (own and who == "officer" and unit == OWN)


def _audit_entries(st) -> int:  # type: ignore[no-untyped-def]
    with st.read() as s:
        return len(list(s.exec(select(AuditRow))))


@pytest.mark.parametrize(
    ("spec", "who", "unit"),
    _cases(),
    ids=lambda v: v.name if isinstance(v, RouteSpec) else str(v),
)
def test_route_by_role(setup, spec: RouteSpec, who: str, unit: str | None) -> None:  # type: ignore[no-untyped-def]
    """Each route answers each role (and anonymous, own and other unit) as the expected
    permissions say, and a refusal changes nothing."""
    st, clients = setup
    c = clients[who]
    path = spec.path.format(**PARAMS, uid=unit or "")
    before = _audit_entries(st)
    if spec.method == "GET":
        r = c.get(path, follow_redirects=False)
    else:
        token = csrf_of(c) if who != "anonymous" else ""
        r = c.post(path, data={**BODY, "csrf": token}, headers={"X-CSRF-Token": token},
                   follow_redirects=False)  # fmt: skip
    allowed = _allowed(spec.action, who, unit)
    if allowed:
        assert r.status_code not in (401, 403), (r.status_code, r.text[:300])
        assert r.status_code < 500, r.text[:500]
    elif who == "anonymous":
        expected = 303 if spec.method == "GET" and not path.startswith("/api/") else 401
        assert r.status_code == expected
        if expected == 303:
            assert r.headers["location"].startswith("/login")
    else:
        assert r.status_code == 403, (r.status_code, r.text[:300])
    if not allowed or spec.method == "POST":
        assert _audit_entries(st) == before  # nothing changed


def test_officer_cannot_write_another_unit_through_the_form(tmp_path: Path) -> None:
    """A unit id slipped into the form, or a form posted to another unit's URL, is refused."""
    st = open_copy(tmp_path)
    c = TestClient(create_app(st, clock=lambda: NOW))
    sign_in(c, "canbo")
    fields = form(c.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    with st.read() as s:
        theirs = s.get(DocumentRow, (CID, "unit", OTHER)).text  # type: ignore[union-attr]
    r = c.post(f"/c/{CID}/u/{OTHER}/answers", data=fields, follow_redirects=False)
    assert r.status_code == 403
    assert c.get(f"/c/{CID}/u/{OTHER}").status_code == 403
    assert c.get(f"/api/c/{CID}/u/{OTHER}").status_code == 403
    assert c.get(f"/c/{CID}/u/{OTHER}/trace").status_code == 403
    fields |= {"unit": OTHER, "unit_id": OTHER, "cid": "x"}
    r = c.post(f"/c/{CID}/u/{OWN}/answers", data=fields, follow_redirects=False)
    assert r.status_code == 303
    with st.read() as s:
        assert s.get(DocumentRow, (CID, "unit", OTHER)).text == theirs  # type: ignore[union-attr]
        mine = s.get(DocumentRow, (CID, "unit", OWN)).text  # type: ignore[union-attr]
    assert f"unit: {OWN}" in mine
    st.close()


# routes that only an administrator may use, written out here (not read from the policy)
ADMIN_ONLY = {
    ("GET", "/admin/accounts"),
    ("POST", "/admin/accounts"),
    ("POST", "/admin/accounts/{username}/active"),
    ("POST", "/admin/accounts/{username}/unlock"),
}


def test_account_routes_are_for_administrators_only() -> None:
    """Every /admin route is in this table, and each needs an action only an admin has."""
    app = create_app(open_copy(Path(__import__("tempfile").mkdtemp())), clock=lambda: NOW)
    admin = {(r.method, r.path): r.action for r in routes(app) if r.path.startswith("/admin")}
    assert set(admin) == ADMIN_ONLY
    assert all(EXPECTED[action] == ({"admin"}, False) for action in admin.values())


def test_no_route_can_change_the_audit_log() -> None:
    """The audit log is read-only through the web: its one route reads."""
    app = create_app(open_copy(Path(__import__("tempfile").mkdtemp())), clock=lambda: NOW)
    audit_routes = [r for r in routes(app) if "audit" in r.path or r.action.startswith("audit")]
    assert audit_routes and all(r.method == "GET" for r in audit_routes)
