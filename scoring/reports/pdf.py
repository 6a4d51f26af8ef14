"""Reports as PDF, typeset by Typst from the same ``Report`` as the HTML (``templates/report.typ``).

Typst comes as a Python wheel (``typst``: the compiler itself, for Linux, Windows and macOS),
so a PDF needs nothing but what ``pip`` installs: no Pango, HarfBuzz or poppler. The page is
laid out by ``templates/report.typ``; this module only turns the report into plain JSON
(every figure as printed, with a decimal comma; the charts as the same SVG the HTML embeds)
that the template reads from ``sys.inputs``, so no report text is ever parsed as Typst markup.
DejaVu Sans comes from matplotlib's copy (a dependency already) and is embedded, subset, by
Typst. One compiler per process is kept: fonts are indexed once and layouts are memoised.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
import typst

from scoring.errors import Location, SubmissionError, suggest
from scoring.reports import charts
from scoring.reports.html import PARTS, TEMPLATES, TIE_POLICY, Part
from scoring.reports.model import AnnexRow, GroupReport, Line, Meta, Report, Scorecard
from scoring.sources.files import atomic_path
from scoring.sources.numbers import decimal_comma
from scoring.sources.text import nfc

TEMPLATE = TEMPLATES / "report.typ"
FONTS = Path(mpl.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans, shipped by matplotlib


def vn(figure: str) -> str:
    """A figure with a decimal comma (``85.50`` → ``85,50``), as the HTML prints it."""
    return str(decimal_comma(figure))


@cache
def _compiler() -> typst.Compiler:
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)]
    )
    return typst.Compiler(TEMPLATE, root=TEMPLATES, font_paths=fonts, ignore_system_fonts=True)


def _meta(meta: Meta) -> dict[str, Any]:
    policy = TIE_POLICY.get(meta.tie_policy, (meta.tie_policy, meta.tie_policy))
    published = (
        f"Công bố / published {meta.run_at} (run {meta.run_id}"
        f"{', đính chính / correction' if meta.run_kind == 'correction' else ''})"
    )
    return {
        "campaign": meta.campaign,
        "year": meta.year,
        "province": meta.province,
        "draft": meta.draft,
        "state": meta.state,
        "footer": meta.footer,
        "status": "Chưa công bố / not published" if meta.draft else published,
        "index": f"Chỉ số / index {meta.index_id}, mã kiểm tra / hash {meta.short_hash}",
        "previous": meta.previous,
        "previous_year": meta.previous_year,
        "notes_vi": (
            "Tổng điểm = điểm nội dung + điểm khảo sát + điểm thưởng − điểm trừ; chỉ số = tổng "
            f"điểm / điểm tối đa áp dụng × {meta.scale}; số liệu làm tròn {meta.places} chữ số "
            f"thập phân. Hạng xếp theo chỉ số làm tròn {meta.rank_precision} chữ số thập phân"
            + (f", rồi theo {', '.join(meta.tie_break)}" if meta.tie_break else "")
            + f"; =N: đồng hạng, {policy[0]}. KAD: không áp dụng; —: không xếp hạng."
        ),
        "notes_en": (
            "Total = content + survey + bonus − penalty; index = total / applicable max × "
            f"{meta.scale}; figures at {meta.places} decimals. Ranks on the index at "
            f"{meta.rank_precision} decimal(s)"
            + (f", then {', '.join(meta.tie_break)}" if meta.tie_break else "")
            + f"; =N: tied, {policy[1]}. KAD: not applicable; —: not ranked."
        ),
    }


def _row(u: AnnexRow, group: GroupReport) -> list[str]:
    cells = [u.rank_text, u.name]
    for aid, _, _ in group.areas:
        a = u.area(aid)
        cells.append("—" if a is None else vn(a.points) if a.applicable else "KAD")
    figures = (u.content, u.survey, u.bonus, u.penalty, u.points, u.max_points, u.index)
    satisfaction = vn(u.satisfaction) if u.satisfaction is not None else "—"
    return [*cells, *(vn(x) for x in figures), u.class_vi, satisfaction]


def _annex(report: Report) -> dict[str, Any]:
    return {
        "groups": [
            {
                "title_vi": g.title_vi,
                "title_en": g.title_en,
                "areas": [{"id": a, "vi": vi, "en": en or ""} for a, vi, en in g.areas],
                "rows": [_row(u, g) for u in g.units],
            }
            for g in report.groups
        ],
        "errors": [f"{uid}: {'; '.join(messages)}" for uid, messages in report.errors],
    }


def _summary(report: Report) -> dict[str, Any]:
    def movers(which: str) -> list[list[str]]:
        rows = report.rises if which == "up" else report.falls
        return [
            [m.name, m.group_title_vi, vn(m.before), vn(m.after), vn(m.change),
             "—" if m.rank_before is None else str(m.rank_before),
             "—" if m.rank_after is None else str(m.rank_after)]
            for m in rows
        ]  # fmt: skip

    return {
        "groups": [
            {
                "title_vi": g.title_vi,
                "title_en": g.title_en,
                "facts": [
                    str(len(g.units)),
                    *(vn(x or "—") for x in (g.lowest, g.median, g.highest)),
                ],
                "classes": [
                    {
                        "vi": c.label.label_vi,
                        "en": c.label.label_en,
                        "min": vn(c.min),
                        "count": str(c.count),
                    }
                    for c in g.classes
                ],
                "chart": charts.distribution_svg(g),
            }
            for g in report.groups
        ],
        "rises": movers("up"),
        "falls": movers("down"),
    }


def _line(line: Line) -> dict[str, Any]:
    notes = [
        f"{c.round_vi} · {c.date} · {c.appraiser}: {vn(c.before)} → {vn(c.after)} — {c.reason}"
        for c in line.changes
    ]
    for e in line.explanations:
        evidence = f" — tài liệu / evidence: {'; '.join(e.evidence)}" if e.evidence else ""
        notes.append(
            f"Giải trình của đơn vị / explanation ({e.at[:10]}, {e.author}): {e.text}{evidence}"
        )
    if line.reason_vi:
        notes.append(line.reason_vi)
    if line.status == "not_applicable":
        points = "KAD"
    else:
        points = "—" if line.points is None else vn(line.points)
    title = line.title_vi
    if line.status == "granted_full":
        title += " (không áp dụng, tính đủ điểm / N/A, full points)"
    elif line.status == "not_applicable":
        title += " (không áp dụng / N/A)"
    if line.before_adjustment:
        title += f" (trước điểm thưởng/trừ / before bonus/penalty: {line.before_adjustment})"
    return {
        "node": line.node,
        "level": line.level,
        "depth": line.depth,
        "title": title,
        "self": vn(line.self_score) if line.self_score is not None else "",
        "points": ("* " if line.changes else "") + points,
        "max": vn(line.max),
        "scope": "toàn đơn vị / total" if line.scope == "total" else (line.scope or ""),
        "notes": notes,
    }


def _scorecard(card: Scorecard) -> dict[str, Any]:
    u = card.unit
    rank = u.rank_text + (f" / {card.ranked_in_group}" if u.rank is not None else "")
    areas = []
    for a in u.areas:
        row = [f"{a.id}. {a.title_vi}"]
        row += (
            [vn(a.points), vn(a.max), vn(a.lost), vn(f"{a.percent:.1f}")]
            if a.percent is not None
            else ["KAD", vn(a.max), vn(a.lost), "KAD"]
        )
        row.append("—" if a.group_median is None else vn(f"{a.group_median:.1f}"))
        if card.previous:
            row += [vn(a.previous or "—"), vn(a.change or "—")]
        areas.append(row)
    previous = None
    if (p := card.previous) is not None:
        moved = ""
        if p.rank_change is not None:
            moved = (
                f" (tăng / up {p.rank_change})" if p.rank_change > 0
                else f" (giảm / down {-p.rank_change})" if p.rank_change < 0
                else " (giữ nguyên / same)"
            )  # fmt: skip
        successor = f"; kế thừa từ / successor of {p.from_name}" if p.from_name else ""
        previous = {
            "year": p.year,
            "text": (
                f"({p.campaign}{successor}): chỉ số / index {vn(p.index)} → {vn(u.index)} "
                f"({vn(p.index_change)}); hạng / rank {p.rank if p.rank is not None else '—'} → "
                f"{u.rank if u.rank is not None else '—'}{moved}; xếp loại / class "
                f"{p.classification.label_vi if p.classification else '—'} → {u.class_vi or '—'}."
            ),
        }
    register = []  # what the register of units says of this unit (issue 15), as HTML says it
    if card.part_year_vi:
        register.append(f"Đơn vị {card.part_year_vi} (existed part of the year).")
    if card.previous is None and card.merged_from:
        merged = "; ".join(
            f"{m.name} (chỉ số / index {vn(m.index)}"
            + (f", hạng / rank {m.rank}" if m.rank is not None else "")
            + ")"
            for m in card.merged_from
        )
        register.append(
            f"Kế thừa từ / successor of: {merged}. Đơn vị hợp nhất: không so sánh chênh lệch "
            "với từng đơn vị cũ (a merged unit: no single change is computed)."
        )
    adjustments = []
    for line in card.adjustments:
        data = _line(line)
        sign = "+" if line.level == "bonus" else "−"
        data["title"] = f"{'Thưởng' if line.level == 'bonus' else 'Trừ'}: {line.title_vi}"
        data["points"] = ("* " if line.changes else "") + sign + vn(line.points or "")
        adjustments.append(data)
    return {
        "name": u.name,
        "group_vi": card.group_title_vi,
        "group_en": card.group_title_en,
        "facts": [
            ["Hạng", "rank", rank],
            ["Xếp loại", "class", f"{u.class_vi} ({u.class_en})"],
            ["Chỉ số", "index", vn(u.index)],
            ["Tổng điểm", "total", f"{vn(u.points)} / {vn(u.max_points)}"],
            ["Nội dung", "content", vn(u.content)],
            ["Khảo sát", "survey", vn(u.survey)],
            ["Điểm thưởng", "bonus", vn(u.bonus)],
            ["Điểm trừ", "penalty", vn(u.penalty)],
            ["Thay đổi khi thẩm định", "appraisal changes", str(len(list(card.changes)))],
        ],
        "previous": previous,
        "register": register,
        "warnings": list(u.warnings),
        "areas": areas,
        "chart": charts.profile_svg(card),
        "lines": [_line(line) for line in card.lines],
        "adjustments": adjustments,
    }


def typst_data(report: Report, part: Part = "annex", unit: str | None = None) -> dict[str, Any]:
    """What ``templates/report.typ`` lays out for one part of a report: plain JSON data."""
    data: dict[str, Any] = {"part": part, "meta": _meta(report.meta)}
    if part == "annex":
        data["annex"] = _annex(report)
    elif part == "summary":
        data["summary"] = _summary(report)
    elif part == "scorecard":
        if unit is None:
            raise SubmissionError("a scorecard needs a unit id", Location("report"))
        data["card"] = _scorecard(report.scorecard(unit))
    else:
        raise SubmissionError(
            f"unknown report part {part!r}", Location("report"), suggest(part, PARTS)
        )
    return data


def render_pdf(report: Report, part: Part = "annex", unit: str | None = None) -> bytes:
    """One report as PDF bytes (A4, DejaVu Sans embedded)."""
    text = json.dumps(typst_data(report, part, unit), ensure_ascii=False)
    when = report.meta.generated_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    # Typst takes whole seconds at a fixed offset as the document's creation date
    when = when.astimezone(dt.UTC).replace(microsecond=0)
    pdf = _compiler().compile(format="pdf", sys_inputs={"data": nfc(text)}, timestamp=when)
    assert isinstance(pdf, bytes)
    return pdf


def save_pdf(data: bytes, path: Path) -> Path:
    """Write PDF bytes to ``path`` (through a temporary file: never a truncated PDF)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def write_pdf(report: Report, path: Path, part: Part = "annex", unit: str | None = None) -> Path:
    """Write one report as a PDF; the path written."""
    return save_pdf(render_pdf(report, part, unit), path)
