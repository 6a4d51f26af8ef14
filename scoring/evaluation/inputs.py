"""What a unit is scored from besides the index: its prepared answers and appraisal changes.

An ``Appraisal`` is one change an appraiser made to a leaf or a bonus/penalty;
``apply_appraisals`` gives the points after a node's changes, and the changes as trace records.

A batch's trace is built when first read (``results``), from the unit's prepared answers and
its appraisal changes. Those arrive in mappings the caller keeps (``Ready``'s dicts, the
appraisals of a stored campaign, a dict of lists): an appraisal added or an answer replaced
after scoring must not show in a trace whose points never saw it. ``batch.score_units``
therefore scores and traces each unit from a snapshot taken here (``frozen_batch``), once per
unit.

The snapshot costs nothing for what is already frozen: ``ready.prepare`` hands its fresh
dicts over as read-only views (``MappingProxyType``), which are shared as they are; a
``Ready`` made some other way has its mappings copied. An ``Answer`` and a ``Prepared`` are
frozen records (an answer's evidence a tuple), an ``Appraisal`` a frozen dataclass: only the
containers need copying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from scoring.campaign.ready import Ready

V = TypeVar("V")


@dataclass(frozen=True)
class Appraisal:
    """One appraisal change of a leaf or a bonus/penalty: the points the appraiser set."""

    round: str  # "1", "2" or "correction"
    score: Decimal
    reason: str
    appraiser: str
    at: str  # ISO timestamp


Appraisals = Mapping[str, Sequence[Appraisal]]  # node id -> changes, oldest first

NO_APPRAISALS: Appraisals = MappingProxyType({})


def apply_appraisals(
    history: Sequence[Appraisal] | None, computed: Decimal
) -> tuple[Decimal, tuple[dict[str, Any], ...]]:
    """The final points after the appraisal changes, and the changes as trace records."""
    if not history:
        return computed, ()
    records, before = [], computed
    for a in history:
        records.append(
            {
                "round": a.round,
                "from": before,
                "to": a.score,
                "reason": a.reason,
                "appraiser": a.appraiser,
                "at": a.at,
            }
        )
        before = a.score
    return before, tuple(records)


def frozen(m: Mapping[str, V]) -> Mapping[str, V]:
    """``m`` as a read-only mapping nothing else can change: a view of a copy, or ``m``
    itself when it is already a read-only view (taken as one that nobody writes behind)."""
    if m.__class__ is MappingProxyType:
        return m
    return MappingProxyType(dict(m))


def frozen_ready(r: Ready) -> Ready:
    """``r`` with every mapping the trace reads frozen (``r`` itself when they already are)."""
    proxy = MappingProxyType
    if (
        r.leaves.__class__ is proxy
        and r.answers.__class__ is proxy
        and r.adjustments.__class__ is proxy
        and r.adjustment_answers.__class__ is proxy
    ):
        return r
    return Ready(
        r.unit,
        r.group,
        leaves=frozen(r.leaves),
        adjustments=frozen(r.adjustments),
        answers=frozen(r.answers),
        adjustment_answers=frozen(r.adjustment_answers),
        warnings=tuple(r.warnings),
    )


def frozen_appraisals(history: Appraisals | None) -> Appraisals:
    """One unit's appraisal changes per node, as tuples in a read-only mapping."""
    if not history:
        return NO_APPRAISALS
    return MappingProxyType({node: _changes(c) for node, c in history.items()})


def _changes(changes: Sequence[Appraisal]) -> tuple[Appraisal, ...]:
    return changes if isinstance(changes, tuple) else tuple(changes)


def frozen_batch(
    units: Sequence[Ready], appraisals: Mapping[str, Appraisals] | None
) -> tuple[list[Ready], dict[str, Appraisals]]:
    """The units and their appraisal changes (by unit id, only units that have some), frozen."""
    frozen_units = [frozen_ready(r) for r in units]
    if not appraisals:
        return frozen_units, {}
    by_unit: dict[str, Appraisals] = {}
    for r in frozen_units:
        history = appraisals.get(r.unit.id)
        if history:
            by_unit[r.unit.id] = frozen_appraisals(history)
    return frozen_units, by_unit
