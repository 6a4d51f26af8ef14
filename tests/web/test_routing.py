"""The route table's own work: a year in a URL names the campaign its id does."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.store.db import Store
from scoring.web import create_app
from scoring.web.site import LANG_COOKIE
from tests.support.web import CID, NOW, OWN, csrf_of, open_copy, sign_in


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The web app on a copy of the store with the 2018 samples, the auditor signed in."""
    store: Store = open_copy(tmp_path)
    with TestClient(create_app(store, clock=lambda: NOW)) as c:
        sign_in(c, "kiemtoan")
        yield c
    store.close()


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/c/2018", f"/c/{CID}"),
        (f"/c/2018/u/{OWN}/trace?node=1.1", f"/c/{CID}/u/{OWN}/trace?node=1.1"),
        ("/c/2018/ranking", f"/c/{CID}/ranking"),
        ("/api/c/2018/ranking", f"/api/c/{CID}/ranking"),
    ],
)
def test_a_year_redirects_to_the_campaign_it_names(
    client: TestClient, path: str, target: str
) -> None:
    """/c/2018/… is redirected (307) to /c/langson-2018/…, the rest of the URL kept, and the
    page it leads to opens."""
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == target
    assert client.get(path).status_code == 200


def test_a_posted_form_follows_the_year_with_its_method(client: TestClient) -> None:
    """A form posted to a year's URL is redirected with 307, so it is posted again as it was."""
    sign_in(client, "canbo")
    url = f"/api/c/2018/u/{OWN}/simulate"
    r = client.post(url, headers={"X-CSRF-Token": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == f"/api/c/{CID}/u/{OWN}/simulate"


@pytest.mark.parametrize(
    ("path", "vi", "en"),
    [
        (
            "/c/2017/ranking",
            "Không có kỳ đánh giá '2017' (có phải ý bạn là '2018'?)",
            "no campaign '2017' (did you mean '2018'?)",
        ),
        (
            "/c/langson-2081",
            "Không có kỳ đánh giá 'langson-2081' (có phải ý bạn là 'langson-2018'?)",
            "no campaign 'langson-2081' (did you mean 'langson-2018'?)",
        ),
    ],
)
def test_an_unknown_campaign_is_a_404_naming_the_nearest(
    client: TestClient, path: str, vi: str, en: str
) -> None:
    """A year or an id with no campaign is a 404 in the reader's language with "did you
    mean" the nearest year or id; the JSON API says it as well."""
    r = client.get(path)
    assert r.status_code == 404 and vi in unescape(r.text)
    assert client.get(f"/api{path}" if path.endswith("ranking") else path).status_code == 404
    client.cookies.set(LANG_COOKIE, "en")
    r = client.get(path)
    assert r.status_code == 404 and en in unescape(r.text) and "Không có" not in r.text
    api = client.get("/api/c/2017/ranking")
    assert api.status_code == 404 and api.json()["error"].startswith("no campaign '2017'")


def test_a_year_with_several_campaigns_is_a_404_listing_them(tmp_path: Path) -> None:
    """Two campaigns of one year: the year is refused in Vietnamese, listing both ids."""
    from scoring.store import campaigns
    from tests.support.paths import ROOT

    store: Store = open_copy(tmp_path)
    campaigns.create(
        store,
        "langson-2018-b",
        2018,
        ROOT / "criteria.yaml",
        None,
        actor="admin",
        now=NOW,
    )
    with TestClient(create_app(store, clock=lambda: NOW)) as c:
        sign_in(c, "kiemtoan")
        r = c.get("/c/2018/ranking", follow_redirects=False)
    store.close()
    assert r.status_code == 404
    text = unescape(r.text)
    assert f"{CID}, langson-2018-b" in text and "2018" in text
