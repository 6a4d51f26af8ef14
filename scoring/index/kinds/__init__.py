"""The registry of rule kinds: one handler per kind, the only place that knows a kind.

A kind is a ``Handler`` subclass and the ``RuleSpec`` record of its rules (see ``base`` for
the contract), written in one module of this package and registered here. The rest of
parindex asks the handler (``handler(rule)``) and never names a kind: adding one touches its
module and its test only. ``Rule`` is how ``criteria.yaml`` and ``rules/`` read a rule: its
``kind`` picks the record of the registered handler.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from pydantic import SerializeAsAny, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticKnownError

from scoring.index.kinds.base import (
    MISSING,
    MISSING_BRANCH,
    VALUE,
    AnswerError,
    Branch,
    Choice,
    Handler,
    Input,
    Prepared,
    Problem,
    Proposal,
    RuleSpec,
)
from scoring.index.kinds.choices import Boolean, CompareToLimit, Deadline, OrdinalLevels
from scoring.index.kinds.counts import CountDeduction, CountPoints
from scoring.index.kinds.outside import CouncilJudgment, ExternalValue, SurveyWeighted
from scoring.index.kinds.rates import Proportional, RatioBands, ValueBands

__all__ = [
    "HANDLERS",
    "MISSING",
    "MISSING_BRANCH",
    "VALUE",
    "AnswerError",
    "Branch",
    "Choice",
    "Handler",
    "Input",
    "Prepared",
    "Problem",
    "Proposal",
    "Rule",
    "RuleSpec",
    "every_input",
    "handler",
    "register",
    "unregister",
]

HANDLERS: dict[str, Handler[Any]] = {}


def register(h: Handler[Any]) -> Handler[Any]:
    """Add a kind; refuse one whose name is taken, whose record does not carry its name, or
    an input whose key another kind already reads with another type."""
    if h.kind in HANDLERS:
        raise ValueError(f"rule kind {h.kind!r} is registered already")
    if get_args(h.spec.model_fields["kind"].annotation) != (h.kind,):
        raise ValueError(f"{h.spec.__name__}.kind must be Literal[{h.kind!r}]")
    known = every_input()
    for inp in h.inputs.values():
        other = known.get(inp.key)
        if other is not None and (other.name, other.type) != (inp.name, inp.type):
            raise ValueError(
                f"{h.kind}: input key {inp.key!r} is {other.name} ({other.type}) elsewhere; "
                f"give {inp.name} ({inp.type}) a key of its own"
            )
    HANDLERS[h.kind] = h
    return h


def unregister(kind: str) -> None:
    """Remove a kind (tests that register one of their own undo it so)."""
    del HANDLERS[kind]


def handler(rule: Any) -> Handler[Any]:
    """The handler of a rule record."""
    return HANDLERS[rule.kind]


def every_input() -> dict[str, Input]:
    """Every input any kind reads, by key, in the order the kinds declare them."""
    out: dict[str, Input] = {}
    for h in HANDLERS.values():
        for inp in h.inputs.values():
            out.setdefault(inp.key, inp)
    return out


def _read_rule(value: Any, default: ValidatorFunctionWrapHandler) -> Any:
    """A rule read as the record of its kind, with the errors a pydantic discriminated union
    on ``kind`` gives (located by ``sources.located``), so only the registry lists kinds."""
    if isinstance(value, RuleSpec):
        return value
    if not isinstance(value, dict):
        raise PydanticKnownError("model_attributes_type")
    if "kind" not in value:
        raise PydanticKnownError("union_tag_not_found", {"discriminator": "'kind'"})
    tag = value["kind"]
    h = HANDLERS.get(tag) if isinstance(tag, str) else None
    if h is None:
        expected = ", ".join(repr(k) for k in HANDLERS)
        raise PydanticKnownError(
            "union_tag_invalid",
            {"discriminator": "'kind'", "tag": str(tag), "expected_tags": expected},
        )
    return h.spec.model_validate(value)


# the record of any registered kind; serialised as that record, not as the bare RuleSpec
Rule = Annotated[SerializeAsAny[RuleSpec], WrapValidator(_read_rule)]

for _builtin in (
    Boolean(),
    Deadline(),
    RatioBands(),
    ValueBands(),
    Proportional(),
    CountPoints(),
    CountDeduction(),
    OrdinalLevels(),
    CompareToLimit(),  # before the survey's: the Excel template's columns keep their order
    SurveyWeighted(),
    CouncilJudgment(),
    ExternalValue(),
):
    register(_builtin)
