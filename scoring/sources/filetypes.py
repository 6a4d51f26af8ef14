"""Evidence files judged by their content: what a file is, whether it is whole, its safe name.

An evidence document is a scanned or exported PDF, or a photo (PNG, JPEG, WebP). Its type is
read from its bytes (the magic number and a basic check of its structure), never from its name
or the browser's content type, which anyone can set: a page renamed ``.pdf`` is refused, a PDF
named ``scan.exe`` is a PDF. ``sniff`` returns the media type or raises ``FileRefused``, whose
message is Vietnamese (``.en`` holds the English one for an interface in English).

The structure checks catch what happens in practice (a download cut short, a Word file saved
under a PDF's name), not a crafted file: the file is only ever served back with the type found
here and ``nosniff``, never parsed or run by parindex.
"""

from __future__ import annotations

import re
import struct
import unicodedata

from scoring.errors import Location, ParindexError, SubmissionError

MAX_BYTES = 10 * 1024 * 1024  # a scanned decree of a few dozen pages at 200 dpi fits
MAX_PIXELS_SIDE = 30_000  # a larger image would stall the browser that opens it
MAX_NAME = 150  # characters of a stored file name

# media type -> (extension, what people call it)
TYPES: dict[str, tuple[str, str]] = {
    "application/pdf": (".pdf", "PDF"),
    "image/png": (".png", "PNG"),
    "image/jpeg": (".jpg", "JPEG"),
    "image/webp": (".webp", "WebP"),
}
_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "image/webp": {".webp"},
}
_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_PDF_HEAD = re.compile(rb"%PDF-[12]\.[0-9]")
_TAIL = 2048  # bytes at the end of a PDF where its trailer must be
# what a refused file most likely is, by its first bytes (said in the refusal)
_LOOKS_LIKE: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "tệp nén ZIP hoặc Word/Excel (.docx, .xlsx)", "a ZIP or Word/Excel file"),
    (b"\xd0\xcf\x11\xe0", "tệp Word/Excel cũ (.doc, .xls)", "an old Word/Excel file"),
    (b"MZ", "chương trình Windows", "a Windows program"),
    (b"GIF8", "ảnh GIF", "a GIF image"),
    (b"II*\x00", "ảnh TIFF", "a TIFF image"),
    (b"MM\x00*", "ảnh TIFF", "a TIFF image"),
    (b"{\\rtf", "văn bản RTF", "an RTF document"),
    (b"<", "trang HTML hoặc XML", "an HTML or XML page"),
)
ACCEPTED_VI = "Chỉ nhận tệp PDF, PNG, JPEG hoặc WebP"
ACCEPTED_EN = "Only PDF, PNG, JPEG or WebP files are accepted"


class Bilingual(ParindexError):
    """An error said to people in Vietnamese (its message) and in English (``en``): the web
    app shows it beside the field in the page's language (``reason(lang)``), the CLI in
    Vietnamese (``str()``)."""

    def __init__(
        self,
        vi: str,
        en: str,
        location: Location | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(vi, location, suggestion, vi=vi)
        self.en = en

    def reason(self, lang: str = "vi") -> str:
        """The reason in ``lang`` (Vietnamese unless ``en``), without the location."""
        said = self.en if lang == "en" else self.message
        if self.suggestion:
            ask = "did you mean" if lang == "en" else "có phải là"
            said += f" ({ask} {self.suggestion}?)"
        return said

    def __str__(self) -> str:
        return self.text("vi")


class FileRefused(Bilingual, SubmissionError):
    """An evidence file refused by its content or size, ``location`` naming the file."""

    def __init__(self, name: str, vi: str, en: str) -> None:
        super().__init__(vi, en, Location(name))


def sniff(data: bytes, name: str = "") -> str:
    """The media type of an evidence file, read from its content; ``FileRefused`` says why a
    file is not accepted (empty, too large, another type, or cut short)."""
    if not data:
        raise FileRefused(name, "Tệp rỗng (0 byte)", "The file is empty (0 bytes)")
    if len(data) > MAX_BYTES:
        mb = MAX_BYTES // (1024 * 1024)
        raise FileRefused(
            name,
            f"Tệp quá lớn: {_mb(len(data), 'vi')} MB, tối đa {mb} MB",
            f"The file is too large: {_mb(len(data), 'en')} MB, at most {mb} MB",
        )
    if _PDF_HEAD.match(data):
        return _pdf(data, name)
    if data.startswith(_PNG):
        return _png(data, name)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data, name)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data, name)
    vi, en = "không nhận ra loại tệp", "not a type parindex recognises"
    for magic, what_vi, what_en in _LOOKS_LIKE:
        if data.lstrip()[: len(magic)] == magic:
            vi, en = f"tệp này là {what_vi}", f"this file is {what_en}"
            break
    raise FileRefused(name, f"{ACCEPTED_VI}; {vi}", f"{ACCEPTED_EN}; {en}")


def _cut(name: str, kind: str) -> FileRefused:
    return FileRefused(
        name,
        f"Tệp {kind} không trọn vẹn (bị cắt hoặc hỏng); hãy quét hoặc xuất lại rồi tải lên",
        f"The {kind} file is not whole (cut short or damaged); scan or export it again",
    )


def _pdf(data: bytes, name: str) -> str:
    tail = data[-_TAIL:].rstrip(b"\x00\r\n\t ")
    # a whole PDF ends with its trailer: "startxref", the offset, then %%EOF
    if not tail.endswith(b"%%EOF") or b"startxref" not in tail:
        raise _cut(name, "PDF")
    return "application/pdf"


def _png(data: bytes, name: str) -> str:
    if data[12:16] != b"IHDR" or len(data) < 33 or not data.endswith(_PNG_END):
        raise _cut(name, "PNG")
    width, height = struct.unpack(">II", data[16:24])
    _check_size(name, width, height)
    return "image/png"


def _jpeg(data: bytes, name: str) -> str:
    # some cameras and scanners pad the file after its end marker
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise _cut(name, "JPEG")
    return "image/jpeg"


def _webp(data: bytes, name: str) -> str:
    (size,) = struct.unpack("<I", data[4:8])
    # the RIFF header gives the length of the rest of the file: a shorter file was cut short
    if size + 8 != len(data) or data[12:16] not in (
        b"VP8 ",
        b"VP8L",
        b"VP8X",
    ):
        raise _cut(name, "WebP")
    return "image/webp"


def _check_size(name: str, width: int, height: int) -> None:
    if not (0 < width <= MAX_PIXELS_SIDE and 0 < height <= MAX_PIXELS_SIDE):
        raise FileRefused(
            name,
            f"Ảnh {width}×{height} điểm ảnh: mỗi chiều phải từ 1 đến {MAX_PIXELS_SIDE}",
            f"Image of {width}×{height} pixels: each side must be 1 to {MAX_PIXELS_SIDE}",
        )


def size_text(size: int, lang: str = "vi") -> str:
    """A file's size as people read it: KB under a megabyte, else MB, one decimal (with a
    decimal comma in Vietnamese)."""
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    text = f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'vi' else text} {unit}"


def _mb(size: int, lang: str) -> str:
    text = f"{size / (1024 * 1024):.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def safe_name(name: str, media_type: str) -> str:
    """The name to keep and to offer on download: the last part of the path the browser sent,
    NFC, without control characters or quotes, at most ``MAX_NAME`` characters, ending in the
    extension of its real type (``scan.exe`` of a PDF becomes ``scan.exe.pdf``)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c not in '"')
    base = " ".join(base.split()).strip(". ")
    ext = TYPES[media_type][0]
    stem, dot, suffix = base.rpartition(".")
    if not (dot and f".{suffix.lower()}" in _EXTENSIONS[media_type]):
        stem, suffix = base, ext[1:]
    stem = stem[: MAX_NAME - len(suffix) - 1] or "tai-lieu"
    return f"{stem}.{suffix}"
