"""The web pages' charts: a ranking readable on a screen, on an axis zoomed to its data."""

from __future__ import annotations

import re

from scoring.evaluation.trace import ClassLabel
from scoring.reports.chart_style import MIN_FONT
from scoring.reports.model import AnnexRow, ClassCount, GroupReport
from scoring.web.figures import ranking_svg

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
    """Every font size the SVG sets, in points (matplotlib writes px at 72 per inch)."""
    return [float(x) for x in re.findall(r"font(?:-size)?=\"[^\"]*?([\d.]+)px", svg)]


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
    svg = ranking_svg(GROUP, "vi", 3)
    assert svg.count("(đồng hạng)") == 2
    assert "88,40 (đồng hạng)" in svg and "81,25 (đồng" not in svg
    assert "so sánh chỉ số đến 3 chữ số thập phân" in svg
    assert "(tied)" in ranking_svg(GROUP, "en", 2)
