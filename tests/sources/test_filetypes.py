"""Evidence files judged by their content: accepted types, refusals that say why, safe names."""

from __future__ import annotations

import pytest

from scoring.sources import filetypes
from scoring.sources.filetypes import FileRefused, safe_name, sniff
from tests.support import files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.pdf(), "application/pdf"),
        (files.pdf() + b"\r\n\x00", "application/pdf"),
        (files.png(), "image/png"),
        (files.png(40, 30), "image/png"),
        (files.jpeg(), "image/jpeg"),
        (files.jpeg() + b"\x00\x00", "image/jpeg"),
        (files.webp(), "image/webp"),
    ],
)
def test_whole_files_are_known_by_their_content(data: bytes, expected: str) -> None:
    """A whole PDF, PNG, JPEG or WebP (padding after its end included) gets its media type."""
    assert sniff(data, "tên-bất-kỳ.txt") == expected


@pytest.mark.parametrize(
    ("data", "vi", "en"),
    [
        (b"", "Tệp rỗng", "empty"),
        (files.DOCX, "Word/Excel (.docx, .xlsx)", "Word/Excel"),
        (files.TEXT, "không nhận ra loại tệp", "not a type"),
        (b"<html><script>alert(1)</script>", "HTML", "HTML"),
        (b"GIF89a\x01\x00", "ảnh GIF", "GIF"),
        (files.pdf()[:-12], "PDF không trọn vẹn", "PDF file is not whole"),
        (files.png()[:-4], "PNG không trọn vẹn", "PNG file is not whole"),
        (files.jpeg()[:-2], "JPEG không trọn vẹn", "JPEG file is not whole"),
        (files.webp()[:-1], "WebP không trọn vẹn", "WebP file is not whole"),
        (files.png(0, 5), "mỗi chiều", "each side"),
        (files.png(1, 1)[:16] + b"\x00\x01\x00\x00" * 2 + files.png()[24:], "mỗi chiều", "each"),
    ],
)
def test_refusals_say_why_in_both_languages(data: bytes, vi: str, en: str) -> None:
    """An empty, foreign, cut-short or oversized-image file is refused, naming the file and
    saying why in Vietnamese and in English."""
    with pytest.raises(FileRefused) as caught:
        sniff(data, "ho-so.pdf")
    assert vi in caught.value.text("vi") and en in caught.value.text("en")
    assert str(caught.value).startswith("ho-so.pdf: ")


def test_a_file_over_the_limit_is_refused_before_its_type_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file over the size limit is refused with its size and the limit, with a decimal comma
    in Vietnamese."""
    monkeypatch.setattr(filetypes, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(FileRefused) as caught:
        sniff(files.pdf() + b" " * (1024 * 1024 + 200_000), "lon.pdf")
    assert "1,2 MB, tối đa 1 MB" in caught.value.text("vi")
    assert "1.2 MB, at most 1 MB" in caught.value.text("en")


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("Quyết định số 12.pdf", "application/pdf", "Quyết định số 12.pdf"),
        ("C:\\Users\\canbo\\scan.PDF", "application/pdf", "scan.PDF"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("scan.exe", "application/pdf", "scan.exe.pdf"),
        ('a"b\r\nc.jpeg', "image/jpeg", "abc.jpeg"),
        ("ảnh.png", "image/jpeg", "ảnh.png.jpg"),
        ("", "image/webp", "tai-lieu.webp"),
        ("x" * 400 + ".pdf", "application/pdf", "x" * 146 + ".pdf"),
        ("Quye\u0302\u0301t.pdf", "application/pdf", "Quyết.pdf"),
    ],
)
def test_safe_names_keep_the_name_and_end_in_the_real_type(
    name: str, media_type: str, expected: str
) -> None:
    """The kept name is the path's last part, NFC, without control characters or quotes, at
    most 150 characters, with the extension of the type found in the content."""
    assert safe_name(name, media_type) == expected
