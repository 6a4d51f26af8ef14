"""What the pages read, computed once per change of what it depends on.

Every change to the store appends an audit entry naming its campaign (and unit), so the
entries since the cache last looked say what changed (``store.changes.since``: when nothing
did, that is one primary-key lookup). A value is kept with the version of its scope:

- a campaign (``scope=cid``): the sequence number of that campaign's last change, so a save in
  one campaign leaves every other campaign's values warm;
- a campaign's report (``scope=cid, years=True``): that, and the last change that can alter
  which campaign is its "last year" (a publication, a new campaign or unit anywhere);
- anything else (``scope=None``): the whole store's version, as before.

A change with no campaign that is not an account's (none is, today) counts for every
campaign. When a value's version is out of date, ``update`` (if given) may bring the old value
up to date from the changes in between (a campaign's result re-scores only the units that
changed); otherwise, or when it declines, the value is built afresh. ``PARINDEX_WEB_CACHE=
store`` brings back the old behaviour (any change anywhere rebuilds everything) to measure
against.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from scoring.store import changes
from scoring.store.changes import Change
from scoring.store.db import Store

T = TypeVar("T")
Version = tuple[int, ...]
MAX_ENTRIES = 256  # values kept, least recently used dropped first
MAX_LOG = 500  # changes kept per campaign for ``update``


class Cache:
    """Values by key, each kept with the version of the scope it depends on."""

    def __init__(self, store: Store, *, per_campaign: bool | None = None) -> None:
        self.store = store
        if per_campaign is None:
            per_campaign = os.environ.get("PARINDEX_WEB_CACHE", "campaign") != "store"
        self.per_campaign = per_campaign
        self._values: OrderedDict[str, tuple[Version, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._helpers: dict[str, Any] = {}
        self._seen = -1  # the audit sequence number synced to (-1: never)
        self._epoch = 0  # bumped when the changes cannot be followed: every version moves
        self._reset_at = 0  # the audit sequence number of the last such bump
        self._global = 0  # the last change that counts for every campaign
        self._years = 0  # the last change that can alter which campaign is another's last year
        self._campaigns: dict[str, int] = {}  # campaign -> its last change
        self._log: dict[str, list[Change]] = {}  # campaign -> its recent changes, in order
        self._log_from: dict[str, int] = {}  # campaign -> the log is complete after this seq

    def version(
        self, scope: str | None = None, *, years: bool = False, forever: bool = False
    ) -> Version:
        """The version now of ``scope`` (a campaign id; None: the whole store). A value
        that never changes (``forever``, e.g. what a published run says) has one version
        until the store's changes cannot be followed."""
        self._sync()
        with self._lock:
            if forever and self.per_campaign:
                return (self._epoch,)
            if scope is None or not self.per_campaign:
                return (self._epoch, self._seen)
            mine = (self._epoch, self._global, self._campaigns.get(scope, self._reset_at))
            return (*mine, self._years) if years else mine

    def changes(self, scope: str, before: Version, after: Version) -> list[Change] | None:
        """The changes of campaign ``scope`` between two of its versions, or None when they
        are not known (the versions differ by more than that campaign's own changes)."""
        if not self.per_campaign or before[:2] != after[:2] or before[3:] != after[3:]:
            return None
        with self._lock:
            if before[2] < self._log_from.get(scope, self._reset_at):
                return None
            return [c for c in self._log.get(scope, []) if before[2] < c.seq <= after[2]]

    def kept(self, key: str, make: Callable[[], T]) -> T:
        """An object kept under ``key`` for the app's life, whatever the versions (a helper
        that remembers work from one build of a value to the next)."""
        with self._lock:
            if key not in self._helpers:
                self._helpers[key] = make()
            return self._helpers[key]  # type: ignore[no-any-return]

    def get(
        self,
        key: str,
        build: Callable[[], T],
        scope: str | None = None,
        *,
        years: bool = False,
        forever: bool = False,
        update: Callable[[T, Version, Version], T | None] | None = None,
    ) -> T:
        """The value of ``key`` at the current version of ``scope``: kept, brought up to date
        by ``update(old value, its version, now)``, or built (once, even when many requests
        ask at the same moment)."""
        now = self.version(scope, years=years, forever=forever)
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and hit[0] == now:
                self._values.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
            gate = self._building.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                hit = self._values.get(key)
                if hit is not None and hit[0] == now:
                    return hit[1]  # type: ignore[no-any-return]
            try:
                value = None
                if update is not None and hit is not None and hit[0] < now:
                    value = update(hit[1], hit[0], now)
                if value is None:
                    value = build()
            finally:  # a failed build (an unknown campaign: 404) leaves no gate behind
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                kept = self._values.get(key)
                if kept is None or kept[0] <= now:  # never replace a newer value by an older
                    self._values[key] = (now, value)
                    self._values.move_to_end(key)
                while len(self._values) > MAX_ENTRIES:
                    self._values.popitem(last=False)
            return value

    def _sync(self) -> None:
        """Read the changes since the last look and move the versions they touch."""
        head, found = changes.since(self.store, max(self._seen, 0))
        with self._lock:
            if head == self._seen:
                return
            if found is None or self._seen < 0:
                self._epoch += 1
                self._log.clear()
                self._log_from = {}
                self._campaigns.clear()
                self._seen = self._reset_at = head
                return
            for c in found:
                if c.seq <= self._seen:
                    continue  # another request synced it first
                self._follow(c)
            self._seen = max(self._seen, head)

    def _follow(self, c: Change) -> None:
        """Move the versions ``c`` touches (under the lock)."""
        if c.action in changes.YEARS:
            self._years = c.seq
        if c.campaign is None:
            if not c.action.startswith("account."):
                self._global = c.seq
            return
        self._campaigns[c.campaign] = c.seq
        log = self._log.setdefault(c.campaign, [])
        self._log_from.setdefault(c.campaign, self._reset_at)
        log.append(c)
        if len(log) > MAX_LOG:
            dropped = log.pop(0)
            self._log_from[c.campaign] = dropped.seq
