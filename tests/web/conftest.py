"""The web tests' fixtures: Chromium for the browser tests, one per test module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, FLAGS, sync_api


# per module, not per session: Playwright's sync API allows one instance at a time, and a
# module that starts its own must find none still running
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, launched once a test module (skipped without
    it, failing instead under ``$PARINDEX_REQUIRE_BROWSER``)."""
    api = sync_api()
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
