"""What-if speed: one changed input, incremental against a full re-score of the unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring import load_campaign, load_index, score_campaign
from scoring.evaluation.ranking import CampaignResult
from scoring.simulation.whatif import parse_change, simulate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result() -> CampaignResult:
    index = load_index(ROOT / "criteria.yaml", ROOT / "rules")
    return score_campaign(index, load_campaign(ROOT / "samples" / "2018"))


@pytest.mark.parametrize("incremental", [True, False], ids=["incremental", "full"])
def test_what_if_one_input(benchmark: Any, result: CampaignResult, incremental: bool) -> None:
    """One changed input of one unit, re-scored with its new rank (a keystroke in a form)."""
    change = parse_change(result.index, result, "so-giao-duc-va-dao-tao", "7.3.3=true")
    w = benchmark(simulate, result.index, result, "so-giao-duc-va-dao-tao", [change], incremental)
    assert w.incremental is incremental
