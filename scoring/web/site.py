"""What every handler is given: the app's shared parts (``Web``) and one request (``Ctx``).

``Web`` holds the store, the cache of what the pages read, the templates, the clock and the
sign-in throttle; ``Web.page`` renders a template with what every page needs (language, the
signed-in account, the CSRF token, who may do what). ``Ctx`` is one request as a handler sees
it. The small helpers at the end are what several page modules share: the session cookie, a
404, a posted number.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from scoring.errors import ParindexError, SubmissionError
from scoring.sources import said
from scoring.store import accounts, views
from scoring.store.accounts import Account
from scoring.store.db import Store
from scoring.web import i18n, policy
from scoring.web.state import Cache

HERE = Path(__file__).resolve().parent
COOKIE = "parindex_session"
PRE_COOKIE = "parindex_login"  # CSRF token of the sign-in form (no session yet)
LANG_COOKIE = "parindex_lang"


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
        """The signed-in account (a handler behind a signed-in action always has one)."""
        assert self.account is not None
        return self.account

    def field(self, name: str) -> str:
        """A posted text field, or "" when it was not posted."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    def fields(self) -> dict[str, str]:
        """Every posted text field."""
        return {k: v for k, v in (self.form or {}).items() if isinstance(v, str)}


def language(request: Request) -> str:
    """The interface language the request's cookie asks for (vi unless it names another)."""
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in i18n.LANGS else "vi"


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
        """Whether ``address`` failed ``limit`` times within the window."""
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        """Count one failed sign-in from ``address``."""
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
        # i16-cli: a trace reason or input for people (bands in words, figures at the
        # index's places, decimal commas), as the CLI writes it
        env.filters["said"] = lambda text, lang="vi", places=2: said.people(
            "" if text is None else str(text), lang, places
        )
        env.globals["state_label"] = i18n.state
        env.globals["round_name"] = i18n.round_name
        env.globals["role_label"] = lambda r: accounts.ROLE_VI.get(r, r)

    def zone(self, cid: str | None) -> str | None:
        """The time zone of campaign ``cid`` (None: none named, or no such campaign)."""
        if not cid:
            return None

        def build() -> str | None:
            row = views.campaign(self.store, cid)
            return None if row is None else row.time_zone

        try:
            return self.cache.get(f"zone:{cid}", build)
        except SQLAlchemyError:  # an error page must render with the database gone
            return None

    def page(self, ctx: Ctx, template: str, code: int = 200, **data: Any) -> HTMLResponse:
        """``template`` rendered for ``ctx`` with ``data``, answered with status ``code``."""
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


def set_session(web: Web, response: Response, token: str) -> None:
    """Give the browser the session cookie ``token`` (HTTP only, same site, ends with it)."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=web.secure,
        path="/",
    )


def refusal(exc: ParindexError, lang: str) -> str:
    """A refusal as a page shows it, in ``lang``: the reason alone when it comes from the store
    or the app itself, with its file, line and trail when it points into a file."""
    loc = exc.location
    if loc.line is None and not loc.trail:
        return exc.reason(lang)
    return exc.text(lang)


class Refused(HTTPException):
    """An HTTP refusal (404, 429) saying why in English (``detail``, what JSON gets) and, given,
    in Vietnamese (``vi``): the error page says it in the reader's language."""

    def __init__(self, status: int, why: str, vi: str | None = None) -> None:
        super().__init__(status, why)
        self.vi = vi

    def said(self, lang: str) -> str:
        """Why, in ``lang`` (English where no Vietnamese was given)."""
        return self.vi if lang == "vi" and self.vi else str(self.detail)


def not_found(what: str, vi: str | None = None) -> Refused:
    """A 404 saying what was not found (``vi``: the same in Vietnamese)."""
    return Refused(404, what, vi)


def decimal(text: str) -> Decimal:
    """A posted number (decimal comma or point), or a 400 naming it."""
    try:
        return i18n.parse_number(text)
    except ValueError as exc:
        shown = text.strip()[:20]
        raise SubmissionError(
            str(exc), vi=f"{shown!r} không phải là một số (viết bằng chữ số, dấu phẩy thập phân)"
        ) from None
