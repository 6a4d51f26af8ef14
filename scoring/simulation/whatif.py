"""What-if for a unit: change some answers, see points, index, class and rank move.

``simulate`` applies changes (``NODE=VALUE`` or ``NODE.input=VALUE``) to one unit's answers,
re-scores only what they affect (``incremental.rescore``, falling back to a full re-score of
the unit), and ranks it again against the others as they stand. A named set of changes can
be kept in a scenario file. ``gaps`` finds the changes worth making; ``plan`` chooses them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.campaign.ready import prepare
from scoring.campaign.submission import Answer, Submission
from scoring.errors import (
    ErrorList,
    Location,
    ParindexError,
    SubmissionError,
    suggest,
    unknown_id,
)
from scoring.evaluation.batch import score_units
from scoring.evaluation.incremental import rescore
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import ClassLabel, Step, UnitResult
from scoring.index.fields import Frozen
from scoring.index.kinds import Input, handler
from scoring.index.loader import Index
from scoring.sources.files import write_text
from scoring.sources.located import validate
from scoring.sources.numbers import ZERO, fmt, quantize
from scoring.sources.yamlsrc import dump_yaml, exists, load_yaml, load_yaml_file

EVIDENCE = "evidence"
_COMMA = re.compile(r"[+-]?\d{1,15},\d{1,12}")  # 0,5 as Vietnamese write it
_DMY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")  # 31/01/2018


@dataclass(frozen=True)
class InputChange:
    """One edit of a unit's answers: an input of a leaf (or of a bonus/penalty)."""

    node: str
    field: str
    value: Any

    def __str__(self) -> str:
        return f"{self.node}.{self.field}={self.value}"


def parse_change(index: Index, result: CampaignResult, unit_id: str, text: str) -> InputChange:
    """``NODE=VALUE`` or ``NODE.input=VALUE`` (VALUE read as YAML: 12, 0.5, true, 2018-01-31)."""
    target, sep, raw = text.partition("=")
    if not sep or not target.strip():
        raise SubmissionError(
            f"--set {text!r}: expected NODE=VALUE or NODE.input=VALUE",
            vi=f"--set {text!r}: cần MỤC=GIÁ_TRỊ hoặc MỤC.số_liệu=GIÁ_TRỊ",
        )
    r = scored_unit(result, unit_id)
    view = index.groups[r.group]
    adjustments = {a.spec.id: a for a in index.adjustments if r.group in a.groups}
    node, field_name = target.strip(), ""
    if node not in view.leaves and node not in adjustments and "." in node:
        head, _, tail = node.rpartition(".")
        if head in view.leaves or head in adjustments:
            node, field_name = head, tail
    if node in view.leaves:
        rule = view.leaves[node].node.rule
    elif node in adjustments:
        rule = adjustments[node].spec.rule
    else:
        raise SubmissionError(
            f"no item {node!r} in group {r.group!r}",
            vi=f"nhóm {r.group!r} không có mục {node!r}",
            suggestion=suggest(node, [*view.leaves, *adjustments]),
        )
    assert rule is not None
    own = [k for k in handler(rule).inputs if k != "reason"]  # the council's, never the unit's
    inputs = [*own, "na", EVIDENCE]
    if not field_name:
        if len(own) != 1:
            raise SubmissionError(
                f"{node} reads {', '.join(own)}: name one, e.g. {node}.{own[0]}={raw.strip()}",
                vi=f"mục {node} có các số liệu {', '.join(own)}: hãy ghi rõ một, ví dụ "
                f"{node}.{own[0]}={raw.strip()}",
            )
        field_name = own[0]
    if field_name not in inputs:
        raise SubmissionError(
            f"{node} has no input {field_name!r}; it reads {', '.join(inputs)}",
            vi=f"mục {node} không có số liệu {field_name!r}; mục này có {', '.join(inputs)}",
            suggestion=suggest(field_name, inputs),
        )
    value = _typed(text, raw, handler(rule).inputs.get(field_name))
    if field_name != EVIDENCE and isinstance(value, str) and _not_finite(value):
        raise SubmissionError(
            f"{text!r}: {value!r} is not a number parindex accepts (write a finite number)",
            Location("--set"),
            vi=f"{text!r}: {value!r} không phải là số hợp lệ (hãy ghi một số hữu hạn)",
        )
    if field_name == EVIDENCE and value is not None and not isinstance(value, list):
        value = [{"doc": str(value)}]
    return InputChange(node, field_name, value)


def _typed(text: str, raw: str, spec: Input | None) -> Any:
    """The value of ``--set NODE=VALUE`` as typed: YAML (12, true, 2018-01-31), a number also
    as Vietnamese write it (``0,5``), a date also as dd/mm/yyyy; a number or date input given
    something else is refused here, located at --set, not later in the unit's file."""
    typed = raw.strip()
    if spec is not None and spec.type in ("number", "whole") and _COMMA.fullmatch(typed):
        return Decimal(typed.replace(",", "."))
    if spec is not None and spec.type == "date" and _DMY.fullmatch(typed):
        day, month, year = (int(x) for x in typed.split("/"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise SubmissionError(
                f"{text!r}: {typed!r} is not a date (dd/mm/yyyy)",
                Location("--set"),
                vi=f"{text!r}: {typed!r} không phải là ngày (dd/mm/yyyy)",
            ) from None
    data, _ = load_yaml(f"v: {typed}", "--set")
    value = data["v"] if isinstance(data, dict) else None
    number = spec is not None and spec.type in ("number", "whole")
    if number and isinstance(value, str) and not _not_finite(value):  # NaN: said below
        whole = spec is not None and spec.type == "whole"
        what = "a whole number, e.g. 12" if whole else "a number, e.g. 0,5 or 0.5"
        vi_what = "số nguyên, ví dụ 12" if whole else "số, ví dụ 0,5"
        raise SubmissionError(
            f"{text!r}: {value!r} is not {what}",
            Location("--set"),
            vi=f"{text!r}: {value!r} không phải là {vi_what}",
        )
    return value


def _not_finite(text: str) -> bool:
    """Whether ``text`` reads as NaN, sNaN or Infinity (YAML leaves them text: a number field
    would refuse them, but located in the unit's file rather than at --set)."""
    try:
        return not Decimal(text.strip()).is_finite()
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        return False


def scored_unit(result: CampaignResult, unit_id: str) -> UnitResult:
    """A unit's result, or an error naming the nearest scored unit."""
    r = result.unit(unit_id)
    if r is None:
        every = [u.unit_id for g in result.groups.values() for u in g]
        raise unknown_id("no scored unit", unit_id, every, f"in {result.campaign_id}")
    return r


def apply(
    sub: Submission, changes: Iterable[InputChange], adjustment_ids: Iterable[str] = ()
) -> Submission:
    """A copy of ``sub`` with the changes made (each answer re-validated)."""
    answers, adjustments = dict(sub.answers), dict(sub.adjustments)
    bonus_or_penalty = set(adjustment_ids)
    for ch in changes:
        book = adjustments if ch.node in bonus_or_penalty else answers
        old = book.get(ch.node)
        data = old.model_dump(exclude_unset=True) if old is not None else {}
        data[ch.field] = ch.value
        try:
            book[ch.node] = Answer.model_validate(data)
        except Exception as exc:  # pydantic's ValidationError: report it as a bad value
            raise SubmissionError(f"{ch}: {str(exc).splitlines()[-1].strip()}") from None
    return dataclasses.replace(sub, answers=answers, adjustments=adjustments)


@dataclass(frozen=True)
class WhatIf:
    """A unit before and after some changes, and its place in its group."""

    unit_id: str
    changes: tuple[InputChange, ...]
    before: UnitResult
    after: UnitResult
    rank_before: int | None
    rank_after: int | None
    class_before: ClassLabel | None
    class_after: ClassLabel | None
    moved: tuple[tuple[Step, Step], ...]  # (before, after) of every leaf whose points moved
    incremental: bool


def simulate(
    index: Index,
    result: CampaignResult,
    unit_id: str,
    changes: Sequence[InputChange],
    incremental: bool = True,
) -> WhatIf:
    """Re-score one unit with changed answers and rank it against the others as they are."""
    before = scored_unit(result, unit_id)
    sub = result.submissions.get(unit_id)
    if sub is None:
        raise SubmissionError(
            f"unit {unit_id} has no answers to change",
            vi=f"đơn vị {unit_id} không có số liệu tự đánh giá để thay đổi",
        )
    try:
        ready = prepare(index, apply(sub, changes, (a.spec.id for a in index.adjustments)))
    except ParindexError as exc:
        # the changed answers are what was refused: name them, not the unit's stored file
        first = exc.errors[0] if isinstance(exc, ErrorList) and exc.errors else exc
        typed = ", ".join(f"{c.node}.{c.field}={_as_typed(c.value)}" for c in changes)
        raise SubmissionError(
            f"the changed answer(s) {typed} refused: {first.message}",
            Location("--set"),
            vi=f"giá trị thay đổi {typed} bị từ chối: {first.reason('vi')}",
        ) from None
    appraised = result.appraisals.get(unit_id, {})
    leaves = {c.node for c in changes}
    after = None
    if incremental and leaves <= set(index.groups[before.group].leaves):
        after = rescore(index, ready, before, leaves, appraised)
    used_incremental = after is not None
    if after is None:
        after = score_units(index, [ready], {unit_id: appraised})[0]
    group = [after if r.unit_id == unit_id else r for r in result.groups[before.group]]
    ranked = next(r for r in rank(group, index) if r.unit_id == unit_id)
    old = {s.node: s for s in before.trace if s.level == "leaf"}
    moved = tuple(
        (old[s.node], s)
        for s in ranked.trace
        if s.level == "leaf" and s.node in old and old[s.node].points != s.points
    )
    return WhatIf(
        unit_id,
        tuple(changes),
        before,
        ranked,
        before.rank,
        ranked.rank,
        before.classification,
        ranked.classification,
        moved,
        used_incremental,
    )


# ---------------------------------------------------------------- named scenarios


class ScenarioFile(Frozen):
    """A scenario file: a unit's named sets of ``--set`` changes."""

    unit: str
    scenarios: dict[str, list[str]]


def save_scenario(path: Path, unit_id: str, name: str, changes: Sequence[InputChange]) -> None:
    """Add (or replace) a named scenario of a unit in a YAML file."""
    scenarios: dict[str, list[str]] = {}
    if exists(path):
        spec = _read_scenarios(path)
        if spec.unit != unit_id:
            raise SubmissionError(
                f"{path} holds scenarios of {spec.unit}, not {unit_id}",
                Location(str(path)),
                vi=f"tệp chứa kịch bản của {spec.unit}, không phải {unit_id}",
            )
        scenarios = dict(spec.scenarios)
    scenarios[name] = [str(c) for c in changes]
    write_text(path, dump_yaml({"unit": unit_id, "scenarios": scenarios}))


def _read_scenarios(path: Path) -> ScenarioFile:
    """A scenario file, read and checked."""
    data, source = load_yaml_file(path)
    return validate(ScenarioFile, data or {}, source, SubmissionError)  # type: ignore[no-any-return]


def load_scenario(path: Path, name: str) -> tuple[str, list[str]]:
    """(unit id, the ``--set`` texts) of a named scenario."""
    spec = _read_scenarios(path)
    if name not in spec.scenarios:
        raise SubmissionError(
            f"no scenario {name!r} in {path}",
            vi=f"không có kịch bản {name!r} trong {path}",
            suggestion=suggest(name, spec.scenarios),
        )
    return spec.unit, spec.scenarios[name]


def summary(w: WhatIf, places: int) -> dict[str, Any]:
    """The what-if as plain data (published precision)."""

    def q(x: Decimal) -> str:
        return fmt(quantize(x, places))

    return {
        "unit_id": w.unit_id,
        "changes": [str(c) for c in w.changes],
        "points": [q(w.before.points), q(w.after.points)],
        "index": [q(w.before.index), q(w.after.index)],
        "rank": [w.rank_before, w.rank_after],
        "class": [
            w.class_before.label_vi if w.class_before else None,
            w.class_after.label_vi if w.class_after else None,
        ],
        "moved": [
            {
                "node": a.node,
                "from": fmt(a.points or ZERO),
                "to": fmt(b.points or ZERO),
                "reason_vi": b.reason_vi,
                "reason_en": b.reason_en,
            }
            for a, b in w.moved
        ],
        "incremental": w.incremental,
    }


def _as_typed(value: Any) -> str:
    """A changed value as the person typed it (a Decimal as its digits, not its repr)."""
    return str(value)
