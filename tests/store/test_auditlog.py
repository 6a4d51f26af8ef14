"""The fields a save changed, computed when it is written and kept in its audit entry."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from scoring.campaign.folder import read_unit_text
from scoring.campaign.submission import Submission
from scoring.store import auditlog, imports
from scoring.store.imports import unit_spec
from scoring.store.schema import AuditRow, DocumentRow, UnitRow
from tests.support.web import CID, NOW, OWN, open_copy


def test_a_save_records_old_and_new_of_each_changed_field(tmp_path: Path) -> None:
    """Re-importing a unit's file with one number changed records that field only, with its
    old and new values as the file gives them (JSON); the people's page labels it in Vietnamese."""
    st = open_copy(tmp_path)
    with st.read() as s:
        text = s.get(DocumentRow, (CID, "unit", OWN)).text  # type: ignore[union-attr]
        unit = s.get(UnitRow, (CID, OWN))
    assert unit is not None
    old = Submission(unit_spec(unit))
    read_unit_text(text, "old.yaml", old)
    leaf, answer = next(
        (k, a) for k, a in old.answers.items() if a.numerator is not None and a.numerator > 0
    )
    changed = text.replace(
        f"numerator: {answer.numerator}", f"numerator: {answer.numerator - 1}", 1
    )
    assert changed != text
    imports.import_unit(st, CID, OWN, changed, "new.yaml", actor="canbo", now=NOW)
    with st.read() as s:
        row = list(s.exec(select(AuditRow).where(AuditRow.action == "unit.import")))[-1]
    changes = json.loads(row.detail_json)["changes"]
    assert changes == [
        {"node": leaf, "field": "numerator", "old": answer.numerator,
         "new": answer.numerator - 1}
    ]  # fmt: skip
    page = auditlog.people_page(st, auditlog.Filters(action="unit.import", unit=OWN))
    (change,) = page.entries[0].changes or []
    assert change.label_vi != "numerator" and change.old == answer.numerator
    st.close()


def test_answer_changes_of_a_first_save_list_every_field() -> None:
    """With nothing stored before, every field given is a change from None."""
    from scoring.campaign.submission import UnitSpec

    spec = UnitSpec(id="u", name="U", group="department", tags=[], ranked=True)
    new = Submission(spec)
    read_unit_text("unit: u\nanswers:\n  1.1.2: {value: true}\n", "u.yaml", new)
    assert auditlog.answer_changes(None, new) == [
        {"node": "1.1.2", "field": "value", "old": None, "new": True}
    ]
