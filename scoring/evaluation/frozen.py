"""A unit's complete trace as the batch froze it: compact, and decoded to steps or text later.

``score_units`` ends every unit's scoring with a ``FrozenTrace``: its compact score (node
values per plan position; per leaf the shared outcome tuple, i.e. branch, evidence gate and
points, or a small spec off that path; the bonus, penalty and cap specs; the totals), the
unit's prepared inputs and answers as the batch's snapshot holds them (``inputs.frozen_batch``:
read-only mappings of frozen records) and its frozen appraisal changes. Nothing a caller
changes later reaches it, and it holds no ``Step``: it costs the batch nothing to make.

It decodes, digit for digit, to what the step builders of ``steps`` give (the differential
tests in ``tests/evaluation/test_frozen.py`` compare them on generated indices and samples):

- ``steps()``: the ``Step`` objects. What every unit with the same leaf outcome shares (the
  reasons, rule, notes, maximum) is built once per group plan by the builders themselves
  and copied into each unit's step with its own inputs, evidence and self score.
- ``reasons(lang)`` and ``text(lang)``: each step's one-line reason in Vietnamese or
  English, without making any ``Step`` for the leaves and nodes (most of a trace).

``freeze(result)`` is the one call for "the complete frozen trace of this result": the batch's
own for a batch result, the built steps for a result made some other way (an incremental
re-score).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.campaign.ready import Ready
from scoring.evaluation.compact import CompactScore, GroupPlan
from scoring.evaluation.inputs import Appraisals
from scoring.evaluation.outcomes import Outcome
from scoring.evaluation.steps import (
    Spec,
    adjusted_step,
    adjustment_step,
    cap_step,
    leaf_step,
    na_step,
    node_reasons,
    node_step,
    total_step,
)
from scoring.evaluation.trace import LazySteps, Step, UnitResult
from scoring.index.loader import Index, Item
from scoring.sources.numbers import CONTEXT

LANGS = ("vi", "en")


@dataclass(frozen=True, slots=True, eq=False)
class FrozenTrace:
    """One unit's complete trace as the batch produced it; see the module docstring."""

    index: Index
    plan: GroupPlan
    ready: Ready  # the batch's snapshot: read-only mappings of frozen records
    score: CompactScore
    appraised: Appraisals

    def steps(self) -> list[Step]:
        """Every step of the trace, in order: exactly the step builders' steps."""
        return _decode(self, _step_of_hit, _step_of_leaf, node_step, _step)

    def reasons(self, lang: str = "vi") -> list[str]:
        """Each step's one-line reason, in order, in Vietnamese (``vi``) or English (``en``)."""
        i = _lang(lang) + 1
        return [line[i] for line in self.lines()]

    def text(self, lang: str = "vi") -> str:
        """The trace as text: one line per step, ``node: reason`` (``trace_text``'s)."""
        return "\n".join(_decode(self, *_TEXT[_lang(lang)]))

    def lines(self) -> list[tuple[str, str, str]]:
        """Per step, in order: (node id, reason in Vietnamese, reason in English)."""
        return _decode(self, _line_of_hit, _line_of_leaf, _line_of_node, _line_of_step)


@dataclass(frozen=True, slots=True, eq=False)
class BuiltTrace:
    """The trace of a result not made by a batch (an incremental re-score): steps already
    built, with ``FrozenTrace``'s reading methods."""

    built: tuple[Step, ...]

    def steps(self) -> list[Step]:
        """Every step of the trace, in order."""
        return list(self.built)

    def reasons(self, lang: str = "vi") -> list[str]:
        """Each step's one-line reason, in order, in Vietnamese (``vi``) or English (``en``)."""
        vi = _lang(lang) == 0
        return [s.reason_vi if vi else s.reason_en for s in self.built]

    def text(self, lang: str = "vi") -> str:
        """The trace as text: one line per step, ``node: reason``."""
        return trace_text(self.built, lang)

    def lines(self) -> list[tuple[str, str, str]]:
        """Per step, in order: (node id, reason in Vietnamese, reason in English)."""
        return [(s.node, s.reason_vi, s.reason_en) for s in self.built]


def freeze(result: UnitResult) -> FrozenTrace | BuiltTrace:
    """The complete frozen trace of ``result``: the one its batch produced (no work), or for a
    result made another way its steps, built now."""
    trace = result.trace
    if isinstance(trace, LazySteps) and isinstance(trace.source, FrozenTrace):
        return trace.source
    return BuiltTrace(tuple(trace))


def trace_text(steps: Sequence[Step], lang: str = "vi") -> str:
    """The text ``FrozenTrace.text`` gives, from built steps: one line per step."""
    vi = _lang(lang) == 0
    return "\n".join(f"{s.node}: {s.reason_vi if vi else s.reason_en}" for s in steps)


def _lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return LANGS.index(lang)


# ---------------------------------------------------------------- decoding
#
# One walk over the plan serves steps, node ids and reasons: it calls ``leaf`` for each leaf,
# ``node`` for each area or criterion and ``other`` with a function building any other step
# (bonuses, penalties, adjusted nodes, caps, the total: a few a unit, built by their builders).


def _decode(t: FrozenTrace, hit: Any, leaf: Any, node: Any, other: Any) -> list[Any]:
    with decimal.localcontext(CONTEXT):  # the builders' context, as when the batch scored
        return _walk(t, hit, leaf, node, other)


def _walk(t: FrozenTrace, hit: Any, leaf: Any, node: Any, other: Any) -> list[Any]:
    """The walk; ``hit`` takes a leaf whose shared step is in the book (most leaves), as
    ``(outcome, step, line)``, with the leaf and the unit."""
    plan, s, r = t.plan, t.score, t.ready
    book, outs = plan.book, s.leaves
    out: list[Any] = []
    add = out.append
    maxs = s.maxs or plan.full_max
    special, after, sums, vals = s.special, s.after, s.sums, s.vals
    leaf_no = 0
    for i, item in enumerate(plan.items):
        if plan.children[i] is None:
            o: Any = outs[leaf_no]
            # first by the outcome's identity (a tuple of two ints hashes far faster than the
            # outcome's Decimal): the entry holds the outcome, so its id is not reused
            found = None if o is None else book.get((leaf_no, id(o)))
            if o is not None and (found is None or found[0] is not o):
                found = book.get((leaf_no, o))
                if found is not None and found[0] is not o and _same_digits(found[0][2], o[2]):
                    # the same outcome from a later batch (the engine's memo cleared): this one
                    # is found by identity from now on, and the earlier one's entry goes (it
                    # would keep that outcome alive and the book growing run after run)
                    book.pop((leaf_no, id(found[0])), None)
                    found = book[(leaf_no, o)] = (o, *found[1:])
                if found is not None and found[0] is o:
                    book[(leaf_no, id(o))] = found
            if found is not None and found[0] is o:
                add(hit(found, item, r))
            else:
                add(leaf(plan, leaf_no, item, r, o, special.get(leaf_no)))
            leaf_no += 1
        else:
            add(node(item, sums.get(i, vals[i]), maxs[i]))
        for spec in after.get(i, ()) if after else ():
            if spec[0] == "adjusted":
                add(other(adjusted_step, item, *spec[1:]))
            else:
                add(other(adjustment_step, t.index, r, t.appraised, *spec[1:]))
    for spec in s.tail:
        if spec[0] == "cap":
            add(other(cap_step, *spec[1:]))
        else:
            add(other(adjustment_step, t.index, r, t.appraised, *spec[1:]))
    totals = (s.applicable, s.points, s.value, s.content, s.survey, s.bonus, s.penalty)
    add(other(total_step, t.index, *totals))
    return out


BOOK_LIMIT = 100_000  # shared steps a group plan keeps before it starts afresh


def _shared(
    plan: GroupPlan, j: int, item: Item, r: Ready, out: Outcome | None, spec: Spec | None
) -> Step:
    """The step every unit with this leaf outcome (or not-applicable spec) shares, but for
    its inputs, evidence and self score: built once per group plan by the builders.

    Outcomes are told apart by value (branch, gate, points) and by the points' exponent:
    equal Decimals such as 2.5 and 2.50 compare and hash alike but print differently, so a
    found step whose points differ in exponent is not shared (built for this unit instead)."""
    book = plan.book
    key = (j, out) if out is not None else (j, spec)
    found = book.get(key)
    if found is not None:
        if out is None or found[0] is out or _same_digits(found[0][2], out[2]):
            shared: Step = found[1]
            return shared
        return _build_shared(item, r, out, spec)
    if len(book) >= BOOK_LIMIT:  # many distinct outcomes: bounded, never a leak
        book.clear()
    step = _build_shared(item, r, out, spec)
    texts = (f"{item.id}: {step.reason_vi}", f"{item.id}: {step.reason_en}")
    book[key] = (out, step, (item.id, step.reason_vi, step.reason_en), texts)
    return step


def _same_digits(a: Decimal | None, b: Decimal | None) -> bool:
    return a is b or (a is not None and b is not None and a.as_tuple() == b.as_tuple())


def _build_shared(item: Item, r: Ready, out: Outcome | None, spec: Spec | None) -> Step:
    if out is not None:
        p = r.leaves[item.id]
        return leaf_step(item, r, p, out[0], out[1], out[2], out[2], ())  # type: ignore[arg-type]
    assert spec is not None
    return na_step(item, r, *spec[1:])


def _step_of_hit(found: tuple[Any, Step, Any], item: Item, r: Ready) -> Step:
    return _own(found[1], item, r, r.leaves[item.id].inputs)


def _own(s: Step, item: Item, r: Ready, inputs: Any) -> Step:
    """The shared step ``s`` with this unit's own inputs, evidence and self score."""
    ans = r.answers.get(item.id)
    return Step(
        s.node,
        "leaf",
        s.max,
        s.points,
        s.reason_vi,
        s.reason_en,
        s.rule,
        s.kind,
        s.branch,
        inputs,
        () if ans is None else tuple(ans.evidence),
        ans.self_score if ans else None,
        s.applicability,
        s.notes,
        s.parent,
        (),
    )


def _line_of_hit(found: tuple[Any, Step, Any], item: Item, r: Ready) -> tuple[str, str, str]:
    line: tuple[str, str, str] = found[2]
    return line


def _appraised(spec: Spec | None) -> bool:
    return spec is not None and spec[0] == "leaf"


def _step_of_leaf(
    plan: GroupPlan, j: int, item: Item, r: Ready, out: Outcome | None, spec: Spec | None
) -> Step:
    if _appraised(spec):
        assert spec is not None
        return leaf_step(item, r, r.leaves[item.id], *spec[1:])
    s = _shared(plan, j, item, r, out, spec)
    if out is not None:
        return _own(s, item, r, r.leaves[item.id].inputs)
    return _own(s, item, r, dict(r.leaves[item.id].inputs) or None)


def _step(build: Any, *args: Any) -> Step:
    step: Step = build(*args)
    return step


def _line_of_leaf(
    plan: GroupPlan, j: int, item: Item, r: Ready, out: Outcome | None, spec: Spec | None
) -> tuple[str, str, str]:
    if _appraised(spec):
        assert spec is not None
        step = leaf_step(item, r, r.leaves[item.id], *spec[1:])
    else:
        step = _shared(plan, j, item, r, out, spec)
    return item.id, step.reason_vi, step.reason_en


# a node's two reasons by the exact text of its points and maximum: str() tells 2.5 from 2.50
# as the reasons do, and is cheaper than writing both reasons (most nodes repeat across units)
_NODE_TEXT: dict[tuple[str, str], tuple[str, str]] = {}
NODE_TEXT_LIMIT = 100_000


def _line_of_node(item: Item, pts: Decimal, mx: Decimal) -> tuple[str, str, str]:
    key = (str(pts), str(mx))
    said = _NODE_TEXT.get(key)
    if said is None:
        if len(_NODE_TEXT) >= NODE_TEXT_LIMIT:  # bounded, never a leak
            _NODE_TEXT.clear()
        said = _NODE_TEXT[key] = node_reasons(pts, mx)
    return (item.id, *said)


def _line_of_step(build: Any, *args: Any) -> tuple[str, str, str]:
    step: Step = build(*args)
    return step.node, step.reason_vi, step.reason_en


# ``text``'s walk: each step straight to its line of text in one language; a shared leaf's
# lines and a node's are kept (the book's fourth element, ``_NODE_LINE``)
_NODE_LINE: dict[tuple[str, str, str], tuple[str, str]] = {}


def _text_of_node(item: Item, pts: Decimal, mx: Decimal) -> tuple[str, str]:
    key = (item.id, str(pts), str(mx))
    said = _NODE_LINE.get(key)
    if said is None:
        if len(_NODE_LINE) >= NODE_TEXT_LIMIT:  # bounded, never a leak
            _NODE_LINE.clear()
        vi, en = node_reasons(pts, mx)
        said = _NODE_LINE[key] = (f"{item.id}: {vi}", f"{item.id}: {en}")
    return said


def _text_walkers(i: int) -> tuple[Any, Any, Any, Any]:
    def hit(found: tuple[Any, ...], item: Item, r: Ready) -> str:
        texts: tuple[str, str] = found[3]
        return texts[i]

    def leaf(
        plan: GroupPlan, j: int, item: Item, r: Ready, out: Outcome | None, spec: Spec | None
    ) -> str:
        line = _line_of_leaf(plan, j, item, r, out, spec)
        return f"{line[0]}: {line[i + 1]}"

    def node(item: Item, pts: Decimal, mx: Decimal) -> str:
        return _text_of_node(item, pts, mx)[i]

    def other(build: Any, *args: Any) -> str:
        line = _line_of_step(build, *args)
        return f"{line[0]}: {line[i + 1]}"

    return hit, leaf, node, other


_TEXT = (_text_walkers(0), _text_walkers(1))
