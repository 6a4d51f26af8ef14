"""The one NFC helper: Vietnamese typed decomposed becomes the composed text."""

from __future__ import annotations

import unicodedata

from scoring.sources.text import nfc


def test_decomposed_vietnamese_becomes_composed() -> None:
    """A name typed with combining marks comes back as the precomposed string."""
    composed = "Sở Tài chính tỉnh Lạng Sơn"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert nfc(decomposed) == composed
    assert nfc(composed) == composed
