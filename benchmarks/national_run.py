"""The national run, in a process of its own so that its peak RSS is its own.

``n`` generated units (``benchmarks.national.national_stream``) are streamed through
``scoring.evaluation.batch.score_stream`` (prepare and score a chunk at a time), every trace
is built and read (its leaf steps counted), and only a summary of each unit (id, index) is
kept, as a ministry's ranking would. This is repeated ``runs`` times in the one process;
after each run the peak RSS so far and the current RSS are recorded. Printed as one JSON object.

Run:  .venv/bin/python -m benchmarks.national_run [n] [runs] [jobs]
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from benchmarks.national import national_stream
from scoring import Index, load_index
from scoring.evaluation.batch import score_stream

ROOT = Path(__file__).resolve().parent.parent


def rss_kb() -> int:
    """The current resident set size (VmRSS), in KB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def national_run(index: Index, n: int, jobs: int = 1) -> tuple[list[tuple[str, Decimal]], int]:
    """Score ``n`` streamed units with every trace built; the summary and the leaf steps."""
    summary: list[tuple[str, Decimal]] = []
    leaves = 0
    results = score_stream(index, national_stream(index, n), errors={}, jobs=jobs)
    for res in islice(results, n):
        leaves += sum(1 for s in res.trace if s.level == "leaf")
        summary.append((res.unit_id, res.index))
    return summary, leaves


def main(argv: list[str]) -> dict[str, Any]:
    n = int(argv[0]) if argv else 12_000
    runs = int(argv[1]) if len(argv) > 1 else 3
    jobs = int(argv[2]) if len(argv) > 2 else 1
    index = load_index(ROOT / "criteria.yaml", ROOT / "rules")
    out: dict[str, Any] = {"units": n, "jobs": jobs, "rss_kb_index_loaded": rss_kb()}
    peaks, after, seconds, leaves = [], [], [], []
    for _ in range(runs):
        index.engine.clear_memo()  # every run decides its facts afresh
        t = time.perf_counter()
        summary, steps = national_run(index, n, jobs)
        seconds.append(round(time.perf_counter() - t, 2))
        assert len(summary) == n
        leaves.append(steps)
        del summary
        gc.collect()
        peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        after.append(rss_kb())
    out.update(
        peak_rss_kb_per_run=peaks,
        rss_kb_after_each_run=after,
        peak_rss_kb_children=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        seconds_per_run=seconds,
        leaf_steps_per_run=leaves,
    )
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
