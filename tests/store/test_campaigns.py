"""The campaign in the store: import, deadlines, appraisal rounds, explanations, locking."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from scoring.campaign.appraisal_files import ExplanationEntry, parse_appraisals
from scoring.errors import ConflictError, ParindexError, SubmissionError, WorkflowError
from scoring.store import appraisal, campaigns, cycle, imports, moves, publication
from scoring.store.appraisal import AppraisalChange
from scoring.store.schema import AuditRow, DocumentRow
from tests.support.paths import MINI
from tests.support.stores import at

D = Decimal


def _open(store, folder: Path = MINI) -> None:  # type: ignore[no-untyped-def]
    report = imports.import_folder(store, folder, actor="snv", now=at("2018-11-20"))
    assert report.created and sorted(report.stored) == ["a", "b", "c"] and not report.errors


def _to_appraisal(store) -> None:  # type: ignore[no-untyped-def]
    for uid in "abc":
        moves.submit(store, "mini-2018", uid, actor=uid, now=at("2018-11-28"))
    moves.advance_campaign(store, "mini-2018", "appraisal", actor="snv", now=at("2018-12-01"))


def test_import_creates_campaign_units_and_documents(store) -> None:  # type: ignore[no-untyped-def]
    """A folder import opens the campaign and stores each unit file and the survey/council."""
    _open(store)
    st = campaigns.status(store, "mini-2018")
    assert st["state"] == "open" and [u["state"] for u in st["units"]] == ["draft"] * 3
    with store.read() as s:
        kinds = sorted((d.kind, d.key) for d in s.exec(select(DocumentRow)))
    assert kinds == [("council", ""), ("survey", ""), ("unit", "a"), ("unit", "b"), ("unit", "c")]


def test_bad_unit_file_is_reported_and_others_stored(store, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """An invalid unit file is refused with its location; the valid ones are stored."""
    p = mini_copy / "units" / "b.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("{value: true}", "{value: sure}"))
    report = imports.import_folder(store, mini_copy, actor="snv", now=at("2018-11-20"))
    assert sorted(report.stored) == ["a", "c"]
    assert "b.yaml:3:11" in str(report.errors["b"][0])


def test_late_submission_is_flagged_or_refused(store, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """After the deadline a file is flagged late, or refused when the campaign says so."""
    _open(store)
    row = moves.submit(store, "mini-2018", "a", actor="a", now=at("2018-12-02"))
    assert row.late and row.state == "submitted"
    camp = mini_copy / "campaign.yaml"
    camp.write_text(
        camp.read_text(encoding="utf-8")
        .replace("id: mini-2018", "id: strict")
        .replace("late_submission: flag", "late_submission: refuse")
    )
    imports.import_folder(store, mini_copy, actor="snv", now=at("2018-11-20"))
    with pytest.raises(WorkflowError, match="refuses late files"):
        moves.submit(store, "strict", "a", actor="a", now=at("2018-12-02"))


def test_answers_are_locked_after_submission(store) -> None:  # type: ignore[no-untyped-def]
    """A submitted self-assessment cannot be replaced."""
    _open(store)
    moves.submit(store, "mini-2018", "a", actor="a", now=at("2018-11-28"))
    text = (MINI / "units" / "a.yaml").read_text(encoding="utf-8")
    with pytest.raises(WorkflowError, match="answers of unit a cannot change now"):
        imports.import_unit(
            store, "mini-2018", "a", text, "a.yaml", actor="a", now=at("2018-11-29")
        )


def test_appraisal_needs_a_reason_and_stays_in_bounds(store) -> None:  # type: ignore[no-untyped-def]
    """Lowering needs a reason; scores outside [0, max], off-level or on N/A items are refused."""
    _open(store)
    _to_appraisal(store)
    cases = [
        (AppraisalChange("1.2", D(5), "", "x"), "changing 10 to 5 needs a reason"),
        (AppraisalChange("1.2", D(11), "r", "x"), r"within \[0, 10\]"),
        (AppraisalChange("1.5", D(6), "r", "x"), "one of 0, 5, 7.5, 10"),
        (AppraisalChange("1.22", D(1), "r", "x"), "did you mean '1.2'"),
    ]
    for change, message in cases:
        with pytest.raises(ParindexError, match=message):
            appraisal.appraise(
                store, "mini-2018", "a", "1", [change], actor="x", now=at("2018-12-05")
            )
    with pytest.raises(WorkflowError, match="not applicable"):
        appraisal.appraise(
            store,
            "mini-2018",
            "c",
            "1",
            [AppraisalChange("2.1", D(0), "r", "x")],
            actor="x",
            now=at("2018-12-05"),
        )
    appraisal.appraise(
        store,
        "mini-2018",
        "a",
        "1",
        [AppraisalChange("1.2", D(10), "", "x")],
        actor="x",
        now=at("2018-12-05"),
    )  # keeping the points needs no reason


def test_explanations_only_for_round_one_changes_and_before_deadline(store) -> None:  # type: ignore[no-untyped-def]
    """A unit explains what round 1 changed, inside the explanation window."""
    _open(store)
    _to_appraisal(store)
    appraisal.appraise(
        store,
        "mini-2018",
        "a",
        "1",
        [AppraisalChange("1.4", D(6), "Sai số liệu", "x")],
        actor="x",
        now=at("2018-12-05"),
    )
    for to in ("appraised_1", "explanation"):
        moves.advance_unit(store, "mini-2018", "a", to, actor="snv", now=at("2018-12-06"))
    with pytest.raises(WorkflowError, match="only explain items changed in round 1"):
        appraisal.respond(
            store,
            "mini-2018",
            "a",
            [ExplanationEntry(node="1.2", text="t")],
            actor="a",
            now=at("2018-12-08"),
        )
    with pytest.raises(WorkflowError, match="deadline 12/12/2018 has passed"):
        appraisal.respond(
            store,
            "mini-2018",
            "a",
            [ExplanationEntry(node="1.4", text="t")],
            actor="a",
            now=at("2018-12-13"),
        )
    appraisal.respond(
        store,
        "mini-2018",
        "a",
        [ExplanationEntry(node="1.4", text="Bổ sung")],
        actor="a",
        now=at("2018-12-10"),
    )


def test_optimistic_locking_detects_a_concurrent_change(store) -> None:  # type: ignore[no-untyped-def]
    """Two appraisers who read the same version: the second write gets a conflict."""
    _open(store)
    _to_appraisal(store)
    version = campaigns.status(store, "mini-2018")["units"][0]["version"]
    appraisal.appraise(
        store,
        "mini-2018",
        "a",
        "1",
        [AppraisalChange("1.4", D(6), "Sai số liệu", "x")],
        actor="x",
        now=at("2018-12-05"),
        expected_version=version,
    )
    with pytest.raises(ConflictError, match="changed by someone else"):
        appraisal.appraise(
            store,
            "mini-2018",
            "a",
            "1",
            [AppraisalChange("1.4", D(5), "Khác", "y")],
            actor="y",
            now=at("2018-12-05"),
            expected_version=version,
        )
    with store.read() as s:
        rows = list(s.exec(select(AuditRow).where(AuditRow.action == "appraisal.round_1")))
    assert len(rows) == 1  # the refused change left no trace


def test_a_failure_mid_import_leaves_nothing(store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A crash in the middle of an import rolls the whole import back."""
    calls = {"n": 0}
    real = imports._store_document

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk unplugged")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_store_document", boom)
    with pytest.raises(RuntimeError):
        imports.import_folder(store, MINI, actor="snv", now=at("2018-11-20"))
    with store.read() as s:
        assert not list(s.exec(select(DocumentRow))) and not list(s.exec(select(AuditRow)))
    with pytest.raises(SubmissionError, match="no campaign 'mini-2018'"):
        campaigns.status(store, "mini-2018")


def test_whole_cycle_publishes_and_freezes(store) -> None:  # type: ignore[no-untyped-def]
    """The cycle runs to publication; afterwards inputs and rounds are refused."""
    doc = cycle.run_cycle(store, MINI, actor="snv")
    units = {u["unit_id"]: u for g in doc["groups"] for u in g["units"]}
    assert units["a"]["points"] == "90.50"  # 93 less 2.5 (2.1 lowered) plus 1.4 back to 8
    assert doc["run"]["kind"] == "publish"
    text = (MINI / "units" / "a.yaml").read_text(encoding="utf-8")
    with pytest.raises(WorkflowError):
        imports.import_unit(
            store, "mini-2018", "a", text, "a.yaml", actor="a", now=at("2018-12-22")
        )
    with pytest.raises(WorkflowError, match="results are frozen"):
        imports.import_source(
            store,
            "mini-2018",
            "survey",
            (MINI / "survey.yaml").read_text(encoding="utf-8"),
            "s.yaml",
            actor="snv",
            now=at("2018-12-22"),
        )
    with pytest.raises(WorkflowError, match="cannot change now"):
        appraisal.appraise(
            store,
            "mini-2018",
            "a",
            "2",
            [AppraisalChange("1.2", D(5), "r", "x")],
            actor="x",
            now=at("2018-12-22"),
        )
    again = cycle.run_cycle(store, MINI, actor="snv")  # idempotent: the published result
    assert again["run"] == doc["run"]


def test_trace_from_store_shows_appraisal_history(store) -> None:  # type: ignore[no-untyped-def]
    """A stored unit's trace lists each appraisal change with who, when and why."""
    cycle.run_cycle(store, MINI, actor="snv")
    with store.read() as s:
        _, result = publication.compute(s, "mini-2018")
    step = next(x for x in result.unit("a").trace if x.node == "1.4")
    assert [(c["round"], c["to"]) for c in step.appraisal] == [("1", D(6)), ("2", D(8))]
    assert step.appraisal[0]["appraiser"] == "Tổ thẩm định Sở Nội vụ"
    assert json.dumps(step.appraisal[1]["reason"], ensure_ascii=False).startswith('"Chấp nhận')


def test_vietnamese_text_is_stored_composed(store, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """A unit name typed decomposed (NFD) is stored composed (NFC); item keys match either way."""
    import unicodedata

    camp = mini_copy / "campaign.yaml"
    nfd = unicodedata.normalize("NFD", "Sở A")
    camp.write_text(camp.read_text(encoding="utf-8").replace("Sở A", nfd), encoding="utf-8")
    imports.import_folder(store, mini_copy, actor="snv", now=at("2018-11-20"))
    names = [u["name"] for u in campaigns.status(store, "mini-2018")["units"]]
    assert names[0] == "Sở A" and unicodedata.is_normalized("NFC", names[0])


def test_a_round_files_changes_by_unit_take_the_files_appraiser() -> None:
    """A round file's entries become changes by unit, each by the file's appraiser when the
    entry names none (what `parindex appraise --file` and `campaign run` record)."""
    text = (MINI / "appraisal-1.yaml").read_text(encoding="utf-8")
    text += '    - {node: "1.2", score: 5, reason: Khác, appraiser: Tổ 2}\n'
    f = parse_appraisals(text, "appraisal-1.yaml")[0]
    got = appraisal.file_changes(f)
    assert list(got) == ["a", "b", "c"]
    assert got["a"] == [
        AppraisalChange(
            "2.1", Decimal("7.5"), "Chỉ 3 sáng kiến có quyết định công nhận", f.appraiser
        ),
        AppraisalChange("1.4", Decimal("6"), "Số liệu khác Cổng dịch vụ công", f.appraiser),
    ]
    assert got["c"][-1] == AppraisalChange("1.2", Decimal("5"), "Khác", "Tổ 2")
