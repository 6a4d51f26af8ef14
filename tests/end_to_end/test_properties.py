"""Properties over generated indices and answers, and the differential test against reference."""

from __future__ import annotations

import decimal
import random
from decimal import Decimal
from fractions import Fraction

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring import score_units
from scoring.sources.numbers import CONTEXT, to_decimal
from tests.support.generate import random_answers, random_index
from tests.support.indexes import index_from_text, ready
from tests.support.reference import reference_score

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _campaign(seed: int, units: int = 6):
    rng = random.Random(seed)
    criteria, pack = random_index(rng)
    index = index_from_text(criteria, pack)
    units_in = []
    for i in range(units):
        exempting = any(i.exemptions for i in index.groups["g"].items.values())
        tags = ["no_procedures"] if exempting and rng.random() < 0.3 else []
        s, sv, c, adj = random_answers(rng, index, "g")
        units_in.append((tags, {**s, **sv, **c}, adj, f"u{i}"))
    readies = [ready(index, "g", a, adj, tags, uid) for tags, a, adj, uid in units_in]
    return criteria, pack, index, units_in, score_units(index, readies)


def _close(a: Decimal, b: Fraction) -> bool:
    return abs(Fraction(a) - b) < Fraction(1, 10**20)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_engine_equals_reference_evaluator(seed: int) -> None:
    """durable-rules + Decimal give the reference evaluator's points, maximum and index."""
    criteria, pack, _, units_in, results = _campaign(seed)
    c_doc, p_doc = yaml.safe_load(criteria), yaml.safe_load(pack)
    for (tags, answers, adj, _), r in zip(units_in, results, strict=True):
        points, mx, index = reference_score(c_doc, p_doc, tags, answers, adj)
        assert _close(r.points, points), (r.points, points)
        assert Fraction(r.max_points) == mx
        assert _close(r.index, index), (r.index, index)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_every_node_within_zero_and_max(seed: int) -> None:
    """0 <= points <= applicable max at every node, and the index stays within [0, scale]."""
    _, _, index, _, results = _campaign(seed)
    for r in results:
        for n in r.nodes.values():
            assert Decimal(0) <= n.points <= n.max <= n.full_max, n
        assert Decimal(0) <= r.index <= index.meta.scale


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_parent_equals_sum_of_children_after_caps(seed: int) -> None:
    """A node's points are its children's sum, clamped only where a scoped adjustment applies."""
    _, _, index, _, results = _campaign(seed)
    view = index.groups["g"]
    scoped = {a.spec.scope for a in index.adjustments}
    exact = 0  # parents checked for an exact sum (the others only for the clamp)
    for r in results:
        for item in view.items.values():
            if item.is_leaf:
                continue
            with decimal.localcontext(CONTEXT):  # the scoring context: 34 digits
                total = sum((r.nodes[c.id].points for c in item.children), Decimal(0))
            if item.id in scoped:
                assert r.nodes[item.id].points <= max(total, Decimal(0)) + 1
            else:
                assert r.nodes[item.id].points == total
                exact += 1
    assert exact > 0


RESCALE = "exclude_and_rescale"
RATES = ("ratio_bands", "proportional")
MONOTONE = {
    "count_points": ("count", [0, 1, 2, 3, 5, 8, 13, 40]),
    "count_deduction": ("count", [40, 13, 8, 5, 3, 2, 1, 0]),
    "value_bands": ("value", [0, 1, 7, Decimal("12.5"), 25, 33, 49, 50]),
}


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_monotone_rules_never_reward_a_worse_input(seed: int, data: st.DataObject) -> None:
    """A better input never scores fewer points under a monotone rule (counts, bands, rates)."""
    rng = random.Random(seed)
    criteria, pack = random_index(rng)
    index = index_from_text(criteria, pack)
    view = index.groups["g"]
    leaves = [
        i for i in view.leaves.values() if i.node.rule.kind in MONOTONE or i.node.rule.kind in RATES
    ]
    assume(leaves)  # an index without a monotone leaf shows nothing: drawn again
    rising = 0
    for item in leaves:
        kind = item.node.rule.kind
        if kind in MONOTONE:
            field, ordered = MONOTONE[kind]
            answers = [{field: v} for v in ordered]
        else:  # a rate: numerator over a drawn denominator
            den = data.draw(st.integers(1, 500))
            answers = [
                {"numerator": n, "denominator": den}
                for n in sorted({0, den // 3, den // 2, den - 1, den})
            ]
        ev = [{"doc": "x"}] if item.node.evidence and item.node.evidence.required else []
        readies = [
            ready(index, "g", {item.id: {**a, "evidence": ev}}, uid=f"m{i}")
            for i, a in enumerate(answers)
        ]
        points = [r.nodes[item.id].points for r in score_units(index, readies)]
        assert points == sorted(points), (item.id, kind, points)
        rising += points[0] < points[-1]
    assume(rising)  # flat bands only (points equal whatever the input): nothing shown either


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_not_applicable_rescaling_keeps_index_in_range(seed: int) -> None:
    """Whatever is left out, the index is points / applicable max × scale within [0, scale]."""
    _, _, index, _, results = _campaign(seed, units=8)
    scale = index.meta.scale
    # one more unit that leaves out all it may (exempt areas, N/A answers excluded and
    # rescaled), so that every example checks at least one rescaled index
    view = index.groups["g"]
    exempt = any(i.exemptions.get("no_procedures") == RESCALE for i in view.items.values())
    na = {
        i.id: {"na": True}
        for i in view.leaves.values()
        if i.node.na_allowed and i.na_strategy == RESCALE
    }
    assume(exempt or na)  # nothing can be left out of this index: drawn again
    tags = ["no_procedures"] if exempt else []
    left_out = score_units(index, [ready(index, "g", na, tags=tags, uid="left-out")])[0]
    assert left_out.max_points < scale
    results = [*results, left_out]
    for r in results:
        assert Decimal(0) <= r.index <= scale
        if r.max_points > 0 and r.points <= r.max_points:
            expected = to_decimal(Fraction(r.points) * Fraction(scale) / Fraction(r.max_points))
            assert r.index == expected
