"""The satisfaction index (chỉ số hài lòng), published beside the PAR index.

A unit's satisfaction percentage is the weighted mean of all its counted survey answers × 100:
every answer to every survey item that counts answers (``survey_weighted``) weighs the option
chosen (A = 1, B = 0.6, … as the item's rule says), all answers alike, whichever item they
answer. It is exact (a Fraction) until published, rounded like the index. A unit with no counted
answer (none given, or its survey items not applicable, e.g. below the minimum sample) has none.
A group's figure is the plain mean of its units' percentages, units without one left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from scoring.campaign.ready import NA, Ready
from scoring.index.loader import Index


def unit_satisfaction(index: Index, ready: Ready) -> Fraction | None:
    """The unit's satisfaction percentage, exact; None when it has no counted answer."""
    answers, weighted = 0, Fraction(0)
    for lid, item in index.groups[ready.group].leaves.items():
        if item.node.assessed_by != "survey" or item.handler is None or item.node.rule is None:
            continue
        weights = item.handler.answer_weights(item.node.rule)
        prepared = ready.leaves.get(lid)
        if weights is None or prepared is None or prepared.status == NA:
            continue
        counts = prepared.inputs.get("responses")
        for option, n in (counts or {}).items() if isinstance(counts, dict) else ():
            answers += n
            weighted += n * Fraction(weights[option])
    return None if answers == 0 else weighted * 100 / answers


def group_satisfaction(values: Iterable[Fraction | None]) -> Fraction | None:
    """The mean of the units' percentages that exist; None when no unit has one."""
    known = [v for v in values if v is not None]
    return sum(known, Fraction(0)) / len(known) if known else None
