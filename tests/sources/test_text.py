"""Text as parindex keeps it: composed (NFC), and listed in Vietnamese alphabetical order."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.sources.text import ALPHABET, nfc, vn_key


def nfd(text: str) -> str:
    """``text`` decomposed, as some keyboards and old converters type it."""
    return unicodedata.normalize("NFD", text)


def test_decomposed_vietnamese_becomes_composed() -> None:
    """A name typed with combining marks comes back as the precomposed string."""
    composed = "Sở Tài chính tỉnh Lạng Sơn"
    decomposed = nfd(composed)
    assert decomposed != composed
    assert nfc(decomposed) == composed
    assert nfc(composed) == composed


# Each row: names in Vietnamese order that differ only at the letters the row is about. Given
# reversed, all but the two break rows come out in another order under Python's code-point
# order, and the rows on a ă â + b, d đ, o ô ơ + next letter, u ư, tones and numbers under the
# Unicode default (DUCET, as pyuca sorts); the break rows pin how spaces and dashes count.
ORDERED = {
    "a ă â": ["Xã Tân An", "Xã Tân Ăn", "Xã Tân Ân"],
    "a ă â before b": ["am", "an", "ăn", "âm", "ba"],
    "d đ": ["Huyện Dương", "Huyện Điện Biên", "Huyện Đình Lập", "Huyện Eo"],
    "d đ at the start": ["do", "dz", "đa", "đo"],
    "e ê": ["Phường Hè", "Phường Hề", "Phường Hết"],
    "o ô ơ": ["Xã Co", "Xã Cô", "Xã Cơ", "Xã Cp"],
    "o ô ơ before the next letter": ["o", "oc", "ô", "ôb", "ơ", "ơa"],
    "u ư": ["Tu", "Tua", "Tư", "Tưa", "Tv"],
    "tones": ["ma", "mà", "mả", "mã", "má", "mạ"],
    "tones on ư": ["Thu", "Thư", "Thừ", "Thử", "Thữ", "Thứ", "Thự"],
    "letters before tones": ["mạnh", "măng", "mầm"],
    "tones before case": ["Ma", "mà", "Mà"],
    "case": ["ma", "mA", "Ma", "MA"],
    "f j w z where Latin has them": ["ê", "f", "g", "i", "j", "k", "v", "w", "x", "y", "z"],
    "word breaks": ["Sở Y", "Sở Y tế", "Sở Ytế", "Sở Yz"],
    "punctuation breaks words": ["An Bình", "An-Bình", "Anh Sơn"],
    "numbers by value": ["Phường", "Phường 2", "Phường 10", "Phường 10A", "Phường An"],
    "departments": [
        "Ban Dân tộc",
        "Sở Công thương",
        "Sở Giáo dục và Đào tạo",
        "Sở Giao thông vận tải",
        "Sở Khoa học và Công nghệ",
        "Sở Ngoại vụ",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Tư pháp",
        "Sở Y tế",
        "Thanh tra tỉnh",
        "Văn phòng UBND tỉnh",
    ],
    "districts": [
        "Huyện Bắc Sơn",
        "Huyện Bình Gia",
        "Huyện Cao Lộc",
        "Huyện Chi Lăng",
        "Huyện Đình Lập",
        "Huyện Hữu Lũng",
        "Huyện Lộc Bình",
        "Huyện Tràng Định",
        "Huyện Văn Lãng",
        "Huyện Văn Quan",
        "Thành phố Lạng Sơn",
    ],
    "communes": [
        "Xã Ái Quốc",
        "Xã An Hùng",
        "Xã Ân Thi",
        "Xã Bắc Ái",
        "Xã Đại Đồng",
        "Xã Ơn",
        "Xã Ưng Hòa",
    ],
}


@pytest.mark.parametrize("row", ORDERED, ids=str)
def test_names_sort_in_vietnamese_order(row: str) -> None:
    """Names given out of order, composed or not, come back in Vietnamese order."""
    expected = ORDERED[row]
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        mixed = [nfd(n) if i % 2 else n for i, n in enumerate(shuffled)]
        assert [nfc(n) for n in sorted(mixed, key=vn_key)] == expected


def test_the_alphabet_is_in_its_own_order() -> None:
    """The 29 letters (and f j w z) sort in the order the alphabet lists them."""
    letters = list(ALPHABET)
    assert sorted(reversed(letters), key=vn_key) == letters
    assert len([c for c in ALPHABET if c not in "fjwz"]) == 29


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo"),
        ("Huyện Điện Biên Đông", "HUYỆN ĐIỆN BIÊN ĐÔNG"),
        ("Xã Quảng Ngãi", "xã quảng ngãi"),
        ("Thanh Hóa", "Thanh Hoá"),
        ("Sở Y tế", "  Sở   Y tế "),
        ("Đồng Đăng", "\u00d0ồng Đăng"),
    ],
    ids=["same", "upper", "lower", "tone placement", "spaces", "eth for Đ"],
)
def test_what_is_equal_before_the_last_level(a: str, b: str) -> None:
    """Case, tone-mark placement, extra spaces and Ð for Đ do not change the letters or tones."""
    assert vn_key(a)[:2] == vn_key(b)[:2]


@pytest.mark.parametrize(
    "name", ["Sở Nông nghiệp và Môi trường", "Đặc khu Phú Quốc", "Phường Ngô Mây", "Xã Ưng Hòa"]
)
def test_nfc_and_nfd_give_the_same_key(name: str) -> None:
    """A name typed composed or decomposed has one key, down to the last level."""
    assert nfd(name) != name
    assert vn_key(nfd(name)) == vn_key(name)


def test_odd_text_still_has_a_key() -> None:
    """Empty text, a lone combining mark, other scripts and huge numbers sort without error."""
    odd = ["", "\u0301", "Ωmega", "phường " + "9" * 5000, "²", "—", "ŏ"]
    ordered = sorted(odd, key=vn_key)
    assert ordered[:2] == ["", "—"]  # no letters at all: before every name
    assert vn_key("—")[:3] == vn_key("")[:3]  # a dash alone is only breaks, all dropped
    assert vn_key("z") < vn_key("Ωmega")


# Vietnamese letters (composed and decomposed), a few others, digits, spaces and punctuation.
_CHARS = st.sampled_from(
    [
        *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯfjwz0129 -,.()",
        *("\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"),
        *"Ðü",
    ]
)
NAMES = st.lists(_CHARS, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES, NAMES)
def test_the_order_is_total_and_consistent(a: str, b: str, c: str) -> None:
    """Keys compare like a total order: equal only for the same NFC text, antisymmetric,
    transitive, and blind to NFC versus NFD."""
    ka, kb, kc = vn_key(a), vn_key(b), vn_key(c)
    assert (ka == kb) == (nfc(a) == nfc(b))
    assert not (ka < kb and kb < ka)
    if ka <= kb <= kc:
        assert ka <= kc
    assert vn_key(nfd(a)) == ka == vn_key(nfc(a))
