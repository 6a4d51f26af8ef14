"""Oversight and administration: verifying published runs, and the accounts.

Verifying recomputes every published run of a campaign from what is stored. Account changes
are the store's, audited.
"""

from __future__ import annotations

from fastapi.responses import Response

from scoring.errors import ParindexError, SubmissionError, WorkflowError
from scoring.store import accounts, publication, views
from scoring.web import i18n, policy
from scoring.web.pages.common import back, campaign_or_404, confirmed, require
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web


def register(router: Router) -> None:
    """The verify and account routes (the audit log's is in ``pages.audit``)."""
    router.add("GET", "/c/{cid}/verify", "publication.verify", verify_page)
    router.add("GET", "/admin/accounts", "accounts.read", accounts_page)
    router.add("POST", "/admin/accounts", "accounts.write", add_account)
    router.add("POST", "/admin/accounts/{username}/active", "accounts.write", set_active)
    router.add("POST", "/admin/accounts/{username}/unlock", "accounts.write", unlock)


def verify_page(web: Web, ctx: Ctx, cid: str) -> Response:
    """Recompute every published run of the campaign from the stored inputs and compare."""
    camp = campaign_or_404(web, cid)
    state = views.published_state(web.store, cid)
    try:
        if state is None:  # nothing published: said in the reader's words
            return web.page(
                ctx,
                "verify.html",
                camp=camp,
                report=None,
                error=i18n.t("nothing_published", ctx.lang),
            )
        else:  # checked once per published run and stored state (edited in the database: anew)
            report = web.cache.get(
                f"verify:{cid}:{state}", lambda: publication.verify(web.store, cid), forever=True
            )
        error = None
    except WorkflowError as exc:
        report, error = None, exc.reason(ctx.lang)
    return web.page(ctx, "verify.html", camp=camp, report=report, error=error)


def accounts_page(
    web: Web,
    ctx: Ctx,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The accounts, each with its state (active, locked after failed sign-ins). ``error``:
    why the new account was refused, shown above its form with ``typed`` (what was typed but
    the password) kept in it."""
    rows = accounts.listing(web.store)
    now = web.clock()
    locked = {a.username for a in rows if accounts.is_locked(a, now) or a.failed_logins}
    units = views.unit_choices(web.store)
    return web.page(
        ctx,
        "accounts.html",
        status,
        rows=rows,
        roles=accounts.ROLES,
        locked=locked,
        units=units,
        unit_names=dict(units),
        error=error,
        typed=typed or {},
        note=ctx.request.query_params.get("note"),  # "Đã lưu." after a change: it was made
    )


def add_account(web: Web, ctx: Ctx) -> Response:
    """Create an account from the form (username, role, password; name optional; an
    officer's unit picked from the campaigns' units, any other refused)."""
    require(ctx, "username", "role", "password")
    try:
        accounts.add(
            web.store,
            ctx.field("username").strip(),
            ctx.field("role"),
            ctx.field("password"),
            display_name=ctx.field("display_name").strip() or None,
            unit=ctx.field("unit").strip() or None,
            actor=ctx.user.username,
            now=web.clock(),
            known_units={uid for uid, _ in views.unit_choices(web.store)},
        )
    except ParindexError as exc:  # the form again, as typed (never the password), and why
        typed = {k: ctx.field(k)[:200] for k in ("username", "display_name", "role", "unit")}
        status = 409 if isinstance(exc, WorkflowError) else 400
        return accounts_page(web, ctx, exc.reason(ctx.lang), typed, status)
    return back("/admin/accounts", "saved")


def set_active(web: Web, ctx: Ctx, username: str) -> Response:
    """Enable (``active=1``) or disable (``active=0``, once confirmed) an account."""
    require(ctx, "active")
    if ctx.field("active") not in ("0", "1"):
        raise SubmissionError(
            f"active {ctx.field('active')[:20]!r}: 1 (enable) or 0 (disable)",
            vi=f"active {ctx.field('active')[:20]!r}: 1 (mở khóa) hoặc 0 (khóa tài khoản)",
        )
    policy.check_active_change(ctx.user, username)
    if ctx.field("active") == "0":
        confirmed(ctx)
    accounts.set_active(
        web.store, username, ctx.field("active") == "1", actor=ctx.user.username, now=web.clock()
    )
    return back("/admin/accounts", "saved")


def unlock(web: Web, ctx: Ctx, username: str) -> Response:
    """Lift an account's sign-in lockout (audited)."""
    accounts.unlock(web.store, username, actor=ctx.user.username, now=web.clock())
    return back("/admin/accounts", "saved")
