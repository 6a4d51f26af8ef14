"""Speed of the publication reports (pytest-benchmark; compare runs, never assert on time)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

from scoring import cycle
from scoring.db import Store, open_store
from scoring.reports import FORMATS, Report, build, charts, outputs, prepare, write_all

ROOT = Path(__file__).resolve().parent.parent
AT = dt.datetime(2020, 1, 15, 9, 30, tzinfo=dt.UTC)
_n = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    st = open_store(f"sqlite:///{tmp_path_factory.mktemp('reports')}/r.db")
    cycle.run_cycle(st, ROOT / "samples" / "2018", actor="bench")
    return st


def test_publication_set_2018(benchmark: Any, store: Store, tmp_path: Path) -> None:
    """The whole 2018 publication set in one process: build the report from the store, then
    the annex, summary and 31 scorecards in HTML, PDF, Excel and Word (100 files)."""

    def run() -> Report:
        charts.profile_svg.cache_clear()  # each round draws its charts again
        charts.distribution_svg.cache_clear()
        report = build(store, "langson-2018", generated_at=AT)
        folder = tmp_path / f"out{next(_n)}"
        planned = outputs(report, folder, FORMATS)
        prepare(folder, planned)
        for _ in write_all(report, planned):
            pass
        return report

    report = benchmark.pedantic(run, rounds=3, iterations=1)
    assert len(report.scorecards) == 31
    written = list((tmp_path / "out0").rglob("*.*"))
    assert len(written) == 33 * 2 + 2  # HTML and PDF of every page, Excel and Word annex
