"""The audit log for people: names instead of ids, actions in Vietnamese, filters by unit,
person, action and dates, and for a saved self-assessment the fields it changed.

The log is read-only through the web (its one route reads); the chain's check is the store's
(``views.audit_page``), the people's view ``store.auditlog``'s.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.responses import Response

from scoring.store import auditlog, views
from scoring.web import i18n
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def register(router: Router) -> None:
    """The audit log's one route."""
    router.add("GET", "/audit", "audit.read", audit_page)


def shown(value: Any, lang: str) -> str:
    """An answer value as people write it: Có/Không, dd/mm/yyyy, a decimal comma, evidence
    as "number; date; title" lines, "(trống)" for none."""
    if value is None or value == "" or value == []:
        return i18n.t("empty", lang)
    if isinstance(value, bool):
        return i18n.t("yes" if value else "no", lang)
    if isinstance(value, list):
        return " | ".join(shown_evidence(e, lang) if isinstance(e, dict) else shown(e, lang)
                          for e in value)  # fmt: skip
    text = str(value)
    if _ISO_DAY.match(text):
        return i18n.date(text)
    if _NUMBER.match(text):
        return i18n.number(text, lang)
    return text


def shown_evidence(e: dict[str, Any], lang: str) -> str:
    """One evidence document as the form's line: number; date; title, then its section and
    page when it has them (so a change to those shows too)."""
    parts = [str(e.get("doc") or ""), shown(e.get("date"), lang) if e.get("date") else ""]
    parts += [str(e.get(k) or "") for k in ("title", "section", "page")]
    return "; ".join(parts).rstrip("; ")


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
        value=lambda v: shown(v, lang),
    )
