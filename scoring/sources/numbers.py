"""Exact arithmetic for points: Decimal under one context, and the engine's integer encoding.

Points are ``Decimal`` everywhere. Ratios are computed as ``Fraction`` (exact) and turned into
``Decimal`` only under ``CONTEXT``. durable-rules must never see a float or a Decimal (it
mis-compares floats at band edges and cannot serialise Decimal), so every value it compares is
encoded as an integer by ``encode``: ``2 * floor(x * SCALE) + (1 if x has a remainder)``. That
keeps comparisons with any bound that is a multiple of ``1 / SCALE`` exact, strict or not:

    x >= b  <=>  encode(x) >= 2*b*SCALE        x > b  <=>  encode(x) > 2*b*SCALE
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SCALE = 1000  # bounds and points carry at most 3 decimals
CONTEXT = decimal.Context(prec=34, rounding=ROUND_HALF_UP, traps=[decimal.InvalidOperation])

ZERO = Decimal(0)
Number = int | Decimal | Fraction


def frac(x: Number) -> Fraction:
    """An exact Fraction of an int, Decimal or Fraction."""
    return x if isinstance(x, Fraction) else Fraction(x)


def to_decimal(x: Number) -> Decimal:
    """A Decimal of ``x``; Fractions are divided under ``CONTEXT`` (34 significant digits)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    return CONTEXT.divide(Decimal(x.numerator), Decimal(x.denominator))


def times_over(a: Decimal, x: Fraction | Decimal, b: Decimal | int) -> Decimal:
    """``to_decimal(Fraction(a) * Fraction(x) / Fraction(b))``, digit for digit and exponent
    for exponent, without building Fractions: one division of two integers, correctly rounded
    under ``CONTEXT`` (the quotient of the same rational number, so the same Decimal)."""
    an, ad = a.as_integer_ratio()
    xn, xd = x.as_integer_ratio()
    bn, bd = (b, 1) if isinstance(b, int) else b.as_integer_ratio()
    num, den = an * xn * bd, ad * xd * bn
    if den < 0:
        num, den = -num, -den
    return CONTEXT.divide(Decimal(num), Decimal(den))


def quantize(x: Decimal, places: int) -> Decimal:
    """``x`` rounded half-up to ``places`` decimals (the index's publication rule)."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=CONTEXT)


def has_places(x: Decimal, places: int = 3) -> bool:
    """True if ``x`` has at most ``places`` decimals."""
    return x == x.quantize(Decimal(1).scaleb(-places), context=CONTEXT) if x.is_finite() else False


def encode(x: Number) -> int:
    """The engine's exact integer image of a value (see the module docstring)."""
    scaled = frac(x) * SCALE
    floor = scaled.numerator // scaled.denominator
    return 2 * floor + (0 if scaled.denominator == 1 else 1)


def encode_bound(b: Number) -> int:
    """The engine's integer image of a bound; ``b`` must be a multiple of 1/SCALE."""
    scaled = frac(b) * SCALE
    if scaled.denominator != 1:
        raise ValueError(f"bound {b} has more than 3 decimals")
    return 2 * scaled.numerator


def clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """``x`` limited to ``[low, high]``."""
    return max(low, min(high, x))


def fmt(x: Decimal) -> str:
    """A Decimal as plain text, never in exponent form."""
    return format(x, "f")


_FIGURE = re.compile(r"^[+\-−]?\d+\.\d+$")


def decimal_comma(value: object) -> object:
    """A decimal figure as Vietnamese readers write it (``85.50`` → ``85,50``); anything
    else, node ids such as ``1.2.3`` among them, unchanged."""
    text = str(value)
    return text.replace(".", ",") if _FIGURE.match(text) else value


def said_value(value: object) -> str:
    """A value someone gave, as a Vietnamese message quotes it: a number with a decimal comma
    (``0,75``, never ``Decimal('0.75')``), anything else as its ``repr`` (``'five'``)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return repr(value)
