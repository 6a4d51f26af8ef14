"""Bulk steps on the web: every eligible unit of a campaign moved on in one action.

The GET shows what the step would do (how many units move, which do not and why) with a
"Tôi xác nhận…" box; the POST, with the box ticked and the unit ids that were shown, makes
the moves in one transaction through ``store.bulk``, which refuses when the eligible units
changed in between. A POST without the box shows the same page again, nothing changed.
"""

from __future__ import annotations

from fastapi.responses import Response

from scoring.errors import ConflictError, SubmissionError, WorkflowError
from scoring.store import bulk, views
from scoring.web import i18n
from scoring.web.pages.common import back, campaign_or_404, require
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web


def register(router: Router) -> None:
    """The bulk step routes."""
    router.add("GET", "/c/{cid}/advance-all", "units.advance", bulk_page)
    router.add("POST", "/c/{cid}/advance-all", "units.advance", advance_all)


def bulk_page(
    web: Web, ctx: Ctx, cid: str, error: str | None = None, status: int = 400
) -> Response:
    """The confirmation page of moving every eligible unit to ``target`` (query or form),
    the campaign named as people know it."""
    camp = campaign_or_404(web, cid)
    target = ctx.request.query_params.get("target") or ctx.field("target")
    if not target:
        raise SubmissionError(
            "which step? (target)", vi="Chưa chọn bước chuyển (target) cho các đơn vị"
        )
    plan = bulk.plan_advance(web.store, cid, target)
    name = views.campaign_names(web.store, [cid])[cid]
    return web.page(
        ctx, "bulk.html", status if error else 200, camp=camp, name=name, plan=plan, error=error
    )


def advance_all(web: Web, ctx: Ctx, cid: str) -> Response:
    """Move every eligible unit on, all or none, if confirmed; else the page again (400)."""
    require(ctx, "target", "units")
    if ctx.field("confirm") != "1":
        return bulk_page(web, ctx, cid, error=i18n.t("confirm_needed", ctx.lang))
    shown = [u for u in ctx.field("units").split(",") if u]
    try:
        bulk.advance_all(
            web.store,
            cid,
            ctx.field("target"),
            actor=ctx.user.username,
            now=web.clock(),
            expected=shown,
        )
    except (WorkflowError, ConflictError) as exc:  # the list as it is now, and why
        return bulk_page(web, ctx, cid, error=exc.reason(ctx.lang), status=409)
    return back(f"/c/{cid}", "bulk_done")
