"""Fault injection: SIGKILL mid-command, read-only and full disks, lost PostgreSQL connections.

Every kill is followed by a full consistency check of the store: it opens, the audit chain
verifies, every audit entry's change is stored and every stored change has its audit entry,
the replayed workflow states match the stored ones, and published runs recompute.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from scoring.campaign.appraisal_files import parse_appraisals, parse_explanations
from scoring.campaign.folder import read_campaign_file
from scoring.errors import StorageError
from scoring.sources.yamlsrc import read_text
from scoring.store import appraisal, audit, cycle, imports, moves, publication
from scoring.store.db import open_store
from scoring.store.schema import (
    AppraisalRow,
)
from tests.support.cli import run
from tests.support.paths import MINI, PARINDEX, ROOT
from tests.support.stores import STORES, at, check_store, empty_pg_schema, needs_pg

CID = "mini-2018"
SEED = 20240611
KILLS_CAMPAIGN_RUN = 15
KILLS_PER_STEP = 6
KILLS_REPORT = 3


# ---------------------------------------------------------------- helpers


class _Stop(Exception):
    """Raised by a patched step to stop ``run_cycle`` right before it."""


def _halt(*_args: Any, **_kwargs: Any) -> None:
    raise _Stop


def _fresh(url: str) -> None:
    """Empty the store at ``url`` (delete the SQLite file, or recreate the PG schema)."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    else:
        empty_pg_schema(url)


def _prepare(url: str, stop: str | None) -> None:
    """Run the mini cycle into a fresh store, stopping before round 1 or before publish."""
    _fresh(url)
    st = open_store(url)
    try:
        with pytest.MonkeyPatch.context() as mp:
            if stop == "round1":
                mp.setattr(cycle, "_round", _halt)
            elif stop == "publish":
                mp.setattr(publication, "publish", _halt)
            if stop is None:
                cycle.run_cycle(st, MINI, actor="snv")
            else:
                with pytest.raises(_Stop):
                    cycle.run_cycle(st, MINI, actor="snv")
    finally:
        st.close()


def _kill_after(args: list[str], delay: float) -> bool:
    """Run ``parindex ARGS`` and SIGKILL its process group after ``delay`` seconds; True if
    it was killed (False if it finished first)."""
    proc = subprocess.Popen(
        [PARINDEX, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def _timed(args: list[str]) -> float:
    """Run ``parindex ARGS`` to completion (it must succeed); return its duration."""
    start = time.monotonic()
    r = subprocess.run([PARINDEX, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return time.monotonic() - start


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PARINDEX, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def _say(_step: str, _figures: dict[str, Any]) -> None:
    pass


def _finish_from_round1(url: str) -> None:
    """Complete the mini cycle from the start of appraisal round 1 (whatever of round 1 is
    stored), then publish."""
    st = open_store(url)
    try:
        spec = read_campaign_file(MINI)
        f1 = parse_appraisals(read_text(MINI / "appraisal-1.yaml"), "appraisal-1.yaml")[0]
        f2 = parse_appraisals(read_text(MINI / "appraisal-2.yaml"), "appraisal-2.yaml")[0]
        with st.read() as s:
            done = {r.unit_id for r in s.exec(select(AppraisalRow))}
        first, second = at("2018-12-05"), at("2018-12-15", 10)
        for uid, entries in f1.units.items():
            if uid not in done:
                batch = [
                    appraisal.AppraisalChange(e.node, e.score, e.reason, f1.appraiser)
                    for e in entries
                ]
                appraisal.appraise(st, CID, uid, "1", batch, actor="snv", now=first)
        for u in spec.units:
            for target in ("appraised_1", "explanation"):
                moves.advance_unit(st, CID, u.id, target, actor="snv", now=first)
        ex = parse_explanations(read_text(MINI / "explanations.yaml"), "explanations.yaml")[0]
        for uid, items in ex.units.items():
            appraisal.respond(st, CID, uid, items, actor=uid, now=at("2018-12-10"))
        cycle._round(st, spec, [f2], "2", second, _say)
        for u in spec.units:
            for target in ("appraised_2", "final"):
                moves.advance_unit(st, CID, u.id, target, actor="snv", now=second)
        moves.advance_campaign(st, CID, "review", actor="snv", now=at("2018-12-21"))
        publication.publish(st, CID, actor="snv", now=at("2018-12-21", 11))
    finally:
        st.close()


@pytest.fixture(params=STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL: a SQLite file in a temporary folder, and PostgreSQL when
    on the session's server (its schema is emptied by each preparation)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'x.db'}"
    return str(request.getfixturevalue("pg_server"))


# ---------------------------------------------------------------- 1. SIGKILL


def test_sigkill_during_campaign_run(tmp_path: Path) -> None:
    """SIGKILL `campaign run` at seeded random moments: the store is always whole afterwards."""
    rng = random.Random(SEED)
    db = tmp_path / "x.db"
    url = f"sqlite:///{db}"
    full = _timed(["--db", url, "campaign", "run", str(MINI)])
    reference = check_store(url)
    assert reference["states"] == {CID: "published"} and reference["runs"] == 1
    # most of a run is starting Python: measure that start-up (a command that only opens the
    # store) and draw most delays after it, so that most kills land inside the cycle
    start = time.monotonic()
    _cli("--db", url, "campaign", "status", "no-such-campaign")
    startup = min(time.monotonic() - start, full) * 0.8
    seen = Counter()
    for i in range(KILLS_CAMPAIGN_RUN):
        _fresh(url)
        delay = rng.uniform(0, full) if i % 4 == 0 else rng.uniform(startup, full)
        killed = _kill_after(["--db", url, "campaign", "run", str(MINI)], delay)
        summary = check_store(url)  # creates an empty store if the kill came before it
        state = summary["states"].get(CID, "none")
        seen[(killed, state, summary["entries"])] += 1
        if not killed:
            assert summary == reference
        else:
            assert summary["entries"] <= reference["entries"]
    print(f"campaign run kills (killed, campaign state, audit entries): {dict(seen)}")
    assert sum(n for (killed, _, _), n in seen.items() if killed) >= KILLS_CAMPAIGN_RUN // 2


@pytest.fixture(scope="module")
def durations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """How long `appraise --file`, `publish` and `report` take to completion (SQLite)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('timing') / 'x.db'}"
    out: dict[str, float] = {}
    _prepare(url, "round1")
    out["appraise"] = _timed(_appraise_args(url))
    _prepare(url, "publish")
    out["publish"] = _timed(_publish_args(url))
    out["report"] = _timed(_report_args(url, tmp_path_factory.mktemp("rep")))
    return out


def _appraise_args(url: str) -> list[str]:
    return [
        *("--db", url, "--actor", "snv", "--at", "2018-12-05T09:00:00+00:00"),
        *("appraise", CID, "--file", str(MINI / "appraisal-1.yaml")),
    ]


def _publish_args(url: str) -> list[str]:
    return ["--db", url, "--actor", "snv", "--at", "2018-12-21T11:00:00+00:00", "publish", CID]


def _report_args(url: str, out: Path) -> list[str]:
    return ["--db", url, "report", CID, "--out", str(out), "--format", "html", "--unit", "a"]


def test_sigkill_during_appraise_file(url: str, durations: dict[str, float]) -> None:
    """SIGKILL `appraise --file`: each unit's batch is all there or absent; the cycle finishes."""
    rng = random.Random(SEED + 1)
    f1 = parse_appraisals(read_text(MINI / "appraisal-1.yaml"), "appraisal-1.yaml")[0]
    want = {uid: len(entries) for uid, entries in f1.units.items()}
    outcomes = Counter()
    for i in range(KILLS_PER_STEP):
        _prepare(url, "round1")
        killed = _kill_after(_appraise_args(url), rng.uniform(0, durations["appraise"]))
        summary = check_store(url)
        assert summary["states"] == {CID: "appraisal"}
        got = {uid: n for (uid, rnd), n in summary["appraisals"].items() if rnd == "1"}
        for uid, n in got.items():
            assert n == want[uid], f"unit {uid}: {n} of {want[uid]} changes stored"
        outcomes[(killed, tuple(sorted(got)))] += 1
        if i % 2 == 0:  # half the time: finish the year on the killed store
            _finish_from_round1(url)
            assert check_store(url)["states"] == {CID: "published"}
    print(f"appraise --file kills (killed, units stored): {dict(outcomes)}")
    assert any(killed for killed, _ in outcomes), "every command finished before its kill"


def test_sigkill_during_publish_and_correction(url: str, durations: dict[str, float]) -> None:
    """SIGKILL `publish` (and a correction publish): published ⇔ a run exists, never half."""
    rng = random.Random(SEED + 2)
    _prepare(url, "publish")
    outcomes = Counter()
    corrections = 0  # correction appraisals recorded so far
    for i in range(KILLS_PER_STEP):
        before = check_store(url)
        if before["runs"] > corrections:  # published and nothing pending: correct a point
            st = open_store(url)
            try:
                score = Decimal(7) - Decimal(i) / 10
                change = appraisal.AppraisalChange("2.1", score, "Điều chỉnh sau công bố", "snv")
                appraisal.appraise(
                    st, CID, "a", "correction", [change], actor="snv", now=at("2019-01-10")
                )
            finally:
                st.close()
            corrections += 1
            before = check_store(url)
        args = _publish_args(url)
        if corrections:
            args = [*args, "--reason", "Đính chính điểm tiêu chí 2.1"]
        killed = _kill_after(args, rng.uniform(0, durations["publish"]))
        after = check_store(url)
        assert after["runs"] in (before["runs"], before["runs"] + 1)
        assert after["entries"] - before["entries"] == after["runs"] - before["runs"]
        assert (after["states"][CID] == "published") == (after["runs"] > 0)
        outcomes[(killed, after["runs"])] += 1
    print(f"publish kills (killed, runs after): {dict(outcomes)}")
    assert any(killed for killed, _ in outcomes), "every command finished before its kill"
    st = open_store(url)  # the store is still usable: finish whatever is left
    try:
        runs = check_store(url)["runs"]
        if runs == 0:
            publication.publish(st, CID, actor="snv", now=at("2018-12-21", 11))
        elif corrections >= runs:
            publication.publish(st, CID, actor="snv", now=at("2019-01-11"), reason="Đính chính")
    finally:
        st.close()
    final = check_store(url)
    assert final["states"] == {CID: "published"} and final["runs"] == corrections + 1


def test_sigkill_during_report(url: str, durations: dict[str, float], tmp_path: Path) -> None:
    """SIGKILL `report`: reports only read, so the store is untouched and still verifies."""
    rng = random.Random(SEED + 3)
    _prepare(url, None)
    before = check_store(url)
    kills = 0
    for i in range(KILLS_REPORT):
        delay = rng.uniform(0, durations["report"])
        kills += _kill_after(_report_args(url, tmp_path / f"rep{i}"), delay)
        assert check_store(url) == before
    assert kills, "every report finished before its kill"
    r = _cli(*_report_args(url, tmp_path / "final"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "final" / "annex.html").is_file()


def test_appraise_file_is_one_transaction(tmp_path: Path) -> None:
    """An `appraise --file` interrupted after its first unit leaves none of the file stored."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    _prepare(url, "round1")
    real = appraisal._record_change
    calls: list[str] = []

    def interrupted(*args: Any, **kwargs: Any) -> None:
        calls.append(args[2])  # the unit of this change
        if len(set(calls)) == 2:  # the process dies on the second unit's first change
            raise KeyboardInterrupt
        real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(appraisal, "_record_change", interrupted)
        r = run(*_appraise_args(url))
    assert r.exit_code == 130, r.output
    summary = check_store(url)
    stored = sorted(uid for (uid, rnd) in summary["appraisals"] if rnd == "1")
    assert stored == [], f"a half-applied appraisal file: units {stored} of {calls} stored"


# ---------------------------------------------------------------- 3. read-only, missing, full


def _no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr


@pytest.fixture
def mount_dir(tmp_path: Path) -> Iterator[Any]:
    """Mount tiny tmpfs folders (root only); unmounted afterwards."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        d = tmp_path / name
        d.mkdir()
        r = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(d)],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        mounted.append(d)
        return d

    yield mount
    for d in reversed(mounted):
        subprocess.run(["umount", "-l", str(d)], check=False)


def test_readonly_database_file(tmp_path: Path) -> None:
    """A read-only SQLite file in a read-only folder: a write exits 1 with a clear message."""
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'x.db'}"
    _prepare(url, "publish")
    (folder / "x.db").chmod(0o444)
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
            probe.unlink()
            with open(folder / "x.db", "a"):
                pass
            pytest.skip("running as root: chmod does not stop writes (see the remount test)")
        except PermissionError:
            pass
        r = _cli(*_publish_args(url))
        assert r.returncode == 1, r.stderr
        _no_traceback(r)
        assert "readonly" in r.stderr.replace("-", "").lower() or "read" in r.stderr.lower()
    finally:
        folder.chmod(0o755)
        (folder / "x.db").chmod(0o644)
    assert check_store(url)["runs"] == 0


def test_readonly_filesystem(mount_dir: Any) -> None:
    """A store on a read-only mount (stops root too): a write exits 1, naming the store."""
    folder = mount_dir("rofs", "4m")
    url = f"sqlite:///{folder / 'x.db'}"
    _prepare(url, "publish")
    r = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot remount read-only: {r.stderr.strip()}")
    r = _cli(*_publish_args(url))
    assert r.returncode == 1, r.stdout + r.stderr
    _no_traceback(r)
    assert "x.db" in r.stderr and "read" in r.stderr.lower(), r.stderr
    for reading in (
        ("audit", "verify"),
        ("campaign", "status", "mini-2018"),
        ("verify", "mini-2018"),
    ):
        r = _cli("--db", url, *reading)  # reading a read-only store works
        assert r.returncode in (0, 1) and "read-only" not in r.stderr, (reading, r.stderr)
        _no_traceback(r)
    r = _cli("--db", url, "audit", "verify")
    assert r.returncode == 0 and "chuỗi liên kết nguyên vẹn" in r.stdout, r.stderr
    subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
    assert check_store(url)["runs"] == 0


def test_database_in_missing_folder(tmp_path: Path) -> None:
    """A database path in a folder that does not exist: exit 1, the message names the folder."""
    missing = tmp_path / "no" / "such"
    r = _cli("--db", f"sqlite:///{missing / 'x.db'}", "campaign", "run", str(MINI))
    assert r.returncode == 1, r.stderr
    _no_traceback(r)
    assert "does not exist" in r.stderr and str(missing) in r.stderr
    assert not missing.exists()


@pytest.mark.parametrize("free_kb", [48, 141])
def test_disk_full(mount_dir: Any, free_kb: int) -> None:
    """`campaign run` onto a full disk (while migrating, or while importing): exit 1 naming
    the database, and the store still opens and verifies."""
    folder = mount_dir("full", "200k")
    url = f"sqlite:///{folder / 'x.db'}"
    # the bare schema takes ~123 kB (with the evidence tables of migration 0005) and the
    # published mini campaign ~160 kB: with 48 kB free the migration fails, with 141 kB free
    # the import or a later step does
    vfs = os.statvfs(folder)
    filler = folder / "filler"
    filler.write_bytes(b"\0" * max(0, vfs.f_bavail * vfs.f_frsize - free_kb * 1024))
    r = _cli("--db", url, "--actor", "snv", "campaign", "run", str(MINI))
    assert r.returncode == 1, r.stdout + r.stderr
    _no_traceback(r)
    assert "x.db" in r.stderr and "full" in r.stderr, r.stderr
    print(f"disk full with {free_kb} kB free: {r.stderr.strip().splitlines()[-1]}")
    if free_kb < 123:
        filler.unlink()  # no schema fits: free the disk before opening it again
    if (folder / "x.db").exists():
        summary = check_store(url)
        assert summary["runs"] == 0


# ---------------------------------------------------------------- 4. PostgreSQL connection loss


@pytest.fixture
def pg(pg_url: str) -> str:
    """An empty PostgreSQL store (skipped when no server can be had)."""
    return pg_url


def _terminate(url: str, pid: int) -> None:
    """Terminate one backend from a second connection (as an admin or a crash would)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


def _cut_at(mp: pytest.MonkeyPatch, url: str, nth: int) -> list[int]:
    """Patch ``audit.record`` to terminate the transaction's own backend before its ``nth``
    call (only that backend: other users of the database are left alone)."""
    real = audit.record
    calls: list[int] = []

    def record(session: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == nth:
            pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            _terminate(url, int(pid))
        return real(session, *args, **kwargs)

    mp.setattr(audit, "record", record)
    return calls


def _retry(fn: Any) -> Any:
    """Call ``fn``; a StorageError (connection lost) is retried once."""
    try:
        return fn()
    except StorageError:
        return fn()


@needs_pg
def test_pg_connection_loss_during_import(pg: str) -> None:
    """A PG backend killed mid-import: StorageError (or a retry), nothing half-applied."""
    st = open_store(pg)
    try:
        with pytest.MonkeyPatch.context() as mp:
            calls = _cut_at(mp, pg, 5)
            try:
                imports.import_folder(st, MINI, actor="snv", now=at("2018-11-20"))
                outcome = "succeeded"
            except StorageError as exc:
                outcome = f"StorageError: {exc}"
        assert len(calls) >= 5
        summary = check_store(pg)
        if outcome == "succeeded":
            assert summary["states"] == {CID: "open"}
        else:
            assert summary["entries"] == 0 and summary["states"] == {}, summary
        report = _retry(lambda: imports.import_folder(st, MINI, actor="snv", now=at("2018-11-20")))
        assert not report.errors
        assert check_store(pg)["states"] == {CID: "open"}
    finally:
        st.close()


@needs_pg
@pytest.mark.parametrize("step", ["appraise", "publish"])
def test_pg_connection_loss_during_appraise_and_publish(pg: str, step: str) -> None:
    """A PG backend killed mid-appraisal or mid-publish: refused or retried, never half-applied."""
    _prepare(pg, "round1" if step == "appraise" else "publish")
    st = open_store(pg)
    before = check_store(pg)
    changes = [
        appraisal.AppraisalChange("2.1", Decimal("7.5"), "Chỉ 3 sáng kiến", "tổ"),
        appraisal.AppraisalChange("1.4", Decimal("6"), "Số liệu khác", "tổ"),
    ]

    def act() -> Any:
        if step == "appraise":
            return appraisal.appraise(st, CID, "a", "1", changes, actor="snv", now=at("2018-12-05"))
        return publication.publish(st, CID, actor="snv", now=at("2018-12-21", 11))

    try:
        with pytest.MonkeyPatch.context() as mp:
            _cut_at(mp, pg, 2 if step == "appraise" else 1)
            try:
                act()
                ok = True
            except StorageError as exc:
                ok = False
                assert "database error" in str(exc)
        after = check_store(pg)
        if ok:
            assert after["entries"] > before["entries"]
        else:
            assert after == before, "a lost connection left part of the change stored"
            _retry(act)  # the next call works on a fresh connection
        final = check_store(pg)
        if step == "appraise":
            assert final["appraisals"][("a", "1")] == 2
        else:
            assert final["states"] == {CID: "published"} and final["runs"] == 1
    finally:
        st.close()
