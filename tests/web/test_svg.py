"""The SVG canvas of the web charts: round ticks, text measured in the house font, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from scoring.reports.chart_style import MIN_FONT
from scoring.web.svg import Canvas, shorten, text_width, tick_label, ticks, wrap


def test_ticks_are_round_and_cover_the_axis() -> None:
    """An axis from 65 to 108 is ticked by 5 from 65, one from 0 to 108 by 20, a narrow one
    by halves; every tick lies on the axis."""
    assert ticks(65, 107.8) == [65, 70, 75, 80, 85, 90, 95, 100, 105]
    assert ticks(0, 108) == [0, 20, 40, 60, 80, 100]
    assert ticks(62.5, 66) == [62.5, 63, 63.5, 64, 64.5, 65, 65.5, 66]
    assert ticks(3, 3) == [3]
    assert tick_label(62.5, "vi") == "62,5" and tick_label(62.5, "en") == "62.5"
    assert tick_label(65.0, "vi") == "65"


def test_text_is_measured_in_dejavu_sans_with_vietnamese_marks() -> None:
    """A Vietnamese letter is as wide as its base letter (its marks take no room), widths grow
    with the size, and "W" is wider than "i"."""
    assert text_width("Sở Nội vụ") == text_width("So Noi vu")
    assert text_width("W") > text_width("i") > 0
    assert text_width("abc", 18) == 2 * text_width("abc", 9)


def test_long_text_is_wrapped_or_shortened_to_its_room() -> None:
    """Wrapped lines fit their width and keep every word; a shortened name ends in "…"."""
    note = "Xếp hạng so sánh chỉ số đến 2 chữ số thập phân; bằng nhau là đồng hạng."
    lines = wrap(note, 150)
    assert len(lines) > 1 and all(text_width(line) <= 150 for line in lines)
    assert " ".join(lines) == note
    short = shorten("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", 100)
    assert short.endswith("…") and text_width(short) <= 100
    assert shorten("Sở Y tế", 100) == "Sở Y tế"


def test_the_canvas_escapes_text_and_keeps_the_minimum_font() -> None:
    """Markup in a label or the title stays text; no text is set under MIN_FONT; one hatch is
    defined once however often it is used."""
    canvas = Canvas(100, 50, "c", "<script>x</script>", "a & b")
    canvas.text(1, 10, "</text><b>", size=6)
    assert canvas.hatch("h") == canvas.hatch("h") == "url(#c-h)"
    svg = canvas.svg()
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findtext(f"{ns}title") == "<script>x</script>"
    label = root.find(f"{ns}text")
    assert label is not None and label.text == "</text><b>"
    assert float(label.get("font-size", "0")) == MIN_FONT
    assert len(root.findall(f"{ns}defs/{ns}pattern")) == 1
