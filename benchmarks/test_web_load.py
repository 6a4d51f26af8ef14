"""The web app under concurrent load on loopback: latency percentiles and throughput.

``parindex serve`` runs in its own process on a copy of the sample store (one uvicorn worker,
SQLite); client threads, each with its own signed-in session, send requests as fast as the
server answers. Measured, per endpoint:

- the form re-score (``POST /api/c/…/u/…/simulate``: a whole self-assessment form scored and
  ranked against the group as it stands), by officers;
- the ranking page (``GET /c/…/ranking``, HTML with charts), by appraisers;
- a sustained mixed run for a fixed time (re-score, unit page, ranking, trace, JSON).

Latency percentiles (p50/p95/p99, ms), requests/s and the error count are in each benchmark's
``extra_info`` and printed. The only assertion is that every request succeeded: a load run
with errors is a bug, a slow one is a figure to compare (``--benchmark-compare``).

Knobs: PARINDEX_LOAD_CLIENTS (default 8), PARINDEX_LOAD_REQUESTS per client (default 40),
PARINDEX_LOAD_SECONDS for the mixed run (default 15).
Run: .venv/bin/python -m pytest benchmarks/test_web_load.py --benchmark-only -s
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.web import CID, OWN, PASSWORD, open_copy
from tests.support.webforms import form

CLIENTS = int(os.environ.get("PARINDEX_LOAD_CLIENTS", "8"))
REQUESTS = int(os.environ.get("PARINDEX_LOAD_REQUESTS", "40"))
SECONDS = float(os.environ.get("PARINDEX_LOAD_SECONDS", "15"))
RESULTS: dict[str, dict[str, float]] = {}


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(folder: Path, cache: str) -> tuple[str, subprocess.Popen[bytes], Any]:
    """``parindex serve`` on a copy of the sample store in ``folder``, with the web cache
    ``cache`` (``campaign``: per campaign; ``store``: the old whole-store version)."""
    open_copy(folder).close()
    port = _port()
    exe = str(Path(sys.executable).with_name("parindex"))
    db = f"sqlite:///{folder / 'web-open.db'}"
    cmd = [exe, "--db", db, "serve", "--port", str(port)]
    log = (folder / "serve.log").open("wb")
    env = dict(os.environ, PARINDEX_WEB_CACHE=cache)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded CI machine imports slowly
    while True:
        try:
            with httpx.Client() as probe:
                if probe.get(f"{url}/healthz").status_code == 200:
                    break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            proc.wait(10)
            log.close()
            why = (folder / "serve.log").read_text()
            raise RuntimeError(f"parindex serve did not start: {why}")
        time.sleep(0.1)
    return url, proc, log


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, proc, log = _serve(tmp_path_factory.mktemp("load"), "campaign")
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


def _client(url: str, user: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    page = c.get("/login")
    token = form(page.text, "/login")["csrf"]
    r = c.post("/login", data={"username": user, "password": PASSWORD, "csrf": token, "next": "/"})
    assert r.status_code in (200, 303), r.text[:300]
    return c


def _run(url: str, user: str, make: Callable[[httpx.Client], Callable[[], httpx.Response]],
         requests: int | None, seconds: float | None) -> dict[str, float]:  # fmt: skip
    """CLIENTS threads each sending requests back to back; latency stats over all of them."""
    clients = [_client(url, user) for _ in range(CLIENTS)]
    senders = [make(c) for c in clients]
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + (seconds or 0)

    def work(send: Callable[[], httpx.Response]) -> None:
        n = 0
        while (requests is not None and n < requests) or (
            seconds is not None and time.monotonic() < stop
        ):
            t0 = time.perf_counter()
            try:
                r = send()
                ok = r.status_code == 200
                why = f"{r.status_code} {r.text[:120]}"
            except httpx.HTTPError as exc:
                ok, why = False, repr(exc)
            dt_ = time.perf_counter() - t0
            with lock:
                times.append(dt_)
                if not ok:
                    errors.append(why)
            n += 1

    threads = [threading.Thread(target=work, args=(s,)) for s in senders]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    for c in clients:
        c.close()
    q = statistics.quantiles(times, n=100, method="inclusive")
    stats = {
        "clients": CLIENTS,
        "requests": len(times),
        "errors": len(errors),
        "seconds": round(wall, 2),
        "req_per_s": round(len(times) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }
    assert not errors, errors[:5]
    return stats


def _simulate(c: httpx.Client) -> Callable[[], httpx.Response]:
    fields = form(c.get(f"/c/{CID}/u/{OWN}").text, "/answers")
    flip = [dict(fields, **{"a:1.1.2:value": v}) for v in ("true", "false")]
    n = iter(range(10**9))

    def send() -> httpx.Response:
        data = flip[next(n) % 2]
        return c.post(f"/api/c/{CID}/u/{OWN}/simulate", data=data,
                      headers={"X-CSRF-Token": fields["csrf"]})  # fmt: skip

    return send


def _ranking(c: httpx.Client) -> Callable[[], httpx.Response]:
    return lambda: c.get(f"/c/{CID}/ranking")


def _mixed(c: httpx.Client) -> Callable[[], httpx.Response]:
    sim = _simulate(c)
    gets = [f"/c/{CID}/u/{OWN}", f"/c/{CID}/u/{OWN}/trace", f"/api/c/{CID}/u/{OWN}"]
    n = iter(range(10**9))

    def send() -> httpx.Response:
        i = next(n) % 4
        return sim() if i == 0 else c.get(gets[i - 1])

    return send


def _record(benchmark: Any, name: str, stats: dict[str, float]) -> None:
    benchmark.extra_info.update(stats)
    RESULTS[name] = stats
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in stats.items()))


def test_load_form_rescore(benchmark: Any, base: str) -> None:
    stats = benchmark.pedantic(_run, args=(base, "canbo", _simulate, REQUESTS, None),
                               rounds=1, iterations=1)  # fmt: skip
    _record(benchmark, "form re-score", stats)


def test_load_ranking_page(benchmark: Any, base: str) -> None:
    stats = benchmark.pedantic(_run, args=(base, "thamdinh", _ranking, REQUESTS, None),
                               rounds=1, iterations=1)  # fmt: skip
    _record(benchmark, "ranking page", stats)


def test_load_sustained_mixed(benchmark: Any, base: str) -> None:
    stats = benchmark.pedantic(_run, args=(base, "canbo", _mixed, None, SECONDS),
                               rounds=1, iterations=1)  # fmt: skip
    _record(benchmark, "sustained mixed", stats)


def test_load_server_still_consistent(base: str) -> None:
    """After the load: the audit chain verifies and nothing was written by the read-only load."""
    c = _client(base, "kiemtoan")
    try:
        page = c.get("/audit")
    finally:
        c.close()
    assert "Chuỗi băm toàn vẹn" in page.text
    if RESULTS:
        print("\nweb load:", RESULTS)


# ---------------------------------------------------------------- reads right after a write

WRITES = int(os.environ.get("PARINDEX_LOAD_WRITES", str(max(2, REQUESTS // 4))))
AFTER_WRITE = {"unit": f"/c/{CID}/u/{OWN}", "campaign": f"/c/{CID}", "ranking": f"/c/{CID}/ranking"}
YES_NO = ("true", "false")
SAVED = os.environ.get("PARINDEX_LOAD_SAVE", ".benchmarks/web_after_write.json")


def _after_writes(url: str, writes: int) -> dict[str, dict[str, float]]:
    """``writes`` times: the officer saves its form (its yes/no answers changed, so its score
    and rank move), then an appraiser opens the unit, campaign and ranking pages; each page's
    latency right after the save, and the save's own."""
    officer, appraiser = _client(url, "canbo"), _client(url, "thamdinh")
    times: dict[str, list[float]] = {"save": [], **{k: [] for k in AFTER_WRITE}}
    try:
        for path in AFTER_WRITE.values():  # warm: the first build is not what is measured
            assert appraiser.get(path).status_code == 200
        for n in range(writes):
            fields = form(officer.get(f"/c/{CID}/u/{OWN}").text, "/answers")
            # a new combination of yes/no answers each time: the unit's figures (and its
            # group's chart) differ from every earlier save, so nothing is found drawn already
            flags = sorted(k for k, v in fields.items() if k.endswith(":value") and v in YES_NO)
            for bit, key in enumerate(flags[:6]):
                fields[key] = "false" if (n + 1) >> bit & 1 else "true"
            t0 = time.perf_counter()
            r = officer.post(f"/c/{CID}/u/{OWN}/answers", data=fields)
            times["save"].append(time.perf_counter() - t0)
            assert r.status_code == 303, r.text[:300]  # saved; the unit page is measured next
            for name, path in AFTER_WRITE.items():
                t0 = time.perf_counter()
                page = appraiser.get(path)
                times[name].append(time.perf_counter() - t0)
                assert page.status_code == 200, page.text[:300]
    finally:
        officer.close()
        appraiser.close()
    out = {}
    for name, ts in times.items():
        q = statistics.quantiles(ts, n=100, method="inclusive") if len(ts) > 1 else ts * 99
        ms = {"p50_ms": q[49], "p95_ms": q[94], "max_ms": max(ts)}
        out[name] = {"n": len(ts), **{k: round(v * 1000, 1) for k, v in ms.items()}}
    return out


def test_load_pages_right_after_a_save(
    benchmark: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Pages right after a save, with the old whole-store cache (any write rebuilds everything)
    and the per-campaign one (the saved unit re-scored), on two servers of the same run."""

    def both() -> dict[str, dict[str, dict[str, float]]]:
        figures = {}
        for cache in ("store", "campaign"):
            url, proc, log = _serve(tmp_path_factory.mktemp(f"after-{cache}"), cache)
            try:
                figures[cache] = _after_writes(url, max(WRITES, 2))
            finally:
                proc.terminate()
                proc.wait(10)
                log.close()
        return figures

    figures = benchmark.pedantic(both, rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    print("\npages right after a save (p50 / p95 ms): whole-store cache → per-campaign cache")
    for name in figures["store"]:
        old, new = figures["store"][name], figures["campaign"][name]
        print(f"  {name:9} {old['p50_ms']:8} / {old['p95_ms']:8}  →  "
              f"{new['p50_ms']:8} / {new['p95_ms']:8}")  # fmt: skip
    path = Path(SAVED)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"writes": max(WRITES, 2), **figures}, indent=1) + "\n")
    print(f"  saved in {path}")
