"""National scale: the engine of record against zen-engine and a hand-written loop, same data.

Every benchmark here scores the SAME 12,000 generated units (``benchmarks.national``) in the
same run, and reports leaf evaluations per second (one per leaf of each unit's group, the
leaf steps of a trace) in ``extra_info``; the last test prints the table and the ratios and
saves them in its ``extra_info``. The issue's targets are ratios read from that table, never
assertions on time:

- the engine of record, traced, at least 10x zen-engine's traced throughput;
- the engine of record within 3x of the hand-written loop;
- peak RSS of the national run under 1 GB and flat across repeated runs (asserted: releasing
  sessions and rulesets is a correctness property, not a speed one). The national run is
  ``benchmarks/national_run.py`` in a process of its own: units streamed through
  ``scoring.evaluation.batch.score_stream``, never all held (the other benchmarks hold 12,000
  prepared units, about 1.4 GB, to time the evaluators on the same data).

Run:  .venv/bin/python -m pytest benchmarks/test_national_speed.py --benchmark-only -s
Save and compare runs: add --benchmark-autosave, later --benchmark-compare
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.national import (
    ZenIndex,
    hand_loop,
    leaf_evaluations,
    national,
    zen_decisions,
    zen_loop,
)
from scoring import Index, Ready, load_index, score_units

ROOT = Path(__file__).resolve().parent.parent
N_UNITS = 12_000
SUBSET = 1_200  # zen on a tenth of the units when the whole would take longer than ZEN_BUDGET
ZEN_BUDGET = 180.0  # seconds
GB_KB = 1024 * 1024  # ru_maxrss is in KB on Linux

# name -> (seconds, units, leaf evaluations) of the best round, filled by the benchmarks
TIMES: dict[str, tuple[float, int, int]] = {}
NOTES: dict[str, str] = {}


@pytest.fixture(scope="module")
def index() -> Index:
    return load_index(ROOT / "criteria.yaml", ROOT / "rules")


@pytest.fixture(scope="module")
def units(index: Index) -> list[Ready]:
    return national(index, N_UNITS)


@pytest.fixture(scope="module")
def zen_index(index: Index) -> ZenIndex:
    pytest.importorskip("zen", reason="zen-engine (GoRules) is not installed")
    return zen_decisions(index)


def _measure(
    benchmark: Any,
    name: str,
    run: Callable[[], int],
    index: Index,
    units: list[Ready],
    rounds: int,
) -> None:
    """Benchmark ``run`` (which returns the leaf steps it produced), keep its best round."""
    leaves = leaf_evaluations(index, units)
    best: list[float] = []

    def timed() -> int:
        gc.collect()  # each round starts from a collected heap: no round pays for another's
        t = time.perf_counter()
        n = run()
        best.append(time.perf_counter() - t)
        return n

    produced = benchmark.pedantic(timed, rounds=rounds, iterations=1)
    assert produced == leaves
    seconds = min(best)
    TIMES[name] = (seconds, len(units), leaves)
    benchmark.extra_info["units"] = len(units)
    benchmark.extra_info["leaf_evaluations"] = leaves
    benchmark.extra_info["seconds"] = round(seconds, 3)
    benchmark.extra_info["leaf_evaluations_per_second"] = round(leaves / seconds)


def _engine_run(index: Index, units: list[Ready], build_traces: bool, jobs: int = 1) -> int:
    index.engine.clear_memo()  # measure the engine, not its memo of earlier rounds
    results = score_units(index, units, jobs=jobs)
    if build_traces:  # traces are built lazily: build every step, as a reader of all would
        return sum(1 for r in results for s in list(r.trace) if s.level == "leaf")
    assert len(results) == len(units)
    return leaf_evaluations(index, units)


def test_memory_national_run_stays_flat(benchmark: Any) -> None:
    """The national run (``benchmarks/national_run.py``) in a fresh process: 12,000 generated
    units streamed through prepare and score, every trace built and read, 3 times; its peak RSS.

    Asserted, as a correctness property of releasing what a run creates (durable sessions,
    rulesets, results), not a speed target: the peak does not grow more than 10 % from run 2
    to run 3, nor does the resident size once a run's results are dropped. The 1 GB target is
    reported. A subprocess, so that the 12,000 units the other benchmarks hold are not in it.
    """
    got: dict[str, Any] = {}

    def run() -> None:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.national_run", str(N_UNITS), "3", "1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        got.update(json.loads(out.stdout))

    benchmark.pedantic(run, rounds=1, iterations=1)
    peaks, after = got["peak_rss_kb_per_run"], got["rss_kb_after_each_run"]
    under = max(peaks) < GB_KB
    benchmark.extra_info.update(got)
    benchmark.extra_info["peak_under_1_gb"] = under
    per_unit = [s / N_UNITS * 1000 for s in got["seconds_per_run"]]
    NOTES["memory"] = (
        f"national run (stream: generate, prepare, score, read every trace; {N_UNITS:,} units): "
        f"peak RSS per run {', '.join(f'{k / 1024:,.0f} MB' for k in peaks)} "
        f"(1 GB target {'met' if under else 'NOT met'}); "
        f"{', '.join(f'{ms:.1f}' for ms in per_unit)} ms a unit end to end"
    )
    print(f"\n{NOTES['memory']}\nresident after each run: {after} KB")
    assert peaks[2] <= peaks[1] * 1.10
    assert after[2] <= after[1] * 1.10


def test_engine_of_record_12000(benchmark: Any, index: Index, units: list[Ready]) -> None:
    """durable-rules, the engine of record: ``score_units`` with its (lazily built) traces."""
    _measure(
        benchmark,
        "engine of record (lazy traces)",
        lambda: _engine_run(index, units, build_traces=False),
        index,
        units,
        rounds=2,
    )


def test_engine_of_record_two_processes_12000(
    benchmark: Any, index: Index, units: list[Ready]
) -> None:
    """The engine of record with ``jobs=2``: forked workers decide half the new facts and
    score half the units (lazy traces, built in the parent when read)."""
    _measure(
        benchmark,
        "engine of record, jobs=2 (lazy traces)",
        lambda: _engine_run(index, units, build_traces=False, jobs=2),
        index,
        units,
        rounds=2,
    )


def test_engine_of_record_traces_built_12000(
    benchmark: Any, index: Index, units: list[Ready]
) -> None:
    """The engine of record with every trace step built (``list(r.trace)`` for every unit)."""
    _measure(
        benchmark,
        "engine of record (traces built)",
        lambda: _engine_run(index, units, build_traces=True),
        index,
        units,
        rounds=2,
    )


def _zen_leaves(z: ZenIndex, index: Index, subset: list[Ready], via_engine: bool = False) -> int:
    return sum(len(recs) for _, _, recs in zen_loop(z, index, subset, via_engine=via_engine))


def test_zen_engine_traced_12000(
    benchmark: Any, index: Index, units: list[Ready], zen_index: ZenIndex
) -> None:
    """zen-engine: one decision table per leaf, hit policy first, evaluated with trace on.

    A first pass over 1,200 units warms zen up and estimates the whole; when the whole would
    take longer than 3 minutes, the 1,200 units are measured instead and the output says so.
    """
    probe = units[:SUBSET]
    t = time.perf_counter()
    _zen_leaves(zen_index, index, probe)
    estimate = (time.perf_counter() - t) * len(units) / len(probe)
    measured = units if estimate <= ZEN_BUDGET else probe
    if measured is probe:
        NOTES["zen"] = f"zen measured on {len(probe):,} units (12,000 estimated {estimate:.0f} s)"
        benchmark.extra_info["scaled_from_subset"] = len(probe)
    _measure(
        benchmark,
        "zen-engine (trace on)",
        lambda: _zen_leaves(zen_index, index, measured),
        index,
        measured,
        rounds=1,
    )


def test_zen_engine_through_loader_1200(
    benchmark: Any, index: Index, units: list[Ready], zen_index: ZenIndex
) -> None:
    """For reference: zen through ``engine.evaluate(key, …)`` and its loader (1,200 units)."""
    probe = units[:SUBSET]
    _measure(
        benchmark,
        "zen-engine via engine.evaluate(key) (trace on)",
        lambda: _zen_leaves(zen_index, index, probe, via_engine=True),
        index,
        probe,
        rounds=1,
    )


def test_hand_loop_12000(benchmark: Any, index: Index, units: list[Ready]) -> None:
    """The floor for Python: a hand-written loop recording each leaf's band and points."""
    _measure(
        benchmark,
        "hand-written loop",
        lambda: sum(len(recs) for _, _, recs in hand_loop(index, units)),
        index,
        units,
        rounds=3,
    )


def test_zz_summary(benchmark: Any, index: Index, units: list[Ready], zen_index: ZenIndex) -> None:
    """Print leaf evaluations per second of each, and the ratios (saved in extra_info)."""
    wanted: dict[str, Callable[[], int]] = {
        "engine of record (lazy traces)": lambda: _engine_run(index, units, False),
        "engine of record (traces built)": lambda: _engine_run(index, units, True),
        "hand-written loop": lambda: sum(len(x[2]) for x in hand_loop(index, units)),
    }
    for name, run in wanted.items():  # when run alone (-k), time the missing ones here
        if name not in TIMES:
            t = time.perf_counter()
            run()
            TIMES[name] = (time.perf_counter() - t, len(units), leaf_evaluations(index, units))
    if "zen-engine (trace on)" not in TIMES:
        probe = units[:SUBSET]
        t = time.perf_counter()
        _zen_leaves(zen_index, index, probe)
        TIMES["zen-engine (trace on)"] = (
            time.perf_counter() - t,
            len(probe),
            leaf_evaluations(index, probe),
        )
        NOTES["zen"] = f"zen timed here on {len(probe):,} units"

    def summary() -> dict[str, float]:
        rate = {name: leaves / s for name, (s, _, leaves) in TIMES.items()}
        zen_rate, hand = rate["zen-engine (trace on)"], rate["hand-written loop"]
        out = {f"leaf_evaluations_per_second[{k}]": round(v) for k, v in rate.items()}
        engines = [k for k in rate if k.startswith("engine of record")]
        for name in engines:
            out[f"ratio engine/zen [{name}] (target >= 10)"] = round(rate[name] / zen_rate, 3)
            out[f"ratio hand/engine [{name}] (target <= 3)"] = round(hand / rate[name], 3)
        return out

    ratios = benchmark.pedantic(summary, rounds=1, iterations=1)
    benchmark.extra_info.update(ratios)
    lines = [
        "",
        f"{'evaluator':<48} {'units':>7} {'leaves':>9} {'seconds':>8} {'leaves/s':>11}"
        f" {'ms/unit':>8}",
    ]
    for name, (s, n, leaves) in TIMES.items():
        lines.append(
            f"{name:<48} {n:>7,} {leaves:>9,} {s:>8.2f} {leaves / s:>11,.0f} {s / n * 1000:>8.3f}"
        )
    lines += [f"{k}: {v}" for k, v in ratios.items() if k.startswith("ratio")]
    lines += [f"note: {v}" for v in NOTES.values()]
    print("\n".join(lines))
