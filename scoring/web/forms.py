"""The self-assessment form: one row per leaf the unit assesses itself, read back into a file.

A posted form becomes the unit's YAML text (the same format as a unit file), which is then
stored or scored through the same checked path as any imported file: the web app has no
second parser of answers. Field names are ``a:LEAF:INPUT``; numbers may be typed with a
decimal comma, dates as dd/mm/yyyy; evidence is one document a line, ``number; date; title``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.index.compiled import Item
from scoring.index.kinds import handler
from scoring.index.loader import Index
from scoring.sources.yamlsrc import dump_yaml
from scoring.web.i18n import date, number, parse_date, parse_number

MAX_EVIDENCE_LINES = 50
MAX_FIELD = 2000  # characters of any one field


@dataclass(frozen=True)
class Input:
    """One field of a row: an input of the leaf's rule kind, labelled as the kind labels it."""

    name: str  # the answer field: value, numerator, done_on, …
    type: str  # bool | number | whole | date | level | responses | text
    label_vi: str
    label_en: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for bool and level


@dataclass(frozen=True)
class Row:
    """One leaf of the form."""

    item: Item
    inputs: tuple[Input, ...]

    @property
    def id(self) -> str:
        """The leaf's id."""
        return self.item.node.id


def rows(index: Index, group: str) -> list[Row]:
    """The leaves a unit of ``group`` answers itself, in the index's order."""
    out = []
    for leaf_id, item in index.groups[group].leaves.items():
        node = item.node
        if node.assessed_by != "self" or node.rule is None:
            continue
        inputs = []
        h = handler(node.rule)
        for name, inp in h.inputs.items():
            if name == "reason":
                continue
            choices: tuple[tuple[str, str], ...] = ()
            if inp.type == "bool":
                choices = (("true", "Có / Yes"), ("false", "Không / No"))
            elif inp.type == "level":
                levels = h.choices(node.rule, name)
                choices = tuple((c.value, f"{c.value}: {c.label_vi}") for c in levels)
            inputs.append(Input(name, inp.type, inp.label_vi, inp.label_en, choices))
        out.append(Row(item, tuple(inputs)))
        assert leaf_id == node.id
    return out


def key(leaf: str, name: str) -> str:
    """The form field name of input ``name`` of ``leaf``."""
    return f"a:{leaf}:{name}"


def values_of(answers: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The form's field values shown for stored answers (``Answer`` records)."""
    out: dict[str, str] = {}
    for leaf, ans in answers.items():
        data = ans.model_dump(exclude_unset=True)
        for name, value in data.items():
            if name == "evidence":
                out[key(leaf, name)] = "\n".join(_evidence_line(e) for e in data["evidence"])
            elif name == "na":
                out[key(leaf, name)] = "on" if value else ""
            elif isinstance(value, bool):
                out[key(leaf, name)] = "true" if value else "false"
            elif isinstance(value, dt.date):
                out[key(leaf, name)] = date(value)
            elif isinstance(value, Decimal | int) and name != "level":
                out[key(leaf, name)] = number(value, lang)
            elif value is not None:
                out[key(leaf, name)] = str(value)
    return out


def _evidence_line(e: Mapping[str, Any]) -> str:
    parts = [str(e.get("doc", "")), date(e.get("date")), str(e.get("title") or "")]
    return "; ".join(parts).rstrip("; ")


@dataclass
class Parsed:
    """A posted form: the answers as a unit file's data, and the fields that could not be read."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    missing: list[str] = field(default_factory=list)  # leaves whose fields were not posted


def fields_of(row: Row) -> list[str]:
    """The fields the form always posts for ``row`` (an unticked "not applicable" box is
    never posted, so it is not among them)."""
    return [key(row.id, inp.name) for inp in row.inputs] + [
        key(row.id, "self_score"),
        key(row.id, "evidence"),
    ]


def parse(form: Mapping[str, str], form_rows: list[Row]) -> Parsed:
    """Read the posted fields of ``form_rows``; unknown fields are ignored. A leaf whose
    fields are absent (not posted at all, unlike posted empty) is listed in ``missing`` and
    not read: an absent field is not an answer cleared."""
    out = Parsed()
    for row in form_rows:
        if any(name not in form for name in fields_of(row)):
            out.missing.append(row.id)
            continue
        ans: dict[str, Any] = {}
        for inp in row.inputs:
            raw = form.get(key(row.id, inp.name), "").strip()
            if raw:
                _set(out, ans, row.id, inp, raw)
        if form.get(key(row.id, "na")):
            ans["na"] = True
        score = form.get(key(row.id, "self_score"), "").strip()
        if score:
            try:
                ans["self_score"] = parse_number(score)
            except ValueError as exc:
                out.errors[key(row.id, "self_score")] = str(exc)
        note = form.get(key(row.id, "note"), "").strip()
        if note:
            ans["note"] = note[:MAX_FIELD]
        evidence = form.get(key(row.id, "evidence"), "")
        docs = _evidence(evidence, row.id, out)
        if docs:
            ans["evidence"] = docs
        if ans:
            # a date left empty on an answered row is "not done" (done_on: null), which the
            # form shows as an empty date; without this a stored "not done" could not be saved
            # back unchanged
            for inp in row.inputs:
                empty = not form.get(key(row.id, inp.name), "").strip()
                if inp.type == "date" and empty and not ans.get("na"):
                    ans[inp.name] = None
            out.answers[row.id] = ans
    return out


def missing_message(leaves: list[str]) -> str:
    """What the page says of a form posted without the fields of ``leaves``."""
    shown = ", ".join(leaves[:8]) + (f" and {len(leaves) - 8} more" if len(leaves) > 8 else "")
    return (
        f"the form came without the fields of {len(leaves)} item(s) ({shown}): nothing was "
        "saved; reload the page and save again"
    )


def _set(out: Parsed, ans: dict[str, Any], leaf: str, inp: Input, raw: str) -> None:
    name = key(leaf, inp.name)
    try:
        if len(raw) > MAX_FIELD:
            raise ValueError("too long")
        if inp.type == "bool":
            if raw not in ("true", "false"):
                raise ValueError(f"{raw!r}: choose yes or no")
            ans[inp.name] = raw == "true"
        elif inp.type == "date":
            ans[inp.name] = parse_date(raw)
        elif inp.type == "whole":
            value = parse_number(raw)
            if value != value.to_integral_value():
                raise ValueError(f"{raw!r} is not a whole number")
            ans[inp.name] = int(value)
        elif inp.type == "number":
            ans[inp.name] = parse_number(raw)
        elif inp.type == "level":
            if raw not in {c for c, _ in inp.choices}:
                raise ValueError(f"{raw!r} is not one of the levels")
            ans[inp.name] = raw
        else:
            ans[inp.name] = raw
    except ValueError as exc:
        out.errors[name] = str(exc)


def _evidence(text: str, leaf: str, out: Parsed) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > MAX_EVIDENCE_LINES:
        out.errors[key(leaf, "evidence")] = f"at most {MAX_EVIDENCE_LINES} documents"
        return []
    for line in lines:
        parts = [p.strip() for p in line.split(";", 2)]
        doc: dict[str, Any] = {"doc": parts[0][:MAX_FIELD]}
        if len(parts) > 1 and parts[1]:
            try:
                doc["date"] = parse_date(parts[1])
            except ValueError as exc:
                out.errors[key(leaf, "evidence")] = str(exc)
                continue
        if len(parts) > 2 and parts[2]:
            doc["title"] = parts[2][:MAX_FIELD]
        if doc["doc"]:
            docs.append(doc)
    return docs


def unit_text(
    unit: str,
    index_id: str,
    stored: Any,
    answers: dict[str, Any],
    form_rows: list[Row],
) -> str:
    """The unit file's text: the stored answers (a ``Submission``, or None) with the form's
    leaves replaced; bonuses and penalties the unit declared are kept as they are."""
    form_ids = {r.id for r in form_rows}
    kept: dict[str, Any] = {}
    adjustments: dict[str, Any] = {}
    if stored is not None:
        kept = {
            k: a.model_dump(exclude_unset=True, mode="python")
            for k, a in stored.answers.items()
            if k not in form_ids and ("source", k) not in stored.where
        }
        adjustments = {
            k: a.model_dump(exclude_unset=True, mode="python")
            for k, a in stored.adjustments.items()
        }
    data: dict[str, Any] = {"unit": unit, "index": index_id, "answers": {**kept, **answers}}
    if adjustments:
        data["adjustments"] = adjustments
    head = f"# Self-assessment of {unit}, saved from the web form\n"
    return head + dump_yaml(_plain(data), fast=True)


def _plain(value: Any) -> Any:
    """Data from ``load_yaml`` (which may carry its own mapping types) as plain dicts/lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
