"""What several page modules share: the campaign and unit a URL names, the campaign's result
and report as they stand (cached until their campaign changes), score figures as the pages show
them, and the checks of a posted form's fixed fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse

from scoring.errors import ConflictError, SubmissionError
from scoring.evaluation.ranking import CampaignResult
from scoring.evaluation.trace import UnitResult
from scoring.reports.build import UnitTraces, build
from scoring.reports.model import Report
from scoring.sources.numbers import fmt, quantize
from scoring.store import changes, views
from scoring.store.schema import CampaignRow, UnitRow
from scoring.web import i18n
from scoring.web.site import Ctx, Web, not_found
from scoring.web.state import Version


def result(web: Web, cid: str) -> CampaignResult:
    """The campaign scored as it stands (cached until the campaign changes; after a change
    to some of its units, only those are scored again); 404 if none."""

    def compute() -> CampaignResult:
        found = views.result(web.store, cid)
        if found is None:
            raise not_found(f"no campaign {cid!r}", f"Không có kỳ đánh giá {cid!r}")
        return found

    def update(old: CampaignResult, was: Version, now: Version) -> CampaignResult | None:
        found = web.cache.changes(cid, was, now)
        units = None if found is None else changes.units_to_rescore(found)
        return None if units is None else changes.refresh(web.store, old, units)

    return web.cache.get(f"result:{cid}", compute, cid, update=update)


def report(web: Web, cid: str) -> Report:
    """The campaign's report as it stands, with what its charts need (cached until the
    campaign, or which campaign is its last year, changes; built from the cached result)."""
    traces = web.cache.kept(f"traces:{cid}", UnitTraces)

    def make() -> Report:
        return build(web.store, cid, scored=result(web, cid), traces_of=traces)

    return web.cache.get(f"report:{cid}", make, cid, years=True)


def campaign_or_404(web: Web, cid: str) -> CampaignRow:
    """The campaign the URL names; 404 if none."""
    row = views.campaign(web.store, cid)
    if row is None:
        raise not_found(f"no campaign {cid!r}", f"Không có kỳ đánh giá {cid!r}")
    return row


def unit_or_404(web: Web, cid: str, uid: str) -> UnitRow:
    """The unit the URL names; 404 if none."""
    row = views.unit(web.store, cid, uid)
    if row is None:
        raise not_found(
            f"no unit {uid!r} in campaign {cid!r}",
            f"Không có đơn vị {uid!r} trong kỳ đánh giá {cid!r}",
        )
    return row


def places(result: CampaignResult) -> int:
    """The decimals the campaign's index publishes figures with."""
    return result.index.meta.rounding.places


def q(x: Decimal | None, places: int) -> str | None:
    """A figure as published (rounded to ``places``), or None."""
    return None if x is None else fmt(quantize(x, places))


def summary(r: UnitResult, places: int, group_size: int) -> dict[str, Any]:
    """A unit's points, index, rank and class as the pages and the JSON show them."""
    label = r.classification
    return {
        "points": q(r.points, places),
        "max_points": q(r.max_points, places),
        "index": q(r.index, places),
        "rank": r.rank,
        "group_size": group_size,
        "class_vi": label.label_vi if label else None,
        "class_en": label.label_en if label else None,
    }


def back(path: str, note: str = "") -> RedirectResponse:
    """Go back to ``path`` after a change (303), with a note the page shows."""
    return RedirectResponse(path + (f"?note={quote(note)}" if note else ""), status_code=303)


def absent(ctx: Ctx, *names: str, lang: str | None = None) -> str | None:
    """The message for a post without some of the fields its form always sends, or None: an
    absent field is not an empty one, and a write never reads it as one. In ``lang`` (the
    page's by default)."""
    posted = ctx.fields()
    missing = [n for n in names if n not in posted]
    if not missing:
        return None
    return i18n.t("form_fields_missing", lang or ctx.lang).format(names=", ".join(missing))


def require(ctx: Ctx, *names: str) -> None:
    """Refuse (400) a post without some of the fields its form always sends."""
    message = absent(ctx, *names, lang="en")
    if message is not None:
        raise SubmissionError(message, vi=absent(ctx, *names, lang="vi"))


def version(ctx: Ctx) -> int:
    """The unit version the form was read at: absent is refused (400); anything but the
    digits of a version (empty, negative, not a number, absurdly long) cannot be the unit's
    current version, so it is a conflict (409) like any stale one; there is no "no check"."""
    require(ctx, "version")
    raw = ctx.field("version")
    if raw.isascii() and raw.isdigit() and len(raw) < 12:
        return int(raw)
    raise ConflictError(
        f"the form's version {raw[:20]!r} is not the unit's current version: reload the page "
        "and apply your change again",
        vi="Bản ghi đã bị người khác thay đổi hoặc biểu mẫu đã cũ; hãy tải lại trang và làm lại "
        "thay đổi của mình",
    )


def confirmed(ctx: Ctx) -> None:
    """Refuse (400, nothing changed) an irreversible step whose form's "Tôi xác nhận…" box
    was not ticked: the check is here, on the server, not only in the browser."""
    if ctx.field("confirm") != "1":
        raise SubmissionError(i18n.t("confirm_needed", "en"), vi=i18n.t("confirm_needed", "vi"))
