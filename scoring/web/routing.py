"""One app's route table, and the server-side check every request passes before its handler.

Each page module registers its routes on the app's ``Router`` with ``router.add(method, path,
action, handler)``: the action names a rule of ``policy.ACTIONS``, and before the handler
runs the request is checked on the server (sign-in, role, unit ownership, and the CSRF token
for every request that changes something). The router keeps the app's table (``specs``), so
the access tests can try every route with every role; each app has its own.
"""

from __future__ import annotations

import inspect
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from scoring.errors import SubmissionError
from scoring.sources.filetypes import MAX_BYTES
from scoring.store import accounts, stored
from scoring.web import i18n, policy
from scoring.web.site import COOKIE, Ctx, Web, language, not_found

SAFE = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 1_000_000  # bytes of a posted form
# bytes of a posted form with one file: twice the largest file accepted, so that a file a
# little too large is refused by the evidence check, with its reason beside the field
MAX_UPLOAD = 2 * MAX_BYTES


class NeedSignIn(Exception):
    """The route needs a signed-in account and the request has none."""


class Forbidden(Exception):
    """The signed-in account may not do this (``why`` says which check refused it, for the
    log and the JSON API; ``role`` and ``action`` let the page say it in the reader's words)."""

    def __init__(self, why: str = "", role: str = "", action: str = "") -> None:
        super().__init__(why)
        self.why = why
        self.role = role
        self.action = action


@dataclass(frozen=True)
class RouteSpec:
    """One route of the table: method, path, the action it needs and its handler's name."""

    method: str
    path: str
    action: str
    name: str


class Router:
    """One app's routes: each added to the app behind its check, and kept in ``specs``."""

    def __init__(self, app: FastAPI, web: Web) -> None:
        self.app = app
        self.web = web
        self.specs: list[RouteSpec] = []

    def add(
        self,
        method: str,
        path: str,
        action: str,
        handler: Callable[..., Any],
        *,
        upload: bool = False,
    ) -> None:
        """Declare a route with the action it needs; the check runs before the handler, which
        is called as ``handler(web, ctx, **path_params)``. Only an ``upload`` route takes a
        file (one, of at most ``MAX_UPLOAD`` bytes with the form)."""
        assert action in policy.ACTIONS, action
        web = self.web

        async def endpoint(request: Request) -> Response:
            try:
                ctx = await check(web, request, action, upload=upload)
                params = dict(request.path_params)
                if "cid" in params:  # a year names a campaign wherever its id does
                    cid = await run_in_threadpool(campaign_id, web, params["cid"], ctx.lang)
                    if cid != params["cid"]:
                        return RedirectResponse(renamed(request, path, cid), status_code=307)
                if inspect.iscoroutinefunction(handler):
                    result = await handler(web, ctx, **params)
                else:  # argon2, scoring and charts take time: never on the event loop
                    result = await run_in_threadpool(handler, web, ctx, **params)
                assert isinstance(result, Response)
                return result
            finally:  # an uploaded file's temporary copy goes, refused or not
                await request.close()

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        self.app.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=handler.__name__,
            summary=(handler.__doc__ or handler.__name__).strip().splitlines()[0],
            openapi_extra=openapi(method, path, action, upload),
        )
        self.specs.append(RouteSpec(method, path, action, handler.__name__))


def campaign_id(web: Web, ref: str, lang: str) -> str:
    """The campaign a URL's ``{cid}`` names, by its id or its year (``/c/2018/…``), through
    the store's one reading of a campaign reference (``stored.campaign_ref``); otherwise a 404
    in ``lang`` naming the nearest id or year, or listing a year's several campaigns."""
    try:
        return stored.campaign_named(web.store, ref)
    except stored.SeveralCampaigns as exc:
        text = i18n.t("several_campaigns", lang).format(ref=ref, ids=", ".join(exc.ids))
        raise not_found(text) from None
    except SubmissionError as exc:
        text = i18n.t("no_campaign", lang).format(ref=repr(ref))
        if exc.suggestion:
            text += i18n.t("did_you_mean", lang).format(near=repr(exc.suggestion))
        raise not_found(text) from None


def renamed(request: Request, path: str, cid: str) -> str:
    """The request's URL with the campaign named by its id: ``path`` (the route's template)
    filled with the request's own path parameters, the query string kept."""
    params = {k: quote(str(v), safe="") for k, v in request.path_params.items()}
    url = path.format(**(params | {"cid": quote(cid, safe="")}))
    return f"{url}?{request.url.query}" if request.url.query else url


def openapi(method: str, path: str, action: str, upload: bool = False) -> dict[str, Any]:
    """What the OpenAPI schema says of a route: its path parameters, its form body (every
    field a string; an upload's ``file`` binary), and the action it needs
    (``x-parindex-action``)."""
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
        if upload:
            fields = {"file": {"type": "string", "format": "binary"}}
            multipart = {**form, "properties": fields}
            extra["requestBody"]["content"] = {"multipart/form-data": {"schema": multipart}}
    return extra


async def check(web: Web, request: Request, action: str, *, upload: bool = False) -> Ctx:
    """The request as a handler sees it, once it passed the checks ``action`` needs (a
    file in the form only for an ``upload`` route)."""
    token = request.cookies.get(COOKIE, "")
    found = accounts.session(web.store, token, now=web.clock()) if 0 < len(token) < 200 else None
    account, csrf = found if found else (None, "")
    ctx = Ctx(request, account, csrf, language(request))
    if request.method not in SAFE:
        ctx.form = await _form(request, MAX_UPLOAD if upload else MAX_BODY, int(upload))
    if action == policy.PUBLIC:
        return ctx
    if account is None:
        raise NeedSignIn()
    if not policy.allowed(account, action, request.path_params.get("uid")):
        raise Forbidden(f"{account.role} may not {action}", account.role, action)
    if request.method not in SAFE:
        sent = request.headers.get("x-csrf-token") or ctx.field("csrf")
        if not sent or not secrets.compare_digest(sent.encode(), csrf.encode()):
            raise Forbidden("missing or wrong CSRF token", action="csrf")
    return ctx


async def _form(request: Request, limit: int, files: int) -> FormData:
    length = request.headers.get("content-length")
    if length is not None and (not (length.isascii() and length.isdigit()) or int(length) > limit):
        raise HTTPException(413, "the form is too large")
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        _limit_body(request, limit)
        return await request.form(max_files=files, max_fields=5000)
    return FormData()


def _limit_body(request: Request, limit: int) -> None:
    """Count the bytes as they arrive (a chunked body has no Content-Length): past
    ``limit`` the request ends with 413 before more is read."""
    receive = request._receive  # starlette's documented way to wrap what a request reads
    seen = 0

    async def counted() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise HTTPException(413, "the form is too large")
        return message

    request._receive = counted
