"""The self-assessment form: the live "where points are lost" rows its score box shows while
it is typed, and the form shown again after a refusal (dates, a bad version)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from scoring import CampaignResult, Index, load_campaign, score_campaign
from scoring.simulation.gaps import gaps
from scoring.store.db import Store
from scoring.store.schema import UnitRow
from scoring.web.pages.answers import gap_row
from tests.support.paths import SAMPLES
from tests.support.web import CID, OWN, client_as, open_copy
from tests.support.webforms import forms

UNIT = "so-giao-duc-va-dao-tao"


@pytest.fixture(scope="module")
def samples(real_index: Index) -> CampaignResult:
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


def _row(samples: CampaignResult, node: str, lang: str) -> dict[str, object]:
    found = next(g for g in gaps(samples.index, samples, UNIT) if g.node == node)
    return gap_row(found, samples.index.meta.rounding.places, lang)


def test_gap_row_writes_figures_with_a_decimal_comma_at_the_index_places(
    samples: CampaignResult,
) -> None:
    """Points, maximum and what can be won back read 1,31 / 2,00 in Vietnamese, never 34 digits."""
    row = _row(samples, "7.3.2", "vi")
    assert row["points"] == "1,31 / 2,00" and row["recoverable"] == "0,69"
    why = str(row["why"])  # the input in the leaf's own words
    assert "(+0,69)" in why and "Số hồ sơ tiếp nhận, giải quyết trực tuyến mức độ 3, 4 →" in why
    en = _row(samples, "7.3.2", "en")
    assert en["points"] == "1.31 / 2.00" and en["recoverable"] == "0.69"


def test_gap_row_names_a_level_by_its_label_not_its_code(samples: CampaignResult) -> None:
    """The level a unit could reach reads "Đầy đủ, đúng tiến độ", never ``dung-tien-do``."""
    row = _row(samples, "2.4.1", "vi")
    assert "Mức độ đạt được → Đầy đủ, đúng tiến độ (+0,50)" in str(row["why"])
    assert "dung-tien-do" not in str(row) and "level" not in str(row["why"])
    en = _row(samples, "2.4.1", "en")
    assert "Level reached → Fully and on schedule (+0.50)" in str(en["why"])
    assert "dung-tien-do" not in str(en)


# ---- the self-assessment form shown again: dates as people write them, a bad version


@pytest.fixture
def officer(tmp_path: Path) -> Iterator[tuple[Store, TestClient]]:
    """The 2018 samples open, signed in as the finance department's officer."""
    st = open_copy(tmp_path)
    yield st, client_as(st, "canbo")
    st.close()


def _answers(html: str) -> dict[str, str]:
    return next(f for f in forms(html) if f["id"] == "answers")["fields"]


def _unit_version(st: Store) -> int:
    with st.read() as s:
        row = s.get(UnitRow, (CID, OWN))
        assert row is not None
        return row.version


def _post(c: TestClient, body: dict[str, str], path: str = "/answers") -> Response:
    headers = {"X-CSRF-Token": body["csrf"]}
    return c.post(PAGE + path, data=body, headers=headers, follow_redirects=False)


PAGE = f"/c/{CID}/u/{OWN}"
DONE_ON, EVIDENCE, SCORE = "a:1.1.1:done_on", "a:1.1.1:evidence", "a:1.1.2:self_score"


def test_a_refused_form_shows_iso_dates_as_people_write_them(
    officer: tuple[Store, TestClient],
) -> None:
    """A form refused for another field shows a date typed 2018-02-03 as 03/02/2018, in
    its date field and in an evidence line (the rest of the line as typed); an unreadable
    date stays as typed beside its message."""
    _, c = officer
    body = _answers(c.get(PAGE).text) | {
        DONE_ON: "2018-02-03",
        EVIDENCE: "QĐ 5/QĐ-UBND;  2018-02-03 ; Kế hoạch CCHC\r\nCV 7; 5/3/2018",
        SCORE: "nhiều",
    }
    r = _post(c, body)
    assert r.status_code == 400
    again = _answers(r.text)
    assert again[DONE_ON] == "03/02/2018"
    assert again[EVIDENCE] == "QĐ 5/QĐ-UBND;  03/02/2018 ; Kế hoạch CCHC\r\nCV 7; 05/03/2018"
    assert again[SCORE] == "nhiều"  # the field refused, as typed
    bad = _post(c, body | {SCORE: "", DONE_ON: "2018-02-31"})
    assert bad.status_code == 400 and _answers(bad.text)[DONE_ON] == "2018-02-31"


def test_a_saved_iso_date_reads_as_people_write_it(officer: tuple[Store, TestClient]) -> None:
    """A date typed ISO is accepted, and the page after the save shows it as 03/02/2018."""
    _, c = officer
    body = _answers(c.get(PAGE).text) | {
        DONE_ON: "2018-02-03",
        EVIDENCE: "QĐ 5/QĐ-UBND; 2018-02-03; Kế hoạch CCHC",
    }
    assert _post(c, body).status_code == 303
    shown = _answers(c.get(PAGE).text)
    assert shown[DONE_ON] == "03/02/2018"
    assert shown[EVIDENCE] == "QĐ 5/QĐ-UBND; 03/02/2018; Kế hoạch CCHC"


@pytest.mark.parametrize("tampered", ["abc", "", "-1", "²", "9" * 30])
def test_a_tampered_version_is_a_conflict_shown_beside_the_form(
    officer: tuple[Store, TestClient], tampered: str
) -> None:
    """A version that is not one is a conflict (409) like a stale one: the form again with
    the values typed, the conflict message above it and the current version taken, so
    saving again applies the change; nothing is stored the first time."""
    st, c = officer
    current = _unit_version(st)
    body = _answers(c.get(PAGE).text) | {DONE_ON: "03/02/2018", "version": tampered}
    r = _post(c, body)
    assert r.status_code == 409
    assert "người khác đã lưu" in r.text and 'role="alert"' in r.text
    again = _answers(r.text)
    assert again[DONE_ON] == "03/02/2018" and again["version"] == str(current)
    assert _unit_version(st) == current
    assert _post(c, again).status_code == 303
    assert _unit_version(st) == current + 1


def test_a_tampered_version_on_submit_is_a_conflict(officer: tuple[Store, TestClient]) -> None:
    """Submitting with a version that is not one shows the unit page with the conflict
    message (409) and leaves the unit a draft."""
    st, c = officer
    submit = next(f for f in forms(c.get(PAGE).text) if f["action"].endswith("/submit"))
    r = _post(c, submit["fields"] | {"version": "abc"}, "/submit")
    assert r.status_code == 409 and "người khác đã lưu" in r.text
    assert 'id="answers"' in r.text
    with st.read() as s:
        row = s.get(UnitRow, (CID, OWN))
        assert row is not None and row.state == "draft"
