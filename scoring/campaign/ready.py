"""Preparing one unit: its answers checked against the index (known leaves, right inputs,
consistency packs run through the engine) and each reduced to what the engine compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from scoring.campaign.submission import (
    Answer,
    Submission,
    UnitSpec,
)
from scoring.errors import ErrorList, ParindexError, SubmissionError, suggest
from scoring.index import model as m
from scoring.index.kinds import MISSING, AnswerError, Prepared
from scoring.index.loader import Index, Item
from scoring.sources.numbers import encode, said_value

NA = "not_applicable"


@dataclass(frozen=True)
class Ready:
    """One unit's answers checked and reduced, ready to score."""

    unit: UnitSpec
    group: str
    leaves: Mapping[str, Prepared]  # leaf id -> prepared (status NA for a unit's na: true)
    adjustments: Mapping[str, Prepared]
    answers: Mapping[str, Answer]
    adjustment_answers: Mapping[str, Answer]
    warnings: tuple[str, ...] = ()


def prepare(index: Index, sub: Submission) -> Ready:
    """Check a submission against the index; raise every problem, located."""
    errors: list[ParindexError] = []
    unit = sub.unit
    if unit.group not in index.groups:
        at = sub.locate("unit", unit.id, "group") if ("unit", unit.id) in sub.where else None
        raise SubmissionError(
            f"unknown group {unit.group!r}",
            at,
            suggest(unit.group, index.groups),
            vi=f"không có nhóm {unit.group!r} trong bộ chỉ số",
        )
    if sub.index_id is not None and sub.index_id != index.id:
        raise SubmissionError(
            f"this file answers index {sub.index_id!r}, but the campaign is scored with "
            f"{index.id!r}",
            sub.locate("file", unit.id, "index"),
            vi=f"tệp này trả lời bộ chỉ số {sub.index_id!r}, nhưng kỳ đánh giá chấm theo bộ "
            f"{index.id!r}",
        )
    view = index.groups[unit.group]
    known_tags = {t for item in view.items.values() for t in item.exemptions}
    for tag in unit.tags:
        if tag not in known_tags:
            at = sub.locate("unit", unit.id, "tags") if ("unit", unit.id) in sub.where else None
            raise SubmissionError(
                f"tag {tag!r} exempts nothing in group {unit.group!r}",
                at,
                suggest(tag, known_tags),
                vi=f"nhãn {tag!r} không miễn mục nào trong nhóm {unit.group!r}",
            )
    leaves: dict[str, Prepared] = {}
    for key, ans in sub.answers.items():
        item = view.leaves.get(key)
        if item is None:
            hint = suggest(key, view.leaves)
            elsewhere = any(key in v.leaves for v in index.groups.values())
            where = f"group {unit.group!r} (it belongs to another group)" if elsewhere else ""
            vi_where = f"nhóm {unit.group!r} (mục này thuộc nhóm khác)" if elsewhere else "nhóm này"
            errors.append(
                SubmissionError(
                    f"no scored item {key!r} in {where or 'this group'}",
                    sub.locate("answer", key),
                    hint,
                    vi=f"không có mục chấm điểm {key!r} trong {vi_where}",
                )
            )
            continue
        try:
            leaves[key] = _cited(_prepare_leaf(item, ans, sub, key), ans)
        except AnswerError as exc:
            errors.append(
                SubmissionError(
                    str(exc), sub.locate("answer", key, exc.field), exc.suggestion, vi=exc.vi
                )
            )
        except SubmissionError as exc:
            errors.append(exc)
    for item in view.leaves.values():
        if item.id not in leaves and item.id not in sub.answers:
            leaves[item.id] = Prepared(MISSING)
    adjustments: dict[str, Prepared] = {}
    known = {a.spec.id: a for a in index.adjustments if unit.group in a.groups}
    for key, ans in sub.adjustments.items():
        adj = known.get(key)
        if adj is None:
            errors.append(
                SubmissionError(
                    f"no bonus or penalty {key!r} for group {unit.group!r}",
                    sub.locate("adjustment", key),
                    suggest(key, known),
                    vi=f"nhóm {unit.group!r} không có điểm thưởng hay điểm trừ {key!r}",
                )
            )
            continue
        try:
            _self_score_ok(ans, adj.spec.max, f"unit {unit.id}, {key}")
            adjustments[key] = _cited(adj.handler.prepare(adj.spec.rule, ans.inputs()), ans)
        except AnswerError as exc:
            errors.append(
                SubmissionError(
                    str(exc), sub.locate("adjustment", key, exc.field), exc.suggestion, vi=exc.vi
                )
            )
    warnings = _run_checks(index, sub, leaves, errors) if not errors else []
    if errors:
        raise ErrorList.of(errors)
    # read-only views of dicts nothing else holds: scoring shares them, with no copy, in the
    # snapshot a result's trace is built from (``evaluation.inputs``)
    return Ready(
        unit,
        unit.group,
        MappingProxyType(leaves),
        MappingProxyType(adjustments),
        MappingProxyType(dict(sub.answers)),
        MappingProxyType(dict(sub.adjustments)),
        tuple(warnings),
    )


def _cited(p: Prepared, ans: Answer) -> Prepared:
    """``p``, a handler's new record, marked as citing evidence when the answer does (set in
    place, as ``Prepared.__post_init__`` sets ``encoded``: ``dataclasses.replace`` made checking
    10,000 units a second slower)."""
    if ans.evidence:
        object.__setattr__(p, "evidence", True)
    return p


def _self_score_ok(ans: Answer, top: Decimal, what: str) -> None:
    """The score a unit gives itself lies in [0, max] (it is compared with the scored points)."""
    v = ans.self_score
    if v is not None and not Decimal(0) <= v <= top:
        side = "below 0" if v < 0 else f"above the maximum {top}"
        vi_side = "dưới 0" if v < 0 else f"trên điểm tối đa {said_value(top)}"
        raise AnswerError(
            "self_score",
            f"{what}: self_score {v} is {side}",
            vi=f"điểm tự chấm {said_value(v)} {vi_side}",
        )


def _prepare_leaf(item: Item, ans: Answer, sub: Submission, key: str) -> Prepared:
    node = item.node
    _self_score_ok(ans, node.max, f"unit {sub.unit.id}, item {key}")
    src = sub.where.get(("source", key))
    origin = src[1][0] if src else "self"
    if node.assessed_by != origin:
        expected = {"self": "unit's own file", "survey": "survey file", "council": "council file"}[
            node.assessed_by
        ]
        vi_expected = {
            "self": "tệp tự đánh giá của đơn vị",
            "survey": "tệp kết quả khảo sát",
            "council": "tệp điểm của hội đồng",
        }[node.assessed_by]
        vi_who = {"self": "đơn vị tự", "survey": "khảo sát", "council": "hội đồng"}
        raise SubmissionError(
            f"item {key} is assessed by {node.assessed_by}: its answer belongs in the {expected}",
            sub.locate("answer", key),
            vi=f"mục {key} do {vi_who[node.assessed_by]} chấm: số liệu của mục thuộc {vi_expected}",
        )
    if ans.na:
        if not node.na_allowed:
            raise AnswerError(
                "na",
                f"item {key} does not allow a not-applicable answer",
                vi=f"mục {key} không cho phép trả lời “không áp dụng”",
            )
        return Prepared(NA, None, {"na": True})
    assert item.handler is not None and node.rule is not None
    prepared = item.handler.prepare(node.rule, ans.inputs())
    item.handler.check_answer(node.rule, prepared, node.max)
    return prepared


def _raw(ans: Answer | None, name: str) -> Any:
    return None if ans is None or ans.na else ans.inputs().get(name)


def _run_checks(
    index: Index, sub: Submission, leaves: Mapping[str, Prepared], errors: list[ParindexError]
) -> list[str]:
    group = sub.unit.group
    facts: list[tuple[Any, ...]] = []
    meta: list[tuple[m.Check, str, str]] = []
    for chk in index.checks:
        for (lid, inp), right in chk.pairs.get(group, ()):
            left_v = _raw(sub.answers.get(lid), inp)
            if left_v is None or leaves.get(lid, Prepared(MISSING)).status == NA:
                continue
            if right is None:
                facts.append(("chk", chk.spec.id, encode(left_v.toordinal()), None))
                meta.append((chk.spec, lid, inp))
                continue
            right_v = _raw(sub.answers.get(right[0]), right[1])
            if right_v is None or isinstance(left_v, bool) or isinstance(right_v, bool):
                continue
            facts.append(("chk", chk.spec.id, encode(Decimal(left_v)), encode(Decimal(right_v))))
            meta.append((chk.spec, lid, inp))
    fired = index.engine.decide(facts)
    warnings: list[str] = []
    for key, (spec, lid, inp) in zip(facts, meta, strict=True):
        if f"{spec.id}#violated" not in fired[key]:
            continue
        what = f"{spec.id}: {spec.title_en} ({spec.title_vi})"
        if spec.severity == "error":
            said = f"{spec.id}: {spec.title_vi}"
            errors.append(SubmissionError(what, sub.locate("answer", lid, inp), vi=said))
        else:
            loc = sub.locate("answer", lid, inp)
            warnings.append(f"{loc.prefix()}: warning: {what}")
    return warnings
