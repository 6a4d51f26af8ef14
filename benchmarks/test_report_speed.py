"""Speed of the publication reports (pytest-benchmark; compare runs, never assert on time).

Each round is what one ``parindex report langson-2018`` process does after its imports: the
caches the reports keep for a process (charts, font subsets, the Typst compiler, compiled
templates) are emptied first, so no round reuses the work of the one before. CPU and wall time
of each round are printed (run with ``-s``) and saved in ``extra_info``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from scoring.reports import (
    FORMATS,
    Report,
    build,
    charts,
    fonts,
    make_folders,
    outputs,
    pdf,
    write_all,
)
from scoring.reports import html as pages
from scoring.store import cycle
from scoring.store.db import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
AT = dt.datetime(2020, 1, 15, 9, 30, tzinfo=dt.UTC)
_n = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    st = open_store(f"sqlite:///{tmp_path_factory.mktemp('reports')}/r.db")
    cycle.run_cycle(st, ROOT / "samples" / "2018", actor="bench")
    return st


def cold() -> None:
    """Empty every cache the reports keep for a process, as a new process starts."""
    charts.clear_caches()
    fonts.clear_caches()
    pdf._compiler.cache_clear()
    assert pages._ENV.cache is not None
    pages._ENV.cache.clear()


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f} s, median {statistics.median(values):.2f} s"


def test_publication_set_2018(benchmark: Any, store: Store, tmp_path: Path) -> None:
    """The whole 2018 publication set in one process: build the report from the store, then
    the annex, summary and 31 scorecards in HTML and PDF, and the annex in Excel and Word
    (68 files)."""
    cpu: list[float] = []
    wall: list[float] = []

    def run() -> Report:
        cold()
        started, used = time.perf_counter(), time.process_time()
        report = build(store, "langson-2018", generated_at=AT)
        folder = tmp_path / f"out{next(_n)}"
        planned = outputs(report, folder, FORMATS)
        make_folders(folder, planned)
        for _ in write_all(report, planned):
            pass
        cpu.append(time.process_time() - used)
        wall.append(time.perf_counter() - started)
        return report

    report = benchmark.pedantic(run, rounds=3, iterations=1)
    benchmark.extra_info["cpu_seconds"] = [round(x, 3) for x in cpu]
    benchmark.extra_info["wall_seconds"] = [round(x, 3) for x in wall]
    print(f"\nreport set 2018, {len(wall)} rounds: CPU {spread(cpu)}; wall {spread(wall)}")
    assert len(report.scorecards) == 31
    written = list((tmp_path / "out0").rglob("*.*"))
    assert len(written) == 33 * 2 + 2  # HTML and PDF of every page, Excel and Word annex
