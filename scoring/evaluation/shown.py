"""A trace step's parts as people read them: one set of functions for the CLI's ``explain``
and the web app's trace page, so both write a branch, an input, a value and a note alike.

A stored trace keeps codes (``on_time``, ``band_1``, ``days_late``, ``dung-tien-do``,
``appraised``) and ISO dates because it is a record (hashed, recomputed by ``verify``, given
out by ``--json``). These functions only format it when it is shown:

- ``branch``: a branch code → its label from the index (``Đúng hạn``, ``Khoảng [0.5, 1)`` in
  words: ``Từ 0,5 đến dưới 1``);
- ``kind``: a rule kind → its label (``Tỷ lệ theo khoảng``);
- ``input_label``: an input name → its label from the rule-kind registry (``Ngày hoàn
  thành``), or for a value a rule works out itself (``due``, ``days_late``) ``Hạn``, ``Số ngày
  trễ``;
- ``value``: a value → ``Có``/``Không``, dd/mm/yyyy, a decimal comma, a level's label;
- ``note``: a step's note → words (``appraised`` → ``đã thẩm định``).
"""

from __future__ import annotations

from typing import Any

from scoring.index.compiled import Index
from scoring.index.kinds import HANDLERS
from scoring.sources import said
from scoring.sources.clock import show

# values a rule works out from the answers (not inputs the unit types), by name
DERIVED: dict[str, tuple[str, str]] = {
    "due": ("Hạn", "Due"),
    "days_late": ("Số ngày trễ", "Days late"),
    "source": ("Nguồn", "Source"),
    "rate": ("Tỷ lệ (%)", "Rate (%)"),
    "evidence": ("Tài liệu kiểm chứng", "Evidence"),
    "respondents": ("Số người trả lời", "Respondents"),
    "responses": ("Số phiếu theo mức", "Answers by level"),
}
NOTES: dict[str, tuple[str, str]] = {
    "appraised": ("đã thẩm định", "appraised"),
    "evidence_missing": ("thiếu tài liệu kiểm chứng", "no evidence given"),
}
YES_NO = {True: ("Có", "Yes"), False: ("Không", "No")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def branch(index: Index | None, node: str, code: str | None, lang: str = "vi") -> str:
    """The label of branch ``code`` of ``node`` (a leaf, or a bonus or penalty) in ``lang``,
    band notation in words; the code itself when the index has no such branch."""
    if not code:
        return ""
    if index is not None:
        found = [
            view.leaves[node].branch_map.get(code)
            for view in index.groups.values()
            if node in view.leaves
        ]
        found += [b for a in index.adjustments if a.spec.id == node for b in a.branches]
        for b in found:
            if b is not None and b.id == code:
                label = (b.label_en or b.label_vi) if lang == "en" else b.label_vi
                return said.people(label, lang)
    return code


def kind(code: str | None, lang: str = "vi") -> str:
    """A rule kind's label ("Tỷ lệ theo khoảng"), the code when the registry has none."""
    h = HANDLERS.get(code or "")
    if h is None:
        return code or ""
    return (h.label_en or h.label_vi) if lang == "en" else h.label_vi


def input_label(
    kind: str | None,
    name: str,
    lang: str = "vi",
    *,
    index: Index | None = None,
    node: str = "",
    group: str | None = None,
) -> str:
    """An input's label: with the ``index``, leaf ``node``'s own words for it (``inputs:`` in
    criteria.yaml, in ``group``'s tree), else the rule-kind registry's ("Ngày hoàn thành"),
    else the label of a value a rule works out ("Số ngày trễ"), else the name. Without a
    ``kind`` (a proposed change), the first kind that reads ``name``."""
    h = HANDLERS.get(kind or "")
    spec = h.inputs.get(name) if h is not None else None
    if kind is None:
        spec = next((k.inputs[name] for k in HANDLERS.values() if name in k.inputs), None)
    if index is not None and node:
        spec = index.input_spec(node, name, group) or spec
    if spec is not None:
        return (spec.label_en or spec.label_vi) if lang == "en" else spec.label_vi
    return _pick(DERIVED[name], lang) if name in DERIVED else name


def value(
    v: Any,
    lang: str = "vi",
    tz: str | None = None,
    places: int | None = None,
    *,
    index: Index | None = None,
    node: str = "",
    name: str = "",
) -> str:
    """A value for people: ``Có``/``Không``, a date dd/mm/yyyy (a time in the zone ``tz``), a
    figure with a decimal comma in Vietnamese, a level of ``node``'s input ``name`` by its
    label (with the ``index``), a mapping as ``key: value`` pairs, ``—`` for none; a document
    number or a word as it is."""
    if isinstance(v, bool):
        return _pick(YES_NO[v], lang)
    if v is None:
        return "—"
    if isinstance(v, dict):  # a survey's answers by level: "A: 52; B: 34"
        return "; ".join(f"{k}: {value(x, lang, tz, places)}" for k, x in v.items())
    if isinstance(v, str) and index is not None and name:
        label = index.level_label(node, name, v, lang)
        if label is not None:
            return label
    text = str(v)
    shown = show(text, tz)
    if shown != text:  # an ISO date or time
        return shown
    return said.people(text, lang, places)  # 42.4657… → 42,47


def note(text: str, lang: str = "vi", places: int | None = None) -> str:
    """A trace step's note for people (``appraised`` → ``đã thẩm định``)."""
    return _pick(NOTES[text], lang) if text in NOTES else said.people(text, lang, places)
