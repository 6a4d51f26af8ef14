"""Speed of the campaign store (pytest-benchmark; compare runs, never assert on time)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from scoring.store import cycle, publication
from scoring.store.db import open_store

ROOT = Path(__file__).resolve().parent.parent
_n = itertools.count()


def test_campaign_run_2018_into_sqlite(benchmark: Any, tmp_path: Path) -> None:
    """The whole 2018 year (import, submit, two rounds, explanations, publish) into SQLite."""

    def run() -> dict[str, Any]:
        st = open_store(f"sqlite:///{tmp_path / f'b{next(_n)}.db'}")
        try:
            return cycle.run_cycle(st, ROOT / "samples" / "2018", actor="bench")
        finally:
            st.close()

    doc = benchmark.pedantic(run, rounds=3, iterations=1)
    assert sum(len(g["units"]) for g in doc["groups"]) == 31


def test_verify_2018(benchmark: Any, tmp_path: Path) -> None:
    """Recompute the published 2018 results from storage and compare."""
    st = open_store(f"sqlite:///{tmp_path / 'v.db'}")
    cycle.run_cycle(st, ROOT / "samples" / "2018", actor="bench")
    report = benchmark.pedantic(
        publication.verify, args=(st, "langson-2018"), rounds=3, iterations=1
    )
    assert report.problems == []
    st.close()
