"""axe-core on each role's pages in Chromium, every input named, and screenshots at 375 px
and 1366 px.

axe-core is the npm package in ``tests/web/node`` (``npm ci --prefix tests/web/node``), injected
by Playwright into each page; a serious or critical violation fails the test with a readable
list (rule, impact, help, the elements). Without the package the tests are skipped with the
reason, unless ``$PARINDEX_REQUIRE_BROWSER`` is set (CI), when they fail. Screenshots of every
page checked go to ``test-artifacts/a11y-<role>-<page>-<width>.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring.store.db import Store
from tests.support.browser import (
    DESKTOP,
    PHONE,
    Server,
    axe_violations,
    describe,
    shot,
    signed_in,
)
from tests.support.web import CID, OWN, open_copy, to_appraisal

UNIT = f"/c/{CID}/u/{OWN}"
# each role's pages, on the store in the state where that role works on them
PAGES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "officer": ("open", "canbo", [("home", "/"), ("form", UNIT), ("trace", f"{UNIT}/trace")]),
    "appraiser": (
        "appraisal",
        "thamdinh",
        [
            ("home", "/"),
            ("campaign", f"/c/{CID}"),
            ("unit", UNIT),
            ("trace", f"{UNIT}/trace"),
            ("ranking", f"/c/{CID}/ranking"),
        ],
    ),
    "auditor": (
        "published",
        "kiemtoan",
        [
            ("home", "/"),
            ("campaign", f"/c/{CID}"),
            ("unit", UNIT),
            ("trace", f"{UNIT}/trace"),
            ("ranking", f"/c/{CID}/ranking"),
            ("audit", "/audit"),
            ("verify", f"/c/{CID}/verify"),
        ],
    ),
    "admin": (
        "published",
        "quantri",
        [
            ("home", "/"),
            ("campaign", f"/c/{CID}"),
            ("ranking", f"/c/{CID}/ranking"),
            ("audit", "/audit"),
            ("accounts", "/admin/accounts"),
            ("verify", f"/c/{CID}/verify"),
        ],
    ),
}

# the form fields (hidden ones aside) that have no accessible name: no label, aria-label,
# aria-labelledby or title
UNNAMED = """() => [...document.querySelectorAll(
    "input:not([type=hidden]), select, textarea")].filter(el => {
  const by = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean);
  const texts = [el.getAttribute("aria-label"), el.title, ...by.map(e => e.textContent),
                 ...[...(el.labels || [])].map(l => l.textContent)];
  return !texts.some(t => t && t.trim());
}).map(el => el.outerHTML.slice(0, 120))"""


def _store(state: str, folder: Path) -> Store:
    if state == "published":
        return open_copy(folder, published=True)
    st = open_copy(folder)
    if state == "appraisal":
        to_appraisal(st)
    return st


@pytest.mark.parametrize("role", sorted(PAGES))
def test_each_roles_pages_pass_axe_and_name_every_input(
    chromium: Any, tmp_path: Path, role: str
) -> None:
    """Each of the role's pages has no serious or critical axe-core violation and no unnamed
    input, and is photographed at 1366 px and 375 px."""
    state, user, pages = PAGES[role]
    st = _store(state, tmp_path)
    problems: list[str] = []
    with Server(st) as base:
        page = signed_in(chromium, base, user, DESKTOP, axe=True)
        for name, path in pages:
            response = page.goto(base + path)
            assert response is not None and response.ok, f"{role} {name}: {path}"
            found = axe_violations(page)
            if found:
                problems.append(describe(f"{role} {name} ({path})", found))
            problems += [f"{role} {name}: no accessible name: {h}" for h in page.evaluate(UNNAMED)]
            shot(page, f"a11y-{role}-{name}-{DESKTOP['width']}")
            page.set_viewport_size(PHONE)
            shot(page, f"a11y-{role}-{name}-{PHONE['width']}")
            page.set_viewport_size(DESKTOP)
        page.context.close()
    st.close()
    assert not problems, "\n" + "\n".join(problems)


def test_the_signin_page_passes_axe(chromium: Any, tmp_path: Path) -> None:
    """The sign-in page, seen before any account, has no serious or critical violation."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        ctx = chromium.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/login")
        found = axe_violations(page)
        shot(page, f"a11y-signin-{PHONE['width']}")
        ctx.close()
    st.close()
    assert not found, "\n" + describe("sign-in", found)


def test_axe_reports_a_planted_violation(chromium: Any, tmp_path: Path) -> None:
    """An unnamed input planted in a page is reported as critical, with the element, so a
    clean result means axe ran and found nothing, not that it never ran."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        ctx = chromium.new_context(locale="vi-VN", viewport=DESKTOP, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/login")
        page.evaluate(
            """() => { const i = document.createElement("input"); i.id = "planted";
                       document.querySelector("main").append(i); }"""
        )
        found = axe_violations(page)
        ctx.close()
    st.close()
    text = describe("planted", found)
    assert any(v["id"] == "label" and v["impact"] == "critical" for v in found), text
    assert "#planted" in text
