"""Interleaved, paired timing: what the national benchmark's table and ratios come from.

A ``Side`` is one way of scoring the same units (a call that returns its output); a pair is
two sides whose ratio is a target. ``run_pairs`` times every pair in each round, its two
sides one right after the other, the order alternating from round to round (A then B, then
B then A), so that both sides of a ratio meet the same machine: a busy minute on a shared
machine slows both. Each timed call gets the same garbage-collector policy: a full collection
before it (not timed), the collector disabled during it, the output dropped after the clock
stops, then the collector enabled again. CPU time (``time.process_time``) and wall time are
both kept; a side timed in two pairs has every timing kept.

Per pair and round the ratio is ``B's time / A's time`` (how many times faster A is); the
report gives each ratio's median and range over the rounds, and each side's leaf evaluations
per second at its median wall time.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Side:
    """One way of scoring the units: ``run`` returns its output, ``check`` (when given) is
    called on the output of its first timed call (untimed) and raises if it is wrong."""

    name: str
    run: Callable[[], Any]
    check: Callable[[Any], None] | None = None
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    checked: bool = False


@dataclass(frozen=True)
class Pair:
    """Two sides and the target on ``B / A`` (e.g. ">= 10", "<= 1.5"), or "" for none."""

    a: Side
    b: Side
    target: str = ""


def timed(side: Side) -> tuple[float, float]:
    """One call of ``side`` under the common collector policy: (CPU seconds, wall seconds)."""
    gc.collect()
    gc.disable()
    try:
        c0, w0 = time.process_time(), time.perf_counter()
        out = side.run()
        c1, w1 = time.process_time(), time.perf_counter()
        if side.check is not None and not side.checked:
            side.check(out)
            side.checked = True
        del out
    finally:
        gc.enable()
    side.cpu.append(c1 - c0)
    side.wall.append(w1 - w0)
    return c1 - c0, w1 - w0


def run_pairs(pairs: Sequence[Pair], rounds: int) -> list[dict[str, list[float]]]:
    """Every pair timed ``rounds`` times, its sides adjacent, alternating which goes first;
    per pair, the per-round ratios ``B / A`` of CPU and of wall time."""
    ratios: list[dict[str, list[float]]] = [{"cpu": [], "wall": []} for _ in pairs]
    for k in range(rounds):
        for pair, got in zip(pairs, ratios, strict=True):
            first, second = (pair.a, pair.b) if k % 2 == 0 else (pair.b, pair.a)
            t1, t2 = timed(first), timed(second)
            ta, tb = (t1, t2) if first is pair.a else (t2, t1)
            got["cpu"].append(tb[0] / ta[0])
            got["wall"].append(tb[1] / ta[1])
    return ratios


def _spread(xs: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


def meets(target: str, value: float) -> bool | None:
    """Whether ``value`` meets a target such as ">= 10" or "<= 1.5" (None: no target)."""
    if not target:
        return None
    op, bound = target.split()
    return value >= float(bound) if op == ">=" else value <= float(bound)


def report(
    pairs: Sequence[Pair], ratios: Sequence[dict[str, list[float]]], units: int, leaves: int
) -> dict[str, Any]:
    """The figures as JSON data: each side's times and rate, each pair's ratios."""
    sides: dict[str, Side] = {}
    for p in pairs:
        sides.setdefault(p.a.name, p.a)
        sides.setdefault(p.b.name, p.b)
    return {
        "units": units,
        "leaf_evaluations": leaves,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "sides": {
            name: {
                "wall_s": _spread(s.wall),
                "cpu_s": _spread(s.cpu),
                "timings": len(s.wall),
                "leaf_per_s": leaves / statistics.median(s.wall),
                "checked_every_unit": s.checked,
            }
            for name, s in sides.items()
        },
        "pairs": [
            {
                "a": p.a.name,
                "b": p.b.name,
                "ratio": "b/a time (a's speed-up over b)",
                "target": p.target,
                "wall": _spread(r["wall"]),
                "cpu": _spread(r["cpu"]),
                "rounds": len(r["wall"]),
                "target_met_by_median_wall": meets(p.target, statistics.median(r["wall"])),
            }
            for p, r in zip(pairs, ratios, strict=True)
        ],
    }


def table(data: dict[str, Any]) -> str:
    """The report as text: one line a side, then one a pair."""
    lines = [
        f"national, like for like: {data['units']:,} units, {data['leaf_evaluations']:,} leaf "
        f"evaluations, {data['machine']['cpus']} CPUs, load {data['machine']['load_average']}",
        f"{'side':<18} {'wall s (median, range)':>26} {'cpu s (median)':>15} {'leaf/s':>11}",
    ]
    for name, s in data["sides"].items():
        w = s["wall_s"]
        lines.append(
            f"{name:<18} {w['median']:>9.3f} ({w['min']:.3f}-{w['max']:.3f}) "
            f"{s['cpu_s']['median']:>14.3f} {s['leaf_per_s']:>11,.0f}"
        )
    lines.append(f"{'pair: a vs b':<34} {'b/a wall (median, range)':>26} {'b/a cpu':>9} target")
    for p in data["pairs"]:
        w, c = p["wall"], p["cpu"]
        met = {True: "met", False: "NOT met", None: ""}[p["target_met_by_median_wall"]]
        lines.append(
            f"{p['a'] + ' vs ' + p['b']:<34} {w['median']:>9.2f} ({w['min']:.2f}-{w['max']:.2f})"
            f"      {c['median']:>9.2f} {p['target']} {met}"
        )
    return "\n".join(lines)


def save(data: dict[str, Any], folder: Path) -> Path:
    """The report written as ``national-<date>-n<units>.json`` in ``folder`` (a temporary
    name first, then renamed, so that no half-written file is left)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"national-{time.strftime('%Y-%m-%d')}-n{data['units']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
