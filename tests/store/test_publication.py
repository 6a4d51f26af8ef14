"""Publication is frozen and reproducible; tampering with storage is detected."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from scoring.errors import WorkflowError
from scoring.store import appraisal, audit, cycle, publication, years
from scoring.store.appraisal import AppraisalChange
from scoring.store.schema import AppraisalRow, AuditRow, DocumentRow, RunRow
from tests.support.paths import MINI
from tests.support.stores import at, needs_pg

D = Decimal


@pytest.fixture
def published(store):  # type: ignore[no-untyped-def]
    cycle.run_cycle(store, MINI, actor="snv")
    return store


def _sql(store, statement: str) -> None:  # type: ignore[no-untyped-def]
    with store.engine.begin() as conn:  # straight to the database, as an intruder would
        conn.execute(text(statement))


def test_verify_recomputes_identically(published) -> None:  # type: ignore[no-untyped-def]
    """Right after publication, recomputing from storage gives the same bytes."""
    report = publication.verify(published, "mini-2018")
    assert report.runs == [1] and report.problems == []


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "UPDATE document SET text = replace(text, 'count: 5', 'count: 4') "
            "WHERE kind = 'unit' AND key = 'a'",
            "no longer matches its hash",
        ),
        (
            "UPDATE appraisal SET score = '9' WHERE node_id = '1.4' AND round = '2'",
            "appraisal changes were edited or deleted",
        ),
        ("DELETE FROM appraisal WHERE node_id = '2.1'", "appraisal changes were edited"),
        (
            "UPDATE run SET result_json = replace(result_json, '\"90.50\"', '\"95.50\"')",
            "stored results were changed after publication",
        ),
        ("UPDATE unit SET tags_json = '[]' WHERE unit_id = 'c'", "units or their inputs changed"),
    ],
)
def test_verify_detects_tampering(published, statement: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """An edit made directly in the database is reported by verify."""
    _sql(published, statement)
    report = publication.verify(published, "mini-2018")
    assert any(message in p for p in report.problems), report.problems


def test_tampered_document_with_matching_hash_still_changes_the_result(published) -> None:  # type: ignore[no-untyped-def]
    """Even with its hash rewritten, an edited input shows up as a different result."""
    import hashlib

    with published.read() as s:
        doc = s.exec(select(DocumentRow).where(DocumentRow.key == "a")).one()
    new = doc.text.replace('"2.2": {count: 1}', '"2.2": {count: 3}')
    digest = hashlib.sha256(new.encode()).hexdigest()
    with published.engine.begin() as conn:
        conn.execute(
            text("UPDATE document SET text = :t, sha256 = :d WHERE key = 'a'"),
            {"t": new, "d": digest},
        )
    problems = publication.verify(published, "mini-2018").problems
    assert any("inputs changed" in p for p in problems)
    assert any("unit a: points published '90.50'" in p for p in problems)


def test_correction_is_a_new_linked_run(published) -> None:  # type: ignore[no-untyped-def]
    """After publication a change is a correction run that links to the one it corrects."""
    with pytest.raises(WorkflowError, match="needs a reason"):
        publication.publish(published, "mini-2018", actor="snv", now=at("2019-01-10"))
    with pytest.raises(WorkflowError, match="no correction was recorded"):
        publication.publish(
            published, "mini-2018", actor="snv", now=at("2019-01-10"), reason="Khiếu nại"
        )
    appraisal.appraise(
        published,
        "mini-2018",
        "b",
        "correction",
        [
            AppraisalChange(
                "1.2", D(5), "Khiếu nại được chấp nhận: báo cáo gửi ngày 08/02", "Hội đồng"
            )
        ],
        actor="snv",
        now=at("2019-01-10"),
    )
    run = publication.publish(
        published, "mini-2018", actor="snv", now=at("2019-01-11"), reason="Sửa sai theo khiếu nại"
    )
    assert run.kind == "correction" and run.parent_id == 1
    with published.read() as s:
        runs = list(s.exec(select(RunRow)))
        b = {
            u["unit_id"]: u for g in json.loads(runs[1].result_json)["groups"] for u in g["units"]
        }["b"]
    assert len(runs) == 2 and b["points"] == "31.05"  # 28.05 + (5 - 2)
    assert publication.verify(published, "mini-2018").problems == []  # both runs reproduce


def test_audit_chain_detects_edits_and_deletions(published) -> None:  # type: ignore[no-untyped-def]
    """Editing any entry, deleting one, or deleting the newest is detected."""
    with published.read() as s:
        count, problems = audit.verify(s)
    assert count > 20 and problems == []
    _sql(published, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 5")
    with published.read() as s:
        assert [p.seq for p in audit.verify(s)[1]] == [5]
    _sql(published, "DELETE FROM audit_log WHERE seq = 9")
    with published.read() as s:
        assert any("missing (deleted)" in p.problem for p in audit.verify(s)[1])
    with published.read() as s:
        last = max(r.seq or 0 for r in s.exec(select(AuditRow)))
    _sql(published, f"DELETE FROM audit_log WHERE seq = {last}")
    with published.read() as s:
        assert any("newest entries" in p.problem for p in audit.verify(s)[1])


def test_every_change_is_in_the_audit_log(published) -> None:  # type: ignore[no-untyped-def]
    """Each appraisal row has an audit entry with from, to, reason and who."""
    with published.read() as s:
        rows = list(s.exec(select(AppraisalRow)))
        entries = list(s.exec(select(AuditRow).where(AuditRow.action.startswith("appraisal"))))
    assert len(entries) == len(rows) == 5
    detail = json.loads(entries[0].detail_json)
    assert set(detail) == {"from", "to", "reason", "appraiser"}


def test_compare_two_years(store, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """compare reports index, points and rank deltas per unit between two campaigns."""
    cycle.run_cycle(store, MINI, actor="snv")
    camp = mini_copy / "campaign.yaml"
    camp.write_text(camp.read_text(encoding="utf-8").replace("id: mini-2018", "id: mini-bis"))
    unit = mini_copy / "units" / "c.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("{done_on: null}", "{done_on: 2018-01-10}")
    )
    cycle.run_cycle(store, mini_copy, actor="snv")
    doc = years.compare(store, "mini-2018", "mini-bis")
    c = next(u for u in doc["units"] if u["unit_id"] == "c")
    assert c["points"][2] == "+10.00" and c["areas"][0]["delta"] == "+10.00"
    assert c["rank"] == [2, 2, 0]


def test_a_failure_mid_publish_leaves_the_campaign_in_review(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A crash while publishing stores no run, no state change and no audit entry."""
    import scoring.store.publication as pub

    real = pub.audit.record
    calls = {"n": 0}

    def run_until_publish(store_, folder, actor):  # type: ignore[no-untyped-def]
        def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
            if kwargs.get("action") == "campaign.publish":
                raise RuntimeError("power cut")
            calls["n"] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(pub.audit, "record", boom)
        return cycle.run_cycle(store_, folder, actor=actor)

    with pytest.raises(RuntimeError, match="power cut"):
        run_until_publish(store, MINI, "snv")
    with store.read() as s:
        assert not list(s.exec(select(RunRow)))
        from scoring.store.stored import campaign_row

        assert campaign_row(s, "mini-2018").state == "review"
        count, problems = audit.verify(s)
    assert problems == [] and count == calls["n"]


@needs_pg
def test_sqlite_and_postgresql_publish_the_same_bytes(tmp_path: Path, pg_url: str) -> None:
    """The same cycle gives byte-identical published results on SQLite and PostgreSQL."""
    from scoring.store.db import open_store

    docs = []
    for url in (f"sqlite:///{tmp_path / 'p.db'}", pg_url):
        st = open_store(url)
        cycle.run_cycle(st, MINI, actor="snv")
        with st.read() as s:
            run = s.exec(select(RunRow)).one()
            docs.append(
                (
                    run.result_json,
                    run.traces_json,
                    run.result_hash,
                    run.inputs_hash,
                    run.appraisals_hash,
                )
            )
        st.close()
    assert docs[0] == docs[1]


def test_a_stored_campaign_scored_as_published_or_as_it_stands(published) -> None:  # type: ignore[no-untyped-def]
    """`scored` gives the published run's results (its appraisal changes only) or the
    campaign as it stands; `campaign_id` finds it by year; `published_document` is the run's."""
    assert publication.campaign_id(published, "2018") == "mini-2018"
    doc = publication.published_document(published, "mini-2018")
    later = AppraisalChange("1.2", D(5), "Điều chỉnh sau công bố", "Hội đồng")
    appraisal.appraise(
        published, "mini-2018", "a", "correction", [later], actor="x", now=at("2018-12-30")
    )
    _, now_result = publication.scored(published, "mini-2018")
    held, as_published = publication.scored(published, "mini-2018", as_published=True)
    assert [u.unit_id for u in held.units] == ["a", "b", "c"]
    a_pub, a_now = as_published.unit("a"), now_result.unit("a")
    assert a_pub is not None and a_now is not None
    assert next(u["points"] for g in doc["groups"] for u in g["units"] if u["unit_id"] == "a") == (
        f"{a_pub.points:.2f}"
    )
    assert a_now.nodes["1.2"].points == D(5) != a_pub.nodes["1.2"].points
