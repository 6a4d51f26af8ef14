"""The pages and JSON endpoints, one handler each, each declared with the action it needs."""

from __future__ import annotations

import dataclasses
import secrets
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import col, select
from starlette.exceptions import HTTPException

from scoring.campaign.appraisal_files import ExplanationEntry
from scoring.campaign.submission import EvidenceRef, Submission, prepare, read_unit_text
from scoring.errors import (
    AccessError,
    ConflictError,
    ErrorList,
    ParindexError,
    SubmissionError,
    WorkflowError,
)
from scoring.evaluation.batch import score_units
from scoring.evaluation.ranking import CampaignResult, rank
from scoring.evaluation.trace import UnitResult, to_jsonable
from scoring.simulation.gaps import gaps as find_gaps
from scoring.sources.numbers import fmt, quantize
from scoring.store import accounts, audit, campaigns, publication
from scoring.store.appraisal import Change, appraise, respond
from scoring.store.schema import AppraisalRow, AuditRow, CampaignRow, UnitRow
from scoring.store.stored import explanation_rows
from scoring.store.workflow import UNIT_MOVES
from scoring.web import forms, i18n
from scoring.web.app import (
    COOKIE,
    LANG_COOKIE,
    PRE_COOKIE,
    Ctx,
    Web,
    decimal,
    not_found,
    route,
    set_session,
)
from scoring.web.charts import ranking_svg, yoy_svg

AUDIT_PAGE = 100


def register(app: FastAPI, web: Web) -> None:
    """Every route with the action it needs (the table the access tests enumerate)."""
    route(app, web, "GET", "/healthz", "public")(healthz)
    route(app, web, "GET", "/login", "public")(login_page)
    route(app, web, "POST", "/login", "public")(login)
    route(app, web, "POST", "/logout", "signed_in")(logout)
    route(app, web, "GET", "/lang/{code}", "public")(language)
    route(app, web, "GET", "/", "signed_in")(home)
    route(app, web, "GET", "/c/{cid}", "campaign.read")(campaign_page)
    route(app, web, "GET", "/c/{cid}/ranking", "ranking.read")(ranking_page)
    route(app, web, "GET", "/c/{cid}/u/{uid}", "unit.read")(unit_page)
    route(app, web, "POST", "/c/{cid}/u/{uid}/answers", "answers.write")(save_answers)
    route(app, web, "POST", "/c/{cid}/u/{uid}/submit", "answers.submit")(submit)
    route(app, web, "POST", "/c/{cid}/u/{uid}/explain", "explanation.write")(explain)
    route(app, web, "POST", "/c/{cid}/u/{uid}/appraise", "appraisal.write")(appraise_unit)
    route(app, web, "POST", "/c/{cid}/u/{uid}/advance", "unit.advance")(advance_unit)
    route(app, web, "GET", "/c/{cid}/u/{uid}/trace", "trace.read")(trace_page)
    route(app, web, "GET", "/audit", "audit.read")(audit_page)
    route(app, web, "GET", "/c/{cid}/verify", "publication.verify")(verify_page)
    route(app, web, "POST", "/c/{cid}/advance", "campaign.advance")(advance_campaign)
    route(app, web, "POST", "/c/{cid}/publish", "campaign.publish")(publish)
    route(app, web, "GET", "/admin/accounts", "accounts.read")(accounts_page)
    route(app, web, "POST", "/admin/accounts", "accounts.write")(add_account)
    route(app, web, "POST", "/admin/accounts/{username}/active", "accounts.write")(set_active)
    route(app, web, "POST", "/admin/accounts/{username}/unlock", "accounts.write")(unlock)
    route(app, web, "POST", "/api/c/{cid}/u/{uid}/simulate", "unit.simulate")(simulate)
    route(app, web, "GET", "/api/c/{cid}/ranking", "ranking.read")(ranking_json)
    route(app, web, "GET", "/api/c/{cid}/u/{uid}", "unit.read")(unit_json)


# ---------------------------------------------------------------- helpers


def _result(web: Web, cid: str) -> CampaignResult:
    """The campaign scored as it stands (cached until the store changes)."""

    def build() -> CampaignResult:
        with web.store.read() as s:
            if s.get(CampaignRow, cid) is None:
                raise not_found(f"no campaign {cid!r}")
            return publication.compute(s, cid)[1]

    return web.cache.get(f"result:{cid}", build)


def _report(web: Web, cid: str) -> Any:
    from scoring.reports.build import build

    return web.cache.get(f"report:{cid}", lambda: build(web.store, cid))


def _camp(web: Web, cid: str) -> CampaignRow:
    with web.store.read() as s:
        row = s.get(CampaignRow, cid)
        if row is None:
            raise not_found(f"no campaign {cid!r}")
        return row


def _unit(web: Web, cid: str, uid: str) -> UnitRow:
    with web.store.read() as s:
        row = s.get(UnitRow, (cid, uid))
        if row is None:
            raise not_found(f"no unit {uid!r} in campaign {cid!r}")
        return row


def _places(result: CampaignResult) -> int:
    return result.index.meta.rounding.places


def _q(x: Decimal | None, places: int) -> str | None:
    return None if x is None else fmt(quantize(x, places))


def _summary(r: UnitResult, places: int, group_size: int) -> dict[str, Any]:
    label = r.classification
    return {
        "points": _q(r.points, places),
        "max_points": _q(r.max_points, places),
        "index": _q(r.index, places),
        "rank": r.rank,
        "group_size": group_size,
        "class_vi": label.label_vi if label else None,
        "class_en": label.label_en if label else None,
    }


def _back(path: str, note: str = "") -> RedirectResponse:
    return RedirectResponse(path + (f"?note={quote(note)}" if note else ""), status_code=303)


def _absent(ctx: Ctx, *names: str) -> str | None:
    """The message for a post without some of the fields its form always sends, or None: an
    absent field is not an empty one, and a write never reads it as one."""
    posted = ctx.fields()
    absent = [n for n in names if n not in posted]
    if not absent:
        return None
    return (
        f"the form came without its field(s) {', '.join(absent)}: nothing was changed; "
        "reload the page and try again"
    )


def _require(ctx: Ctx, *names: str) -> None:
    """Refuse (400) a post without some of the fields its form always sends."""
    message = _absent(ctx, *names)
    if message is not None:
        raise SubmissionError(message)


def _version(ctx: Ctx) -> int:
    """The unit version the form was read at: absent is refused (400); anything but the
    digits of a version (empty, negative, not a number, absurdly long) cannot be the unit's
    current version, so it is a conflict (409) like any stale one; there is no "no check"."""
    _require(ctx, "version")
    raw = ctx.field("version")
    if raw.isascii() and raw.isdigit() and len(raw) < 12:
        return int(raw)
    raise ConflictError(
        f"the form's version {raw[:20]!r} is not the unit's current version: reload the page "
        "and apply your change again"
    )


# ---------------------------------------------------------------- sign-in


def healthz(web: Web, ctx: Ctx) -> Response:
    """Liveness: the store answers."""
    web.cache.version()
    return JSONResponse({"ok": True})


def login_page(web: Web, ctx: Ctx) -> Response:
    """The sign-in form, with its own CSRF token in a cookie (double submit)."""
    token = secrets_token()
    nxt = _safe_next(ctx.request.query_params.get("next", "/"))
    response = web.page(ctx, "login.html", login_csrf=token, next=nxt, error=None)
    response.set_cookie(PRE_COOKIE, token, httponly=True, samesite="strict", secure=web.secure)
    return response


def secrets_token() -> str:
    return secrets.token_urlsafe(24)


def _safe_next(target: str) -> str:
    """Only a path of this site (no scheme, no //host): no open redirect after sign-in."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def login(web: Web, ctx: Ctx) -> Response:
    """Check the password; a new session token on success (never reuse one)."""
    sent, expected = ctx.field("csrf"), ctx.request.cookies.get(PRE_COOKIE, "")
    if not sent or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise AccessError("the sign-in form expired; reload the page")
    nxt = _safe_next(ctx.field("next") or "/")
    address = ctx.request.client.host if ctx.request.client else "?"
    if web.throttle.blocked(address):
        raise HTTPException(429, "too many failed sign-ins from this address; wait a minute")
    try:
        token, _ = accounts.sign_in(
            web.store, ctx.field("username").strip(), ctx.field("password"), now=web.clock()
        )
    except AccessError as exc:
        web.throttle.failed(address)
        fresh = secrets_token()
        page = web.page(ctx, "login.html", 401, login_csrf=fresh, next=nxt, error=str(exc))
        page.set_cookie(PRE_COOKIE, fresh, httponly=True, samesite="strict", secure=web.secure)
        return page
    response = RedirectResponse(nxt, status_code=303)
    set_session(web, response, token)
    response.delete_cookie(PRE_COOKIE)
    return response


def logout(web: Web, ctx: Ctx) -> Response:
    accounts.sign_out(web.store, ctx.request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def language(web: Web, ctx: Ctx, code: str) -> Response:
    """Switch the interface language (vi or en) and go back to the home page."""
    response = RedirectResponse("/", status_code=303)
    if code in i18n.LANGS:
        response.set_cookie(LANG_COOKIE, code, max_age=3600 * 24 * 365, samesite="lax")
    return response


# ---------------------------------------------------------------- home and campaign


def home(web: Web, ctx: Ctx) -> Response:
    """The campaigns this account may open (an officer: its unit in each campaign)."""
    with web.store.read() as s:
        rows = list(s.exec(select(CampaignRow).order_by(col(CampaignRow.year).desc())))
        mine: dict[str, UnitRow] = {}
        if ctx.user.role == "officer":
            for u in s.exec(select(UnitRow).where(UnitRow.unit_id == ctx.user.unit_id)):
                mine[u.campaign_id] = u
    if ctx.user.role == "officer":
        rows = [c for c in rows if c.id in mine]
    return web.page(ctx, "home.html", campaigns=rows, mine=mine)


def campaign_page(web: Web, ctx: Ctx, cid: str) -> Response:
    """The campaign's units with their workflow states, and its next step."""
    camp = _camp(web, cid)
    status = campaigns.status(web.store, cid)
    result = _result(web, cid)
    places = _places(result)
    scores = {r.unit_id: _summary(r, places, len(rs)) for rs in result.groups.values() for r in rs}
    return web.page(
        ctx,
        "campaign.html",
        camp=camp,
        status=status,
        scores=scores,
        errors={k: [str(e) for e in v] for k, v in result.errors.items()},
        note=ctx.request.query_params.get("note"),
    )


def ranking_page(web: Web, ctx: Ctx, cid: str) -> Response:
    """The ranking of each group as it stands, as bars and as a table; last year beside it."""
    camp = _camp(web, cid)
    report = _report(web, cid)
    lang = ctx.lang

    def charts() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for g in report.groups:
            rows = []
            for u in g.units:
                card = report.scorecards.get(u.unit_id)
                if card is not None and card.previous is not None:
                    rows.append((u.name, card.previous.index, u.index))
            out[g.id] = {
                "ranking": ranking_svg(g, lang),
                "yoy": yoy_svg(g.id, rows, (report.meta.previous_year or 0, report.meta.year), lang)
                if rows
                else None,
            }
        return out

    svgs = web.cache.get(f"charts:{cid}:{lang}", charts)
    return web.page(ctx, "ranking.html", camp=camp, report=report, svgs=svgs)


def ranking_json(web: Web, ctx: Ctx, cid: str) -> Response:
    """The ranking as it stands, per group (JSON)."""
    result = _result(web, cid)
    places = _places(result)
    return JSONResponse(
        {
            "campaign": cid,
            "groups": {
                g: [{"unit": r.unit_id, "name": r.name, **_summary(r, places, len(rs))} for r in rs]
                for g, rs in result.groups.items()
            },
        }
    )


# ---------------------------------------------------------------- one unit


def unit_page(web: Web, ctx: Ctx, cid: str, uid: str, **extra: Any) -> Response:
    """A unit: its form (officer, while a draft), or its scores with appraisal (appraiser)."""
    camp = _camp(web, cid)
    unit = _unit(web, cid, uid)
    result = _result(web, cid)
    places = _places(result)
    r = result.unit(uid)
    group = unit.group_id
    view = result.index.groups[group]
    rows = forms.rows(result.index, group)
    sub = result.submissions.get(uid)
    values = extra.pop("values", None)
    if values is None:
        values = forms.values_of(sub.answers if sub else {}, ctx.lang)
    steps = {s.node: s for s in r.trace} if r is not None else {}
    editable = camp.state == "open" and unit.state == "draft"
    round_ = _round(camp.state, unit.state)
    gaps = []
    if r is not None and sub is not None:
        gaps = find_gaps(result.index, result, uid)[:12]
    with web.store.read() as s:
        explanations = [e for e in explanation_rows(s, cid) if e.unit_id == uid]
        changed_1 = sorted(
            set(
                s.exec(
                    select(AppraisalRow.node_id).where(
                        AppraisalRow.campaign_id == cid,
                        AppraisalRow.unit_id == uid,
                        AppraisalRow.round == "1",
                    )
                )
            )
        )
    profile = None
    if r is not None:
        try:
            from scoring.reports.charts import profile_svg

            report = _report(web, cid)
            card = report.scorecards.get(uid)
            if card is not None:
                profile = web.cache.get(f"profile:{cid}:{uid}", lambda: profile_svg(card))
        except ParindexError:
            profile = None
    nexts = [t for (c, t) in UNIT_MOVES if c == unit.state and t != "submitted"]
    return web.page(
        ctx,
        "unit.html",
        extra.pop("status", 200),
        camp=camp,
        unit=unit,
        r=r,
        summary=_summary(r, places, len(result.groups.get(group, []))) if r else None,
        places=places,
        view=view,
        rows=rows,
        values=values,
        steps=steps,
        sub=sub,
        editable=editable,
        round=round_,
        gaps=gaps,
        explanations=explanations,
        changed_1=changed_1,
        profile=profile,
        nexts=nexts,
        q=lambda x: _q(x, places),
        note=ctx.request.query_params.get("note"),
        errors=extra.pop("errors", []),
        field_errors=extra.pop("field_errors", {}),
        unit_errors=[str(e) for e in result.errors.get(uid, [])],
    )


def _round(campaign_state: str, unit_state: str) -> str | None:
    """The appraisal round open for a unit now, if any."""
    if campaign_state == "published":
        return "correction"
    if campaign_state == "appraisal" and unit_state == "submitted":
        return "1"
    if campaign_state == "appraisal" and unit_state == "explanation":
        return "2"
    return None


def unit_json(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """A unit's result as it stands, with its trace (JSON)."""
    _unit(web, cid, uid)
    result = _result(web, cid)
    r = result.unit(uid)
    if r is None:
        raise not_found(f"unit {uid} has no score yet")
    return JSONResponse(to_jsonable(r))


def _parse_form(web: Web, ctx: Ctx, cid: str, uid: str) -> tuple[str, forms.Parsed]:
    """The posted form as the unit file's text, and the fields that could not be read."""
    unit = _unit(web, cid, uid)
    result = _result(web, cid)
    rows = forms.rows(result.index, unit.group_id)
    parsed = forms.parse(ctx.fields(), rows)
    stored = result.submissions.get(uid)
    return forms.unit_text(uid, result.index.id, stored, parsed.answers, rows), parsed


def save_answers(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Store the form as the unit's self-assessment (draft, campaign open). A post without
    the fields of every leaf the form shows, or without its version, changes nothing (400)."""
    text, parsed = _parse_form(web, ctx, cid, uid)
    posted = ctx.fields()
    refused = [m for m in [_absent(ctx, "version")] if m]
    values = posted
    if parsed.missing:
        refused.append(forms.missing_message(parsed.missing))
        # the leaves that were not posted show what is stored, not blanks to save next time
        sub = _result(web, cid).submissions.get(uid)
        stored = forms.values_of(sub.answers if sub else {}, ctx.lang)
        gone = set(parsed.missing)
        values = {k: v for k, v in stored.items() if k.split(":")[1] in gone} | posted
    if refused or parsed.errors:
        return unit_page(
            web,
            ctx,
            cid,
            uid,
            values=values,
            field_errors=parsed.errors,
            errors=refused + [f"{k[2:]}: {v}" for k, v in parsed.errors.items()],
            status=400,
        )
    expected = _version(ctx)
    try:
        campaigns.import_unit(
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
    except (SubmissionError, ErrorList) as exc:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        return unit_page(
            web, ctx, cid, uid, values=posted, errors=[str(e) for e in errors], status=400
        )
    return _back(f"/c/{cid}/u/{uid}", "saved")


def submit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Lock the self-assessment (draft → submitted)."""
    expected = _version(ctx)
    campaigns.submit(
        web.store, cid, uid, actor=ctx.user.username, now=web.clock(), expected_version=expected
    )
    return _back(f"/c/{cid}/u/{uid}", "submitted")


def simulate(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Score the posted form without storing it: points, index, class and rank as it stands."""
    unit = _unit(web, cid, uid)
    result = _result(web, cid)
    places = _places(result)
    text, parsed = _parse_form(web, ctx, cid, uid)
    if parsed.missing:  # absent fields are not cleared answers: no score to show for them
        return JSONResponse(
            {"errors": {"": forms.missing_message(parsed.missing)}}, status_code=400
        )
    if parsed.errors:
        return JSONResponse({"errors": parsed.errors}, status_code=422)
    sub = Submission(campaigns.unit_spec(unit))
    try:
        read_unit_text(text, f"web:{cid}/units/{uid}.yaml", sub)
        old = result.submissions.get(uid)
        if old is not None:  # survey and council answers come from the campaign's files
            for k, a in old.answers.items():
                if ("source", k) in old.where:
                    sub.answers.setdefault(k, a)
                    sub.where[("source", k)] = old.where[("source", k)]
        ready = prepare(result.index, sub)
        after = score_units(result.index, [ready], {uid: result.appraisals.get(uid, {})})[0]
    except ParindexError as exc:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        return JSONResponse({"errors": {"": "; ".join(str(e) for e in errors)}}, status_code=422)
    group = [after if x.unit_id == uid else x for x in result.groups.get(unit.group_id, [])]
    if all(x.unit_id != uid for x in group):
        group.append(after)
    ranked_group = rank(group, result.index)
    ranked = next(x for x in ranked_group if x.unit_id == uid)
    leaves = {s.node: _q(s.points, places) for s in ranked.trace if s.level == "leaf"}
    typed = dataclasses.replace(
        result,
        groups={**result.groups, unit.group_id: ranked_group},
        ready={**result.ready, uid: ready},
        submissions={**result.submissions, uid: sub},
    )
    return JSONResponse(
        {
            "summary": _summary(ranked, places, len(group)),
            "leaves": leaves,
            "gaps": [_gap(g, places, ctx.lang) for g in find_gaps(result.index, typed, uid)[:12]],
            "errors": {},
        }
    )


def _gap(g: Any, places: int, lang: str) -> dict[str, str]:
    """One 'where points are lost' row, as the page shows it."""
    fix = g.full or g.next
    how = ""
    if fix is not None:
        how = f" → {fix.label_vi if lang == 'vi' else fix.label_en} (+{_q(fix.gain, places)})"
    return {
        "node": g.node,
        "title": g.title_vi,
        "points": f"{_q(g.points, places)} / {_q(g.max, places)}",
        "recoverable": _q(g.recoverable, places) or "",
        "why": (g.why_vi if lang == "vi" else g.why_en) + how,
    }


def explain(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The unit's explanations of round-1 changes, with further evidence."""
    expected = _version(ctx)
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
    return _back(f"/c/{cid}/u/{uid}", "saved")


def appraise_unit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """The appraiser's changes of this round, each with its reason."""
    expected = _version(ctx)
    camp, unit = _camp(web, cid), _unit(web, cid, uid)
    round_ = _round(camp.state, unit.state)
    if round_ is None:
        raise WorkflowError(
            f"unit {uid} is {unit.state} and the campaign {camp.state}: no appraisal round is open"
        )
    changes = []
    for name in sorted(k for k in (ctx.form or {}) if k.startswith("s:")):
        raw = ctx.field(name).strip()
        if raw:
            node_id = name[2:]
            changes.append(
                Change(node_id, decimal(raw), ctx.field(f"r:{node_id}"), ctx.user.username)
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
    return _back(f"/c/{cid}/u/{uid}", "saved")


def advance_unit(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Move the unit to its next workflow state (submitting is the unit's own act)."""
    _require(ctx, "target", "version")
    expected = _version(ctx)
    if ctx.field("target") == "submitted":
        raise WorkflowError("a unit submits its own self-assessment; an appraiser cannot")
    campaigns.advance_unit(
        web.store,
        cid,
        uid,
        ctx.field("target"),
        actor=ctx.user.username,
        now=web.clock(),
        expected_version=expected,
    )
    return _back(f"/c/{cid}/u/{uid}", "saved")


def trace_page(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Every step of the unit's score: rule, inputs, band, points, evidence, changes."""
    camp = _camp(web, cid)
    unit = _unit(web, cid, uid)
    result = _result(web, cid)
    r = result.unit(uid)
    if r is None:
        raise not_found(f"unit {uid} has no score yet")
    view = result.index.groups[unit.group_id]
    titles = {k: v.node.title_vi for k, v in view.leaves.items()}
    titles.update(
        {k: v.title_vi for k, v in getattr(view, "nodes", {}).items() if hasattr(v, "title_vi")}
    )
    return web.page(
        ctx,
        "trace.html",
        camp=camp,
        unit=unit,
        r=r,
        titles=titles,
        places=_places(result),
        q=lambda x: _q(x, _places(result)),
    )


# ---------------------------------------------------------------- audit, verify, admin


def audit_page(web: Web, ctx: Ctx) -> Response:
    """The audit log, newest first, and whether its hash chain is intact."""
    raw = ctx.request.query_params.get("page", "1")
    page = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1
    with web.store.read() as s:
        checked, problems = audit.verify(s)
        rows = list(
            s.exec(
                select(AuditRow)
                .order_by(col(AuditRow.seq).desc())
                .offset((page - 1) * AUDIT_PAGE)
                .limit(AUDIT_PAGE)
            )
        )
        zones = {c.id: c.time_zone for c in s.exec(select(CampaignRow))}
    return web.page(
        ctx,
        "audit.html",
        rows=rows,
        zones=zones,
        checked=checked,
        problems=problems,
        page=page,
        more=len(rows) == AUDIT_PAGE,
    )


def verify_page(web: Web, ctx: Ctx, cid: str) -> Response:
    """Recompute every published run of the campaign from the stored inputs and compare."""
    camp = _camp(web, cid)
    try:
        report = publication.verify(web.store, cid)
        error = None
    except WorkflowError as exc:
        report, error = None, str(exc)
    return web.page(ctx, "verify.html", camp=camp, report=report, error=error)


def advance_campaign(web: Web, ctx: Ctx, cid: str) -> Response:
    """Move the campaign to its next state (the form's ``target``)."""
    _require(ctx, "target")
    campaigns.advance_campaign(
        web.store, cid, ctx.field("target"), actor=ctx.user.username, now=web.clock()
    )
    return _back(f"/c/{cid}", "saved")


def publish(web: Web, ctx: Ctx, cid: str) -> Response:
    publication.publish(
        web.store, cid, actor=ctx.user.username, now=web.clock(), reason=ctx.field("reason") or None
    )
    return _back(f"/c/{cid}", "saved")


def accounts_page(web: Web, ctx: Ctx) -> Response:
    """The accounts, each with its state (active, locked after failed sign-ins)."""
    rows = accounts.listing(web.store)
    now = web.clock()
    locked = {a.username for a in rows if accounts.is_locked(a, now) or a.failed_logins}
    return web.page(
        ctx, "accounts.html", rows=rows, roles=accounts.ROLES, locked=locked, error=None
    )


def add_account(web: Web, ctx: Ctx) -> Response:
    """Create an account from the form (username, role, password; name and unit optional)."""
    _require(ctx, "username", "role", "password")
    accounts.add(
        web.store,
        ctx.field("username").strip(),
        ctx.field("role"),
        ctx.field("password"),
        display_name=ctx.field("display_name").strip() or None,
        unit=ctx.field("unit").strip() or None,
        actor=ctx.user.username,
        now=web.clock(),
    )
    return _back("/admin/accounts", "saved")


def set_active(web: Web, ctx: Ctx, username: str) -> Response:
    """Enable (``active=1``) or disable (``active=0``) an account."""
    _require(ctx, "active")
    if ctx.field("active") not in ("0", "1"):
        raise SubmissionError(f"active {ctx.field('active')[:20]!r}: 1 (enable) or 0 (disable)")
    if username == ctx.user.username:
        raise WorkflowError("an administrator cannot disable their own account")
    accounts.set_active(
        web.store, username, ctx.field("active") == "1", actor=ctx.user.username, now=web.clock()
    )
    return _back("/admin/accounts", "saved")


def unlock(web: Web, ctx: Ctx, username: str) -> Response:
    """Lift an account's sign-in lockout (audited)."""
    accounts.unlock(web.store, username, actor=ctx.user.username, now=web.clock())
    return _back("/admin/accounts", "saved")
