"""The 2018 sample reproduces Lạng Sơn's published decision (QĐ 2633/QĐ-UBND, 21/12/2018).

``parindex campaign run samples/2018`` runs the year into a fresh store (submission, both
appraisal rounds, explanations, publication); every unit's published index at one decimal,
its group, its position in the list and the list's order must be the decision's, which
``samples/2018/published-decision.csv`` holds as published (one decimal, in published order,
ties listed alphabetically).
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run
from tests.support.paths import SAMPLES

DECISION = SAMPLES / "published-decision.csv"
# the decision abbreviates three names that the campaign writes in full
ABBREVIATED = {
    "Sở Nông nghiệp và PTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "Ban Quản lý Khu KTCK Đồng Đăng - Lạng Sơn": (
        "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"
    ),
    "Sở Lao động, Thương binh và Xã hội": "Sở Lao động - Thương binh và Xã hội",
}
ONE = Decimal("0.1")


def one_decimal(x: Decimal) -> Decimal:
    """A figure as the decision prints it: one decimal, half up."""
    return x.quantize(ONE, rounding=ROUND_HALF_UP)


def decision() -> dict[str, list[tuple[int, str, Decimal]]]:
    """The decision's lists per group: (position, unit name as the campaign writes it, score)."""
    out: dict[str, list[tuple[int, str, Decimal]]] = {}
    with DECISION.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = ABBREVIATED.get(row["unit"], row["unit"])
            out.setdefault(row["group"], []).append(
                (int(row["position"]), name, Decimal(row["score"]))
            )
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The published ranking of ``parindex campaign run samples/2018 --json`` on a new store."""
    db = f"sqlite:///{tmp_path_factory.mktemp('published-2018') / 'p.db'}"
    r = run("--db", db, "--actor", "snv", "campaign", "run", str(SAMPLES), "--json")
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def test_the_decision_file_is_the_published_list() -> None:
    """The copied decision lists 20 departments and 11 districts, positions 1..n, scores
    descending within a group, with its three ties (86.9 ×2, 86.8 ×3, 84.2 ×2)."""
    lists = decision()
    assert {g: len(rows) for g, rows in lists.items()} == {"department": 20, "district": 11}
    ties = []
    for group, rows in lists.items():
        assert [p for p, _n, _s in rows] == list(range(1, len(rows) + 1))
        scores = [s for _p, _n, s in rows]
        assert scores == sorted(scores, reverse=True)
        ties += [(group, s, scores.count(s)) for s in sorted(set(scores)) if scores.count(s) > 1]
    assert sorted(ties) == [
        ("department", Decimal("86.8"), 3),
        ("department", Decimal("86.9"), 2),
        ("district", Decimal("84.2"), 2),
    ]


def test_campaign_run_publishes_the_decision(published: dict[str, Any]) -> None:
    """Every unit's published index at one decimal, its group, position and the order of each
    list are the decision's (QĐ 2633/QĐ-UBND)."""
    assert published["campaign"] == "langson-2018" and not published["errors"]
    assert published["run"]["kind"] == "publish"
    got = {
        g["id"]: [
            (position, u["name"], one_decimal(Decimal(u["index_exact"])))
            for position, u in enumerate(g["units"], start=1)
        ]
        for g in published["groups"]
    }
    assert got == decision()


def test_the_two_decimal_index_rounds_to_the_same_figure(published: dict[str, Any]) -> None:
    """The index at two decimals (what the tables show) rounds to the decision's figure too,
    so no reader who rounds the shown figure again gets another one."""
    want = {name: s for rows in decision().values() for _p, name, s in rows}
    for g in published["groups"]:
        for u in g["units"]:
            assert one_decimal(Decimal(u["index"])) == want[u["name"]], u["name"]


def test_ties_share_a_competition_rank(published: dict[str, Any]) -> None:
    """Units with the same one-decimal figure share a rank, and the next rank is skipped
    (competition ranking at the decision's precision: 1, 2, 2, 4, 4, 4, 7, ...)."""
    for g in published["groups"]:
        figures = [one_decimal(Decimal(u["index_exact"])) for u in g["units"]]
        for u, figure in zip(g["units"], figures, strict=True):
            assert u["rank"] == 1 + sum(1 for f in figures if f > figure), u["name"]
    ranks = [u["rank"] for u in published["groups"][0]["units"]]
    assert ranks[:9] == [1, 2, 2, 4, 4, 4, 7, 8, 9]


def test_the_sample_folder_holds_the_decision_the_generator_calibrates_to() -> None:
    """samples/2018/published-decision.csv is the generator's copy of the decision, byte for
    byte (the generator reads tools/samplegen/langson-2018-published.csv)."""
    source = Path(__file__).resolve().parents[2] / "tools" / "samplegen"
    assert DECISION.read_bytes() == (source / "langson-2018-published.csv").read_bytes()
