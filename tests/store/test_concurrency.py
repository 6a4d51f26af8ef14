"""Concurrent appraisers on one campaign: optimistic locking, the audit chain, the scores.

Several appraisers change the same three units of the mini campaign at once, each reading the
unit's version (``campaigns.status``) and passing it as ``expected_version``. Every change must
either land or be refused with a ``ConflictError``; nothing else may come out, nothing may hang,
and what landed must be exactly what the store, its audit log and its scores show: the same as
applying the landed changes one after the other to a fresh store.

Threads (8 x 20 changes) and spawned processes (4 x 20 changes, each opening its own store from
the URL) run on SQLite and on PostgreSQL (the ``store`` fixture: $PARINDEX_TEST_PG's server or
the session's own). Every plan of changes is seeded, so a failure replays with the same changes
(their interleaving is up to the scheduler).
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from scoring.errors import ConflictError
from scoring.evaluation.documents import score_document
from scoring.store import appraisal, audit, campaigns, imports, moves, publication
from scoring.store.appraisal import AppraisalChange
from scoring.store.db import Store, open_store
from scoring.store.schema import AppraisalRow, AuditRow
from tests.support.paths import MINI
from tests.support.stores import at

CID = "mini-2018"
UNITS = ("a", "b", "c")
SEED = 20181205
THREADS, THREAD_CHANGES = 8, 20
PROCESSES, PROCESS_CHANGES = 4, 20
JOIN_TIMEOUT = 60.0  # seconds for all workers together; a deadlock shows as a timeout
WHEN = at("2018-12-05")

# the scored leaves, bonuses and penalties of each mini unit (not-applicable ones left out),
# with their maximum, and the levels for council items (as the mini index declares them)
TARGETS: dict[str, list[tuple[str, Decimal]]] = {
    "a": [(n, Decimal(10)) for n in ("1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3")]
    + [("B1", Decimal(2))],
    "b": [(n, Decimal(10)) for n in ("1.1", "1.2", "1.3", "1.5", "2.1", "2.2", "2.3")]
    + [("P1", Decimal(3)), ("P2", Decimal(5))],
    "c": [(n, Decimal(10)) for n in ("1.1", "1.2", "1.3", "1.4", "1.5")],
}
COUNCIL_LEVELS = {"1.5": [Decimal(0), Decimal(5), Decimal("7.5"), Decimal(10)]}


@dataclass
class Tally:
    """What one worker tried and what became of it."""

    attempts: int = 0
    conflicts: int = 0
    landed: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # unit,node,to,…
    other: list[str] = field(default_factory=list)  # any exception that is not a conflict


def _plan(worker: int, n: int) -> list[tuple[str, AppraisalChange]]:
    """A seeded list of ``n`` valid appraisal changes for one worker."""
    rng = random.Random(SEED * 1000 + worker)
    out = []
    for i in range(n):
        uid = rng.choice(UNITS)
        node, top = rng.choice(TARGETS[uid])
        if node in COUNCIL_LEVELS:
            score = rng.choice(COUNCIL_LEVELS[node])
        else:
            score = Decimal(rng.randint(0, int(top * 4))) / 4  # quarter points, within bounds
        who = f"thẩm định {worker}"
        out.append((uid, AppraisalChange(node, score, f"worker {worker} change {i}", who)))
    return out


def _version(store: Store, uid: str) -> int:
    units = campaigns.status(store, CID)["units"]
    return int(next(u["version"] for u in units if u["unit_id"] == uid))


def _run_plan(store: Store, worker: int, n: int) -> Tally:
    tally = Tally()
    for uid, ch in _plan(worker, n):
        tally.attempts += 1
        try:
            version = _version(store, uid)
            appraisal.appraise(
                store, CID, uid, "1", [ch], actor=ch.appraiser, now=WHEN, expected_version=version
            )
        except ConflictError:
            tally.conflicts += 1
        except BaseException as exc:  # anything else is the finding
            tally.other.append(f"{type(exc).__name__}: {exc}")
        else:
            tally.landed.append((uid, ch.node, str(ch.score), ch.reason, ch.appraiser))
    return tally


def _process_worker(url: str, worker: int, n: int) -> Tally:
    """One spawned appraiser: its own store opened from the URL."""
    store = open_store(url)
    try:
        return _run_plan(store, worker, n)
    finally:
        store.close()


def _to_appraisal(store: Store) -> None:
    report = imports.import_folder(store, MINI, actor="snv", now=at("2018-11-20"))
    assert sorted(report.stored) == list(UNITS) and not report.errors
    for uid in UNITS:
        moves.submit(store, CID, uid, actor=uid, now=at("2018-11-28"))
    moves.advance_campaign(store, CID, "appraisal", actor="snv", now=at("2018-12-01"))


def _scores(store: Store) -> dict[str, Any]:
    with store.read() as s:
        _, result = publication.compute(s, CID)
    return score_document(result)


def _check(store: Store, tallies: list[Tally], before: dict[str, int], tmp: Path) -> None:
    """Everything the store holds agrees with what the workers saw land."""
    other = [e for t in tallies for e in t.other]
    assert not other, f"exceptions other than ConflictError: {other[:5]}"
    attempts = sum(t.attempts for t in tallies)
    conflicts = sum(t.conflicts for t in tallies)
    landed = [x for t in tallies for x in t.landed]
    assert len(landed) + conflicts == attempts
    assert landed, "no change landed at all"

    with store.read() as s:
        rows = list(s.exec(select(AppraisalRow).where(AppraisalRow.campaign_id == CID)))
        log = list(s.exec(select(AuditRow).order_by(col(AuditRow.seq))))
        checked, problems = audit.verify(s)
    assert checked == len(log) and not problems, problems
    entries = [r for r in log if r.action == "appraisal.round_1"]
    assert len(rows) == len(landed) == len(entries)
    import json

    logged = Counter(
        (
            r.unit_id,
            r.node_id,
            json.loads(r.detail_json)["to"],
            json.loads(r.detail_json)["reason"],
            json.loads(r.detail_json)["appraiser"],
        )
        for r in entries
    )
    assert logged == Counter(landed)

    # versions: 1 when added, +1 per later audited change of the unit (one change per call)
    per_unit = Counter(x[0] for x in landed)
    for uid in UNITS:
        bumps = sum(1 for r in log if r.unit_id == uid and r.action != "unit.add")
        version = _version(store, uid)
        assert version == 1 + bumps == before[uid] + per_unit[uid], uid

    # the same changes applied one at a time, in audit order, to a fresh store
    serial = open_store(f"sqlite:///{tmp / 'serial.db'}")
    try:
        _to_appraisal(serial)
        for r in entries:
            d = json.loads(r.detail_json)
            assert r.unit_id is not None and r.node_id is not None
            ch = AppraisalChange(r.node_id, Decimal(d["to"]), d["reason"], d["appraiser"])
            appraisal.appraise(serial, CID, r.unit_id, "1", [ch], actor=r.actor, now=WHEN)
        assert _scores(store) == _scores(serial)
    finally:
        serial.close()


def test_concurrent_appraiser_threads_land_or_conflict(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Eight appraiser threads on three units: each change lands or conflicts; the store agrees."""
    _to_appraisal(store)
    before = {uid: _version(store, uid) for uid in UNITS}
    tallies = [Tally() for _ in range(THREADS)]

    def run(i: int) -> None:
        tallies[i] = _run_plan(store, i, THREAD_CHANGES)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(THREADS)]
    deadline = time.monotonic() + JOIN_TIMEOUT
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "appraiser threads still running: deadlock?"
    assert sum(t.attempts for t in tallies) == THREADS * THREAD_CHANGES
    _check(store, tallies, before, tmp_path)


def test_concurrent_appraiser_processes_land_or_conflict(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Four spawned appraiser processes, each with its own store: each change lands or conflicts."""
    _to_appraisal(store)
    before = {uid: _version(store, uid) for uid in UNITS}
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        pending = pool.starmap_async(
            _process_worker, [(store.url, 100 + i, PROCESS_CHANGES) for i in range(PROCESSES)]
        )
        tallies = pending.get(timeout=JOIN_TIMEOUT)  # raises TimeoutError on a deadlock
    assert sum(t.attempts for t in tallies) == PROCESSES * PROCESS_CHANGES
    _check(store, tallies, before, tmp_path)
