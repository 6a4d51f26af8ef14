"""How the generated files write numbers, dates and Vietnamese phrases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from scoring.index.loader import Item

T = TypeVar("T")


def vn(x: Decimal | int | float) -> str:
    """A number written the Vietnamese way (decimal comma, no trailing zeros)."""
    x = Decimal(str(x))
    text = str(int(x)) if x == x.to_integral() else format(x.normalize(), "f")
    return text.replace(".", ",")


def vdate(day: dt.date) -> str:
    """A date as dd/mm/yyyy."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def pct(num: int, den: int) -> str:
    """``num / den`` in percent, one decimal cut (not rounded) off, the Vietnamese way."""
    return vn((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def keyed(table: Mapping[str, T], group: str, lid: str) -> T | None:
    """A table's entry for a leaf: ``group/leaf`` first, then ``leaf``."""
    return table.get(f"{group}/{lid}", table.get(lid))


def lower_first(text: str, proper: Sequence[str]) -> str:
    """``text`` to follow a colon: its first letter in lower case unless it opens a name."""
    if text.startswith(tuple(proper)) or text[:1].isdigit():
        return text
    return text[0].lower() + text[1:]


def by_prefix(table: Mapping[str, str], node: str, default: str) -> str:
    """The entry of the first prefix ``node`` starts with (tables are in priority order)."""
    for prefix, value in table.items():
        if node.startswith(prefix):
            return value
    return default


def first_doc(item: Item) -> str:
    """The first document a leaf's evidence lists."""
    assert item.node.evidence is not None and item.node.evidence.documents_vi is not None
    return item.node.evidence.documents_vi.split(";")[0].strip()


def doc_type(text: str, types: Mapping[str, str]) -> str:
    """The code of a document's type (KH, BC, QĐ, ...) from the start of its title."""
    return by_prefix(types, text, "BC")
