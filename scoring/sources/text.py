"""Unicode text as parindex keeps it: Vietnamese in composed form (NFC).

A Vietnamese letter can be typed as one code point ("ở", U+1EDF) or as a base letter and
combining marks ("o" + U+031B + U+0309); the two look alike but compare unequal. Every text that
enters (ids, names, answers, cells) and every text a report writes goes through ``nfc`` so that
"Sở" typed two ways is one id and a PDF or workbook holds precomposed letters.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """``text`` in composed form (Unicode NFC), so that one word typed two ways is one word."""
    return unicodedata.normalize("NFC", text)
