"""Rank robustness: a Monte Carlo over the declared uncertainties of a scored campaign.

``robustness`` perturbs every unit's leaf points ``draws`` times under an ``UncertaintySpec``
(the model of one draw is in ``uncertainty``; vectorised with NumPy, seeded), recomputes the
index, ranks each group in every draw with the index's tie policy, and reports per unit its
median rank, its 5–95 % rank interval and the probability of keeping its point rank, and per
group the pairs of units that cannot be told apart. Ranks are taken, as ``ranking.rank``
does, on the index rounded half-up to ``ranking.precision`` and then the ``tie_break``
figures (perturbed, unweighted), competition or dense: with every uncertainty 0 each draw
gives exactly the point ranks. Draws are independent and each group has its own random
stream, spawned from ``seed``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from scoring.errors import Location, SubmissionError
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult
from scoring.index.fields import Frozen
from scoring.simulation.uncertainty import (
    UncertaintySpec,
    arrays,
    draw_keys,
    load_uncertainty,
    ranks,
)
from scoring.sources.numbers import quantize

__all__ = [
    "MAX_DRAWS",
    "GroupRobustness",
    "Pair",
    "RobustnessReport",
    "UncertaintySpec",
    "UnitRobustness",
    "load_uncertainty",
    "robustness",
]

FORMAT = "parindex.robustness/1"
MAX_DRAWS = 1_000_000
LOW, HIGH = 5, 95  # percent: the rank interval, and the bounds of "cannot be told apart"


class UnitRobustness(Frozen):
    """One unit's rank under uncertainty (ranks ``None`` for a unit that is not ranked)."""

    unit_id: str
    name: str
    index: Decimal  # the point index at the published precision
    point_rank: int | None = None
    median_rank: int | None = None
    low_rank: int | None = None  # 5th percentile: the best end of the interval
    high_rank: int | None = None  # 95th percentile
    p_keep: float | None = None  # share of draws with the point rank or a better one


class Pair(Frozen):
    """Two units (``a`` ahead on points or by name) whose order the uncertainty leaves open."""

    a: str
    b: str
    p_above: float  # share of draws in which a ranks strictly above b
    p_below: float  # b strictly above a
    p_tie: float


class GroupRobustness(Frozen):
    """One group's units under uncertainty, and the pairs whose order is open."""

    id: str
    title_vi: str
    title_en: str | None
    units: tuple[UnitRobustness, ...]
    pairs: tuple[Pair, ...]  # cannot be told apart: no outcome holds in 95 % of the draws


class RobustnessReport(Frozen):
    """What ``robustness`` found: per group, every unit's rank interval and the open pairs."""

    campaign_id: str
    year: int
    index_id: str
    content_hash: str
    draws: int
    seed: int
    spec: UncertaintySpec
    groups: tuple[GroupRobustness, ...]

    def unit(self, unit_id: str) -> UnitRobustness | None:
        """One unit's row, if the report has it."""
        return next((u for g in self.groups for u in g.units if u.unit_id == unit_id), None)

    def for_unit(self, unit_id: str) -> RobustnessReport:
        """The report cut down to one unit and the pairs it is in."""
        groups = tuple(
            g.model_copy(
                update={
                    "units": tuple(u for u in g.units if u.unit_id == unit_id),
                    "pairs": tuple(p for p in g.pairs if unit_id in (p.a, p.b)),
                }
            )
            for g in self.groups
            if any(u.unit_id == unit_id for u in g.units)
        )
        return self.model_copy(update={"groups": groups})

    def document(self) -> dict[str, Any]:
        """The JSON document (``parindex robustness --json``): Decimals as strings."""
        return {"format": FORMAT, **self.model_dump(mode="json")}


def robustness(
    result: CampaignResult, spec: UncertaintySpec, draws: int = 10_000, seed: int = 2018
) -> RobustnessReport:
    """Rank intervals of every unit of ``result`` under ``spec``; pure and reproducible."""
    if isinstance(draws, bool) or not 1 <= draws <= MAX_DRAWS:
        raise SubmissionError(
            f"draws must be between 1 and {MAX_DRAWS:,}, got {draws}",
            Location("--draws"),
            vi=f"số lần rút phải từ 1 đến {MAX_DRAWS:_}, nhận {draws}".replace("_", "."),
        )
    if isinstance(seed, bool) or seed < 0:
        raise SubmissionError(
            f"seed must be a whole number >= 0, got {seed}",
            Location("--seed"),
            vi=f"seed phải là số nguyên từ 0 trở lên, nhận {seed}",
        )
    idx = result.index
    # one stream per group of the index, so a group's draws do not depend on the others
    streams = dict(
        zip(idx.groups, np.random.SeedSequence(seed).spawn(len(idx.groups)), strict=True)
    )
    groups = tuple(
        _group_report(result, gid, units, spec, draws, np.random.default_rng(streams[gid]))
        for gid, units in result.groups.items()
    )
    return RobustnessReport(
        campaign_id=result.campaign_id,
        year=result.year,
        index_id=idx.id,
        content_hash=idx.content_hash,
        draws=draws,
        seed=seed,
        spec=spec,
        groups=groups,
    )


def _group_report(
    result: CampaignResult,
    gid: str,
    units: list[UnitResult],
    spec: UncertaintySpec,
    draws: int,
    rng: np.random.Generator,
) -> GroupRobustness:
    """One group's rank intervals and open pairs over ``draws`` draws."""
    meta = result.index.meta
    places = meta.rounding.places
    ranked = [r for r in units if r.rank is not None]
    n_units = len(ranked)
    hist = np.zeros((n_units, n_units + 1), dtype=np.int64)
    above = np.zeros((n_units, n_units), dtype=np.int64)
    if ranked:
        g = arrays(result, ranked, spec)
        figures = ("index", *meta.ranking.tie_break)
        chunk = max(1, min(2000, 2**22 // max(n_units * n_units, n_units * g.base.shape[1], 1)))
        done = 0
        while done < draws:
            n = min(chunk, draws - done)
            keys = draw_keys(g, figures, spec, float(meta.scale), rng, n)
            drawn = ranks(keys, meta.ranking.tie_policy == "dense")
            flat = np.arange(n_units) * (n_units + 1) + drawn
            hist += np.bincount(flat.ravel(), minlength=hist.size).reshape(hist.shape)
            above += (drawn[:, :, None] < drawn[:, None, :]).sum(axis=0)
            done += n
    cum = hist.cumsum(axis=1)

    def quantile(i: int, pct: int) -> int:
        return int(np.argmax(cum[i] * 100 >= pct * draws))

    rows = []
    for i, r in enumerate(ranked):
        assert r.rank is not None
        rows.append(
            UnitRobustness(
                unit_id=r.unit_id,
                name=r.name,
                index=quantize(r.index, places),
                point_rank=r.rank,
                median_rank=quantile(i, 50),
                low_rank=quantile(i, LOW),
                high_rank=quantile(i, HIGH),
                p_keep=float(cum[i, min(r.rank, n_units)]) / draws,
            )
        )
    rows += [
        UnitRobustness(unit_id=r.unit_id, name=r.name, index=quantize(r.index, places))
        for r in units
        if r.rank is None
    ]
    pairs = []
    for i in range(n_units):
        for j in range(i + 1, n_units):
            a_up, b_up = int(above[i, j]), int(above[j, i])
            if max(a_up, b_up, draws - a_up - b_up) * 100 < HIGH * draws:
                pairs.append(
                    Pair(
                        a=ranked[i].unit_id,
                        b=ranked[j].unit_id,
                        p_above=a_up / draws,
                        p_below=b_up / draws,
                        p_tie=(draws - a_up - b_up) / draws,
                    )
                )
    group = result.index.groups[gid].group
    return GroupRobustness(
        id=gid,
        title_vi=group.title_vi,
        title_en=group.title_en,
        units=tuple(rows),
        pairs=tuple(pairs),
    )
