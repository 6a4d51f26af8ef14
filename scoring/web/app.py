"""The web app: built by ``create_app``, with its routes, security headers and error pages.

Each app gets its own ``Web`` (store, cache, templates, clock) and its own route table: the
page modules register their routes on the app's ``Router`` (``routing``), and ``routes(app)``
lists them with the action each needs. Two apps in one process share nothing.

Handlers call the same functions as the CLI (``campaigns``, ``appraisal``, ``publication``):
the workflow, optimistic locking and the audit log apply to the web exactly as to the CLI.
Errors become pages (or JSON for ``/api/``) here, at the edge: a ``ParindexError`` by its
kind (400, 403, 409, 503, 500), a database that does not answer 503. A page says a refusal
in the reader's language (``reason(lang)``, ``site.refusal``); JSON keeps the English ``str``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from scoring.errors import (
    AccessError,
    ConflictError,
    EngineError,
    ErrorList,
    ParindexError,
    StorageError,
    SubmissionError,
    WorkflowError,
)
from scoring.store.db import Store, open_store
from scoring.web import i18n, pages
from scoring.web.routing import SAFE, Forbidden, NeedSignIn, Router, RouteSpec
from scoring.web.site import HERE, Ctx, Refused, Web, language, refusal


def create_app(
    store: Store | None = None,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    secure_cookies: bool = False,
    trusted_proxies: Sequence[str] = (),
) -> FastAPI:
    """The app on ``store`` (default: the CLI's store). ``clock`` gives the time of changes.

    ``trusted_proxies`` (addresses or networks): only a request from one of them has its
    client address taken from ``X-Forwarded-For`` (uvicorn's ``ProxyHeadersMiddleware``);
    by default the header is ignored and the peer's address is the client's."""
    proxies = trusted(trusted_proxies)
    web = Web(store or open_store(), clock or (lambda: dt.datetime.now(dt.UTC)), secure_cookies)
    app = FastAPI(title="parindex", docs_url=None, redoc_url=None, version="0.1.0")
    app.state.web = web
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _errors(app, web)
    _headers(app)
    router = Router(app, web)
    pages.register(router)
    app.state.routes = tuple(router.specs)
    if proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    return app


def routes(app: FastAPI) -> tuple[RouteSpec, ...]:
    """The route table of an app ``create_app`` built: every route with the action it needs."""
    table: tuple[RouteSpec, ...] = app.state.routes
    return table


def trusted(values: Sequence[str]) -> list[str]:
    """The proxies to trust, each an IP address or network; anything else (a name, ``*``)
    is refused, so a typo cannot trust everyone."""
    out = []
    for value in values:
        try:
            net = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise SubmissionError(
                f"trusted proxy {value!r}: give an IP address or network, e.g. 127.0.0.1 or "
                "10.0.0.0/8"
            ) from None
        out.append(str(net.network_address) if net.num_addresses == 1 else str(net))
    return out


# the HTTP refusals the server makes by itself, as a Vietnamese page says them
HTTP_VI = {
    400: "Yêu cầu không hợp lệ",
    404: "Không tìm thấy trang này",
    405: "Trang này không nhận thao tác này (phương thức không được hỗ trợ)",
    413: "Dữ liệu gửi lên quá lớn",
    415: "Kiểu dữ liệu gửi lên không được hỗ trợ",
    429: "Quá nhiều yêu cầu; hãy thử lại sau ít phút",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _status(exc: ParindexError) -> int:
    """The HTTP status of a library error, by its kind."""
    if isinstance(exc, AccessError):
        return 403
    if isinstance(exc, ConflictError | WorkflowError):
        return 409
    if isinstance(exc, StorageError):
        return 503
    if isinstance(exc, EngineError):
        return 500
    return 400


def _errors(app: FastAPI, web: Web) -> None:
    def reply(request: Request, status: int, message: str, details: list[str]) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "details": details}, status_code=status)
        ctx = Ctx(request, None, "", language(request))
        return web.page(ctx, "error.html", status, message=message, details=details)

    @app.exception_handler(NeedSignIn)
    async def need_sign_in(request: Request, exc: NeedSignIn) -> Response:
        if request.method in SAFE and not _wants_json(request):
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        if not _wants_json(request):
            # a form posted after the session expired: a page in the reader's language with
            # a sign-in link back to the form, whose values the browser kept (app.js)
            back = quote(request.url.path.rsplit("/", 1)[0] or "/", safe="/")
            ctx = Ctx(request, None, "", language(request))
            return web.page(ctx, "expired.html", 401, next=f"/login?next={back}")
        return reply(request, 401, "sign in first", [])

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        lang = language(request)
        if _wants_json(request):
            return reply(request, 403, i18n.t("forbidden", lang), [exc.why])
        return reply(
            request, 403, i18n.t("forbidden", lang), [i18n.refusal(exc.role, exc.action, lang)]
        )

    @app.exception_handler(ParindexError)
    async def parindex_error(request: Request, exc: ParindexError) -> Response:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        if _wants_json(request):  # programs read English, located as the CLI says it
            return reply(request, _status(exc), str(errors[0]), [str(e) for e in errors[1:]])
        # a person reads the refusal in the page's language
        lang = language(request)
        words = [refusal(e, lang) for e in errors]
        return reply(request, _status(exc), words[0], words[1:])

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        # a read outside a transaction (a write is wrapped in StorageError by the store)
        said = "the database is not answering; try again shortly"
        if language(request) == "vi" and not _wants_json(request):
            said = "Cơ sở dữ liệu không phản hồi; hãy thử lại sau ít phút"
        return reply(request, 503, said, [])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_json(request):
            return reply(request, exc.status_code, str(exc.detail), [])
        lang = language(request)
        if isinstance(exc, Refused):
            return reply(request, exc.status_code, exc.said(lang), [])
        # the server's own refusals (an unknown address, a wrong method, a body too large)
        said = HTTP_VI.get(exc.status_code) if lang == "vi" else None
        return reply(request, exc.status_code, said or str(exc.detail), [])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = list(exc.errors())[:5]
        if _wants_json(request) or language(request) != "vi":
            return reply(request, 422, "invalid request", [str(e) for e in problems])
        # a malformed form (tampered or from an old page): which field, in Vietnamese words
        fields = [".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in problems]
        details = [f"Trường «{f}» thiếu hoặc không hợp lệ" for f in fields]
        return reply(request, 422, "Yêu cầu không hợp lệ; hãy tải lại trang và thử lại", details)


def _headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response: Response = await call_next(request)
        # a response with its own policy keeps it (an evidence file's sandbox)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response


__all__ = ["RouteSpec", "create_app", "routes", "trusted"]
