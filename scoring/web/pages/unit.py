"""One unit's pages: its page (self-assessment form or scores with appraisal), its trace, and
its result as JSON.

The unit page is also what a refused save shows again, with the posted values and what was
wrong with them (``unit_page(..., values=…, errors=…, status=400)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse, Response

from scoring.errors import ParindexError
from scoring.evaluation import shown as people_said
from scoring.evaluation.trace import to_jsonable
from scoring.simulation.gaps import gaps as find_gaps
from scoring.sources import clock
from scoring.store import views, workflow
from scoring.store.schema import CampaignRow
from scoring.web import forms
from scoring.web.figures import profile_svg
from scoring.web.pages.common import (
    campaign_or_404,
    places,
    q,
    report,
    result,
    summary,
    unit_or_404,
)
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web, not_found

GAPS_SHOWN = 12  # "where points are lost" rows on a unit's page


@dataclass(frozen=True)
class Deadline:
    """One deadline as a unit's page shows it: its last minute in the campaign's zone."""

    key: str  # the i18n key of its name
    shown: str  # dd/mm/yyyy HH:MM in the campaign's zone, or "" when not set
    closed: bool


def deadlines(camp: CampaignRow, now: dt.datetime) -> dict[str, Deadline]:
    """The campaign's deadlines (submission, explanations) and whether each has passed: a
    deadline is a day, the last one allowed, in the campaign's zone (as the store checks it)."""
    out = {}
    for key, due in (
        ("due_self", camp.self_assessment_due),
        ("due_explanation", camp.explanation_due),
    ):
        shown = ""
        if due:
            day = dt.date.fromisoformat(due)
            last = dt.datetime.combine(day, dt.time(23, 59), clock.zone(camp.time_zone))
            shown = clock.show(last, camp.time_zone)
        out[key] = Deadline(key, shown, clock.is_late(now, due, camp.time_zone))
    return out


def register(router: Router) -> None:
    """The routes that read one unit."""
    router.add("GET", "/c/{cid}/u/{uid}", "unit.read", unit_page)
    router.add("GET", "/c/{cid}/u/{uid}/trace", "trace.read", trace_page)
    router.add("GET", "/api/c/{cid}/u/{uid}", "unit.read", unit_json)


def unit_page(web: Web, ctx: Ctx, cid: str, uid: str, **extra: Any) -> Response:
    """A unit: its form (officer, while a draft), or its scores with appraisal (appraiser)."""
    camp = campaign_or_404(web, cid)
    row = unit_or_404(web, cid, uid)
    scored = result(web, cid)
    shown = places(scored)
    r = scored.unit(uid)
    group = row.group_id
    rows = forms.rows(scored.index, group)
    sub = scored.submissions.get(uid)
    values = extra.pop("values", None)
    if values is None:
        values = forms.values_of(sub.answers if sub else {}, ctx.lang)
    gaps = []
    if r is not None and sub is not None:
        gaps = find_gaps(scored.index, scored, uid)[:GAPS_SHOWN]
    notes = views.appraisal_notes(web.store, cid, uid)
    due = deadlines(camp, web.clock())
    # a campaign that refuses late files closes the form with its deadline (the store refuses too)
    submission_closed = camp.late_submission == "refuse" and due["due_self"].closed
    by_node: dict[str, list[Any]] = {}
    for e in notes.explanations:
        by_node.setdefault(e.node_id, []).append(e)
    profile = None
    if r is not None:
        try:
            card = report(web, cid).scorecards.get(uid)
            if card is not None:
                profile = web.cache.get(
                    f"profile:{cid}:{uid}:{ctx.lang}",
                    lambda: profile_svg(card, ctx.lang),
                    cid,
                    years=True,
                )
        except ParindexError:
            profile = None
    return web.page(
        ctx,
        "unit.html",
        extra.pop("status", 200),
        camp=camp,
        unit=row,
        r=r,
        summary=summary(r, shown, len(scored.groups.get(group, []))) if r else None,
        places=shown,
        view=scored.index.groups[group],
        rows=rows,
        values=values,
        steps={s.node: s for s in r.trace} if r is not None else {},
        sub=sub,
        editable=workflow.editable("answers", row.state, camp.state) and not submission_closed,
        submission_closed=submission_closed,
        deadlines=list(due.values()),
        explanation_open=not due["due_explanation"].closed,
        explained=by_node,
        people=views.display_names(web.store, cid),
        shown_inputs=forms.shown_inputs(rows, sub.answers if sub else {}, ctx.lang),
        labels=forms.labels(rows, ctx.lang),
        dirty=extra.pop("dirty", False),
        round=workflow.open_round(row.state, camp.state),
        gaps=gaps,
        explanations=notes.explanations,
        changed_1=notes.changed_1,
        profile=profile,
        nexts=workflow.appraiser_moves(row.state),
        q=lambda x: q(x, shown),
        note=ctx.request.query_params.get("note"),
        errors=extra.pop("errors", []),
        field_errors=extra.pop("field_errors", {}),
        # what an appraisal or explanation form shown again after an error keeps, and its
        # messages beside the form
        posted=extra.pop("posted", {}),
        form_errors=extra.pop("form_errors", {}),
        unit_errors=[e.text(ctx.lang) for e in scored.errors.get(uid, [])],
        published=views.publication_info(web.store, cid),
        # a refusal answers the post (…/answers, …/appraise): the browser shows the page at
        # the form's own address (app.js), so a reload reads it and never posts again
        form_url=f"/c/{cid}/u/{uid}" if ctx.request.method == "POST" else None,
    )


def unit_json(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """A unit's result as it stands, with its trace (JSON)."""
    unit_or_404(web, cid, uid)
    r = result(web, cid).unit(uid)
    if r is None:
        raise not_found(f"unit {uid} has no score yet", f"Đơn vị {uid} chưa có điểm")
    return JSONResponse(to_jsonable(r))


def trace_page(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Every step of the unit's score: rule, inputs, band, points, evidence, changes."""
    camp = campaign_or_404(web, cid)
    row = unit_or_404(web, cid, uid)
    scored = result(web, cid)
    r = scored.unit(uid)
    if r is None:
        raise not_found(f"unit {uid} has no score yet", f"Đơn vị {uid} chưa có điểm")
    view = scored.index.groups[row.group_id]
    # every node's title (areas, criteria and leaves), a bonus's or penalty's by its own
    en = ctx.lang == "en"
    titles = {
        k: (v.node.title_en or v.node.title_vi) if en else v.node.title_vi
        for k, v in {**view.items, **view.leaves}.items()
    }
    for a in scored.index.adjustments:
        titles[a.spec.id] = (a.spec.title_en or a.spec.title_vi) if en else a.spec.title_vi
    shown = places(scored)
    index, lang, tz = scored.index, ctx.lang, web.zone(cid)
    # the stored trace keeps codes and ISO dates (it is a record): words only when shown
    return web.page(
        ctx,
        "trace.html",
        camp=camp,
        unit=row,
        r=r,
        meta=index.meta,
        titles=titles,
        kind_label=lambda code: people_said.kind(code, lang),
        people=views.display_names(web.store, cid),
        places=shown,
        q=lambda x: q(x, shown),
        branch=lambda node, code: people_said.branch(index, node, code, lang),
        input_label=lambda kind, name, node: people_said.input_label(
            kind, name, lang, index=index, node=node, group=row.group_id
        ),
        input_value=lambda node, name, v: people_said.value(
            v, lang, tz, shown, index=index, node=node, name=name
        ),
        note=lambda text: people_said.note(text, lang, shown),
        published=views.publication_info(web.store, cid),
    )
