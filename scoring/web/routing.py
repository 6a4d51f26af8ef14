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

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from scoring.store import accounts
from scoring.web import policy
from scoring.web.site import COOKIE, Ctx, Web, language

SAFE = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 1_000_000  # bytes of a posted form


class NeedSignIn(Exception):
    """The route needs a signed-in account and the request has none."""


class Forbidden(Exception):
    """The signed-in account may not do this (``why`` says which check refused it)."""

    def __init__(self, why: str = "") -> None:
        super().__init__(why)
        self.why = why


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

    def add(self, method: str, path: str, action: str, handler: Callable[..., Any]) -> None:
        """Declare a route with the action it needs; the check runs before the handler, which
        is called as ``handler(web, ctx, **path_params)``."""
        assert action in policy.ACTIONS, action
        web = self.web

        async def endpoint(request: Request) -> Response:
            ctx = await check(web, request, action)
            params = dict(request.path_params)
            if inspect.iscoroutinefunction(handler):
                result = await handler(web, ctx, **params)
            else:  # argon2, scoring and charts take time: never on the event loop
                result = await run_in_threadpool(handler, web, ctx, **params)
            assert isinstance(result, Response)
            return result

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        self.app.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=handler.__name__,
            summary=(handler.__doc__ or handler.__name__).strip().splitlines()[0],
            openapi_extra=openapi(method, path, action),
        )
        self.specs.append(RouteSpec(method, path, action, handler.__name__))


def openapi(method: str, path: str, action: str) -> dict[str, Any]:
    """What the OpenAPI schema says of a route: its path parameters, its form body (every
    field a string), and the action it needs (``x-parindex-action``)."""
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


async def check(web: Web, request: Request, action: str) -> Ctx:
    """The request as a handler sees it, once it passed the checks ``action`` needs."""
    token = request.cookies.get(COOKIE, "")
    found = accounts.session(web.store, token, now=web.clock()) if 0 < len(token) < 200 else None
    account, csrf = found if found else (None, "")
    ctx = Ctx(request, account, csrf, language(request))
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
