"""What each leaf and bonus/penalty comes to: its engine fact, whether it applies, its outcome.

The rule engine (``index.engine``) decides facts, never points. A leaf's fact is
``("in", code, status, engine value, evidence flag)`` (``leaf_facts``), a bonus or penalty's
the same of its own inputs (``adjustment_fact``). The rules a fact fires name one branch, and
maybe the evidence gate (``branch_of``); the rule kind's handler gives the branch's points.
``leaf_outcome`` is that (branch, evidence gate, points), the same for every leaf with the same
``outcome_key``, so it is computed once per index (``outcome_of``: the memo the batch fills too).

The not-applicable rule, whole: a leaf does not apply when the unit answered N/A or carries a
tag that exempts it (``applies``; the batch writes the test out in its hot loop), nor when its
branch gives no points (an outcome whose points are None). Such a leaf is scored by its
strategy (``exemption`` says which, and why; ``na_points`` what it counts): ``grant_full``
counts its full points against its full maximum, ``exclude_and_rescale`` leaves it out of
points and maximum alike, so the unit's applicable maximum shrinks and ``aggregate.rescale``
brings the index back to the index's scale.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Set
from decimal import Decimal
from typing import Any

from scoring.campaign.ready import NA, Ready
from scoring.index.engine import branch_of
from scoring.index.kinds import MISSING, Prepared
from scoring.index.loader import AdjustmentItem, GroupView, Index, Item
from scoring.sources.numbers import ZERO, clamp

FactKey = tuple[Hashable, ...]  # what the engine decides: ("in", code, status, encoded, gate)
OutcomeKey = tuple[Any, ...]  # see ``outcome_key``
Outcome = tuple[str, bool, Decimal | None]  # (branch, evidence gate, points; None: N/A)
Decided = Mapping[FactKey, tuple[str, ...]]  # a fact -> the ids of the rules it fired
# (position in the index, adjustment, its engine fact: None when set by the appraiser only)
Claim = tuple[int, AdjustmentItem, FactKey | None]
NotApplicable = tuple[str, str, str]  # (strategy, why in Vietnamese, why in English)

GRANT_FULL = "grant_full"  # the strategy that counts a not-applicable leaf as full points


def evidence_gate(required: bool, p: Prepared) -> int | None:
    """The fact's evidence flag: 1 or 0 when the item requires evidence, else None."""
    if not required or p.status == MISSING:
        return None
    return 1 if p.evidence else 0


def applies(item: Item, status: str, tags: Set[str]) -> bool:
    """Whether a leaf applies to a unit: not answered N/A, and not exempt by one of its tags."""
    return status != NA and not (tags and not tags.isdisjoint(item.exemptions))


def leaf_facts(view: GroupView, ready: Ready) -> dict[str, FactKey]:
    """The engine fact of every applicable leaf of one unit (N/A leaves have none)."""
    tags = set(ready.unit.tags)
    leaves = ready.leaves
    keys: dict[str, FactKey] = {}
    for lid, item in view.leaves.items():
        p = leaves[lid]
        if applies(item, p.status, tags):
            keys[lid] = ("in", item.code, p.status, p.encoded, evidence_gate(item.gated, p))
    return keys


def exemption(item: Item, tags: Iterable[str]) -> NotApplicable:
    """Why a leaf that does not apply is left out (a tag exempts it, or the unit answered N/A),
    and the strategy it is scored by: the exempting tag's, else the leaf's own."""
    exempt = sorted(set(item.exemptions) & set(tags))
    if exempt:
        tagged = ", ".join(exempt)
        return item.exemptions[exempt[0]], f"đơn vị thuộc diện {tagged}", f"unit tagged {tagged}"
    return item.na_strategy, "đơn vị khai không áp dụng", "unit answered N/A"


def na_points(item: Item, strategy: str) -> tuple[Decimal, Decimal]:
    """A not-applicable leaf's points and applicable maximum: its full points under
    ``grant_full``, nothing of either otherwise (excluded, then rescaled)."""
    return (item.max, item.max) if strategy == GRANT_FULL else (ZERO, ZERO)


def outcome_key(code: str, p: Prepared, gate: int | None) -> OutcomeKey:
    """What a leaf's outcome depends on: its fact (item, status, engine value, evidence flag)
    and its exact value. One flat tuple, so that looking it up hashes and compares the fewest
    objects; the exact value is left out when the engine value already says it (an even
    ``encoded`` is a multiple of 1/SCALE: see ``numbers.encode``)."""
    enc = p.encoded
    if enc is None or not enc & 1:
        return (code, p.status, enc, gate)
    v = p.value
    assert v is not None
    return (code, p.status, enc, gate, v.numerator, v.denominator)


def fact_of(mkey: OutcomeKey) -> FactKey:
    """The engine fact of an outcome key (``leaf_facts``' shape)."""
    return ("in", *mkey[:4])


def leaf_outcome(item: Item, p: Prepared, rule_ids: tuple[str, ...]) -> Outcome:
    """(branch, evidence gate, points) of a leaf, from the rules its fact fired."""
    branch_id, gated = branch_of(item.code, rule_ids)
    if branch_id == MISSING:
        pts: Decimal | None = ZERO
    else:
        assert item.handler is not None
        pts = item.handler.points(item.node.rule, branch_id, p, item.max)
    if gated and pts is not None:
        pts = ZERO
    return (branch_id, gated, pts)


def outcome_of(index: Index, item: Item, p: Prepared, key: FactKey, fired: Decided) -> Outcome:
    """A leaf's outcome, from the index's memo or computed once into it (``key``: its fact)."""
    memo = index.engine.outcomes
    mkey = outcome_key(item.code, p, key[4])  # type: ignore[arg-type]
    found: Outcome | None = memo.get(mkey)
    if found is None:
        found = memo[mkey] = leaf_outcome(item, p, fired[key])
    return found


def adjustment_fact(adj: AdjustmentItem, ready: Ready) -> FactKey:
    """The engine fact of a bonus or penalty the unit claimed."""
    ev = adj.spec.evidence
    p = ready.adjustments[adj.spec.id]
    return ("in", adj.code, p.status, p.encoded, evidence_gate(bool(ev and ev.required), p))


def claims(index: Index, r: Ready, appraised: Mapping[str, Any] | None) -> list[Claim]:
    """The bonuses and penalties a unit claimed or an appraiser set, each with its position in
    the index and its engine fact (None: set by the appraiser only)."""
    return [
        (k, a, adjustment_fact(a, r) if a.spec.id in r.adjustments else None)
        for k, a in enumerate(index.adjustments)
        if r.group in a.groups
        and (a.spec.id in r.adjustments or (appraised and a.spec.id in appraised))
    ]


def adjustment_points(adj: AdjustmentItem, r: Ready, branch_id: str) -> Decimal:
    """A bonus or penalty's points for its branch, within [0, its max]."""
    got = adj.handler.points(adj.spec.rule, branch_id, r.adjustments[adj.spec.id], adj.spec.max)
    return clamp(got or ZERO, ZERO, adj.spec.max)
