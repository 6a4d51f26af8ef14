"""The appraisal of one unit on the web: the appraiser's changes, the unit's explanations of
them, and moving the unit on through its workflow.

Each handler reads its form into the records the store takes (``AppraisalChange``,
``ExplanationEntry``) and calls the store, which checks the workflow, the unit's version and
the bounds of every score, and writes the audit entry.
"""

from __future__ import annotations

from fastapi.responses import Response

from scoring.campaign.appraisal_files import ExplanationEntry
from scoring.campaign.submission import EvidenceRef
from scoring.errors import SubmissionError
from scoring.store import moves, workflow
from scoring.store.appraisal import AppraisalChange, appraise, respond
from scoring.web import forms
from scoring.web.pages.common import (
    back,
    campaign_or_404,
    confirmed,
    require,
    unit_or_404,
    version,
)
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web, decimal


def register(router: Router) -> None:
    """The routes of a unit's appraisal and workflow."""
    router.add("POST", "/c/{cid}/u/{uid}/explain", "explanation.write", explain)
    router.add("POST", "/c/{cid}/u/{uid}/appraise", "appraisal.write", appraise_unit)
    router.add("POST", "/c/{cid}/u/{uid}/advance", "unit.advance", advance_unit)


def explain(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The unit's explanations of round-1 changes, with further evidence."""
    expected = version(ctx)
    entries = []
    for node_id in sorted({k[2:] for k in (ctx.form or {}) if k.startswith("e:")}):
        text = ctx.field(f"e:{node_id}").strip()
        if not text:
            continue
        docs = [
            EvidenceRef(doc=line.strip()[: forms.MAX_FIELD])
            for line in ctx.field(f"ev:{node_id}").splitlines()[: forms.MAX_EVIDENCE_LINES]
            if line.strip()
        ]
        entries.append(
            ExplanationEntry(
                node=node_id,
                text=text[: forms.MAX_FIELD],
                evidence=docs,
                author=ctx.user.display_name,
            )
        )
    if not entries:
        raise SubmissionError("write at least one explanation")
    respond(
        web.store,
        cid,
        uid,
        entries,
        actor=ctx.user.username,
        now=web.clock(),
        expected_version=expected,
    )
    return back(f"/c/{cid}/u/{uid}", "saved")


def appraise_unit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The appraiser's changes of this round, each with its reason."""
    expected = version(ctx)
    camp, row = campaign_or_404(web, cid), unit_or_404(web, cid, uid)
    round_ = workflow.check_round_open(uid, row.state, camp.state)
    changes = []
    for name in sorted(k for k in (ctx.form or {}) if k.startswith("s:")):
        raw = ctx.field(name).strip()
        if raw:
            node_id = name[2:]
            changes.append(
                AppraisalChange(node_id, decimal(raw), ctx.field(f"r:{node_id}"), ctx.user.username)
            )
    if not changes:
        raise SubmissionError("enter at least one new score (with its reason)")
    appraise(
        web.store,
        cid,
        uid,
        round_,
        changes,
        actor=ctx.user.username,
        now=web.clock(),
        expected_version=expected,
    )
    return back(f"/c/{cid}/u/{uid}", "saved")


def advance_unit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Move the unit to its next workflow state (submitting is the unit's own act)."""
    require(ctx, "target", "version")
    expected = version(ctx)
    workflow.check_appraiser_move(ctx.field("target"))
    confirmed(ctx)
    moves.advance_unit(
        web.store,
        cid,
        uid,
        ctx.field("target"),
        actor=ctx.user.username,
        now=web.clock(),
        expected_version=expected,
    )
    return back(f"/c/{cid}/u/{uid}", "saved")
