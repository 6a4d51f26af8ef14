"""The index as GoRules zen-engine decision tables: the national benchmark's other engine.

- ``zen_decisions``: every group as one JDM graph, one table per leaf and per bonus/penalty
  of the group (hit policy "first", a row per branch, two for an evidence-gated item),
  loaded into a ``ZenEngine``.
- ``zen_scored``: zen decides every leaf and every claimed bonus/penalty of each unit (trace on
  or off, through ``evaluate_batch`` or the compiled decision), then the unit is scored around
  zen's decisions exactly as the engine of record scores it (``fast_exact.Batch``: points by
  the rule kind's handler, not-applicable strategies and rescale, sums, bonuses and penalties,
  caps, the index), so that zen does the engine's whole work and its totals are checked
  against the engine's on every unit. With its trace on, the trace zen returns is read: each
  table's matched row is checked against its output and kept (a tuple of row ids a unit).
- ``zen_loop``: the leaves only, in ``national.naive_loop``'s shape (tests compare them).
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from benchmarks.fast_exact import Batch, FastScore, Outcome
from benchmarks.national import LeafRecord, UnitRecord
from scoring import Ready
from scoring.evaluation.outcomes import leaf_facts
from scoring.index.kinds import MISSING, Branch
from scoring.index.loader import Index, Item
from scoring.sources.numbers import CONTEXT, ZERO, clamp

if TYPE_CHECKING:
    import zen  # zen-engine: imported when used, so the generator works without it

CHUNK = 100  # units a call of evaluate_batch: 100 traced units' responses are about 18 MB
Scored = tuple[FastScore, tuple[str, ...] | None]  # a unit's score, and zen's matched rows


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


def _zen_table(name: str, code: str, branches: Sequence[Branch], gated: bool) -> dict[str, Any]:
    """One item as a decision table: a row per branch (two for an evidence-gated item)."""
    inputs = [
        {"id": "s", "name": "status", "type": "expression", "field": f"{name}.s"},
        {"id": "v", "name": "value", "type": "expression", "field": f"{name}.v"},
    ]
    outputs = [{"id": "b", "name": "branch", "type": "expression", "field": f"{name}.b"}]
    if gated:
        inputs.append({"id": "e", "name": "evidence", "type": "expression", "field": f"{name}.e"})
        outputs.append({"id": "g", "name": "gate", "type": "expression", "field": f"{name}.g"})
    rules = []
    for b in branches:
        row = {"s": json.dumps(b.status), "v": _zen_bound(b), "b": json.dumps(b.id)}
        if gated:  # evidence flag 0: the branch holds and the evidence gate too
            rules.append({"_id": f"{b.id}#evidence_gate", **row, "e": "0", "g": "true"})
            rules.append({"_id": b.id, **row, "e": "", "g": "false"})
        else:
            rules.append({"_id": b.id, **row})
    return {
        "id": name,
        "type": "decisionTableNode",
        "name": code,
        "position": {"x": 0, "y": 0},
        "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rules},
    }


# (field name in the context, engine code, branches, evidence required)
Table = tuple[str, str, Sequence[Branch], bool]


def zen_graph(tables: Sequence[Table]) -> dict[str, Any]:
    """A JDM graph: one input node feeding one table per item, all merged into one output."""
    nodes: list[dict[str, Any]] = [
        {"id": "in", "type": "inputNode", "name": "unit", "position": {"x": 0, "y": 0}},
        {"id": "out", "type": "outputNode", "name": "leaves", "position": {"x": 0, "y": 0}},
    ]
    edges = []
    for name, code, branches, gated in tables:
        nodes.append(_zen_table(name, code, branches, gated))
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
    tables: dict[str, list[Table]]  # group -> every table: its leaves', then its claims'


def zen_decisions(index: Index) -> ZenIndex:
    """Every group's leaves and bonuses/penalties as one JDM graph, loaded into a ZenEngine.

    The context of a unit has one object per applicable leaf, ``{"L<i>": {"s": status,
    "v": encoded value, "e": evidence flag}}``, and one per claimed bonus/penalty (``"A<k>"``,
    ``k`` its position in the index): the same integers the durable-rules facts carry. Each
    table reads its object and writes ``{"L<i>": {"b": branch, "g": gate}}``.
    ``engine.evaluate(group, ...)`` and ``evaluate_batch`` load the group's graph through the
    engine's static loader; ``decisions`` holds each graph compiled once.
    """
    import zen

    leaves = {
        g: [(f"L{i}", item) for i, item in enumerate(view.leaves.values())]
        for g, view in index.groups.items()
    }
    tables: dict[str, list[Table]] = {}
    for g, rows in leaves.items():
        tables[g] = [(name, it.code, it.branches, it.gated) for name, it in rows]
        for k, a in enumerate(index.adjustments):
            if g in a.groups:
                required = bool(a.spec.evidence and a.spec.evidence.required)
                tables[g].append((f"A{k}", a.code, a.branches, required))
    graphs = {g: zen_graph(t) for g, t in tables.items()}
    contents = {g: json.dumps(d) for g, d in graphs.items()}
    # the static loader: of the loaders tried for evaluate_batch (a callback returning the
    # text or a ZenDecisionContent, static), the fastest, measured on 400 units
    engine = zen.ZenEngine({"loader": {"type": "static", "content": graphs}})
    decisions = {g: engine.create_decision(c) for g, c in contents.items()}
    return ZenIndex(engine, decisions, contents, leaves, tables)


def _fact(status: str, encoded: int | None, flag: int | None) -> dict[str, Any]:
    fact: dict[str, Any] = {"s": status}
    if encoded is not None:
        fact["v"] = encoded
    if flag is not None:
        fact["e"] = flag
    return fact


def zen_context(z: ZenIndex, index: Index, r: Ready) -> dict[str, dict[str, Any]]:
    """A unit's zen input: the engine facts of its applicable leaves (N/A leaves left out) and
    of the bonuses and penalties it claimed."""
    keys = leaf_facts(index.groups[r.group], r)
    ctx: dict[str, dict[str, Any]] = {}
    for name, item in z.leaves[r.group]:
        key = keys.get(item.id)
        if key is not None:
            ctx[name] = _fact(key[2], key[3], key[4])  # type: ignore[arg-type]
    if r.adjustments:
        for k, a in enumerate(index.adjustments):
            p = r.adjustments.get(a.spec.id)
            if p is not None and r.group in a.groups:
                required = bool(a.spec.evidence and a.spec.evidence.required)
                flag = (1 if p.evidence else 0) if required and p.status != MISSING else None
                ctx[f"A{k}"] = _fact(p.status, p.encoded, flag)
    return ctx


def _evaluate(z: ZenIndex, part: Sequence[Ready], ctxs: list[Any], opts: Any) -> list[Any]:
    """zen's responses for a chunk of units: one ``evaluate_batch`` call through the loader."""
    got = z.engine.evaluate_batch(
        [{"key": r.group, "context": c} for r, c in zip(part, ctxs, strict=True)], opts
    )
    out = []
    for res in got:
        if not res.get("success"):
            raise AssertionError(f"zen-engine failed: {res.get('error')}")
        out.append(res["data"])
    return out


def _row(tr: dict[str, Any], name: str, bid: str, gated: bool) -> str:
    """The row zen's trace says matched in table ``name``, checked against its output."""
    row: str = tr[name]["traceData"]["rule"]["_id"]
    if row != (f"{bid}#evidence_gate" if gated else bid):
        raise AssertionError(f"zen trace of {name} says {row}, output {bid}, gate {gated}")
    return row


def zen_scored(
    z: ZenIndex, index: Index, units: Sequence[Ready], trace: bool, batched: bool = True
) -> list[Scored]:
    """Every unit decided by zen-engine and scored around its decisions (see the module doc).

    ``batched``: ``evaluate_batch`` over ``CHUNK`` units at a time, else the group's compiled
    decision unit by unit (``fastest_mode`` measures which is faster here). A leaf's points
    for zen's branch are memoised per call like ``fast_exact``'s outcomes (same key), so both
    sides compute each distinct outcome once.
    """
    batch = Batch(index)
    memo = batch.outcomes
    opts = {"trace": trace}
    out: list[Scored] = []
    with decimal.localcontext(CONTEXT):
        for start in range(0, len(units), CHUNK):
            part = units[start : start + CHUNK]
            ctxs = [zen_context(z, index, r) for r in part]
            if batched:
                resps = _evaluate(z, part, ctxs, opts)
            else:
                decisions = z.decisions
                resps = [
                    decisions[r.group].evaluate(c, opts) for r, c in zip(part, ctxs, strict=True)
                ]
            for r, resp in zip(part, resps, strict=True):
                out.append(_score(batch, memo, z, r, resp, trace))
    return out


def _score(
    batch: Batch, memo: dict[Any, Outcome], z: ZenIndex, r: Ready, resp: Any, trace: bool
) -> Scored:
    """One unit scored around zen's response (its decisions, and its trace when on)."""
    result = resp["result"]
    tr = resp.get("trace") if trace else None
    rows: list[str] = []
    plan = batch.plans[r.group]
    tags = r.unit.tags
    vals = [ZERO] * len(plan.ids)
    changed: list[tuple[int, Decimal]] = []
    outs: list[Outcome | None] = []
    for (name, _), row in zip(z.leaves[r.group], plan.leaves, strict=True):
        pos, lid, code, gated_item, exempt, item, _ = row
        got = result.get(name)
        if got is None:  # left out of the context: exempt by a tag, or answered N/A
            outs.append(None)
            own = not (tags and not exempt.isdisjoint(tags))
            if batch.grants_full(item, tags, own):
                vals[pos] = item.max
            elif item.max:
                changed.append((pos, ZERO))
            continue
        bid, gated = got["b"], bool(got.get("g", False))
        if tr is not None:
            rows.append(_row(tr, name, bid, gated))
        p = r.leaves[lid]
        v = p.value
        gate = (1 if p.evidence else 0) if gated_item and p.status != MISSING else None
        key: tuple[Any, ...] = (code, p.status, p.encoded, gate)
        if v is not None:
            key += (v.numerator, v.denominator)
        o = memo.get(key)
        if o is None:
            assert item.handler is not None
            pts = ZERO if bid == MISSING else item.handler.points(item.node.rule, bid, p, item.max)
            o = memo[key] = (bid, gated, ZERO if gated and pts is not None else pts)
        outs.append(o)
        if o[2] is not None:
            vals[pos] = o[2]
        elif batch.grants_full(item, (), True):
            vals[pos] = item.max
        elif item.max:
            changed.append((pos, ZERO))
    adjs = []
    for k, adj, _, _, _ in plan.adjustments:
        got = result.get(f"A{k}")
        if got is None:
            continue
        bid, gated = got["b"], bool(got.get("g", False))
        if tr is not None:
            rows.append(_row(tr, f"A{k}", bid, gated))
        value = ZERO
        if not gated:
            p = r.adjustments[adj.spec.id]
            pts = adj.handler.points(adj.spec.rule, bid, p, adj.spec.max)
            value = clamp(pts or ZERO, ZERO, adj.spec.max)
        adjs.append((adj, value))
    return batch.finish(plan, r, vals, changed, outs, adjs), (tuple(rows) if trace else None)


def zen_loop(
    z: ZenIndex, index: Index, units: Sequence[Ready], via_engine: bool = False
) -> list[UnitRecord]:
    """Each unit's leaves decided by zen-engine with its trace on and scored like
    ``national.naive_loop``: the handler's points of zen's branch, 0 under zen's evidence gate,
    the matched row of zen's trace checked. ``via_engine`` goes through ``engine.evaluate``
    and its loader instead of the compiled decision."""
    opts = {"trace": True}
    out: list[UnitRecord] = []
    with decimal.localcontext(CONTEXT):
        for r in units:
            ctx = zen_context(z, index, r)
            if via_engine:
                resp = z.engine.evaluate(r.group, ctx, opts)
            else:
                resp = z.decisions[r.group].evaluate(ctx, opts)
            result, tr = resp["result"], resp["trace"]
            records: list[LeafRecord] = []
            total = ZERO
            for name, item in z.leaves[r.group]:
                got = result.get(name)
                if got is None:  # exempt by a tag, or answered N/A
                    records.append((item.id, None, None))
                    continue
                bid, gated = got["b"], bool(got.get("g", False))
                _row(tr, name, bid, gated)
                if bid == MISSING:
                    pts: Decimal | None = ZERO
                else:
                    assert item.handler is not None
                    pts = item.handler.points(item.node.rule, bid, r.leaves[item.id], item.max)
                if gated and pts is not None:
                    pts = ZERO
                records.append((item.id, bid, pts))
                if pts is not None:
                    total += pts
            out.append((r.unit.id, total, records))
    return out


def fastest_mode(z: ZenIndex, index: Index, units: Sequence[Ready], trace: bool) -> dict[str, Any]:
    """Which way of calling zen is faster for these units (each timed once, wall clock):
    ``evaluate_batch`` or the compiled decision unit by unit; the chosen one and both times.
    On this project's 2-core machine the compiled decision won, traced and untraced (400
    units: 0.77 s against 1.38 s for the fastest ``evaluate_batch`` untraced, 1.24 s against
    4.3 s traced), so the benchmark asks on the machine it runs on rather than assuming."""
    import time

    seconds = {}
    for batched in (True, False):
        t = time.perf_counter()
        zen_scored(z, index, units, trace, batched)
        seconds["evaluate_batch" if batched else "decision.evaluate"] = time.perf_counter() - t
    best = min(seconds, key=seconds.__getitem__)
    return {"batched": best == "evaluate_batch", "chosen": best, "seconds": seconds}
