"""A unit's pages as people read them: every page of every role free of raw field names and
English state codes in Vietnamese; the deadlines; the appraiser's view of the unit's figures,
self-score against points, explanations and people's names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scoring.campaign.appraisal_files import ExplanationEntry
from scoring.index.kinds import every_input
from scoring.store import moves, publication
from scoring.store.appraisal import AppraisalChange, appraise, respond
from scoring.store.db import Store
from scoring.store.workflow import CAMPAIGN_STATES, UNIT_STATES
from scoring.web.app import routes
from tests.support.web import (
    CID,
    NOW,
    OTHER,
    OWN,
    ROLE_USER,
    client_as,
    open_copy,
    to_appraisal,
)

UNIT = f"/c/{CID}/u/{OWN}"


class _Visible(HTMLParser):
    """The words a reader sees or hears: text outside scripts, and the attributes shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self._skip += 1
        for k, v in attrs:
            if k in ("title", "aria-label", "placeholder", "alt") and v:
                self.words.append(v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)


def visible(html: str) -> str:
    """The page's visible text and spoken attributes, one string."""
    p = _Visible()
    p.feed(html)
    return " ".join(p.words)


FIELD_NAMES = sorted(
    {inp.name for inp in every_input().values()} | {"self_score", "na", "evidence"}
)
STATE_CODES = sorted(set(UNIT_STATES) | set(CAMPAIGN_STATES))
RAW = re.compile(
    r"(?<![\w/.-])(" + "|".join(map(re.escape, FIELD_NAMES + STATE_CODES)) + r")(?![\w/-])"
)


@pytest.fixture(scope="module")
def st(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The campaign in appraisal: the officer's unit changed in round 1, explained, moved on
    to round 2 (so every part of the unit page shows); the other unit just submitted."""
    store = open_copy(tmp_path_factory.mktemp("unit-pages"))
    to_appraisal(store)
    change = AppraisalChange("1.1.3", Decimal("0.5"), "Thiếu phụ lục", "thamdinh")
    appraise(store, CID, OWN, "1", [change], actor="thamdinh", now=NOW)
    for target in ("appraised_1", "explanation"):
        moves.advance_unit(store, CID, OWN, target, actor="thamdinh", now=NOW)
    entry = ExplanationEntry(node="1.1.3", text="Phụ lục đã gửi bổ sung", author="canbo")
    respond(store, CID, OWN, [entry], actor="canbo", now=NOW)
    yield store
    store.close()


def _pages(c: TestClient) -> list[str]:
    """Every page (GET, not the JSON API) the app has, its ids filled with the samples'."""
    app = c.app
    out = []
    for spec in routes(app):  # type: ignore[arg-type]
        skip = ("/api", "/static", "/lang")
        if spec.method != "GET" or spec.path.startswith(skip):
            continue
        path = spec.path.replace("{cid}", CID).replace("{uid}", OWN)
        if "{" not in path:
            out.append(path)
    return [*out, f"/c/{CID}/u/{OTHER}"]


@pytest.mark.parametrize("role", sorted(ROLE_USER))
def test_no_page_shows_raw_field_names_or_state_codes_in_vietnamese(st: Store, role: str) -> None:
    """Every page a role can open, in Vietnamese, names fields by their labels and states by
    their Vietnamese names: no done_on, numerator, self_score, draft or appraised_1."""
    c = client_as(st, ROLE_USER[role])
    seen = 0
    for path in _pages(c):
        r = c.get(path)
        if r.status_code != 200 or "text/html" not in r.headers.get("content-type", ""):
            continue
        seen += 1
        found = sorted(set(RAW.findall(visible(r.text))))  # "where points are lost" too
        assert not found, (role, path, found)
    assert seen >= 3, role


def test_the_form_labels_fields_with_help_and_levels_without_codes(tmp_path: Path) -> None:
    """The officer's form labels each input in Vietnamese with its help text, and a level's
    choices show their labels only."""
    store = open_copy(tmp_path)
    c = client_as(store, "canbo")
    page = c.get(UNIT).text
    assert "Ngày ban hành kế hoạch CCHC" in page and "Ngày ban hành hoặc hoàn thành" in page
    assert "Số hồ sơ giải quyết đúng hạn" in page and "Số nguyên (0 nếu không có)" in page
    assert re.search(r'<option value="true"[^>]*>Có</option>', page)
    assert not re.search(r"<option value=\"[^\"]+\"[^>]*>\w+: ", page)  # "code: label" gone
    store.close()


def test_the_unit_page_shows_its_deadlines_in_local_time(st: Store) -> None:
    """The unit's page lists the submission and explanation deadlines as dd/mm/yyyy HH:MM."""
    page = client_as(st, "canbo").get(UNIT).text
    block = page[page.index('id="deadlines"') :]
    block = block[: block.index("</dl>")]
    assert "Nộp bản tự đánh giá" in block and "Giải trình" in block
    assert re.search(r"\d\d/\d\d/\d{4} 23:59", block) or "chưa đặt" in block


def test_the_appraiser_sees_figures_differences_explanations_and_names(st: Store) -> None:
    """The appraiser's table shows the unit's figures beside the points, marks where the
    self-score and the points differ, shows the explanation next to its item and names
    people by their display names."""
    page = client_as(st, "thamdinh").get(UNIT).text
    row = page[page.index('id="leaf-1.1.3"') :]
    row = row[: row.index("</tr>")]
    assert "Tỷ lệ nhiệm vụ kế hoạch CCHC đã hoàn thành (%):" in row  # 1.1.3's figure, labelled
    assert "Phụ lục đã gửi bổ sung" in row and "Người canbo" in row
    assert "Người thamdinh" in row and not re.search(r"(?<!Người )thamdinh ·", row)
    assert "Vòng 1" in row
    assert 'class="differs"' in page


def test_english_is_english_everywhere_on_the_form(tmp_path: Path) -> None:
    """With English picked, the form's labels, help and choices are English."""
    store = open_copy(tmp_path)
    c = client_as(store, "canbo")
    c.get("/lang/en")
    page = c.get(UNIT).text
    assert "Date the PAR plan was issued" in page and "Dossiers resolved on time" in page
    assert ">Yes</option>" in page and "A whole number (0 if none)" in page
    assert "Ngày ban hành kế hoạch CCHC" not in page and ">Có</option>" not in page
    store.close()


TRACE = f"{UNIT}/trace"
ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
RULE_ID = re.compile(r'<code class="rule-id"[^>]*>[^<]*</code>')


def _trace_words(c: TestClient) -> tuple[str, list[dict[str, Any]]]:
    """The trace page's visible words (its rule ids, kept as identifiers, left out) and the
    exact trace the JSON API gives for the same unit."""
    page = c.get(TRACE)
    assert page.status_code == 200
    steps = c.get(f"/api/c/{CID}/u/{OWN}").json()["trace"]
    return visible(RULE_ID.sub("", page.text)), steps


def _codes(steps: list[dict[str, Any]]) -> tuple[set[str], set[str], set[str]]:
    """The trace's branch codes, input names and level-like text values (``dung-tien-do``)."""
    branches = {s["branch"] for s in steps if s.get("branch")}
    names = {k for s in steps for k in (s.get("inputs") or {})}
    levels = {
        v
        for s in steps
        for v in (s.get("inputs") or {}).values()
        if isinstance(v, str) and re.fullmatch(r"[a-z]+(?:-[a-z]+)+", v)
    }
    return branches, names, levels


def _shown(word: str, text: str) -> bool:
    """Whether ``word`` stands on its own in ``text`` (not inside a longer word or an id)."""
    return re.search(rf"(?<![\w/.#-]){re.escape(word)}(?![\w/-])", text) is not None


def test_the_trace_page_reads_as_vietnamese_not_as_codes(st: Store) -> None:
    """In Vietnamese the trace shows branches, inputs, levels, notes, dates and yes/no for
    people; the JSON API keeps the exact codes and ISO dates."""
    words, steps = _trace_words(client_as(st, "thamdinh"))
    branches, names, levels = _codes(steps)
    assert {"on_time", "due", "days_late"} <= branches | names and levels  # the walk has codes
    assert any(ISO_DATE.search(str(v)) for s in steps for v in (s.get("inputs") or {}).values())
    found = sorted(w for w in branches | names | levels if _shown(w, words))
    assert not found, found
    steps_raw = ("node", "leaf", "total", "bonus", "penalty")  # a step's level, a code
    for raw in ("True", "False", "appraised", "evidence_missing", "langson-2018", *steps_raw):
        assert not _shown(raw, words), raw
    assert not ISO_DATE.search(words), ISO_DATE.findall(words)
    for said in ("Đúng hạn", "Hạn:", "Số ngày trễ:", "đã thẩm định", "Kỳ đánh giá năm 2018"):
        assert said in words, said
    assert "mã phiên bản chỉ số" in words and re.search(r"\d\d/\d\d/2018", words)


def test_the_trace_page_in_english_is_english(st: Store) -> None:
    """With English picked the trace's branches, inputs, notes and header are English, still
    free of codes, ISO dates and Vietnamese labels."""
    c = client_as(st, "thamdinh")
    c.get("/lang/en")
    words, steps = _trace_words(c)
    branches, names, levels = _codes(steps)
    # codes that are plain English words ("late", "rate") may be the English labels too
    codes = {w for w in branches | names | levels if re.search(r"[_\-]", w)}
    assert {"on_time", "days_late", "band_1", "dung-tien-do"} <= codes
    found = sorted(w for w in codes if _shown(w, words))
    assert not found and not ISO_DATE.search(words), found
    for said in ("On time", "Due:", "Days late:", "appraised", "2018 campaign", "index version"):
        assert said in words, said
    assert "Annual PAR plan" in words  # node 1.1's English title
    for vi in ("Đúng hạn", "Số ngày trễ", "đã thẩm định", "mã phiên bản", "Tổng các tiêu chí"):
        assert vi not in words, vi


def test_a_pending_correction_shows_on_the_unit_and_trace_pages(tmp_path: Path) -> None:
    """A correction recorded after publication and not yet published is announced on the
    corrected unit's page and trace (as its own), on another unit's (the ranks may move),
    to the appraiser and the unit's officer alike; once published, the note goes."""
    st = open_copy(tmp_path, published=True)
    try:
        appraiser, officer = client_as(st, "thamdinh"), client_as(st, "canbo")
        other = f"/c/{CID}/u/{OTHER}"
        for page in (UNIT, UNIT + "/trace", other):
            assert "pending-correction" not in appraiser.get(page).text
        change = AppraisalChange("1.1.3", Decimal("0.25"), "Thanh tra phát hiện sai", "thamdinh")
        appraise(st, CID, OWN, "correction", [change], actor="thamdinh", now=NOW)
        own = "Đơn vị này có điều chỉnh thẩm định sau lần công bố gần nhất"
        campaign_wide = "Có điều chỉnh thẩm định sau lần công bố gần nhất"
        for c, page in ((appraiser, UNIT), (appraiser, UNIT + "/trace"), (officer, UNIT)):
            shown = visible(c.get(page).text)
            assert f"Đính chính chưa công bố: {own}" in shown, page
        shown = visible(appraiser.get(other).text)
        assert f"Đính chính chưa công bố: {campaign_wide}" in shown and own not in shown
        publication.publish(st, CID, actor="quantri", now=NOW, reason="Đính chính 1.1.3")
        for page in (UNIT, UNIT + "/trace", other):
            assert "pending-correction" not in appraiser.get(page).text
    finally:
        st.close()
