"""Small, whole evidence files of each accepted type, and look-alikes that are refused.

Built from their formats' rules (PNG chunks with their CRCs, a JPEG's markers, a PDF's trailer,
a WebP's RIFF header), so the content checks meet what real scanners and phones write.
"""

from __future__ import annotations

import struct
import zlib


def pdf(text: str = "Quyết định 123/QĐ-UBND") -> bytes:
    """A one-object PDF whose body holds ``text`` (different texts, different hashes)."""
    body = f"1 0 obj\n<< /Title ({text.encode('unicode_escape').decode()}) >>\nendobj\n"
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        + body.encode()
        + b"trailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 1, height: int = 1) -> bytes:
    """A grey PNG of ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """The markers of a JPEG: start of image, a JFIF header, end of image."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def webp() -> bytes:
    """A RIFF WebP header with an empty lossless chunk, its lengths consistent."""
    chunk = b"VP8L" + struct.pack("<I", 6) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


DOCX = b"PK\x03\x04" + b"\x00" * 40  # a Word file (a ZIP) renamed .pdf
TEXT = "Đây không phải là một tệp PDF".encode()
