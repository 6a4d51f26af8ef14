"""The audit log for people: who (by name), which unit (by name), which fields changed.

``answer_changes`` is what a saved self-assessment's audit entry carries (``detail.changes``),
computed at write time from the stored answers and the new ones: each (item, field, old,
new), values as JSON (numbers as exact decimal strings, dates ISO). Entries written before it
hold only the files' hashes. ``people_page`` (the web's page) and ``listing`` (``parindex audit
list``) read entries with the names a reader needs (people, units, campaigns: ``Lạng Sơn
2018``), each entry's detail in words (``auditwords``) and a save's changes in the leaf's own
words (``changes_said``: the input's label in the unit's group's tree, a level by its label,
values as people write them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import ChainMap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from scoring.campaign.submission import Submission
from scoring.index.loader import Index
from scoring.sources import clock
from scoring.sources.text import vn_key
from scoring.store import audit, auditwords
from scoring.store.db import Store
from scoring.store.schema import AccountRow, AuditRow, CampaignRow, UnitRow
from scoring.store.stored import index_for, stamp

PAGE = 100  # entries on one page
# the answer fields every leaf has, as people name them: (Vietnamese, English)
COMMON_FIELDS = {
    "self_score": ("Điểm tự chấm", "Self-score"),
    "evidence": ("Tài liệu kiểm chứng", "Evidence"),
    "na": ("Không áp dụng", "Not applicable"),
    "note": ("Ghi chú", "Note"),
}


def answer_changes(old: Submission | None, new: Submission) -> list[dict[str, Any]]:
    """Every answer field that differs between the stored self-assessment ``old`` and
    ``new``, in the items' order: ``{"node", "field", "old", "new"}`` (None: not given)."""
    before = old.answers if old is not None else {}
    out: list[dict[str, Any]] = []
    for leaf in [*before, *(k for k in new.answers if k not in before)]:
        a = before[leaf].model_dump(mode="json", exclude_unset=True) if leaf in before else {}
        b = (
            new.answers[leaf].model_dump(mode="json", exclude_unset=True)
            if leaf in new.answers
            else {}
        )
        for name in [*a, *(k for k in b if k not in a)]:
            if a.get(name) != b.get(name):
                out.append({"node": leaf, "field": name, "old": a.get(name), "new": b.get(name)})
    return out


@dataclass(frozen=True)
class Change:
    """One answer field changed by a save: its item, its label, the values before and after
    (as stored: JSON), and the label and values in the reader's words."""

    node: str
    field: str
    label_vi: str
    label_en: str
    old: Any
    new: Any
    label: str = ""  # in the page's language
    old_said: str = ""  # as people write it: a level's label, dd/mm/yyyy, a decimal comma
    new_said: str = ""

    @property
    def said(self) -> str:
        """``1.1.2 — Kế hoạch đủ nhiệm vụ các lĩnh vực và có bố trí kinh phí: Không → Có``"""
        return f"{self.node} — {self.label}: {self.old_said} → {self.new_said}"


@dataclass(frozen=True)
class Entry:
    """One audit entry as people read it: who by name, the campaign and unit by name, the
    detail in words (``auditwords.said``) and, for a save, the fields it changed."""

    row: AuditRow
    actor_name: str
    unit_name: str | None
    changes: list[Change] | None  # None: the entry carries no list (older saves, other actions)
    detail: dict[str, Any]
    campaign_name: str | None = None
    said: str = ""


@dataclass(frozen=True)
class Filters:
    """What a reader narrows the log to (each None: any)."""

    unit: str | None = None
    actor: str | None = None
    action: str | None = None
    since: dt.date | None = None  # in Vietnam's time zone, inclusive
    until: dt.date | None = None


@dataclass(frozen=True)
class PeoplePage:
    """One page of the filtered log, newest first, and the choices of each filter."""

    entries: list[Entry]
    page: int
    more: bool
    units: list[tuple[str, str]] = field(default_factory=list)  # (id, name), Vietnamese order
    people: list[tuple[str, str]] = field(default_factory=list)  # (actor, name): likewise
    actions: list[str] = field(default_factory=list)


def _label(index: Index, node: str, name: str, group: str | None) -> tuple[str, str]:
    """A field's label: the common fields' names, else the input in the leaf's own words
    (``inputs:`` in criteria.yaml, in the unit's group's tree), else its rule kind's."""
    if name in COMMON_FIELDS:
        return COMMON_FIELDS[name]
    spec = index.input_spec(node, name, group)
    if spec is not None:
        return spec.label_vi, spec.label_en or spec.label_vi
    return name, name


def _midnight(day: dt.date) -> str:
    """The stamp of a local day's start (Vietnam's zone): the log's times are UTC."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=clock.zone(None))
    return stamp(start)


def _said(index: Index, node: str, name: str, value: Any, n: auditwords.Names, lang: str) -> str:
    """A stored answer value in words: a level by its label (never its code), else as
    ``auditwords.answer`` writes it."""
    if isinstance(value, str) and value:
        level = index.level_label(node, name, value, lang)
        if level is not None:
            return level
    return auditwords.answer(value, n, lang)


def changes_said(
    index: Index,
    raw: Iterable[dict[str, Any]],
    names: auditwords.Names,
    group: str | None = None,
    lang: str = "vi",
) -> list[Change]:
    """A save's ``detail.changes`` in the leaf's own words: each input's label in ``group``'s
    tree, the values before and after as people write them."""
    out = []
    for c in raw:
        node, name = str(c.get("node")), str(c.get("field"))
        vi, en = _label(index, node, name, group)
        old, new = c.get("old"), c.get("new")
        said = [_said(index, node, name, v, names, lang) for v in (old, new)]
        out.append(Change(node, name, vi, en, old, new, en if lang == "en" else vi, *said))
    return out


def _changes(
    s: Session,
    row: AuditRow,
    detail: dict[str, Any],
    names: auditwords.Names,
    group: str | None,
    lang: str,
) -> list[Change] | None:
    raw = detail.get("changes")
    if not isinstance(raw, list) or row.campaign_id is None:
        return None
    camp = s.get(CampaignRow, row.campaign_id)
    if camp is None:
        return None
    index = index_for(s, camp.index_hash)
    return changes_said(index, (c for c in raw if isinstance(c, dict)), names, group, lang)


def named(index: Index, year: int) -> str:
    """A campaign as people know it: its index's province and its year (``Lạng Sơn 2018``)."""
    return f"{index.meta.province} {year}"


def campaign_name(s: Session, camp: CampaignRow) -> str:
    """``named`` for a stored campaign."""
    return named(index_for(s, camp.index_hash), camp.year)


def campaign_names(s: Session, cids: Iterable[str]) -> dict[str, str]:
    """The names of the campaigns ``cids``; two that would read the same (a year's campaign
    run twice) keep their ids beside their names."""
    names = {}
    for cid in dict.fromkeys(cids):
        camp = s.get(CampaignRow, cid)
        names[cid] = campaign_name(s, camp) if camp is not None else cid
    twice = {n for n in names.values() if list(names.values()).count(n) > 1}
    return {cid: f"{n} ({cid})" if n in twice else n for cid, n in names.items()}


def _groups(s: Session, camp: CampaignRow | None) -> dict[str, tuple[str, str]]:
    if camp is None:
        return {}
    index = index_for(s, camp.index_hash)
    return {
        g: (v.group.title_vi, v.group.title_en or v.group.title_vi) for g, v in index.groups.items()
    }


@dataclass(frozen=True)
class _Namer:
    """Everything the words of a set of entries need, read once: people, units (the newest
    campaign's name of each, and each campaign's own), units' groups, campaigns."""

    people: dict[str, str]
    camps: dict[str, CampaignRow]
    units: dict[str, str]
    by_campaign: dict[str, dict[str, str]]
    groups: dict[tuple[str, str], str]  # (campaign, unit) -> group id
    names: dict[str | None, auditwords.Names] = field(default_factory=dict)

    @classmethod
    def read(cls, s: Session) -> _Namer:
        camps = {c.id: c for c in s.exec(select(CampaignRow))}
        units: dict[str, str] = {}
        by_campaign: dict[str, dict[str, str]] = {}
        groups: dict[tuple[str, str], str] = {}
        for u in sorted(s.exec(select(UnitRow)), key=lambda u: _year(camps, u.campaign_id)):
            units[u.unit_id] = u.name  # the newest campaign's name wins
            by_campaign.setdefault(u.campaign_id, {})[u.unit_id] = u.name
            groups[u.campaign_id, u.unit_id] = u.group_id
        people = {a.username: a.display_name for a in s.exec(select(AccountRow))}
        return cls(people, camps, units, by_campaign, groups)

    def of(self, s: Session, cid: str | None) -> auditwords.Names:
        """The names of campaign ``cid``'s entries (its units first, its zone)."""
        if cid not in self.names:
            camp = self.camps.get(cid or "")
            self.names[cid] = auditwords.Names(
                self.people,
                ChainMap(self.by_campaign.get(cid or "", {}), self.units),
                _groups(s, camp),  # its index is compiled (cached) for its name anyway
                camp.time_zone if camp is not None else None,
            )
        return self.names[cid]

    def entries(self, s: Session, rows: list[AuditRow], lang: str) -> list[Entry]:
        """``rows`` as people read them, in ``lang``."""
        shown = campaign_names(s, (r.campaign_id for r in rows if r.campaign_id))
        out = []
        for r in rows:
            detail = json.loads(r.detail_json)
            n = self.of(s, r.campaign_id)
            group = self.groups.get((r.campaign_id or "", r.unit_id or ""))
            out.append(
                Entry(
                    r,
                    auditwords.person(r.actor, n, lang),
                    n.units.get(r.unit_id) if r.unit_id else None,
                    _changes(s, r, detail, n, group, lang),
                    detail,
                    shown.get(r.campaign_id) if r.campaign_id else None,
                    auditwords.said(r.action, detail, n, lang),
                )
            )
        return out


def people_page(store: Store, filters: Filters, page: int = 1, lang: str = "vi") -> PeoplePage:
    """Page ``page`` (1 is the newest) of the log narrowed by ``filters``, with names and
    each entry's detail in ``lang``'s words."""
    q = select(AuditRow)
    for column, value in (
        (AuditRow.unit_id, filters.unit),
        (AuditRow.actor, filters.actor),
        (AuditRow.action, filters.action),
    ):
        if value:
            q = q.where(column == value)
    if filters.since is not None:
        q = q.where(col(AuditRow.at) >= _midnight(filters.since))
    if filters.until is not None:
        q = q.where(col(AuditRow.at) < _midnight(filters.until + dt.timedelta(days=1)))
    with store.read() as s:
        rows = list(
            s.exec(q.order_by(col(AuditRow.seq).desc()).offset((page - 1) * PAGE).limit(PAGE))
        )
        namer = _Namer.read(s)
        entries = namer.entries(s, rows, lang)
        actors = set(s.exec(select(AuditRow.actor).distinct()))
        actions = sorted(set(s.exec(select(AuditRow.action).distinct())))
    everyone = auditwords.Names(namer.people, namer.units)
    chosen = [(a, auditwords.person(a, everyone, lang)) for a in actors]
    return PeoplePage(
        entries,
        page,
        len(rows) == PAGE,
        sorted(namer.units.items(), key=lambda u: (vn_key(u[1]), u[0])),
        sorted(chosen, key=lambda p: (vn_key(p[1]), p[0])),
        actions,
    )


def listing(
    store: Store,
    *,
    campaign: str | None = None,
    unit: str | None = None,
    node: str | None = None,
    limit: int = 50,
    lang: str = "vi",
) -> list[Entry]:
    """The newest ``limit`` entries (of a campaign, a unit, a node), oldest first, as people
    read them (``parindex audit list``; ``audit.entries`` is the same selection as data)."""
    with store.read() as s:
        rows = audit.newest(s, campaign, unit, node, limit)
        return _Namer.read(s).entries(s, rows, lang)


def _year(camps: dict[str, CampaignRow], cid: str) -> int:
    camp = camps.get(cid)
    return camp.year if camp is not None else 0


# audit actions as people name them: action -> (Vietnamese, English); read by the web app's
# audit page and the CLI's audit list (here, below both, so the CLI needs no web import)
ACTIONS: dict[str, tuple[str, str]] = {
    "campaign.create": ("Tạo kỳ đánh giá", "Campaign created"),
    "campaign.advance": ("Chuyển bước kỳ đánh giá", "Campaign moved on"),
    "campaign.publish": ("Công bố kết quả", "Results published"),
    "campaign.correction": ("Công bố đính chính", "Correction published"),
    "campaign.ended": ("Ghi nhận đơn vị chấm dứt", "Ended units recorded"),
    "unit.add": ("Thêm đơn vị", "Unit added"),
    "unit.import": ("Lưu bản tự đánh giá", "Self-assessment saved"),
    "unit.submit": ("Nộp bản tự đánh giá", "Self-assessment submitted"),
    "unit.advance": ("Chuyển bước đơn vị", "Unit moved on"),
    "survey.import": ("Nhập kết quả khảo sát", "Survey results imported"),
    "council.import": ("Nhập kết quả hội đồng", "Council results imported"),
    "appraisal.round_1": ("Thẩm định vòng 1", "Appraisal round 1"),
    "appraisal.round_2": ("Thẩm định vòng 2", "Appraisal round 2"),
    "appraisal.round_correction": ("Thẩm định đính chính", "Appraisal correction"),
    "explanation.add": ("Giải trình", "Explanation"),
    "evidence.add": ("Đính kèm tài liệu kiểm chứng", "Evidence file attached"),
    "evidence.remove": ("Gỡ tài liệu kiểm chứng", "Evidence file removed"),
    "account.create": ("Tạo tài khoản", "Account created"),
    "account.enable": ("Mở khóa tài khoản", "Account enabled"),
    "account.disable": ("Khóa tài khoản", "Account disabled"),
    "account.lock": ("Khóa do đăng nhập sai", "Locked after failed sign-ins"),
    "account.unlock": ("Gỡ khóa đăng nhập", "Sign-in unlocked"),
}


def action_name(key: str, lang: str = "vi") -> str:
    """An audit action as people name it in ``lang`` (the action itself if it has none)."""
    vi, en = ACTIONS.get(key, (key, key))
    return en if lang == "en" else vi
