"""Exact arithmetic and the engine's integer encoding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.sources.numbers import encode, encode_bound, quantize, times_over, to_decimal

fractions = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**5)
bounds = st.integers(-(10**9), 10**9).map(lambda n: Fraction(n, 1000))


@given(x=fractions, b=bounds)
def test_encoding_keeps_every_comparison_exact(x: Fraction, b: Fraction) -> None:
    """x >= b, x > b, x <= b, x < b, x == b hold exactly when they hold on the encoded ints."""
    ex, eb = encode(x), encode_bound(b)
    assert (x >= b) == (ex >= eb)
    assert (x > b) == (ex > eb)
    assert (x <= b) == (ex <= eb)
    assert (x < b) == (ex < eb)
    assert (x == b) == (ex == eb)


def test_float_trap_values_are_exact() -> None:
    """0.1 + 0.2 is exactly 0.3 and 95/100 is exactly 95% at a band edge."""
    assert encode(Fraction(1, 10) + Fraction(2, 10)) == encode_bound(Decimal("0.3"))
    assert encode(Fraction(95 * 100, 100)) == encode_bound(95)
    assert encode(Fraction(9499999, 100000)) < encode_bound(95)


def test_half_up_rounding() -> None:
    """Published figures round half up, never to even."""
    assert quantize(Decimal("85.005"), 2) == Decimal("85.01")
    assert quantize(Decimal("86.85"), 1) == Decimal("86.9")
    assert quantize(Decimal("2.5"), 0) == Decimal("3")


points = st.integers(0, 10**6).map(lambda n: Decimal(n).scaleb(-3)) | st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)


@given(a=points, x=fractions | points, b=points | st.integers(-1000, 1000))
def test_times_over_is_the_fraction_path_digit_for_digit(
    a: Decimal, x: Fraction | Decimal, b: Decimal | int
) -> None:
    """``times_over`` gives the very Decimal (value, digits and exponent) of the Fraction path."""
    assume(b != 0)
    got, want = times_over(a, x, b), to_decimal(Fraction(a) * Fraction(x) / Fraction(b))
    assert got.as_tuple() == want.as_tuple(), (a, x, b, got, want)
