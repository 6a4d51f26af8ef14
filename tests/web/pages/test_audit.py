"""The audit log for people: names, Vietnamese actions, filters, and the fields a save changed."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from scoring.campaign.appraisal_files import EvidenceRef, ExplanationEntry
from scoring.campaign.folder import read_campaign_file
from scoring.campaign.submission import EndedUnit
from scoring.errors import AccessError
from scoring.index.kinds import every_input
from scoring.sources.text import vn_key
from scoring.store import accounts, bulk, evidence, imports, moves, publication
from scoring.store.appraisal import AppraisalChange, appraise, respond
from scoring.store.auditlog import ACTIONS
from scoring.store.auditwords import Names, answer
from scoring.store.campaigns import record_ended
from scoring.store.db import Store
from scoring.store.schema import AuditRow
from scoring.store.workflow import CAMPAIGN_STATES, UNIT_STATES
from tests.support.files import pdf
from tests.support.paths import SAMPLES
from tests.support.web import CID, NOW, OTHER, OWN, client_as, open_copy
from tests.support.webforms import form


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    """The 2018 samples' store, the campaign open."""
    store = open_copy(tmp_path)
    yield store
    store.close()


def test_a_saved_self_assessment_shows_the_fields_it_changed(st: Store) -> None:
    """After an officer's save, the auditor reads the person's name, the unit's name, the
    Vietnamese action and each changed field with its label, old → new as people write it."""
    officer = client_as(st, "canbo")
    fields = form(officer.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    old = fields["a:1.1.2:value"]
    new = "false" if old == "true" else "true"
    r = officer.post(
        f"/c/{CID}/u/{OWN}/answers", data=fields | {"a:1.1.2:value": new}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client_as(st, "kiemtoan").get("/audit").text
    row = page[page.index("<tbody>") :]
    row = row[: row.index("</tr>")]
    assert "Người canbo" in row and "Sở Tài chính" in row and "Lưu bản tự đánh giá" in row
    before, after = ("Có", "Không") if new == "false" else ("Không", "Có")
    assert "1.1.2 — " in row and f": {before} → {after}</li>" in row
    assert "1.1.1 — " not in row  # an item the save left as it was is not listed


def test_a_saved_file_shows_each_change_in_the_leafs_words(st: Store) -> None:
    """A district's file saved again reads, for each changed field, the leaf's label in the
    district's tree and the values as people write them: a level by its label, a date
    dd/mm/yyyy, Có/Không, a decimal comma; in English too."""
    text = (SAMPLES / "units" / "huyen-bac-son.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("done_on: 2018-02-08", "done_on: 2018-01-25"),
        ('"1.1.2":\n    value: false', '"1.1.2":\n    value: true'),
        ("numerator: 14\n    denominator: 28", "numerator: 20\n    denominator: 28"),
        ("level: hoan-thanh\n    self_score: 1.5", "level: co-ban\n    self_score: 1"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    imports.import_unit(st, CID, "huyen-bac-son", text, "bac-son.yaml", actor="seed", now=NOW)
    c = client_as(st, "kiemtoan")
    changes = [_text(li) for li in re.findall(r"<li>(.*?)</li>", _rows_html(c))]
    assert changes == [
        "1.1.1 — Ngày ban hành kế hoạch CCHC: 08/02/2018 → 25/01/2018",
        "1.1.2 — Kế hoạch đủ nhiệm vụ các lĩnh vực và có bố trí kinh phí: Không → Có",
        "1.3.1 — Số phòng chuyên môn, UBND cấp xã được kiểm tra CCHC: 14 → 20",
        "1.4.1 — Mức độ đạt được: Hoàn thành 100% kế hoạch → Hoàn thành từ 80% đến dưới 100%",
        "1.4.1 — Điểm tự chấm: 1,5 → 1",
    ]
    c.get("/lang/en")
    changes = [_text(li) for li in re.findall(r"<li>(.*?)</li>", _rows_html(c))]
    assert changes[3:] == [
        "1.4.1 — Level reached: Fully delivered → 80% to under 100%",
        "1.4.1 — Self-score: 1.5 → 1",
    ]


def _rows_html(c: TestClient) -> str:
    """The newest entry's changes list on the audit page (the save just made)."""
    page = c.get("/audit?action=unit.import&unit=huyen-bac-son").text
    row = page[page.index("<tbody>") :]
    return row[: row.index("</tr>")]


def test_filters_narrow_the_log(st: Store) -> None:
    """Filtering by unit, person, action and dates keeps only the matching entries."""
    c = client_as(st, "kiemtoan")
    every = c.get("/audit").text
    assert 'option value="account.create"' in every and "Tạo tài khoản" in every
    accounts = c.get("/audit?action=account.create").text
    assert accounts.count("<td>Tạo tài khoản</td>") == 5
    assert "<td>Thêm đơn vị</td>" not in accounts
    unit = c.get(f"/audit?unit={OWN}").text
    body = unit[unit.index("<tbody>") :]
    assert "Sở Tài chính" in body and "Ban Dân tộc" not in body
    assert "<td>Người quantri</td>" not in c.get("/audit?person=seed").text
    assert c.get("/audit?from=21/11/2018").text.count('<tr><td class="n">') == 0
    assert c.get("/audit?from=20/11/2018&to=20/11/2018").text.count('<tr><td class="n">') > 0


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (True, "vi", "Có"),
        (False, "en", "No"),
        ("0.50", "vi", "0,50"),
        ("2018-01-20", "vi", "20/01/2018"),
        (None, "vi", "(trống)"),
        ([{"doc": "12/KH-STC", "date": "2018-01-20", "title": "Kế hoạch"}], "vi",
         "12/KH-STC; 20/01/2018; Kế hoạch"),
        ([{"doc": "226/BC-STC", "title": "Báo cáo", "section": "Phụ lục I", "page": 13}], "vi",
         "226/BC-STC; ; Báo cáo; Phụ lục I; 13"),
    ],
)  # fmt: skip
def test_values_are_written_as_people_write_them(value: object, lang: str, text: str) -> None:
    """Booleans, numbers, dates and evidence in the log read as in the form."""
    assert answer(value, Names(), lang) == text


def test_every_action_the_store_records_has_a_name_for_people() -> None:
    """Each literal audit action written in scoring/store has a Vietnamese and an English name."""
    import re

    from scoring.store.auditlog import ACTIONS
    from tests.support.paths import ROOT

    written = {
        m
        for f in (ROOT / "scoring" / "store").glob("*.py")
        for m in re.findall(r'action="([a-z_]+\.[a-z_0-9]+)"', f.read_text(encoding="utf-8"))
    }
    assert {"evidence.add", "unit.submit", "account.unlock"} <= written  # the scan sees them
    assert sorted(written - set(ACTIONS)) == []


# ---------------------------------------------------------------- one campaign, every action


def _at(day: int, month: int = 12) -> dt.datetime:
    """A working hour (UTC) of a day of late 2018."""
    return dt.datetime(2018, month, day, 3, tzinfo=dt.UTC)


def _save(st: Store) -> None:
    """The officer saves the form with one answer changed (a save with its changes)."""
    officer = client_as(st, "canbo")
    fields = form(officer.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    new = "false" if fields["a:1.1.2:value"] == "true" else "true"
    r = officer.post(
        f"/c/{CID}/u/{OWN}/answers", data=fields | {"a:1.1.2:value": new}, follow_redirects=False
    )
    assert r.status_code == 303


def _accounts(st: Store) -> None:
    """An account disabled and enabled, locked by five wrong passwords, then unlocked."""
    accounts.set_active(st, "canbo2", False, actor="quantri", now=NOW)
    accounts.set_active(st, "canbo2", True, actor="quantri", now=NOW)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccessError):
            accounts.sign_in(st, "canbo2", "sai-mật-khẩu", now=NOW)
    accounts.unlock(st, "canbo2", actor="quantri", now=NOW)


@pytest.fixture(scope="module")
def every(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The 2018 samples' campaign run through every action the store records: the samples'
    import, a save, files attached and removed, a late and a bulk submission, both rounds, an
    explanation, publication and a correction, ended units, and accounts' changes."""
    st = open_copy(tmp_path_factory.mktemp("every-action"))
    _save(st)
    evidence.attach(st, CID, OWN, "1.1.1", pdf(), "ke-hoach-cchc.pdf", actor="canbo", now=NOW)
    gone, _ = evidence.attach(
        st, CID, OWN, "1.1.1", pdf("Báo cáo 12/BC"), "bao-cao.pdf", actor="canbo", now=NOW
    )
    evidence.remove(st, CID, OWN, gone.id, actor="canbo", now=NOW)
    moves.submit(st, CID, OTHER, actor="canbo2", now=_at(1))  # after the 30/11 deadline
    plan = bulk.submit_all(st, CID, actor="quantri", now=NOW)
    for blocked in plan.blocked:  # a unit whose answers are incomplete submits on its own
        if blocked.state == "draft":
            moves.submit(st, CID, blocked.unit, actor="quantri", now=NOW)
    moves.advance_campaign(st, CID, "appraisal", actor="quantri", now=_at(5))
    change = AppraisalChange("1.1.3", Decimal("0.5"), "Thiếu phụ lục", "thamdinh")
    appraise(st, CID, OWN, "1", [change], actor="thamdinh", now=_at(5))
    for target in ("appraised_1", "explanation"):
        bulk.advance_all(st, CID, target, actor="thamdinh", now=_at(5))
    ref = EvidenceRef(doc="15/BC-STC", date=dt.date(2018, 12, 8), title="Phụ lục kế hoạch")
    entry = ExplanationEntry(
        node="1.1.3", text="Phụ lục đã gửi bổ sung", evidence=[ref], author="canbo"
    )
    respond(st, CID, OWN, [entry], actor="canbo", now=_at(10))
    kept = AppraisalChange("1.1.3", Decimal("0.5"), "Không chấp nhận giải trình", "thamdinh")
    appraise(st, CID, OWN, "2", [kept], actor="thamdinh", now=_at(15))
    for target in ("appraised_2", "final"):
        bulk.advance_all(st, CID, target, actor="thamdinh", now=_at(15))
    moves.advance_campaign(st, CID, "review", actor="quantri", now=_at(20))
    publication.publish(st, CID, actor="quantri", now=_at(21))
    fixed = AppraisalChange("1.1.3", Decimal("0"), "Phụ lục không hợp lệ", "thamdinh")
    appraise(st, CID, OWN, "correction", [fixed], actor="thamdinh", now=_at(22))
    publication.publish(st, CID, actor="quantri", now=_at(23), reason="Sai điểm 1.1.3")
    spec = read_campaign_file(SAMPLES).model_copy(
        update={
            "ended": [EndedUnit(id="so-tai-chinh", name="Sở Tài chính", on=dt.date(2018, 6, 1))]
        }
    )
    with st.transaction() as s:
        record_ended(s, spec, "seed", "2018-12-24T03:00:00+00:00")
    _accounts(st)
    yield st
    st.close()


# the words each action's details read (at least one entry of it), in Vietnamese
SAID = {
    "campaign.create": "Năm 2018 · hạn tự đánh giá 30/11/2018 · hạn giải trình 12/12/2018",
    "campaign.advance": "Đang mở → Thẩm định",
    "campaign.publish": "Lần công bố số 1 · mã kết quả ",
    "campaign.correction": "Lần công bố số 2 (đính chính lần số 1) · lý do: Sai điểm 1.1.3",
    "campaign.ended": "Đơn vị đã chấm dứt: Sở Tài chính",
    "unit.add": "Sở Tài chính · nhóm Sở, ban, ngành",
    "unit.import": "1.1.2 — ",
    "unit.submit": "Nộp muộn (hạn 30/11/2018)",
    "unit.advance": "Đã nộp → Đã thẩm định vòng 1 (thao tác hàng loạt)",
    "survey.import": "Gộp với kết quả đã lưu · cập nhật 31 đơn vị · mã SHA-256 ",
    "council.import": "Gộp với kết quả đã lưu · cập nhật 31 đơn vị · mã SHA-256 ",
    "appraisal.round_1": "→ 0,5 điểm · lý do: Thiếu phụ lục · người thẩm định: Người thamdinh",
    "appraisal.round_2": "Giữ nguyên 0,5 điểm · lý do: Không chấp nhận giải trình",
    "appraisal.round_correction": "0,5 → 0 điểm · lý do: Phụ lục không hợp lệ",
    "explanation.add": "“Phụ lục đã gửi bổ sung” · kèm 1 tài liệu: 15/BC-STC, 08/12/2018, Phụ lục",
    "evidence.add": "ke-hoach-cchc.pdf, ",
    "evidence.remove": "bao-cao.pdf, mã SHA-256 ",
    "account.create": "Tài khoản canbo — Người canbo (Cán bộ đơn vị)",
    "account.enable": "Tài khoản canbo2 — Người canbo2",
    "account.disable": "Tài khoản canbo2 — Người canbo2",
    "account.lock": "Khóa đến 20/11/2018 16:15",
    "account.unlock": "Tài khoản canbo2 — Người canbo2 · đang khóa đến 20/11/2018 16:15",
}
ROW = re.compile(r'<tr><td class="n">.*?</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
RAW = re.compile(
    r"(?<![\w/.-])("
    + "|".join(
        map(
            re.escape,
            sorted({i.name for i in every_input().values()} | {"self_score", "na", "evidence"})
            + sorted({*UNIT_STATES, *CAMPAIGN_STATES}),
        )
    )
    + r")(?![\w/-])"
)


def _text(cell: str) -> str:
    """A cell's text as a reader sees it (tags gone, entities read)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def _rows(c: TestClient, query: str) -> list[list[str]]:
    """The cells' text of each entry the log shows for ``query``."""
    page = c.get(f"/audit?{query}")
    assert page.status_code == 200
    body = page.text[page.text.index("<tbody>") :]
    return [[_text(x) for x in CELL.findall(row)] for row in ROW.findall(body)]


def _keys(st: Store, action: str) -> set[str]:
    """The detail keys the store wrote for ``action``'s entries."""
    with st.read() as s:
        rows = s.exec(select(AuditRow.detail_json).where(AuditRow.action == action))
        return {k for d in rows for k in json.loads(d)}


def test_the_run_records_every_action(every: Store) -> None:
    """The run writes an entry of every action people have a name for (so the test below
    reads them all)."""
    with every.read() as s:
        written = set(s.exec(select(AuditRow.action).distinct()))
    assert sorted(set(ACTIONS) - written) == [] and set(SAID) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_actions_details_read_in_vietnamese_words(every: Store, action: str) -> None:
    """Every entry of the action shows its details in words: no JSON braces or quotes, none
    of the store's keys, no field names or state codes; the campaign by its name; the words
    expected for the action in one of them."""
    rows = _rows(client_as(every, "kiemtoan"), f"action={action}")
    assert rows, action
    keys = _keys(every, action)
    for cells in rows:
        detail = cells[-1]
        assert "{" not in detail and '"' not in detail and detail, (action, detail)
        raw = [k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", detail)]
        assert not raw, (action, raw, detail)
        assert not RAW.findall(" ".join(cells)), (action, cells)
        assert cells[5] in ("", "Lạng Sơn 2018"), cells  # the campaign column
    assert any(SAID[action] in cells[-1] for cells in rows), (action, [r[-1] for r in rows])


def test_a_bulk_step_and_a_submission_on_time_say_so(every: Store) -> None:
    """A submission in a bulk step reads on time with its deadline and marked as bulk."""
    rows = _rows(client_as(every, "kiemtoan"), "action=unit.submit")
    bulk_said = "Nộp đúng hạn (hạn 30/11/2018) (thao tác hàng loạt)"
    alone = [cells[-1] for cells in rows if cells[-1] != bulk_said]
    assert len(alone) < len(rows) // 2 and "Nộp muộn (hạn 30/11/2018)" in alone
    assert "Nộp đúng hạn (hạn 30/11/2018)" in alone  # a unit submitting on its own


def test_people_are_named_and_the_filter_lists_them_in_vietnamese_order(every: Store) -> None:
    """Who acted reads as the account's display name, or "hệ thống (seed)" for the seed; the
    person filter lists names, never the seed's login alone, in Vietnamese order."""
    c = client_as(every, "quantri")
    page = c.get("/audit").text
    menu = page[page.index('name="person"') :]
    menu = menu[: menu.index("</select>")]
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', menu)
    labels = [html.unescape(label) for _, label in options]
    assert ("seed", "hệ thống (seed)") in options and ("canbo", "Người canbo") in options
    assert labels == sorted(labels, key=vn_key)
    who = {cells[3] for cells in _rows(c, "person=seed")}
    assert who == {"hệ thống (seed)"}
    assert {cells[3] for cells in _rows(c, "person=thamdinh")} == {"Người thamdinh"}


def test_english_has_no_vietnamese_action_names_or_words(every: Store) -> None:
    """With English picked, each action and its details read in English: none of the
    Vietnamese action names or the Vietnamese words of the details."""
    c = client_as(every, "kiemtoan")
    c.get("/lang/en")
    page = c.get("/audit").text
    for action in ACTIONS:
        page += c.get(f"/audit?action={action}").text
    words = _text(page)
    for vi, en in ACTIONS.values():
        assert vi not in words and en in words, (vi, en)
    assert "Self-assessment submitted" in words and "Late (due 30/11/2018)" in words
    for vi in (
        "Nộp đúng hạn",
        "Tài khoản ",
        "thao tác hàng loạt",
        "Lần công bố",
        "mã SHA-256",
        "lý do:",
        "người thẩm định",
        "hệ thống (",
        "Gộp với",
        "Đang mở",
        "Đã nộp",
    ):
        assert vi not in words, vi


def test_the_campaign_page_is_titled_by_the_campaigns_name(every: Store) -> None:
    """The campaign page's title and heading name the campaign (Lạng Sơn 2018), not its id."""
    page = client_as(every, "kiemtoan").get(f"/c/{CID}").text
    title = page[page.index("<title>") : page.index("</title>")]
    h1 = page[page.index("<h1>") : page.index("</h1>")]
    assert "Lạng Sơn 2018" in title and CID not in title
    assert "Lạng Sơn 2018" in h1 and CID not in h1
    assert "Người quantri" in page  # the publisher by name
