"""The one chart style: every figure's settings, labels and ways out (SVG element, files)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from scoring.reports.chart_style import (
    axis_note,
    house_style,
    save_figure,
    svg_element,
    wrap_label,
    zoomed_axis,
)


def _figure() -> Figure:
    """A small chart with Vietnamese text (drawn, like every chart, inside ``house_style``)."""
    fig = Figure(figsize=(3.0, 2.0))
    ax = fig.add_subplot()
    ax.bar([0, 1], [40.0, 60.0], hatch="///", label="Sở Tài chính $5")
    ax.set_title("Chỉ số / index")
    ax.legend()
    return fig


def test_svg_element_is_prefixed_text_without_metadata() -> None:
    """The SVG starts at <svg>, keeps Vietnamese (and a dollar sign) as text, has no metadata
    or style sheet, and every id carries the prefix."""
    with house_style():
        svg = svg_element(_figure(), "demo")
    assert svg.startswith("<svg ") and "<metadata>" not in svg and "<style" not in svg
    assert "Sở Tài chính $5" in svg and "Chỉ số / index" in svg
    assert 'id="demo-' in svg and ' id="' not in svg.replace('id="demo-', "")


def test_saved_figures_are_the_same_bytes_each_time(tmp_path: Path) -> None:
    """PNG and SVG files carry no date or version: drawing the chart again gives the same bytes."""
    with house_style():
        first = save_figure(_figure(), tmp_path, "a b/c")
        assert [p.name for p in first] == ["a-b-c.png", "a-b-c.svg"]
        before = [p.read_bytes() for p in first]
        assert [p.read_bytes() for p in save_figure(_figure(), tmp_path, "a b/c")] == before


def test_wrap_label_keeps_three_lines_at_most() -> None:
    """A long area title is wrapped on three lines, the last one shortened with an ellipsis."""
    text = wrap_label("Cải cách thủ tục hành chính và hiện đại hóa nền hành chính nhà nước", 16)
    lines = text.split("\n")
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 16 for line in lines)


def test_an_axis_zooms_to_its_data_and_says_where_it_starts() -> None:
    """Indices of 70–90 get an axis from 65 (a multiple of 5 below the lowest), noted in the
    label's language; indices reaching near 0 keep the axis from 0, with no note."""
    low, high = zoomed_axis([72.1, 88.4, 90.0])
    assert low == 65 and 100 < high < 105
    assert axis_note(low, "vi") == " (trục bắt đầu từ 65, không từ 0)"
    assert axis_note(62.5, "vi") == " (trục bắt đầu từ 62,5, không từ 0)"
    assert axis_note(low, "en") == " (axis starts at 65, not 0)"
    assert zoomed_axis([6.5, 90.0])[0] == 0 and axis_note(0, "vi") == ""
    assert zoomed_axis([]) == (0, 108)
