"""What the web pages read from the store: rows by id, the home listing, appraisal notes, the
audit log by page, and the store's version."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.store import moves, views
from scoring.store.accounts import Account
from scoring.store.appraisal import AppraisalChange, appraise
from scoring.store.db import Store
from tests.support.web import CID, NOW, OTHER, OWN, open_copy, to_appraisal


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Store]:
    """The 2018 samples imported (campaign open, every unit a draft), with the accounts."""
    store = open_copy(tmp_path)
    yield store
    store.close()


def test_every_change_moves_the_version_on(st: Store) -> None:
    """The version is the audit head: one change, one step; a read changes nothing."""
    before = views.version(st)
    assert before > 0  # the import and the accounts were audited
    views.result(st, CID)
    assert views.version(st) == before
    moves.submit(st, CID, OWN, actor="t", now=NOW)
    assert views.version(st) == before + 1


def test_what_is_not_there_is_none(st: Store) -> None:
    """An unknown campaign or unit is None (the page says 404), a known one its row."""
    assert views.campaign(st, "no-such") is None
    assert views.unit(st, CID, "no-such") is None
    assert views.unit(st, "no-such", OWN) is None
    assert views.result(st, "no-such") is None
    camp, unit = views.campaign(st, CID), views.unit(st, CID, OWN)
    assert camp is not None and camp.id == CID
    assert unit is not None and (unit.campaign_id, unit.unit_id) == (CID, OWN)


def test_the_result_is_the_campaign_scored_as_it_stands(st: Store) -> None:
    """The result ranks every unit that has answers, in its group."""
    result = views.result(st, CID)
    assert result is not None and result.campaign_id == CID
    assert result.unit(OWN) is not None and result.unit(OTHER) is not None


def test_an_officer_sees_only_the_campaigns_of_its_unit(st: Store) -> None:
    """Staff see every campaign; an officer the ones its unit is in, with that unit."""
    every, none = views.campaigns_for(st, Account("quantri", "Q", "admin", None))
    assert [c.id for c in every] == [CID] and none == {}
    rows, mine = views.campaigns_for(st, Account("canbo", "C", "officer", OWN))
    assert [c.id for c in rows] == [CID] and mine[CID].unit_id == OWN
    rows, mine = views.campaigns_for(st, Account("x", "X", "officer", "not-in-any"))
    assert rows == [] and mine == {}


def test_appraisal_notes_name_the_nodes_round_one_changed(st: Store) -> None:
    """After a round-1 change to one node, that unit's notes name it; another unit's none."""
    assert views.appraisal_notes(st, CID, OWN) == views.AppraisalNotes([], [])
    to_appraisal(st)
    change = AppraisalChange("1.1.1", Decimal("0.5"), "Kế hoạch ban hành muộn", "thamdinh")
    appraise(st, CID, OWN, "1", [change], actor="thamdinh", now=NOW)
    assert views.appraisal_notes(st, CID, OWN).changed_1 == ["1.1.1"]
    assert views.appraisal_notes(st, CID, OTHER).changed_1 == []


def test_the_audit_log_comes_newest_first_a_page_at_a_time(st: Store) -> None:
    """Page 1 starts at the newest entry; past the end a page is empty with nothing more."""
    first = views.audit_page(st, 1)
    seqs = [r.seq for r in first.rows]
    assert seqs and seqs == sorted(seqs, reverse=True) and seqs[0] == views.version(st)
    assert first.checked == views.version(st) and first.problems == []
    assert first.more == (len(first.rows) == views.AUDIT_PAGE)
    assert first.zones[CID]
    beyond = views.audit_page(st, 10_000)
    assert beyond.rows == [] and not beyond.more and beyond.page == 10_000


def test_people_are_named_by_account_or_unit_and_a_publisher_without_account_too(
    tmp_path: Path,
) -> None:
    """A campaign's names map accounts to display names and units (authors of a folder's
    explanations) to their names; a run published by a login with no account names it as
    the system, in the reader's language."""
    store = open_copy(tmp_path, published=True)
    names = views.display_names(store, CID)
    assert names["canbo"] == "Người canbo" and names[OWN] == "Sở Tài chính"
    assert OWN not in views.display_names(store)
    info = views.publication_info(store, CID)
    assert info is not None and info.publisher == "hệ thống (seed)"
    info = views.publication_info(store, CID, "en")
    assert info is not None and info.publisher == "system (seed)"
    store.close()
