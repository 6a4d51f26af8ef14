"""Reading a stored campaign back in one call: its clock, zone, index, unit and explanations."""

from __future__ import annotations

import pytest

from scoring.errors import SubmissionError
from scoring.store import cycle, stored
from scoring.store.db import Store, open_store
from tests.support.paths import MINI


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The mini campaign's whole year run into a SQLite store."""
    st = open_store(f"sqlite:///{tmp_path_factory.mktemp('stored') / 'p.db'}")
    cycle.run_cycle(st, MINI, actor="snv")
    return st


def test_campaign_clock_and_zones(mini_store: Store) -> None:
    """A stored campaign has its zone and opening time; a missing one has no clock."""
    clock = stored.campaign_clock(mini_store, "mini-2018")
    assert clock is not None and clock[0] == "Asia/Ho_Chi_Minh" and clock[1]
    assert stored.campaign_clock(mini_store, "nope") is None
    assert stored.time_zones(mini_store) == {"mini-2018": "Asia/Ho_Chi_Minh"}


def test_campaign_index_and_unit(mini_store: Store) -> None:
    """The campaign's compiled index, and a unit with it; an unknown unit names the closest."""
    index = stored.campaign_index(mini_store, "mini-2018")
    row, same = stored.unit_with_index(mini_store, "mini-2018", "b")
    assert (row.unit_id, row.group_id, row.name) == ("b", "department", "Sở B")
    assert same.content_hash == index.content_hash
    with pytest.raises(SubmissionError, match="no unit 'bb' in campaign 'mini-2018'") as info:
        stored.unit_with_index(mini_store, "mini-2018", "bb")
    assert info.value.suggestion == "b"


def test_explanations_are_the_units_own_as_plain_data(mini_store: Store) -> None:
    """Unit a's one explanation comes back as plain data with its evidence; b has none."""
    [e] = stored.explanations(mini_store, "mini-2018", "a")
    assert (e["node_id"], e["author"]) == ("1.4", "a")  # the unit explains itself
    assert e["text"] == "Bổ sung báo cáo tổng hợp từ phần mềm một cửa"
    assert [ev["doc"] for ev in e["evidence"]] == ["45/BC-SA"]
    assert stored.explanations(mini_store, "mini-2018", "b") == []
