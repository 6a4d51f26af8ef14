"""Filling a stored campaign: each unit's self-assessment, the survey and council files, and
whole campaign folders.

Every function here is one transaction and writes its audit entry inside it: a change and its
audit record are stored together or not at all. Files are validated against the campaign's index
before anything is written, and a file that would drop answers already stored needs ``replace``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.campaign.folder import (
    forms_input,
    read_campaign,
    read_unit_text,
    stored_unit_text,
    survey_source,
)
from scoring.campaign.ready import prepare
from scoring.campaign.submission import Submission, UnitSpec
from scoring.campaign.survey_design import check_design
from scoring.campaign.survey_tally import FormsInput, Tally, count_forms
from scoring.campaign.surveys import check_source, merged, stored_units
from scoring.errors import (
    ErrorList,
    Location,
    ParindexError,
    SubmissionError,
    WorkflowError,
)
from scoring.index.loader import Index
from scoring.sources.yamlsrc import dump_yaml, is_dir, read_text
from scoring.store import audit, auditlog, workflow
from scoring.store.campaigns import add_units, create_from_spec, record_ended
from scoring.store.db import Store
from scoring.store.schema import CampaignRow, DocumentRow, UnitRow
from scoring.store.stored import bump, campaign_row, index_for, sha256, stamp, unit_row, units_of


def _store_document(
    s: Session,
    cid: str,
    kind: str,
    key: str,
    text: str,
    actor: str,
    at: str,
    unit: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    digest = sha256(text)
    row = s.get(DocumentRow, (cid, kind, key))
    before = row.sha256 if row else None
    if row is None:
        row = DocumentRow(
            campaign_id=cid, kind=kind, key=key, text=text, sha256=digest, updated_at=at
        )
    else:
        row.text, row.sha256, row.updated_at = text, digest, at
    s.add(row)
    audit.record(
        s,
        at=at,
        actor=actor,
        action=f"{kind}.import",
        campaign=cid,
        unit=unit,
        detail={"sha256": digest, "replaces": before, **(detail or {})},
    )


def _check_unit_text(
    index: Index, spec: UnitSpec, text: str, name: str
) -> tuple[Submission, list[str]]:
    sub = Submission(spec)
    read_unit_text(text, name, sub)
    return sub, list(prepare(index, sub).warnings)


def _stored(s: Session, cid: str, uid: str, spec: UnitSpec) -> Submission | None:
    """The unit's stored self-assessment, read, or None when it has none."""
    row = s.get(DocumentRow, (cid, "unit", uid))
    if row is None:
        return None
    old = Submission(spec)
    read_unit_text(row.text, f"store:{cid}/units/{uid}.yaml", old)
    return old


def _dropped(old: Submission | None, new: Submission) -> list[str]:
    """What the stored self-assessment ``old`` answers that ``new`` leaves out: leaf ids,
    then bonus and penalty ids, each in the stored file's order."""
    if old is None:
        return []
    return [k for k in old.answers if k not in new.answers] + [
        k for k in old.adjustments if k not in new.adjustments
    ]


def import_unit(
    store: Store,
    cid: str,
    uid: str,
    text: str,
    name: str,
    *,
    actor: str,
    now: dt.datetime,
    expected_version: int | None = None,
    replace: bool = False,
) -> list[str]:
    """Store one unit's self-assessment (while it is a draft); return its warnings.

    ``text`` is YAML, or JSON when ``name`` ends in .json (stored as YAML). A file that leaves
    out answers already stored is refused, naming them, unless ``replace`` is true (the whole
    self-assessment is then the new file's)."""
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        unit = unit_row(s, cid, uid, lock=True)
        workflow.check_editable("answers", uid, unit.state, camp.state)
        index = index_for(s, camp.index_hash)
        sub, warnings = _check_unit_text(index, unit_spec(unit), text, name)
        before = _stored(s, cid, uid, unit_spec(unit))
        if not replace and (lost := _dropped(before, sub)):
            raise SubmissionError(
                f"unit {uid}: this file leaves out {len(lost)} answer(s) already stored "
                f"({', '.join(lost)}); importing it would drop them. Add them to the file, "
                "or import with --replace to drop them",
                Location(name),
                vi=f"Đơn vị {uid}: tệp này bỏ sót {len(lost)} câu trả lời đã lưu "
                f"({', '.join(lost)}); nhập tệp sẽ xóa mất các câu trả lời đó. Hãy bổ sung "
                "vào tệp, hoặc nhập với --replace nếu muốn xóa",
            )
        stored_text = stored_unit_text(text, name)
        # the fields that changed, for the people reading the log (hashes alone tell nothing)
        changes = {"changes": auditlog.answer_changes(before, sub)}
        _store_document(
            s, cid, "unit", uid, stored_text, actor, stamp(now), unit=uid, detail=changes
        )
        bump(s, unit, expected_version)
        return warnings


def unit_spec(u: UnitRow) -> UnitSpec:
    """The stored unit as a campaign file declares it."""
    return UnitSpec(
        id=u.unit_id, name=u.name, group=u.group_id, tags=json.loads(u.tags_json), ranked=u.ranked
    )


def import_source(
    store: Store,
    cid: str,
    kind: str,
    text: str,
    name: str,
    *,
    actor: str,
    now: dt.datetime,
    replace: bool = False,
) -> list[str]:
    """Store a survey or council file's results (before publication); return the units it
    updated. The whole file is checked first: one bad entry and nothing is stored. The units
    it names take its answers, the others keep theirs; ``replace`` drops every unit it does
    not name."""
    with store.transaction() as s:
        return _import_source(s, cid, kind, text, name, actor, stamp(now), replace)


def _import_source(
    s: Session,
    cid: str,
    kind: str,
    text: str,
    name: str,
    actor: str,
    at: str,
    replace: bool = False,
    forms: dict[str, Any] | None = None,
) -> list[str]:
    camp = campaign_row(s, cid)
    if camp.state == "published":
        raise WorkflowError(f"campaign {cid} is published: its {kind} results are frozen")
    index = index_for(s, camp.index_hash)
    specs = {u.unit_id: unit_spec(u) for u in units_of(s, cid)}
    named = check_source(index, kind, text, name, specs)
    row = s.get(DocumentRow, (cid, kind, ""))
    before = stored_units(row.text) if row is not None else {}
    # the audit names the units changed, not the file's path (a folder moved is the same input)
    _store_document(
        s,
        cid,
        kind,
        "",
        merged(row.text if row is not None else None, text, named, replace),
        actor,
        at,
        detail={
            "mode": "replace" if replace else "merge",
            "updated": sorted(named),
            "dropped": sorted(set(before) - set(named)) if replace else [],
            **({"forms": forms} if forms else {}),
        },
    )
    return list(named)


def import_forms(
    store: Store,
    cid: str,
    given: FormsInput,
    *,
    actor: str,
    now: dt.datetime,
    replace: bool = False,
) -> Tally:
    """Count raw survey forms and store the survey results they give (before publication);
    return the tally. The design is checked against the campaign's index and every form
    against the design and the units first: one problem and nothing is stored.

    The forms own the leaves their questions feed; every other survey answer stays. Merging,
    each unit with forms in these files takes their counts (a unit's forms come in one
    import), the others keep theirs; ``replace`` gives every unit the survey rates these
    files' counts (a unit with no form falls below the minimum). The audit entry records
    each file's SHA-256 and row count and the derived results' SHA-256."""
    with store.transaction() as s:
        camp = campaign_row(s, cid)
        if camp.state == "published":
            raise WorkflowError(f"campaign {cid} is published: its survey results are frozen")
        index = index_for(s, camp.index_hash)
        check_design(index, given.design, given.source, given.data)
        rows = units_of(s, cid)
        counted = count_forms(given, {u.unit_id: u.group_id for u in rows})
        derived = counted.answers()
        if not replace:
            derived = {u: a for u, a in derived.items() if counted.units[u].sample}
        if not derived:
            where = given.files[0][0] if given.files else given.design_name
            raise SubmissionError(
                "the forms rate no unit: nothing would be stored", Location(where)
            )
        row = s.get(DocumentRow, (cid, "survey", ""))
        stored = stored_units(row.text) if row is not None else {}
        fed = set(given.design.leaves())
        out: dict[str, Any] = {}
        for uid, answers in stored.items():
            kept = {k: v for k, v in (answers or {}).items() if not (replace and k in fed)}
            if kept or uid in derived:
                out[uid] = kept
        for uid, answers in derived.items():
            out.setdefault(uid, {}).update(answers)
        text = dump_yaml({"units": out})
        specs = {u.unit_id: unit_spec(u) for u in rows}
        check_source(index, "survey", text, f"{given.design_name} (counted)", specs)
        _store_document(
            s,
            cid,
            "survey",
            "",
            text,
            actor,
            stamp(now),
            detail={
                "mode": "replace" if replace else "merge",
                "updated": sorted(derived),
                "dropped": [],
                "forms": forms_detail(counted),
            },
        )
        return counted


def forms_detail(counted: Tally) -> dict[str, Any]:
    """What the audit keeps of an import of forms: the files, the results' hash, the units
    below the minimum and the rule applied to them."""
    return {
        # the file's name without its folder: a folder moved is the same input
        "files": [
            {"name": Path(f.name).name, "sha256": f.sha256, "rows": f.rows} for f in counted.files
        ],
        "results_sha256": counted.results_hash(),
        "below_minimum": counted.below_minimum(),
        "rule": counted.design.below_minimum,
    }


@dataclass
class ImportReport:
    """What an import stored and what it refused."""

    campaign: str
    created: bool
    stored: list[str] = field(default_factory=list)
    errors: dict[str, list[ParindexError]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def import_folder(store: Store, folder: Path, *, actor: str, now: dt.datetime) -> ImportReport:
    """Create the campaign of a folder if needed, then store every valid unit file and the
    survey and council files, all in one transaction. Invalid unit files are reported."""
    spec, _, _ = read_campaign(folder)
    folder = folder if is_dir(folder) else folder.parent
    at = stamp(now)
    with store.transaction() as s:
        created = s.get(CampaignRow, spec.id) is None
        if created:
            create_from_spec(s, spec, folder, actor, at)
        camp = campaign_row(s, spec.id)
        index = index_for(s, camp.index_hash)
        add_units(s, spec.id, spec.units, index, actor, at)
        record_ended(s, spec, actor, at)
        report = ImportReport(spec.id, created)
        rows = {u.unit_id: u for u in units_of(s, spec.id)}
        for u in spec.units:
            path = folder / (u.file or f"units/{u.id}.yaml")
            try:
                text = read_text(path)
                workflow.check_editable("answers", u.id, rows[u.id].state, camp.state)
                report.warnings += _check_unit_text(index, u, text, str(path))[1]
            except ParindexError as exc:
                report.errors[u.id] = exc.errors if isinstance(exc, ErrorList) else [exc]
                continue
            text = stored_unit_text(text, str(path))
            _store_document(s, spec.id, "unit", u.id, text, actor, at, unit=u.id)
            bump(s, rows[u.id], None)
            report.stored.append(u.id)
        given = forms_input(spec, folder)
        counted = None if given is None else survey_source(spec, folder, given)
        if given is not None and counted is not None:
            check_design(index, given.design, given.source, given.data)
            (name, text), tally_ = counted
            _import_source(s, spec.id, "survey", text, name, actor, at, forms=forms_detail(tally_))
        for kind in ("survey", "council"):
            name = getattr(spec, kind)
            if name and not (kind == "survey" and counted is not None):
                _import_source(
                    s, spec.id, kind, read_text(folder / name), str(folder / name), actor, at
                )
    return report
