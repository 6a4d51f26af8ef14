"""The audit log for people: names instead of ids, actions in Vietnamese, filters by unit,
person, action and dates, and for a saved self-assessment the fields it changed in the
leaf's own words (its inputs' labels, levels by their labels, values as people write them).

The log is read-only through the web (its one route reads); the chain's check is the store's
(``views.audit_page``), the people's view ``store.auditlog``'s.
"""

from __future__ import annotations

import datetime as dt

from fastapi.responses import Response

from scoring.store import auditlog, views
from scoring.web import i18n
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web


def register(router: Router) -> None:
    """The audit log's one route."""
    router.add("GET", "/audit", "audit.read", audit_page)


def _day(text: str) -> dt.date | None:
    try:
        return i18n.parse_date(text) if text.strip() else None
    except ValueError:
        return None


def audit_page(web: Web, ctx: Ctx) -> Response:
    """The audit log, newest first, narrowed by the query's filters, and whether its hash
    chain is intact."""
    query = ctx.request.query_params
    raw = query.get("page", "1")
    page = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1
    filters = auditlog.Filters(
        unit=query.get("unit") or None,
        actor=query.get("person") or None,
        action=query.get("action") or None,
        since=_day(query.get("from", "")),
        until=_day(query.get("to", "")),
    )
    chain = views.audit_page(web.store, 1)
    log = auditlog.people_page(web.store, filters, page, ctx.lang)
    lang = ctx.lang
    keep = {k: v for k, v in query.items() if k in ("unit", "person", "action", "from", "to") and v}
    return web.page(
        ctx,
        "audit.html",
        log=log,
        zones=chain.zones,
        checked=chain.checked,
        problems=chain.problems,
        query=keep,
        action_label=lambda a: i18n.action(a, lang),
    )
