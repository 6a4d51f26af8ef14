"""axe-core on each role's pages in Chromium, in Vietnamese at 1366 px and in English at
375 px; every input named; no sideways scrolling at 375 px; screenshots at both widths.

axe-core is the npm package in ``tests/web/node`` (``npm ci --prefix tests/web/node``), injected
by Playwright into each page; a serious or critical violation fails the test with a readable
list (rule, impact, help, the elements). Without the package the tests are skipped with the
reason, unless ``$PARINDEX_REQUIRE_BROWSER`` is set (CI), when they fail. Each page is loaded
once per width: in Vietnamese at 1366 px (then narrowed to 375 px on the same load for the
Vietnamese phone screenshot and the sideways check: Vietnamese labels are the longer ones),
and in English at 375 px. Screenshots go to ``test-artifacts/a11y-<role>-<page>-<width>[-en].png``.
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
    overflow,
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


def _check(page: Any, where: str, narrow: bool) -> list[str]:
    """The page's serious and critical axe-core violations and unnamed inputs, and (``narrow``)
    how far it scrolls sideways, as lines of a failure message."""
    found = axe_violations(page)
    problems = [describe(where, found)] if found else []
    problems += [f"{where}: no accessible name: {h}" for h in page.evaluate(UNNAMED)]
    if narrow:
        problems += _sideways(page, where)
    return problems


def _sideways(page: Any, where: str) -> list[str]:
    found = overflow(page)
    if found["extra"] <= 0:
        return []
    return [f"{where}: {found['extra']} px wider than {found['width']}: {found['outside']}"]


@pytest.mark.parametrize("role", sorted(PAGES))
def test_each_roles_pages_pass_axe_and_name_every_input(
    chromium: Any, tmp_path: Path, role: str
) -> None:
    """Each of the role's pages, in Vietnamese at 1366 px and in English at 375 px, has no
    serious or critical axe-core violation and no unnamed input, does not scroll sideways at
    375 px in either language, and is photographed at both widths."""
    state, user, pages = PAGES[role]
    st = _store(state, tmp_path)
    problems: list[str] = []
    with Server(st) as base:
        page = signed_in(chromium, base, user, DESKTOP, axe=True)
        for name, path in pages:  # Vietnamese, one load at 1366 px, narrowed to 375 px
            response = page.goto(base + path)
            assert response is not None and response.ok, f"{role} {name}: {path}"
            assert page.get_attribute("html", "lang") == "vi"
            problems += _check(page, f"{role} {name} ({path}) vi {DESKTOP['width']}", False)
            shot(page, f"a11y-{role}-{name}-{DESKTOP['width']}")
            page.set_viewport_size(PHONE)
            problems += _sideways(page, f"{role} {name} ({path}) vi {PHONE['width']}")
            shot(page, f"a11y-{role}-{name}-{PHONE['width']}")
            page.set_viewport_size(DESKTOP)
        page.set_viewport_size(PHONE)
        page.goto(base + "/lang/en")  # the app's own language switch, as a person uses it
        for name, path in pages:  # English, one load at 375 px
            response = page.goto(base + path)
            assert response is not None and response.ok, f"{role} {name}: {path} (en)"
            assert page.get_attribute("html", "lang") == "en"
            problems += _check(page, f"{role} {name} ({path}) en {PHONE['width']}", True)
            shot(page, f"a11y-{role}-{name}-{PHONE['width']}-en")
        page.context.close()
    st.close()
    assert not problems, "\n" + "\n".join(problems)


def test_the_signin_page_passes_axe(chromium: Any, tmp_path: Path) -> None:
    """The sign-in page, seen before any account, in Vietnamese at 1366 px and in English at
    375 px, has no serious or critical violation and does not scroll sideways on the phone."""
    st = open_copy(tmp_path)
    problems: list[str] = []
    with Server(st) as base:
        ctx = chromium.new_context(locale="vi-VN", viewport=DESKTOP, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/login")
        problems += _check(page, f"sign-in vi {DESKTOP['width']}", False)
        shot(page, f"a11y-signin-{DESKTOP['width']}")
        page.set_viewport_size(PHONE)
        problems += _sideways(page, f"sign-in vi {PHONE['width']}")
        shot(page, f"a11y-signin-{PHONE['width']}")
        page.goto(f"{base}/lang/en")
        page.goto(f"{base}/login")
        assert page.get_attribute("html", "lang") == "en"
        problems += _check(page, f"sign-in en {PHONE['width']}", True)
        shot(page, f"a11y-signin-{PHONE['width']}-en")
        ctx.close()
    st.close()
    assert not problems, "\n" + "\n".join(problems)


def test_axe_reports_a_planted_violation(chromium: Any, tmp_path: Path) -> None:
    """An unnamed input planted in a page is reported as critical, with the element, and a
    box planted wider than the phone is reported as sideways scrolling, so a clean result means
    the checks ran and found nothing, not that they never ran."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        ctx = chromium.new_context(locale="vi-VN", viewport=PHONE, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/login")
        assert _sideways(page, "clean") == []
        page.evaluate(
            """() => { const i = document.createElement("input"); i.id = "planted";
                       const d = document.createElement("div"); d.id = "wide";
                       d.style.width = "600px"; d.textContent = "x";
                       document.querySelector("main").append(i, d); }"""
        )
        found = axe_violations(page)
        wide = _sideways(page, "planted")
        unnamed = page.evaluate(UNNAMED)
        ctx.close()
    st.close()
    text = describe("planted", found)
    assert any(v["id"] == "label" and v["impact"] == "critical" for v in found), text
    assert "#planted" in text
    assert any('id="planted"' in h for h in unnamed), unnamed
    assert wide and "div#wide" in wide[0], wide
