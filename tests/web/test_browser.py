"""Each role's main path in a real browser: Playwright driving Debian's Chromium.

The app runs in uvicorn on loopback (a thread of this process) over a copy of the sample store.
Chromium is the system's (``/usr/bin/chromium``, installed by ``.ci/run`` with apt), never a
browser Playwright downloads. Screenshots go to ``test-artifacts/`` (``$PARINDEX_ARTIFACTS``).
Without Chromium the tests are skipped, unless ``$PARINDEX_REQUIRE_BROWSER`` is set (CI sets
it, so a missing browser fails there instead of passing silently).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scoring.web import create_app
from tests.support.paths import ROOT
from tests.support.web import CID, NOW, OWN, PASSWORD, open_copy, to_appraisal

CHROMIUM = os.environ.get("PARINDEX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("PARINDEX_ARTIFACTS", ROOT / "test-artifacts"))
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

REQUIRED = bool(os.environ.get("PARINDEX_REQUIRE_BROWSER"))

if not Path(CHROMIUM).exists():
    if REQUIRED:
        raise RuntimeError(f"no Chromium at {CHROMIUM} (install Debian's chromium)")
    pytest.skip(
        f"no Chromium at {CHROMIUM}: apt-get install chromium, or set PARINDEX_CHROMIUM",
        allow_module_level=True,
    )

if REQUIRED:  # a missing Playwright fails here too, rather than skipping
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The app in uvicorn on a free loopback port, in a thread."""

    def __init__(self, store: Any) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(
            create_app(store, clock=lambda: NOW), host="127.0.0.1", port=self.port,
            log_level="warning", lifespan="off",
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the web app did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _page(browser: Any, base: str, user: str) -> Any:
    ctx = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', user)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form.login button[type="submit"]')
    page.wait_for_url(f"{base}/")
    return page


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


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
        assert "value_bands" in text
        _shot(auditor, "auditor-trace")
        auditor.goto(f"{base}/audit")
        assert "Chuỗi băm toàn vẹn" in auditor.inner_text("main")
        _shot(auditor, "auditor-audit-log")
    st.close()
