"""Storing survey results counted from raw forms: merge and replace, the audit entry with the
files' and results' hashes, nothing stored on a bad form, frozen once published."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlmodel import select

from scoring.campaign.survey_tally import read_forms_input
from scoring.campaign.surveys import stored_units
from scoring.errors import ParindexError
from scoring.store import imports
from scoring.store.db import Store
from scoring.store.schema import AuditRow, DocumentRow
from tests.support.forms import forms_campaign
from tests.support.paths import MINI_FORMS
from tests.support.stores import at

CID = "mini-2018"
HEADER = "form_id,unit,respondent,mode,date,Q1,Q2\n"


def _opened(store: Store, tmp_path: Path) -> Path:
    """The mini forms campaign imported without its forms (S.1 as survey.yaml gives it)."""
    folder = forms_campaign(tmp_path / "camp")
    camp = folder / "campaign.yaml"
    camp.write_text(
        camp.read_text(encoding="utf-8").replace("survey_forms:", "# survey_forms:"),
        encoding="utf-8",
    )
    (folder / "survey.yaml").write_text(
        (MINI_FORMS.parent / "mini" / "survey.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert not imports.import_folder(store, folder, actor="snv", now=at("2018-11-20")).errors
    return folder


def _forms(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "more.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _stored(store: Store) -> dict[str, dict[str, object]]:
    with store.read() as s:
        row = s.get(DocumentRow, (CID, "survey", ""))
        assert row is not None
        return stored_units(row.text)


def test_merge_changes_only_units_with_forms_and_keeps_other_leaves(
    store: Store, tmp_path: Path
) -> None:
    """Merging, a unit with forms takes their counts for S.1 and keeps its S.2; the others keep
    all they had."""
    folder = _opened(store, tmp_path)
    before = _stored(store)
    more = _forms(
        tmp_path,
        "X1,a,lanh-dao,giay,05/11/2018,A,D\nX2,a,nguoi-dan,giay,06/11/2018,B,\nX3,a,nguoi-dan,giay,06/11/2018,B,A\n",
    )
    given = read_forms_input(folder / "survey-design.yaml", [more])
    imports.import_forms(store, CID, given, actor="snv", now=at("2018-11-21"))
    after = _stored(store)
    assert after["a"] == {
        "S.2": {"value": 90},
        "S.1": {"responses": {"A": 2, "B": 2, "C": 0, "D": 1}},
    }
    assert after["b"] == before["b"] and after["c"] == before["c"]


def test_replace_counts_every_rated_unit(store: Store, tmp_path: Path) -> None:
    """With replace, a unit without forms in the files is counted with none (below the
    minimum, scored as is: no responses)."""
    folder = _opened(store, tmp_path)
    more = _forms(tmp_path, "X1,a,lanh-dao,giay,05/11/2018,A,D\n")
    given = read_forms_input(folder / "survey-design.yaml", [more])
    counted = imports.import_forms(
        store, CID, given, actor="snv", now=at("2018-11-21"), replace=True
    )
    after = _stored(store)
    assert after["c"]["S.1"] == {"responses": {"A": 0, "B": 0, "C": 0, "D": 0}}
    assert after["c"]["S.2"] == {"value": 80}
    assert counted.below_minimum() == ["a", "b", "c"]


def test_audit_entry_holds_the_files_and_results_hashes(store: Store, tmp_path: Path) -> None:
    """The import's audit entry records the forms file's SHA-256 and row count and the derived
    results' SHA-256."""
    folder = _opened(store, tmp_path)
    given = read_forms_input(folder / "survey-design.yaml", [folder / "forms.csv"])
    counted = imports.import_forms(store, CID, given, actor="snv", now=at("2018-11-21"))
    with store.read() as s:
        entries = s.exec(select(AuditRow).where(AuditRow.action == "survey.import")).all()
    entry = max(entries, key=lambda e: e.seq or 0)
    forms = json.loads(entry.detail_json)["forms"]
    digest = hashlib.sha256((folder / "forms.csv").read_bytes()).hexdigest()
    assert forms["files"] == [{"name": "forms.csv", "sha256": digest, "rows": 11}]
    assert forms["results_sha256"] == counted.results_hash()
    assert forms["below_minimum"] == ["b"] and forms["rule"] == "score_as_is"


def test_a_bad_form_stores_nothing(store: Store, tmp_path: Path) -> None:
    """One bad row and nothing is stored; the error names file:row:column."""
    folder = _opened(store, tmp_path)
    before = _stored(store)
    bad = _forms(
        tmp_path, "X1,a,lanh-dao,giay,05/11/2018,A,D\nX2,zz,lanh-dao,giay,05/11/2018,A,D\n"
    )
    given = read_forms_input(folder / "survey-design.yaml", [bad])
    with pytest.raises(ParindexError, match=r"more.csv:3:2: unknown unit 'zz'"):
        imports.import_forms(store, CID, given, actor="snv", now=at("2018-11-21"))
    assert _stored(store) == before
