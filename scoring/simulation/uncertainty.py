"""The declared uncertainties of a scored campaign, and one Monte Carlo draw of them.

The survey is a sample and appraisal is judgment. The model of one draw (each part can be
switched off with 0):

- **Survey sampling** (``survey_sampling: s``). A leaf whose rule kind has a sampling error
  (``Handler.sampling_error``: a ``survey_weighted`` leaf's rate is the mean of n
  per-respondent scores) is drawn from the normal approximation N(rate, s² · se²), so the leaf
  moves by max × that deviation, clipped to [0, max]. A leaf with no respondents stays as it
  is. ``s`` multiplies the standard error: 1 is the sample's.
- **Appraisal tolerance** (``appraisal_tolerance: {kind: t}``). A leaf of that rule kind moves
  by t × max × U(−1, 1) (``tolerance_distribution: uniform``) or t × max × N(0, 1)
  (``normal``), clipped to [0, max]. Kinds not listed take ``default``; unless the spec says
  otherwise, each kind takes its own tolerance (``Handler.tolerance``).
- **Area weights** (``area_weights: w``). Each area's weight is multiplied by U(1 − w, 1 + w),
  one factor per area and draw shared by the group's units (a weighting scheme, as in
  composite-indicator sensitivity analysis); the index becomes (Σ f·area points + bonus −
  penalty) / Σ f·area max × scale, so full points stay at the top of the scale.

Fixed in every draw: not-applicable and unperturbed leaves, bonuses and penalties (a node-scope
one stays as the difference between its area's points and its leaves'), the unit's applicable
maximum. Each area stays within [0, its applicable max], the points at 0 or more and the index
within [0, scale]. ``arrays`` lays a group out as NumPy arrays, ``draw_keys`` gives the rank
keys of many draws at once, ``ranks`` ranks them as ``ranking.rank`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BeforeValidator, Field, field_validator

from scoring.errors import SubmissionError, suggest
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult
from scoring.index.fields import Frozen
from scoring.index.kinds import HANDLERS
from scoring.sources.located import validate
from scoring.sources.numbers import CONTEXT
from scoring.sources.yamlsrc import load_yaml_file

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _real(v: Any) -> float:
    """A finite number as a float (YAML reads it as an int or a Decimal)."""
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        raise ValueError(f"expected a number, got {v!r}")
    if not math.isfinite(float(v)):
        raise ValueError(f"expected a finite number, got {v!r}")
    return float(v)


def _switch(v: Any) -> float:
    """A number, or a yes/no read as 1 or 0."""
    return float(v) if isinstance(v, bool) else _real(v)


Fraction01 = Annotated[float, BeforeValidator(_real), Field(ge=0, le=1)]


def _kinds_tolerance() -> dict[str, float]:
    """Each rule kind's own tolerance (``Handler.tolerance``) where it has one, then 0."""
    own = {k: h.tolerance for k, h in sorted(HANDLERS.items()) if h.tolerance}
    return {**own, "default": 0.0}


class UncertaintySpec(Frozen):
    """The declared uncertainties (see the module docstring for the model of each)."""

    survey_sampling: Annotated[float, BeforeValidator(_switch), Field(ge=0, le=10)] = 1.0
    appraisal_tolerance: dict[str, Fraction01] = Field(default_factory=_kinds_tolerance)
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


# ---------------------------------------------------------------- one group's arrays


@dataclass(frozen=True)
class Arrays:
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


def _key_parts(value: Decimal, places: int) -> tuple[int, float]:
    """``value`` × 10^places + 1/2 split into its integer and its fraction (half-up keys)."""
    shifted = CONTEXT.add(value.scaleb(places, context=CONTEXT), Decimal("0.5"))
    whole = int(shifted.to_integral_value(rounding="ROUND_FLOOR"))
    rest = float(shifted - whole)
    return whole, min(rest, math.nextafter(1.0, 0.0))  # float rounding must not reach 1


def arrays(result: CampaignResult, ranked: list[UnitResult], spec: UncertaintySpec) -> Arrays:
    """The arrays of one group's ranked units under ``spec`` (only leaves that may move)."""
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
            item = view.leaves.get(s.node)
            if spec.survey_sampling and item and item.handler and s.inputs is not None:
                error = item.handler.sampling_error(item.node.rule, s.inputs)
                sd = spec.survey_sampling * float(s.max) * error
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
    return Arrays(
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


def draw_keys(
    g: Arrays, figures: tuple[str, ...], spec: UncertaintySpec, scale: float,
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


def ranks(keys: Ints, dense: bool) -> Ints:
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
