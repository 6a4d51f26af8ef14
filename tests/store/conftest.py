"""Fixtures the store's tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.store import imports
from scoring.store.db import Store
from tests.support.stores import at


@pytest.fixture
def opened(store: Store, mini_copy: Path) -> Store:
    """The mini campaign (mini-2018) imported on 20/11/2018: campaign open, units a, b and c
    drafts."""
    assert not imports.import_folder(store, mini_copy, actor="snv", now=at("2018-11-20")).errors
    return store
