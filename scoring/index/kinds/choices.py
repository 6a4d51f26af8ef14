"""Outcome kinds: yes/no, deadlines, named levels, time against a legal limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field

from scoring.errors import suggest
from scoring.index.fields import Frozen, Id, Num, Text, Whole
from scoring.index.kinds.base import (
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
    get,
    named,
    number,
    points_ok,
)
from scoring.sources.numbers import encode_bound

ONE = Decimal(1)


class BooleanRule(RuleSpec):
    """``boolean``: ``yes`` points (default: the item's max) if done, ``no`` points if not."""

    kind: Literal["boolean"]
    yes: Num | None = None
    no: Num = Decimal(0)


class Boolean(Handler[BooleanRule]):
    """A yes/no task."""

    kind = "boolean"
    spec = BooleanRule
    doc = "Yes/no task: full points if done."
    label_vi, label_en = "Có / không", "Yes / no"
    inputs = named(
        Input(
            "value",
            "bool",
            "Có / Không",
            "Yes / no",
            key="value:bool",
            help_vi="Chọn Có nếu đơn vị đáp ứng yêu cầu của tiêu chí",
            help_en="Choose Yes if the unit meets the item's requirement",
        )
    )
    adjustable = True

    def check(self, rule: BooleanRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        points_ok(("yes",), rule.yes, top, p)
        points_ok(("no",), rule.no, top, p)
        return p

    def branches(self, rule: BooleanRule, top: Decimal) -> list[Branch]:
        return [
            Branch("yes", "Có / đạt", "Yes / met", lo=2000, hi=2000),
            Branch("no", "Không / không đạt", "No / not met", lo=0, hi=0),
        ]

    def prepare(self, rule: BooleanRule, answer: Mapping[str, Any]) -> Prepared:
        v = get(answer, "value")
        if not isinstance(v, bool):
            raise AnswerError(
                "value",
                f"expected true or false, got {v!r}",
                vi=f"cần có (true) hoặc không (false), nhận {v!r}",
            )
        return Prepared(VALUE, Fraction(int(v)), {"value": v})

    def points(self, rule: BooleanRule, branch: str, prepared: Prepared, top: Decimal) -> Decimal:
        return (top if rule.yes is None else rule.yes) if branch == "yes" else rule.no

    def proposals(
        self, rule: BooleanRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        yield [("value", ONE, True)]


class LateBand(Frozen):
    """One step of a late deadline: up to ``max_days`` late (the last step: any later)."""

    max_days: Whole | None = None
    points: Num


class DeadlineRule(RuleSpec):
    """``deadline``: done by ``due``, late (one amount, or steps by days late), or not done."""

    kind: Literal["deadline"]
    due: dt.date
    on_time: Num | None = None
    late: Num | list[LateBand]
    not_done: Num = Decimal(0)

    def late_bands(self) -> list[LateBand]:
        """The late steps, a single amount read as one open step."""
        return [LateBand(points=self.late)] if isinstance(self.late, Decimal) else self.late


class Deadline(Handler[DeadlineRule]):
    """A task with a due date."""

    kind = "deadline"
    spec = DeadlineRule
    doc = "Done by the due date, late (optionally by days), or not done."
    label_vi, label_en = "Thời hạn", "Deadline"
    inputs = named(
        Input(
            "done_on",
            "date",
            "Ngày hoàn thành",
            "Date done",
            help_vi="Ngày ban hành hoặc hoàn thành (dd/mm/yyyy); để trống nếu chưa thực hiện",
            help_en="Date issued or done (dd/mm/yyyy); leave empty if not done",
        )
    )
    adjustable = True

    def check(self, rule: DeadlineRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        points_ok(("on_time",), rule.on_time, top, p)
        points_ok(("not_done",), rule.not_done, top, p)
        bands = rule.late_bands()
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

    def branches(self, rule: DeadlineRule, top: Decimal) -> list[Branch]:
        out = [
            Branch("on_time", "Đúng hạn", "On time", hi=0),
            Branch("not_done", "Không thực hiện", "Not done", status="not_done"),
        ]
        bands = rule.late_bands()
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

    def prepare(self, rule: DeadlineRule, answer: Mapping[str, Any]) -> Prepared:
        v = get(answer, "done_on")
        if v is None:
            return Prepared("not_done", None, {"done_on": None, "due": rule.due.isoformat()})
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise AnswerError(
                "done_on",
                f"expected a date (YYYY-MM-DD) or null, got {v!r}",
                vi=f"cần một ngày (yyyy-mm-dd) hoặc để trống, nhận {v!r}",
            )
        return Prepared(
            VALUE,
            Fraction((v - rule.due).days),
            {
                "done_on": v.isoformat(),
                "due": rule.due.isoformat(),
                "days_late": max(0, (v - rule.due).days),
            },
        )

    def points(self, rule: DeadlineRule, branch: str, prepared: Prepared, top: Decimal) -> Decimal:
        if branch == "on_time":
            return top if rule.on_time is None else rule.on_time
        if branch == "not_done":
            return rule.not_done
        bands = rule.late_bands()
        return bands[0 if branch == "late" else int(branch.removeprefix("late_")) - 1].points

    def proposals(
        self, rule: DeadlineRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        done, due = current.get("done_on"), rule.due
        days = Decimal((done - due).days) if isinstance(done, dt.date) else ONE
        yield [("done_on", max(days, ONE), due)]
        if not isinstance(rule.late, Decimal):
            for band in rule.late:
                if band.max_days is not None and (
                    done is None or (done - due).days > band.max_days
                ):
                    new = due + dt.timedelta(days=band.max_days)
                    gap = Decimal((done - new).days) if isinstance(done, dt.date) else ONE
                    yield [("done_on", max(gap, ONE), new)]


class Level(Frozen):
    """One named level of an ``ordinal_levels`` rule."""

    points: Num
    label_vi: Text
    label_en: Text | None = None


class OrdinalLevelsRule(RuleSpec):
    """``ordinal_levels``: one of several named levels, lowest first, each with its points."""

    kind: Literal["ordinal_levels"]
    levels: dict[Id, Level] = Field(min_length=1)


class OrdinalLevels(Handler[OrdinalLevelsRule]):
    """Named levels; the engine compares their positions."""

    kind = "ordinal_levels"
    spec = OrdinalLevelsRule
    doc = "One of several named levels, each with its points."
    label_vi, label_en = "Mức độ", "Levels"
    inputs = named(
        Input(
            "level",
            "level",
            "Mức độ đạt được",
            "Level reached",
            help_vi="Chọn mức đơn vị đã đạt",
            help_en="Choose the level the unit reached",
        )
    )
    adjustable = True
    tolerance = 0.05

    def check(self, rule: OrdinalLevelsRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for key, lv in rule.levels.items():
            points_ok(("levels", key, "points"), lv.points, top, p)
        return p

    def branches(self, rule: OrdinalLevelsRule, top: Decimal) -> list[Branch]:
        return [
            Branch(key, lv.label_vi, lv.label_en or key, lo=encode_bound(i), hi=encode_bound(i))
            for i, (key, lv) in enumerate(rule.levels.items())
        ]

    def prepare(self, rule: OrdinalLevelsRule, answer: Mapping[str, Any]) -> Prepared:
        v = get(answer, "level")
        keys = list(rule.levels)
        if not isinstance(v, str) or v not in rule.levels:
            raise AnswerError(
                "level",
                f"{v!r} is not one of {', '.join(keys)}",
                suggest(str(v), keys),
                vi=f"{v!r} không phải là một trong các mức "
                + ", ".join(f"{k} ({lv.label_vi})" for k, lv in rule.levels.items()),
            )
        return Prepared(VALUE, Fraction(keys.index(v)), {"level": v})

    def points(
        self, rule: OrdinalLevelsRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        return rule.levels[branch].points

    def choices(self, rule: OrdinalLevelsRule, name: str) -> tuple[Choice, ...]:
        return tuple(Choice(k, lv.label_vi, lv.label_en or k) for k, lv in rule.levels.items())

    def branch_path(self, rule: OrdinalLevelsRule, branch: str) -> tuple[str | int, ...]:
        return ("levels", branch)

    def proposals(
        self, rule: OrdinalLevelsRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        keys = list(rule.levels)
        at = keys.index(current["level"]) if current.get("level") in keys else len(keys)
        for i, key in enumerate(keys):
            yield [("level", Decimal(abs(i - at)) or ONE, key)]


class CompareToLimitRule(RuleSpec):
    """``compare_to_limit``: points for an actual time shorter than, equal to or over a limit."""

    kind: Literal["compare_to_limit"]
    shorter: Num
    equal: Num
    longer: Num


class CompareToLimit(Handler[CompareToLimitRule]):
    """The time a procedure took against its legal limit."""

    kind = "compare_to_limit"
    spec = CompareToLimitRule
    doc = "Actual time against the legal limit: shorter/equal/longer."
    label_vi, label_en = "So với thời hạn", "Against the time limit"
    inputs = named(
        Input(
            "actual",
            "number",
            "Thời gian thực tế",
            "Actual time",
            help_vi="Thời gian thực tế đã dùng (cùng đơn vị với thời hạn quy định)",
            help_en="The time actually taken (in the legal limit's unit)",
        ),
        Input(
            "limit",
            "number",
            "Thời hạn quy định",
            "Legal limit",
            help_vi="Thời hạn theo quy định (ví dụ số ngày làm việc)",
            help_en="The legal time limit (e.g. working days)",
        ),
    )
    adjustable = True

    def check(self, rule: CompareToLimitRule, top: Decimal) -> list[Problem]:
        p: list[Problem] = []
        for name in ("shorter", "equal", "longer"):
            points_ok((name,), getattr(rule, name), top, p)
        return p

    def branches(self, rule: CompareToLimitRule, top: Decimal) -> list[Branch]:
        return [
            Branch("shorter", "Ngắn hơn quy định", "Shorter than the limit", hi=0, hi_incl=False),
            Branch("equal", "Bằng quy định", "Equal to the limit", lo=0, hi=0),
            Branch("longer", "Dài hơn quy định", "Longer than the limit", lo=0, lo_incl=False),
        ]

    def prepare(self, rule: CompareToLimitRule, answer: Mapping[str, Any]) -> Prepared:
        actual, limit = number(answer, "actual"), number(answer, "limit")
        return Prepared(
            VALUE, Fraction(actual) - Fraction(limit), {"actual": actual, "limit": limit}
        )

    def points(
        self, rule: CompareToLimitRule, branch: str, prepared: Prepared, top: Decimal
    ) -> Decimal:
        return Decimal(getattr(rule, branch))

    def proposals(
        self, rule: CompareToLimitRule, current: Mapping[str, Any], top: Decimal
    ) -> Iterator[Proposal]:
        if "limit" not in current:
            return
        actual, limit = Decimal(current.get("actual", 0)), Decimal(current["limit"])
        for new in (limit - 1, limit):
            if new >= 0 and new < actual:
                yield [("actual", actual - new, new)]
