"""A wall-clock limit for fuzzed examples, so a hang fails the test instead of stalling CI."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Hang(Exception):
    """An example ran past its time limit."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail (with Hang) instead of hanging: the readers are synchronous, so SIGALRM stops them."""

    def alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"example ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
