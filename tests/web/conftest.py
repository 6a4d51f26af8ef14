"""The web tests' fixtures: one Chromium for the session's browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, FLAGS, sync_api


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, launched once a session (skipped without it,
    failing instead under ``$PARINDEX_REQUIRE_BROWSER``)."""
    api = sync_api()
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
