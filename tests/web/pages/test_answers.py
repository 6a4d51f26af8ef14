"""The live "where points are lost" rows the unit page's score box shows while a form is typed."""

from __future__ import annotations

import pytest

from scoring import CampaignResult, Index, load_campaign, score_campaign
from scoring.simulation.gaps import gaps
from scoring.web.pages.answers import gap_row
from tests.support.paths import SAMPLES

UNIT = "so-giao-duc-va-dao-tao"


@pytest.fixture(scope="module")
def samples(real_index: Index) -> CampaignResult:
    """The 2018 samples, scored."""
    return score_campaign(real_index, load_campaign(SAMPLES))


def _row(samples: CampaignResult, node: str, lang: str) -> dict[str, object]:
    found = next(g for g in gaps(samples.index, samples, UNIT) if g.node == node)
    return gap_row(found, samples.index.meta.rounding.places, lang)


def test_gap_row_writes_figures_with_a_decimal_comma_at_the_index_places(
    samples: CampaignResult,
) -> None:
    """Points, maximum and what can be won back read 1,31 / 2,00 in Vietnamese, never 34 digits."""
    row = _row(samples, "7.3.2", "vi")
    assert row["points"] == "1,31 / 2,00" and row["recoverable"] == "0,69"
    why = str(row["why"])  # the input in the leaf's own words
    assert "(+0,69)" in why and "Số hồ sơ tiếp nhận, giải quyết trực tuyến mức độ 3, 4 →" in why
    en = _row(samples, "7.3.2", "en")
    assert en["points"] == "1.31 / 2.00" and en["recoverable"] == "0.69"


def test_gap_row_names_a_level_by_its_label_not_its_code(samples: CampaignResult) -> None:
    """The level a unit could reach reads "Đầy đủ, đúng tiến độ", never ``dung-tien-do``."""
    row = _row(samples, "2.4.1", "vi")
    assert "Mức độ đạt được → Đầy đủ, đúng tiến độ (+0,50)" in str(row["why"])
    assert "dung-tien-do" not in str(row) and "level" not in str(row["why"])
    en = _row(samples, "2.4.1", "en")
    assert "Level reached → Fully and on schedule (+0.50)" in str(en["why"])
    assert "dung-tien-do" not in str(en)
