"""Reading a report's inputs from the store: the published run, or the current state as a draft.

``build`` takes the latest published run of a campaign (its score document and traces, exactly
as stored). A campaign not yet published is scored as it stands and marked DRAFT. Last year's
published campaign, when there is one, gives the year-over-year changes: named with
``previous``, or else the published campaign of the year before that shares the most units;
this year's units are joined to last year's by the register stored with this campaign
(``scoring.campaign.register``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from scoring.errors import Location, WorkflowError
from scoring.evaluation.documents import score_document
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import ClassLabel, to_jsonable
from scoring.index.loader import Index
from scoring.reports.compose import Bands, Explained, Titles, compose_report
from scoring.reports.model import Explanation, Meta, Report
from scoring.store.db import Store
from scoring.store.publication import compute, latest_run, published, resolve
from scoring.store.schema import CampaignRow, RunRow
from scoring.store.stored import campaign_row, explanation_rows, index_for, units_of
from scoring.store.years import year_join


def build(
    store: Store,
    campaign_id: str,
    *,
    previous: str | None = None,
    generated_at: dt.datetime | None = None,
    scored: CampaignResult | None = None,
    traces_of: UnitTraces | None = None,
) -> Report:
    """The report of a campaign: as published, or its current state marked DRAFT.

    ``previous`` names last year's campaign (an id or a year); by default the published
    campaign of the year before with the most units in common, if any. ``generated_at`` is
    printed in every footer (default: now, UTC). ``scored``: the campaign scored as it stands,
    when the caller has it already (a draft report is then not scored again); ``traces_of``
    keeps the units' traces as JSON from one draft report to the next."""
    when = generated_at or dt.datetime.now(dt.UTC)
    with store.read() as s:
        row = campaign_row(s, campaign_id)
        index = index_for(s, row.index_hash)
        run = latest_run(s, campaign_id)
        if run is not None:
            doc = published(s, campaign_id)
            traces: dict[str, Any] = json.loads(run.traces_json)
        else:
            result = scored if scored is not None else compute(s, campaign_id)[1]
            doc = json.loads(json.dumps(to_jsonable(score_document(result))))
            traces = (traces_of or UnitTraces()).of(result)
        last_id = _previous(s, row, previous)
        last = published(s, last_id) if last_id else None
        register = year_join(s, last_id, campaign_id) if last_id else None
        explained = _explanations(s, campaign_id)
    meta = Meta(
        campaign=doc["campaign"],
        year=doc["year"],
        province=index.meta.province,
        title_vi=index.meta.title_vi,
        title_en=index.meta.title_en,
        index_id=doc["index"]["id"],
        content_hash=doc["index"]["content_hash"],
        places=int(doc["index"]["rounding"]["places"]),
        scale=doc["index"]["scale"],
        tie_policy=doc["index"]["ranking"]["tie_policy"],
        rank_precision=int(doc["index"]["ranking"]["precision"]),
        tie_break=tuple(doc["index"]["ranking"].get("tie_break") or ()),
        draft=run is None,
        state=row.state,
        generated_at=when,
        run_id=run.id if run else None,
        run_kind=run.kind if run else None,
        run_at=run.at if run else None,
        previous=last["campaign"] if last else None,
        previous_year=last["year"] if last else None,
    )
    return compose_report(
        doc,
        traces,
        meta,
        bands=bands(index),
        titles=adjustment_titles(index),
        explained=explained,
        previous=last,
        register=register,
    )


class UnitTraces:
    """The units' results as JSON, each unit's trace and node scores converted once: a
    result re-ranked, or a campaign with a few units re-scored, keeps the same trace objects
    for the others, which are then not converted again. Used by one builder at a time."""

    HEAVY = ("trace", "nodes")

    def __init__(self) -> None:
        self._kept: dict[int, tuple[object, Any]] = {}  # id -> (the object, its JSON)

    def of(self, result: CampaignResult) -> dict[str, Any]:
        """Every unit's result as ``to_jsonable`` gives it, by unit id."""
        kept: dict[int, tuple[object, Any]] = {}
        out: dict[str, Any] = {}
        for rs in result.groups.values():
            for r in rs:
                data: dict[str, Any] = {}
                for f in dataclasses.fields(r):
                    value = getattr(r, f.name)
                    if f.name not in self.HEAVY:
                        data[f.name] = to_jsonable(value)
                        continue
                    hit = self._kept.get(id(value))
                    if hit is None or hit[0] is not value:  # holding it keeps its id unique
                        hit = (value, to_jsonable(value))
                    kept[id(value)] = hit
                    data[f.name] = hit[1]
                out[r.unit_id] = data
        self._kept = kept
        return out


def bands(index: Index) -> Bands:
    """Each group's classes, highest first, with the index each starts at."""
    return {
        gid: [
            (ClassLabel(b.id, b.label_vi, b.label_en), str(b.min))
            for b in view.group.classification
        ]
        for gid, view in index.groups.items()
    }


def adjustment_titles(index: Index) -> Titles:
    """Each bonus and penalty's titles (Vietnamese, English) by its id."""
    return {a.spec.id: (a.spec.title_vi, a.spec.title_en) for a in index.adjustments}


def _explanations(s: Session, cid: str) -> Explained:
    out: dict[str, dict[str, list[Explanation]]] = {}
    for e in explanation_rows(s, cid):
        evidence = json.loads(e.evidence_json or "[]")
        docs = tuple(
            " ".join(str(x) for x in (ev.get("doc"), ev.get("title")) if x)
            if isinstance(ev, Mapping)
            else str(ev)
            for ev in evidence
        )
        out.setdefault(e.unit_id, {}).setdefault(e.node_id, []).append(
            Explanation(e.at, e.author, e.text, docs)
        )
    return out


def _previous(s: Session, row: CampaignRow, named: str | None) -> str | None:
    """Last year's published campaign: the one named, else found by year and by the units it
    shares (by id, or as a predecessor in the register)."""
    if named is not None:
        cid = resolve(s, named)
        if cid == row.id:
            raise WorkflowError(f"--previous {named!r} is the campaign itself", Location("store"))
        return cid
    # a unit continues the ids it was and those the register says it continues
    mine = {
        uid
        for u in units_of(s, row.id)
        for uid in (u.unit_id, *json.loads(u.predecessors_json or "[]"))
    }
    best: tuple[int, str] | None = None
    for cid in s.exec(select(CampaignRow.id).where(CampaignRow.year == row.year - 1)):
        if s.exec(select(RunRow.id).where(RunRow.campaign_id == cid)).first() is None:
            continue
        shared = len(mine & {u.unit_id for u in units_of(s, cid)})
        if shared and (best is None or (shared, cid) > best):
            best = (shared, cid)
    return best[1] if best else None
