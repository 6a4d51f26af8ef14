"""Frozen traces: what reading them costs, against the batch that produced them (issue 18).

On the national benchmark's 12,000 generated units (``benchmarks.national.national``), one run
measures, in CPU time and wall time:

- the batch: ``score_units``, which freezes every unit's complete trace;
- decoding every frozen trace to text (``FrozenTrace.text``, Vietnamese), and its ratio to
  the batch (target: at most 2x);
- reading one unit's trace: as text, and as ``Step`` objects (``FrozenTrace.steps``), each
  unit timed on its own; the mean, median and 95th percentile per unit (targets: text at most
  0.2 ms, steps at most 1 ms).

Figures are printed and saved in ``extra_info``; nothing is asserted on time (the machine
decides the seconds; the ratio is what compares). Every decoded text is checked against the
decoded steps' reasons, so the work timed is the work that is right.

Run:  .venv/bin/python -m pytest benchmarks/test_trace_decode.py --benchmark-only -s
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.national import national
from scoring import Index, Ready, load_index, score_units
from scoring.evaluation.frozen import FrozenTrace, freeze, trace_text

ROOT = Path(__file__).resolve().parent.parent
N_UNITS = 12_000


@pytest.fixture(scope="module")
def index() -> Index:
    return load_index(ROOT / "criteria.yaml", ROOT / "rules")


@pytest.fixture(scope="module")
def units(index: Index) -> list[Ready]:
    return national(index, N_UNITS)


def _clock(run: Callable[[], Any]) -> tuple[Any, float, float]:
    """``run()``'s value, its CPU seconds and its wall seconds (collector as in a batch)."""
    gc.collect()
    c, w = time.process_time(), time.perf_counter()
    out = run()
    return out, time.process_time() - c, time.perf_counter() - w


def _per_unit(traces: list[FrozenTrace], read: Callable[[FrozenTrace], Any]) -> dict[str, float]:
    """Each trace read on its own: mean, median and 95th percentile, in ms a unit."""
    gc.collect()
    times = []
    clock = time.perf_counter_ns
    for t in traces:
        start = clock()
        read(t)
        times.append((clock() - start) / 1e6)
    times.sort()
    return {
        "mean_ms": round(statistics.fmean(times), 4),
        "median_ms": round(times[len(times) // 2], 4),
        "p95_ms": round(times[int(len(times) * 0.95)], 4),
    }


def test_frozen_trace_decoding_12000(benchmark: Any, index: Index, units: list[Ready]) -> None:
    """The batch with its frozen traces, then every trace decoded to text and to steps."""
    got: dict[str, Any] = {}

    def run() -> None:
        index.engine.clear_memo()  # the batch decides its facts afresh, as a first run does
        results, batch_cpu, batch_wall = _clock(lambda: score_units(index, units))
        traces = [freeze(r) for r in results]
        assert all(isinstance(t, FrozenTrace) for t in traces)
        frozen: list[FrozenTrace] = traces  # type: ignore[assignment]
        texts, text_cpu, text_wall = _clock(lambda: [t.text("vi") for t in frozen])
        steps, steps_cpu, steps_wall = _clock(lambda: [t.steps() for t in frozen])
        for text, built in zip(texts, steps, strict=True):
            assert text == trace_text(built, "vi")
        del texts, steps
        got.update(
            units=len(units),
            steps_per_unit=round(sum(len(t.lines()) for t in frozen[:100]) / 100, 1),
            batch_cpu_s=round(batch_cpu, 3),
            batch_wall_s=round(batch_wall, 3),
            text_all_cpu_s=round(text_cpu, 3),
            text_all_wall_s=round(text_wall, 3),
            text_all_over_batch_cpu=round(text_cpu / batch_cpu, 2),
            text_all_over_batch_wall=round(text_wall / batch_wall, 2),
            steps_all_cpu_s=round(steps_cpu, 3),
            steps_all_wall_s=round(steps_wall, 3),
            text_one_unit=_per_unit(frozen, lambda t: t.text("vi")),
            steps_one_unit=_per_unit(frozen, lambda t: t.steps()),
        )

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(got)
    text, steps = got["text_one_unit"], got["steps_one_unit"]
    print(
        f"\nfrozen traces of {got['units']:,} units ({got['steps_per_unit']} steps a unit)\n"
        f"  batch (score_units, traces frozen): {got['batch_cpu_s']} s CPU, "
        f"{got['batch_wall_s']} s wall\n"
        f"  every trace to text: {got['text_all_cpu_s']} s CPU = "
        f"{got['text_all_over_batch_cpu']}x the batch (target <= 2x); wall "
        f"{got['text_all_over_batch_wall']}x\n"
        f"  every trace to steps: {got['steps_all_cpu_s']} s CPU\n"
        f"  one unit as text: mean {text['mean_ms']} ms, median {text['median_ms']} ms, "
        f"p95 {text['p95_ms']} ms (target <= 0.2 ms)\n"
        f"  one unit as steps: mean {steps['mean_ms']} ms, median {steps['median_ms']} ms, "
        f"p95 {steps['p95_ms']} ms (target <= 1 ms)"
    )
