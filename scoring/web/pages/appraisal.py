"""The appraisal of one unit on the web: the appraiser's changes, the unit's explanations of
them, and moving the unit on through its workflow.

Each handler reads its form into the records the store takes (``AppraisalChange``,
``ExplanationEntry``) and calls the store, which checks the workflow, the unit's version and
the bounds of every score, and writes the audit entry.
"""

from __future__ import annotations

from decimal import Decimal

from fastapi.responses import Response

from scoring.campaign.appraisal_files import ExplanationEntry
from scoring.campaign.submission import EvidenceRef
from scoring.errors import ConflictError, ErrorList, ParindexError, WorkflowError
from scoring.store import moves, workflow
from scoring.store.appraisal import AppraisalChange, appraise, respond
from scoring.web import forms, i18n
from scoring.web.pages.common import (
    back,
    campaign_or_404,
    confirmed,
    require,
    result,
    unit_or_404,
    version,
)
from scoring.web.pages.unit import deadlines, unit_page
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web


def register(router: Router) -> None:
    """The routes of a unit's appraisal and workflow."""
    router.add("POST", "/c/{cid}/u/{uid}/explain", "explanation.write", explain)
    router.add("POST", "/c/{cid}/u/{uid}/appraise", "appraisal.write", appraise_unit)
    router.add("POST", "/c/{cid}/u/{uid}/advance", "unit.advance", advance_unit)


def explain(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The unit's explanations of round-1 changes, with further evidence. A refusal (window
    closed, nothing written, someone saved meanwhile) shows the page again with the message
    beside the form and every text typed kept."""
    lang = ctx.lang
    try:
        expected = version(ctx)
    except ConflictError:  # a version that is not digits is stale like any other
        return _again(web, ctx, cid, uid, "explain", forms.say("err_conflict", lang), 409)
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
    camp = campaign_or_404(web, cid)
    due = deadlines(camp, web.clock())["due_explanation"]
    if due.closed:
        return _again(
            web, ctx, cid, uid, "explain", forms.say("err_window_closed", lang, due=due.shown), 409
        )
    if not entries:
        return _again(web, ctx, cid, uid, "explain", forms.say("err_no_explanation", lang), 400)
    try:
        respond(
            web.store,
            cid,
            uid,
            entries,
            actor=ctx.user.username,
            now=web.clock(),
            expected_version=expected,
        )
    except ConflictError:
        return _again(web, ctx, cid, uid, "explain", forms.say("err_conflict", lang), 409)
    except ParindexError as exc:
        return _again(web, ctx, cid, uid, "explain", _refused(exc, lang), _status(exc))
    return back(f"/c/{cid}/u/{uid}", "saved")


def appraise_unit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The appraiser's changes of this round, each with its reason. A change without its
    reason, a score out of range or a refusal of the store shows the page again with the
    message beside the field and every score and reason typed kept."""
    lang = ctx.lang
    try:
        expected = version(ctx)
    except ConflictError:  # a version that is not digits is stale like any other
        return _again(web, ctx, cid, uid, "appraise", forms.say("err_conflict", lang), 409)
    camp, row = campaign_or_404(web, cid), unit_or_404(web, cid, uid)
    round_ = workflow.check_round_open(uid, row.state, camp.state)
    scored = result(web, cid).unit(uid)
    steps = {st.node: st for st in scored.trace} if scored is not None else {}
    changes, wrong = [], {}
    for name in sorted(k for k in (ctx.form or {}) if k.startswith("s:")):
        raw = ctx.field(name).strip()
        if not raw:
            continue
        node_id = name[2:]
        reason = ctx.field(f"r:{node_id}").strip()
        try:
            score = i18n.parse_number(raw)
        except ValueError:
            wrong[name] = forms.say("err_number", lang, raw=raw)
            continue
        step = steps.get(node_id)
        if step is not None and not Decimal(0) <= score <= step.max:
            top = i18n.number(str(step.max), lang)
            wrong[name] = forms.say("err_range", lang, raw=raw, lo="0", hi=top)
            continue
        if not reason and (step is None or score != step.points):
            wrong[f"r:{node_id}"] = forms.say("err_reason", lang)
            continue
        changes.append(AppraisalChange(node_id, score, reason, ctx.user.username))
    if wrong:
        return _again(web, ctx, cid, uid, "appraise", "", 400, wrong)
    if not changes:
        return _again(web, ctx, cid, uid, "appraise", forms.say("err_no_change", lang), 400)
    try:
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
    except ConflictError:
        return _again(web, ctx, cid, uid, "appraise", forms.say("err_conflict", lang), 409)
    except ParindexError as exc:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        beside = {}
        for e in errors:  # the store names the node it refused: put its message beside it
            for ch in changes:
                if f", {ch.node}:" in e.message:
                    beside[f"s:{ch.node}"] = forms.say("err_refused", lang, detail=e.reason(lang))
        return _again(web, ctx, cid, uid, "appraise", _refused(exc, lang), _status(exc), beside)
    return back(f"/c/{cid}/u/{uid}", "saved")


def _refused(exc: ParindexError, lang: str) -> str:
    errors = exc.errors if isinstance(exc, ErrorList) else [exc]
    return forms.say("err_refused", lang, detail="; ".join(e.reason(lang) for e in errors))


def _status(exc: ParindexError) -> int:
    return 409 if isinstance(exc, WorkflowError | ConflictError) else 400


def _again(
    web: Web,
    ctx: Ctx,
    cid: str,
    uid: str,
    form_id: str,
    message: str,
    status: int,
    beside: dict[str, str] | None = None,
) -> Response:
    """The unit's page again, with form ``form_id``'s message, the messages beside its fields
    and every value posted (a version conflict keeps the typed values and takes the current
    version, so a deliberate second save applies them)."""
    return unit_page(
        web,
        ctx,
        cid,
        uid,
        posted=ctx.fields(),
        form_errors={form_id: message, **(beside or {})},
        dirty=True,
        status=status,
    )


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
