"""The value types every record of ``criteria.yaml``, ``rules/`` and a unit file is built from.

A YAML number is read exactly (``Decimal``, never a float), text is NFC so Vietnamese typed
decomposed reads the same, and every record is frozen and refuses unknown keys. Both the rule
kinds (``kinds``) and the tree (``model``) are made of these, so they sit below both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from scoring.sources.text import nfc


def _number(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise ValueError(f"expected a number, got {v!r}")
    d = Decimal(v)
    if not d.is_finite():
        raise ValueError(f"expected a finite number, got {v!r}")
    return d


def _whole(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, Decimal) and v.is_finite() and v == v.to_integral_value():
            return int(v)
        raise ValueError(f"expected a whole number, got {v!r}")
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f'expected text, got {v!r} (quote ids such as "1.1" in YAML)')
    return nfc(v)  # Vietnamese typed decomposed reads the same


Num = Annotated[Decimal, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_whole)]
Text = Annotated[str, BeforeValidator(_text)]
Id = Annotated[
    str, BeforeValidator(_text), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # every id of groups, units, tags, packs, campaigns
SLUG_RULE = (
    "lowercase letters, digits, - and _, starting with a letter or digit (e.g. langson-2019)"
)
Slug = Annotated[str, BeforeValidator(_text), StringConstraints(pattern=SLUG_PATTERN)]


class Frozen(BaseModel):
    """Base of every record: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")
