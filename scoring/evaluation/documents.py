"""The documented JSON shapes of results (``parindex score --json``, ``explain --json``).

Published numbers are rounded half-up to the index's ``rounding.places``; ``index_exact`` keeps
the unrounded index for auditors. Every Decimal is a string, so no reader loses precision.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from scoring.errors import ParindexError
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.satisfaction import group_satisfaction, unit_satisfaction
from scoring.evaluation.trace import Step, UnitResult, to_jsonable
from scoring.sources.numbers import fmt, quantize, to_decimal

SCORE_FORMAT = "parindex.score/1"
TRACE_FORMAT = "parindex.trace/1"


def unit_document(
    r: UnitResult, places: int, satisfaction: Fraction | None = None
) -> dict[str, Any]:
    """One unit's published figures (``satisfaction``: its satisfaction percentage, exact)."""

    def q(x: Any) -> str:
        return fmt(quantize(x, places))

    return {
        "unit_id": r.unit_id,
        "name": r.name,
        "group": r.group,
        "rank": r.rank,
        "ranked": r.ranked,
        "points": q(r.points),
        "max_points": q(r.max_points),
        "index": q(r.index),
        "index_exact": fmt(r.index),
        "classification": to_jsonable(r.classification),
        "content": q(r.content),
        "survey": q(r.survey),
        "bonus": q(r.bonus),
        "penalty": q(r.penalty),
        "areas": [
            {
                "id": a,
                "title_vi": r.nodes[a].title_vi,
                "title_en": r.nodes[a].title_en,
                "points": q(r.nodes[a].points),
                "max": q(r.nodes[a].max),
                "full_max": q(r.nodes[a].full_max),
            }
            for a in r.areas
        ],
        "satisfaction": percent(satisfaction, places),
        "warnings": list(r.warnings),
    }


def percent(x: Fraction | None, places: int) -> str | None:
    """A satisfaction percentage as published (rounded like the index), or None."""
    return None if x is None else fmt(quantize(to_decimal(x), places))


def error_document(unit: str, errors: list[ParindexError]) -> dict[str, Any]:
    """A unit that could not be scored, with its errors as text."""
    return {"unit_id": unit, "errors": [str(e) for e in errors]}


def score_document(result: CampaignResult) -> dict[str, Any]:
    """The whole campaign's published figures, per group in rank order."""
    meta = result.index.meta
    places = meta.rounding.places
    sat = {
        r.unit_id: (
            unit_satisfaction(result.index, result.ready[r.unit_id])
            if r.unit_id in result.ready
            else None
        )
        for results in result.groups.values()
        for r in results
    }
    return {
        "format": SCORE_FORMAT,
        "campaign": result.campaign_id,
        "year": result.year,
        "index": {
            "id": meta.id,
            "content_hash": result.index.content_hash,
            "scale": fmt(meta.scale),
            "rounding": {"places": places, "mode": meta.rounding.mode},
            "ranking": to_jsonable(meta.ranking),
        },
        "groups": [
            {
                "id": gid,
                "title_vi": result.index.groups[gid].group.title_vi,
                "title_en": result.index.groups[gid].group.title_en,
                "satisfaction": percent(
                    group_satisfaction(sat[r.unit_id] for r in results), places
                ),
                "units": [unit_document(r, places, sat[r.unit_id]) for r in results],
            }
            for gid, results in result.groups.items()
        ],
        "errors": [error_document(u, e) for u, e in sorted(result.errors.items())],
    }


def trace_document(
    result: UnitResult, steps: tuple[Step, ...], index_id: str, content_hash: str, node: str | None
) -> dict[str, Any]:
    """One unit's trace (whole, or below ``node``)."""
    return {
        "format": TRACE_FORMAT,
        "index": {"id": index_id, "content_hash": content_hash},
        "unit_id": result.unit_id,
        "name": result.name,
        "group": result.group,
        "node": node,
        "steps": [to_jsonable(s) for s in steps],
    }
