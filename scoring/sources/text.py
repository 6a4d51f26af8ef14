"""Unicode text as parindex keeps it: Vietnamese in composed form (NFC), and in Vietnamese order.

A Vietnamese letter can be typed as one code point ("ở", U+1EDF) or as a base letter and
combining marks ("o" + U+031B + U+0309); the two look alike but compare unequal. Every text that
enters (ids, names, answers, cells) and every text a report writes goes through ``nfc`` so that
"Sở" typed two ways is one id and a PDF or workbook holds precomposed letters.

``vn_key`` is the one collation key for names listed in order (tied units, unit lists, pickers,
reports): ``sorted(names, key=vn_key)`` gives Vietnamese alphabetical order, which neither
Python's code-point order nor the Unicode default (DUCET, e.g. ``pyuca``) gives: both put "đ"
after "z" or before "d", and DUCET files ă â ê ô ơ ư under a e o u as accent differences.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# The Vietnamese alphabet (29 letters), with the Latin letters it lacks (f j w z) where the
# Latin alphabet puts them, so that foreign names and codes still sort predictably.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: weight for weight, letter in enumerate(ALPHABET)}

# Marks that make a letter of the alphabet (ă â ê ô ơ ư): part of the letter, a primary difference.
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")  # breve, circumflex, horn
# The five tone marks in dictionary order after "no tone" (0): huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER_MARK = 10  # any other combining mark (ü, ç…) sorts after the tones, by code point

# Ð (U+00D0, Icelandic eth) is what old TCVN3/VNI converters often left for Đ (U+0110); the
# two look the same in every font, so they are one letter here (the last level still tells).
_LOOKALIKE = {"\u00d0": "\u0110"}

_BREAK: tuple[int, ...] = (0,)
_NUMBER, _VN_LETTER, _OTHER_LETTER = 1, 2, 3

Weights = tuple[tuple[int, ...], ...]
CollationKey = tuple[Weights, Weights, tuple[int, ...], str]


def nfc(text: str) -> str:
    """``text`` in composed form (Unicode NFC), so that one word typed two ways is one word."""
    return unicodedata.normalize("NFC", text)


def _clusters(text: str) -> list[tuple[str, str]]:
    """Each base character of ``text`` (NFD) with the combining marks that follow it."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((_LOOKALIKE.get(ch, ch), ""))
    return out


@lru_cache(maxsize=8192)
def vn_key(text: str) -> CollationKey:
    """A sort key giving Vietnamese alphabetical order: ``sorted(names, key=vn_key)``.

    Four levels, each compared only when the ones before are equal (as in the Unicode
    Collation Algorithm, UTS #10):

    1. **Letters** in the order of the Vietnamese alphabet, a ă â b c d đ e ê g h i k l m n o ô
       ơ p q r s t u ư v x y, tone marks and case ignored; f, j, w and z sit where the Latin
       alphabet has them (after ê, i, v and y), letters of other scripts after z by code point.
       Digraphs (ch, gh, kh, ng, nh, ph, th, tr…) are two letters, as in CLDR's "standard"
       Vietnamese collation (not its "traditional" one). A run of digits is one number, before
       every letter and compared by value ("Phường 2" before "Phường 10"). Spaces and
       punctuation (and symbols) are word breaks: a run of them counts as one break, which comes
       before any letter or number, so "Sở Y tế" comes before "Sở Ytế" and "An Bình" before
       "Anh Sơn"; leading and trailing ones are ignored.
    2. **Tones**, word by word: none, huyền (à), hỏi (ả), ngã (ã), sắc (á), nặng (ạ), the
       dictionary order, which is also CLDR's Vietnamese tailoring (``common/collation/vi.xml``:
       ``&̀<<̉<<̃<<́<<̣``). A word's tone is taken wherever its mark sits, so "Hòa" and
       "Hoà" (old and new placement) differ only at the last level. Marks that are not
       Vietnamese (ü, ç) come after the tones.
    3. **Case**, letter by letter: lower case before upper case (CLDR's default).
    4. **The text itself** (NFC), so that only the same text typed two ways (NFC or NFD) has the
       same key and the order is total.
    """
    composed = nfc(text)
    primary: list[tuple[int, ...]] = []
    tones: list[tuple[int, ...]] = []
    cases: list[int] = []
    word: list[int] | None = None  # the marks of the word being read (None: between words)
    digits = ""
    pending_break = False

    def end_word() -> None:
        nonlocal word, digits
        if digits:
            # by value without int(): leading zeros dropped, then more digits is larger
            significant = digits.lstrip("0")
            primary.append((_NUMBER, len(significant), *map(int, significant)))
            digits = ""
        if word is not None:
            tones.append(tuple(word))
            word = None

    for base, marks in _clusters(composed):
        category = unicodedata.category(base)
        if category[0] in "ZPSC":
            end_word()
            pending_break = bool(primary)
            continue
        if pending_break:
            primary.append(_BREAK)
            pending_break = False
        if category == "Nd":
            if word is not None:
                end_word()
            digits += str(unicodedata.decimal(base))
            continue
        if digits:
            end_word()
        if word is None:
            word = []
        lower = base.lower()
        modifiers = "".join(m for m in marks if m in _LETTER_MARKS)
        letter = nfc(lower + modifiers)
        if letter not in _LETTER:  # a mark the alphabet has no letter for (ŏ): a plain mark
            letter, modifiers = lower, ""
        weight = _LETTER.get(letter)
        primary.append(
            (_VN_LETTER, weight) if weight is not None else (_OTHER_LETTER, ord(letter[0]))
        )
        for mark in marks:
            if mark in TONES:
                word.append(TONES[mark])
            elif mark not in modifiers:
                word.append(_OTHER_MARK + ord(mark))
        cases.append(1 if base != lower else 0)
    end_word()
    return tuple(primary), tuple(tones), tuple(cases), composed
