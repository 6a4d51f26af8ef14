"""What the pages read, computed once per change of the store.

Every change to the store appends an audit entry, so the audit head's sequence number is a
version of the whole store: a campaign's result (and its report, with charts) is computed once
per version and then served from memory until anything changes. Reading the version is one
primary-key lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from scoring.store import views
from scoring.store.db import Store

T = TypeVar("T")
MAX_ENTRIES = 64


class Cache:
    """Values per (store version, key), least recently used dropped first."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._values: OrderedDict[tuple[int, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple[int, str], threading.Lock] = {}

    def version(self) -> int:
        """The store's version now (see ``views.version``)."""
        return views.version(self.store)

    def get(self, key: str, build: Callable[[], T]) -> T:
        """The value of ``key`` at the store's current version (built once, even when many
        requests ask at the same moment)."""
        slot = (self.version(), key)
        with self._lock:
            if slot in self._values:
                self._values.move_to_end(slot)
                return self._values[slot]  # type: ignore[no-any-return]
            gate = self._building.setdefault(slot, threading.Lock())
        with gate:
            with self._lock:
                if slot in self._values:
                    return self._values[slot]  # type: ignore[no-any-return]
            try:
                value = build()
            finally:
                with self._lock:
                    self._building.pop(slot, None)
            with self._lock:
                self._values[slot] = value
                while len(self._values) > MAX_ENTRIES:
                    self._values.popitem(last=False)
            return value
