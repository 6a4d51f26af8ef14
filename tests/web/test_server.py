"""The web app, server side: sign-in, sessions, CSRF, each role's main path, formats, escaping.

Every test runs the real app (FastAPI's TestClient, no server) on a copy of a store with the
2018 samples imported and one account per role (``tests/support/web.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from scoring.cli import app as cli
from scoring.store import accounts
from scoring.store.cycle import run_cycle
from scoring.store.db import open_store
from scoring.store.schema import AppraisalRow, AuditRow, CampaignRow, DocumentRow, UnitRow
from scoring.web import create_app
from tests.support.paths import SAMPLES
from tests.support.registers import two_years
from tests.support.web import (
    CID,
    NOW,
    OTHER,
    OWN,
    PASSWORD,
    PEOPLE,
    csrf_of,
    open_copy,
    sign_in,
    to_appraisal,
)
from tests.support.webforms import form, forms


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def st(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_copy(tmp_path)
    yield store
    store.close()


@pytest.fixture
def client(st, clock: Clock) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(st, clock=clock)) as c:
        yield c


def _client(st, clock: Clock) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(st, clock=clock))


def _doc(st, uid: str) -> str:  # type: ignore[no-untyped-def]
    with st.read() as s:
        row = s.get(DocumentRow, (CID, "unit", uid))
        assert row is not None
        return str(row.text)


def _audit_count(st) -> int:  # type: ignore[no-untyped-def]
    with st.read() as s:
        return len(list(s.exec(select(AuditRow))))


# ---------------------------------------------------------------- sign-in and sessions


def test_sign_in_gives_a_new_session_and_sign_out_ends_it(client: TestClient) -> None:
    """Signing in issues a new HttpOnly, SameSite=Strict session (never the one offered); signing
    out ends it for good."""
    client.cookies.set("parindex_session", "chosen-by-an-attacker", domain="testserver.local")
    assert client.get("/", follow_redirects=False).status_code == 303  # not a session
    r = sign_in(client, "canbo")
    assert r.status_code == 303 and r.headers["location"] == "/"
    token = client.cookies.get("parindex_session")
    assert token and token != "chosen-by-an-attacker"  # a new token: no session fixation
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200
    csrf = csrf_of(client)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set("parindex_session", token, domain="testserver.local")  # replay
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_pages_need_sign_in(client: TestClient) -> None:
    """Without a session, pages redirect to the sign-in page and the API and posts answer 401."""
    r = client.get(f"/c/{CID}/u/{OWN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/c/{CID}/u/{OWN}"
    assert client.get(f"/api/c/{CID}/ranking").status_code == 401
    assert client.post(f"/c/{CID}/u/{OWN}/submit", data={}).status_code == 401


def test_wrong_password_is_limited_then_locked(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """Repeated wrong passwords lock the account, with the same answer as an unknown account,
    until the lockout ends."""
    c = _client(st, clock)
    for _ in range(accounts.MAX_FAILURES):
        r = sign_in(c, "canbo", "wrong password!")
        assert r.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in r.text
    r = sign_in(c, "canbo")  # the right password, but locked now: the same answer as before
    assert r.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in r.text
    assert sign_in(c, "nobody-here").status_code == 401  # same answer for an unknown account
    clock.at = NOW + accounts.LOCKOUT + dt.timedelta(seconds=1)
    assert sign_in(c, "canbo").status_code == 303


def test_sign_in_form_needs_its_csrf_token(client: TestClient) -> None:
    """A sign-in post without the form's CSRF token is refused and opens no session."""
    r = client.post("/login", data={"username": "canbo", "password": PASSWORD, "next": "/"})
    assert r.status_code == 403
    assert client.cookies.get("parindex_session") is None


def test_no_open_redirect_after_sign_in(client: TestClient) -> None:
    """After sign-in the browser returns to a local path only, never to another site."""
    page = client.get("/login?next=//evil.example/x")
    assert 'value="/"' in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post(
        "/login",
        data={
            "username": "canbo",
            "password": PASSWORD,
            "csrf": token[1],
            "next": "https://evil.example",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_passwords_are_never_stored_or_logged(  # type: ignore[no-untyped-def]
    st, client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Neither the right nor a wrong password appears in the database or the log; only its
    argon2id hash is stored."""
    sign_in(client, "canbo", "a wrong one, typed by mistake")
    sign_in(client, "canbo")
    st.close()
    raw = (tmp_path / "web-open.db").read_bytes()
    assert PASSWORD.encode() not in raw
    assert b"a wrong one" not in raw
    assert b"$argon2id$" in raw
    assert PASSWORD not in caplog.text


def test_account_cli(tmp_path: Path) -> None:
    """`parindex user add` and `user list` create and list accounts, refusing bad roles, names
    and short passwords, never showing the password."""
    db = f"sqlite:///{tmp_path / 'a.db'}"
    run = CliRunner().invoke
    # an officer belongs to a unit some campaign has (`user add` checks it)
    seeded = run(cli, ["--db", db, "--at", "2018-11-20", "import", str(SAMPLES)])
    assert seeded.exit_code == 0, seeded.output
    ok = run(
        cli,
        [
            "--db",
            db,
            "user",
            "add",
            "nguyen.van.a",
            "--role",
            "officer",
            "--unit",
            OWN,
            "--name",
            "Nguyễn Văn A",
            "--password-stdin",
        ],
        input="một-mật-khẩu-dài\n",
    )
    assert ok.exit_code == 0, ok.output
    for args, fragment in (
        (
            ["user", "add", "x.y", "--role", "king", "--password-stdin"],
            "role 'king'",
        ),
        (["user", "add", "x.y", "--role", "officer", "--password-stdin"], "needs its unit"),
        (["user", "add", "nguyen.van.a", "--role", "auditor", "--password-stdin"], "exists"),
        (["user", "add", "Bad Name", "--role", "auditor", "--password-stdin"], "username"),
    ):
        r = run(cli, ["--lang", "en", "--db", db, *args], input="một-mật-khẩu-dài\n")
        assert r.exit_code == 1 and fragment in r.output, r.output
    r = run(
        cli,
        ["--lang", "en", "--db", db, "user", "add", "a.b", "--role", "auditor", "--password-stdin"],
        input="short\n",
    )
    assert r.exit_code == 1 and "at least" in r.output
    listing = run(cli, ["--db", db, "user", "list"])
    # one line a person, in columns: username, role in Vietnamese, unit, state, name
    assert re.split(r"\s{2,}", listing.output.strip()) == [
        "nguyen.van.a",
        "cán bộ đơn vị",
        OWN,
        "đang hoạt động",
        "Nguyễn Văn A",
    ]
    assert "một-mật-khẩu" not in listing.output


# ---------------------------------------------------------------- CSRF


def test_a_form_without_its_csrf_token_changes_nothing(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """A post whose CSRF token is missing or forged is refused with 403 and changes neither the
    unit nor the audit log."""
    sign_in(client, "canbo")
    page = client.get(f"/c/{CID}/u/{OWN}")
    fields = form(page.text, "/answers")
    fields["a:1.1.2:value"] = "false"
    before, entries = _doc(st, OWN), _audit_count(st)
    for bad in ({k: v for k, v in fields.items() if k != "csrf"}, {**fields, "csrf": "forged"}):
        r = client.post(f"/c/{CID}/u/{OWN}/answers", data=bad, follow_redirects=False)
        assert r.status_code == 403
    r = client.post(f"/c/{CID}/u/{OWN}/submit", data={"version": fields["version"]})
    assert r.status_code == 403
    api = client.post(f"/api/c/{CID}/u/{OWN}/simulate", data=fields | {"csrf": ""})
    assert api.status_code == 403 and api.json()["error"]
    assert _doc(st, OWN) == before and _audit_count(st) == entries


# ---------------------------------------------------------------- the officer


def test_officer_fills_the_form_sees_the_score_move_saves_and_submits(
    st, client: TestClient
) -> None:  # type: ignore[no-untyped-def]
    """An officer's form shows the live score move, saves, submits, and can no longer be changed
    once submitted."""
    sign_in(client, "canbo")
    page = client.get(f"/c/{CID}/u/{OWN}")
    assert page.status_code == 200
    assert "Sở Tài chính" in page.text and 'id="answers"' in page.text
    fields = form(page.text, "/answers")
    url = f"/api/c/{CID}/u/{OWN}/simulate"
    head = {"X-CSRF-Token": fields["csrf"]}
    first = client.post(url, data=fields, headers=head).json()
    assert first["leaves"]["1.1.2"] == "0.50"
    fields["a:1.1.2:value"] = "false"  # 1.1.2 is a yes/no item worth 0.5
    moved = client.post(url, data=fields, headers=head).json()
    assert moved["leaves"]["1.1.2"] == "0.00"
    lost = {g["node"]: g for g in moved["gaps"]}  # where points are lost, as typed
    assert "1.1.2" not in {g["node"] for g in first["gaps"]}
    # as people write it: decimal commas at the index's places, the input's label
    assert lost["1.1.2"]["points"] == "0,00 / 0,50" and lost["1.1.2"]["recoverable"] == "0,50"
    why = lost["1.1.2"]["why"]  # the leaf's own words for its input
    assert "Kế hoạch đủ nhiệm vụ các lĩnh vực và có bố trí kinh phí → có" in why
    assert "value →" not in why
    before, after = first["summary"], moved["summary"]
    assert float(before["points"]) - float(after["points"]) == pytest.approx(0.5)
    assert after["rank"] >= before["rank"] and after["group_size"] == 20
    assert (
        client.post(url, data=fields | {"a:1.1.3:value": "8x,1"}, headers=head).status_code == 422
    )
    # nothing stored by simulating; now save with a decimal comma and a dd/mm/yyyy date
    fields["a:1.1.3:value"] = "81,3"
    fields["a:1.1.1:done_on"] = "09/02/2018"
    r = client.post(f"/c/{CID}/u/{OWN}/answers", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    text = _doc(st, OWN)
    assert "done_on: 2018-02-09" in text and "value: 81.3" in text
    assert re.search(r'"?1\.1\.2"?:\n\s+value: false', text)
    page = client.get(f"/c/{CID}/u/{OWN}")
    answers = form(page.text, "/answers")
    assert answers["a:1.1.3:value"] == "81,3"
    fields = form(page.text, "/submit")
    assert (
        client.post(f"/c/{CID}/u/{OWN}/submit", data=fields, follow_redirects=False).status_code
        == 303
    )
    with st.read() as s:
        unit = s.get(UnitRow, (CID, OWN))
        assert unit is not None and unit.state == "submitted"
        version = str(unit.version)
    locked = client.get(f"/c/{CID}/u/{OWN}")
    assert 'id="answers"' not in locked.text  # the form is locked
    again = client.post(f"/c/{CID}/u/{OWN}/answers",
                        data=answers | {"a:1.1.2:value": "true", "version": version})  # fmt: skip
    assert again.status_code == 409 and "không thể thay đổi lúc này" in again.text


def test_officer_sees_where_points_are_lost(client: TestClient) -> None:
    """The officer's unit page lists where points are lost and draws the area profile."""
    sign_in(client, "canbo")
    page = client.get(f"/c/{CID}/u/{OWN}")
    assert "Điểm bị mất và cách khôi phục" in page.text
    assert "<svg" in page.text  # the area profile against the group median


def test_bad_form_values_are_named_and_nothing_is_stored(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """Bad values are named in the form, kept as typed, and nothing is stored; a stale version is
    a 409, a huge body a 413."""
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    before = _doc(st, OWN)
    bad = fields | {"a:1.1.1:done_on": "31/02/2018", "a:1.5.1:count": "2,5"}
    r = client.post(f"/c/{CID}/u/{OWN}/answers", data=bad)
    assert r.status_code == 400
    assert "1.1.1:done_on" in r.text and "1.5.1:count" in r.text
    assert 'value="31/02/2018"' in r.text  # what was typed stays in the form
    stale = fields | {"version": "1"}  # someone saved in between (the import made it 2)
    assert client.post(f"/c/{CID}/u/{OWN}/answers", data=stale).status_code == 409
    assert _doc(st, OWN) == before
    huge = client.post(
        f"/c/{CID}/u/{OWN}/answers",
        content=b"x" * 2_000_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413


def test_officer_explains_round_one_changes(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """After round 1, the officer explains an appraiser's change, and the appraiser sees the
    explanation for round 2."""
    to_appraisal(st)
    a, o = _client(st, clock), _client(st, clock)
    sign_in(a, "thamdinh")
    fields = form(a.get(f"/c/{CID}/u/{OWN}").text, "/appraise")
    fields |= {"s:1.1.1": "0,5", "r:1.1.1": "Kế hoạch ban hành muộn"}
    assert (
        a.post(f"/c/{CID}/u/{OWN}/appraise", data=fields, follow_redirects=False).status_code == 303
    )
    for target in ("appraised_1", "explanation"):
        f = form(a.get(f"/c/{CID}/u/{OWN}").text, "/advance")
        f = next(
            fm["fields"]
            for fm in forms(a.get(f"/c/{CID}/u/{OWN}").text)
            if fm["action"].endswith("/advance") and fm["fields"].get("target") == target
        )
        f |= {"confirm": "1"}  # the "Tôi xác nhận…" box
        assert (
            a.post(f"/c/{CID}/u/{OWN}/advance", data=f, follow_redirects=False).status_code == 303
        )
    sign_in(o, "canbo")
    page = o.get(f"/c/{CID}/u/{OWN}")
    fields = form(page.text, "/explain")
    assert "e:1.1.1" in fields
    fields |= {"e:1.1.1": "Đã ban hành đúng hạn, xem văn bản kèm", "ev:1.1.1": "12/KH-STC"}
    r = o.post(f"/c/{CID}/u/{OWN}/explain", data=fields, follow_redirects=False)
    assert r.status_code == 303
    page = a.get(f"/c/{CID}/u/{OWN}")
    assert "Đã ban hành đúng hạn" in page.text and "Vòng 2" in page.text


# ---------------------------------------------------------------- the appraiser and the auditor


def test_appraiser_lowers_a_score_with_a_reason_and_the_auditor_finds_it(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """An appraiser lowers a score with a reason; the auditor finds the change, its reason and
    its appraiser in the trace and the audit log."""
    to_appraisal(st)
    a = _client(st, clock)
    sign_in(a, "thamdinh")
    units = a.get(f"/c/{CID}")
    assert units.status_code == 200 and "Đã nộp" in units.text
    page = a.get(f"/c/{CID}/u/{OWN}")
    assert "Thẩm định — Vòng 1" in page.text
    fields = form(page.text, "/appraise")
    no_reason = a.post(f"/c/{CID}/u/{OWN}/appraise", data=fields | {"s:1.1.3": "0,5"})
    assert no_reason.status_code == 400 and "Hãy ghi lý do" in no_reason.text
    reason = "Báo cáo <b>không</b> có phụ lục kết quả"
    ok = a.post(
        f"/c/{CID}/u/{OWN}/appraise",
        data=fields | {"s:1.1.3": "0,5", "r:1.1.3": reason},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    ranking = a.get(f"/c/{CID}/ranking")
    assert ranking.status_code == 200 and ranking.text.count("<svg") >= 2
    assert "Hài lòng (%)" in ranking.text  # the satisfaction index beside the PAR index
    assert "Chỉ số hài lòng bình quân của nhóm" in ranking.text
    k = _client(st, clock)
    sign_in(k, "kiemtoan")
    trace = k.get(f"/c/{CID}/u/{OWN}/trace")
    assert trace.status_code == 200
    row = trace.text[trace.text.index('id="step-1.1.3"') :]
    row = row[: row.index("</tr>")]
    assert "1,50 → 0,50" in row
    assert "Báo cáo &lt;b&gt;không&lt;/b&gt; có phụ lục kết quả" in row  # escaped, not markup
    assert "Người thamdinh" in row and "20/11/2018" in row  # who (by name) and when
    assert "Giá trị theo khoảng" in row  # the rule kind, in Vietnamese (not value_bands)
    assert "Khoảng [" not in trace.text and "Trên 90 đến 100" in row  # bands in words
    assert not re.search(r"\d[.,]\d{20,}", trace.text)  # no 34-digit figures
    log = k.get("/audit")
    assert "Chuỗi băm toàn vẹn" in log.text and "appraisal" in log.text
    # the auditor changes nothing
    f = form(page.text, "/appraise") | {"csrf": csrf_of(k), "s:1.1.3": "1", "r:1.1.3": "x"}
    assert k.post(f"/c/{CID}/u/{OWN}/appraise", data=f).status_code == 403


def test_campaign_pages_show_times_in_the_campaigns_time_zone(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """An appraisal made at 09:00 UTC shows as 16:00 in Hà Nội, 18:00 for a Tokyo campaign."""
    to_appraisal(st)
    a = _client(st, clock)
    sign_in(a, "thamdinh")
    fields = form(a.get(f"/c/{CID}/u/{OWN}").text, "/appraise")
    data = fields | {"s:1.1.3": "0,5", "r:1.1.3": "thiếu phụ lục"}
    assert (
        a.post(f"/c/{CID}/u/{OWN}/appraise", data=data, follow_redirects=False).status_code == 303
    )

    def shown() -> str:
        k = _client(st, clock)
        sign_in(k, "kiemtoan")
        trace = k.get(f"/c/{CID}/u/{OWN}/trace").text
        row = trace[trace.index('id="step-1.1.3"') :]
        return row[: row.index("</tr>")]

    assert "20/11/2018 16:00" in shown()
    with st.transaction() as s:
        row = s.get(CampaignRow, CID)
        assert row is not None
        row.time_zone = "Asia/Tokyo"
        s.add(row)
    assert "20/11/2018 18:00" in shown() and "16:00" not in shown()


def test_audit_page_shows_written_and_effective_times(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """The audit page has both times of each entry, in local dd/mm/yyyy HH:MM, no UTC ISO."""
    sign_in(client, "kiemtoan")
    page = client.get("/audit").text
    assert "Thời điểm ghi" in page and "Thời điểm hiệu lực" in page
    assert "+00:00" not in page and re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", page)


def test_audit_page_shows_tampering(st, client: TestClient, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The audit page says the hash chain is whole, then names the entry changed behind its back."""
    sign_in(client, "kiemtoan")
    assert "Chuỗi băm toàn vẹn" in client.get("/audit").text
    with sqlite3.connect(tmp_path / "web-open.db") as db:
        db.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
    page = client.get("/audit")
    assert "Chuỗi băm bị phá vỡ" in page.text and "#2" in page.text


def test_auditor_verifies_a_published_campaign(tmp_path: Path, clock: Clock) -> None:
    """The auditor's verify page matches a published run with the store, and says so when the
    stored result is changed."""
    st = open_copy(tmp_path, published=True)
    c = _client(st, clock)
    sign_in(c, "kiemtoan")
    page = c.get(f"/c/{CID}/verify")
    assert page.status_code == 200 and "khớp với dữ liệu lưu trữ" in page.text
    assert "các lần công bố số 1" in page.text and "runs" not in page.text
    with sqlite3.connect(tmp_path / "web-published.db") as db:
        db.execute("UPDATE run SET result_json = replace(result_json, '\"1\"', '\"2\"')")
    page = c.get(f"/c/{CID}/verify")
    assert "KHÔNG khớp" in page.text
    st.close()


# ---------------------------------------------------------------- language, formats, escaping


def test_vietnamese_by_default_english_by_setting(client: TestClient) -> None:
    """Pages are in Vietnamese with decimal commas by default and in English with decimal points
    when chosen; names keep their diacritics."""
    sign_in(client, "quantri")
    vi = client.get(f"/c/{CID}").text
    assert "Kỳ đánh giá" in vi and "Điểm" in vi
    assert re.search(r'class="n">\d+,\d\d<', vi)  # decimal comma
    client.get("/lang/en")
    en = client.get(f"/c/{CID}").text
    assert "Campaign" in en and "Points" in en
    assert re.search(r'class="n">\d+\.\d\d<', en)
    assert "Sở Tài chính" in en  # names keep their diacritics in any language


def test_user_text_is_escaped_everywhere(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """Script typed into evidence and notes comes back escaped, under a CSP and frame-denying
    headers."""
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    evil = '<script>alert("x")</script>'
    fields["a:1.1.1:evidence"] = f"12/KH; 09/02/2018; {evil}"
    fields["a:1.1.1:note"] = evil
    assert (
        client.post(f"/c/{CID}/u/{OWN}/answers", data=fields, follow_redirects=False).status_code
        == 303
    )
    page = client.get(f"/c/{CID}/u/{OWN}")
    assert evil not in page.text
    assert "&lt;script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_json_endpoints(client: TestClient) -> None:
    """The JSON endpoints give the ranking per group and a unit's trace, and 404 for an unknown
    unit or campaign."""
    sign_in(client, "thamdinh")
    ranking = client.get(f"/api/c/{CID}/ranking").json()
    assert set(ranking["groups"]) == {"department", "district"}
    first = ranking["groups"]["department"][0]
    assert first["rank"] == 1 and "." in first["index"]
    unit = client.get(f"/api/c/{CID}/u/{OWN}").json()
    assert unit["unit_id"] == OWN and any(s["node"] == "1.1.1" for s in unit["trace"])
    assert client.get(f"/api/c/{CID}/u/no-such-unit").status_code == 404
    assert client.get("/api/c/no-such-campaign/ranking").status_code == 404


def test_admin_creates_and_disables_an_account(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """An administrator creates an account that can sign in, disables it (ending its session),
    and is refused a weak password."""
    c = _client(st, clock)
    sign_in(c, "quantri")
    fields = form(c.get("/admin/accounts").text, "/admin/accounts")
    fields |= {
        "username": "moi",
        "role": "auditor",
        "password": "mật-khẩu-mới-123",
        "display_name": "Trần Thị B",
    }
    assert c.post("/admin/accounts", data=fields, follow_redirects=False).status_code == 303
    other = _client(st, clock)
    assert sign_in(other, "moi", "mật-khẩu-mới-123").status_code == 303
    page = c.get("/admin/accounts")
    f = next(x["fields"] for x in forms(page.text) if x["action"] == "/admin/accounts/moi/active")
    assert c.post("/admin/accounts/moi/active", data=f).status_code == 400  # not confirmed
    assert other.get("/", follow_redirects=False).status_code == 200  # so still signed in
    f |= {"confirm": "1"}
    assert c.post("/admin/accounts/moi/active", data=f, follow_redirects=False).status_code == 303
    assert other.get("/", follow_redirects=False).status_code == 303  # its session ended
    weak = fields | {"username": "yeu", "password": "short"}
    assert c.post("/admin/accounts", data=weak).status_code == 400


def test_year_over_year_and_published_ranking(tmp_path: Path, clock: Clock) -> None:
    """A published campaign's ranking shows the stored results with last year's comparison and
    its charts, no draft banner."""
    st = open_copy(tmp_path, published=True)
    c = _client(st, clock)
    sign_in(c, "thamdinh")
    page = c.get("/c/langson-2019/ranking")
    assert page.status_code == 200
    assert "DỰ THẢO" not in page.text  # published: the stored results, no draft banner
    assert page.text.count("So với năm trước") == 2
    assert page.text.count("<svg") == 4  # ranking and last year against this year, per group
    assert "Không có kết quả công bố năm trước" not in page.text
    st.close()


def test_unit_names_are_escaped_and_static_files_stay_inside(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """A unit name holding HTML is escaped on every page, and static paths cannot climb out of
    the static folder."""
    with st.transaction() as s:
        unit = s.get(UnitRow, (CID, OTHER))
        assert unit is not None
        unit.name = "<img src=x onerror=alert(1)>Ban Dân tộc"
        s.add(unit)
    sign_in(client, "thamdinh")
    for path in (f"/c/{CID}", f"/c/{CID}/u/{OTHER}", f"/c/{CID}/ranking"):
        text = client.get(path).text
        assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text, path
    for path in ("/static/../../criteria.yaml", "/static/%2e%2e/%2e%2e/criteria.yaml",
                 "/static/..%2f..%2fcriteria.yaml"):  # fmt: skip
        r = client.get(path)
        assert r.status_code == 404 and "Lạng Sơn" not in r.text, path


def test_concurrent_appraisers_one_wins_the_others_are_told(st, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    """Six appraisers post a change of the same unit from the same page at once: one lands,
    the others get 409 (a stale version), none a 500; the audit chain still verifies."""
    import threading

    from scoring.store import audit as audit_log

    to_appraisal(st)
    clients = [_client(st, clock) for _ in range(6)]
    for c in clients:
        sign_in(c, "thamdinh")
    pages = [form(c.get(f"/c/{CID}/u/{OWN}").text, "/appraise") for c in clients]
    codes: list[int] = []
    gate = threading.Barrier(len(clients))

    def post(i: int) -> None:
        data = pages[i] | {"s:1.1.3": str(i % 2), "r:1.1.3": f"thẩm định viên {i}"}
        gate.wait()
        codes.append(clients[i].post(f"/c/{CID}/u/{OWN}/appraise", data=data,
                                     follow_redirects=False).status_code)  # fmt: skip

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303] + [409] * (len(clients) - 1), codes
    with st.read() as s:
        checked, problems = audit_log.verify(s)
        rows = list(s.exec(select(AppraisalRow)))
    assert problems == [] and checked > 0
    assert len(rows) == 1


def test_main_paths_on_every_store_backend(store) -> None:  # type: ignore[no-untyped-def]
    """The same app on SQLite and on PostgreSQL (when CI provides one): an officer saves and
    submits, an appraiser lowers a score with a reason, the auditor reads it in the trace."""
    from scoring.store import imports, moves

    imports.import_folder(store, SAMPLES, actor="seed", now=NOW)
    for name, (role, unit) in PEOPLE.items():
        accounts.add(store, name, role, PASSWORD, unit=unit, actor="seed", now=NOW)
    app = create_app(store, clock=lambda: NOW)
    officer, appraiser, auditor = TestClient(app), TestClient(app), TestClient(app)
    sign_in(officer, "canbo")
    fields = form(officer.get(f"/c/{CID}/u/{OWN}").text, "/answers") | {"a:1.1.2:value": "false"}
    assert officer.post(f"/c/{CID}/u/{OWN}/answers", data=fields,
                        follow_redirects=False).status_code == 303  # fmt: skip
    fields = form(officer.get(f"/c/{CID}/u/{OWN}").text, "/submit")
    assert officer.post(f"/c/{CID}/u/{OWN}/submit", data=fields,
                        follow_redirects=False).status_code == 303  # fmt: skip
    with store.read() as s:
        units = [u.unit_id for u in s.exec(select(UnitRow)) if u.unit_id != OWN]
    for uid in units:
        moves.submit(store, CID, uid, actor="seed", now=NOW)
    moves.advance_campaign(store, CID, "appraisal", actor="seed", now=NOW)
    sign_in(appraiser, "thamdinh")
    fields = form(appraiser.get(f"/c/{CID}/u/{OWN}").text, "/appraise")
    fields |= {"s:1.1.3": "1", "r:1.1.3": "Thiếu phụ lục"}
    assert appraiser.post(f"/c/{CID}/u/{OWN}/appraise", data=fields,
                          follow_redirects=False).status_code == 303  # fmt: skip
    sign_in(auditor, "kiemtoan")
    trace = auditor.get(f"/c/{CID}/u/{OWN}/trace").text
    assert "Thiếu phụ lục" in trace and "1,50 → 1,00" in trace
    assert "Chuỗi băm toàn vẹn" in auditor.get("/audit").text


def test_a_broken_database_is_a_503_not_a_traceback(st, client: TestClient, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The database going away between requests (a lost PostgreSQL connection, a damaged
    file): reads and writes answer 503 with a message; nothing is half-applied."""
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    st.engine.dispose()
    db = tmp_path / "web-open.db"
    saved = db.read_bytes()
    db.write_bytes(b"not a database any more" * 100)
    page = client.get(f"/c/{CID}/u/{OWN}", headers={"accept": "text/html"})
    assert page.status_code == 503 and "Cơ sở dữ liệu" in page.text and "Traceback" not in page.text
    api = client.get(f"/api/c/{CID}/ranking")
    assert api.status_code == 503 and api.json()["error"]
    st.engine.dispose()
    db.write_bytes(saved)
    r = client.post(f"/c/{CID}/u/{OWN}/answers", data=fields, follow_redirects=False)
    assert r.status_code == 303  # back as soon as the database is


def test_one_address_trying_many_accounts_is_slowed_down(client: TestClient) -> None:
    """Past 20 failed sign-ins a minute from one address, it gets 429 whatever it tries."""
    for i in range(20):
        assert sign_in(client, f"khong-co-{i}", "đoán mò mật khẩu").status_code == 401
    r = sign_in(client, "canbo")  # even the right password waits
    assert r.status_code == 429 and "Có quá nhiều lần đăng nhập sai" in r.text


# ---------------------------------------------------------------- found by a review


def test_an_appraiser_cannot_submit_for_the_unit(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """An appraiser's attempt to submit for a unit is refused with 409 and the unit stays a
    draft."""
    sign_in(client, "thamdinh")
    version = form(client.get(f"/c/{CID}/u/{OWN}").text, "/appraise")["version"]
    r = client.post(
        f"/c/{CID}/u/{OWN}/advance",
        data={"csrf": csrf_of(client), "target": "submitted", "version": version},
    )
    assert r.status_code == 409 and "Đơn vị tự nộp hồ sơ" in r.text
    with st.read() as s:
        unit = s.get(UnitRow, (CID, OWN))
        assert unit is not None and unit.state == "draft"


def test_numbers_with_exponents_are_refused_at_once(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """1e500000 would be a half-million-digit integer: refused as typed, not computed."""
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    head = {"X-CSRF-Token": fields["csrf"]}
    for bad in ("1e500000", "1E5", "١٢", "9" * 40, "1,2,3", "inf", "NaN"):
        r = client.post(f"/api/c/{CID}/u/{OWN}/simulate", data=fields | {"a:1.5.1:count": bad},
                        headers=head)  # fmt: skip
        assert r.status_code == 422 and "a:1.5.1:count" in r.json()["errors"], bad
    before = _doc(st, OWN)
    r = client.post(f"/c/{CID}/u/{OWN}/answers", data=fields | {"a:1.1.3:value": "1e500000"})
    assert r.status_code == 400 and _doc(st, OWN) == before


def test_odd_tokens_and_digits_are_refused_not_crashed(
    st, client: TestClient, clock: Clock
) -> None:  # type: ignore[no-untyped-def]
    """Non-ASCII CSRF tokens, superscript versions and page numbers are refused or ignored, never
    a server error."""
    page = client.get("/login")
    assert client.post("/login", data={"username": "canbo", "password": PASSWORD,
                                       "csrf": "é"}).status_code == 403  # fmt: skip
    assert page.status_code == 200
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    assert client.post(f"/c/{CID}/u/{OWN}/answers", data=fields | {"csrf": "é"}).status_code == 403
    r = client.post(f"/c/{CID}/u/{OWN}/submit", data={"csrf": fields["csrf"], "version": "²"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 409  # a version that is not a number is not the current one
    with st.read() as s:
        unit = s.get(UnitRow, (CID, OWN))
        assert unit is not None and unit.state == "draft"
    auditor = _client(st, clock)
    sign_in(auditor, "kiemtoan")
    assert auditor.get("/audit?page=²").status_code == 200


def test_a_chunked_body_past_the_limit_is_refused(client: TestClient) -> None:
    """A chunked request body larger than the limit is refused with 413."""

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"a=" + b"x" * 100_000 + b"&"

    r = client.post("/login", content=chunks(),
                    headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert r.status_code == 413


def test_the_live_score_counts_cleared_fields_as_cleared(client: TestClient) -> None:
    """The live score of a form with every answer cleared is that of no answers, not of the
    stored ones."""
    sign_in(client, "canbo")
    fields = form(client.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    empty = {k: ("" if k.startswith("a:") else v) for k, v in fields.items()}
    r = client.post(f"/api/c/{CID}/u/{OWN}/simulate", data=empty,
                    headers={"X-CSRF-Token": fields["csrf"]})  # fmt: skip
    full = client.post(f"/api/c/{CID}/u/{OWN}/simulate", data=fields,
                       headers={"X-CSRF-Token": fields["csrf"]})  # fmt: skip
    assert float(r.json()["summary"]["points"]) < 30 < float(full.json()["summary"]["points"])


def test_a_failed_build_leaves_nothing_behind_in_the_cache(client: TestClient) -> None:
    """Requests for unknown campaigns leave no half-built entry in the page cache."""
    sign_in(client, "thamdinh")
    for i in range(5):
        assert client.get(f"/api/c/khong-co-{i}/ranking").status_code == 404
    assert client.app.state.web.cache._building == {}  # type: ignore[attr-defined]


def test_names_with_dollar_signs_draw(st, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """Matplotlib reads $…$ as TeX unless told not to; a unit name is text."""
    with st.transaction() as s:
        unit = s.get(UnitRow, (CID, OTHER))
        assert unit is not None
        unit.name = r"Sở $\frac{ $ x"
        s.add(unit)
    sign_in(client, "thamdinh")
    assert client.get(f"/c/{CID}/ranking").status_code == 200
    assert client.get(f"/c/{CID}/u/{OTHER}").status_code == 200


def test_ranking_lists_the_units_that_changed_by_the_register(tmp_path: Path) -> None:
    """The ranking page joins last year by the register: merged, new, ended, id conflicts."""
    st = open_store(f"sqlite:///{tmp_path / 'reg.db'}")
    for folder in two_years(tmp_path):
        run_cycle(st, folder, actor="seed")
    accounts.add(st, "quantri", "admin", PASSWORD, display_name="Quản trị", actor="seed", now=NOW)
    c = TestClient(create_app(st, clock=lambda: NOW))
    sign_in(c, "quantri")
    page = c.get("/c/reg-b/ranking")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Đơn vị thay đổi so với năm trước (reg-a)" in text
    assert "Sở Nông nghiệp và Môi trường (93,00): kế thừa từ Sở A (93,00), Sở B (31,17)" in text
    assert "Sở Ngoại vụ: đơn vị mới, hoạt động từ 01/08/2018" in text
    assert "Huyện H (31,17): không có đơn vị kế thừa, chấm dứt từ 01/07/2018" in text
    assert "x: Sở X → Ban X: cùng mã nhưng khác đơn vị, không so sánh" in text
    assert "Sở K (đổi tên): kế thừa từ Sở K" in text
