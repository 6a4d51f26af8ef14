"""The appraiser's work in Chromium: the appraisal table (the unit's figures beside the points,
a differing self-score marked), a refused appraisal that keeps what was typed, a bulk step
through its confirmation page; the ranking's chart with its ties and publication line, and
publishing (the administrator's step) only once confirmed.

Read-only tests share one server per store state; the ones that move units or publish have
their own store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import DESKTOP, Server, shots, signed_in
from tests.support.web import CID, OWN, open_copy, to_appraisal

UNIT = f"/c/{CID}/u/{OWN}"

# each row of the appraisal table as {header text: cell text}, by the header above each cell
ROWS = """() => {
  const table = document.querySelector("#appraise table");
  const heads = [...table.tHead.rows[0].cells].map(th => th.textContent.trim());
  return [...table.tBodies[0].rows].map(tr => {
    const row = {id: tr.id, differs: tr.classList.contains("differs"),
                 mark: tr.querySelector("mark.differs")
                   ? getComputedStyle(tr.querySelector("mark.differs")).backgroundColor : null,
                 cells: tr.cells.length, heads: heads.length};
    [...tr.cells].forEach((td, i) => { row[heads[i]] = td.textContent.trim(); });
    return row;
  });
}"""


@pytest.fixture(scope="module")
def appraising(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a campaign in appraisal (every unit submitted), for the read-only tests."""
    st = open_copy(tmp_path_factory.mktemp("appraising"))
    to_appraisal(st)
    with Server(st) as url:
        yield url
    st.close()


def test_the_appraisal_table_puts_the_units_figures_beside_the_points(
    chromium: Any, appraising: str
) -> None:
    """Every cell of the appraisal table is under its own header: the unit's figures under
    "Số liệu tự đánh giá", the maximum under its header; a self-score that differs from the
    computed points is marked "khác điểm tự chấm" and shaded."""
    page = signed_in(chromium, appraising, "thamdinh", DESKTOP)
    page.goto(appraising + UNIT)
    rows = page.evaluate(ROWS)
    assert rows and all(r["cells"] == r["heads"] for r in rows), rows[:2]
    first = next(r for r in rows if r["id"] == "leaf-1.1.1")
    assert "Ngày ban hành kế hoạch CCHC: 31/01/2018" in first["Số liệu tự đánh giá"], first
    assert first["Điểm tối đa"] == "1,00" and first["Điểm thẩm định"] == "1,00", first
    differing = [r for r in rows if r["differs"]]
    assert differing, "the sample has self-scores that differ from the computed points"
    assert all("khác điểm tự chấm" in r["Điểm thẩm định"] for r in differing)
    assert all(r["mark"] not in (None, "rgba(0, 0, 0, 0)") for r in differing), differing[:2]
    assert not any(r["mark"] for r in rows if not r["differs"])
    page.locator("tr.differs").first.scroll_into_view_if_needed()
    shots(page, "appraiser-table")
    page.context.close()


def test_an_appraisal_without_a_reason_keeps_the_typed_values(
    chromium: Any, appraising: str
) -> None:
    """A new score sent without its reason is refused beside the reason field, the page comes
    back with both scores typed, and nothing is stored."""
    page = signed_in(chromium, appraising, "thamdinh", DESKTOP)
    page.goto(appraising + UNIT)
    page.fill('input[name="s:1.1.3"]', "0,5")
    page.fill('input[name="s:1.1.1"]', "0,75")
    page.fill('input[name="r:1.1.1"]', "Kế hoạch ban hành muộn")
    page.click('#appraise button[type="submit"]')
    page.wait_for_selector('span.error[data-for="r:1.1.3"]:not(:empty)')
    assert "lý do" in page.inner_text('span.error[data-for="r:1.1.3"]')
    assert page.get_attribute('input[name="r:1.1.3"]', "aria-invalid") == "true"
    assert page.input_value('input[name="s:1.1.3"]') == "0,5"
    assert page.input_value('input[name="s:1.1.1"]') == "0,75"
    assert page.input_value('input[name="r:1.1.1"]') == "Kế hoạch ban hành muộn"
    assert "→" not in page.inner_text("#leaf-1\\.1\\.1")  # no change stored
    shots(page, "appraiser-no-reason")
    page.context.close()


def test_a_bulk_step_moves_every_unit_only_once_the_box_is_ticked(
    chromium: Any, tmp_path: Path
) -> None:
    """The campaign page's bulk step opens a page listing the units it moves; sending it
    without the box ticked is stopped (by the browser, and by the server when the browser's
    check is gone), ticked it moves every submitted unit to round 1."""
    st = open_copy(tmp_path)
    to_appraisal(st)
    with Server(st) as base:
        page = signed_in(chromium, base, "thamdinh", DESKTOP)
        page.goto(f"{base}/c/{CID}")
        page.click(f'a[href="/c/{CID}/advance-all?target=appraised_1"]')
        page.wait_for_url("**/advance-all?target=appraised_1")
        listed = page.locator("ul.bulk-move li").count()
        assert listed > 10 and "Chuyển hàng loạt" in page.inner_text("h1")
        shots(page, "appraiser-bulk-confirm")
        send = page.locator('form[action$="/advance-all"] button[type="submit"]')
        box = page.locator('form[action$="/advance-all"] input[name="confirm"]')
        send.click()
        page.wait_for_timeout(300)
        assert "advance-all" in page.url and box.evaluate("b => b.validity.valueMissing")
        box.evaluate("b => b.removeAttribute('required')")  # as a browser without the check
        send.click()
        page.wait_for_selector("p.error[role=alert]")
        assert "Tôi xác nhận" in page.inner_text("p.error[role=alert]")
        page.goto(f"{base}/c/{CID}")
        assert "Đã thẩm định vòng 1" not in page.inner_text("#units")  # nothing moved
        page.goto(f"{base}/c/{CID}/advance-all?target=appraised_1")
        page.check('form[action$="/advance-all"] input[name="confirm"]')
        page.click('form[action$="/advance-all"] button[type="submit"]')
        page.wait_for_url(f"{base}/c/{CID}?note=bulk_done")
        assert "Đã chuyển bước" in page.inner_text("p.note")
        states = page.locator("#units tbody tr td:nth-child(3)").all_inner_texts()
        assert states.count("Đã thẩm định vòng 1") == listed, states
        shots(page, "appraiser-bulk-done")
        page.context.close()
    st.close()


@pytest.fixture(scope="module")
def published(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the samples' whole cycle, published, for the module."""
    st = open_copy(tmp_path_factory.mktemp("published"), published=True)
    with Server(st) as url:
        yield url
    st.close()


def test_the_ranking_chart_marks_ties_and_says_what_was_published(
    chromium: Any, published: str
) -> None:
    """The ranking's bars label tied units "đồng hạng" with the note on the ranking's
    precision, and the page says which run was published, when and by whom."""
    page = signed_in(chromium, published, "thamdinh", DESKTOP)
    page.goto(f"{published}/c/{CID}/ranking")
    chart = page.locator("figure.chart svg").first
    labels = chart.locator("text").all_text_contents()
    assert any("(đồng hạng)" in t for t in labels), labels[:10]
    assert any("đồng hạng" in t and "chữ số thập phân" in t for t in labels)
    line = page.inner_text("p.publication")
    assert "Lần công bố số 1" in line and "Công bố lúc 21/12/2018" in line, line
    chart.scroll_into_view_if_needed()
    shots(page, "appraiser-ranking-ties")
    page.context.close()


def test_a_correction_is_pending_until_published_and_publishing_asks_first(
    chromium: Any, published: str
) -> None:
    """An appraiser's change in the correction round shows "Đính chính chưa công bố"; the
    administrator's publish button does nothing until its box is ticked, then publishes a new
    run, a correction, at the campaign's local time, and the pending note goes."""
    appraiser = signed_in(chromium, published, "thamdinh", DESKTOP)
    appraiser.goto(published + UNIT)
    assert "Vòng đính chính" in appraiser.inner_text("#appraise h2")
    appraiser.fill('input[name="s:1.1.3"]', "0,25")
    appraiser.fill('input[name="r:1.1.3"]', "Thanh tra phát hiện số liệu chưa đúng")
    appraiser.click('#appraise button[type="submit"]')
    appraiser.wait_for_selector("p.note")
    assert "0,25" in appraiser.inner_text("#leaf-1\\.1\\.3")
    appraiser.context.close()

    page = signed_in(chromium, published, "quantri", DESKTOP)
    page.goto(f"{published}/c/{CID}")
    assert "Đính chính chưa công bố" in page.inner_text("p.pending-correction")
    form = page.locator(f'form[action="/c/{CID}/publish"]')
    form.locator('input[name="reason"]').fill("Đính chính điểm tiêu chí 1.1.3")
    form.locator('button[type="submit"]').click()
    page.wait_for_timeout(300)
    box = form.locator('input[name="confirm"]')
    assert box.evaluate("b => b.validity.valueMissing")
    assert "Tôi xác nhận công bố đính chính" in form.inner_text()
    before = page.inner_text("p.publication")
    assert "(công bố)" in before and "đính chính" not in before, before
    shots(page, "admin-publish-confirm")
    box.check()
    form.locator('button[type="submit"]').click()
    page.wait_for_selector("p.note")
    line = page.inner_text("p.publication")
    assert line != before and "(đính chính)" in line and "20/11/2018 16:00" in line, line
    assert page.locator("p.pending-correction").count() == 0
    page.context.close()


def test_a_correction_with_nothing_to_correct_is_refused_in_vietnamese(
    chromium: Any, published: str
) -> None:
    """Publishing again with no correction recorded is refused in Vietnamese, nothing
    published."""
    page = signed_in(chromium, published, "quantri", DESKTOP)
    page.goto(f"{published}/c/{CID}")
    runs = page.inner_text("p.publication")
    form = page.locator(f'form[action="/c/{CID}/publish"]')
    form.locator('input[name="reason"]').fill("Không có gì thay đổi")
    form.locator('input[name="confirm"]').check()
    form.locator('button[type="submit"]').click()
    page.wait_for_selector("p.error")
    said = page.inner_text("p.error")
    page.context.close()
    assert "<input>" not in said and "published" not in said, said
    assert "đính chính" in said.lower(), said
    assert runs  # the line read before, for the message above
