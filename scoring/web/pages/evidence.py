"""Evidence files on the web: upload to a leaf, remove, open; and the unit's files as the
unit and trace pages show them (``_evidence.html``, through the ``evidence_panel`` global).

The upload's type is judged by the file's content in the store (``store.evidence``), never by
its name or the browser's content type. A refused file shows the unit page again with the
reason beside the file field and the leaf still chosen; nothing is stored. A file is served
only through its own unit's address, to whoever may read that unit (``evidence.read``), with
its safe name, the type found in its content, ``nosniff`` and a sandboxing CSP of its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from scoring.sources import clock
from scoring.sources.filetypes import MAX_BYTES, TYPES, Bilingual, size_text
from scoring.store import accounts, evidence, views, workflow
from scoring.store.accounts import Account
from scoring.store.evidence import Attachment, EvidenceClosed
from scoring.store.schema import CampaignRow, UnitRow
from scoring.web import policy
from scoring.web.pages.common import back, result
from scoring.web.pages.unit import unit_page
from scoring.web.routing import Router
from scoring.web.site import Ctx, Web, not_found

ACCEPT = ",".join(sorted({*TYPES, *(ext for ext, _ in TYPES.values()), ".jpeg"}))
# an uploaded file is someone else's content opened at the app's origin: sandboxed (a unique
# origin, no scripts, forms or popups), nothing loaded from anywhere, and no page may frame
# it; an image or a PDF (drawn by the browser's own viewer) still shows
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'"


def register(router: Router) -> None:
    """The routes of a unit's evidence files, and the panel the unit and trace pages show."""
    router.add("POST", "/c/{cid}/u/{uid}/evidence", "evidence.write", upload, upload=True)
    router.add("POST", "/c/{cid}/u/{uid}/evidence/{fid}/remove", "evidence.write", remove)
    router.add("GET", "/c/{cid}/u/{uid}/evidence/{fid}", "evidence.read", download)
    web = router.web
    web.templates.env.globals.update(
        evidence_panel=lambda request, camp, unit, me, lang: panel(
            web, request, camp, unit, me, lang
        ),
        evidence_size=size_text,
        evidence_kind=lambda media_type: TYPES[media_type][1],
    )


@dataclass
class Panel:
    """What ``_evidence.html`` shows of one unit's files, for one person."""

    answers: dict[str, list[Attachment]]  # leaf -> the self-assessment's files
    explained: dict[str, list[Attachment]]  # item -> its explanation's files
    texts: dict[str, list[str]]  # item -> the unit's explanations of it
    leaves: list[tuple[str, str]]  # (id, title) of every leaf of the unit's group
    changed: list[str]  # items round 1 changed (what an explanation may carry files for)
    names: dict[str, str]  # username -> the person's name
    answers_open: bool  # the person may add and remove the self-assessment's files now
    explain_open: bool  # the person may add and remove explanation files now
    refused: dict[str, str] = field(default_factory=dict)  # the refused upload: stage, node, why
    accept: str = ACCEPT
    max_mb: int = MAX_BYTES // (1024 * 1024)


def panel(
    web: Web, request: Request, camp: CampaignRow, unit: UnitRow, me: Account | None, lang: str
) -> Panel:
    """The files of ``unit``, what ``me`` may change of them now, and a refused upload's
    reason (set by ``upload`` on the request)."""
    cid, uid = camp.id, unit.unit_id
    files = evidence.listing(web.store, cid, uid)
    notes = views.appraisal_notes(web.store, cid, uid)
    view = result(web, cid).index.groups[unit.group_id]
    leaves = [
        (k, v.node.title_vi if lang == "vi" else (v.node.title_en or v.node.title_vi))
        for k, v in view.leaves.items()
    ]
    writer = me is not None and policy.allowed(me, "evidence.write", uid)
    in_window = not clock.is_late(web.clock(), camp.explanation_due, camp.time_zone)
    texts: dict[str, list[str]] = {}
    for e in notes.explanations:
        texts.setdefault(e.node_id, []).append(e.text)
    answers: dict[str, list[Attachment]] = {}
    explained: dict[str, list[Attachment]] = {}
    for f in files:
        (answers if f.stage == "answers" else explained).setdefault(f.node, []).append(f)
    return Panel(
        answers=answers,
        explained=explained,
        texts=texts,
        leaves=leaves,
        changed=notes.changed_1,
        names={a.username: a.display_name for a in accounts.listing(web.store)},
        answers_open=writer and workflow.editable("answers", unit.state, camp.state),
        explain_open=writer
        and in_window
        and workflow.editable("explanation", unit.state, camp.state),
        refused=getattr(request.state, "evidence_refused", {}),
    )


def _chosen(ctx: Ctx) -> UploadFile | None:
    got = ctx.form.get("file") if ctx.form is not None else None
    return got if isinstance(got, UploadFile) and got.filename else None


def upload(web: Web, ctx: Ctx, cid: str, uid: str) -> Response:
    """Attach the posted file to the chosen leaf; a refused one shows the page again with
    the reason beside the file field (400, or 409 when the files cannot change now)."""
    node, stage = ctx.field("node"), ctx.field("stage") or "answers"
    chosen = _chosen(ctx)
    try:
        if chosen is None:
            raise evidence.EvidenceInvalid(
                "Chưa chọn tệp để tải lên", "No file was chosen to upload"
            )
        data = chosen.file.read(MAX_BYTES + 1)  # one byte over is enough to refuse it
        name = chosen.filename or ""
        _, new = evidence.attach(
            web.store, cid, uid, node, data, name,
            stage=stage, actor=ctx.user.username, now=web.clock(),
        )  # fmt: skip
    except Bilingual as exc:
        return refused_page(web, ctx, cid, uid, exc, stage, node)
    return back(f"/c/{cid}/u/{uid}", "saved" if new else "evidence_same")


def refused_page(
    web: Web, ctx: Ctx, cid: str, uid: str, exc: Bilingual, stage: str, node: str = ""
) -> Response:
    """The unit page again with the reason a change of its files was refused, beside the
    field it came from (409 when the files cannot change now, else 400)."""
    ctx.request.state.evidence_refused = {"stage": stage, "node": node, "why": exc.reason(ctx.lang)}
    status = 409 if isinstance(exc, EvidenceClosed) else 400
    return unit_page(web, ctx, cid, uid, status=status)


def _file_id(fid: str) -> int:
    if not (fid.isascii() and fid.isdigit() and len(fid) < 12):
        raise not_found(f"no file {fid[:20]!r}", f"Không có tệp {fid[:20]!r}")
    return int(fid)


def remove(web: Web, ctx: Ctx, cid: str, uid: str, fid: str) -> Response:
    """Detach one file while its form is editable (audited; the content stays while another
    attachment uses it)."""
    try:
        evidence.remove(
            web.store, cid, uid, _file_id(fid), actor=ctx.user.username, now=web.clock()
        )
    except Bilingual as exc:
        return refused_page(web, ctx, cid, uid, exc, "remove")
    return back(f"/c/{cid}/u/{uid}", "saved")


def download(web: Web, ctx: Ctx, cid: str, uid: str, fid: str) -> Response:
    """One of the unit's files, opened in the browser under its own name."""
    found = evidence.content(web.store, cid, uid, _file_id(fid))
    if found is None:
        raise not_found(f"unit {uid} has no file {fid}", f"Đơn vị {uid} không có tệp {fid}")
    att, data = found
    return Response(
        data,
        media_type=att.media_type,  # found in the content, one of four types; never HTML
        headers={
            "Content-Disposition": disposition(att.name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": FILE_CSP,
        },
    )


def disposition(name: str) -> str:
    """``inline`` with the file's name: an ASCII fallback for old browsers and the exact
    Vietnamese name (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in ascii_name if c.isascii() and c.isprintable())
    ascii_name = ascii_name.replace('"', "").replace("\\", "") or "tai-lieu"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
