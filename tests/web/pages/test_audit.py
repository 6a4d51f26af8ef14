"""The audit log for people: names, Vietnamese actions, filters, and the fields a save changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.store.db import Store
from scoring.web.pages.audit import shown
from tests.support.web import CID, OWN, client_as, open_copy
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
    assert shown(value, lang) == text


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
