"""Publishing a campaign's results, re-verifying them from storage (comparing years: ``years``).

A published run stores the score document and every unit's trace together with the hashes of
the index, the inputs and the appraisal changes that fed it. Nothing that fed a run can change
afterwards through parindex (the workflow refuses it); a correction is a new run linked to the
one it corrects. ``verify`` recomputes every run from what is stored and reports any
difference, and any stored text that no longer matches its hash.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from scoring.campaign.surveys import missing_items
from scoring.errors import ErrorList, Location, ParindexError, WorkflowError
from scoring.evaluation.documents import score_document
from scoring.evaluation.ranking import CampaignResult, score_campaign
from scoring.evaluation.trace import to_jsonable
from scoring.store import audit, workflow
from scoring.store.audit import canonical
from scoring.store.db import Store
from scoring.store.schema import RunRow
from scoring.store.stored import (
    Stored,
    appraisal_rows,
    appraisals_hash,
    campaign_ref,
    campaign_row,
    load,
    sha256,
    stamp,
)


def compute(
    s: Session, cid: str, upto_appraisal: int | None = None
) -> tuple[Stored, CampaignResult]:
    """Score a stored campaign as it stands (or with appraisals up to an id)."""
    stored = load(s, cid, upto_appraisal)
    return stored, score_campaign(stored.index, stored.campaign, stored.appraisals)


def _documents(result: CampaignResult) -> tuple[str, str]:
    doc = canonical(score_document(result))
    traces = canonical({r.unit_id: to_jsonable(r) for rs in result.groups.values() for r in rs})
    return doc, traces


def latest_run(s: Session, cid: str) -> RunRow | None:
    """The campaign's newest published run or correction, if any."""
    q = select(RunRow).where(RunRow.campaign_id == cid).order_by(col(RunRow.id).desc())
    return s.exec(q).first()


def publish(
    store: Store, cid: str, *, actor: str, now: dt.datetime, reason: str | None = None
) -> RunRow:
    """Publish the campaign (review → published), or a correction of a published run."""
    at = stamp(now)
    with store.transaction() as s:
        camp = campaign_row(s, cid, lock=True)
        parent = latest_run(s, cid)
        if camp.state == "published":
            assert parent is not None
            if not reason or not reason.strip():
                raise WorkflowError(
                    f"campaign {cid} is already published: a correction needs a reason (--reason)",
                    vi=f"Kỳ đánh giá {cid} đã công bố: muốn đính chính phải ghi rõ lý do",
                )
            if not [r for r in appraisal_rows(s, cid) if (r.id or 0) > parent.last_appraisal_id]:
                raise WorkflowError(
                    f"campaign {cid} is already published and no correction "
                    "was recorded since (appraise --round correction first)",
                    vi=f"Kỳ đánh giá {cid} đã công bố và từ đó chưa có đính chính nào được ghi "
                    "nhận (hãy thẩm định đính chính trước)",
                )
            kind = "correction"
        elif camp.state == "review":
            kind, parent = "publish", None
        else:
            raise WorkflowError(
                f"campaign {cid} is {camp.state}: it can be published from review only",
                vi=f"Kỳ đánh giá {cid} đang ở bước «{workflow.state_name(camp.state)}»: chỉ "
                "công bố được khi ở bước «Xem xét»",
            )
        stored, result = compute(s, cid)
        _refuse_unscorable(stored, result)
        doc, traces = _documents(result)
        rows = appraisal_rows(s, cid)
        run = RunRow(
            campaign_id=cid,
            kind=kind,
            parent_id=parent.id if parent else None,
            reason=reason,
            actor=actor,
            at=at,
            index_hash=stored.index.content_hash,
            inputs_hash=stored.inputs_hash,
            appraisals_hash=appraisals_hash(rows),
            last_appraisal_id=stored.last_appraisal_id,
            result_hash=sha256(doc + traces),
            result_json=doc,
            traces_json=traces,
        )
        s.add(run)
        camp.state = "published"
        camp.version += 1
        s.add(camp)
        s.flush()
        audit.record(
            s,
            at=at,
            actor=actor,
            action=f"campaign.{kind}",
            campaign=cid,
            detail={
                "run": run.id,
                "parent": run.parent_id,
                "reason": reason,
                "result_hash": run.result_hash,
                "inputs_hash": run.inputs_hash,
                "appraisals_hash": run.appraisals_hash,
            },
        )
        return run


def _refuse_unscorable(stored: Stored, result: CampaignResult) -> None:
    """Refuse to publish while any unit cannot be scored, naming each and why: errors in its
    inputs, or survey or council results missing (which would publish it without those
    points)."""
    why: dict[str, list[tuple[str, str]]] = {}  # (English, Vietnamese)
    for uid, errs in result.errors.items():
        shown = [e.message if e.location.file == "" else str(e) for e in errs[:3]]
        said = [e.reason("vi") if e.location.file == "" else e.text("vi") for e in errs[:3]]
        more = f" (and {len(errs) - 3} more)" if len(errs) > 3 else ""
        more_vi = f" (và {len(errs) - 3} lỗi khác)" if len(errs) > 3 else ""
        why.setdefault(uid, []).append(("; ".join(shown) + more, "; ".join(said) + more_vi))
    for uid, lacking in missing_items(stored.index, stored.campaign).items():
        why.setdefault(uid, []).extend(
            (
                f"no {kind} results for {', '.join(ids)}",
                f"thiếu kết quả {KIND_VI[kind]} của {', '.join(ids)}",
            )
            for kind, ids in lacking
        )
    if why:
        raise ErrorList.of(
            WorkflowError(
                f"cannot publish: {_named(uid)}: {'; '.join(en for en, _ in reasons)}",
                Location("store"),
                vi=f"Chưa thể công bố: {_named(uid, 'vi')}: {'; '.join(vi for _, vi in reasons)}",
            )
            for uid, reasons in sorted(why.items())
        )


# who assessed the items a unit lacks results of, as the Vietnamese refusal says it
KIND_VI = {"survey": "khảo sát", "council": "hội đồng đánh giá"}


def _named(key: str, lang: str = "en") -> str:
    """A key of the campaign's errors as a reader says it: a unit, or the survey/council file."""
    if lang == "vi":
        if key.endswith(" file"):
            kind = key.removesuffix(" file")
            return f"tệp kết quả {KIND_VI.get(kind, kind)} đã lưu bị sai"
        return f"không tính được điểm của đơn vị {key}"
    return f"the stored {key} is wrong" if key.endswith(" file") else f"unit {key} cannot be scored"


@dataclass
class VerifyReport:
    """What ``verify`` checked and what it found."""

    campaign: str
    runs: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def verify(store: Store, cid: str) -> VerifyReport:
    """Recompute every published run of a campaign from storage and compare."""
    report = VerifyReport(cid)
    with store.read() as s:
        campaign_row(s, cid)
        runs = list(
            s.exec(select(RunRow).where(RunRow.campaign_id == cid).order_by(col(RunRow.id)))
        )
        if not runs:
            raise WorkflowError(
                f"campaign {cid} has no published results to verify",
                vi=f"Kỳ đánh giá {cid} chưa có kết quả công bố nào để kiểm tra",
            )
        for run in runs:
            report.runs.append(run.id or 0)
            _verify_run(s, cid, run, report.problems)
    return report


def _verify_run(s: Session, cid: str, run: RunRow, problems: list[str]) -> None:
    tag = f"run {run.id} ({run.kind} {run.at})"
    if sha256(run.result_json + run.traces_json) != run.result_hash:
        problems.append(f"{tag}: the stored results were changed after publication")
    try:
        stored, result = compute(s, cid, run.last_appraisal_id)
    except ParindexError as exc:
        problems.append(f"{tag}: cannot recompute: {exc}")
        return
    if stored.index.content_hash != run.index_hash:
        problems.append(f"{tag}: the index is not the one published")
    if stored.inputs_hash != run.inputs_hash:
        problems.append(f"{tag}: the units or their inputs changed after publication")
    rows = appraisal_rows(s, cid, run.last_appraisal_id)
    if appraisals_hash(rows) != run.appraisals_hash:
        problems.append(f"{tag}: appraisal changes were edited or deleted after publication")
    doc, traces = _documents(result)
    if doc != run.result_json:
        problems.extend(
            f"{tag}: {d}" for d in _differences(json.loads(run.result_json), json.loads(doc))
        )
    elif traces != run.traces_json:
        problems.append(f"{tag}: a recomputed trace differs from the stored one")


def _units(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["unit_id"]: u for g in doc["groups"] for u in g["units"]}


def _differences(stored: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    a, b = _units(stored), _units(fresh)
    out = [f"unit {u} is in one result only" for u in sorted(set(a) ^ set(b))]
    for u in sorted(set(a) & set(b)):
        for key in ("points", "index", "rank", "classification"):
            if a[u][key] != b[u][key]:
                out.append(f"unit {u}: {key} published {a[u][key]!r}, recomputed {b[u][key]!r}")
    return out or ["the result document differs (metadata)"]


def published(s: Session, cid: str) -> dict[str, Any]:
    """The latest published score document of a campaign."""
    run = latest_run(s, cid)
    if run is None:
        raise WorkflowError(
            f"campaign {cid} has not been published", vi=f"Kỳ đánh giá {cid} chưa được công bố"
        )
    doc: dict[str, Any] = json.loads(run.result_json)
    doc["run"] = {
        "id": run.id,
        "kind": run.kind,
        "at": run.at,
        "parent": run.parent_id,
        "result_hash": run.result_hash,
    }
    return doc


def published_document(store: Store, cid: str) -> dict[str, Any]:
    """``published`` in one read: the latest published score document of a campaign."""
    with store.read() as s:
        return published(s, cid)


def campaign_id(store: Store, ref: str) -> str:
    """``resolve`` in one read: a campaign id from an id or a year."""
    with store.read() as s:
        return resolve(s, ref)


def scored(store: Store, cid: str, *, as_published: bool = False) -> tuple[Stored, CampaignResult]:
    """A stored campaign scored as it stands, or (``as_published``) with the appraisal changes
    of its last published run (as it stands if it has none)."""
    with store.read() as s:
        run = latest_run(s, cid) if as_published else None
        return compute(s, cid, run.last_appraisal_id if run else None)


def resolve(s: Session, ref: str) -> str:
    """A campaign id from an id or a year (``stored.campaign_ref``)."""
    return campaign_ref(s, ref)
