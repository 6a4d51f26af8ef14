"""The officer's self-assessment in Chromium: Vietnamese labels and help, "chưa lưu" until
saved, the warning before leaving unsaved changes, errors beside their fields with every value
kept, an expired session that gives the typed values back, evidence files and the deadlines.

One store and one server serve the module (each test signs in with its own cookies): the tests
that save change answers no other test reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import files
from tests.support.browser import DESKTOP, Server, shots, signed_in
from tests.support.web import CID, OWN, PASSWORD, open_copy

FORM = f"/c/{CID}/u/{OWN}"
FIELD = "a:1.1.3:value"  # a percentage: a number from 0 to 100, typed with a decimal comma
SELF = "a:1.1.3:self_score"
NOTE = "a:1.1.3:evidence"
DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")

# each answer field's name, its label's own text (the select's options aside) and its help
LABELS = """() => [...document.querySelectorAll("#answers label.inp > :is(input, select)")]
  .filter(el => el.type !== "checkbox").map(el => {
    const label = el.closest("label");
    const own = [...label.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join(" ").trim();
    const help = document.getElementById(el.getAttribute("aria-describedby") || "");
    return {name: el.name, label: own, help: help ? help.textContent.trim() : ""};
  })"""


@pytest.fixture(scope="module")
def base(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the open campaign (every unit a draft), for the module."""
    st = open_copy(tmp_path_factory.mktemp("officer"))
    with Server(st) as url:
        yield url
    st.close()


def _form(chromium: Any, base: str) -> Any:
    page = signed_in(chromium, base, "canbo", DESKTOP)
    page.goto(base + FORM)
    return page


def _unsaved(page: Any) -> bool:
    return bool(page.locator('#live [data-k="unsaved"]').is_visible())


def test_every_input_has_a_vietnamese_label_and_help_and_deadlines_are_local(
    chromium: Any, base: str
) -> None:
    """Each answer field is labelled in Vietnamese (never its raw name, such as done_on or
    numerator) with help beside it, and the deadlines read dd/mm/yyyy HH:MM."""
    page = _form(chromium, base)
    fields = page.evaluate(LABELS)
    assert len(fields) > 10
    raw = [f for f in fields if not f["label"] or f["name"].split(":")[2] in f["label"]]
    assert raw == [], raw[:5]
    ascii_only = [f for f in fields if f["label"].isascii()]
    assert ascii_only == [], ascii_only[:5]  # Vietnamese words carry their diacritics
    no_help = [f["name"] for f in fields if not f["help"]]
    assert no_help == []
    kinds = {f["label"] for f in fields}
    assert any("Ngày" in k for k in kinds) and any("Số" in k for k in kinds), kinds
    deadlines = page.locator("#deadlines")
    assert "Thời hạn" in deadlines.inner_text()
    shown = [t.strip() for t in deadlines.locator("time").all_inner_texts()]
    assert shown and all(DATE_TIME.match(t) for t in shown), shown
    assert "còn hạn" in deadlines.inner_text()  # the clock is before the self-assessment due
    shots(page, "officer-form-labels")
    page.context.close()


def test_unsaved_until_saved_and_leaving_asks_first(chromium: Any, base: str) -> None:
    """Typing shows "chưa lưu"; leaving by a link or by the language switch then asks first
    (staying keeps the value); after saving the mark is gone and the page is left freely."""
    page = _form(chromium, base)
    assert not _unsaved(page)
    page.fill(f'input[name="{FIELD}"]', "77,5")
    assert _unsaved(page) and "chưa lưu" in page.inner_text("#live")
    shots(page, "officer-unsaved")
    asked: list[str] = []

    def stay(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    for link in ("a.lang", "header a.brand"):
        page.click(link, no_wait_after=True)
        page.wait_for_timeout(300)
        assert page.url == base + FORM, f"{link} left the page without asking"
    assert asked == ["beforeunload", "beforeunload"]
    assert page.input_value(f'input[name="{FIELD}"]') == "77,5"
    page.remove_listener("dialog", stay)

    page.click('#answers button[type="submit"]')
    page.wait_for_selector("p.note")
    assert "Đã lưu" in page.inner_text("p.note") and not _unsaved(page)
    assert page.input_value(f'input[name="{FIELD}"]') in ("77,5", "77,50")
    page.on("dialog", lambda d: asked.append(d.type))
    page.click("a.lang")
    page.wait_for_url(base + "/")
    assert asked == ["beforeunload", "beforeunload"]  # no new question
    assert page.locator("html").get_attribute("lang") == "en"
    page.context.close()


def test_a_value_out_of_range_is_shown_beside_its_field_with_every_value_kept(
    chromium: Any, base: str
) -> None:
    """A percentage of 150 is refused beside its own field, in Vietnamese, and the page comes
    back with every value typed (the good ones too), still marked unsaved."""
    page = _form(chromium, base)
    page.fill(f'input[name="{FIELD}"]', "150")
    page.fill(f'input[name="{SELF}"]', "1,25")
    page.fill(f'textarea[name="{NOTE}"]', "Báo cáo số 15/BC-STC")
    page.click('#answers button[type="submit"]')
    page.wait_for_selector("p.error[role=alert]")
    beside = page.locator(f'span.error[data-for="{FIELD}"]').inner_text()
    assert "150" in beside and "ngoài khoảng" in beside, beside
    assert page.get_attribute(f'input[name="{FIELD}"]', "aria-invalid") == "true"
    assert page.input_value(f'input[name="{FIELD}"]') == "150"
    assert page.input_value(f'input[name="{SELF}"]') == "1,25"
    assert page.input_value(f'textarea[name="{NOTE}"]') == "Báo cáo số 15/BC-STC"
    assert _unsaved(page)
    assert "a:1.1.3" not in page.inner_text("p.error[role=alert]")  # named as people read it
    shots(page, "officer-out-of-range")
    page.context.close()


def test_an_expired_session_signs_in_again_and_gets_the_typed_values_back(
    chromium: Any, base: str
) -> None:
    """A save after the session cookie is gone shows the expired-session page; its sign-in link
    returns to the form with the values typed, marked unsaved."""
    page = _form(chromium, base)
    page.fill(f'input[name="{FIELD}"]', "66,6")
    page.fill(f'textarea[name="{NOTE}"]', "Công văn 7/STC")
    kept = [c for c in page.context.cookies() if c["name"] != "parindex_session"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.click('#answers button[type="submit"]')
    again = page.locator("#sign-in-again")
    again.wait_for()
    assert "hết hạn" in page.inner_text("h1")
    shots(page, "officer-session-expired")
    again.click()
    page.fill('input[name="username"]', "canbo")
    page.fill('input[name="password"]', PASSWORD)
    page.click('form.login button[type="submit"]')
    page.wait_for_url(base + FORM)
    assert page.input_value(f'input[name="{FIELD}"]') == "66,6"
    assert page.input_value(f'textarea[name="{NOTE}"]') == "Công văn 7/STC"
    assert "khôi phục" in page.inner_text("main") and _unsaved(page)
    page.context.close()


def test_an_uploaded_pdf_opens_and_a_refused_file_says_why_beside_the_field(
    chromium: Any, base: str, tmp_path: Path
) -> None:
    """A PDF chosen for a leaf is listed under it and opens as that PDF; an HTML page named
    .pdf is refused with the reason beside the file field, the leaf still chosen."""
    page = _form(chromium, base)
    upload = page.locator("form.evidence-upload").first
    upload.locator('select[name="node"]').select_option("1.1.3")
    content = files.pdf("Quyết định 45/QĐ-STC")
    upload.locator('input[type="file"]').set_input_files(
        {"name": "Quyết định 45.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    upload.locator('button[type="submit"]').click()
    link = page.locator("#evidence-1\\.1\\.3 a", has_text="Quyết định 45.pdf")
    link.wait_for()
    assert "Người canbo" in page.inner_text("#evidence-1\\.1\\.3")  # the uploader, by name
    with page.expect_popup() as opened:
        link.click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url == base + str(link.get_attribute("href"))
    got = page.request.get(popup.url)
    assert got.ok and got.headers["content-type"] == "application/pdf"
    assert got.body() == content
    popup.close()
    shots(page, "officer-evidence")

    upload = page.locator("form.evidence-upload").first
    upload.locator('select[name="node"]').select_option("1.1.2")
    fake = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    upload.locator('input[type="file"]').set_input_files(
        {"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": fake}
    )
    upload.locator('button[type="submit"]').click()
    why = page.locator("#ev-error-answers")
    why.wait_for()
    assert "hãy chọn lại tệp" in why.inner_text()
    field = page.locator("form.evidence-upload").first
    assert field.locator('select[name="node"]').input_value() == "1.1.2"
    assert field.locator('input[type="file"]').get_attribute("aria-invalid") == "true"
    assert page.locator("#evidence a", has_text="bao-cao.pdf").count() == 0
    shots(page, "officer-evidence-refused")
    page.context.close()


def test_a_refused_save_keeps_the_forms_address_and_a_reload_does_not_post(
    chromium: Any, base: str
) -> None:
    """After a refused save the address bar shows the form's own address (not …/answers),
    with every value typed kept and a date typed ISO shown as 03/02/2018; reloading reads
    the page (no post again) and the typed values come back from the browser."""
    page = _form(chromium, base)
    page.fill(f'input[name="{FIELD}"]', "150")
    page.fill('input[name="a:1.1.1:done_on"]', "2018-02-03")
    page.fill(f'textarea[name="{NOTE}"]', "Báo cáo số 15/BC-STC; 2018-02-03")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.click('#answers button[type="submit"]')
    page.wait_for_selector("p.error[role=alert]")
    assert page.url == base + FORM
    assert page.input_value(f'input[name="{FIELD}"]') == "150"
    assert page.input_value('input[name="a:1.1.1:done_on"]') == "03/02/2018"
    assert page.input_value(f'textarea[name="{NOTE}"]') == "Báo cáo số 15/BC-STC; 03/02/2018"
    assert posts == [base + FORM + "/answers"]
    page.on("dialog", lambda d: d.accept())  # the unsaved-changes warning, if asked
    page.reload()
    page.wait_for_selector("#answers")
    assert page.url == base + FORM and posts == [base + FORM + "/answers"]  # read, not posted
    assert page.locator("p.error[role=alert]").count() == 0
    assert page.input_value(f'input[name="{FIELD}"]') == "150"  # kept by the browser
    page.context.close()
