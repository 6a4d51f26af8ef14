"""Bulk steps and confirmations on the web: a confirmation page, a box checked on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from scoring.store import moves
from scoring.store.db import Store
from scoring.store.schema import AuditRow, CampaignRow, UnitRow
from tests.support.web import CID, NOW, OTHER, OWN, client_as, in_appraisal
from tests.support.webforms import form


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    """The 2018 samples' store with every unit submitted and the campaign in appraisal."""
    yield from in_appraisal(tmp_path)


def _states(st: Store) -> dict[str, str]:
    with st.read() as s:
        return {u.unit_id: u.state for u in s.exec(select(UnitRow))}


def _audit_count(st: Store) -> int:
    with st.read() as s:
        return len(list(s.exec(select(AuditRow))))


def test_the_appraiser_moves_every_eligible_unit_after_confirming(st: Store) -> None:
    """The campaign page offers each bulk step with its count; its page lists the units that
    move and those that do not with why; unconfirmed, nothing moves; confirmed, all move."""
    moves.advance_unit(st, CID, OWN, "appraised_1", actor="seed", now=NOW)
    c = client_as(st, "thamdinh")
    page = c.get(f"/c/{CID}").text
    assert f'href="/c/{CID}/advance-all?target=appraised_1"' in page
    assert "Đã nộp → Đã thẩm định vòng 1 (30 đơn vị)" in page
    confirm = c.get(f"/c/{CID}/advance-all?target=explanation")
    assert confirm.status_code == 200
    text = confirm.text
    assert "Các đơn vị sẽ chuyển bước: 1 đơn vị" in text and "Sở Tài chính" in text
    assert "Các đơn vị không đủ điều kiện: 30 đơn vị" in text
    assert "đang ở bước «Đã nộp», không phải «Đã thẩm định vòng 1»" in text
    fields = form(text, "/advance-all")
    assert fields["units"] == OWN and "confirm" not in fields
    before = (_states(st), _audit_count(st))
    r = c.post(f"/c/{CID}/advance-all", data=fields)
    assert r.status_code == 400 and "Tôi xác nhận" in r.text
    assert (_states(st), _audit_count(st)) == before
    r = c.post(f"/c/{CID}/advance-all", data=fields | {"confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert _states(st)[OWN] == "explanation"
    assert c.get(r.headers["location"]).text.count("Đã chuyển bước các đơn vị.") == 1


def test_a_list_that_changed_since_it_was_shown_moves_nothing(st: Store) -> None:
    """When another unit became eligible after the page was shown, the post is refused (409)
    on the list as it is now, saying which unit left it in Vietnamese, and no unit moves."""
    c = client_as(st, "thamdinh")
    fields = form(c.get(f"/c/{CID}/advance-all?target=appraised_1").text, "/advance-all")
    moves.advance_unit(st, CID, OTHER, "appraised_1", actor="seed", now=NOW)
    before = _states(st)
    r = c.post(f"/c/{CID}/advance-all", data=fields | {"confirm": "1"})
    assert r.status_code == 409 and f"không còn {OTHER}" in r.text
    assert _states(st) == before


@pytest.mark.parametrize("user", ["canbo", "kiemtoan", "quantri"])
def test_only_an_appraiser_may_move_units_in_bulk(st: Store, user: str) -> None:
    """Officers, auditors and administrators are refused the bulk step (403)."""
    c = client_as(st, user)
    assert c.get(f"/c/{CID}/advance-all?target=appraised_1").status_code == 403


@pytest.mark.parametrize(
    ("user", "page", "action", "adds"),
    [
        ("quantri", f"/c/{CID}", "/advance", {}),
        ("thamdinh", f"/c/{CID}/u/{OWN}", "/advance", {}),
    ],
)
def test_irreversible_moves_need_the_box_checked_on_the_server(
    st: Store, user: str, page: str, action: str, adds: dict[str, str]
) -> None:
    """A campaign or unit move posted without "Tôi xác nhận…" is refused (400, nothing
    changed), and goes through with it."""
    c = client_as(st, user)
    html = c.get(page).text
    assert 'name="confirm" value="1" required' in html
    fields = form(html, action) | adds
    path = page + action
    if user == "quantri":  # every unit final first, so the campaign may move to review
        for target in ("appraised_1", "explanation", "appraised_2", "final"):
            for uid in _states(st):
                moves.advance_unit(st, CID, uid, target, actor="seed", now=NOW)
        fields = form(c.get(page).text, action)
    before = (_states(st), _audit_count(st))
    r = c.post(path, data=fields)
    assert r.status_code == 400 and "Tôi xác nhận" in r.text
    assert (_states(st), _audit_count(st)) == before
    if user == "thamdinh":  # the form's version is the unit's as it was read
        fields = form(c.get(page).text, action)
    r = c.post(path, data=fields | {"confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert _audit_count(st) == before[1] + 1


def test_publishing_needs_the_box_and_then_shows_run_date_and_publisher(st: Store) -> None:
    """Publishing without the box is refused; once published, the campaign and ranking pages
    show the run, its date in local time and the publisher's name; an appraisal correction
    shows "đính chính chưa công bố" until it is published."""
    from scoring.store.appraisal import AppraisalChange, appraise

    for target in ("appraised_1", "explanation", "appraised_2", "final"):
        for uid in _states(st):
            moves.advance_unit(st, CID, uid, target, actor="seed", now=NOW)
    moves.advance_campaign(st, CID, "review", actor="seed", now=NOW)
    c = client_as(st, "quantri")
    fields = form(c.get(f"/c/{CID}").text, "/publish")
    assert c.post(f"/c/{CID}/publish", data=fields).status_code == 400
    with st.read() as s:
        assert s.get(CampaignRow, CID).state == "review"  # type: ignore[union-attr]
    r = c.post(f"/c/{CID}/publish", data=fields | {"confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303
    line = "Lần công bố số 1 (công bố) · Công bố lúc 20/11/2018 16:00 · Người công bố Người quantri"
    for page in (f"/c/{CID}", f"/c/{CID}/ranking"):
        text = c.get(page).text
        assert line in text and "Đính chính chưa công bố" not in text
    change = AppraisalChange("1.1.1", __import__("decimal").Decimal("0.5"), "Sai sót", "thamdinh")
    appraise(st, CID, OWN, "correction", [change], actor="thamdinh", now=NOW)
    for page in (f"/c/{CID}", f"/c/{CID}/ranking"):
        assert "Đính chính chưa công bố" in c.get(page).text
    fields = form(c.get(f"/c/{CID}").text, "/publish") | {"reason": "Đính chính 1.1.1"}
    assert "Tôi xác nhận công bố đính chính" in c.get(f"/c/{CID}").text
    r = c.post(f"/c/{CID}/publish", data=fields | {"confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303
    text = c.get(f"/c/{CID}").text
    assert "Lần công bố số 2 (đính chính)" in text and "Đính chính chưa công bố" not in text


def test_the_bulk_page_names_the_campaign_as_people_know_it(st: Store) -> None:
    """The bulk page's title and its way back name the campaign (Lạng Sơn 2018), its id only
    in the links."""
    page = client_as(st, "thamdinh").get(f"/c/{CID}/advance-all?target=appraised_1").text
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Lạng Sơn 2018" in title and CID not in title
    back = page[page.index(f'<a href="/c/{CID}">') :]
    back = back[: back.index("</a>")]
    assert back.endswith("Kỳ đánh giá Lạng Sơn 2018")
    assert CID not in back.removeprefix(f'<a href="/c/{CID}">')
