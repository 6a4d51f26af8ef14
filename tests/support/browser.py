"""Driving the web app in Debian's Chromium with Playwright: the server, signed-in pages,
screenshots, axe-core and the layout checks the browser tests share.

Chromium is the system's (``/usr/bin/chromium``, or ``$PARINDEX_CHROMIUM``), never a browser
Playwright downloads; axe-core is the npm package in ``tests/web/node`` (``npm ci --prefix
tests/web/node``). Without either the tests that need it are skipped with the reason, unless
``$PARINDEX_REQUIRE_BROWSER`` is set (CI sets it): then they fail instead of passing silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from scoring.store.db import Store
from scoring.web import create_app
from tests.support.paths import ROOT
from tests.support.web import NOW, PASSWORD

CHROMIUM = os.environ.get("PARINDEX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("PARINDEX_ARTIFACTS", ROOT / "test-artifacts"))
AXE = ROOT / "tests" / "web" / "node" / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = bool(os.environ.get("PARINDEX_REQUIRE_BROWSER"))
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
PHONE = {"width": 375, "height": 667}  # an iPhone SE's CSS pixels: the narrowest phone we serve
DESKTOP = {"width": 1366, "height": 900}  # the commonest office laptop screen


def missing(what: str) -> None:
    """Skip the test for a missing browser part, or fail when CI requires the browser."""
    if REQUIRED:
        pytest.fail(f"{what} ($PARINDEX_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(what)


def sync_api() -> Any:
    """Playwright's sync API, or a skip (a failure under ``$PARINDEX_REQUIRE_BROWSER``)."""
    if not Path(CHROMIUM).exists():
        missing(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set PARINDEX_CHROMIUM")
    try:
        from playwright import sync_api as api
    except ImportError:
        missing("the playwright package is not installed (pip install -e '.[dev]')")
    return api


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The app in uvicorn on a free loopback port, in a thread."""

    def __init__(self, store: Store) -> None:
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


def signed_in(
    browser: Any, base: str, user: str, viewport: dict[str, int] | None = None, axe: bool = False
) -> Any:
    """A new page (its own cookies) signed in as ``user``, on the home page; ``axe`` lets the
    page take axe-core's script tag past the app's Content-Security-Policy (script-src 'self')."""
    ctx = browser.new_context(
        locale="vi-VN", viewport=viewport or {"width": 1400, "height": 1000}, bypass_csp=axe
    )
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', user)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form.login button[type="submit"]')
    page.wait_for_url(f"{base}/")
    return page


def shot(page: Any, name: str, full_page: bool = False) -> Path:
    """Save a screenshot of the page as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical axe-core violations of the page as it is now (axe injected
    from the npm package; skipped or failed, as ``missing`` says, without it)."""
    if not AXE.is_file():
        missing(f"no axe-core at {AXE}: npm ci --prefix tests/web/node")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "),
                                                             summary: n.failureSummary}))}));
        }"""
    )
    return found


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """The violations as a list a person reads: rule, impact, help, and the first elements."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"]:
            summary = " ".join(str(n["summary"]).split())
            lines.append(f"    {n['target']}: {summary[:200]}")
    return "\n".join(lines)


def overflow(page: Any) -> dict[str, Any]:
    """How far the page scrolls sideways (``scrollWidth - innerWidth``) and the first elements
    that stick out past the window's right edge, for a failure message that says where."""
    result: dict[str, Any] = page.evaluate(
        """() => {
          const width = window.innerWidth;
          const extra = document.documentElement.scrollWidth - width;
          const boxed = (el) => {  // inside a box that scrolls (or clips) on its own
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== "visible") return true;
            }
            return false;
          };
          const out = [];
          if (extra > 0) {
            for (const el of document.body.querySelectorAll("*")) {
              const r = el.getBoundingClientRect();
              if (r.right > width + 1 && r.width > 0 && !boxed(el)) {
                const cls = typeof el.className === "string" && el.className.trim()
                  ? "." + el.className.trim().split(/\\s+/).join(".") : "";
                out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls
                         + " right=" + Math.round(r.right));
                if (out.length >= 8) break;
              }
            }
          }
          if (extra > 0 && out.length === 0) {  // a word too long for its box: a text node
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let n = walk.nextNode(); n && out.length < 8; n = walk.nextNode()) {
              const range = document.createRange();
              range.selectNodeContents(n);
              const r = range.getBoundingClientRect();
              if (r.right > width + 1 && !boxed(n)) {
                out.push(JSON.stringify(n.textContent.trim().slice(0, 60))
                         + " in " + n.parentElement.tagName.toLowerCase()
                         + " right=" + Math.round(r.right));
              }
            }
          }
          return {extra: extra, width: width, outside: out};
        }"""
    )
    return result


def shots(page: Any, name: str) -> list[Path]:
    """Screenshots of the page as it is now at 1366 px and at 375 px, as
    ``test-artifacts/<name>-1366.png`` and ``-375.png``; the page's own width is put back."""
    before = page.viewport_size
    paths = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        paths.append(shot(page, f"{name}-{size['width']}"))
    page.set_viewport_size(before or DESKTOP)
    return paths
