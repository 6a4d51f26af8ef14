"""Refusals speak the reader's language: what the store or the app refuses reads in Vietnamese
on a Vietnamese page and in English on an English page, and no English refusal leaks onto a
Vietnamese page.

Each test provokes one refusal through the real app, once per language (``/lang/en`` sets
English; Vietnamese is the default), and names the words each page must and must not show.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.store import moves
from scoring.store.db import Store
from scoring.web import create_app
from tests.support.web import CID, NOW, OWN, PASSWORD, client_as, open_copy, sign_in, to_appraisal
from tests.support.webforms import form

UNIT = f"/c/{CID}/u/{OWN}"
LANGS = ("vi", "en")


def _in(c: TestClient, lang: str) -> TestClient:
    """The client reading pages in ``lang`` (the language cookie, as the switch sets it)."""
    if lang == "en":
        c.get("/lang/en")
    return c


def _says(page: str, lang: str, vi: str, en: str) -> None:
    """``page`` says the refusal in ``lang`` and not in the other language."""
    text = html.unescape(page)
    said, other = (vi, en) if lang == "vi" else (en, vi)
    assert said in text, text[:3000]
    assert other not in text


@pytest.fixture
def opened(tmp_path: Path) -> Store:
    """The 2018 samples' store, the campaign open and every unit a draft."""
    return open_copy(tmp_path)


@pytest.fixture
def appraising(tmp_path: Path) -> Store:
    """The 2018 samples' store, every unit submitted and the campaign in appraisal."""
    st = open_copy(tmp_path)
    to_appraisal(st)
    return st


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_password_is_refused_in_the_readers_language(opened: Store, lang: str) -> None:
    """A wrong password shows the sign-in form again with the refusal in the page's language
    and the username typed kept (the password is typed again)."""
    c = _in(TestClient(create_app(opened, clock=lambda: NOW)), lang)
    r = sign_in(c, "canbo", "not-the-password-1")
    assert r.status_code == 401
    _says(
        r.text,
        lang,
        "Tên đăng nhập hoặc mật khẩu không đúng",
        "wrong username or password",
    )
    fields = form(r.text, "/login")
    assert fields["username"] == "canbo" and fields["password"] == ""
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_submitting_twice_is_refused_in_the_readers_language(opened: Store, lang: str) -> None:
    """The second post of the submit form (a double click, a page kept open) is refused on
    the unit's page: "already submitted" in the page's language, not the workflow's English."""
    c = _in(client_as(opened, "canbo"), lang)
    fields = form(c.get(UNIT).text, "/submit")
    assert c.post(UNIT + "/submit", data=fields, follow_redirects=False).status_code == 303
    r = c.post(UNIT + "/submit", data=fields)
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        f"Hồ sơ của đơn vị {OWN} đã nộp (đang ở «Đã nộp»), không thể nộp lại",
        f"unit {OWN} cannot go from submitted to submitted",
    )
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_appraising_when_no_round_is_open_is_refused_in_the_readers_language(
    appraising: Store, lang: str
) -> None:
    """An appraisal posted for a unit whose round 1 is over (appraised, not yet explained)
    is refused in the page's language, the states named as people name them."""
    c = _in(client_as(appraising, "thamdinh"), lang)
    fields = form(c.get(UNIT).text, "/appraise")
    moves.advance_unit(appraising, CID, OWN, "appraised_1", actor="seed", now=NOW)
    r = c.post(UNIT + "/appraise", data=fields | {"s:1.1.3": "0,5", "r:1.1.3": "Thiếu"})
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        "«Đã thẩm định vòng 1», kỳ đánh giá ở «Thẩm định»: không có vòng thẩm định nào đang mở",
        "no appraisal round is open",
    )
    appraising.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_bulk_step_on_a_changed_list_is_a_conflict_in_the_readers_language(
    appraising: Store, lang: str
) -> None:
    """A bulk step confirmed on a list that changed meanwhile (someone moved a unit) moves
    nothing and says so beside the list as it is now, in the page's language."""
    c = _in(client_as(appraising, "thamdinh"), lang)
    path = f"/c/{CID}/advance-all"
    fields = form(c.get(path + "?target=appraised_1").text, path)
    moves.advance_unit(appraising, CID, OWN, "appraised_1", actor="seed", now=NOW)
    r = c.post(path, data=fields | {"confirm": "1"})
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        f"Danh sách đơn vị chuyển được đã thay đổi từ khi hiển thị (không còn {OWN})",
        "the units that can move changed since the list was shown",
    )
    appraising.close()


@pytest.mark.parametrize("lang", LANGS)
def test_publishing_an_open_campaign_is_refused_in_the_readers_language(
    opened: Store, lang: str
) -> None:
    """Publishing a campaign that is still open is refused on the error page, the step it
    needs named in the page's language."""
    c = _in(client_as(opened, "quantri"), lang)
    token = form(c.get(f"/c/{CID}").text, "/advance")["csrf"]
    r = c.post(f"/c/{CID}/publish", data={"csrf": token, "confirm": "1"})
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        f"Kỳ đánh giá {CID} đang ở bước «Đang mở»: chỉ công bố được khi ở bước «Xem xét»",
        "it can be published from review only",
    )
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_account_keeps_the_form_and_says_why(opened: Store, lang: str) -> None:
    """A new account whose username is taken is refused above the form, in the page's
    language, with what was typed (but the password) still in it."""
    c = _in(client_as(opened, "quantri"), lang)
    typed = {"username": "canbo", "display_name": "Chị Lan", "role": "officer", "unit": OWN}
    fields = form(c.get("/admin/accounts").text, "/admin/accounts")
    r = c.post("/admin/accounts", data=fields | typed | {"password": PASSWORD})
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        "Tài khoản 'canbo' đã có; hãy chọn tên đăng nhập khác",
        "account 'canbo' already exists",
    )
    again = form(r.text, "/admin/accounts")
    assert {k: again[k] for k in typed} == typed and again["password"] == ""
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_an_administrator_disabling_themselves_is_refused_in_the_readers_language(
    opened: Store, lang: str
) -> None:
    """An administrator cannot disable their own account: the refusal reads in the page's
    language."""
    c = _in(client_as(opened, "quantri"), lang)
    token = form(c.get("/admin/accounts").text, "/admin/accounts")["csrf"]
    r = c.post(
        "/admin/accounts/quantri/active", data={"csrf": token, "active": "0", "confirm": "1"}
    )
    assert r.status_code == 409
    _says(
        r.text,
        lang,
        "Quản trị viên không thể tự khóa tài khoản của chính mình",
        "an administrator cannot disable their own account",
    )
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_unit_or_campaign_is_named_in_the_readers_language(
    opened: Store, lang: str
) -> None:
    """A misspelt unit or campaign in the address is a 404 in the page's language, naming
    the closest id."""
    c = _in(client_as(opened, "thamdinh"), lang)
    r = c.get(f"/c/{CID}/u/so-tai-chnh")
    assert r.status_code == 404
    _says(
        r.text,
        lang,
        f"Không có đơn vị 'so-tai-chnh' trong kỳ đánh giá '{CID}'",
        f"no unit 'so-tai-chnh' in campaign '{CID}'",
    )
    r = c.get("/c/langson-2081")
    assert r.status_code == 404
    _says(r.text, lang, "Không có kỳ đánh giá 'langson-2081'", "no campaign 'langson-2081'")
    opened.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_servers_own_refusals_are_in_the_readers_language(opened: Store, lang: str) -> None:
    """An address that is no page, or a method a page does not take, is the server's own
    refusal: a page in the reader's language too, with the way home."""
    c = _in(client_as(opened, "thamdinh"), lang)
    r = c.get("/khong-co-trang")
    assert r.status_code == 404
    _says(r.text, lang, "Không tìm thấy trang này", "Not Found")
    r = c.request("PUT", f"/c/{CID}")
    assert r.status_code == 405
    _says(r.text, lang, "phương thức không được hỗ trợ", "Method Not Allowed")
    assert 'href="/"' in r.text
    # a program asking for JSON keeps the exact English
    r = c.get("/api/khong-co", headers={"accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"] == "Not Found"
