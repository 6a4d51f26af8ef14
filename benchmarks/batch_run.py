"""The engine of record's batch alone, in a process of its own: for profiling.

``n`` generated units (``benchmarks.national``) are prepared, then scored ``runs`` times with
``score_units`` (the engine's memo cleared before each run, as the national benchmark does;
traces built when read, and not read). Prints one JSON object with each run's seconds.

Profile it with py-spy (in the dev extra), keeping the generation out of the picture by
reading only the stacks under ``score_units``:

    .venv/bin/py-spy record -r 250 -f speedscope -o batch.speedscope.json -- \\
        .venv/bin/python -m benchmarks.batch_run 12000 3

Run:  .venv/bin/python -m benchmarks.batch_run [n] [runs] [jobs]
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.national import national
from scoring import load_index, score_units

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> dict[str, Any]:
    n = int(argv[0]) if argv else 12_000
    runs = int(argv[1]) if len(argv) > 1 else 3
    jobs = int(argv[2]) if len(argv) > 2 else 1
    index = load_index(ROOT / "criteria.yaml", ROOT / "rules")
    units = national(index, n)
    gc.collect()
    seconds = []
    for _ in range(runs):
        index.engine.clear_memo()
        t = time.perf_counter()
        results = score_units(index, units, jobs=jobs)
        seconds.append(round(time.perf_counter() - t, 3))
        assert len(results) == n
        del results
    return {"units": n, "jobs": jobs, "seconds_per_run": seconds}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
