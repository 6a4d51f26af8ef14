"""The audit log read in one call: its entries as plain data, and the chain checked."""

from __future__ import annotations

import pytest

from scoring.store import audit, cycle
from scoring.store.db import Store, open_store
from tests.support.paths import MINI


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The mini campaign's whole year run into a SQLite store."""
    st = open_store(f"sqlite:///{tmp_path_factory.mktemp('audit') / 'p.db'}")
    cycle.run_cycle(st, MINI, actor="snv")
    return st


def test_entries_are_the_newest_oldest_first(mini_store: Store) -> None:
    """The newest ``limit`` entries come back oldest first, filtered by campaign and unit."""
    every = audit.entries(mini_store, limit=1_000_000)
    seqs = [e["seq"] for e in every]
    assert seqs == sorted(seqs) and len(seqs) > 5
    last = audit.entries(mini_store, limit=3)
    assert [e["seq"] for e in last] == seqs[-3:]
    mine = audit.entries(mini_store, campaign="mini-2018", unit="a", limit=1_000_000)
    assert mine and all(e["campaign"] == "mini-2018" and e["unit"] == "a" for e in mine)
    assert isinstance(mine[0]["detail"], dict)


def test_check_finds_an_intact_chain(mini_store: Store) -> None:
    """Right after a year is run, the whole chain verifies."""
    count, problems = audit.check(mini_store)
    assert count == len(audit.entries(mini_store, limit=1_000_000)) and problems == []
