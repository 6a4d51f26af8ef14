"""What the web pages read from the store: each page's rows in one read, no SQL in the pages.

Every function here reads (one ``store.read()`` each) and returns plain rows or a small record;
the web app formats them. A campaign or unit that is not there is ``None``, so the caller
decides how to say so (the web app: 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from scoring.evaluation.ranking import CampaignResult
from scoring.sources.text import vn_key
from scoring.store import audit, auditlog, auditwords, publication
from scoring.store.accounts import Account
from scoring.store.audit import ChainProblem
from scoring.store.db import Store
from scoring.store.schema import (
    AccountRow,
    AppraisalRow,
    AuditHead,
    AuditRow,
    CampaignRow,
    ExplanationRow,
    IndexVersion,
    RunRow,
    UnitRow,
)
from scoring.store.stored import appraisal_rows, documents, explanation_rows, sha256, units_of

AUDIT_PAGE = 100  # audit entries on one page


def version(store: Store) -> int:
    """The store's version: the audit head's sequence number (every change appends an entry),
    0 before the first change. One primary-key lookup."""
    with store.read() as s:
        head = s.get(AuditHead, 1)
        return head.seq if head is not None else 0


def campaign(store: Store, cid: str) -> CampaignRow | None:
    """Campaign ``cid``, or None."""
    with store.read() as s:
        return s.get(CampaignRow, cid)


def unit(store: Store, cid: str, uid: str) -> UnitRow | None:
    """Unit ``uid`` of campaign ``cid``, or None."""
    with store.read() as s:
        return s.get(UnitRow, (cid, uid))


def result(store: Store, cid: str) -> CampaignResult | None:
    """Campaign ``cid`` scored and ranked as it stands (every appraisal change so far), or
    None when there is no such campaign."""
    with store.read() as s:
        if s.get(CampaignRow, cid) is None:
            return None
        return publication.compute(s, cid)[1]


def published_state(store: Store, cid: str) -> str | None:
    """A digest of every stored byte that verifying campaign ``cid``'s published runs reads
    (the runs, the campaign and its index, its units, files and appraisal changes), or None
    when nothing is published: verifying gives the same answer while it is the same, so it
    is done once per published run and stored state, however often it is asked for."""
    with store.read() as s:
        runs = list(s.exec(select(RunRow).where(RunRow.campaign_id == cid)))
        camp = s.get(CampaignRow, cid)
        if not runs or camp is None:
            return None
        index = s.get(IndexVersion, camp.index_hash)
        parts: list[object] = [
            [r.model_dump() for r in runs],
            camp.model_dump(),
            index.model_dump() if index is not None else None,
            [u.model_dump() for u in units_of(s, cid)],
            sorted([d.kind, d.key, d.sha256, sha256(d.text)] for d in documents(s, cid).values()),
            [a.model_dump() for a in appraisal_rows(s, cid)],
        ]
    return sha256(audit.canonical(parts))


def campaigns_for(store: Store, account: Account) -> tuple[list[CampaignRow], dict[str, UnitRow]]:
    """The campaigns ``account`` may open, newest year first, and by campaign id the unit of
    an officer's in each (an officer sees only the campaigns its unit is in)."""
    with store.read() as s:
        rows = list(s.exec(select(CampaignRow).order_by(col(CampaignRow.year).desc())))
        mine: dict[str, UnitRow] = {}
        if account.role == "officer":
            for u in s.exec(select(UnitRow).where(UnitRow.unit_id == account.unit_id)):
                mine[u.campaign_id] = u
    if account.role == "officer":
        rows = [c for c in rows if c.id in mine]
    return rows, mine


def campaign_names(store: Store, cids: list[str]) -> dict[str, str]:
    """The campaigns ``cids`` as people know them (``Lạng Sơn 2018``), by id."""
    with store.read() as s:
        return auditlog.campaign_names(s, cids)


@dataclass(frozen=True)
class AppraisalNotes:
    """A unit's side of the appraisal: its explanations, and the nodes round 1 changed."""

    explanations: list[ExplanationRow]
    changed_1: list[str]  # node ids, sorted


def appraisal_notes(store: Store, cid: str, uid: str) -> AppraisalNotes:
    """The explanations unit ``uid`` wrote, and the nodes the first appraisal round changed."""
    with store.read() as s:
        explanations = [e for e in explanation_rows(s, cid) if e.unit_id == uid]
        changed = s.exec(
            select(AppraisalRow.node_id).where(
                AppraisalRow.campaign_id == cid,
                AppraisalRow.unit_id == uid,
                AppraisalRow.round == "1",
            )
        )
        return AppraisalNotes(explanations, sorted(set(changed)))


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first, with the whole chain's check."""

    rows: list[AuditRow]
    zones: dict[str, str]  # campaign id -> its time zone, to show each entry's time in
    checked: int  # entries whose hashes were checked
    problems: list[ChainProblem]
    page: int
    more: bool  # a further (older) page exists, as far as this page can tell


def audit_page(store: Store, page: int) -> AuditPage:
    """Page ``page`` (1 is the newest) of the audit log, and whether its hash chain is intact."""
    with store.read() as s:
        checked, problems = audit.verify(s)
        rows = list(
            s.exec(
                select(AuditRow)
                .order_by(col(AuditRow.seq).desc())
                .offset((page - 1) * AUDIT_PAGE)
                .limit(AUDIT_PAGE)
            )
        )
        zones = {c.id: c.time_zone for c in s.exec(select(CampaignRow))}
    return AuditPage(rows, zones, checked, problems, page, len(rows) == AUDIT_PAGE)


# ---- i16-forms: people's names on the appraiser's view


def display_names(store: Store, cid: str | None = None) -> dict[str, str]:
    """Every account's display name by username, so pages name people, not their logins;
    given a campaign, its units' names by id too (a campaign folder's explanations are
    written by the unit itself)."""
    with store.read() as s:
        names = {u.unit_id: u.name for u in units_of(s, cid)} if cid else {}
        names.update({a.username: a.display_name for a in s.exec(select(AccountRow))})
        return names


@dataclass(frozen=True)
class Publication:
    """A campaign's latest published run as people are told of it, and whether appraisal
    corrections recorded since are waiting for their own publication."""

    run: int
    kind: str  # publish | correction
    at: str  # ISO, UTC
    publisher: str  # the account's display name, else ``auditwords.person``'s fallback
    pending: int  # appraisal changes recorded after this run
    pending_units: frozenset[str] = frozenset()  # the units those changes are of


def publication_info(store: Store, cid: str, lang: str = "vi") -> Publication | None:
    """The latest published run of ``cid`` and the corrections pending since, or None
    before the first publication; its publisher named in ``lang``."""
    with store.read() as s:
        run = publication.latest_run(s, cid)
        if run is None:
            return None
        account = s.get(AccountRow, run.actor)
        people = {run.actor: account.display_name} if account is not None else {}
        changed = list(
            s.exec(
                select(AppraisalRow.unit_id).where(
                    AppraisalRow.campaign_id == cid,
                    col(AppraisalRow.id) > run.last_appraisal_id,
                )
            )
        )
        return Publication(
            run.id or 0,
            run.kind,
            run.at,
            auditwords.person(run.actor, auditwords.Names(people), lang),
            len(changed),
            frozenset(changed),
        )


def unit_choices(store: Store) -> list[tuple[str, str]]:
    """Every unit of every campaign as (id, name), its name as the newest campaign has it,
    in Vietnamese alphabetical order of the names: what an officer's account may belong to."""
    with store.read() as s:
        rows = s.exec(
            select(UnitRow.unit_id, UnitRow.name, CampaignRow.year)
            .join(CampaignRow, col(CampaignRow.id) == col(UnitRow.campaign_id))
            .order_by(col(CampaignRow.year))
        )
        names = {uid: name for uid, name, _ in rows}  # a later year's name wins
    return sorted(names.items(), key=lambda u: (vn_key(u[1]), u[0]))
