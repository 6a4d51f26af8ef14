"""On a phone and by keyboard, in Chromium: no sideways scrolling at 375 px, a live score box
that never hides the focused field or the table header, a skip link first, the form reached and
submitted with the keyboard alone.

The checks are properties of the pages (widths, positions, focus), not their texts: the pages'
wording changes while these hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.browser import DESKTOP, PHONE, Server, overflow, shot, signed_in
from tests.support.web import CID, OWN, open_copy, to_appraisal

FORM = f"/c/{CID}/u/{OWN}"
FIELDS = "#answers :is(input, select, textarea):not([type=hidden])"

# where the focused element is, and whether the live box or a sticky header covers it
COVERED = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const live = document.getElementById("live").getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
  return {name: el.name || el.tagName, top: r.top, bottom: r.bottom, live_bottom: live.bottom,
          height: window.innerHeight,
          hidden: hit === null || !(el === hit || el.contains(hit) || hit.contains(el)
                                    || (el.labels && [...el.labels].some(l => l.contains(hit))))};
}"""


def _wide(page: Any, where: str) -> str | None:
    """Why the page scrolls sideways at its width, or None if it does not."""
    found = overflow(page)
    if found["extra"] <= 0:
        return None
    return f"{where}: {found['extra']} px wider than {found['width']}: {found['outside']}"


def test_no_page_scrolls_sideways_on_a_phone(chromium: Any, tmp_path: Path) -> None:
    """At 375 px the self-assessment form, the unit page under appraisal, the trace, the
    ranking, the accounts and the audit log fit the window: wide tables reflow or scroll inside
    their own box."""
    open_st = open_copy(tmp_path)
    problems = []
    with Server(open_st) as base:
        page = signed_in(chromium, base, "canbo", PHONE)
        page.goto(base + FORM)
        assert page.locator(FIELDS).count() > 10  # the form is there to be checked
        problems.append(_wide(page, "form"))
        page.context.close()
    open_st.close()
    (tmp_path / "appraisal").mkdir()
    appraised = open_copy(tmp_path / "appraisal")
    to_appraisal(appraised)
    with Server(appraised) as base:
        page = signed_in(chromium, base, "thamdinh", PHONE)
        for name, path in [
            ("unit", FORM),
            ("trace", f"{FORM}/trace"),
            ("ranking", f"/c/{CID}/ranking"),
            ("campaign", f"/c/{CID}"),
        ]:
            page.goto(base + path)
            problems.append(_wide(page, name))
        page.context.close()
        page = signed_in(chromium, base, "quantri", PHONE)
        for name, path in [("accounts", "/accounts"), ("audit", "/audit")]:
            page.goto(base + path)
            problems.append(_wide(page, name))
        page.context.close()
    appraised.close()
    assert [p for p in problems if p] == []


def test_the_live_box_never_hides_the_focused_field_or_the_header(
    chromium: Any, tmp_path: Path
) -> None:
    """Tabbing down the form and back up, on a laptop and on a phone, every focused field is
    clear of the sticky live score box; on the laptop, with the middle of the table in the
    window, the form's header row sticks below the box."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        for viewport in (DESKTOP, PHONE):
            page = signed_in(chromium, base, "canbo", viewport)
            page.goto(base + FORM)
            page.locator(FIELDS).first.focus()
            seen = []
            for key in ["Tab"] * 40 + ["Shift+Tab"] * 40:
                page.keyboard.press(key)
                seen.append(page.evaluate(COVERED))
            hidden = [s for s in seen if s["hidden"] or s["top"] < s["live_bottom"] - 1]
            assert hidden == [], f"{viewport['width']} px: {hidden[:5]}"
            assert max(s["top"] for s in seen) > viewport["height"] / 2  # the page did scroll
            if viewport is DESKTOP:
                # tabbing back up ends at the top of the page: scroll the middle of the table
                # into the window, so that the header row has to stick to be seen
                page.evaluate(
                    """() => {
                      const t = document.querySelector("#answers table");
                      const r = t.getBoundingClientRect();
                      window.scrollTo(0, window.scrollY + r.top + r.height / 2
                                         - window.innerHeight / 2);
                    }"""
                )
                header = page.evaluate(
                    """() => {
                      const th = document.querySelector("#answers thead th");
                      const r = th.getBoundingClientRect();
                      const live = document.getElementById("live").getBoundingClientRect();
                      const hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);
                      return {top: r.top, live_bottom: live.bottom, shown: th.contains(hit),
                              scrolled: window.scrollY};
                    }"""
                )
                assert header["scrolled"] > 0 and header["shown"], header
                assert header["top"] >= header["live_bottom"] - 1, header
            shot(page, f"keyboard-form-{viewport['width']}")
            page.context.close()
    st.close()


def test_the_keyboard_reaches_the_skip_link_then_the_form_and_saves_it(
    chromium: Any, tmp_path: Path
) -> None:
    """From the top of the unit page the first Tab is the skip link (visible, outlined), the
    skip link leads on to the form's first field, and Enter in a field saves the form."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        page = signed_in(chromium, base, "canbo", DESKTOP)
        page.goto(base + FORM)
        page.keyboard.press("Tab")
        skip = page.evaluate(
            """() => {
              const el = document.activeElement;
              const r = el.getBoundingClientRect();
              const s = getComputedStyle(el);
              return {tag: el.tagName, href: el.getAttribute("href"), text: el.textContent.trim(),
                      visible: r.top >= 0 && r.bottom <= innerHeight && r.width > 0,
                      outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2};
            }"""
        )
        assert skip["tag"] == "A" and skip["href"] == "#main" and skip["text"], skip
        assert skip["visible"] and skip["outline"], skip
        page.keyboard.press("Enter")
        first = page.locator(FIELDS).first
        first_name = first.get_attribute("name")
        names = []
        for _ in range(15):
            page.keyboard.press("Tab")
            names.append(page.evaluate("() => document.activeElement.name || ''"))
            if names[-1] == first_name:
                break
        assert names[-1] == first_name, f"Tab after the skip link went {names}"
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
        )
        assert ring, "the focused field shows no focus outline"

        target = "a:1.1.3:value"  # a number typed with a decimal comma, as in Vietnam
        for _ in range(40):
            if page.evaluate("() => document.activeElement.name") == target:
                break
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == target
        page.keyboard.press("Control+A")
        page.keyboard.type("81,3")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("p.note[role=status]").count() == 1
        assert page.locator("p.error").count() == 0
        page.goto(base + FORM)  # saved, not only shown again
        assert page.input_value(f'input[name="{target}"]') in ("81,3", "81,30", "81.3")
        page.context.close()
    st.close()


def test_charts_keep_their_nine_point_labels_on_a_phone(chromium: Any, tmp_path: Path) -> None:
    """At 375 px the ranking chart is drawn at its own size (one user unit a point, so its
    9 pt labels stay 9 pt) and scrolls inside its box; the page itself does not scroll."""
    st = open_copy(tmp_path)
    with Server(st) as base:
        page = signed_in(chromium, base, "thamdinh", PHONE)
        page.goto(f"{base}/c/{CID}/ranking")
        scales = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart svg')].map(
                 s => s.getBoundingClientRect().width / (s.viewBox.baseVal.width * 4 / 3))"""
        )
        wide = _wide(page, "ranking")
        page.context.close()
    st.close()
    assert scales and min(scales) > 0.99, scales  # not shrunk: 9 pt stays 9 pt
    assert not wide
