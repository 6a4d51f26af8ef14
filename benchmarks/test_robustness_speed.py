"""Speed of rank robustness (pytest-benchmark; compare runs, never assert a time).

Target of the performance issue: 10,000 Monte Carlo draws for a province (31 units) under 2 s.

Run:  .venv/bin/python -m pytest benchmarks/test_robustness_speed.py --benchmark-only
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring import CampaignResult, load_campaign, load_index, score_campaign
from scoring.simulation.robustness import UncertaintySpec, robustness

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "2018"


@pytest.fixture(scope="module")
def result() -> CampaignResult:
    """The 2018 samples scored once, outside the timed function."""
    return score_campaign(
        load_index(ROOT / "criteria.yaml", ROOT / "rules"), load_campaign(SAMPLES)
    )


@pytest.mark.parametrize(
    "spec",
    [UncertaintySpec(), UncertaintySpec(area_weights=0.2)],
    ids=["default", "with-area-weights"],
)
def test_robustness_10000_draws_31_units(
    benchmark: Any, result: CampaignResult, spec: UncertaintySpec
) -> None:
    """10,000 draws of every uncertainty for the 31 sample units, ranked per group."""
    report = benchmark.pedantic(
        robustness, args=(result, spec), kwargs={"draws": 10_000}, rounds=5, iterations=1
    )
    assert sum(len(g.units) for g in report.groups) == 31
    benchmark.extra_info["units"] = 31
    benchmark.extra_info["draws"] = 10_000
