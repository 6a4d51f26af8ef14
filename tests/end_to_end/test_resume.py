"""`campaign run` resumes: interrupted at any step (an error, a full disk, SIGKILL), running
it again finishes the year with the audit log and the published result of an uninterrupted run.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from scoring.store import audit, cycle, publication
from scoring.store.db import Store, open_store
from scoring.store.schema import AuditRow
from tests.support.paths import MINI, PARINDEX, ROOT, SAMPLES
from tests.support.stores import check_store

ACTOR = "snv"


def _log(url: str) -> list[tuple[Any, ...]]:
    """Every audit entry of the store, as it records the year: what, who, when (effective) and
    its detail. The chain is verified; its hashes are not compared, as they cover when each
    entry was really written (the machine's clock), which differs between two runs."""
    st = open_store(url)
    try:
        with st.read() as s:
            _, problems = audit.verify(s)
            assert problems == [], problems
            rows = s.exec(select(AuditRow).order_by(col(AuditRow.seq)))
            return [
                (r.seq, r.at, r.actor, r.action, r.unit_id, r.node_id, r.detail_json) for r in rows
            ]
    finally:
        st.close()


def _result_hash(url: str, cid: str) -> str:
    st = open_store(url)
    try:
        with st.read() as s:
            run = publication.latest_run(s, cid)
            assert run is not None
            return run.result_hash
    finally:
        st.close()


# ---------------------------------------------------------------- a failure at every step


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite store, copied for each run (migrating takes longer)."""
    path = tmp_path_factory.mktemp("blank") / "blank.db"
    open_store(f"sqlite:///{path}").close()
    return path


def _run(url: str) -> None:
    st = open_store(url)
    try:
        cycle.run_cycle(st, MINI, actor=ACTOR)
    finally:
        st.close()


@contextmanager
def _disk_full(real: AbstractContextManager[Session]) -> Iterator[Session]:
    """A transaction whose work is done, and whose commit then finds the disk full."""
    with real as s:
        yield s
        s.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(scope="module")
def reference(blank: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The uninterrupted mini cycle: its audit log, result hash and number of transactions."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'x.db'}"
    shutil.copy(blank, url.split("///", 1)[1])
    real = Store.transaction
    count = [0]

    def counting(self: Store) -> AbstractContextManager[Session]:
        count[0] += 1
        return real(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Store, "transaction", counting)
        _run(url)
    return {"log": _log(url), "hash": _result_hash(url, "mini-2018"), "steps": count[0]}


def test_the_mini_cycle_has_a_transaction_per_step(reference: dict[str, Any]) -> None:
    """The cycle is many small transactions (so that there is something to resume)."""
    assert reference["steps"] >= 20
    assert reference["log"][-1][3] == "campaign.publish"


def _failing_at(k: int) -> Any:
    """``Store.transaction`` whose ``k``-th transaction finds the disk full."""
    real = Store.transaction
    count = [0]

    def transaction(self: Store) -> AbstractContextManager[Session]:
        count[0] += 1
        return _disk_full(real(self)) if count[0] == k else real(self)

    return transaction


def test_a_cycle_failing_at_any_step_resumes_to_the_same_result(
    blank: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    """For each transaction k of the cycle: the disk is full at its commit, the run stops with
    only steps 1..k-1 in the audit log; run again, the log and the published result are the
    uninterrupted run's (no step recorded twice, none missing)."""
    for k in range(1, reference["steps"] + 1):
        db = tmp_path / f"k{k}.db"
        shutil.copy(blank, db)
        url = f"sqlite:///{db}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Store, "transaction", _failing_at(k))
            with pytest.raises(OSError, match="No space left"):
                _run(url)
        partial = _log(url)
        assert partial == reference["log"][: len(partial)], f"step {k}: not a prefix"
        assert len(partial) < len(reference["log"]), f"step {k}: nothing was left to do"
        _run(url)
        assert _log(url) == reference["log"], f"resumed after step {k}: another audit log"
        assert _result_hash(url, "mini-2018") == reference["hash"]
        db.unlink()


def test_a_published_campaign_run_again_changes_nothing(blank: Path, tmp_path: Path) -> None:
    """Running a finished year again returns its published result and writes nothing."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    shutil.copy(blank, tmp_path / "x.db")
    _run(url)
    before = _log(url)
    _run(url)
    assert _log(url) == before


# ---------------------------------------------------------------- SIGKILL


def _audit_seq(db: Path) -> int:
    """The newest audit entry's number, read from the SQLite file as another process would."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            row = conn.execute("SELECT seq FROM audit_head").fetchone()
            return int(row[0]) if row else 0
    except sqlite3.Error:  # not created or migrated yet, or locked by the writer
        return 0


def _run_until(url: str, db: Path, folder: Path, seq: int) -> bool:
    """Run `campaign run FOLDER` and SIGKILL it once ``seq`` audit entries are stored; True if
    it was killed before it finished."""
    args = [PARINDEX, "--db", url, "--actor", ACTOR, "campaign", "run", str(folder)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            if _audit_seq(db) >= seq:
                proc.kill()
                proc.wait()
                return True
            time.sleep(0.01)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _cli_run(url: str, folder: Path) -> None:
    args = [PARINDEX, "--db", url, "--actor", ACTOR, "campaign", "run", str(folder)]
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def _kill_and_resume(
    blank: Path, db: Path, folder: Path, seq: int, want_log: list[Any], want_hash: str, cid: str
) -> bool:
    """Kill a run after ``seq`` audit entries, check the store is whole and holds a prefix of
    the uninterrupted log, run again and compare; True if the kill landed."""
    shutil.copy(blank, db)
    url = f"sqlite:///{db}"
    killed = _run_until(url, db, folder, seq)
    partial = _log(url)
    assert partial == want_log[: len(partial)]
    check_store(url)
    _cli_run(url, folder)
    assert _log(url) == want_log, f"killed after {seq} entries: another audit log"
    assert _result_hash(url, cid) == want_hash
    return killed


def test_campaign_run_killed_resumes_to_the_same_result(
    blank: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL `campaign run` (mini campaign) after the import, mid-year and near the end: each
    time, running it again gives the uninterrupted run's audit log and result hash."""
    log = reference["log"]
    killed = 0
    for seq in (1, len(log) // 2, len(log) - 3):
        killed += _kill_and_resume(
            blank, tmp_path / f"k{seq}.db", MINI, seq, log, reference["hash"], "mini-2018"
        )
    assert killed >= 1, "every run finished before it could be killed"


def test_samples_2018_killed_mid_year_resumes_to_the_same_result(
    blank: Path, tmp_path: Path
) -> None:
    """`campaign run samples/2018` (late units, two rounds, explanations) killed mid-year and
    run again publishes the same result hash as an uninterrupted run."""
    shutil.copy(blank, tmp_path / "ref.db")
    ref_url = f"sqlite:///{tmp_path / 'ref.db'}"
    _cli_run(ref_url, SAMPLES)
    want_log = _log(ref_url)
    want_hash = _result_hash(ref_url, "langson-2018")
    seq = len(want_log) * 2 // 3
    killed = _kill_and_resume(
        blank, tmp_path / "k.db", SAMPLES, seq, want_log, want_hash, "langson-2018"
    )
    assert killed, "the run finished before it could be killed: nothing was resumed"
