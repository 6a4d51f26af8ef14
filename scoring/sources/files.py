"""Writing output files all or nothing: a temporary file in the same folder, then a rename.

Every file parindex writes (Excel, CSV, JSON, HTML, PDF, YAML, PNG, SVG) goes through
``atomic_path``: the writer fills a hidden temporary file beside the target, which replaces the
target (``os.replace``) only once it is complete and flushed to disk. A full disk, a crash or
an error halfway leaves the previous file as it was and no temporary file behind. A target
that cannot be written (its folder missing, a folder in its place) is refused up front with
one clear message::

    with atomic_path(Path("ket-qua.xlsx")) as tmp:
        workbook.save(tmp)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from scoring.errors import InputFileError, Location


def _kind(path: Path) -> int | None:
    """The file type bits of ``path`` (``stat.S_IFMT``), None when it does not exist or
    cannot be looked at."""
    try:
        return stat.S_IFMT(path.stat().st_mode)
    except (OSError, ValueError):
        return None


def check_target(path: Path) -> None:
    """Refuse a target that cannot be a file: a folder in its place, or no folder to hold it."""
    where = Location(str(path))
    if _kind(path) == stat.S_IFDIR:
        raise InputFileError(
            "is a folder: give the name of a file to write",
            where,
            vi="đây là thư mục: hãy ghi tên một tệp để ghi ra",
        )
    parent = path.parent
    if _kind(parent) != stat.S_IFDIR:
        what = "is not a folder" if _kind(parent) is not None else "does not exist"
        vi_what = "không phải là thư mục" if _kind(parent) is not None else "không tồn tại"
        raise InputFileError(
            f"cannot write: the folder {parent} {what}",
            where,
            vi=f"không ghi được: thư mục {parent} {vi_what}",
        )


def make_folder(path: Path) -> Path:
    """Create the folder ``path`` (and its parents) unless it exists; a file in its place, or
    one that cannot be created, is refused with one message."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputFileError(
            "cannot create this folder: a file of that name is in the way",
            Location(str(path)),
            vi="không tạo được thư mục này: đã có một tệp cùng tên",
        ) from None
    except OSError as exc:
        raise InputFileError(
            f"cannot create: {exc.strerror}",
            Location(str(path)),
            vi=f"không tạo được: {exc.strerror}",
        ) from None
    return path


def _cannot_write(path: Path, exc: OSError) -> InputFileError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return InputFileError(
        f"cannot write: {reason}", Location(str(path)), vi=f"không ghi được: {reason}"
    )


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer to fill; it becomes ``path`` when the
    block ends without an error, and is removed otherwise. An ``OSError`` (a full disk, no
    permission) becomes an ``InputFileError`` naming ``path``."""
    path = Path(path)
    check_target(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # created here (mode 0666 less the umask, as a plain open would), so that no other
        # process can take the name; the writer then truncates and fills it
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        yield tmp
        _sync(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise _cannot_write(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise


@contextmanager
def atomic_open(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """A text file to write that replaces ``path`` whole when the block ends (see
    ``atomic_path``)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding=encoding, newline=newline) as fh:
        yield fh


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write ``text`` to ``path`` all or nothing; the path written. ``newline`` as ``open``
    takes it: ``"\n"`` or ``""`` write line ends as they are in ``text`` on every system."""
    with atomic_open(path, encoding=encoding, newline=newline) as fh:
        fh.write(text)
    return path


def _sync(path: Path) -> None:
    # the data reaches the disk before the rename makes it the file: a crash right after
    # never leaves an empty file under the real name
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
