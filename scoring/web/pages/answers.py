"""A unit's self-assessment on the web: save the form, submit it, and re-score it unsaved.

The posted form becomes the text of a unit file (``forms``), which the store imports, or which
``drafts.score_draft`` scores against the campaign as it stands without storing it: the web
has no second reader of answers and no scorer of its own. A save or re-score whose form lacks
some of its fields changes nothing: an absent field is not a cleared answer.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse, Response

from scoring.errors import ConflictError, ErrorList, ParindexError, WorkflowError
from scoring.simulation.gaps import Gap
from scoring.simulation.gaps import gaps as find_gaps
from scoring.sources.said import figure
from scoring.store import drafts, imports, moves
from scoring.web import forms
from scoring.web.pages.common import absent, back, places, q, result, summary, unit_or_404, version
from scoring.web.pages.unit import GAPS_SHOWN, unit_page
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web, refusal


def register(router: Router) -> None:
    """The routes that write or re-score a unit's self-assessment."""
    router.add("POST", "/c/{cid}/u/{uid}/answers", "answers.write", save_answers)
    router.add("POST", "/c/{cid}/u/{uid}/submit", "answers.submit", submit)
    router.add("POST", "/api/c/{cid}/u/{uid}/simulate", "unit.simulate", simulate)


def rows_of(web: Web, cid: str, uid: str) -> list[forms.Row]:
    """The rows of the unit's form."""
    return forms.rows(result(web, cid).index, unit_or_404(web, cid, uid).group_id)


def unit_file(web: Web, ctx: Ctx, cid: str, uid: str) -> tuple[str, forms.Parsed]:
    """The posted form as the unit file's text, and the fields that could not be read."""
    row = unit_or_404(web, cid, uid)
    scored = result(web, cid)
    rows = forms.rows(scored.index, row.group_id)
    parsed = forms.parse(ctx.fields(), rows, ctx.lang)
    stored = scored.submissions.get(uid)
    return forms.unit_text(uid, scored.index.id, stored, parsed.answers, rows), parsed


def save_answers(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Store the form as the unit's self-assessment (draft, campaign open). A post without
    the fields of every leaf the form shows, or without its version, changes nothing (400).
    Every refusal shows the form again with every value typed, each message beside its field;
    after a version conflict (a stale version, or one that is not a version at all) the form
    takes the current version, so saving again applies it."""
    text, parsed = unit_file(web, ctx, cid, uid)
    posted = ctx.fields()
    lang = ctx.lang
    refused = [m for m in [absent(ctx, "version")] if m]
    values = posted
    if parsed.missing:
        refused.append(forms.missing_message(parsed.missing, lang))
        # the leaves that were not posted show what is stored, not blanks to save next time
        sub = result(web, cid).submissions.get(uid)
        stored = forms.values_of(sub.answers if sub else {}, lang)
        gone = set(parsed.missing)
        values = {k: v for k, v in stored.items() if k.split(":")[1] in gone} | posted
    if refused or parsed.errors:
        return _again(web, ctx, cid, uid, values, refused, parsed.errors, 400)
    try:
        # a version that is not digits (tampered with) is stale like any other: a conflict
        expected = version(ctx)
        imports.import_unit(
            web.store,
            cid,
            uid,
            text,
            f"web:{cid}/units/{uid}.yaml",
            actor=ctx.user.username,
            now=web.clock(),
            expected_version=expected,
            replace=True,  # every leaf's field was posted: one left empty is meant to be dropped
        )
    except ConflictError:
        kept = {k: v for k, v in posted.items() if k != "version"}
        return _again(web, ctx, cid, uid, kept, [forms.say("err_conflict", lang)], {}, 409)
    except ParindexError as exc:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        status = 409 if isinstance(exc, WorkflowError) else 400
        messages = [forms.say("err_refused", lang, detail=refusal(e, lang)) for e in errors]
        return _again(web, ctx, cid, uid, posted, messages, {}, status)
    return back(f"/c/{cid}/u/{uid}", "saved")


def _again(
    web: Web,
    ctx: Ctx,
    cid: str,
    uid: str,
    values: dict[str, str],
    messages: list[str],
    field_errors: dict[str, str],
    status: int,
) -> Response:
    """The unit's page again with the form as typed: the messages above it, and each field's
    message beside it (listed above as well, named as people read the field); a date typed
    ISO reads as people write it (``forms.echoed``)."""
    form_rows = rows_of(web, cid, uid)
    named = forms.labels(form_rows, ctx.lang)
    return unit_page(
        web,
        ctx,
        cid,
        uid,
        values=forms.echoed(values, form_rows),
        field_errors=field_errors,
        errors=messages + [f"{named.get(k, k)}: {v}" for k, v in field_errors.items()],
        dirty=True,
        status=status,
    )


def submit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Lock the self-assessment (draft → submitted); a refusal (someone saved meanwhile, the
    deadline passed) is shown on the unit's page, in the page's language."""
    try:
        expected = version(ctx)  # not digits: a conflict, like a stale version
        moves.submit(
            web.store, cid, uid, actor=ctx.user.username, now=web.clock(), expected_version=expected
        )
    except ConflictError:
        return unit_page(
            web, ctx, cid, uid, errors=[forms.say("err_conflict", ctx.lang)], status=409
        )
    except WorkflowError as exc:
        message = forms.say("err_refused", ctx.lang, detail=exc.reason(ctx.lang))
        return unit_page(web, ctx, cid, uid, errors=[message], status=409)
    return back(f"/c/{cid}/u/{uid}", "submitted")


def simulate(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Score the posted form without storing it: points, index, class and rank as it stands."""
    row = unit_or_404(web, cid, uid)
    scored = result(web, cid)
    shown = places(scored)
    text, parsed = unit_file(web, ctx, cid, uid)
    if parsed.missing:  # absent fields are not cleared answers: no score to show for them
        return JSONResponse(
            {"errors": {"": forms.missing_message(parsed.missing, ctx.lang)}}, status_code=400
        )
    if parsed.errors:
        named = forms.labels(rows_of(web, cid, uid), ctx.lang)
        return JSONResponse(
            {"errors": parsed.errors, "labels": {k: named.get(k, k) for k in parsed.errors}},
            status_code=422,
        )
    try:
        draft = drafts.score_draft(scored, row, text, f"web:{cid}/units/{uid}.yaml")
    except ParindexError as exc:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        # the page shows it to the person who typed the form: in the page's language
        words = "; ".join(refusal(e, ctx.lang) for e in errors)
        return JSONResponse({"errors": {"": words}}, status_code=422)
    lost = find_gaps(scored.index, draft.result, uid)[:GAPS_SHOWN]
    return JSONResponse(
        {
            "summary": summary(draft.unit, shown, draft.group_size),
            "leaves": {s.node: q(s.points, shown) for s in draft.unit.trace if s.level == "leaf"},
            "gaps": [gap_row(g, shown, ctx.lang) for g in lost],
            "errors": {},
        }
    )


def gap_row(g: Gap, places: int, lang: str) -> dict[str, Any]:
    """One 'where points are lost' row, as the page shows it: figures at the index's places
    with a decimal comma in Vietnamese, a level by its label."""
    fix = g.full or g.next
    how = ""
    if fix is not None:
        gain = figure(fix.gain, lang, places)
        how = f" → {fix.label_vi if lang == 'vi' else fix.label_en} (+{gain})"
    return {
        "node": g.node,
        "title": g.title_vi,
        "points": f"{figure(g.points, lang, places)} / {figure(g.max, lang, places)}",
        "recoverable": figure(g.recoverable, lang, places),
        "why": (g.why_vi if lang == "vi" else g.why_en) + how,
    }
