"""Classification and ranking per group, with the declared tie policy and precision."""

from __future__ import annotations

import dataclasses
import unicodedata
from decimal import Decimal

import pytest

from scoring import classify, rank, score_unit
from scoring.evaluation.trace import UnitResult
from tests.support.indexes import ready

D = Decimal


@pytest.fixture(scope="module")
def base(mini_index) -> UnitResult:  # type: ignore[no-untyped-def]
    return score_unit(mini_index, ready(mini_index, "department", {}))


def _with(
    base: UnitResult, uid: str, index: str, content: str = "0", ranked: bool = True
) -> UnitResult:
    return dataclasses.replace(
        base, unit_id=uid, name=f"Unit {uid}", index=D(index), content=D(content), ranked=ranked
    )


def _policy(index, **kw):  # type: ignore[no-untyped-def]
    ranking = index.meta.ranking.model_copy(update=kw)
    return dataclasses.replace(index, meta=index.meta.model_copy(update={"ranking": ranking}))


def test_competition_ties_on_the_declared_precision(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """Ranked on one decimal, 86.94 and 86.85 tie; competition ranking gives 1, 2, 2, 4."""
    units = [
        _with(base, "a", "90"),
        _with(base, "b", "86.94"),
        _with(base, "c", "86.85"),
        _with(base, "d", "80"),
    ]
    out = rank(units, mini_index)
    assert [(r.unit_id, r.rank) for r in out] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_dense_ranking(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """Dense ranking gives 1, 2, 2, 3."""
    index = _policy(mini_index, tie_policy="dense")
    units = [
        _with(base, "a", "90"),
        _with(base, "b", "86.9"),
        _with(base, "c", "86.9"),
        _with(base, "d", "80"),
    ]
    assert [r.rank for r in rank(units, index)] == [1, 2, 2, 3]


def test_tie_break_keys(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """With tie_break: [content], equal indices are ordered by content points."""
    index = _policy(mini_index, tie_break=["content"])
    units = [_with(base, "a", "86.9", "60"), _with(base, "b", "86.9", "70")]
    assert [(r.unit_id, r.rank) for r in rank(units, index)] == [("b", 1), ("a", 2)]


def test_unranked_units_are_classified_but_take_no_rank(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """A unit with ranked: false keeps its class and takes no place in the order."""
    units = [_with(base, "a", "95", ranked=False), _with(base, "b", "70")]
    out = rank(units, mini_index)
    assert [(r.unit_id, r.rank) for r in out] == [("b", 1), ("a", None)]
    assert out[1].classification.id == "tot"


def test_classification_uses_the_published_rounding(mini_index) -> None:  # type: ignore[no-untyped-def]
    """79.995 is published as 80.00 and so classed Tốt (>= 80); 79.994 is Khá."""
    group = mini_index.groups["department"].group
    assert classify(D("79.995"), group, 2).id == "tot"
    assert classify(D("79.994"), group, 2).id == "kha"
    assert classify(D("0"), group, 2).id == "yeu"


def test_tie_break_compares_published_figures(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """Content 70.0004 and 70.0001 both publish as 70.00: the units stay tied."""
    index = _policy(mini_index, tie_break=["content"])
    units = [_with(base, "a", "86.9", "70.0004"), _with(base, "b", "86.9", "70.0001")]
    assert [r.rank for r in rank(units, index)] == [1, 1]


def _named(base: UnitResult, uid: str, name: str, index: str, ranked: bool = True) -> UnitResult:
    return dataclasses.replace(
        _with(base, uid, index, ranked=ranked), name=unicodedata.normalize("NFD", name)
    )


def test_tied_units_are_listed_in_vietnamese_order(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """Units tied at a rank come in Vietnamese alphabetical order (Đ before V, Ư after U), not
    in code-point or input order, whichever form their names were typed in."""
    units = [
        _named(base, "a", "Huyện Văn Quan", "82"),
        _named(base, "b", "Huyện Ưng Hòa", "82"),
        _named(base, "c", "Huyện Đình Lập", "82"),
        _named(base, "d", "Huyện Uông Bí", "82"),
        _named(base, "e", "Huyện Ân Thi", "82"),
        _named(base, "f", "Huyện Bắc Sơn", "82"),
        _named(base, "g", "Thành phố Lạng Sơn", "90"),
    ]
    out = rank(units, mini_index)
    assert [(r.unit_id, r.rank) for r in out] == [
        ("g", 1),
        ("e", 2),  # Ân
        ("f", 2),  # Bắc
        ("c", 2),  # Đình
        ("d", 2),  # Uông
        ("b", 2),  # Ưng
        ("a", 2),  # Văn
    ]


def test_published_2018_ties_keep_the_decisions_order(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """The three departments at 86.8 in QĐ 2633/QĐ-UBND come out as the decision lists them."""
    names = ["Sở Y tế", "Sở Ngoại vụ", "Sở Công thương"]
    units = [_named(base, f"u{i}", n, "86.8") for i, n in enumerate(names)]
    out = rank(units, mini_index)
    assert [unicodedata.normalize("NFC", r.name) for r in out] == names[::-1]


def test_unranked_units_are_listed_in_vietnamese_order(mini_index, base) -> None:  # type: ignore[no-untyped-def]
    """Units that take no rank follow the ranked ones, in Vietnamese order of their names."""
    units = [
        _named(base, "a", "Văn phòng UBND tỉnh", "90", ranked=False),
        _named(base, "b", "Đài Phát thanh", "80", ranked=False),
        _named(base, "c", "Sở Tài chính", "70"),
        _named(base, "d", "Ban Dân tộc", "85", ranked=False),
    ]
    assert [r.unit_id for r in rank(units, mini_index)] == ["c", "d", "b", "a"]
