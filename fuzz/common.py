"""What every atheris harness shares: the property, seed corpora and the libFuzzer entry point.

The property of every harness: whatever bytes come in, the reader returns or raises a
``ParindexError`` whose every error names its file; any other exception is a crash (libFuzzer
saves the input as ``crash-*``), and an input that runs past ``-timeout`` is a hang.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import atheris

ROOT = Path(__file__).resolve().parent.parent


class Unlocated(AssertionError):
    """A ParindexError that does not say which file it is about."""


def located(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``; a ParindexError is fine if each of its errors names a file."""
    from scoring.errors import ErrorList, ParindexError

    try:
        return fn(*args)
    except ParindexError as exc:
        for e in exc.errors if isinstance(exc, ErrorList) else [exc]:
            if not e.location.file:
                raise Unlocated(f"{type(e).__name__} without a file: {e}") from exc
        return exc


def main(test_one_input: Callable[[bytes], None], seeds: Callable[[], Mapping[str, bytes]]) -> None:
    """Write the seeds into each empty corpus folder named on the command line, then fuzz."""
    for arg in sys.argv[1:]:
        if arg.startswith("-"):
            continue
        folder = Path(arg)
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            for name, data in seeds().items():
                (folder / name).write_bytes(data)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
