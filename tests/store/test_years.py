"""compare between two stored years joins units through the register (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from scoring.sources.text import vn_key
from scoring.store import cycle, years
from scoring.store.db import Store
from scoring.store.schema import AuditRow, CampaignRow, UnitRow
from tests.support.registers import two_years


@pytest.fixture
def compared(store: Store, tmp_path: Path) -> dict[str, Any]:
    """The two register campaigns run to publication in ``store``, and their comparison."""
    for folder in two_years(tmp_path):
        cycle.run_cycle(store, folder, actor="snv")
    return years.compare(store, "reg-a", "reg-b")


def test_the_register_is_stored_with_the_campaign(store: Store, tmp_path: Path) -> None:
    """Validity dates, predecessors and ended units are stored, and audited when added."""
    for folder in two_years(tmp_path):
        cycle.run_cycle(store, folder, actor="snv")
    with store.read() as s:
        nv = s.get(UnitRow, ("reg-b", "ngoai-vu"))
        nn = s.get(UnitRow, ("reg-b", "nn"))
        camp = s.get(CampaignRow, "reg-b")
        acts = {e.action for e in s.exec(select(AuditRow).where(AuditRow.campaign_id == "reg-b"))}
    assert nv is not None and nv.valid_from == "2018-08-01" and nv.valid_to is None
    assert nn is not None and json.loads(nn.predecessors_json) == ["a", "b"]
    assert camp is not None and json.loads(camp.ended_json)[0]["on"] == "2018-07-01"
    assert "campaign.ended" in acts


def test_a_merged_department_shows_each_predecessor_and_no_delta(compared: dict[str, Any]) -> None:
    """The merged department is listed with both predecessors' figures, not as a change."""
    (nn,) = compared["merged"]
    assert nn["unit_id"] == "nn" and [p["unit_id"] for p in nn["predecessors"]] == ["a", "b"]
    assert [p["index"] for p in nn["predecessors"]] == ["93.00", "31.17"]
    assert all(u["unit_id"] != "nn" for u in compared["units"])


def test_a_new_body_is_new_and_marked_part_year(compared: dict[str, Any]) -> None:
    """The body created on 01/08 has no predecessor and carries its part of the year."""
    new = {n["unit_id"]: n for n in compared["new"]}
    assert new["ngoai-vu"]["part_year"] == {"from": "2018-08-01", "to": None}
    assert "ngoai-vu" in compared["only_in_to"]


def test_a_district_with_no_successor_is_listed_with_its_end(compared: dict[str, Any]) -> None:
    """The district nothing continues is listed with the date the register gives."""
    gone = {g["unit_id"]: g for g in compared["no_successor"]}
    assert gone["h"]["ended_on"] == "2018-07-01" and gone["h"]["note_vi"] == "Bãi bỏ cấp huyện"
    assert {"a", "b", "k"}.isdisjoint(gone)  # merged and renamed units have successors


def test_a_same_id_with_another_body_is_flagged_not_joined(compared: dict[str, Any]) -> None:
    """x, now another body, is a conflict: no delta, new on one side, gone on the other."""
    assert compared["conflicts"] == [{"unit_id": "x", "name_from": "Sở X", "name_to": "Ban X"}]
    assert all(u["unit_id"] != "x" for u in compared["units"])
    assert {g["unit_id"]: g["id_taken"] for g in compared["no_successor"]}["x"] is True


def test_a_renamed_unit_is_compared_like_for_like(compared: dict[str, Any]) -> None:
    """k2 continues k under a new id: a change is given, from k's figures."""
    k2 = next(u for u in compared["units"] if u["unit_id"] == "k2")
    assert k2["join"] == "renamed" and k2["from_unit"]["unit_id"] == "k"
    assert k2["index"] == ["93.00", "24.60", "-68.40"]
    c = next(u for u in compared["units"] if u["unit_id"] == "c")
    assert c["join"] == "same" and c["index"][2] == "0.00"


def test_the_lists_of_names_are_in_vietnamese_order(compared: dict[str, Any]) -> None:
    """New units and units without a successor are listed by name in Vietnamese order."""
    for key in ("new", "no_successor"):
        names = [u["name"] for u in compared[key]]
        assert len(names) >= 2, key  # the order below is checked on a real list
        assert names == sorted(names, key=vn_key), key
