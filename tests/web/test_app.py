"""The app's construction: each app owns its route table, and two apps in one process share none."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from scoring.web import create_app
from scoring.web.app import routes
from tests.support.web import NOW, open_copy


def _declared(app: object) -> set[tuple[str, str]]:
    """Every (method, path) an app answers with a handler of its own (static files aside)."""
    return {
        (method, r.path)
        for r in app.routes  # type: ignore[attr-defined]
        if isinstance(r, APIRoute)
        for method in r.methods
    }


def test_the_route_table_is_the_apps_routes(tmp_path: Path) -> None:
    """An app's table lists each of its routes once, with the handler's name and an action."""
    st = open_copy(tmp_path)
    try:
        app = create_app(st, clock=lambda: NOW)
        table = routes(app)
        assert {(r.method, r.path) for r in table} == _declared(app)
        assert len({(r.method, r.path) for r in table}) == len(table)
        assert all(r.name and r.action for r in table)
    finally:
        st.close()


def test_a_second_app_leaves_the_first_ones_routes_alone(tmp_path: Path) -> None:
    """Building another app neither clears nor grows the first app's table, and both answer."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first_store, second_store = open_copy(tmp_path / "a"), open_copy(tmp_path / "b")
    try:
        first = create_app(first_store, clock=lambda: NOW)
        before = routes(first)
        second = create_app(second_store, clock=lambda: NOW)
        assert routes(first) == before and len(before) > 20
        assert routes(second) == before  # the same declarations, in a table of its own
        assert first.state.web is not second.state.web
        assert first.state.web.store is first_store and second.state.web.store is second_store
        for app in (first, second):
            assert TestClient(app).get("/healthz").json() == {"ok": True}
    finally:
        first_store.close()
        second_store.close()


def test_a_refused_page_says_why_in_the_readers_words(tmp_path: Path) -> None:
    """An officer opening the ranking is refused (403) in Vietnamese naming the role, never the
    policy's codes; the JSON API keeps the exact reason; English when picked."""
    from scoring.web.site import LANG_COOKIE
    from tests.support.web import CID, sign_in

    st = open_copy(tmp_path)
    with TestClient(create_app(st, clock=lambda: NOW)) as c:
        assert sign_in(c, "canbo").status_code == 303
        page = c.get(f"/c/{CID}/ranking")
        api = c.get(f"/api/c/{CID}/ranking")
        c.cookies.set(LANG_COOKIE, "en")
        english = c.get(f"/c/{CID}/ranking")
    st.close()
    assert page.status_code == 403 and "Cán bộ đơn vị" in page.text
    assert "may not" not in page.text and "ranking.read" not in page.text
    assert api.status_code == 403 and "officer may not ranking.read" in api.text
    assert (
        english.status_code == 403
        and "The role 'officer' may not do this" in english.text.replace("&#39;", "'")
    )
