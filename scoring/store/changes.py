"""What changed in the store since a point of its audit chain, and a campaign's result brought
up to date with it by re-scoring only the units that changed.

Every change to the store appends an audit entry naming its campaign and unit (if any), so
the entries after the sequence number a reader last saw say exactly what it must forget:
``since`` reads them (a range of the primary key, cheap however long the log is). Which of
them a campaign's result can absorb unit by unit is said here too (``UNIT_SCORES``: a unit's
answers or appraisal changed; ``UNIT_ONLY``: its workflow state or an explanation, which the
result does not read); any other action (a survey or council file, a new unit, a campaign
move, a publication, an action this module does not know) rebuilds the campaign whole.

``refresh`` re-scores the changed units from their stored files and appraisal changes,
keeping the survey and council answers the result already holds, and ranks their groups
again: the same result as ``views.result`` (a test compares them for every kind of write).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import col, select

from scoring.campaign.folder import read_unit_text
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Submission
from scoring.errors import ParindexError
from scoring.evaluation.batch import score_units
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import UnitResult
from scoring.store.db import Store
from scoring.store.schema import AuditHead, AuditRow, CampaignRow, DocumentRow, UnitRow
from scoring.store.stored import appraisal_rows, appraisals_by_unit, sha256, spec_of

# actions after which a campaign's result is re-scored for the entry's unit only
UNIT_SCORES = frozenset(
    {"unit.import", "appraisal.round_1", "appraisal.round_2", "appraisal.round_correction"}
)
# actions that leave a campaign's result as it was (the result reads neither)
UNIT_ONLY = frozenset({"unit.submit", "unit.advance", "explanation.add"})
# actions that can change which published campaign is another campaign's "last year"
YEARS = frozenset({"campaign.create", "campaign.publish", "campaign.correction", "unit.add"})
MAX_CHANGES = 2000  # more entries than this since the last look: forget everything instead


@dataclass(frozen=True, slots=True)
class Change:
    """One audit entry, as much of it as a cache needs: what was done, to which campaign and
    unit."""

    seq: int
    action: str
    campaign: str | None
    unit: str | None


def since(store: Store, seq: int) -> tuple[int, list[Change] | None]:
    """The audit head's sequence number now, and the entries after ``seq`` in order (None:
    more than ``MAX_CHANGES``, or the chain is shorter than ``seq``: start afresh)."""
    with store.read() as s:
        head = s.get(AuditHead, 1)
        now = head.seq if head is not None else 0
        if now == seq:
            return now, []
        if now < seq or now - seq > MAX_CHANGES:
            return now, None
        rows = s.exec(
            select(AuditRow.seq, AuditRow.action, AuditRow.campaign_id, AuditRow.unit_id)
            .where(col(AuditRow.seq) > seq, col(AuditRow.seq) <= now)
            .order_by(col(AuditRow.seq))
        )
        return now, [Change(q or 0, a, c, u) for q, a, c, u in rows]


def units_to_rescore(changes: Collection[Change]) -> set[str] | None:
    """The units whose scores ``changes`` (of one campaign) may have changed, or None when a
    change reaches beyond single units (the campaign is then scored whole)."""
    out: set[str] = set()
    for c in changes:
        if c.action in UNIT_SCORES and c.unit is not None:
            out.add(c.unit)
        elif c.action not in UNIT_ONLY:
            return None
    return out


def refresh(store: Store, old: CampaignResult, units: Collection[str]) -> CampaignResult | None:
    """``old`` with ``units`` re-scored from the store as it stands and their groups ranked
    again, or None when that cannot be done unit by unit (a unit that had no answers or an
    error before, or has one now): the caller scores the campaign whole."""
    if not units:
        return old
    cid = old.campaign_id
    with store.read() as s:
        camp = s.get(CampaignRow, cid)
        if camp is None:
            return None
        rows: dict[str, tuple[UnitRow, DocumentRow]] = {}
        for uid in units:
            unit = s.get(UnitRow, (cid, uid))
            doc = s.get(DocumentRow, (cid, "unit", uid))
            if unit is None or doc is None or sha256(doc.text) != doc.sha256:
                return None  # a missing or tampered file: the whole path says so
            rows[uid] = (unit, doc)
        appraisals = appraisals_by_unit(appraisal_rows(s, cid))
    ready = dict(old.ready)
    submissions = dict(old.submissions)
    for uid, (unit, doc) in rows.items():
        before = old.submissions.get(uid)
        if before is None or uid in old.errors:
            return None
        sub = Submission(spec_of(camp, [unit]).units[0])
        try:
            read_unit_text(doc.text, f"store:{cid}/units/{uid}.yaml", sub)
            _keep_sources(sub, before)
            ready[uid] = prepare(old.index, sub)
        except ParindexError:
            return None
        submissions[uid] = sub
    scored = score_units(old.index, [ready[u] for u in rows], appraisals)
    groups = _ranked(old, {r.unit_id: r for r in scored})
    return dataclasses.replace(
        old, groups=groups, ready=ready, submissions=submissions, appraisals=appraisals
    )


def _keep_sources(sub: Submission, before: Submission) -> None:
    """Give ``sub`` the campaign-level records of the unit's previous submission: where the
    campaign lists it, and its survey and council answers (read after the unit's file, as
    the whole campaign's reading does, so they win over an answer of the same key)."""
    for key, where in before.where.items():
        if key[0] == "unit":
            sub.where[key] = where
    for k, a in before.answers.items():
        if ("source", k) in before.where:
            sub.answers[k] = a
            sub.where[("source", k)] = before.where[("source", k)]


def _ranked(old: CampaignResult, new: dict[str, UnitResult]) -> dict[str, list[UnitResult]]:
    """The groups of ``old`` with the results in ``new`` in place, each group holding one of
    them ranked again (the others kept as they are)."""
    out: dict[str, list[UnitResult]] = {}
    for gid, members in old.groups.items():
        if not any(r.unit_id in new for r in members):
            out[gid] = members
            continue
        out[gid] = rank([new.get(r.unit_id, r) for r in members], old.index)
    return out
