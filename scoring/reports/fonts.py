"""The font every report embeds: DejaVu Sans (regular and bold), subset, as CSS ``@font-face``.

DejaVu Sans has every Vietnamese letter (precomposed and with combining marks). It is taken
from Debian's fonts-dejavu when installed, else from the copy matplotlib ships, and subset
(fontTools, which matplotlib depends on) to Latin, Vietnamese and punctuation plus every other
character the page uses that the font has (arrows, ≥, ▲ …), so a report stays one
self-contained file of modest size that renders the same everywhere.
"""

from __future__ import annotations

import base64
import io
from functools import cache, lru_cache
from pathlib import Path

import matplotlib as mpl

# fontTools ships no type information
from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from scoring.errors import InputFileError, Location

FAMILY = "DejaVu Sans"
FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
_SYSTEM = Path("/usr/share/fonts/truetype/dejavu")
_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x17F),  # Latin-1 and Latin Extended-A (Đ đ Ĩ ĩ Ũ ũ)
    (0x1A0, 0x1A1),  # Ơ ơ
    (0x1AF, 0x1B0),  # Ư ư
    (0x300, 0x36F),  # combining diacritical marks (decomposed Vietnamese)
    (0x1EA0, 0x1EF9),  # Vietnamese letters with two marks (ạ ả ấ … ỹ)
    (0x2010, 0x2027),  # dashes, quotation marks, bullet, ellipsis
)
BASE = frozenset(cp for low, high in _RANGES for cp in range(low, high + 1))
# the symbols the templates and charts print (arrows, signs, marks): always in the subset, so
# that nearly every page shares one subset per weight and fontTools runs twice a process, not
# twice a page (it was 8 of the 23 s of writing the 2018 set)
COMMON = frozenset(map(ord, "→←↑↓↗↘≥≤≠±×÷−∑√∞▲▼△▽◆◇●○■□★⚠✓✔✗✘•€"))


def font_path(weight: str) -> Path:
    """The TTF of a weight: Debian's, else matplotlib's bundled copy."""
    name = FILES[weight]
    for path in (_SYSTEM / name, Path(mpl.get_data_path()) / "fonts" / "ttf" / name):
        if path.is_file():
            return path
    raise InputFileError(f"font {name} not found (install fonts-dejavu-core)", Location(name))


@cache
def _cmap(weight: str) -> frozenset[int]:
    with TTFont(font_path(weight), lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _subset(weight: str, codepoints: frozenset[int]) -> bytes:
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.layout_features = ["*"]
    opts.hinting = False
    opts.drop_tables += ["FFTM"]
    out = io.BytesIO()
    with TTFont(font_path(weight)) as font:
        subsetter = subset.Subsetter(opts)
        subsetter.populate(unicodes=sorted(codepoints & _cmap(weight)))
        subsetter.subset(font)
        font.save(out)
    return out.getvalue()


def font_css(text: str = "") -> str:
    """``@font-face`` rules embedding both weights, covering ``text`` as far as the font can."""
    return _faces(frozenset(map(ord, set(text))) - BASE - COMMON)  # set first: a page is long


@lru_cache(maxsize=16)
def _faces(extra: frozenset[int]) -> str:
    """The rules for the common subset plus ``extra``, encoded once for the pages alike."""
    rules = []
    for weight in FILES:
        data = base64.b64encode(_subset(weight, BASE | COMMON | extra)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: normal; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    return "\n".join(rules)


def clear_caches() -> None:
    """Forget the fonts read and subset so far (the benchmark starts each round cold)."""
    for cached in (_cmap, _subset, _faces):
        cached.cache_clear()


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the embedded regular font has no glyph for."""
    return {
        c for c in text if c.isprintable() and not c.isspace() and ord(c) not in _cmap("normal")
    }
