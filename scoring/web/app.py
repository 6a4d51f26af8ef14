"""The web app: routes, the server-side checks every request passes, and error pages.

Every route is declared with ``route(method, path, action)``: the action names a rule of
``policy.ACTIONS`` and the check runs on the server before the handler (sign-in, role, unit
ownership, and the CSRF token for every request that changes something). ``ROUTES`` keeps the
table, so the access tests can try every route with every role.

Handlers call the same functions as the CLI (``campaigns``, ``appraisal``, ``publication``):
the workflow, optimistic locking and the audit log apply to the web exactly as to the CLI.
"""

from __future__ import annotations

import datetime as dt
import inspect
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

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
from scoring.store import accounts
from scoring.store.accounts import Account
from scoring.store.db import Store, open_store
from scoring.store.schema import CampaignRow
from scoring.web import i18n, policy
from scoring.web.state import Cache

HERE = Path(__file__).resolve().parent
COOKIE = "parindex_session"
PRE_COOKIE = "parindex_login"  # CSRF token of the sign-in form (no session yet)
LANG_COOKIE = "parindex_lang"
SAFE = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 1_000_000  # bytes of a posted form


class NeedSignIn(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, why: str = "") -> None:
        super().__init__(why)
        self.why = why


@dataclass
class Ctx:
    """One request as the handlers see it: who, in which language, with which CSRF token."""

    request: Request
    account: Account | None
    csrf: str
    lang: str
    form: FormData | None = None

    @property
    def user(self) -> Account:
        assert self.account is not None
        return self.account

    def field(self, name: str) -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    def fields(self) -> dict[str, str]:
        """Every posted text field."""
        return {k: v for k, v in (self.form or {}).items() if isinstance(v, str)}


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    action: str
    name: str


ROUTES: list[RouteSpec] = []


class Throttle:
    """Failed sign-ins per client address in a sliding window: past ``limit`` the address
    waits (HTTP 429), whichever accounts it tries; the per-account lockout is in the store.

    The address is the connection's peer; ``X-Forwarded-For`` replaces it only for a request
    that comes from a proxy the app was told to trust (``create_app(trusted_proxies=…)``)."""

    def __init__(self, limit: int = 20, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(address, []) if now - t < self.window]
        if kept:
            self._failures[address] = kept
        else:
            self._failures.pop(address, None)
        return kept

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(address, now)
            self._failures.setdefault(address, []).append(now)


@pass_context
def _vdate(context: Context, value: Any, tz: str | None = None) -> str:
    """The ``vdate`` filter: dd/mm/yyyy (HH:MM) in ``tz``, else the page's campaign's zone."""
    return i18n.date(value, tz or context.get("tz"))


class Web:
    """The app's shared parts: store, cache, templates, clock."""

    def __init__(
        self, store: Store, clock: Callable[[], dt.datetime], secure_cookies: bool
    ) -> None:
        self.store = store
        self.cache = Cache(store)
        self.clock = clock
        self.secure = secure_cookies
        self.throttle = Throttle()
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        env = self.templates.env
        env.autoescape = True
        env.filters["num"] = i18n.number
        env.filters["vdate"] = _vdate
        env.globals["state_label"] = i18n.state
        env.globals["role_label"] = lambda r: accounts.ROLE_VI.get(r, r)

    def zone(self, cid: str | None) -> str | None:
        """The time zone of campaign ``cid`` (None: none named, or no such campaign)."""
        if not cid:
            return None

        def build() -> str | None:
            with self.store.read() as s:
                row = s.get(CampaignRow, cid)
                return None if row is None else row.time_zone

        try:
            return self.cache.get(f"zone:{cid}", build)
        except SQLAlchemyError:  # an error page must render with the database gone
            return None

    def page(self, ctx: Ctx, template: str, code: int = 200, **data: Any) -> HTMLResponse:
        lang = ctx.lang
        # times on a campaign's pages are shown in its zone (`vdate` reads `tz`)
        data.setdefault("tz", self.zone(ctx.request.path_params.get("cid")))
        return self.templates.TemplateResponse(
            ctx.request,
            template,
            {
                "t": lambda k: i18n.t(k, lang),
                "lang": lang,
                "me": ctx.account,
                "csrf": ctx.csrf,
                "allowed": lambda action, unit=None: (
                    ctx.account is not None and policy.allowed(ctx.account, action, unit)
                ),
                **data,
            },
            status_code=code,
        )


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
    from scoring.web import pages

    ROUTES.clear()
    pages.register(app, web)
    if proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    return app


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


def route(
    app: FastAPI, web: Web, method: str, path: str, action: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a route with the action it needs; the check runs before the handler."""
    assert action in policy.ACTIONS, action

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            ctx = await _check(web, request, action)
            params = dict(request.path_params)
            if inspect.iscoroutinefunction(handler):
                result = await handler(web, ctx, **params)
            else:  # argon2, scoring and charts take time: never on the event loop
                result = await run_in_threadpool(handler, web, ctx, **params)
            assert isinstance(result, Response)
            return result

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        app.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=handler.__name__,
            summary=(handler.__doc__ or handler.__name__).strip().splitlines()[0],
            openapi_extra=_openapi(method, path, action),
        )
        ROUTES.append(RouteSpec(method, path, action, handler.__name__))
        return handler

    return wrap


def _openapi(method: str, path: str, action: str) -> dict[str, Any]:
    """What the OpenAPI schema says of a route: its path parameters, its form body (every
    field a string), and the action it needs (``x-parindex-action``)."""
    import re

    extra: dict[str, Any] = {
        "x-parindex-action": action,
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", path)
        ],
    }
    if method not in SAFE:
        form = {"type": "object", "additionalProperties": {"type": "string"}}
        extra["requestBody"] = {
            "required": False,
            "content": {"application/x-www-form-urlencoded": {"schema": form}},
        }
    return extra


async def _check(web: Web, request: Request, action: str) -> Ctx:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    lang = lang if lang in i18n.LANGS else "vi"
    token = request.cookies.get(COOKIE, "")
    found = accounts.session(web.store, token, now=web.clock()) if 0 < len(token) < 200 else None
    account, csrf = found if found else (None, "")
    ctx = Ctx(request, account, csrf, lang)
    if request.method not in SAFE:
        ctx.form = await _form(request)
    if action == policy.PUBLIC:
        return ctx
    if account is None:
        raise NeedSignIn()
    if not policy.allowed(account, action, request.path_params.get("uid")):
        raise Forbidden(f"{account.role} may not {action}")
    if request.method not in SAFE:
        sent = request.headers.get("x-csrf-token") or ctx.field("csrf")
        if not sent or not secrets.compare_digest(sent.encode(), csrf.encode()):
            raise Forbidden("missing or wrong CSRF token")
    return ctx


async def _form(request: Request) -> FormData:
    length = request.headers.get("content-length")
    if length is not None and (
        not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY
    ):
        raise HTTPException(413, "the form is too large")
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        _limit_body(request)
        return await request.form(max_files=0, max_fields=5000)
    return FormData()


def _limit_body(request: Request) -> None:
    """Count the bytes as they arrive (a chunked body has no Content-Length): past
    ``MAX_BODY`` the request ends with 413 before more is read."""
    receive = request._receive  # starlette's documented way to wrap what a request reads
    seen = 0

    async def counted() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise HTTPException(413, "the form is too large")
        return message

    request._receive = counted


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _errors(app: FastAPI, web: Web) -> None:
    def reply(request: Request, status: int, message: str, details: list[str]) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "details": details}, status_code=status)
        lang = request.cookies.get(LANG_COOKIE, "vi")
        ctx = Ctx(request, None, "", lang if lang in i18n.LANGS else "vi")
        return web.page(ctx, "error.html", status, message=message, details=details)

    @app.exception_handler(NeedSignIn)
    async def need_sign_in(request: Request, exc: NeedSignIn) -> Response:
        if request.method in SAFE and not _wants_json(request):
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        return reply(request, 401, "sign in first", [])

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        lang = request.cookies.get(LANG_COOKIE, "vi")
        return reply(
            request, 403, i18n.t("forbidden", lang if lang in i18n.LANGS else "vi"), [exc.why]
        )

    @app.exception_handler(ParindexError)
    async def parindex_error(request: Request, exc: ParindexError) -> Response:
        errors = exc.errors if isinstance(exc, ErrorList) else [exc]
        status = 400
        if isinstance(exc, AccessError):
            status = 403
        elif isinstance(exc, ConflictError | WorkflowError):
            status = 409
        elif isinstance(exc, StorageError):
            status = 503
        elif isinstance(exc, EngineError):
            status = 500
        return reply(request, status, str(errors[0]), [str(e) for e in errors[1:]])

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        # a read outside a transaction (a write is wrapped in StorageError by the store)
        return reply(request, 503, "the database is not answering; try again shortly", [])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return reply(request, exc.status_code, str(exc.detail), [])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return reply(request, 422, "invalid request", [str(e) for e in exc.errors()][:5])


def _headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def set_session(web: Web, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=web.secure,
        path="/",
    )


def not_found(what: str) -> HTTPException:
    return HTTPException(404, what)


def decimal(text: str) -> Decimal:
    """A posted number (decimal comma or point), or a 400 naming it."""
    try:
        return i18n.parse_number(text)
    except ValueError as exc:
        raise SubmissionError(str(exc)) from None


__all__ = ["ROUTES", "Ctx", "RouteSpec", "Web", "create_app", "route", "trusted"]
