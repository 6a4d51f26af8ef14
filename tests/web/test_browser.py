"""Each role's main path in a real browser: Playwright driving Debian's Chromium.

The app runs in uvicorn on loopback (a thread of this process) over a copy of the sample store.
Chromium is the system's (``/usr/bin/chromium``, installed by ``.ci/run`` with apt), never a
browser Playwright downloads; the server, sign-in and screenshots are ``tests/support/browser``'s.
Screenshots go to ``test-artifacts/`` (``$PARINDEX_ARTIFACTS``). Without Chromium the tests are
skipped, unless ``$PARINDEX_REQUIRE_BROWSER`` is set (CI sets it, so a missing browser fails
there instead of passing silently). Phone, keyboard and axe-core checks are in
``test_browser_layout.py`` and ``test_browser_a11y.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import Server, shot, signed_in
from tests.support.web import CID, OWN, open_copy, to_appraisal


@pytest.fixture
def browser(chromium: Any) -> Any:
    """This module's Chromium (``tests/web/conftest.py``): skipped without it, failing instead
    under ``$PARINDEX_REQUIRE_BROWSER``."""
    return chromium


def _page(browser: Any, base: str, user: str) -> Any:
    return signed_in(browser, base, user)


def _shot(page: Any, name: str) -> None:
    shot(page, name)


def test_officer_fills_sees_the_score_move_and_submits(browser: Any, tmp_path: Path) -> None:
    """In Chromium, an officer's change moves the live score at once, the saved form scores as
    simulated, and submitting locks the form."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        page = _page(browser, base, "canbo")
        page.click(f'a[href="/c/{CID}/u/{OWN}"]')
        live = page.locator("#live")
        points = live.locator('[data-k="points"]')
        before = points.inner_text()
        assert "," in before  # 91,87: a decimal comma
        page.select_option('select[name="a:1.1.2:value"]', "false")
        page.wait_for_function(
            "b => document.querySelector('#live [data-k=\"points\"]').textContent !== b", arg=before
        )
        after = points.inner_text()
        assert float(after.replace(",", ".")) == pytest.approx(
            float(before.replace(",", ".")) - 0.5
        )
        assert page.locator('output[data-leaf="1.1.2"]').inner_text() == "0,00"
        lost = page.locator("#gaps tbody tr", has_text="1.1.2")  # now a place points are lost
        assert "0,00 / 0,50" in lost.inner_text()
        _shot(page, "officer-live-score")
        ticket = live.get_attribute("data-updated")
        page.fill('input[name="a:1.1.3:value"]', "81,3")  # a decimal comma, as typed in Vietnam
        page.wait_for_function(
            "t => document.querySelector('#live').dataset.updated !== t", arg=ticket
        )
        after = points.inner_text()
        page.click('#answers button[type="submit"]')
        page.wait_for_selector("p.note")
        assert "Đã lưu" in page.locator("p.note").inner_text()
        assert points.inner_text() == after  # the saved form scores as simulated
        page.once("dialog", lambda d: d.accept())
        page.click('form[action$="/submit"] button')
        page.wait_for_selector("p.note")
        assert page.locator("#answers").count() == 0  # locked
        assert "Đã nộp" in page.inner_text("p.meta")
        _shot(page, "officer-submitted")
    st.close()


def test_appraiser_lowers_a_score_and_the_auditor_finds_it(browser: Any, tmp_path: Path) -> None:
    """In Chromium, an appraiser lowers a score with a reason, and the auditor finds it, with who
    and when, in the unit's trace."""
    st = open_copy(tmp_path)
    to_appraisal(st)
    reason = "Báo cáo không có phụ lục kết quả thực hiện"
    with Server(st) as base:
        page = _page(browser, base, "thamdinh")
        page.click(f'a[href="/c/{CID}"]')
        page.click(f'a[href="/c/{CID}/u/{OWN}"]')
        page.fill('input[name="s:1.1.3"]', "0,5")
        page.fill('input[name="r:1.1.3"]', reason)
        _shot(page, "appraiser-form")
        page.click('#appraise button[type="submit"]')
        page.wait_for_selector("p.note")
        row = page.locator('tr[id="leaf-1.1.3"]')
        assert "1,50 → 0,50" in row.inner_text() and reason in row.inner_text()
        page.goto(f"{base}/c/{CID}/ranking")
        assert page.locator("figure.chart svg").count() >= 2
        _shot(page, "appraiser-ranking")

        auditor = _page(browser, base, "kiemtoan")
        auditor.goto(f"{base}/c/{CID}/u/{OWN}/trace")
        auditor.fill('input[data-filter="trace"]', "1.1.3")
        step = auditor.locator('tr[id="step-1.1.3"]')
        text = step.inner_text()
        assert reason in text and "thamdinh" in text and "20/11/2018" in text
        assert "Giá trị theo khoảng" in text  # the rule kind, in words
        _shot(auditor, "auditor-trace")
        auditor.goto(f"{base}/audit")
        assert "Chuỗi băm toàn vẹn" in auditor.inner_text("main")
        _shot(auditor, "auditor-audit-log")
    st.close()
