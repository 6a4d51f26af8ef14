"""The 2018 and 2025 samples' leaves name their inputs in their own words, end to end: the
officer's web form, the trace page, ``parindex explain``, ``parindex gaps`` and the unit page's
"where points are lost", in Vietnamese and (label_en) in English."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.store.db import Store
from tests.support.cli import run
from tests.support.paths import ROOT, SAMPLES
from tests.support.web import CID, OWN, client_as, in_appraisal, open_copy

UNIT = f"/c/{CID}/u/{OWN}"  # so-tai-chinh, a department
# the rule kinds' general labels, which no input of the samples shows any more
KIND_WORDS = ("Tử số", "Mẫu số", "Ngày hoàn thành", "Có / Không", "Thời gian thực tế")
KIND_WORDS_EN = ("Numerator", "Denominator", "Date done", "Yes / no", "Actual time")
# leaf 3.4.1 (dossiers settled on time): its two fields in its own words
NUM_VI, DEN_VI = "Số hồ sơ giải quyết đúng hạn", "Tổng số hồ sơ đã giải quyết"
NUM_EN, DEN_EN = "Dossiers resolved on time", "All dossiers resolved"


@pytest.fixture(scope="module")
def st(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The 2018 samples' campaign with every unit submitted and in appraisal."""
    yield from in_appraisal(tmp_path_factory.mktemp("own-words"))


def _field_label(page: str, field: str) -> str:
    """The words of the ``<label>`` that wraps form field ``field``, as a reader sees them."""
    m = re.search(
        rf'<label class="inp">([^<]*?)\s*<(?:input|select)[^>]*name="{re.escape(field)}"', page
    )
    assert m, f"no labelled field {field}"
    return html.unescape(m.group(1)).strip()


def _labels(page: str) -> list[str]:
    """Every input label of the form (the self-score, evidence and N/A boxes left out)."""
    return [html.unescape(x).strip() for x in re.findall(r'<label class="inp">([^<]+)<', page)]


def test_the_form_labels_a_rates_two_fields_with_the_leafs_words(tmp_path: Path) -> None:
    """The officer's form labels leaf 3.4.1's numerator and denominator with what they count,
    and no field of the form with a rule kind's general label."""
    store = open_copy(tmp_path)
    page = client_as(store, "canbo").get(UNIT).text
    assert _field_label(page, "a:3.4.1:numerator") == NUM_VI
    assert _field_label(page, "a:3.4.1:denominator") == DEN_VI
    assert _field_label(page, "a:1.1.1:done_on") == "Ngày ban hành kế hoạch CCHC"
    assert _field_label(page, "a:3.3.2:actual") == "Thời gian giải quyết bình quân thực tế"
    labels = _labels(page)
    assert len(labels) > 50, labels  # the walk found the form's fields
    assert not [x for x in labels if x in KIND_WORDS], labels
    store.close()


def test_the_form_in_english_shows_label_en(tmp_path: Path) -> None:
    """With English picked, the same fields read the leaf's English words."""
    store = open_copy(tmp_path)
    c = client_as(store, "canbo")
    c.get("/lang/en")
    page = c.get(UNIT).text
    assert _field_label(page, "a:3.4.1:numerator") == NUM_EN
    assert _field_label(page, "a:3.4.1:denominator") == DEN_EN
    assert _field_label(page, "a:7.3.3:value") == "Public postal service used for dossiers"
    assert not [x for x in _labels(page) if x in KIND_WORDS_EN]
    store.close()


def _step(page: str, node: str) -> str:
    """The trace page's row of step ``node``."""
    row = page[page.index(f'id="step-{node}"') :]
    return html.unescape(row[: row.index("</tr>")])


def test_the_trace_page_names_the_inputs_by_the_leafs_words(st: Store) -> None:
    """The trace page writes leaf 3.4.1's figures as "Số hồ sơ giải quyết đúng hạn: …", and
    in English with the leaf's English words."""
    c = client_as(st, "thamdinh")
    row = _step(c.get(f"{UNIT}/trace").text, "3.4.1")
    assert f"{NUM_VI}: " in row and f"{DEN_VI}: " in row
    assert not [w for w in KIND_WORDS if w in row], row
    c.get("/lang/en")
    row = _step(c.get(f"{UNIT}/trace").text, "3.4.1")
    assert f"{NUM_EN}: " in row and f"{DEN_EN}: " in row and NUM_VI not in row


def test_explain_prints_each_groups_words_for_one_leaf() -> None:
    """``explain`` writes 1.3.1's figures in a department's words and in a district's."""
    dept = run("explain", "so-tai-chinh", "1.3.1", "--campaign", str(SAMPLES))
    district = run("explain", "huyen-cao-loc", "1.3.1", "--campaign", str(SAMPLES))
    assert dept.exit_code == 0 and district.exit_code == 0, dept.output + district.output
    assert "Số phòng, đơn vị trực thuộc được kiểm tra CCHC: 4; " in dept.stdout
    assert "Tổng số phòng, đơn vị trực thuộc: 7; " in dept.stdout
    assert "Số phòng chuyên môn, UBND cấp xã được kiểm tra CCHC: 21; " in district.stdout
    assert not [w for w in KIND_WORDS if w in dept.stdout + district.stdout]


def test_explain_in_english_prints_label_en() -> None:
    """``--lang en explain`` writes the leaf's English words for a rate and a date."""
    r = run("--lang", "en", "explain", "so-tai-chinh", "3.4.1", "--campaign", str(SAMPLES))
    assert r.exit_code == 0, r.output
    assert f"{NUM_EN}: " in r.stdout and f"{DEN_EN}: " in r.stdout
    d = run("--lang", "en", "explain", "so-tai-chinh", "1.1.1", "--campaign", str(SAMPLES))
    assert "Date the PAR plan was issued: 31/01/2018" in d.stdout and "Date done" not in d.stdout


def test_explain_of_the_2025_sample_uses_the_communes_words() -> None:
    """The 2025 sample names its inputs too: a commune's 1.3.1 counts its divisions and
    villages, a department's its subordinate units."""
    folder = str(ROOT / "samples" / "2025")
    commune = run("explain", "phuong-dong-kinh", "1.3.1", "--campaign", folder)
    assert commune.exit_code == 0, commune.output
    assert "Số công chức chuyên môn, thôn, tổ dân phố được kiểm tra CCHC: " in commune.stdout
    dept = run("explain", "so-tai-chinh", "1.3.1", "--campaign", folder)
    assert "Số phòng, đơn vị trực thuộc được kiểm tra CCHC: " in dept.stdout, dept.output


def test_gaps_names_the_input_to_change_by_the_leafs_words() -> None:
    """``gaps`` says which figure to change in the leaf's words, in Vietnamese and English."""
    vi = run("gaps", "so-tai-chinh", "--campaign", str(SAMPLES))
    assert vi.exit_code == 0, vi.output
    assert "bậc kế tiếp: Số CBCC sử dụng thư điện tử công vụ → 67 (+0,50)" in vi.stdout
    assert "bậc kế tiếp: Ngày ban hành kế hoạch rà soát VBQPPL → 28/02/2018" in vi.stdout
    assert not [w for w in KIND_WORDS if w in vi.stdout]
    en = run("--lang", "en", "gaps", "so-tai-chinh", "--campaign", str(SAMPLES))
    assert "Officials using official e-mail → 67 (+0.50)" in en.stdout, en.stdout


def test_where_points_are_lost_on_the_unit_page_uses_the_leafs_words(tmp_path: Path) -> None:
    """The unit page's "where points are lost" table names the figure to change as the leaf
    does, and in English as the leaf's label_en."""
    store = open_copy(tmp_path)
    c = client_as(store, "canbo")
    page = c.get(UNIT).text
    lost = html.unescape(
        page[page.index('id="gaps"') : page.index("</table>", page.index('id="gaps"'))]
    )
    assert "Số CBCC sử dụng thư điện tử công vụ → 67" in lost, lost
    assert not [w for w in KIND_WORDS if w in lost]
    c.get("/lang/en")
    page = c.get(UNIT).text
    lost = html.unescape(page[page.index('id="gaps"') :])
    assert "Officials using official e-mail → 67" in lost
    store.close()
