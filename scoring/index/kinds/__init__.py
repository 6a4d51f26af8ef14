"""The registry of rule kinds: one small handler per kind (see ``base`` for the contract)."""

from __future__ import annotations

from typing import Any

from scoring.index.kinds.base import (
    MISSING,
    MISSING_BRANCH,
    VALUE,
    AnswerError,
    Branch,
    Handler,
    Prepared,
    Problem,
)
from scoring.index.kinds.choices import (
    boolean,
    compare_to_limit,
    council_judgment,
    deadline,
    ordinal_levels,
)
from scoring.index.kinds.measures import (
    count_deduction,
    count_points,
    external_value,
    proportional,
    ratio_bands,
    survey_weighted,
    value_bands,
)

HANDLERS: dict[str, Handler] = {
    h.kind: h
    for h in (
        boolean(),
        deadline(),
        ratio_bands(),
        value_bands(),
        proportional(),
        count_points(),
        count_deduction(),
        ordinal_levels(),
        survey_weighted(),
        council_judgment(),
        external_value(),
        compare_to_limit(),
    )
}

__all__ = [
    "HANDLERS",
    "MISSING",
    "MISSING_BRANCH",
    "VALUE",
    "AnswerError",
    "Branch",
    "Handler",
    "Prepared",
    "Problem",
    "handler",
]


def handler(rule: Any) -> Handler:
    """The handler of a rule record."""
    return HANDLERS[rule.kind]
