"""Signing in and out, the interface language, and the liveness probe: the public pages.

Sign-in is protected by its own CSRF token (a cookie and a form field, "double submit": there
is no session yet), a per-address throttle here and the per-account lockout in the store. A
successful sign-in always starts a new session token; the ``next`` page it returns to is a path
of this site only.
"""

from __future__ import annotations

import secrets

from fastapi.responses import JSONResponse, RedirectResponse, Response

from scoring.errors import AccessError
from scoring.store import accounts
from scoring.web import i18n
from scoring.web.policy import PUBLIC, SIGNED_IN
from scoring.web.routing import Router
from scoring.web.site import COOKIE, LANG_COOKIE, PRE_COOKIE, Ctx, Refused, Web, set_session


def register(router: Router) -> None:
    """The public routes, and signing out."""
    router.add("GET", "/healthz", PUBLIC, healthz)
    router.add("GET", "/login", PUBLIC, login_page)
    router.add("POST", "/login", PUBLIC, login)
    router.add("POST", "/logout", SIGNED_IN, logout)
    router.add("GET", "/lang/{code}", PUBLIC, language)


def healthz(web: Web, ctx: Ctx) -> Response:
    """Liveness: the store answers."""
    web.cache.version()
    return JSONResponse({"ok": True})


def login_page(web: Web, ctx: Ctx) -> Response:
    """The sign-in form, with its own CSRF token in a cookie (double submit)."""
    token = secrets_token()
    nxt = safe_next(ctx.request.query_params.get("next", "/"))
    response = web.page(ctx, "login.html", login_csrf=token, next=nxt, error=None)
    response.set_cookie(PRE_COOKIE, token, httponly=True, samesite="strict", secure=web.secure)
    return response


def secrets_token() -> str:
    """A fresh CSRF token for the sign-in form."""
    return secrets.token_urlsafe(24)


def safe_next(target: str) -> str:
    """Only a path of this site (no scheme, no //host): no open redirect after sign-in."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def login(web: Web, ctx: Ctx) -> Response:
    """Check the password; a new session token on success (never reuse one)."""
    sent, expected = ctx.field("csrf"), ctx.request.cookies.get(PRE_COOKIE, "")
    if not sent or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise AccessError(
            "the sign-in form expired; reload the page",
            vi="Biểu mẫu đăng nhập đã hết hạn; hãy tải lại trang",
        )
    nxt = safe_next(ctx.field("next") or "/")
    address = ctx.request.client.host if ctx.request.client else "?"
    if web.throttle.blocked(address):
        raise Refused(
            429,
            "too many failed sign-ins from this address; wait a minute",
            "Có quá nhiều lần đăng nhập sai từ địa chỉ này; hãy đợi một phút rồi thử lại",
        )
    try:
        token, _ = accounts.sign_in(
            web.store, ctx.field("username").strip(), ctx.field("password"), now=web.clock()
        )
    except AccessError as exc:
        web.throttle.failed(address)
        fresh = secrets_token()
        page = web.page(
            ctx,
            "login.html",
            401,
            login_csrf=fresh,
            next=nxt,
            error=exc.reason(ctx.lang),
            username=ctx.field("username").strip()[:64],  # typed again: only the password
        )
        page.set_cookie(PRE_COOKIE, fresh, httponly=True, samesite="strict", secure=web.secure)
        return page
    response = RedirectResponse(nxt, status_code=303)
    set_session(web, response, token)
    response.delete_cookie(PRE_COOKIE)
    return response


def logout(web: Web, ctx: Ctx) -> Response:
    """End this session (its token stops working) and go to the sign-in page."""
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
