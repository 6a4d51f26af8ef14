"""The CLI's words for people, in Vietnamese (the default) or English (``--lang en`` or
``PARINDEX_LANG=en``), and its figures and times as people write them.

Human output only: ``--json`` prints the exact documents (points as decimal strings with a
point, times ISO 8601). Figures go through ``scoring.sources.said`` (decimal comma in
Vietnamese, the index's places), times through ``scoring.sources.clock.show`` (dd/mm/yyyy
HH:MM in the campaign's zone), the same helpers the web app uses.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scoring.cli.messages import MESSAGES
from scoring.evaluation import shown
from scoring.sources import said
from scoring.sources.clock import show
from scoring.store.workflow import state_name

if TYPE_CHECKING:
    from scoring.index.loader import Index

_chosen = {"lang": "vi"}

# key -> (Vietnamese, English)
TEXT: dict[str, tuple[str, str]] = {
    "rank": ("Hạng", "Rank"),
    "unit": ("Đơn vị", "Unit"),
    "points": ("Điểm", "Points"),
    "max": ("Tối đa", "Max"),
    "index": ("Chỉ số", "Index"),
    "class": ("Xếp loại", "Class"),
    "satisfaction": ("Hài lòng (%)", "Satisfaction (%)"),
    "group_satisfaction": (
        "Chỉ số hài lòng bình quân của nhóm",
        "Group's average satisfaction index",
    ),
    "index_word": ("bộ chỉ số", "index"),
    "hash": ("mã băm", "hash"),
    "published_run": ("lần công bố", "published run"),
    "run_final": ("chính thức", "final"),
    "run_correction": ("đính chính", "correction"),
    "rule": ("quy tắc", "rule"),
    "inputs": ("số liệu", "inputs"),
    "self_score": ("tự chấm", "self-score"),
    "evidence": ("tài liệu kiểm chứng", "evidence"),
    "notes": ("ghi chú", "notes"),
    "appraisal": (
        "thẩm định vòng {round} lúc {at}, {who}",
        "appraisal round {round} {at} by {who}",
    ),
    "explanation": ("giải trình lúc {at}, {who}", "explanation {at} by {who}"),
    "gaps_head": (
        "{unit}: {n} mục chưa đạt tối đa, mất {lost} điểm",
        "{unit}: {n} items below their maximum, {lost} points lost",
    ),
    "next": ("bậc kế tiếp", "next"),
    "full": ("đủ điểm", "full"),
    "not_controllable": (
        "(không phải số liệu đơn vị tự khai)",
        "(not an input the unit controls)",
    ),
    "add_evidence": ("thêm tài liệu kiểm chứng", "add a supporting document"),
    "item": ("Mục", "Item"),
    "change": ("Thay đổi", "Change"),
    "gain": ("Tăng", "Gain"),
    "cost": ("Chi phí", "Cost"),
    "changes_n": ("{n} thay đổi", "{n} changes"),
    "need": ("Cần tăng", "Needed"),
    "points_word": ("điểm", "points"),
    "check": ("kiểm tra", "check"),
    "saved_scenario": (
        "đã lưu kịch bản {name!r} trong {file}",
        "saved as scenario {name!r} in {file}",
    ),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "late": ("nộp muộn", "late"),
    "opened": ("mở ngày", "opened"),
    "self_due": ("hạn tự đánh giá", "self-assessment due"),
    "explain_due": ("hạn giải trình", "explanations due"),
    "late_files": ("hồ sơ nộp muộn", "late files"),
    "late_refuse": ("không nhận", "refused"),
    "compare_change": ("Δ", "Δ"),
    "rank_change": ("Δ hạng", "Δ rank"),
    "note": ("Ghi chú", "Note"),
    "median": ("Trung vị", "Median"),
    "p_keep": ("P(giữ hạng)", "P(keep rank)"),
    "not_ranked": ("không xếp hạng", "not ranked"),
    "run_publish": ("chính thức", "final"),
    "late_flag": ("nhận, đánh dấu nộp muộn", "accepted, flagged late"),
    # what the commands that write or check say they did (``messages``)
    **MESSAGES,
}


def use(lang: str | None) -> None:
    """Choose the language of the human output (``en``, else Vietnamese)."""
    _chosen["lang"] = said.lang_of(lang)


def lang() -> str:
    """The chosen language: ``vi`` or ``en``."""
    return _chosen["lang"]


def t(key: str, **values: Any) -> str:
    """The text ``key`` in the chosen language, ``{names}`` filled from ``values``."""
    vi, en = TEXT[key]
    text = en if lang() == "en" else vi
    return text.format(**values) if values else text


def state(key: str | None) -> str:
    """A workflow or campaign state's label (the state itself if it has none), from the one
    table of state names (``store.workflow``), which the web app reads too."""
    return state_name(key, lang())


def pick(vi: str | None, en: str | None) -> str:
    """The Vietnamese or the English of a pair from the data (English falls back to
    Vietnamese where the index gives none)."""
    return (en or vi or "") if lang() == "en" else (vi or "")


def num(value: object, places: int | None = None) -> str:
    """A figure as people write it (``71,72``); ``—`` for None."""
    return said.figure(value, lang(), places)


def pct(value: object, places: int | None = None) -> str:
    """A percentage as people write it (``74,21 %``)."""
    return said.percent(value, lang(), places)


def when(value: object, tz: str | None = None) -> str:
    """A date (dd/mm/yyyy) or time (dd/mm/yyyy HH:MM in the zone ``tz``); ``—`` for none."""
    return show(value, tz) or "—"


def reason(text: str | None, places: int | None = None) -> str:
    """A trace reason for people: band notation in words, figures rounded and with commas."""
    return said.people(text, lang(), places)


def value(v: Any, tz: str | None = None, places: int | None = None) -> str:
    """An input value for people: numbers with a comma, dates dd/mm/yyyy, Có/Không, documents
    (the shared ``evaluation.shown.value``; yes/no in lower case, as inside a CLI sentence)."""
    if isinstance(v, bool):
        return t("yes" if v else "no")
    if isinstance(v, list):
        return t("add_evidence")
    return shown.value(v, lang(), tz, places)


def answer(
    v: Any,
    index: Index | None,
    node: str,
    name: str,
    tz: str | None = None,
    places: int | None = None,
) -> str:
    """An input value of ``node`` for people: a level's label (``Đầy đủ, đúng tiến độ``), never
    its code (``dung-tien-do``); any other value as ``value`` shows it."""
    if isinstance(v, bool | list):
        return value(v)
    return shown.value(v, lang(), tz, places, index=index, node=node, name=name)


def input_label(
    kind: str | None,
    name: str,
    *,
    index: Index | None = None,
    node: str = "",
    group: str | None = None,
) -> str:
    """An input's label: the leaf's own words for it (with the ``index``), else the rule-kind
    registry's ("Ngày hoàn thành"), else the label of a value a rule works out ("Số ngày
    trễ"), else the name."""
    return shown.input_label(kind, name, lang(), index=index, node=node, group=group)


def inputs(
    values: dict[str, Any],
    kind: str | None = None,
    tz: str | None = None,
    places: int = 2,
    *,
    index: Index | None = None,
    node: str = "",
    group: str | None = None,
) -> str:
    """A step's inputs as ``label: value`` pairs for people (not JSON); with the ``index``,
    each input in leaf ``node``'s own words (of ``group``'s tree) and a level by its label."""
    parts = []
    for k, v in values.items():
        text = (
            json.dumps(v, ensure_ascii=False)
            if isinstance(v, dict | list)
            else answer(v, index, node, k, tz, places)
        )
        parts.append(f"{input_label(kind, k, index=index, node=node, group=group)}: {text}")
    return "; ".join(parts)


def round_name(round_: object) -> str:
    """An appraisal round for people: ``Vòng 1``, ``Vòng 2``, ``Vòng đính chính``."""
    key = f"round_{round_}"
    return t(key) if key in TEXT else f"{t('round_1').split()[0]} {round_}"


def role(name: str) -> str:
    """A web account's role for people (``officer`` → ``cán bộ đơn vị``)."""
    key = f"role_{name}"
    return t(key) if key in TEXT else name


def kind_name(kind: str) -> str:
    """A rule kind for people, its label from the registry (``Tỷ lệ theo khoảng``); the
    kind itself when the registry has none (``default``: ``mặc định``)."""
    from scoring.index.kinds import HANDLERS

    h = HANDLERS.get(kind)
    if h is not None:
        return pick(h.label_vi, h.label_en)
    return t(f"kind_{kind}") if f"kind_{kind}" in TEXT else kind


def named(name: str | None, uid: str) -> str:
    """A unit as people know it, its id beside its name: ``Sở Tài chính (so-tai-chinh)``."""
    return f"{name} ({uid})" if name and name != uid else uid


def note(text: str, places: int | None = None) -> str:
    """A trace step's note for people (``appraised`` → ``đã thẩm định``)."""
    return shown.note(text, lang(), places)
