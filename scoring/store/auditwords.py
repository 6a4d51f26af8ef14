"""An audit entry's detail, and who made it, in people's words: one function per action.

The store records each action's detail as exact JSON (``audit.record``); a reader wants "Nộp
muộn (hạn 15/01/2019)", not ``{"late": true, "deadline": "2019-01-15"}``. ``said`` writes an
entry's detail in Vietnamese (or English): dates dd/mm/yyyy and times in the campaign's zone,
points with a decimal comma, states, roles, groups, units and people by their names, hashes
shortened, a bulk step marked as one. An action with no function of its own (a future one)
reads as a "key: value" list, never as JSON. ``person`` names whoever acted, with or without
an account. Pure: every name the words need comes in a ``Names``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.sources.clock import show
from scoring.sources.filetypes import TYPES, size_text
from scoring.sources.numbers import decimal_comma
from scoring.store.accounts import ROLE_VI
from scoring.store.workflow import state_name

ROLE_EN = {
    "officer": "unit officer",
    "appraiser": "appraiser (Home Affairs)",
    "auditor": "auditor",
    "admin": "administrator",
}
# the actor the sample cycle records for explanations read from a file on the units' behalf
UNITS_ACTOR = "units"
_LOGIN = re.compile(r"^[A-Za-z0-9._@-]+$")  # a login name, not a name typed in a file
SHORT = 160  # characters of an explanation's text shown in the log
SEP = " · "


@dataclass(frozen=True)
class Names:
    """What the words need to name things: accounts' display names by username, units'
    names by id (the entry's campaign's first), groups' titles (Vietnamese, English) by id
    and the campaign's time zone."""

    people: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    tz: str | None = None


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def person(actor: str, names: Names, lang: str = "vi") -> str:
    """Whoever made an entry, as people know them: an account's display name, a unit's name
    (a unit submitting in the sample cycle), "các đơn vị" for explanations recorded on the
    units' behalf, a name typed in a file (an appraisal file's appraiser) as it is, and
    any other login name (the seed, the CLI's user) as "hệ thống (login)"."""
    if actor in names.people:
        return names.people[actor]
    if actor in names.units:
        return names.units[actor]
    if actor == UNITS_ACTOR:
        return _pick(lang, "các đơn vị", "the units")
    if _LOGIN.fullmatch(actor):
        return _pick(lang, f"hệ thống ({actor})", f"system ({actor})")
    return actor


def _num(value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    return str(decimal_comma(value)) if lang != "en" else str(value)


def _day(value: Any, names: Names, lang: str) -> str:
    return show(value, names.tz) if value else _pick(lang, "chưa đặt", "not set")


def _hash(value: Any) -> str:
    return f"{str(value)[:12]}…" if value else "—"


def _unit(uid: Any, names: Names) -> str:
    return names.units.get(str(uid), str(uid))


def _units(ids: Any, names: Names, lang: str, most: int = 3) -> str:
    """Units by name when there are a few, else how many (a survey updates all 31)."""
    ids = list(ids or [])
    if len(ids) > most:
        return _pick(lang, f"{len(ids)} đơn vị", f"{len(ids)} units")
    return ", ".join(_unit(u, names) for u in ids)


def _bulk(d: Mapping[str, Any], lang: str) -> str:
    return _pick(lang, " (thao tác hàng loạt)", " (bulk step)") if d.get("bulk") else ""


def _move(d: Mapping[str, Any], lang: str) -> str:
    return f"{state_name(d.get('from'), lang)} → {state_name(d.get('to'), lang)}"


def _account(d: Mapping[str, Any], names: Names, lang: str) -> str:
    user = str(d.get("username") or "")
    text = _pick(lang, f"Tài khoản {user}", f"Account {user}")
    shown = names.people.get(user)
    if shown and shown != user:
        text += f" — {shown}"
    role = d.get("role")
    if role:
        text += f" ({ROLE_EN.get(role, role) if lang == 'en' else ROLE_VI.get(role, role)})"
    return text


def _stage(stage: Any, lang: str) -> str:
    if stage == "explanation":
        return _pick(lang, "kèm giải trình", "with an explanation")
    return _pick(lang, "kèm bản tự đánh giá", "with the self-assessment")


def _document(e: Any, names: Names) -> str:
    """An evidence reference as the form writes it: number, date, title, section, page."""
    if not isinstance(e, Mapping):
        return str(e)
    parts = [str(e.get("doc") or ""), show(e["date"], names.tz) if e.get("date") else ""]
    parts += [str(e.get(k) or "") for k in ("title", "section", "page")]
    return ", ".join(p for p in parts if p)


def _shorten(value: Any, most: int = SHORT) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# ---------------------------------------------------------------- one function per action


def campaign_create(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Năm 2018 · hạn tự đánh giá 30/11/2018 · hạn giải trình … · nộp muộn: … · múi giờ …"""
    late = (
        _pick(lang, "không nhận", "refused")
        if d.get("late_submission") == "refuse"
        else _pick(lang, "vẫn nhận, ghi là nộp muộn", "accepted, marked late")
    )
    parts = [
        _pick(lang, f"Năm {d.get('year', '—')}", f"Year {d.get('year', '—')}"),
        _pick(lang, "hạn tự đánh giá ", "self-assessment due ")
        + _day(d.get("self_assessment_due"), n, lang),
        _pick(lang, "hạn giải trình ", "explanations due ")
        + _day(d.get("explanation_due"), n, lang),
        _pick(lang, "nộp muộn: ", "late files: ") + late,
    ]
    if d.get("time_zone"):
        parts.append(_pick(lang, "múi giờ ", "time zone ") + str(d["time_zone"]))
    if d.get("index_hash"):
        parts.append(_pick(lang, "phiên bản chỉ số ", "index version ") + _hash(d["index_hash"]))
    return SEP.join(parts)


def campaign_advance(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Đang mở → Thẩm định"""
    return _move(d, lang)


def campaign_publication(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Lần công bố số 2 (đính chính lần số 1) · lý do: … · mã kết quả 7b35d65063ac…"""
    run = d.get("run", "—")
    text = _pick(lang, f"Lần công bố số {run}", f"Run {run}")
    if d.get("parent"):
        text += _pick(
            lang, f" (đính chính lần số {d['parent']})", f" (correcting run {d['parent']})"
        )
    parts = [text]
    if d.get("reason"):
        parts.append(_pick(lang, "lý do: ", "reason: ") + _shorten(d["reason"]))
    parts.append(_pick(lang, "mã kết quả ", "result hash ") + _hash(d.get("result_hash")))
    return SEP.join(parts)


def campaign_ended(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Đơn vị đã chấm dứt: Sở A, Huyện B"""
    ended = d.get("ended") or []
    if not ended:
        return _pick(lang, "Không còn đơn vị nào chấm dứt", "No ended units")
    listed = ", ".join(_unit(u, n) for u in ended)
    return _pick(lang, f"Đơn vị đã chấm dứt: {listed}", f"Ended units: {listed}")


def unit_add(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Sở Tài chính · nhóm Sở, ban, ngành · hiệu lực … · kế thừa …"""
    parts = [str(d.get("name") or "—")]
    group = d.get("group")
    if group:
        vi, en = n.groups.get(str(group), (str(group), str(group)))
        parts.append(_pick(lang, f"nhóm {vi}", f"group {en}"))
    if d.get("tags"):
        parts.append(_pick(lang, "nhãn: ", "tags: ") + ", ".join(map(str, d["tags"])))
    valid = d.get("valid")
    if isinstance(valid, list) and len(valid) == 2:
        since = show(valid[0]) if valid[0] else "…"
        until = show(valid[1]) if valid[1] else "…"
        parts.append(_pick(lang, "hiệu lực ", "valid ") + f"{since} – {until}")
    if d.get("predecessors"):
        parts.append(
            _pick(lang, "kế thừa ", "succeeds ") + ", ".join(_unit(u, n) for u in d["predecessors"])
        )
    return SEP.join(parts)


def document_import(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """A self-assessment saved: how many answers changed (the page lists them); without the
    list (a campaign folder's import, or an entry written before the log kept changes), its
    file's hash: first stored, or replacing the one before."""
    changes = d.get("changes")
    if isinstance(changes, list):
        if not changes:
            return _pick(lang, "Không thay đổi câu trả lời", "No answer changed")
        k = len(changes)
        return _pick(lang, f"{k} câu trả lời thay đổi", f"{k} answer(s) changed")
    new = _pick(lang, "mã SHA-256 ", "SHA-256 ") + _hash(d.get("sha256"))
    if "replaces" in d and not d["replaces"]:
        return _pick(lang, "Lưu lần đầu", "First stored") + SEP + new
    if d.get("replaces"):
        return (
            _pick(
                lang,
                "Thay bản đã lưu, nhật ký không ghi từng câu trả lời",
                "Replaced the stored file; the log did not list the answers",
            )
            + SEP
            + new
            + _pick(lang, " (trước: ", " (before: ")
            + _hash(d["replaces"])
            + ")"
        )
    return _pick(
        lang,
        "Ghi trước khi nhật ký lưu các thay đổi: chỉ có mã SHA-256 ",
        "Written before the log kept changes: SHA-256 only ",
    ) + _hash(d.get("sha256"))


def source_import(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Survey or council results: merged or replacing, the units updated and dropped, the
    forms counted, the stored file's hash."""
    replace = d.get("mode") == "replace"
    parts = [
        _pick(lang, "Thay toàn bộ", "Replacing all")
        if replace
        else _pick(lang, "Gộp với kết quả đã lưu", "Merged with the stored results")
    ]
    if d.get("updated"):
        parts.append(_pick(lang, "cập nhật ", "updated ") + _units(d["updated"], n, lang))
    if d.get("dropped"):
        parts.append(_pick(lang, "bỏ ", "dropped ") + _units(d["dropped"], n, lang))
    forms = d.get("forms")
    if isinstance(forms, Mapping):
        files = [
            f"{f.get('name')} ({f.get('rows')} " + _pick(lang, "phiếu", "forms") + ")"
            for f in forms.get("files") or []
            if isinstance(f, Mapping)
        ]
        if files:
            parts.append(_pick(lang, "tệp phiếu: ", "form files: ") + ", ".join(files))
        below = forms.get("below_minimum") or []
        if below:
            rule = (
                _pick(lang, "chấm như kết quả có", "scored as they are")
                if forms.get("rule") == "score_as_is"
                else _pick(lang, "không áp dụng", "not applicable")
            )
            parts.append(
                _pick(lang, "dưới số phiếu tối thiểu: ", "below the minimum: ")
                + f"{_units(below, n, lang)} ({rule})"
            )
    parts.append(_pick(lang, "mã SHA-256 ", "SHA-256 ") + _hash(d.get("sha256")))
    return SEP.join(parts)


def unit_submit(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Nộp đúng hạn (hạn 30/11/2018) / Nộp muộn (hạn …), a bulk step marked."""
    if d.get("deadline"):
        due = _pick(lang, " (hạn ", " (due ") + _day(d["deadline"], n, lang) + ")"
    else:
        due = _pick(lang, " (không đặt hạn)", " (no deadline)")
    said = (
        _pick(lang, "Nộp muộn", "Late") if d.get("late") else _pick(lang, "Nộp đúng hạn", "On time")
    )
    return said + due + _bulk(d, lang)


def unit_advance(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Đã nộp → Đã thẩm định vòng 1, a bulk step marked."""
    return _move(d, lang) + _bulk(d, lang)


def appraisal_change(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """1 → 0,5 điểm · lý do: … · người thẩm định: Tổ thẩm định Sở Nội vụ"""
    old, new = _num(d.get("from"), lang), _num(d.get("to"), lang)
    points = _pick(lang, "điểm", "points")
    moved = (
        _pick(lang, f"Giữ nguyên {new} {points}", f"Kept {new} {points}")
        if d.get("from") == d.get("to")
        else f"{old} → {new} {points}"
    )
    parts = [moved]
    if d.get("reason"):
        parts.append(_pick(lang, "lý do: ", "reason: ") + _shorten(d["reason"], 300))
    if d.get("appraiser"):
        parts.append(
            _pick(lang, "người thẩm định: ", "appraiser: ") + person(str(d["appraiser"]), n, lang)
        )
    return SEP.join(parts)


def explanation_add(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """“The explanation, shortened” · kèm 1 tài liệu: 244/QĐ-STC, 12/12/2018, Quyết định …"""
    parts = [f"“{_shorten(d.get('text'))}”"]
    docs = [_document(e, n) for e in d.get("evidence") or []]
    if docs:
        k = len(docs)
        parts.append(_pick(lang, f"kèm {k} tài liệu: ", f"{k} document(s): ") + "; ".join(docs))
    return SEP.join(parts)


def evidence_add(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """tên tệp, 1,2 MB, PDF, mã SHA-256 ab12… · kèm bản tự đánh giá"""
    media = str(d.get("type") or "")
    parts = [str(d.get("name") or "—")]
    if isinstance(d.get("size"), int):
        parts.append(size_text(d["size"], lang))
    parts.append(TYPES.get(media, (media, media))[1] or "—")
    parts.append(_pick(lang, "mã SHA-256 ", "SHA-256 ") + _hash(d.get("sha256")))
    text = ", ".join(parts) + SEP + _stage(d.get("stage"), lang)
    if d.get("stored") is False:
        text += _pick(lang, " (nội dung đã có sẵn trong kho)", " (content already stored)")
    return text


def evidence_remove(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """tên tệp, mã SHA-256 ab12… · kèm bản tự đánh giá · nội dung đã xóa khỏi kho"""
    text = f"{d.get('name') or '—'}, " + _pick(lang, "mã SHA-256 ", "SHA-256 ")
    text += _hash(d.get("sha256")) + SEP + _stage(d.get("stage"), lang) + SEP
    if d.get("deleted"):
        return text + _pick(lang, "nội dung đã xóa khỏi kho", "content deleted from the store")
    return text + _pick(
        lang, "nội dung vẫn được tệp khác dùng", "content kept: another file uses it"
    )


def account_change(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Tài khoản nguyen.van.a — Nguyễn Văn A (Cán bộ đơn vị)"""
    return _account(d, n, lang)


def account_lock(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Khóa đến 20/11/2018 16:15"""
    return _pick(lang, "Khóa đến ", "Locked until ") + _day(d.get("until"), n, lang)


def account_unlock(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Tài khoản … · đang khóa đến … · 3 lần đăng nhập sai"""
    parts = [_account(d, n, lang)]
    if d.get("locked_until"):
        parts.append(
            _pick(lang, "đang khóa đến ", "locked until ") + _day(d["locked_until"], n, lang)
        )
    if d.get("failures"):
        k = d["failures"]
        parts.append(_pick(lang, f"{k} lần đăng nhập sai", f"{k} failed sign-in(s)"))
    return SEP.join(parts)


Words = Callable[[Mapping[str, Any], Names, str], str]
WORDS: dict[str, Words] = {
    "campaign.create": campaign_create,
    "campaign.advance": campaign_advance,
    "campaign.publish": campaign_publication,
    "campaign.correction": campaign_publication,
    "campaign.ended": campaign_ended,
    "unit.add": unit_add,
    "unit.import": document_import,
    "unit.submit": unit_submit,
    "unit.advance": unit_advance,
    "survey.import": source_import,
    "council.import": source_import,
    "appraisal.round_1": appraisal_change,
    "appraisal.round_2": appraisal_change,
    "appraisal.round_correction": appraisal_change,
    "explanation.add": explanation_add,
    "evidence.add": evidence_add,
    "evidence.remove": evidence_remove,
    "account.create": account_change,
    "account.enable": account_change,
    "account.disable": account_change,
    "account.lock": account_lock,
    "account.unlock": account_unlock,
}


def _value(v: Any, n: Names, lang: str) -> str:
    if v is None or v == "" or v == []:
        return "—"
    if isinstance(v, bool):
        return _pick(lang, "có" if v else "không", "yes" if v else "no")
    if isinstance(v, Mapping):
        return "(" + listed(v, n, lang) + ")"
    if isinstance(v, list | tuple):
        return ", ".join(_value(x, n, lang) for x in v)
    text = str(v)
    return show(text, n.tz) if re.match(r"^\d{4}-\d\d-\d\d", text) else _num(text, lang)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def answer(value: Any, n: Names, lang: str = "vi") -> str:
    """An answer value of a saved self-assessment as the form writes it: Có/Không, a date
    dd/mm/yyyy, a decimal comma, evidence as "number; date; title" lines, "(trống)" for none.
    (A level's label needs the index: ``auditlog`` puts it in first.)"""
    if value is None or value == "" or value == []:
        return _pick(lang, "(trống)", "(empty)")
    if isinstance(value, bool):
        return _pick(lang, "Có" if value else "Không", "Yes" if value else "No")
    if isinstance(value, list):
        return " | ".join(
            _reference(e, n, lang) if isinstance(e, Mapping) else answer(e, n, lang) for e in value
        )
    text = str(value)
    if _ISO_DAY.match(text):
        return show(text, n.tz)
    if _NUMBER.match(text):
        return _num(text, lang)
    return text


def _reference(e: Mapping[str, Any], n: Names, lang: str) -> str:
    """One evidence document as the form's line: number; date; title, then its section and
    page when it has them (so a change to those shows too)."""
    parts = [str(e.get("doc") or ""), answer(e["date"], n, lang) if e.get("date") else ""]
    parts += [str(e.get(k) or "") for k in ("title", "section", "page")]
    return "; ".join(parts).rstrip("; ")


def listed(d: Mapping[str, Any], n: Names, lang: str) -> str:
    """Any detail as a "key: value" list (an action with no words of its own yet)."""
    return "; ".join(f"{str(k).replace('_', ' ')}: {_value(v, n, lang)}" for k, v in d.items())


def said(action: str, detail: Mapping[str, Any], names: Names, lang: str = "vi") -> str:
    """An entry's detail in ``lang``'s words (Vietnamese unless ``en``); an action with no
    words of its own as a "key: value" list; "—" for an empty detail."""
    words = WORDS.get(action)
    if words is not None:
        return words(detail, names, lang)
    return listed(detail, names, lang) or "—"
