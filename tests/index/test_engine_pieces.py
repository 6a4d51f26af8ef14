"""The engine decides one value per piece of the value line (``RuleEngine.pieces``): proven
against deciding every exact value, on the engine alone and on whole scored campaigns."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Index, dumps, score_units
from scoring.index.engine import RuleEngine
from scoring.index.kinds import Branch
from scoring.index.loader import Item
from tests.support.generate import random_answers, random_index
from tests.support.indexes import index_from_text, ready
from tests.support.reference import reference_score

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BOUNDS = st.none() | st.integers(-6, 6).map(lambda x: 2 * x)  # encoded bounds are even


@st.composite
def _branches(draw: st.DrawFn) -> dict[str, list[Branch]]:
    """Items whose branches have any bounds, inclusive or not, overlapping or leaving gaps."""
    out: dict[str, list[Branch]] = {}
    for c in range(draw(st.integers(1, 3))):
        bs = []
        for b in range(draw(st.integers(1, 5))):
            status = draw(st.sampled_from(["value", "value", "other"]))
            lo, lo_incl, hi, hi_incl = draw(st.tuples(BOUNDS, st.booleans(), BOUNDS, st.booleans()))
            bs.append(Branch(f"b{b}", "", "", status, lo, lo_incl, hi, hi_incl))
        # durable refuses a batch with a fact no rule matches: one rule per status takes all
        out[f"c{c}"] = [*bs, *(Branch(f"all_{s}", "", "", s) for s in {b.status for b in bs})]
    return out


@SETTINGS
@given(decisions=_branches(), data=st.data())
def test_piece_decisions_equal_exact_decisions(
    decisions: dict[str, list[Branch]], data: st.DataObject
) -> None:
    """For every value on a bound, one off it, between two bounds, beyond both ends (and any
    other), with any evidence flag, the rules that fire for the piece's representative are the
    rules that fire for the exact value: durable-rules decides both."""
    engine = RuleEngine("pieces", decisions, gates=["c0"])
    try:
        keys = []
        for code, bs in decisions.items():
            for status in {b.status for b in bs}:
                cuts = {x for b in bs if b.status == status for x in (b.lo, b.hi) if x is not None}
                values = {c + d for c in cuts for d in (-3, -2, -1, 0, 1, 2, 3)}
                values |= set(data.draw(st.lists(st.integers(-20, 20), max_size=5)))
                for v in [*sorted(values), None]:
                    for e in (None, 0, 1):
                        keys.append(("in", code, status, v, e))
        engine.pieces = False
        exact = engine.decide(keys)
        assert engine.facts_decided == len(keys)
        engine.clear_memo()
        engine.pieces = True
        assert engine.decide(keys) == exact
        assert engine.facts_decided <= len(keys)
    finally:
        engine.close()


def _edge(rng: random.Random, item: Item) -> dict[str, Any] | None:
    """An answer whose value lies on one of the item's bounds or just beside it."""
    rule = item.node.rule
    assert rule is not None
    cuts = sorted({x for b in item.branches for x in (b.lo, b.hi) if x is not None})
    if not cuts:
        return None
    at = Fraction(rng.choice(cuts), 2000)  # the bound as a value (encode: 2 * 1000 * x)
    k = rule.kind
    if k in ("value_bands", "external_value"):
        lo, hi = rule.range
        off = rng.choice([Decimal(0), Decimal("0.001"), Decimal("0.0005"), Decimal("0.0001")])
        v = Decimal(at.numerator) / Decimal(at.denominator) + rng.choice([-1, 1]) * off
        return {"value": min(max(v, lo), hi)}
    if k in ("ratio_bands", "proportional"):
        den = rng.choice([100_000, 300_000, 7])
        num = int(at * den / 100) + rng.choice([-1, 0, 0, 1])
        return {"numerator": min(max(num, 0), den), "denominator": den}
    if k in ("count_points", "count_deduction"):
        return {"count": max(0, int(at) + rng.choice([-1, 0, 0, 1]))}
    if k == "deadline":
        return {"done_on": rule.due + dt.timedelta(days=int(at) + rng.choice([-1, 0, 0, 1]))}
    if k == "compare_to_limit":
        limit = rng.randint(1, 30)
        return {"actual": limit + int(at) + rng.choice([-1, 0, 0, 1]), "limit": limit}
    return None


def _campaign(seed: int, units: int = 6) -> tuple[Index, list[Any], str, str]:
    rng = random.Random(seed)
    criteria, pack = random_index(rng)
    index = index_from_text(criteria, pack)
    out = []
    for i in range(units):
        s, sv, c, adj = random_answers(rng, index, "g")
        answers = {**s, **sv, **c}
        for lid, item in index.groups["g"].leaves.items():
            if lid in answers and "na" not in answers[lid] and rng.random() < 0.6:
                edge = _edge(rng, item)
                if edge is not None:
                    answers[lid] = {**answers[lid], **edge}
        exempting = any(it.exemptions for it in index.groups["g"].items.values())
        tags = ["no_procedures"] if exempting and rng.random() < 0.3 else []
        out.append((tags, answers, adj, f"u{i}"))
    return index, out, criteria, pack


def _whole(results: list[Any]) -> list[Any]:
    return [(dumps(r), tuple(r.trace), sorted(r.nodes.items())) for r in results]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_piece_memo_scores_like_every_exact_value(seed: int) -> None:
    """Generated indices, units whose values sit on their items' bounds or beside them: the
    engine deciding one value per piece gives exactly the branches, points, nodes and traces
    (every step, its inputs and reasons) of the engine deciding every exact value, and the
    reference evaluator's points."""
    index, units_in, criteria, pack = _campaign(seed)
    readies = [ready(index, "g", a, adj, tags, uid) for tags, a, adj, uid in units_in]
    engine = index.engine
    try:
        engine.pieces = False
        engine.clear_memo()
        exact = _whole(score_units(index, readies))
        engine.pieces = True
        engine.clear_memo()
        by_piece = score_units(index, readies)
        assert _whole(by_piece) == exact
        c_doc, p_doc = yaml.safe_load(criteria), yaml.safe_load(pack)
        for (tags, answers, adj, _), r in zip(units_in, by_piece, strict=True):
            points, _, _ = reference_score(c_doc, p_doc, tags, answers, adj)
            assert abs(Fraction(r.points) - points) < Fraction(1, 10**20)
    finally:
        engine.pieces = True
        engine.clear_memo()
