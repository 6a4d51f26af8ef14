"""Composing the report from stored documents: the summary's movers in Vietnamese order."""

from __future__ import annotations

import unicodedata
from typing import Any

from scoring.reports.compose import movers

# (unit id, name, last year's index, this year's index)
UNITS = [
    ("van-quan", "Huyện Văn Quan", "80.0", "82.0"),
    ("dinh-lap", "Huyện Đình Lập", "80.0", "82.0"),
    ("ung-hoa", "Huyện Ưng Hòa", "80.0", "82.0"),
    ("uong-bi", "Huyện Uông Bí", "80.0", "82.0"),
    ("an-thi", "Huyện Ân Thi", "85.0", "81.0"),
    ("bac-son", "Huyện Bắc Sơn", "85.0", "81.0"),
    ("dai-tu", "Huyện Đại Từ", "85.0", "81.0"),
    ("cao-loc", "Huyện Cao Lộc", "70.0", "80.0"),
]


def _doc(year: int, at: int) -> dict[str, Any]:
    """A score document with the units above, their index taken from column ``at``."""
    units = [
        {
            "unit_id": uid,
            "name": unicodedata.normalize("NFD", name) if i % 2 else name,
            "index": row[at],
            "rank": None,
            "group": "district",
        }
        for i, (uid, name, *row) in enumerate(UNITS)
    ]
    return {"year": year, "groups": [{"id": "district", "title_vi": "Cấp huyện", "units": units}]}


def test_equal_changes_are_listed_in_vietnamese_order() -> None:
    """Units that rose or fell by the same amount come in Vietnamese order of their names
    (Đ after C, U before Ư before V), the biggest change first."""
    rises, falls = movers(_doc(2019, 1), _doc(2018, 0), count=10)
    assert [m.unit_id for m in rises] == ["cao-loc", "dinh-lap", "uong-bi", "ung-hoa", "van-quan"]
    assert [m.unit_id for m in falls] == ["an-thi", "bac-son", "dai-tu"]
    assert [m.change for m in falls] == ["-4.0"] * 3


def test_the_count_cuts_the_alphabetical_list() -> None:
    """With room for two rises, the biggest and then the first tied one by name are kept."""
    rises, _ = movers(_doc(2019, 1), _doc(2018, 0), count=2)
    assert [m.unit_id for m in rises] == ["cao-loc", "dinh-lap"]
