"""Outcome kinds: yes/no, deadlines, named levels, council scores, time against a limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.index import model as m
from scoring.index.kinds.base import (
    VALUE,
    AnswerError,
    Branch,
    Handler,
    Prepared,
    Problem,
    get,
    number,
    points_ok,
)
from scoring.sources.numbers import encode_bound, has_places


def boolean() -> Handler:
    def check(r: m.BooleanRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        points_ok(("yes",), r.yes, top, p)
        points_ok(("no",), r.no, top, p)
        return p

    def branches(r: m.BooleanRule, top: Decimal) -> list[Branch]:
        return [
            Branch("yes", "Có / đạt", "Yes / met", lo=2000, hi=2000),
            Branch("no", "Không / không đạt", "No / not met", lo=0, hi=0),
        ]

    def prepare(r: m.BooleanRule, a: Mapping[str, Any]) -> Prepared:
        v = get(a, "value")
        if not isinstance(v, bool):
            raise AnswerError("value", f"expected true or false, got {v!r}")
        return Prepared(VALUE, Fraction(int(v)), {"value": v})

    def points(r: m.BooleanRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return (top if r.yes is None else r.yes) if b == "yes" else r.no

    return Handler(
        "boolean",
        "Yes/no task: full points if done.",
        {"value": "bool"},
        check,
        branches,
        prepare,
        points,
    )


def deadline() -> Handler:
    def late_bands(r: m.DeadlineRule) -> list[m.LateBand]:
        return [m.LateBand(points=r.late)] if isinstance(r.late, Decimal) else r.late

    def check(r: m.DeadlineRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        points_ok(("on_time",), r.on_time, top, p)
        points_ok(("not_done",), r.not_done, top, p)
        bands = late_bands(r)
        prev = 0
        for i, b in enumerate(bands):
            points_ok(("late", i, "points"), b.points, top, p)
            last = i == len(bands) - 1
            if last and b.max_days is not None:
                p.append((("late", i), "the last band must be open (no max_days)"))
            if not last and (b.max_days is None or b.max_days <= prev):
                p.append((("late", i), f"max_days must be a number of days above {prev}"))
            prev = b.max_days or prev
        return p

    def branches(r: m.DeadlineRule, top: Decimal) -> list[Branch]:
        out = [
            Branch("on_time", "Đúng hạn", "On time", hi=0),
            Branch("not_done", "Không thực hiện", "Not done", status="not_done"),
        ]
        bands = late_bands(r)
        lo = 0
        for i, b in enumerate(bands):
            hi = None if b.max_days is None else encode_bound(b.max_days)
            bid = "late" if len(bands) == 1 else f"late_{i + 1}"
            days = f"> {lo // 2000} ngày" if hi is None else f"{lo // 2000 + 1}–{b.max_days} ngày"
            days_en = (
                f"> {lo // 2000} days" if hi is None else f"{lo // 2000 + 1}–{b.max_days} days"
            )
            out.append(
                Branch(bid, f"Trễ hạn ({days})", f"Late ({days_en})", lo=lo, lo_incl=False, hi=hi)
            )
            lo = hi or lo
        return out

    def prepare(r: m.DeadlineRule, a: Mapping[str, Any]) -> Prepared:
        v = get(a, "done_on")
        if v is None:
            return Prepared("not_done", None, {"done_on": None, "due": r.due.isoformat()})
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise AnswerError("done_on", f"expected a date (YYYY-MM-DD) or null, got {v!r}")
        return Prepared(
            VALUE,
            Fraction((v - r.due).days),
            {
                "done_on": v.isoformat(),
                "due": r.due.isoformat(),
                "days_late": max(0, (v - r.due).days),
            },
        )

    def points(r: m.DeadlineRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        if b == "on_time":
            return top if r.on_time is None else r.on_time
        if b == "not_done":
            return r.not_done
        bands = late_bands(r)
        return bands[0 if b == "late" else int(b.removeprefix("late_")) - 1].points

    return Handler(
        "deadline",
        "Done by the due date, late (optionally by days), or not done.",
        {"done_on": "date"},
        check,
        branches,
        prepare,
        points,
    )


def ordinal_levels() -> Handler:
    def check(r: m.OrdinalLevelsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for key, lv in r.levels.items():
            points_ok(("levels", key, "points"), lv.points, top, p)
        return p

    def branches(r: m.OrdinalLevelsRule, top: Decimal) -> list[Branch]:
        return [
            Branch(key, lv.label_vi, lv.label_en or key, lo=encode_bound(i), hi=encode_bound(i))
            for i, (key, lv) in enumerate(r.levels.items())
        ]

    def prepare(r: m.OrdinalLevelsRule, a: Mapping[str, Any]) -> Prepared:
        v = get(a, "level")
        keys = list(r.levels)
        if not isinstance(v, str) or v not in r.levels:
            from scoring.errors import suggest

            raise AnswerError(
                "level", f"{v!r} is not one of {', '.join(keys)}", suggest(str(v), keys)
            )
        return Prepared(VALUE, Fraction(keys.index(v)), {"level": v})

    def points(r: m.OrdinalLevelsRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return r.levels[b].points

    return Handler(
        "ordinal_levels",
        "One of several named levels, each with its points.",
        {"level": "level"},
        check,
        branches,
        prepare,
        points,
    )


def council_judgment() -> Handler:
    def check(r: m.CouncilJudgmentRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for i, lv in enumerate(r.levels or []):
            points_ok(("levels", i), lv, top, p)
        return p

    def branches(r: m.CouncilJudgmentRule, top: Decimal) -> list[Branch]:
        return [
            Branch("judged", "Hội đồng chấm", "Scored by the council", lo=0, hi=encode_bound(top))
        ]

    def prepare(r: m.CouncilJudgmentRule, a: Mapping[str, Any]) -> Prepared:
        score = number(a, "score")
        reason = a.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AnswerError("reason", "a council judgment needs a non-empty reason")
        if r.levels is not None and score not in r.levels:
            raise AnswerError(
                "score", f"{score} is not one of the levels {', '.join(str(x) for x in r.levels)}"
            )
        if not has_places(score):
            raise AnswerError("score", f"{score} has more than 3 decimals")
        return Prepared(VALUE, Fraction(score), {"score": score, "reason": reason})

    def points(r: m.CouncilJudgmentRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return Decimal(p.inputs["score"])

    return Handler(
        "council_judgment",
        "A score set by the council, with a mandatory reason.",
        {"score": "number", "reason": "text"},
        check,
        branches,
        prepare,
        points,
    )


def compare_to_limit() -> Handler:
    def check(r: m.CompareToLimitRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for name in ("shorter", "equal", "longer"):
            points_ok((name,), getattr(r, name), top, p)
        return p

    def branches(r: m.CompareToLimitRule, top: Decimal) -> list[Branch]:
        return [
            Branch("shorter", "Ngắn hơn quy định", "Shorter than the limit", hi=0, hi_incl=False),
            Branch("equal", "Bằng quy định", "Equal to the limit", lo=0, hi=0),
            Branch("longer", "Dài hơn quy định", "Longer than the limit", lo=0, lo_incl=False),
        ]

    def prepare(r: m.CompareToLimitRule, a: Mapping[str, Any]) -> Prepared:
        actual, limit = number(a, "actual"), number(a, "limit")
        return Prepared(
            VALUE, Fraction(actual) - Fraction(limit), {"actual": actual, "limit": limit}
        )

    def points(r: m.CompareToLimitRule, b: str, p: Prepared, top: Decimal) -> Decimal:
        return Decimal(getattr(r, b))

    return Handler(
        "compare_to_limit",
        "Actual time against the legal limit: shorter/equal/longer.",
        {"actual": "number", "limit": "number"},
        check,
        branches,
        prepare,
        points,
    )
