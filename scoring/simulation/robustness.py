"""Rank robustness: a Monte Carlo over the declared uncertainties of a scored campaign.

The survey is a sample and appraisal is judgment. ``robustness`` perturbs every unit's leaf
points ``draws`` times (vectorised with NumPy, seeded), recomputes the index, ranks each group
in every draw with the index's tie policy, and reports per unit its median rank, its 5–95 %
rank interval and the probability of keeping its point rank, and per group the pairs of units
that cannot be told apart. The model of one draw (each part can be switched off with 0):

- **Survey sampling** (``survey_sampling: s``). A ``survey_weighted`` leaf's rate is the mean
  of n per-respondent scores w ∈ [0, 1] (the option weights). It is drawn from the normal
  approximation N(rate, s² · var / n), var the Bessel-corrected sample variance of the scores
  (p(1 − p) when n = 1), so the leaf moves by max × that deviation, clipped to [0, max]. A leaf
  with no respondents stays as it is. ``s`` multiplies the standard error: 1 is the sample's.
- **Appraisal tolerance** (``appraisal_tolerance: {kind: t}``). A leaf of that rule kind moves
  by t × max × U(−1, 1) (``tolerance_distribution: uniform``) or t × max × N(0, 1)
  (``normal``), clipped to [0, max]. Kinds not listed take ``default``.
- **Area weights** (``area_weights: w``). Each area's weight is multiplied by U(1 − w, 1 + w),
  one factor per area and draw shared by the group's units (a weighting scheme, as in
  composite-indicator sensitivity analysis); the index becomes (Σ f·area points + bonus −
  penalty) / Σ f·area max × scale, so full points stay at the top of the scale.

Fixed in every draw: not-applicable and unperturbed leaves, bonuses and penalties (a node-scope
one stays as the difference between its area's points and its leaves'), the unit's applicable
maximum. Each area stays within [0, its applicable max], the points at 0 or more and the index
within [0, scale]. Ranks are taken, as ``ranking.rank`` does, on the index rounded half-up to
``ranking.precision`` and then the ``tie_break`` figures (perturbed, unweighted), competition or
dense: with every uncertainty 0 each draw gives exactly the point ranks. Draws are independent
and each group has its own random stream, spawned from ``seed``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from scoring.errors import Location, SubmissionError, suggest
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult
from scoring.index.kinds import HANDLERS
from scoring.sources.located import validate
from scoring.sources.numbers import CONTEXT, quantize
from scoring.sources.yamlsrc import load_yaml_file

FORMAT = "parindex.robustness/1"
MAX_DRAWS = 1_000_000
LOW, HIGH = 5, 95  # percent: the rank interval, and the bounds of "cannot be told apart"

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _real(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        raise ValueError(f"expected a number, got {v!r}")
    if not math.isfinite(float(v)):
        raise ValueError(f"expected a finite number, got {v!r}")
    return float(v)


def _switch(v: Any) -> float:
    return float(v) if isinstance(v, bool) else _real(v)


Fraction01 = Annotated[float, BeforeValidator(_real), Field(ge=0, le=1)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UncertaintySpec(Frozen):
    """The declared uncertainties (see the module docstring for the model of each)."""

    survey_sampling: Annotated[float, BeforeValidator(_switch), Field(ge=0, le=10)] = 1.0
    appraisal_tolerance: dict[str, Fraction01] = Field(
        default_factory=lambda: {"council_judgment": 0.10, "ordinal_levels": 0.05, "default": 0.0}
    )
    tolerance_distribution: Literal["uniform", "normal"] = "uniform"
    area_weights: Annotated[float, BeforeValidator(_real), Field(ge=0, lt=1)] = 0.0

    @field_validator("appraisal_tolerance")
    @classmethod
    def _known_kinds(cls, v: dict[str, float]) -> dict[str, float]:
        names = [*HANDLERS, "default"]
        for kind in v:
            if kind not in names:
                hint = suggest(kind, names)
                raise ValueError(
                    f"unknown rule kind {kind!r}"
                    + (f" (did you mean {hint!r}?)" if hint else f"; expected one of {names}")
                )
        return v

    def tolerance(self, kind: str | None) -> float:
        """The tolerance of a leaf of ``kind``, as a fraction of its max."""
        t = self.appraisal_tolerance
        return t.get(kind or "", t.get("default", 0.0))

    @classmethod
    def none(cls) -> UncertaintySpec:
        """No uncertainty at all: every draw reproduces the point ranking."""
        return cls(survey_sampling=0.0, appraisal_tolerance={}, area_weights=0.0)


def load_uncertainty(path: Path) -> UncertaintySpec:
    """An uncertainty spec read from a YAML file, or located errors."""
    data, source = load_yaml_file(path)
    if not isinstance(data, dict):
        raise SubmissionError(
            f"expected a mapping of uncertainties (survey_sampling, appraisal_tolerance, "
            f"tolerance_distribution, area_weights), got {type(data).__name__}",
            source.locate(()),
        )
    spec: UncertaintySpec = validate(UncertaintySpec, data, source, SubmissionError)
    return spec


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
            f"draws must be between 1 and {MAX_DRAWS:,}, got {draws}", Location("--draws")
        )
    if isinstance(seed, bool) or seed < 0:
        raise SubmissionError(f"seed must be a whole number >= 0, got {seed}", Location("--seed"))
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


# ---------------------------------------------------------------- one group's arrays


@dataclass(frozen=True)
class _Arrays:
    """A group's ranked units as arrays: U units, L perturbed leaves, A areas, k rank keys."""

    base: Floats  # [U, L] leaf points
    top: Floats  # [U, L] leaf max
    sigma: Floats  # [U, L] survey sampling sd, in points
    tol: Floats  # [U, L] appraisal tolerance, in points
    incidence: Floats  # [L, A] 1 where the leaf is in the area
    area_pts: Floats  # [U, A]
    area_max: Floats  # [U, A]
    content: npt.NDArray[np.bool_]  # [A] the area is in the content block
    offset: Floats  # [U] total-scope bonus − penalty
    keys: Ints  # [U, k] the rank keys at the point (index, then tie-break figures)
    fracs: Floats  # [U, k] the part of each key's scaled value below its integer
    scales: tuple[float, ...]  # [k] 10 ** decimals of each key


def _sampling_sd(step_inputs: Mapping[str, Any], weights: Mapping[str, Decimal]) -> float:
    """The standard error of a survey rate (0..1) from its responses."""
    counts = {k: int(v) for k, v in (step_inputs.get("responses") or {}).items() if k in weights}
    n = sum(counts.values())
    if n == 0:
        return 0.0
    p = sum(c * float(weights[k]) for k, c in counts.items()) / n
    if n == 1:
        var = p * (1 - p)
    else:
        var = sum(c * (float(weights[k]) - p) ** 2 for k, c in counts.items()) / (n - 1)
    return math.sqrt(var / n)


def _key_parts(value: Decimal, places: int) -> tuple[int, float]:
    """``value`` × 10^places + 1/2 split into its integer and its fraction (half-up keys)."""
    shifted = CONTEXT.add(value.scaleb(places, context=CONTEXT), Decimal("0.5"))
    whole = int(shifted.to_integral_value(rounding="ROUND_FLOOR"))
    rest = float(shifted - whole)
    return whole, min(rest, math.nextafter(1.0, 0.0))  # float rounding must not reach 1


def _arrays(result: CampaignResult, ranked: list[UnitResult], spec: UncertaintySpec) -> _Arrays:
    gid = ranked[0].group
    view = result.index.groups[gid]
    meta = result.index.meta
    areas = [a.id for a in view.areas]
    area_of = {item.id: a.id for a in view.areas for item in a.walk()}
    per_unit: list[dict[str, tuple[float, float, float, float]]] = []
    for r in ranked:
        found = {}
        for s in r.trace:
            if s.level != "leaf" or s.points is None or s.applicability != "applicable":
                continue
            sd = 0.0
            rule = view.leaves[s.node].node.rule if s.node in view.leaves else None
            if spec.survey_sampling and s.kind == "survey_weighted" and s.inputs is not None:
                weights = getattr(rule, "weights", {})
                sd = spec.survey_sampling * float(s.max) * _sampling_sd(s.inputs, weights)
            t = spec.tolerance(s.kind) * float(s.max)
            if sd > 0 or t > 0:
                found[s.node] = (float(s.points), float(s.max), sd, t)
        per_unit.append(found)
    leaves = [lid for lid in view.leaves if any(lid in f for f in per_unit)]
    shape = (len(ranked), len(leaves))
    base, top, sigma, tol = (np.zeros(shape) for _ in range(4))
    for i, found in enumerate(per_unit):
        for j, lid in enumerate(leaves):
            if lid in found:
                base[i, j], top[i, j], sigma[i, j], tol[i, j] = found[lid]
    incidence = np.zeros((len(leaves), len(areas)))
    for j, lid in enumerate(leaves):
        incidence[j, areas.index(area_of[lid])] = 1.0
    places, policy = meta.rounding.places, meta.ranking
    figures = [("index", policy.precision), *((k, places) for k in policy.tie_break)]
    parts = [[_key_parts(getattr(r, name), decimals) for name, decimals in figures] for r in ranked]
    return _Arrays(
        base=base,
        top=top,
        sigma=sigma,
        tol=tol,
        incidence=incidence,
        area_pts=np.array([[float(r.nodes[a].points) for a in areas] for r in ranked]),
        area_max=np.array([[float(r.nodes[a].max) for a in areas] for r in ranked]),
        content=np.array([a.block == "content" for a in view.areas]),
        offset=np.array([float(r.bonus - r.penalty) for r in ranked]),
        keys=np.array([[k for k, _ in row] for row in parts], dtype=np.int64),
        fracs=np.array([[f for _, f in row] for row in parts]),
        scales=tuple(10.0**decimals for _, decimals in figures),
    )


# ---------------------------------------------------------------- drawing and ranking


def _draw_keys(
    g: _Arrays, figures: tuple[str, ...], spec: UncertaintySpec, scale: float,
    rng: np.random.Generator, n: int,
) -> Ints:  # fmt: skip
    """The rank keys of ``n`` draws: [n, U, k]."""
    units, leaves = g.base.shape
    noise = np.zeros((n, units, leaves))
    cols = np.flatnonzero(g.sigma.any(axis=0))
    if cols.size:
        noise[:, :, cols] += rng.standard_normal((n, units, cols.size)) * g.sigma[:, cols]
    cols = np.flatnonzero(g.tol.any(axis=0))
    if cols.size:
        shape = (n, units, cols.size)
        if spec.tolerance_distribution == "uniform":
            unit_noise = rng.uniform(-1.0, 1.0, shape)
        else:
            unit_noise = rng.standard_normal(shape)
        noise[:, :, cols] += unit_noise * g.tol[:, cols]
    moved = np.clip(g.base + noise, 0.0, g.top) - g.base  # exactly 0 where nothing moved
    areas = np.clip(g.area_pts + moved @ g.incidence, 0.0, g.area_max)
    d_area = areas - g.area_pts
    raw = g.area_pts.sum(axis=1) + g.offset
    d_points = np.maximum(raw + d_area.sum(axis=2), 0.0) - np.maximum(raw, 0.0)
    max_points = g.area_max.sum(axis=1)
    if spec.area_weights > 0:
        w = spec.area_weights
        f = rng.uniform(1.0 - w, 1.0 + w, (n, 1, g.area_pts.shape[1]))
        num = np.maximum((f * areas).sum(axis=2) + g.offset, 0.0)
        idx = np.clip(num / (f * g.area_max).sum(axis=2) * scale, 0.0, scale)
        d_index = idx - np.clip(np.maximum(raw, 0.0) / max_points * scale, 0.0, scale)
    else:
        idx0 = np.clip(np.maximum(raw, 0.0) / max_points * scale, 0.0, scale)
        d_index = np.clip(idx0 + d_points * scale / max_points, 0.0, scale) - idx0
    deltas = {
        "index": d_index,
        "content": d_area[:, :, g.content].sum(axis=2),
        "survey": d_area[:, :, ~g.content].sum(axis=2),
        "points": d_points,
    }
    out = np.empty((n, units, len(figures)), dtype=np.int64)
    for k, name in enumerate(figures):
        shift = np.floor(g.fracs[:, k] + deltas[name] * g.scales[k]).astype(np.int64)
        out[:, :, k] = g.keys[:, k] + shift
    return out


def _ranks(keys: Ints, dense: bool) -> Ints:
    """Ranks [n, U] from keys [n, U, k]: 1 + the number of units strictly ahead (or of
    distinct keys ahead, for dense ranking)."""
    ahead: npt.NDArray[np.bool_] | None = None
    for k in reversed(range(keys.shape[2])):
        col = keys[:, :, k]
        greater = np.greater(col[:, None, :], col[:, :, None])  # [n, i, j]: j's key beats i's
        if ahead is not None:
            greater |= np.equal(col[:, None, :], col[:, :, None]) & ahead
        ahead = greater
    assert ahead is not None
    if dense:
        same = ~ahead & ~ahead.transpose(0, 2, 1)
        earlier = np.tril(np.ones(same.shape[1:], dtype=bool), -1)
        first = ~np.any(same & earlier, axis=2)  # [n, j]: j is the first unit with its key
        ahead = ahead & first[:, None, :]
    counts: Ints = np.sum(ahead, axis=2, dtype=np.int64)
    return counts + 1


def _group_report(
    result: CampaignResult,
    gid: str,
    units: list[UnitResult],
    spec: UncertaintySpec,
    draws: int,
    rng: np.random.Generator,
) -> GroupRobustness:
    meta = result.index.meta
    places = meta.rounding.places
    ranked = [r for r in units if r.rank is not None]
    n_units = len(ranked)
    hist = np.zeros((n_units, n_units + 1), dtype=np.int64)
    above = np.zeros((n_units, n_units), dtype=np.int64)
    if ranked:
        g = _arrays(result, ranked, spec)
        figures = ("index", *meta.ranking.tie_break)
        chunk = max(1, min(2000, 2**22 // max(n_units * n_units, n_units * g.base.shape[1], 1)))
        done = 0
        while done < draws:
            n = min(chunk, draws - done)
            keys = _draw_keys(g, figures, spec, float(meta.scale), rng, n)
            ranks = _ranks(keys, meta.ranking.tie_policy == "dense")
            flat = np.arange(n_units) * (n_units + 1) + ranks
            hist += np.bincount(flat.ravel(), minlength=hist.size).reshape(hist.shape)
            above += (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
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
