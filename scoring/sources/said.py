"""Figures and ranges as people write them: the one formatter of texts shown to people.

The score documents, traces and ``--json`` keep exact figures (``71.7249…``, ``[0.5, 1)``)
because they are records: a published run's traces are hashed and recomputed by ``verify``, so
their text never changes. Whatever a person reads (the CLI's tables and texts, the web app's
trace and "where points are lost", the reports' notes) passes through here instead:

- ``figure``: a decimal at the index's places (half up, as published) with a decimal comma in
  Vietnamese (``71,72``) and a point in English (``71.72``);
- ``percent``: the same, followed by `` %``;
- ``span``: a band as words (``từ 50 đến dưới 80`` / ``from 50 to under 80``);
- ``people``: a trace's reason text rewritten for people: band notation such as
  ``Khoảng [0.5, 1)`` in words, figures with too many digits rounded to the index's places,
  decimal commas in Vietnamese. Node ids (``1.2.3``), dates and words are left alone.
- ``parse_figure``: a number as a person types it, ``0,5`` or ``0.5`` (never ``1,000.5``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from scoring.sources.numbers import fmt, quantize

LANGS = ("vi", "en")

# a plain decimal figure inside a text: not part of an id (1.2.3), a word or a longer number
_FIGURE = re.compile(r"(?<![\w.,])([+\-−]?\d+)\.(\d+)(?![\w]|\.\d)")
# band notation as ``kinds.bands`` labels an unlabelled band: "Khoảng [0.5, 1)", "Band (2, 5]"
_BAND = re.compile(
    r"(?:Khoảng|Band) ([\[(])\s*([+\-]?\d+(?:\.\d+)?)\s*,\s*([+\-]?\d+(?:\.\d+)?)\s*([\])])"
)
# a comparison written as code: "> 0 ngày", ">= 0.8"
_COMPARE = re.compile(r"(>=|≥|<=|≤|>|<)\s*([+\-]?\d+(?:\.\d+)?)")
_COMPARE_WORDS = {
    ">=": ("từ {} trở lên", "{} or more"),
    "≥": ("từ {} trở lên", "{} or more"),
    "<=": ("đến {}", "up to {}"),
    "≤": ("đến {}", "up to {}"),
    ">": ("trên {}", "over {}"),
    "<": ("dưới {}", "under {}"),
}
_TYPED = re.compile(r"^[+-]?\d{1,15}(?:[.,]\d{1,12})?$")


def lang_of(value: str | None) -> str:
    """``en`` when asked for, else Vietnamese (the default everywhere)."""
    return "en" if (value or "").strip().lower().startswith("en") else "vi"


def _written(text: str, lang: str) -> str:
    """A plain decimal text with the decimal separator of ``lang``."""
    return text.replace(".", ",") if lang == "vi" else text


def figure(value: object, lang: str = "vi", places: int | None = None) -> str:
    """A figure for people: ``places`` decimals (half up) if given, ``—`` for None; text that
    is not a number (a label, an id) is returned unchanged."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    if places is not None:
        d = quantize(d, places)
    return _written(fmt(d), lang)


def percent(value: object, lang: str = "vi", places: int | None = None) -> str:
    """A percentage for people: ``85,5 %`` (``—`` for None)."""
    shown = figure(value, lang, places)
    return shown if shown == "—" else f"{shown} %"


def span(
    lo: Decimal | None,
    hi: Decimal | None,
    lang: str = "vi",
    *,
    lo_incl: bool = True,
    hi_incl: bool = False,
) -> str:
    """A band as words: ``[50, 80)`` → ``từ 50 đến dưới 80`` (``from 50 to under 80``);
    ``(50, 80]`` → ``trên 50 đến 80``; an open end reads ``từ 80 trở lên``/``dưới 50``."""
    vi = lang != "en"
    if lo is None and hi is None:
        return "mọi giá trị" if vi else "any value"
    a = None if lo is None else figure(lo, lang)
    b = None if hi is None else figure(hi, lang)
    if b is None:
        if vi:
            return f"từ {a} trở lên" if lo_incl else f"trên {a}"
        return f"{a} or more" if lo_incl else f"over {a}"
    if a is None:
        if vi:
            return f"đến {b}" if hi_incl else f"dưới {b}"
        return f"up to {b}" if hi_incl else f"under {b}"
    if lo == hi:
        return f"bằng {a}" if vi else f"exactly {a}"
    start = ("từ " if lo_incl else "trên ") if vi else ("from " if lo_incl else "over ")
    end = ("đến " if hi_incl else "đến dưới ") if vi else ("to " if hi_incl else "to under ")
    return f"{start}{a} {end}{b}"


def _band_words(m: re.Match[str], lang: str) -> str:
    words = span(Decimal(m[2]), Decimal(m[3]), lang, lo_incl=m[1] == "[", hi_incl=m[4] == "]")
    return words[0].upper() + words[1:]


def people(text: str | None, lang: str = "vi", places: int | None = None) -> str:
    """A reason or note written for people in ``lang``: band notation in words, each decimal
    figure with more than ``places`` decimals rounded to them, decimal commas in Vietnamese.
    Ids with several dots, dates and whole numbers are kept as they are."""
    if not text:
        return ""
    said = _BAND.sub(lambda m: _band_words(m, lang), text)
    said = _COMPARE.sub(lambda m: _COMPARE_WORDS[m[1]][lang == "en"].format(m[2]), said)

    def one(m: re.Match[str]) -> str:
        whole, decimals = m[1], m[2]
        if places is not None and len(decimals) > places:
            sign = "-" if whole.startswith("−") else ""
            exact = Decimal(sign + whole.lstrip("−") + "." + decimals)
            return _written(fmt(quantize(exact, places)), lang)
        return _written(f"{whole}.{decimals}", lang)

    return _FIGURE.sub(one, said)


def parse_figure(text: str, what: str) -> Decimal:
    """A number as typed on a command line or in a form: ``0,5`` or ``0.5``; ValueError naming
    ``what`` otherwise (no thousands separators, no exponents: 1e999999 is not a score)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _TYPED.match(cleaned):
        raise ValueError(f"{what}: {text.strip()!r} is not a number (write it as 0,5 or 0.5)")
    return Decimal(cleaned.replace(",", "."))
