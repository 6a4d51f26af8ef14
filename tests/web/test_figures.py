"""The web pages' charts: a ranking readable on a screen, on an axis zoomed to its data; the
unit's area profile and last year against this year, drawn as SVG text, escaped and named."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from scoring.evaluation.trace import ClassLabel
from scoring.reports.chart_style import MIN_FONT
from scoring.reports.model import AnnexRow, AreaScore, ClassCount, GroupReport, Scorecard, YearOver
from scoring.web.figures import profile_svg, ranking_svg, yoy_svg

GOOD = ClassLabel("tot", "Tốt", "Good")
FAIR = ClassLabel("kha", "Khá", "Fair")


def _row(uid: str, rank: int | None, tied: bool, index: str) -> AnnexRow:
    return AnnexRow(uid, f"Sở {uid}", "so", rank, rank is not None, tied, index, "100",
                    index, index, "0", "0", "0", GOOD, ())  # fmt: skip


def _group(*rows: AnnexRow) -> GroupReport:
    classes = (ClassCount(GOOD, "80", 2), ClassCount(FAIR, "70", 1))
    return GroupReport("so", "Sở", "Departments", rows, (), classes, None, None, None)


GROUP = _group(
    _row("a", 1, True, "88.40"),
    _row("b", 1, True, "88.40"),
    _row("c", 3, False, "81.25"),
    _row("d", 4, False, "72.10"),
)


def _sizes(svg: str) -> list[float]:
    """Every font size the SVG sets, in points (its user unit is the point: 72 per inch)."""
    return [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]


def _drawn(svg: str) -> str:
    """The SVG without its title and description: what is drawn (the description repeats each
    label for a screen reader)."""
    return re.sub(r"<(title|desc)\b.*?</\1>", "", svg, flags=re.S)


def test_the_ranking_axis_is_zoomed_to_the_data_and_says_so() -> None:
    """Indices of 72–88 are drawn from 65, not from 0, and the axis label says where it starts;
    a group reaching down near 0 keeps its axis from 0 and says nothing."""
    svg = ranking_svg(GROUP, "vi", 2)
    assert "trục bắt đầu từ 65, không từ 0" in svg
    assert ">65<" in svg and ">60<" not in svg and ">0<" not in svg  # the first tick is 65
    low = ranking_svg(_group(_row("a", 1, False, "90"), _row("b", 2, False, "6.5")), "vi", 2)
    assert "trục bắt đầu" not in low and ">0<" in low
    assert "axis starts at 65, not 0" in ranking_svg(GROUP, "en", 2)


def test_the_ranking_labels_are_at_least_nine_points() -> None:
    """No text of the ranking chart is smaller than 9 pt."""
    sizes = _sizes(ranking_svg(GROUP, "vi", 2))
    assert sizes and min(sizes) >= MIN_FONT == 9


def test_ties_are_marked_with_the_ranking_precision() -> None:
    """Units sharing a rank are marked "đồng hạng" (each of them, not the others), and a note
    says how many decimals the ranking compares."""
    svg = _drawn(ranking_svg(GROUP, "vi", 3))
    assert svg.count("(đồng hạng)") == 2
    assert "88,40 (đồng hạng)" in svg and "81,25 (đồng" not in svg
    assert "so sánh chỉ số đến 3 chữ số thập phân" in svg
    assert "(tied)" in ranking_svg(GROUP, "en", 2)


def _area(aid: str, percent: float | None, median: float | None,
          previous: float | None = None) -> AreaScore:  # fmt: skip
    return AreaScore(aid, f"Lĩnh vực {aid} <cải cách> & hiện đại hóa", "Area", "1", "1", "1",
                     "0", percent, median, None, previous)  # fmt: skip


def _card(*areas: AreaScore, previous: YearOver | None = None) -> Scorecard:
    unit = replace(GROUP.units[0], name="Sở <b>Tài</b> & chính", areas=areas)
    return Scorecard(unit, "Sở", "Departments", 4, (), (), previous)


LAST_YEAR = YearOver("c-2024", 2024, "80.00", 2, None, "+8.40", 1)


def test_the_profile_shows_each_area_against_the_median_at_nine_points() -> None:
    """Each area has its value and the group median written, "KAD" where it does not apply,
    last year's diamonds only when there is a last year, and no text under 9 pt."""
    card = _card(_area("1", 87.4, 80.2, 75.0), _area("2", 5.0, 60.0), _area("3", None, 50.0))
    plain = profile_svg(_card(*card.unit.areas), "vi")
    assert ">87<" in plain and ">80<" in plain and ">5<" in plain and ">KAD<" in plain
    assert "<polygon" not in plain and "năm 2024" not in plain
    svg = profile_svg(replace(card, previous=LAST_YEAR), "vi")
    assert svg.count("<polygon") == 2 and "đơn vị năm 2024" in svg  # one mark, one legend key
    assert min(_sizes(svg)) >= MIN_FONT and ">N/A<" in profile_svg(card, "en")


def test_every_chart_is_well_formed_escaped_and_named_for_a_screen_reader() -> None:
    """Names with markup stay text (escaped, parsed back unchanged), and each chart is an
    image whose title and description say what it shows, in the page's language."""
    group = replace(GROUP, units=(replace(GROUP.units[0], name="Sở <b>A</b> & B"),
                                  *GROUP.units[1:]))  # fmt: skip
    card = _card(_area("1", 87.4, 80.2))
    charts = {
        "ranking": ranking_svg(group, "vi", 2),
        "yoy": yoy_svg("so", [("Sở <b>A</b> & B", "80.10", "88.40")], (2024, 2025), "vi"),
        "profile": profile_svg(card, "vi"),
    }
    for svg in charts.values():
        assert "<b>" not in svg and "&lt;b&gt;" in svg
        root = ET.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
        assert root.get("role") == "img" and title is not None and desc is not None
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "<b>" in "".join(root.itertext())  # the name itself, read back as text
    desc = ET.fromstring(charts["ranking"]).findtext("{http://www.w3.org/2000/svg}desc") or ""
    assert "=1. Sở <b>A</b> & B: 88,40 (đồng hạng)" in desc and "4. Sở d: 72,10" in desc
    assert "Sở <b>Tài</b> & chính" in (
        ET.fromstring(charts["profile"]).findtext("{http://www.w3.org/2000/svg}title") or ""
    )


def test_last_year_against_this_year_writes_signed_changes_with_commas() -> None:
    """The change since last year is signed and written with a decimal comma in Vietnamese
    (a point in English), on an axis zoomed to the indices that says where it starts."""
    rows = [("Sở a", "80.10", "88.40"), ("Sở b", "90.00", "85.50")]
    svg = yoy_svg("so", rows, (2024, 2025), "vi")
    assert ">+8,30<" in svg and ">-4,50<" in svg and "trục bắt đầu từ 75, không từ 0" in svg
    assert ">2024<" in svg and ">2025<" in svg and min(_sizes(svg)) >= MIN_FONT
    assert ">+8.30<" in yoy_svg("so", rows, (2024, 2025), "en")


def test_a_large_group_is_drawn_with_a_bar_for_every_unit() -> None:
    """A 60-unit group's ranking has a bar for each unit and its frame (its speed is measured
    by the after-save load benchmark, never asserted here)."""
    rows = [_row(f"u{i}", i + 1, False, f"{90 - i * 0.3:.2f}") for i in range(60)]
    svg = ranking_svg(_group(*rows), "vi", 2)
    assert svg.count("<rect") == 61  # bars and frame
