"""Reading a campaign back from the store: rows, its compiled index, its inputs as a Campaign.

Everything here reads; the modules that write (``campaigns``, ``appraisal``, ``publication``)
build on it. The compiled index is cached per content hash, and checked against that hash, so
a stored index text that was edited behind parindex's back is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from scoring.campaign.folder import NamedText, assemble_campaign
from scoring.campaign.submission import Campaign, CampaignFile, UnitSpec
from scoring.errors import ConflictError, Location, StorageError, SubmissionError, unknown_id
from scoring.evaluation.inputs import Appraisal
from scoring.index.loader import Index, index_from_texts
from scoring.sources.yamlsrc import Source
from scoring.store.audit import canonical
from scoring.store.db import Store
from scoring.store.schema import (
    AppraisalRow,
    CampaignRow,
    DocumentRow,
    ExplanationRow,
    IndexVersion,
    UnitRow,
)

_INDEXES: dict[str, Index] = {}


def sha256(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, in hex (the hash the audit log records)."""
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(now: dt.datetime) -> str:
    """A timestamp as stored: ISO 8601, UTC, seconds."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def campaign_row(session: Session, cid: str, lock: bool = False) -> CampaignRow:
    """The campaign, or a located 'no such campaign' error with a suggestion."""
    row = session.get(CampaignRow, cid, with_for_update=lock)
    if row is None:
        every = list(session.exec(select(CampaignRow.id)))
        raise unknown_id(
            "no campaign", cid, every, "in the store", Location("store"), vi=_NO_CAMPAIGN_VI
        )
    return row


class SeveralCampaigns(SubmissionError):
    """A year that names several stored campaigns: ``ids`` lists them, so a page or command
    can ask the person to name one by its id."""

    def __init__(self, year: str, ids: list[str]) -> None:
        super().__init__(
            f"several campaigns for {year}: {', '.join(ids)}; name one by its id",
            Location("store"),
            vi=f"Năm {year} có nhiều kỳ đánh giá: {', '.join(ids)}; hãy chọn một kỳ theo mã",
        )
        self.ids = ids


def campaign_ref(session: Session, ref: str) -> str:
    """The campaign a person names by its id or by its year (``2019``): every command and
    page that takes a campaign id takes a year too, through here.

    A year with no campaign is refused naming the nearest id or year; a year with several
    campaigns is refused listing them, since guessing would act on the wrong one.
    """
    ref = ref.strip()
    if session.get(CampaignRow, ref) is not None:
        return ref
    rows = list(session.exec(select(CampaignRow.id, CampaignRow.year)))
    # a year: ASCII digits of a plausible length ("²".isdigit() is true but int() refuses it,
    # and a 20-digit year overflows the store's integer)
    if ref.isascii() and ref.isdigit() and len(ref) <= 6:
        ids = sorted(cid for cid, year in rows if year == int(ref))
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise SeveralCampaigns(ref, ids)
        years = sorted({str(year) for _, year in rows})
        raise unknown_id(
            "no campaign for the year",
            ref,
            years,
            "in the store",
            Location("store"),
            vi=("Không có kỳ đánh giá nào của năm", ""),
        )
    every = sorted(cid for cid, _ in rows)
    raise unknown_id(
        "no campaign", ref, every, "in the store", Location("store"), vi=_NO_CAMPAIGN_VI
    )


# "no campaign X" as a Vietnamese page says it (``unknown_id``'s two parts)
_NO_CAMPAIGN_VI = ("Không có kỳ đánh giá", "")


def campaign_named(store: Store, ref: str) -> str:
    """``campaign_ref`` in one read: a campaign id from an id or a year."""
    with store.read() as s:
        return campaign_ref(s, ref)


def unit_row(session: Session, cid: str, uid: str, lock: bool = False) -> UnitRow:
    """A unit of a campaign (locked for update if asked), or a "no unit" error with the
    nearest id."""
    row = session.get(UnitRow, (cid, uid), with_for_update=lock)
    if row is None:
        every = list(session.exec(select(UnitRow.unit_id).where(UnitRow.campaign_id == cid)))
        raise unknown_id(
            "no unit",
            uid,
            every,
            f"in campaign {cid!r}",
            Location("store"),
            vi=("Không có đơn vị", f"trong kỳ đánh giá {cid!r}"),
        )
    return row


def bump(session: Session, unit: UnitRow, expected: int | None) -> None:
    """Optimistic locking: refuse if the unit changed since the caller read ``expected``."""
    if expected is not None and unit.version != expected:
        raise ConflictError(
            f"unit {unit.unit_id} was changed by someone else (version {unit.version}, you "
            f"read {expected}): reload it and apply your change again",
            Location("store"),
            vi=f"Hồ sơ của đơn vị {unit.unit_id} đã bị người khác thay đổi (phiên bản "
            f"{unit.version}, trang bạn mở là phiên bản {expected}); hãy tải lại trang và làm lại "
            "thay đổi của mình",
        )
    unit.version += 1
    session.add(unit)


def index_for(session: Session, content_hash: str) -> Index:
    """The compiled index of a stored version (cached), checked against its hash."""
    if content_hash in _INDEXES:
        return _INDEXES[content_hash]
    row = session.get(IndexVersion, content_hash)
    if row is None:
        raise StorageError(
            f"index version {content_hash[:12]} is missing",
            Location("store"),
            vi=f"Thiếu phiên bản bộ chỉ số {content_hash[:12]} trong cơ sở dữ liệu",
        )
    rules = json.loads(row.rules_json)
    index = index_from_texts(
        row.criteria_text,
        f"store:index/{row.index_id}.yaml",
        {f"store:rules/{k}": v for k, v in rules.items()},
    )
    if index.content_hash != content_hash:
        raise StorageError(
            f"the stored index {row.index_id} no longer matches its hash "
            f"{content_hash[:12]} (edited in the database?)",
            Location("store"),
            vi=f"Bộ chỉ số {row.index_id} đã lưu không còn khớp mã băm {content_hash[:12]} "
            "(có ai sửa trực tiếp cơ sở dữ liệu?)",
        )
    _INDEXES[content_hash] = index
    return index


def units_of(session: Session, cid: str) -> list[UnitRow]:
    """The campaign's units in their listed order."""
    return list(
        session.exec(
            select(UnitRow).where(UnitRow.campaign_id == cid).order_by(col(UnitRow.position))
        )
    )


def documents(session: Session, cid: str) -> dict[tuple[str, str], DocumentRow]:
    """The campaign's stored files by (kind, key): unit files, survey and council files."""
    rows = session.exec(select(DocumentRow).where(DocumentRow.campaign_id == cid))
    return {(r.kind, r.key): r for r in rows}


def appraisal_rows(session: Session, cid: str, upto: int | None = None) -> list[AppraisalRow]:
    """The campaign's appraisal changes in the order made (up to id ``upto`` if given)."""
    q = select(AppraisalRow).where(AppraisalRow.campaign_id == cid)
    if upto is not None:
        q = q.where(col(AppraisalRow.id) <= upto)
    return list(session.exec(q.order_by(col(AppraisalRow.id))))


def explanation_rows(session: Session, cid: str) -> list[ExplanationRow]:
    """The units' explanations in the order given."""
    q = select(ExplanationRow).where(ExplanationRow.campaign_id == cid)
    return list(session.exec(q.order_by(col(ExplanationRow.id))))


_ROUND_ORDER = {"1": 0, "2": 1, "correction": 2}


def appraisals_by_unit(rows: list[AppraisalRow]) -> dict[str, dict[str, list[Appraisal]]]:
    """Appraisal changes per unit and node, in round order then as recorded."""
    out: dict[str, dict[str, list[Appraisal]]] = {}
    for r in sorted(rows, key=lambda r: (_ROUND_ORDER.get(r.round, 9), r.id or 0)):
        out.setdefault(r.unit_id, {}).setdefault(r.node_id, []).append(
            Appraisal(r.round, Decimal(r.score), r.reason, r.appraiser, r.at)
        )
    return out


@dataclass
class Stored:
    """A campaign as stored: row, index, inputs assembled, appraisal changes."""

    row: CampaignRow
    index: Index
    units: list[UnitRow]
    campaign: Campaign
    appraisals: dict[str, dict[str, list[Appraisal]]]
    inputs_hash: str
    last_appraisal_id: int


def spec_of(row: CampaignRow, units: list[UnitRow]) -> CampaignFile:
    """The campaign spec (as ``campaign.yaml`` would say it) of a stored campaign."""
    return CampaignFile(
        id=row.id,
        year=row.year,
        units=[
            UnitSpec(
                id=u.unit_id,
                name=u.name,
                group=u.group_id,
                tags=json.loads(u.tags_json),
                ranked=u.ranked,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
                predecessors=json.loads(u.predecessors_json or "[]"),
            )
            for u in units
        ],
        ended=json.loads(row.ended_json or "[]"),
    )


def load(
    session: Session, cid: str, upto_appraisal: int | None = None, only: str | None = None
) -> Stored:
    """Everything needed to score a stored campaign (appraisals up to an id, if given;
    only one unit's answers parsed, if ``only`` names it)."""
    row = campaign_row(session, cid)
    index = index_for(session, row.index_hash)
    units = units_of(session, cid)
    docs = documents(session, cid)
    for d in docs.values():
        if sha256(d.text) != d.sha256:
            raise StorageError(
                f"stored {d.kind} document {d.key or cid} no longer matches its "
                "hash (edited in the database?)",
                Location("store"),
                vi=f"Tài liệu {d.kind} {d.key or cid} đã lưu không còn khớp mã băm (có ai sửa "
                "trực tiếp cơ sở dữ liệu?)",
            )
    spec = spec_of(row, units)
    unit_texts: dict[str, NamedText] = {}
    for u in units:
        doc = docs.get(("unit", u.unit_id))
        if doc is not None and only in (None, u.unit_id):
            unit_texts[u.unit_id] = (f"store:{cid}/units/{u.unit_id}.yaml", doc.text)
    sources = {
        k: (f"store:{cid}/{k}.yaml", docs[(k, "")].text)
        for k in ("survey", "council")
        if (k, "") in docs
    }
    campaign = assemble_campaign(
        spec,
        Source(f"store:{cid}"),
        {},
        Path("."),
        dict(unit_texts),
        sources,
    )
    rows = appraisal_rows(session, cid, upto_appraisal)
    fingerprint = canonical(
        {
            "units": [[u.unit_id, u.name, u.group_id, u.tags_json, u.ranked] for u in units],
            "documents": sorted([k[0], k[1], d.sha256] for k, d in docs.items()),
        }
    )
    return Stored(
        row,
        index,
        units,
        campaign,
        appraisals_by_unit(rows),
        sha256(fingerprint),
        max((r.id or 0 for r in rows), default=0),
    )


def appraisals_hash(rows: list[AppraisalRow]) -> str:
    """The hash of a list of appraisal changes, as a published run records it."""
    return sha256(
        canonical(
            [
                [r.id, r.unit_id, r.node_id, r.round, r.score, r.reason, r.appraiser, r.at]
                for r in rows
            ]
        )
    )


def unit_states(units: list[UnitRow]) -> Mapping[str, str]:
    """Each unit's workflow state, by unit id."""
    return {u.unit_id: u.state for u in units}


# ---------------------------------------------------------------- one read each, for the CLI


def campaign_clock(store: Store, cid: str) -> tuple[str, str] | None:
    """(time zone, created_at) of a stored campaign, or None if there is none."""
    with store.read() as s:
        row = s.get(CampaignRow, cid)
        return None if row is None else (row.time_zone, row.created_at)


def time_zones(store: Store) -> dict[str, str]:
    """Every stored campaign's time zone, by campaign id."""
    with store.read() as s:
        return {c.id: c.time_zone for c in s.exec(select(CampaignRow))}


def campaign_index(store: Store, cid: str) -> Index:
    """The compiled index a stored campaign is scored on (a missing campaign is refused)."""
    with store.read() as s:
        return index_for(s, campaign_row(s, cid).index_hash)


def unit_with_index(store: Store, cid: str, uid: str) -> tuple[UnitRow, Index]:
    """A stored unit and its campaign's compiled index: what its Excel template is made of."""
    with store.read() as s:
        row = campaign_row(s, cid)
        unit = unit_row(s, cid, uid)
        return unit, index_for(s, row.index_hash)


def explanations(store: Store, cid: str, uid: str) -> list[dict[str, Any]]:
    """A unit's explanations (giải trình) as plain data, in the order they were recorded:
    node, text, author, time and the evidence added."""
    with store.read() as s:
        return [
            {
                "node_id": e.node_id,
                "text": e.text,
                "author": e.author,
                "at": e.at,
                "evidence": json.loads(e.evidence_json),
            }
            for e in explanation_rows(s, cid)
            if e.unit_id == uid
        ]
