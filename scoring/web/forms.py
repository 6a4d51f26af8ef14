"""The self-assessment form: one row per leaf the unit assesses itself, read back into a file.

A posted form becomes the unit's YAML text (the same format as a unit file), which is then
stored or scored through the same checked path as any imported file: the web app has no
second parser of answers. Field names are ``a:LEAF:INPUT``; numbers may be typed with a
decimal comma, dates as dd/mm/yyyy; evidence is one document a line,
``number; date; title; section; page`` (the last three optional).
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
from scoring.web.i18n import date, number, parse_date, parse_number, t

MAX_EVIDENCE_LINES = 50
MAX_FIELD = 2000  # characters of any one field


@dataclass(frozen=True)
class Input:
    """One field of a row: an input of the leaf's rule kind, labelled as the kind labels it."""

    name: str  # the answer field: value, numerator, done_on, …
    type: str  # bool | number | whole | date | level | responses | text
    label_vi: str
    label_en: str
    help_vi: str = ""
    help_en: str = ""
    # (value, Vietnamese label, English label) of a bool or level input: people see the label
    choices: tuple[tuple[str, str, str], ...] = ()
    bounds: tuple[Decimal, Decimal] | None = None  # the range a number must lie in

    def label(self, lang: str) -> str:
        """The field's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi

    def help(self, lang: str) -> str:
        """What to type in the field, in ``lang``."""
        return self.help_en if lang == "en" else self.help_vi

    def options(self, lang: str) -> list[tuple[str, str]]:
        """The (value, label) pairs of a choice field, labelled in ``lang`` without codes."""
        return [(v, en if lang == "en" else vi) for v, vi, en in self.choices]


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
        for name in h.inputs:
            if name == "reason":
                continue
            inp = node.input_spec(name)  # the leaf's own words for it, else the kind's
            assert inp is not None
            choices: tuple[tuple[str, str, str], ...] = ()
            if inp.type == "bool":
                choices = (("true", "Có", "Yes"), ("false", "Không", "No"))
            elif inp.type == "level":
                levels = h.choices(node.rule, name)
                choices = tuple((c.value, c.label_vi, c.label_en) for c in levels)
            bounds = h.bounds(node.rule, name) if inp.type == "number" else None
            inputs.append(
                Input(
                    name,
                    inp.type,
                    inp.label_vi,
                    inp.label_en,
                    inp.help_vi,
                    inp.help_en,
                    choices,
                    bounds,
                )
            )
        out.append(Row(item, tuple(inputs)))
        assert leaf_id == node.id
    return out


def labels(form_rows: list[Row], lang: str) -> dict[str, str]:
    """Every field of the form by its name, as people read it: "1.1.1 — Ngày hoàn thành"."""
    out: dict[str, str] = {}
    for row in form_rows:
        for inp in row.inputs:
            out[key(row.id, inp.name)] = f"{row.id} — {inp.label(lang)}"
        for name, text in (("self_score", "self_score"), ("evidence", "evidence"), ("na", "na")):
            out[key(row.id, name)] = f"{row.id} — {t(text, lang)}"
    return out


def shown_inputs(form_rows: list[Row], answers: Mapping[str, Any], lang: str) -> dict[str, str]:
    """What each leaf's answer says, for the appraiser: "Tử số: 45 · Mẫu số: 50"; a level or
    yes/no by its label, a date as dd/mm/yyyy, a number with the language's decimal mark."""
    out: dict[str, str] = {}
    for row in form_rows:
        ans = answers.get(row.id)
        if ans is None:
            continue
        data = ans.model_dump(exclude_unset=True)
        if data.get("na"):
            out[row.id] = t("na", lang)
            continue
        parts = []
        for inp in row.inputs:
            if inp.name not in data:
                continue
            value = data[inp.name]
            if inp.choices:
                raw = ("true" if value else "false") if isinstance(value, bool) else str(value)
                text = dict(inp.options(lang)).get(raw, raw)
            elif value is None:
                text = "—"
            elif isinstance(value, dt.date):
                text = date(value)
            elif isinstance(value, Decimal | int):
                text = number(str(value), lang)
            else:
                text = str(value)
            parts.append(f"{inp.label(lang)}: {text}")
        out[row.id] = " · ".join(parts)
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


def echoed(posted: Mapping[str, str], form_rows: list[Row]) -> dict[str, str]:
    """The posted fields as a form shown again shows them: every date that reads as one
    (typed ISO, 2018-02-03, or with one digit, 3/2/2018) as people write it, 03/02/2018, in a
    date field and in an evidence line; anything else (an unreadable date too) as typed."""
    out = dict(posted)
    for row in form_rows:
        for inp in row.inputs:
            name = key(row.id, inp.name)
            if inp.type == "date" and name in out:
                out[name] = _as_written(out[name])
        name = key(row.id, "evidence")
        if name in out:
            out[name] = "\n".join(_evidence_echoed(line) for line in out[name].split("\n"))
    return out


def _as_written(raw: str) -> str:
    try:
        return date(parse_date(raw)) if raw.strip() else raw
    except ValueError:
        return raw


def _evidence_echoed(line: str) -> str:
    parts = line.split(";", 4)
    if len(parts) < 2 or not parts[1].strip():
        return line
    typed = parts[1].strip()
    shown = _as_written(typed)
    if shown == typed:
        return line
    parts[1] = parts[1].replace(typed, shown, 1)  # the spaces typed around it kept
    return ";".join(parts)


def _evidence_line(e: Mapping[str, Any]) -> str:
    # all five parts, so a save keeps a reference's section and page (a title's own ";" is
    # written as "," to keep the columns apart)
    parts = [
        str(e.get("doc", "")),
        date(e.get("date")),
        str(e.get("title") or "").replace(";", ","),
        str(e.get("section") or ""),
        str(e.get("page") if e.get("page") is not None else ""),
    ]
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


def parse(form: Mapping[str, str], form_rows: list[Row], lang: str = "vi") -> Parsed:
    """Read the posted fields of ``form_rows``; unknown fields are ignored. A leaf whose
    fields are absent (not posted at all, unlike posted empty) is listed in ``missing`` and
    not read: an absent field is not an answer cleared. Errors are written in ``lang``."""
    out = Parsed()
    for row in form_rows:
        if any(name not in form for name in fields_of(row)):
            out.missing.append(row.id)
            continue
        ans: dict[str, Any] = {}
        for inp in row.inputs:
            raw = form.get(key(row.id, inp.name), "").strip()
            if raw:
                _set(out, ans, row.id, inp, raw, lang)
        if form.get(key(row.id, "na")):
            ans["na"] = True
        score = form.get(key(row.id, "self_score"), "").strip()
        if score:
            _self_score(out, ans, row, score, lang)
        note = form.get(key(row.id, "note"), "").strip()
        if note:
            ans["note"] = note[:MAX_FIELD]
        evidence = form.get(key(row.id, "evidence"), "")
        docs = _evidence(evidence, row.id, out, lang)
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


def missing_message(leaves: list[str], lang: str = "vi") -> str:
    """What the page says of a form posted without the fields of ``leaves``."""
    shown = ", ".join(leaves[:8]) + (f" (+{len(leaves) - 8})" if len(leaves) > 8 else "")
    return say("form_missing", lang, count=len(leaves), leaves=shown)


def say(key_: str, lang: str, **values: Any) -> str:
    """The interface text ``key_`` in ``lang`` with ``values`` put in its blanks."""
    return t(key_, lang).format(**values)


def _set(out: Parsed, ans: dict[str, Any], leaf: str, inp: Input, raw: str, lang: str) -> None:
    name = key(leaf, inp.name)
    if len(raw) > MAX_FIELD:
        out.errors[name] = say("err_long", lang, limit=MAX_FIELD)
        return
    if inp.type == "bool":
        if raw not in ("true", "false"):
            out.errors[name] = say("err_choose", lang)
            return
        ans[inp.name] = raw == "true"
    elif inp.type == "date":
        try:
            ans[inp.name] = parse_date(raw)
        except ValueError:
            out.errors[name] = say("err_date", lang, raw=raw)
    elif inp.type in ("whole", "number"):
        value = _number(out, name, raw, lang)
        if value is None:
            return
        if inp.type == "whole" and (value != value.to_integral_value() or value < 0):
            out.errors[name] = say("err_whole", lang, raw=raw)
        elif inp.type == "whole":
            ans[inp.name] = int(value)
        elif inp.bounds is not None and not inp.bounds[0] <= value <= inp.bounds[1]:
            lo, hi = (number(str(b), lang) for b in inp.bounds)
            out.errors[name] = say("err_range", lang, raw=raw, lo=lo, hi=hi)
        else:
            ans[inp.name] = value
    elif inp.type == "level":
        if raw not in {c[0] for c in inp.choices}:
            out.errors[name] = say("err_choose", lang)
            return
        ans[inp.name] = raw
    else:
        ans[inp.name] = raw


def _number(out: Parsed, name: str, raw: str, lang: str) -> Decimal | None:
    try:
        return parse_number(raw)
    except ValueError:
        out.errors[name] = say("err_number", lang, raw=raw)
        return None


def _self_score(out: Parsed, ans: dict[str, Any], row: Row, raw: str, lang: str) -> None:
    """The unit's own score of the leaf: a number from 0 to the leaf's maximum."""
    name = key(row.id, "self_score")
    value = _number(out, name, raw, lang)
    if value is None:
        return
    top = Decimal(row.item.node.max)
    if not Decimal(0) <= value <= top:
        out.errors[name] = say("err_range", lang, raw=raw, lo="0", hi=number(str(top), lang))
        return
    ans["self_score"] = value


def _evidence(text: str, leaf: str, out: Parsed, lang: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > MAX_EVIDENCE_LINES:
        out.errors[key(leaf, "evidence")] = say("err_documents", lang, limit=MAX_EVIDENCE_LINES)
        return []
    for line in lines:
        parts = [p.strip() for p in line.split(";", 4)]
        doc: dict[str, Any] = {"doc": parts[0][:MAX_FIELD]}
        if len(parts) > 1 and parts[1]:
            try:
                doc["date"] = parse_date(parts[1])
            except ValueError:
                out.errors[key(leaf, "evidence")] = say("err_date", lang, raw=parts[1])
                continue
        if len(parts) > 2 and parts[2]:
            doc["title"] = parts[2][:MAX_FIELD]
        if len(parts) > 3 and parts[3]:
            doc["section"] = parts[3][:MAX_FIELD]
        if len(parts) > 4 and parts[4]:
            page = parts[4][:MAX_FIELD]
            doc["page"] = int(page) if page.isascii() and page.isdigit() else page
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
