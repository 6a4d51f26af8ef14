"""National-scale benchmark harness: a generated campaign and the competitors of the engine.

Used only by ``benchmarks/test_national_speed.py`` and ``tests/evaluation/test_batch_stream.py``;
nothing in ``scoring`` imports it.

- ``national``: a seeded, deterministic campaign of ``n`` prepared units over every group of
  ``criteria.yaml`` (every rule kind the index uses), with deliberate ties (units that copy
  another unit's answers), missing evidence on evidence-required leaves, not-applicable areas
  (units tagged ``no_procedures``), answers left out, and units' own ``na: true`` answers.
- ``hand_loop``: the floor for Python, a plain loop over the same compiled rules that records
  each leaf's matched band and points as compact tuples.
- ``zen_decisions`` / ``zen_loop``: the same index as GoRules zen-engine decision tables (one
  table per leaf, hit policy "first"), evaluated with its trace on.

``hand_loop`` and ``zen_loop`` return the same shape, one tuple per unit:
``(unit id, sum of the leaf points, [(leaf id, branch, points), ...])`` with every leaf of the
unit's group in order; a leaf left out as not applicable (exempt by a tag, or answered
``na: true``) is ``(leaf id, None, None)``, and a branch whose handler says "not applicable"
(e.g. a zero denominator counted as N/A) has points ``None``. What they leave out, on purpose:
bonuses and penalties, appraisal changes, the "grant_full" strategy of N/A leaves and the
rescale; the sum is the plain sum of the leaf points. The engine of record does all of that;
the comparison is about deciding and scoring leaves, which is where the engines differ.
"""

from __future__ import annotations

import decimal
import json
import random
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from benchmarks.test_scoring_speed import _prepare_all, iter_submissions
from scoring import Ready
from scoring.campaign.submission import Answer, Submission, UnitSpec
from scoring.evaluation.outcomes import leaf_facts
from scoring.index.kinds import MISSING, Branch
from scoring.index.loader import Index, Item
from scoring.sources.numbers import CONTEXT, ZERO

LeafRecord = tuple[str, str | None, Decimal | None]  # (leaf id, branch, points)
UnitRecord = tuple[str, Decimal, list[LeafRecord]]  # (unit id, sum of leaf points, leaves)

if TYPE_CHECKING:
    import zen  # zen-engine: imported when used, so the generator works without it

NA_TAG = "no_procedures"


# ---------------------------------------------------------------- the generated campaign


def _strip_evidence(ans: Answer) -> Answer:
    """The same answer with no evidence reference (as if the unit forgot to attach it)."""
    return Answer.model_validate(
        {k: getattr(ans, k) for k in ans.model_fields_set if k != "evidence"}
    )


def _twin(sub: Submission, of: Submission) -> Submission:
    """``sub``'s unit answering exactly as ``of`` did (same group, tags and answers): a tie."""
    unit = UnitSpec(id=sub.unit.id, name=sub.unit.name, group=of.unit.group, tags=of.unit.tags)
    return Submission(
        unit, answers=dict(of.answers), adjustments=dict(of.adjustments), where=dict(of.where)
    )


def national_submissions(index: Index, n: int, seed: int = 2025) -> list[Submission]:
    """``n`` generated units' answers (not yet checked), seeded; see ``national``."""
    return list(iter_national_submissions(index, n, seed))


def iter_national_submissions(index: Index, n: int, seed: int = 2025) -> Iterator[Submission]:
    """``national_submissions`` one unit at a time: the same units, holding only the last 50
    (the window a tie copies from)."""
    rng = random.Random(seed * 7919 + 1)
    gated = {
        g: [lid for lid, item in view.leaves.items() if item.gated]
        for g, view in index.groups.items()
    }
    window: deque[Submission] = deque(maxlen=50)
    for i, sub in enumerate(iter_submissions(index, n, seed)):  # 15 % no_procedures, ...
        roll = rng.random()
        if roll < 0.10:  # whole areas not applicable: the tag exempts them
            if NA_TAG not in sub.unit.tags:
                sub.unit = sub.unit.model_copy(update={"tags": [*sub.unit.tags, NA_TAG]})
        elif roll < 0.25:  # missing evidence on about half of the evidence-required answers
            for lid in gated[sub.unit.group]:
                ans = sub.answers.get(lid)
                if ans is not None and ans.evidence and rng.random() < 0.5:
                    sub.answers[lid] = _strip_evidence(ans)
        elif roll < 0.35:  # a unit that left a fifth of its answers out
            for lid in list(sub.answers):
                if rng.random() < 0.2:
                    del sub.answers[lid]
                    sub.where.pop(("answer", lid), None)
                    sub.where.pop(("source", lid), None)
        if i >= 10 and rng.random() < 0.08:  # a tie: answers copied from an earlier unit
            same = [s for s in window if s.unit.group == sub.unit.group]
            if same:
                sub = _twin(sub, rng.choice(same))
        window.append(sub)
        yield sub


def national_stream(index: Index, n: int = 12_000, seed: int = 2025) -> Iterator[Submission]:
    """The submissions ``national`` prepares, unchecked and one at a time: the first ``n``
    that ``prepare`` accepts are exactly ``national(index, n, seed)``'s units."""
    return iter_national_submissions(index, n + n // 10 + 10, seed)


def national(index: Index, n: int = 12_000, seed: int = 2025) -> list[Ready]:
    """``n`` generated, prepared units over both groups, deterministic for a given seed.

    On top of ``benchmarks.test_scoring_speed._submissions`` (every rule kind, N/A tags on
    15 %, a few answers left out, evidence missing on 15 % of evidence-required answers,
    ``na: true`` answers where allowed): 10 % more units tagged ``no_procedures``, 15 % with
    evidence stripped from half their evidence-required answers, 10 % with a fifth of their
    answers left out, and 8 % answering exactly as an earlier unit of their group (ties).
    A generated unit that ``prepare`` refuses is dropped, so 10 % more are generated.
    """
    units: list[Ready] = []
    for sub in national_stream(index, n, seed):  # each submission dropped once prepared
        units.extend(_prepare_all(index, [sub]))
        if len(units) == n:
            return units
    raise AssertionError(f"only {len(units)} of {n} generated units are valid")


def leaf_evaluations(index: Index, units: Sequence[Ready]) -> int:
    """How many leaves the units have in all: one leaf step each in every evaluator's trace."""
    per_group = {g: len(view.leaves) for g, view in index.groups.items()}
    return sum(per_group[r.group] for r in units)


# ---------------------------------------------------------------- the hand-written loop

# (status, lo, lo inclusive, hi, hi inclusive, branch id), in the index's branch order
_Band = tuple[str, int | None, bool, int | None, bool, str]
_Points = Callable[[Any, str, Any, Decimal], Decimal | None]


def _bands(branches: Sequence[Branch]) -> tuple[_Band, ...]:
    return tuple((b.status, b.lo, b.lo_incl, b.hi, b.hi_incl, b.id) for b in branches)


def _hand_plan(index: Index) -> dict[str, list[tuple[str, Item, tuple[_Band, ...], _Points]]]:
    plan = {}
    for g, view in index.groups.items():
        rows = []
        for lid, item in view.leaves.items():
            assert item.handler is not None
            rows.append((lid, item, _bands(item.branches), item.handler.points))
        plan[g] = rows
    return plan


def hand_loop(index: Index, units: Sequence[Ready]) -> list[UnitRecord]:
    """Each unit's leaves decided and scored by a plain Python loop (see the module doc).

    Per leaf: the engine's fact (status, encoded value, evidence flag) from
    ``scoring.evaluation.outcomes.leaf_facts``; the first branch whose status matches and
    whose encoded bounds hold; the points from the leaf's handler (0 for "missing", 0 under
    the evidence gate). Nothing is memoised across units: every leaf is decided and scored afresh.
    """
    plan = _hand_plan(index)
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for r in units:
            keys = leaf_facts(index.groups[r.group], r)
            prepared = r.leaves
            records: list[LeafRecord] = []
            total = ZERO
            for lid, item, bands, points in plan[r.group]:
                key = keys.get(lid)
                if key is None:  # exempt by a tag, or answered N/A
                    records.append((lid, None, None))
                    continue
                s, v = key[2], key[3]
                bid = None
                for status, lo, lo_incl, hi, hi_incl, branch in bands:
                    if status != s:
                        continue
                    if lo is not None and (v is None or (v < lo if lo_incl else v <= lo)):
                        continue
                    if hi is not None and (v is None or (v > hi if hi_incl else v >= hi)):
                        continue
                    bid = branch
                    break
                if bid is None:
                    raise AssertionError(f"item {item.code}: no branch holds for {key!r}")
                if bid == MISSING:
                    pts: Decimal | None = ZERO
                else:
                    pts = points(item.node.rule, bid, prepared[lid], item.max)
                if key[4] == 0 and pts is not None:  # evidence required and none given
                    pts = ZERO
                records.append((lid, bid, pts))
                if pts is not None:
                    total += pts
            out.append((r.unit.id, total, records))
    return out


# ---------------------------------------------------------------- zen-engine (GoRules JDM)


def _zen_bound(b: Branch) -> str:
    """A branch's encoded bounds as a zen unary expression on the column's value."""
    lo, hi = b.lo, b.hi
    if lo is None and hi is None:
        return ""  # any value (also none: the statuses without a value)
    if lo is None:
        return f"{'<=' if b.hi_incl else '<'} {hi}"
    if hi is None:
        return f"{'>=' if b.lo_incl else '>'} {lo}"
    if lo == hi and b.lo_incl and b.hi_incl:
        return str(lo)
    return f"{'[' if b.lo_incl else '('}{lo}..{hi}{']' if b.hi_incl else ')'}"


def _zen_table(name: str, item: Item) -> dict[str, Any]:
    """One leaf as a decision table: a row per branch (two for an evidence-gated leaf)."""
    inputs = [
        {"id": "s", "name": "status", "type": "expression", "field": f"{name}.s"},
        {"id": "v", "name": "value", "type": "expression", "field": f"{name}.v"},
    ]
    outputs = [{"id": "b", "name": "branch", "type": "expression", "field": f"{name}.b"}]
    if item.gated:
        inputs.append({"id": "e", "name": "evidence", "type": "expression", "field": f"{name}.e"})
        outputs.append({"id": "g", "name": "gate", "type": "expression", "field": f"{name}.g"})
    rules = []
    for b in item.branches:
        row = {"s": json.dumps(b.status), "v": _zen_bound(b), "b": json.dumps(b.id)}
        if item.gated:  # evidence flag 0: the branch holds and the evidence gate too
            rules.append({"_id": f"{b.id}#evidence_gate", **row, "e": "0", "g": "true"})
            rules.append({"_id": b.id, **row, "e": "", "g": "false"})
        else:
            rules.append({"_id": b.id, **row})
    return {
        "id": name,
        "type": "decisionTableNode",
        "name": item.code,
        "position": {"x": 0, "y": 0},
        "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rules},
    }


def zen_graph(items: Sequence[tuple[str, Item]]) -> dict[str, Any]:
    """A JDM graph: one input node feeding one table per leaf, all merged into one output."""
    nodes: list[dict[str, Any]] = [
        {"id": "in", "type": "inputNode", "name": "unit", "position": {"x": 0, "y": 0}},
        {"id": "out", "type": "outputNode", "name": "leaves", "position": {"x": 0, "y": 0}},
    ]
    edges = []
    for name, item in items:
        nodes.append(_zen_table(name, item))
        edges.append({"id": f"in-{name}", "type": "edge", "sourceId": "in", "targetId": name})
        edges.append({"id": f"{name}-out", "type": "edge", "sourceId": name, "targetId": "out"})
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


@dataclass
class ZenIndex:
    """The index as zen-engine decisions: one graph per group, keyed by the group id."""

    engine: zen.ZenEngine
    decisions: dict[str, zen.ZenDecision]  # group -> the compiled graph
    contents: dict[str, str]  # group -> the JDM document (what the loader serves)
    leaves: dict[str, list[tuple[str, Item]]]  # group -> (field name in the context, leaf)


def zen_decisions(index: Index) -> ZenIndex:
    """Every group's leaves as one JDM graph of decision tables, loaded into a ZenEngine.

    The context of a unit has one object per applicable leaf, ``{"L<i>": {"s": status,
    "v": encoded value, "e": evidence flag}}`` (the same integers the durable-rules facts
    carry); each table reads its leaf's object and writes ``{"L<i>": {"b": branch, "g":
    gate}}``. ``engine.evaluate(group, ...)`` loads the group's graph through the loader.
    """
    import zen

    leaves = {
        g: [(f"L{i}", item) for i, item in enumerate(view.leaves.values())]
        for g, view in index.groups.items()
    }
    contents = {g: json.dumps(zen_graph(items)) for g, items in leaves.items()}
    engine = zen.ZenEngine({"loader": lambda key: contents[key]})
    decisions = {g: engine.create_decision(c) for g, c in contents.items()}
    return ZenIndex(engine, decisions, contents, leaves)


def zen_context(z: ZenIndex, index: Index, r: Ready) -> dict[str, dict[str, Any]]:
    """A unit's zen input: the engine facts of its applicable leaves (N/A leaves left out)."""
    keys = leaf_facts(index.groups[r.group], r)
    ctx: dict[str, dict[str, Any]] = {}
    for name, item in z.leaves[r.group]:
        key = keys.get(item.id)
        if key is None:
            continue
        fact: dict[str, Any] = {"s": key[2]}
        if key[3] is not None:
            fact["v"] = key[3]
        if key[4] is not None:
            fact["e"] = key[4]
        ctx[name] = fact
    return ctx


def zen_loop(
    z: ZenIndex,
    index: Index,
    units: Sequence[Ready],
    trace: bool = True,
    via_engine: bool = False,
) -> list[UnitRecord]:
    """Each unit evaluated by zen-engine with its trace on, then scored like ``hand_loop``:
    the handler's points of the branch zen chose, 0 under the evidence gate zen chose.

    By default the group's compiled ``ZenDecision`` is evaluated (``decision.evaluate(ctx,
    {"trace": True})``), the fastest way measured; ``via_engine`` goes through
    ``engine.evaluate(group, ctx, ...)`` and its loader instead, which loads the graph again
    on every call (about 1.5 ms a unit more here). The trace zen returns holds, per table,
    its whole input and the row that matched; the matched row's ``_id`` is checked against
    the output and the rest is dropped (every table's trace repeats the unit's whole context,
    about 185 KB of JSON a unit: 12,000 of them kept would not fit in memory).
    """
    opts = {"trace": trace}
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for r in units:
            ctx = zen_context(z, index, r)
            if via_engine:
                resp = z.engine.evaluate(r.group, ctx, opts)
            else:
                resp = z.decisions[r.group].evaluate(ctx, opts)
            result = resp["result"]
            tr = resp.get("trace") if trace else None
            prepared = r.leaves
            records: list[LeafRecord] = []
            total = ZERO
            for name, item in z.leaves[r.group]:
                got = result.get(name)
                if got is None:
                    records.append((item.id, None, None))
                    continue
                bid, gated = got["b"], got.get("g", False)
                if tr is not None:
                    row = tr[name]["traceData"]["rule"]["_id"]
                    if row != (f"{bid}#evidence_gate" if gated else bid):
                        raise AssertionError(f"zen trace of {name} says {row}, output {got}")
                if bid == MISSING:
                    pts: Decimal | None = ZERO
                else:
                    assert item.handler is not None
                    pts = item.handler.points(item.node.rule, bid, prepared[item.id], item.max)
                if gated and pts is not None:
                    pts = ZERO
                records.append((item.id, bid, pts))
                if pts is not None:
                    total += pts
            out.append((r.unit.id, total, records))
    return out


# ---------------------------------------------------------------- the engine's own records


def engine_records(index: Index, results: Sequence[Any]) -> list[UnitRecord]:
    """The engine of record's leaf steps in the same shape as ``hand_loop``'s records."""
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for res in results:
            records: list[LeafRecord] = []
            total = ZERO
            for step in res.trace:
                if step.level != "leaf":
                    continue
                pts = step.points if step.applicability == "applicable" else None
                if step.appraisal:
                    raise AssertionError("generated units carry no appraisal")
                records.append((step.node, step.branch, pts))
                if pts is not None:
                    total += pts
            out.append((res.unit_id, total, records))
    return out
