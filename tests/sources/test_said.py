"""Figures, ranges and reasons as people write them (``scoring.sources.said``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.sources.said import figure, lang_of, parse_figure, people, percent, span


@pytest.mark.parametrize(
    ("value", "lang", "places", "shown"),
    [
        ("71.72", "vi", None, "71,72"),
        ("71.72", "en", None, "71.72"),
        (Decimal("1.310701438848920863309352517985612"), "vi", 2, "1,31"),
        (Decimal("0.125"), "vi", 2, "0,13"),  # half up, as published
        (Decimal("2"), "vi", 2, "2,00"),
        (None, "vi", 2, "—"),
        ("so-tai-chinh", "vi", 2, "so-tai-chinh"),
        ("NaN", "vi", 2, "NaN"),
    ],
)
def test_figure(value: object, lang: str, places: int | None, shown: str) -> None:
    """A figure is written at the index's places with the language's decimal separator."""
    assert figure(value, lang, places) == shown


def test_percent() -> None:
    """A percentage is a figure followed by a spaced percent sign."""
    assert percent("74.21") == "74,21 %" and percent("74.21", "en") == "74.21 %"
    assert percent(None) == "—"


@pytest.mark.parametrize(
    ("lo", "hi", "lo_incl", "hi_incl", "vi", "en"),
    [
        ("50", "80", True, False, "từ 50 đến dưới 80", "from 50 to under 80"),
        ("50", "80", False, True, "trên 50 đến 80", "over 50 to 80"),
        ("0.5", "1", True, True, "từ 0,5 đến 1", "from 0.5 to 1"),
        ("80", None, True, False, "từ 80 trở lên", "80 or more"),
        (None, "50", True, False, "dưới 50", "under 50"),
    ],
)
def test_span_in_words(
    lo: str | None, hi: str | None, lo_incl: bool, hi_incl: bool, vi: str, en: str
) -> None:
    """A band reads as words in both languages, its ends included or not as stated."""
    a = None if lo is None else Decimal(lo)
    b = None if hi is None else Decimal(hi)
    assert span(a, b, "vi", lo_incl=lo_incl, hi_incl=hi_incl) == vi
    assert span(a, b, "en", lo_incl=lo_incl, hi_incl=hi_incl) == en


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("Khoảng [95, 100): 2/3 điểm", "vi", "Từ 95 đến dưới 100: 2/3 điểm"),
        ("Band (0.5, 1]: 1 of 1.5", "en", "Over 0.5 to 1: 1 of 1.5"),
        (
            "Tính theo tỷ lệ: 1.310701438848920863309352517985612/2 điểm",
            "vi",
            "Tính theo tỷ lệ: 1,31/2 điểm",
        ),
        ("Tổng các tiêu chí con: 2.5/3.0", "vi", "Tổng các tiêu chí con: 2,5/3,0"),
        ("Trễ hạn (> 10 ngày): 0/1 điểm", "vi", "Trễ hạn (trên 10 ngày): 0/1 điểm"),
        ("Late (> 10 days): 0 of 1", "en", "Late (over 10 days): 0 of 1"),
        ("rate >= 0.8", "vi", "rate từ 0,8 trở lên"),
        ("mục 1.2.3 theo TCVN ISO 9001:2015", "vi", "mục 1.2.3 theo TCVN ISO 9001:2015"),
        ("nhận ngày 05/02/2018", "vi", "nhận ngày 05/02/2018"),
    ],
)
def test_people_rewrites_reasons(text: str, lang: str, shown: str) -> None:
    """Band notation becomes words, long figures are rounded, ids and dates stay as they are."""
    assert people(text, lang, 2) == shown


def test_people_output_has_no_raw_decimals_or_code() -> None:
    """No 20-digit figure, bracket notation or comparison sign survives."""
    said = people("Khoảng [0.5, 1): 0.8333333333333333333333333333333333/1 (>= 0.8)", "vi", 2)
    assert "[" not in said and ">" not in said and "0,83" in said
    assert not any(len(tok) > 20 for tok in said.split())


@pytest.mark.parametrize(("typed", "value"), [("0,5", "0.5"), ("0.5", "0.5"), (" 12 ", "12")])
def test_parse_figure_takes_a_comma_or_a_point(typed: str, value: str) -> None:
    """A number typed with a decimal comma reads like one with a point."""
    assert parse_figure(typed, "--set") == Decimal(value)


@pytest.mark.parametrize("typed", ["1,000.5", "abc", "1e9", "nan", "", "0,5%"])
def test_parse_figure_refuses_what_is_not_a_plain_number(typed: str) -> None:
    """Thousands separators, exponents, words and NaN are refused, naming what was typed."""
    with pytest.raises(ValueError, match="--set"):
        parse_figure(typed, "--set")


def test_lang_of_defaults_to_vietnamese() -> None:
    """Only an explicit English choice gives English."""
    assert lang_of(None) == lang_of("fr") == "vi" and lang_of("EN") == lang_of("en_GB") == "en"
