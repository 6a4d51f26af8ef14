"""The web cache: a write invalidates only its campaign, the next page never shows stale data,
and a change to a few units re-scores only those (the same result as scoring it whole)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scoring.evaluation.documents import score_document
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import to_jsonable
from scoring.reports.build import build
from scoring.store import appraisal, changes, moves, publication, views
from scoring.store.appraisal import AppraisalChange
from scoring.store.changes import Change
from scoring.store.db import Store
from scoring.store.stored import units_of
from scoring.web import create_app
from scoring.web.pages import common
from scoring.web.site import Web
from scoring.web.state import Cache
from tests.support.web import CID, NOW, OWN, open_copy, sign_in, to_appraisal
from tests.support.webforms import form

LATER = NOW + dt.timedelta(days=30)


class Counted:
    """``views.result`` counting its calls (a whole campaign scored)."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = views.result

    def __call__(self, store: Store, cid: str) -> CampaignResult | None:
        self.calls += 1
        return self.real(store, cid)


@pytest.fixture
def whole(monkeypatch: pytest.MonkeyPatch) -> Counted:
    counter = Counted()
    monkeypatch.setattr(common.views, "result", counter)
    return counter


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    store = open_copy(tmp_path)
    yield store
    store.close()


def _web(client: TestClient) -> Web:
    web: Web = client.app.state.web  # type: ignore[attr-defined]
    return web


def _doc(result: CampaignResult) -> Any:
    """Everything a page can show of a result: the score document and every trace."""
    return to_jsonable(
        {
            "doc": score_document(result),
            "units": {r.unit_id: r for rs in result.groups.values() for r in rs},
            "errors": sorted(result.errors),
        }
    )


def _fresh(st: Store, cid: str = CID) -> Any:
    found = views.result(st, cid)
    assert found is not None
    return _doc(found)


def _points(client: TestClient, uid: str = OWN, cid: str = CID) -> str:
    data = client.get(f"/api/c/{cid}/u/{uid}").json()
    return str(data["points"])


def _ranked(client: TestClient, uid: str = OWN) -> Decimal:
    """The unit's points as the ranking (JSON) shows them."""
    ranking = client.get(f"/api/c/{CID}/ranking").json()
    return next(Decimal(u["points"]) for g in ranking["groups"].values() for u in g
                if u["unit"] == uid)  # fmt: skip


def test_a_saved_self_assessment_shows_at_once_and_only_its_unit_is_scored(
    st: Store, whole: Counted
) -> None:
    """After an officer saves the form, the next pages show the new points, the campaign is not
    scored whole again, and the cached result equals a whole re-score."""
    with TestClient(create_app(st, clock=lambda: NOW)) as client:
        sign_in(client, "canbo")
        page = client.get(f"/c/{CID}/u/{OWN}")
        before = _points(client)
        assert whole.calls == 1
        fields = form(page.text, "/answers")
        fields["a:1.1.2:value"] = "false"  # a yes/no item worth 0.5
        saved = client.post(f"/c/{CID}/u/{OWN}/answers", data=fields, follow_redirects=False)
        assert saved.status_code == 303, saved.text[:500]
        after = _points(client)
        assert Decimal(before) - Decimal(after) == Decimal("0.5")
        assert client.get(f"/c/{CID}/u/{OWN}").status_code == 200  # its profile redrawn
        assert whole.calls == 1  # re-scored unit by unit, not the whole campaign
        assert _doc(common.result(_web(client), CID)) == _fresh(st)
        shown, fresh = common.report(_web(client), CID), build(st, CID)
        assert shown.groups == fresh.groups and shown.scorecards == fresh.scorecards


def test_an_appraisal_change_shows_on_the_next_page(st: Store, whole: Counted) -> None:
    """An appraiser's change is on the unit's next page and in the ranking, re-scored unit by
    unit, equal to a whole re-score."""
    to_appraisal(st)
    with TestClient(create_app(st, clock=lambda: LATER)) as client:
        sign_in(client, "thamdinh")
        before, ranked = _points(client), _ranked(client)
        assert "1.1.2" in client.get(f"/c/{CID}/u/{OWN}").text
        change = AppraisalChange("1.1.2", Decimal(0), "Không có văn bản", "thamdinh")
        appraisal.appraise(st, CID, OWN, "1", [change], actor="thamdinh", now=LATER)
        assert Decimal(before) - Decimal(_points(client)) == Decimal("0.5")
        assert ranked - _ranked(client) == Decimal("0.5")
        assert whole.calls == 1
        assert _doc(common.result(_web(client), CID)) == _fresh(st)


def test_a_workflow_move_shows_and_keeps_the_result(st: Store, whole: Counted) -> None:
    """A unit submitted shows its new state on the campaign page at once; its scores did not
    change, so the cached result is kept as it is; a campaign move rebuilds it whole."""
    with TestClient(create_app(st, clock=lambda: NOW)) as client:
        sign_in(client, "thamdinh")
        web = _web(client)
        assert "Đã nộp" not in client.get(f"/c/{CID}").text
        kept = common.result(web, CID)
        moves.submit(st, CID, OWN, actor="canbo", now=NOW)
        assert "Đã nộp" in client.get(f"/c/{CID}").text
        assert common.result(web, CID) is kept and whole.calls == 1
        to_appraisal_rest(st)
        page = client.get(f"/c/{CID}")
        assert page.status_code == 200
        assert whole.calls == 2  # the campaign moved: scored whole
        assert _doc(common.result(web, CID)) == _fresh(st)


def to_appraisal_rest(st: Store) -> None:
    """Every other unit submits and the campaign moves to appraisal."""
    with st.read() as s:
        left = [u.unit_id for u in units_of(s, CID) if u.state == "draft"]
    for uid in left:
        moves.submit(st, CID, uid, actor="seed", now=NOW)
    moves.advance_campaign(st, CID, "appraisal", actor="seed", now=NOW)


def test_a_correction_shows_and_another_campaigns_cache_survives(tmp_path: Path) -> None:
    """A correction of 2019 recorded and published shows on 2019's pages at once (the
    ranking from the new run, verify from the new run), while 2018's cached result is kept
    as it is (and its report too, until a publication may change which year is last)."""
    st = open_copy(tmp_path, published=True)
    later = dt.datetime(2020, 3, 1, 9, tzinfo=dt.UTC)
    new = "langson-2019"
    with TestClient(create_app(st, clock=lambda: later)) as client:
        sign_in(client, "kiemtoan")
        web = _web(client)
        old_result, old_report = common.result(web, CID), common.report(web, CID)
        first = common.report(web, new)
        assert client.get(f"/c/{new}/verify").status_code == 200
        units = [u for g in first.groups for u in g.units if u.rank is not None]
        uid = units[0].unit_id
        change = AppraisalChange("1.1.2", Decimal(0), "Đính chính", "thamdinh")
        appraisal.appraise(st, new, uid, "correction", [change], actor="x", now=later)
        assert _doc(common.result(web, new)) == _fresh(st, new)  # the live result moved
        assert common.report(web, new).meta.run_id == first.meta.run_id  # as published
        assert common.report(web, CID) is old_report  # another campaign's change
        publication.publish(st, new, actor="x", now=later, reason="Đính chính số liệu")
        shown = common.report(web, new)
        assert shown.meta.run_kind == "correction" and shown.meta.run_id != first.meta.run_id
        page = client.get(f"/c/{new}/verify")
        assert page.status_code == 200 and str(shown.meta.run_id) in page.text
        assert common.result(web, CID) is old_result  # a publication: reports may move
    st.close()


@pytest.mark.parametrize(
    ("actions", "units"),
    [
        ([("unit.import", "a"), ("appraisal.round_1", "b")], {"a", "b"}),
        ([("unit.submit", "a"), ("explanation.add", "a")], set()),
        ([("unit.import", "a"), ("survey.import", None)], None),
        ([("campaign.publish", None)], None),
        ([("campaign.correction", None)], None),
        ([("campaign.advance", None)], None),
        ([("evidence.attach", "a")], None),  # an action not known here: the whole campaign
    ],
)
def test_which_changes_rescore_unit_by_unit(
    actions: list[tuple[str, str | None]], units: set[str] | None
) -> None:
    """Only a unit's answers or appraisal changes are re-scored unit by unit; its moves and
    explanations change nothing; anything else scores the campaign whole."""
    found = [Change(n, a, CID, u) for n, (a, u) in enumerate(actions, start=1)]
    assert changes.units_to_rescore(found) == units


def test_the_old_behaviour_is_kept_behind_a_switch(st: Store) -> None:
    """With ``PARINDEX_WEB_CACHE=store`` semantics any change moves every version."""
    per, whole_store = Cache(st, per_campaign=True), Cache(st, per_campaign=False)
    a, b = per.version("other"), whole_store.version("other")
    moves.submit(st, CID, OWN, actor="canbo", now=NOW)
    assert per.version("other") == a
    assert whole_store.version("other") != b
    assert per.version(CID) != a
