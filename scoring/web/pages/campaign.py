"""The home page, a campaign's page and its ranking (HTML and JSON), and moving it on.

What the pages show is read through the store's views and the campaign's cached result and
report; the moves (advance, publish) are the store's, with their workflow checks and audit.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse, Response

from scoring.errors import ErrorList, WorkflowError
from scoring.sources.text import vn_key
from scoring.store import auditlog, campaigns, moves, publication, views, workflow
from scoring.web import i18n
from scoring.web.figures import ranking_svg, yoy_svg
from scoring.web.pages.common import (
    back,
    campaign_or_404,
    confirmed,
    places,
    report,
    require,
    result,
    summary,
)
from scoring.web.policy import SIGNED_IN
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web, refusal


def register(router: Router) -> None:
    """The campaign routes."""
    router.add("GET", "/", SIGNED_IN, home)
    router.add("GET", "/c/{cid}", "campaign.read", campaign_page)
    router.add("GET", "/c/{cid}/ranking", "ranking.read", ranking_page)
    router.add("GET", "/api/c/{cid}/ranking", "ranking.read", ranking_json)
    router.add("POST", "/c/{cid}/advance", "campaign.advance", advance_campaign)
    router.add("POST", "/c/{cid}/publish", "campaign.publish", publish)


def home(web: Web, ctx: Ctx) -> Response:
    """The campaigns this account may open, by name (an officer: its unit in each one)."""
    rows, mine = views.campaigns_for(web.store, ctx.user)
    names = views.campaign_names(web.store, [c.id for c in rows])
    return web.page(ctx, "home.html", campaigns=rows, mine=mine, names=names)


def campaign_page(
    web: Web, ctx: Ctx, cid: str, publish_error: str | None = None, status_code: int = 200
) -> Response:
    """The campaign's units with their workflow states, and its next step; the units by group
    (in the index's order), each group in Vietnamese alphabetical order of the names, so that
    one is found by name as in any list a province keeps. ``publish_error``: why a publication
    was refused, shown beside the publish form with the reason typed kept."""
    camp = campaign_or_404(web, cid)
    status = campaigns.status(web.store, cid)
    scored = result(web, cid)
    groups = {gid: n for n, gid in enumerate(scored.index.groups)}
    status["units"].sort(
        key=lambda u: (groups.get(u["group"], len(groups)), vn_key(u["name"]), u["unit_id"])
    )
    shown = places(scored)
    scores = {r.unit_id: summary(r, shown, len(rs)) for rs in scored.groups.values() for r in rs}
    at = [u["state"] for u in status["units"]]
    # each bulk step the campaign's state allows, with how many units are at its first state
    steps = [(a, b, at.count(a)) for a, b in workflow.bulk_steps(camp.state)]
    return web.page(
        ctx,
        "campaign.html",
        status_code,
        camp=camp,
        name=auditlog.named(scored.index, camp.year),
        status=status,
        scores=scores,
        steps=steps,
        published=views.publication_info(web.store, cid, ctx.lang),
        errors={k: [e.text(ctx.lang) for e in v] for k, v in scored.errors.items()},
        note=ctx.request.query_params.get("note"),
        group_names={
            gid: (v.group.title_en or v.group.title_vi) if ctx.lang == "en" else v.group.title_vi
            for gid, v in scored.index.groups.items()
        },
        publish_error=publish_error,
        typed_reason=ctx.field("reason") if publish_error else "",
    )


def ranking_page(web: Web, ctx: Ctx, cid: str) -> Response:
    """The ranking of each group as it stands, as bars and as a table; last year beside it."""
    camp = campaign_or_404(web, cid)
    shown = report(web, cid)
    lang = ctx.lang

    def charts() -> dict[str, Any]:
        out: dict[str, Any] = {}
        years = (shown.meta.previous_year or 0, shown.meta.year)
        for g in shown.groups:
            rows = []
            for u in g.units:
                card = shown.scorecards.get(u.unit_id)
                if card is not None and card.previous is not None:
                    rows.append((u.name, card.previous.index, u.index))
            out[g.id] = {
                "ranking": ranking_svg(g, lang, shown.meta.rank_precision),
                "yoy": yoy_svg(g.id, rows, years, lang) if rows else None,
            }
        return out

    svgs = web.cache.get(f"charts:{cid}:{lang}", charts, cid, years=True)
    return web.page(
        ctx,
        "ranking.html",
        camp=camp,
        report=shown,
        svgs=svgs,
        published=views.publication_info(web.store, cid, ctx.lang),
    )


def ranking_json(web: Web, ctx: Ctx, cid: str) -> Response:
    """The ranking as it stands, per group (JSON)."""
    scored = result(web, cid)
    shown = places(scored)
    return JSONResponse(
        {
            "campaign": cid,
            "groups": {
                g: [{"unit": r.unit_id, "name": r.name, **summary(r, shown, len(rs))} for r in rs]
                for g, rs in scored.groups.items()
            },
        }
    )


def advance_campaign(web: Web, ctx: Ctx, cid: str) -> Response:
    """Move the campaign to its next state (the form's ``target``), once confirmed."""
    require(ctx, "target")
    confirmed(ctx)
    moves.advance_campaign(
        web.store, cid, ctx.field("target"), actor=ctx.user.username, now=web.clock()
    )
    return back(f"/c/{cid}", "saved")


def publish(web: Web, ctx: Ctx, cid: str) -> Response:
    """Publish the campaign's results as they stand (with the form's ``reason``, if any),
    once confirmed: a publication or correction cannot be undone."""
    confirmed(ctx)
    camp = campaign_or_404(web, cid)
    info = views.publication_info(web.store, cid)
    if camp.state == "published" and info is not None and info.pending == 0:
        # refused here in the reader's language, beside the form, the reason typed kept
        return campaign_page(web, ctx, cid, i18n.t("nothing_to_correct", ctx.lang), 409)
    try:
        publication.publish(
            web.store,
            cid,
            actor=ctx.user.username,
            now=web.clock(),
            reason=ctx.field("reason") or None,
        )
    except (WorkflowError, ErrorList) as exc:  # beside the form, in the reader's words
        if camp.state not in ("review", "published"):  # no form to show it beside: a page
            raise
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        words = "; ".join(refusal(e, ctx.lang) for e in errors)
        return campaign_page(web, ctx, cid, words, 409)
    return back(f"/c/{cid}", "saved")
