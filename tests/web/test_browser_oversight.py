"""Administration and audit in Chromium: the administrator picks an officer's unit from a list
in Vietnamese order, sees and unlocks a locked account and disables one only once confirmed;
the auditor narrows the audit log by unit, person, action and date, reads a saved
self-assessment's changed fields old → new, and opens an evidence file from the trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scoring.errors import AccessError
from scoring.sources.text import vn_key
from scoring.store import accounts, evidence
from scoring.store.db import Store
from tests.support import files
from tests.support.browser import DESKTOP, Server, shots, signed_in
from tests.support.web import CID, NOW, OWN, PASSWORD, open_copy

UNIT = f"/c/{CID}/u/{OWN}"


@pytest.fixture(scope="module")
def served(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """The app over a copy of the open campaign, and its store, for the module."""
    st = open_copy(tmp_path_factory.mktemp("oversight"))
    with Server(st) as url:
        yield url, st
    st.close()


def _row(page: Any, username: str) -> Any:
    return page.locator("main table tbody tr", has=page.locator(f"td:text-is('{username}')"))


def test_an_officers_unit_is_picked_from_the_units_in_vietnamese_order(
    chromium: Any, served: tuple[str, Store]
) -> None:
    """The new account's unit is a list of the campaigns' units (no free text), sorted as
    Vietnamese is (Đ after D, tones after their letter); the account made shows its unit."""
    base, _ = served
    page = signed_in(chromium, base, "quantri", DESKTOP)
    page.goto(f"{base}/admin/accounts")
    picker = page.locator('form[action="/admin/accounts"] [name="unit"]')
    assert picker.evaluate("el => el.tagName") == "SELECT"
    names = picker.locator("option").all_inner_texts()[1:]  # the first says "chọn đơn vị"
    assert len(names) > 10 and names == sorted(names, key=vn_key), names
    assert any(n.startswith("Sở") for n in names) and any("Đ" in n for n in names)
    shots(page, "admin-accounts")
    page.fill('input[name="username"]', "canbo3")
    page.fill('input[name="display_name"]', "Nguyễn Thị Hoa")
    page.select_option('select[name="role"]', "officer")
    chosen = picker.locator("option").nth(3)
    picker.select_option(str(chosen.get_attribute("value")))
    page.fill('input[name="password"]', PASSWORD)
    page.click('form[action="/admin/accounts"] button[type="submit"]')
    page.wait_for_selector("p.note")
    assert chosen.inner_text() in _row(page, "canbo3").inner_text()
    page.context.close()


def test_a_locked_account_is_shown_and_unlocked(chromium: Any, served: tuple[str, Store]) -> None:
    """An account locked by failed sign-ins says so on the accounts page; unlocking it lets
    its owner sign in at once."""
    base, st = served
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccessError):
            accounts.sign_in(st, "canbo2", "sai-mật-khẩu-rồi", now=NOW)
    page = signed_in(chromium, base, "quantri", DESKTOP)
    page.goto(f"{base}/admin/accounts")
    row = _row(page, "canbo2")
    assert "Bị khóa" in row.inner_text()
    shots(page, "admin-locked")
    row.locator('form[action$="/unlock"] button').click()
    page.wait_for_selector("p.note")
    assert "Bị khóa" not in _row(page, "canbo2").inner_text()
    owner = signed_in(chromium, base, "canbo2", DESKTOP)  # waits for the home page
    assert "Người canbo2" in owner.inner_text("header")
    owner.context.close()
    page.context.close()


def test_disabling_an_account_asks_for_confirmation(
    chromium: Any, served: tuple[str, Store]
) -> None:
    """The disable button does nothing until its "Tôi xác nhận" box is ticked; then the
    account shows as disabled, with a button to enable it again."""
    base, _ = served
    page = signed_in(chromium, base, "quantri", DESKTOP)
    page.goto(f"{base}/admin/accounts")
    form = _row(page, "thamdinh").locator('form[action$="/active"]')
    assert "Tôi xác nhận" in form.inner_text()
    form.locator('button[type="submit"]').click()
    page.wait_for_timeout(300)
    assert form.locator('input[name="confirm"]').evaluate("b => b.validity.valueMissing")
    assert "✓" in _row(page, "thamdinh").inner_text()
    form.locator('input[name="confirm"]').check()
    form.locator('button[type="submit"]').click()
    page.wait_for_selector("p.note")
    row = _row(page, "thamdinh")
    assert "✗" in row.inner_text() and row.locator('input[name="confirm"]').count() == 0
    assert row.locator('input[name="active"]').get_attribute("value") == "1"  # enable again
    page.context.close()


@pytest.fixture(scope="module")
def worked(chromium: Any, served: tuple[str, Store]) -> str:
    """The officer has saved a changed self-assessment and attached a scan, in the browser."""
    base, _ = served
    page = signed_in(chromium, base, "canbo", DESKTOP)
    page.goto(base + UNIT)
    page.fill('input[name="a:1.1.3:value"]', "64,5")
    page.click('#answers button[type="submit"]')
    page.wait_for_selector("p.note")
    upload = page.locator("form.evidence-upload").first
    upload.locator('select[name="node"]').select_option("1.1.3")
    upload.locator('input[type="file"]').set_input_files(
        {"name": "Biên bản kiểm tra.png", "mimeType": "image/png", "buffer": files.png(40, 20)}
    )
    upload.locator('button[type="submit"]').click()
    page.locator("#evidence a", has_text="Biên bản kiểm tra.png").wait_for()
    page.context.close()
    return base


def _entries(page: Any) -> list[dict[str, str]]:
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll("table.audit tbody tr")].map(tr => ({
                 who: tr.cells[3].textContent.trim(), action: tr.cells[4].textContent.trim(),
                 unit: tr.cells[6].textContent.trim(), details: tr.cells[8].innerText.trim()}))"""
        )
    )


def _filter(page: Any, **chosen: str) -> list[dict[str, str]]:
    form = page.locator("form.filters")
    for name, value in chosen.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    return _entries(page)


def test_the_audit_log_filters_narrow_the_rows_and_show_changed_fields(
    chromium: Any, worked: str
) -> None:
    """Each filter (unit, person, action, date) narrows the log to rows that match it, and
    the officer's save lists the field it changed, old → new, as people write numbers."""
    page = signed_in(chromium, worked, "kiemtoan", DESKTOP)
    page.goto(f"{worked}/audit")
    every = _entries(page)
    unit = page.locator('select[name="unit"] option[value="so-tai-chinh"]').inner_text()
    by_unit = _filter(page, unit=OWN)
    assert 0 < len(by_unit) < len(every) and {e["unit"] for e in by_unit} == {unit}
    by_person = _filter(page, person="canbo")
    assert 0 < len(by_person) < len(by_unit) and {e["who"] for e in by_person} == {"Người canbo"}
    saves = _filter(page, action="unit.import")
    assert [e["action"] for e in saves] == ["Lưu bản tự đánh giá"]  # the officer's one save
    assert "1.1.3" in saves[0]["details"] and "→ 64,5" in saves[0]["details"], saves[0]
    assert "sha256" not in saves[0]["details"]
    shots(page, "auditor-audit-filtered")
    assert _filter(page, **{"from": "20/11/2018", "to": "20/11/2018"}) == saves
    assert _filter(page, **{"from": "21/11/2018"}) == []
    page.context.close()


def test_an_evidence_file_opens_from_the_trace(chromium: Any, worked: str) -> None:
    """The auditor finds the officer's scan on the unit's trace and opens it: the same image,
    served as an image."""
    page = signed_in(chromium, worked, "kiemtoan", DESKTOP)
    page.goto(f"{worked}{UNIT}/trace")
    link = page.locator("#evidence a", has_text="Biên bản kiểm tra.png")
    assert "Người canbo" in page.inner_text("#evidence")
    shots(page, "auditor-trace-evidence")
    with page.expect_popup() as opened:
        link.click()
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.evaluate("() => document.images.length === 1 && document.images[0].width") == 40
    got = page.request.get(popup.url)
    assert got.ok and got.headers["content-type"] == "image/png"
    assert got.body() == files.png(40, 20)
    popup.close()
    page.context.close()


def _one_page_pdf(text: str) -> bytes:
    """A PDF a viewer can draw: one page with ``text`` (``files.pdf`` is only its header)."""
    stream = f"BT /F1 24 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# the pages the built-in PDF viewer drew (0 until the document is read, or if it cannot be)
VIEWER_PAGES = """() => {
  const viewer = document.querySelector("pdf-viewer");
  const bar = viewer && viewer.shadowRoot && viewer.shadowRoot.querySelector("viewer-toolbar");
  return bar ? bar.docLength : 0;
}"""


def test_a_pdf_opens_in_the_browsers_viewer_inside_its_sandbox(
    chromium: Any, worked: str, served: tuple[str, Store]
) -> None:
    """A PDF evidence file, served with its sandboxing policy, still opens from the trace in
    Chromium's own PDF viewer, which draws its page."""
    _, st = served
    data = _one_page_pdf("Bien ban kiem tra")
    evidence.attach(st, CID, OWN, "1.1.3", data, "Biên bản.pdf", actor="canbo", now=NOW)
    page = signed_in(chromium, worked, "kiemtoan", DESKTOP)
    page.goto(f"{worked}{UNIT}/trace")
    with page.expect_popup() as opened:
        page.locator("#evidence a", has_text="Biên bản.pdf").click()
    popup = opened.value
    popup.wait_for_load_state()
    got = page.request.get(popup.url)
    assert got.ok and got.body() == data
    assert got.headers["content-security-policy"].startswith("sandbox; default-src 'none'")
    drawn = 0
    for _ in range(100):  # the viewer is an extension frame that reads the file on its own
        frames = [f for f in popup.frames if f.url.startswith("chrome-extension://")]
        drawn = frames[0].evaluate(VIEWER_PAGES) if frames else 0
        if drawn:
            break
        popup.wait_for_timeout(100)
    assert drawn == 1
    popup.close()
    page.context.close()
