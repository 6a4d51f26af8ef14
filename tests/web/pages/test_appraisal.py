"""Refused appraisal and self-assessment posts keep what was typed: the message beside the
field, every value back in the form, in Vietnamese; an expired session leads back to the form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from scoring.store.db import Store
from scoring.web import create_app
from tests.support.web import CID, NOW, OWN, client_as, in_appraisal
from tests.support.webforms import form

UNIT = f"/c/{CID}/u/{OWN}"


@pytest.fixture(scope="module")
def st(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The campaign in appraisal, every unit submitted."""
    yield from in_appraisal(tmp_path_factory.mktemp("appraisal-pages"))


def test_a_change_without_its_reason_keeps_every_value_typed(st: Store) -> None:
    """A new score without a reason comes back with the message beside the reason, and the
    scores and reasons typed (valid or not) are still in the form."""
    c = client_as(st, "thamdinh")
    fields = form(c.get(UNIT).text, "/appraise")
    typed = {"s:1.1.3": "0,5", "s:1.1.1": "0,5", "r:1.1.1": "Ban hành muộn"}
    r = c.post(UNIT + "/appraise", data=fields | typed)
    assert r.status_code == 400
    again = form(r.text, "/appraise")
    assert {k: again[k] for k in typed} == typed
    beside = r.text[r.text.index('data-for="r:1.1.3"') :]
    assert beside.startswith('data-for="r:1.1.3">Hãy ghi lý do')


def test_a_score_out_of_range_is_named_beside_its_field(st: Store) -> None:
    """A score above the item's maximum is refused beside its field, in Vietnamese."""
    c = client_as(st, "thamdinh")
    fields = form(c.get(UNIT).text, "/appraise")
    r = c.post(UNIT + "/appraise", data=fields | {"s:1.1.3": "7", "r:1.1.3": "x"})
    assert r.status_code == 400
    beside = r.text[r.text.index('data-for="s:1.1.3"') :]
    assert beside.startswith('data-for="s:1.1.3">“7” nằm ngoài khoảng cho phép')
    assert form(r.text, "/appraise")["r:1.1.3"] == "x"


def test_a_post_after_the_session_expired_offers_a_sign_in_back_to_the_form(st: Store) -> None:
    """A form posted with no session gets a Vietnamese page whose sign-in link returns to the
    form (the browser kept the values), not an English error."""
    c = TestClient(create_app(st, clock=lambda: NOW))
    r = c.post(UNIT + "/appraise", data={"s:1.1.3": "1"}, follow_redirects=False)
    assert r.status_code == 401
    assert "Phiên đăng nhập đã hết hạn" in r.text
    assert f'href="/login?next={UNIT}"' in r.text


def test_a_tampered_version_on_an_appraisal_is_a_conflict_beside_the_form(st: Store) -> None:
    """An appraisal posted with a version that is not one comes back as a conflict (409): the
    message beside the form, the scores and reasons typed kept, the current version taken."""
    c = client_as(st, "thamdinh")
    fields = form(c.get(UNIT).text, "/appraise")
    typed = {"s:1.1.3": "0,5", "r:1.1.3": "Thiếu phụ lục"}
    r = c.post(UNIT + "/appraise", data=fields | typed | {"version": "x1"})
    assert r.status_code == 409 and "người khác đã lưu" in r.text
    again = form(r.text, "/appraise")
    assert {k: again[k] for k in typed} == typed and again["version"] == fields["version"]
