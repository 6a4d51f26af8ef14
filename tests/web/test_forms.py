"""Every web door that writes: a post without its form's fields, or whose version is not the
unit's current one, is refused and changes nothing; the sign-in throttle and its proxies;
unlocking a locked account.

One table per door: the body the page would send, changed one way, and the status and message
that must come back. After every refusal the whole store (documents, units and their versions,
appraisals, explanations, accounts, the audit log) is compared with what it was before.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from scoring import Index
from scoring.campaign.submission import Answer
from scoring.cli import app as cli
from scoring.errors import SubmissionError
from scoring.store import accounts, moves
from scoring.store.appraisal import AppraisalChange, appraise
from scoring.store.db import Store
from scoring.store.schema import AccountRow, AuditRow, SessionRow, UnitRow
from scoring.web import create_app, forms
from scoring.web.app import trusted
from tests.support.web import CID, NOW, OWN, PASSWORD, open_copy, sign_in, to_appraisal
from tests.support.webforms import form

Body = dict[str, str]


def _snapshot(st: Store) -> dict[str, list[str]]:
    """Every row of every table but the sessions, as text: what a refusal must not change."""
    out = {}
    with st.read() as s:
        conn = s.connection()
        for table in SQLModel.metadata.sorted_tables:
            if table.name != SessionRow.__tablename__:
                out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(table.select()))
    return out


def _version(st: Store, uid: str = OWN) -> int:
    with st.read() as s:
        unit = s.get(UnitRow, (CID, uid))
        assert unit is not None
        return unit.version


@pytest.fixture(scope="module")
def open_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The campaign open, every unit a draft."""
    st = open_copy(tmp_path_factory.mktemp("doors-open"))
    yield st
    st.close()


@pytest.fixture(scope="module")
def explaining_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The campaign in appraisal, the officer's unit changed in round 1 and explaining."""
    st = open_copy(tmp_path_factory.mktemp("doors-explain"))
    to_appraisal(st)
    change = AppraisalChange("1.1.1", Decimal("0.5"), "Kế hoạch ban hành muộn", "thamdinh")
    appraise(st, CID, OWN, "1", [change], actor="thamdinh", now=NOW)
    for target in ("appraised_1", "explanation"):
        moves.advance_unit(st, CID, OWN, target, actor="thamdinh", now=NOW)
    yield st
    st.close()


_CLIENTS: dict[tuple[int, str], TestClient] = {}


def _signed_in(st: Store, user: str) -> TestClient:
    """A client signed in as ``user`` (one per store and user: argon2 is slow on purpose)."""
    if (id(st), user) not in _CLIENTS:
        c = TestClient(create_app(st, clock=lambda: NOW))
        assert sign_in(c, user).status_code == 303
        _CLIENTS[id(st), user] = c
    return _CLIENTS[id(st), user]


UNIT = f"/c/{CID}/u/{OWN}"
# door -> (store fixture, user, page with the form, where it posts, what a valid post adds)
DOORS: dict[str, tuple[str, str, str, str, Body]] = {
    "answers": ("open_store", "canbo", UNIT, "/answers", {"a:1.1.2:value": "false"}),
    "submit": ("open_store", "canbo", UNIT, "/submit", {}),
    "explain": ("explaining_store", "canbo", UNIT, "/explain", {"e:1.1.1": "Đã ban hành"}),
    "appraise": (
        "explaining_store",
        "thamdinh",
        UNIT,
        "/appraise",
        {"s:1.1.3": "0,5", "r:1.1.3": "Thiếu phụ lục"},
    ),
    # the moves' "Tôi xác nhận…" box ticked, as a person confirming would (i16-ops)
    "advance": ("explaining_store", "thamdinh", UNIT, "/advance", {"confirm": "1"}),
    "campaign.advance": ("open_store", "quantri", f"/c/{CID}", "/advance", {"confirm": "1"}),
    "account.add": (
        "open_store",
        "quantri",
        "/admin/accounts",
        "/admin/accounts",
        {"username": "moi", "role": "auditor", "password": "mật-khẩu-mới-123"},
    ),
    "account.active": (
        "open_store",
        "quantri",
        "/admin/accounts",
        "/admin/accounts/canbo2/active",
        {"confirm": "1"},
    ),
}
VERSIONED = ("answers", "submit", "explain", "appraise", "advance")
ABSENT = "Biểu mẫu gửi lên thiếu"  # the page speaks Vietnamese unless English is picked
# a stale version on a form people type into is shown beside the form, in Vietnamese
CONFLICT = {"answers": "người khác đã lưu", "submit": "người khác đã lưu",
            "explain": "người khác đã lưu", "appraise": "người khác đã lưu",
            "advance": "đã bị người khác thay đổi"}  # fmt: skip
# a version that cannot be the unit's: the forms above keep it in their hidden field; a
# unit's move refused on the error page says, in Vietnamese, to reload the page
STALE = {"advance": "biểu mẫu đã cũ; hãy tải lại trang"}

# (door, how the body the page sends is changed, status, message in the page)
CASES: list[tuple[str, str, Callable[[Body, int], Body], int, str]] = []
for door in DOORS:
    CASES.append((door, "empty body", lambda b, v: {}, 400, ABSENT))
for door in VERSIONED:
    stale = STALE.get(door, "version")
    CASES += [
        (door, "no version", lambda b, v: {k: x for k, x in b.items() if k != "version"}, 400,
         "version"),
        (door, "empty version", lambda b, v: b | {"version": ""}, 409, stale),
        (door, "version abc", lambda b, v: b | {"version": "abc"}, 409, stale),
        (door, "version -1", lambda b, v: b | {"version": "-1"}, 409, stale),
        (door, "version ²", lambda b, v: b | {"version": "²"}, 409, stale),
        (door, "version +1", lambda b, v: b | {"version": str(v + 1)}, 409,
         CONFLICT.get(door, "changed by someone")),
        (door, "version -1 step", lambda b, v: b | {"version": str(v - 1)}, 409,
         CONFLICT.get(door, "changed by")),
        (door, "version huge", lambda b, v: b | {"version": "9" * 30}, 409, stale),
    ]  # fmt: skip
CASES += [
    ("answers", "version only", lambda b, v: {"version": str(v)}, 400,
     "thiếu các trường của 64 tiêu chí"),
    ("answers", "one leaf's fields missing",
     lambda b, v: {k: x for k, x in b.items() if not k.startswith("a:1.1.3:")}, 400, "(1.1.3)"),
    ("answers", "one input missing",
     lambda b, v: {k: x for k, x in b.items() if k != "a:1.1.1:done_on"}, 400, "(1.1.1)"),
    ("answers", "evidence missing",
     lambda b, v: {k: x for k, x in b.items() if k != "a:1.2.1:evidence"}, 400, "(1.2.1)"),
    ("answers", "no answer fields",
     lambda b, v: {k: x for k, x in b.items() if not k.startswith("a:")}, 400, ABSENT),
    ("explain", "no explanation", lambda b, v: b | {"e:1.1.1": ""}, 400, "ít nhất một"),
    ("appraise", "no new score", lambda b, v: {k: x for k, x in b.items() if k[:2] != "s:"},
     400, "ít nhất một điểm mới"),
    ("advance", "no target", lambda b, v: {k: x for k, x in b.items() if k != "target"}, 400,
     "target"),
    ("campaign.advance", "no target", lambda b, v: {k: x for k, x in b.items() if k != "target"},
     400, "target"),
    ("account.add", "no password",
     lambda b, v: {k: x for k, x in b.items() if k != "password"}, 400, "password"),
    ("account.add", "no role", lambda b, v: {k: x for k, x in b.items() if k != "role"}, 400,
     "role"),
    ("account.active", "no active", lambda b, v: {k: x for k, x in b.items() if k != "active"},
     400, "active"),
    ("account.active", "active yes", lambda b, v: b | {"active": "yes"}, 400, "active"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("door", "case", "change", "status", "message"),
    CASES,
    ids=[f"{d}-{c}" for d, c, *_ in CASES],
)
def test_a_post_without_its_fields_or_version_changes_nothing(
    request: pytest.FixtureRequest,
    door: str,
    case: str,
    change: Callable[[Body, int], Body],
    status: int,
    message: str,
) -> None:
    """A write posted without a field its form always sends, or with any version but the
    unit's current one, is refused with the reason in the page, and the store (documents,
    unit versions, accounts, the audit log) is exactly as before."""
    fixture, user, page, action, adds = DOORS[door]
    st: Store = request.getfixturevalue(fixture)
    c = _signed_in(st, user)
    path = action if action.startswith("/admin") else page + action
    good = form(c.get(page).text, action) | adds
    csrf = good.pop("csrf")
    before = _snapshot(st)
    body = change(good, _version(st))
    r = c.post(path, data=body, headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert r.status_code == status, (r.status_code, r.text[:600])
    assert message in r.text, r.text[:3000]
    assert _snapshot(st) == before


def test_the_empty_save_that_wiped_a_self_assessment(open_store: Store) -> None:
    """Regression: a save with an empty body (the CSRF token in its header) used to store a
    self-assessment with no answers at all; now it is refused and the answers stay."""
    c = _signed_in(open_store, "canbo")
    csrf = form(c.get(UNIT).text, "/answers")["csrf"]
    before = _snapshot(open_store)
    r = c.post(UNIT + "/answers", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert r.status_code == 400 and "thiếu các trường của 64 tiêu chí" in r.text
    assert _snapshot(open_store) == before
    shown = form(r.text, "/answers")  # the page shows what is stored, not blanks to save
    assert shown["a:1.1.3:value"] and shown["version"] == str(_version(open_store))


def test_typed_values_stay_and_the_version_read_stays_on_a_refused_save(
    open_store: Store,
) -> None:
    """A refused save shows what the officer typed (and what is stored for the leaves that were
    not posted), with the version the form was read at, so saving it again after someone else
    saved is still a conflict."""
    c = _signed_in(open_store, "canbo")
    fields = form(c.get(UNIT).text, "/answers")
    stored_113 = fields["a:1.1.3:value"]
    typed = {k: v for k, v in fields.items() if not k.startswith("a:1.1.3:")}
    typed |= {"a:1.1.2:value": "false", "a:1.1.1:done_on": "09/02/2018", "version": "1"}
    r = c.post(UNIT + "/answers", data=typed)
    assert r.status_code == 400 and "(1.1.3)" in r.text
    shown = form(r.text, "/answers")
    assert shown["a:1.1.2:value"] == "false" and shown["a:1.1.1:done_on"] == "09/02/2018"
    assert shown["a:1.1.3:value"] == stored_113
    assert shown["version"] == "1" != str(_version(open_store))
    again = c.post(UNIT + "/answers", data=shown)
    assert again.status_code == 409


def test_the_live_score_refuses_a_form_without_its_fields(open_store: Store) -> None:
    """The re-score endpoint does not read absent fields as cleared answers either."""
    c = _signed_in(open_store, "canbo")
    fields = form(c.get(UNIT).text, "/answers")
    partial = {k: v for k, v in fields.items() if not k.startswith("a:1.1.3:")}
    r = c.post(f"/api/c/{CID}/u/{OWN}/simulate", data=partial,
               headers={"X-CSRF-Token": fields["csrf"]})  # fmt: skip
    assert r.status_code == 400 and "(1.1.3)" in r.json()["errors"][""]


# ---------------------------------------------------------------- the sign-in throttle

PROXY, CLIENT = "203.0.113.7", "192.0.2.9"


def _fail_from(c: TestClient, forwarded_for: str) -> int:
    c.headers["X-Forwarded-For"] = forwarded_for
    return int(sign_in(c, "khong-co-ai", "đoán mò mật khẩu").status_code)


def test_forged_forwarded_for_does_not_escape_the_address_limit(open_store: Store) -> None:
    """By default X-Forwarded-For is ignored: twenty failures from one peer, each claiming
    another address, still block that peer (even with the right password)."""
    c = TestClient(create_app(open_store, clock=lambda: NOW), client=(CLIENT, 40000))
    for i in range(20):
        assert _fail_from(c, f"198.51.100.{i}") == 401
    c.headers["X-Forwarded-For"] = "198.51.100.200"
    r = sign_in(c, "canbo")
    assert r.status_code == 429 and "Có quá nhiều lần đăng nhập sai" in r.text


def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(open_store: Store) -> None:
    """With a trusted proxy, the address it forwards is the one limited; another peer's
    header is still ignored."""
    app = create_app(open_store, clock=lambda: NOW, trusted_proxies=[PROXY])
    proxy = TestClient(app, client=(PROXY, 40000))
    for i in range(20):  # twenty clients behind the proxy, one failure each
        assert _fail_from(proxy, f"198.51.100.{i}") == 401
    proxy.headers["X-Forwarded-For"] = "198.51.100.50"
    assert sign_in(proxy, "canbo").status_code == 303  # the proxy itself is not blocked
    proxy = TestClient(app, client=(PROXY, 40001))
    for _ in range(20):  # one client behind the proxy, twenty failures
        assert _fail_from(proxy, "198.51.100.99") == 401
    assert _fail_from(proxy, "198.51.100.99") == 429
    direct = TestClient(app, client=(CLIENT, 40000))  # not a trusted proxy: header ignored
    for i in range(20):
        assert _fail_from(direct, f"198.51.100.{100 + i}") == 401
    assert _fail_from(direct, "198.51.100.250") == 429


@pytest.mark.parametrize("bad", ["*", "proxy.local", "", "10.0.0.0/33", "127.0.0.1, 10.0.0.1"])
def test_trusted_proxies_are_addresses_or_networks(bad: str) -> None:
    """A name, ``*`` or a typo cannot make the app trust every X-Forwarded-For."""
    with pytest.raises(SubmissionError, match="trusted proxy"):
        trusted([bad])
    assert trusted(["127.0.0.1", "10.0.0.0/8", "::1"]) == ["127.0.0.1", "10.0.0.0/8", "::1"]


def test_serve_reads_forwarded_for_only_from_the_proxies_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`parindex serve` turns uvicorn's own proxy-header reading off (it would trust
    127.0.0.1 by default) and installs it for --trusted-proxy addresses only."""
    import uvicorn
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    open_copy(tmp_path).close()
    db = f"sqlite:///{tmp_path / 'web-open.db'}"
    runs: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append((app, kw)))
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    run = CliRunner().invoke
    assert run(cli, ["--db", db, "serve"]).exit_code == 0
    assert run(cli, ["--db", db, "serve", "--trusted-proxy", "127.0.0.1",
                     "--trusted-proxy", "10.0.0.0/8"]).exit_code == 0  # fmt: skip
    bad = run(cli, ["--db", db, "serve", "--trusted-proxy", "*"])
    assert bad.exit_code == 1 and "trusted proxy" in bad.output
    (plain, kw1), (behind, kw2) = runs
    assert kw1["proxy_headers"] is False and kw2["proxy_headers"] is False
    assert all(m.cls is not ProxyHeadersMiddleware for m in plain.user_middleware)
    (mw,) = [m for m in behind.user_middleware if m.cls is ProxyHeadersMiddleware]
    assert mw.kwargs["trusted_hosts"] == ["127.0.0.1", "10.0.0.0/8"]


# ---------------------------------------------------------------- unlocking an account


def _lock(st: Store, username: str, now: dt.datetime) -> None:
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Exception, match="wrong username or password"):
            accounts.sign_in(st, username, "wrong password!", now=now)


def _audit(st: Store, action: str) -> list[AuditRow]:
    with st.read() as s:
        return list(s.exec(select(AuditRow).where(AuditRow.action == action)))


def test_an_administrator_unlocks_a_locked_account_on_the_accounts_page(tmp_path: Path) -> None:
    """A locked account shows as locked with an unlock button; unlocking lets its owner sign
    in at once and is in the audit log; an account that is not locked cannot be unlocked."""
    st = open_copy(tmp_path)
    _lock(st, "canbo", NOW)
    officer = TestClient(create_app(st, clock=lambda: NOW))
    assert sign_in(officer, "canbo").status_code == 401  # locked: even the right password
    admin = TestClient(create_app(st, clock=lambda: NOW))
    assert sign_in(admin, "quantri").status_code == 303
    page = admin.get("/admin/accounts").text
    fields = form(page, "/admin/accounts/canbo/unlock")
    assert "/admin/accounts/canbo2/unlock" not in page  # only the locked account has one
    r = admin.post("/admin/accounts/canbo/unlock", data=fields, follow_redirects=False)
    assert r.status_code == 303
    (entry,) = _audit(st, "account.unlock")
    assert entry.actor == "quantri" and json.loads(entry.detail_json)["username"] == "canbo"
    assert sign_in(officer, "canbo").status_code == 303
    before = _snapshot(st)
    again = admin.post("/admin/accounts/canbo/unlock", data=fields)
    assert again.status_code == 409 and "không bị khóa" in again.text
    assert admin.post("/admin/accounts/nobody/unlock", data=fields).status_code == 400
    assert _snapshot(st) == before
    st.close()


def test_user_unlock_cli(tmp_path: Path) -> None:
    """`parindex user unlock NAME` lifts the lockout, recorded with the CLI's actor."""
    st = open_copy(tmp_path)
    real_now = dt.datetime.now(dt.UTC)  # the CLI's clock is the real one
    _lock(st, "canbo2", real_now)
    with st.read() as s:
        row = s.get(AccountRow, "canbo2")
        assert row is not None and accounts.is_locked(row, real_now)
    db = f"sqlite:///{tmp_path / 'web-open.db'}"
    run = CliRunner().invoke
    ok = run(cli, ["--db", db, "user", "unlock", "canbo2"], env={"PARINDEX_ACTOR": "quantri"})
    assert ok.exit_code == 0 and "Đã mở khóa tài khoản canbo2" in ok.output, ok.output
    (entry,) = _audit(st, "account.unlock")
    assert entry.actor == "quantri"
    accounts.sign_in(st, "canbo2", PASSWORD, now=real_now)  # signs in again
    again = run(cli, ["--db", db, "user", "unlock", "canbo2"])
    assert again.exit_code == 1 and "không bị khóa" in again.output
    nobody = run(cli, ["--db", db, "user", "unlock", "nobody"])
    assert nobody.exit_code == 1 and "Không có tài khoản 'nobody'" in nobody.output
    assert len(_audit(st, "account.unlock")) == 1
    st.close()


def test_a_deadline_not_done_is_read_back_as_not_done(real_index: Index) -> None:
    """A stored "not done" (done_on: null) shows as an empty date and, posted back with the rest
    of its row, is read as not done again; a row left wholly empty stays unanswered."""
    by_id = {r.id: r for r in forms.rows(real_index, "department")}
    row = by_id["2.2.1"]
    shown = forms.values_of(
        {"2.2.1": Answer.model_validate({"done_on": None, "self_score": 0})}, "vi"
    )
    posted = {name: shown.get(name, "") for name in forms.fields_of(row)}
    assert posted[forms.key("2.2.1", "done_on")] == ""
    assert forms.parse(posted, [row]).answers == {"2.2.1": {"done_on": None, "self_score": 0}}
    empty = {name: "" for name in forms.fields_of(row)}
    assert forms.parse(empty, [row]).answers == {}


def test_a_save_keeps_each_references_section_and_page(tmp_path: Path) -> None:
    """Saving the form unchanged keeps every stored evidence reference whole: its section and
    page too (the form's three-part line used to drop them)."""
    st = open_copy(tmp_path)
    c = TestClient(create_app(st, clock=lambda: NOW))
    assert sign_in(c, "canbo").status_code == 303
    fields = form(c.get(UNIT).text, "/answers")
    assert "Phụ lục I; 13" in fields["a:1.2.3:evidence"]  # the sample's reference, shown whole
    r = c.post(UNIT + "/answers", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    again = form(c.get(UNIT).text, "/answers")
    st.close()
    assert again["a:1.2.3:evidence"] == fields["a:1.2.3:evidence"]
    assert (
        "226/BC-STC; 05/10/2018; Báo cáo CCHC quý III/2018; Phụ lục I; 13"
        in again["a:1.2.3:evidence"]
    )


def test_the_form_reads_a_leafs_own_words_for_its_inputs() -> None:
    """A leaf's ``inputs:`` labels its field on the form (and in the form's error labels);
    the fields it does not name keep their kind's label."""
    from scoring.web import forms
    from tests.support.indexes import OWN_WORDS, index_from_text
    from tests.support.paths import MINI

    pack = (MINI / "rules" / "checks.yaml").read_text(encoding="utf-8")
    rows = forms.rows(index_from_text(OWN_WORDS, pack), "department")
    by_id = {r.id: r for r in rows}
    (done_on,) = by_id["1.2"].inputs
    assert done_on.label("vi") == "Ngày ban hành kế hoạch"
    assert done_on.label("en") == "Date the plan was issued"
    assert done_on.help("vi")  # the kind's help kept
    assert [i.label("vi") for i in by_id["1.3"].inputs] == ["Tử số", "Mẫu số"]
    assert forms.labels(rows, "vi")[forms.key("1.2", "done_on")] == "1.2 — Ngày ban hành kế hoạch"
