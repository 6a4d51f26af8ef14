"""Typst against reportlab for the report PDFs: speed and output quality, measured (issue 14).

A comparison, not a product feature: the reports stay on Typst (``scoring/reports/pdf.py``).
Both renderers lay out the same data, the JSON ``typst_data()`` gives for the 2018 ranking
annex and for one scorecard, on A4 in DejaVu Sans (matplotlib's files, embedded as a subset):
Typst through the project's compiler and template, reportlab through the platypus layout
written below (tables of wrapping paragraphs, header rows repeated across pages, the footer
text and "Trang N / M" on every page).

Like with like: the scorecard's chart is left out on both sides (Typst gets an empty SVG in its
place; reportlab has no SVG reader without svglib). Typst with the real chart is timed too, for
reference. Typst memoises layout for the whole process (comemo), so compiling one document
twice in a process costs almost nothing the second time; every timed render therefore runs in
a new process, after one untimed render of another document (a different unit's scorecard),
as the Nth document of ``parindex report`` is made: fonts loaded, that document never laid
out before. Rounds alternate the order of the renderers; each timed call runs with the garbage
collector off, after a collection. CPU (``process_time``) and wall (``perf_counter``) are
measured in the child around the render call alone (JSON in, PDF bytes out). Nothing here
asserts on time. Run with ``-s`` to see the figures; they are saved in
``.benchmarks/pdf_renderers.json``. ``PARINDEX_PDF_ROUNDS`` sets the rounds (7; 1 when
pytest-benchmark is disabled, the CI smoke run).
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

pytest.importorskip("reportlab")

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
AT = dt.datetime(2020, 1, 15, 9, 30, tzinfo=dt.UTC)
CARD = "so-tai-chinh"  # the scorecard compared
# in the chart's place for Typst: nothing drawn, at page width and 0.2 mm high
BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1"></svg>'

# ------------------------------------------------------------------ reportlab layout

FONT = "DejaVuSans"


def register_fonts() -> None:
    """DejaVu Sans from matplotlib's data, as TrueType fonts reportlab embeds as subsets."""
    import matplotlib as mpl

    ttf = Path(mpl.get_data_path()) / "fonts" / "ttf"
    faces = {"": "", "-Bold": "-Bold", "-Oblique": "-Oblique", "-BoldOblique": "-BoldOblique"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + name, str(ttf / f"DejaVuSans{file}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Oblique",
        boldItalic=FONT + "-BoldOblique",
    )  # fmt: skip


def _style(size: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{sorted(kw)}", fontName=FONT, fontSize=size,
                          leading=size * 1.22, **kw)  # fmt: skip


BODY, SMALL, CELL, NOTE = _style(9), _style(8), _style(7.5), _style(7)
# a figure never breaks inside (Typst too: "11,75" overflows its padding rather than wrap)
RIGHT = _style(7.5, alignment=2, splitLongWords=0)
CENTER = _style(7.5, alignment=1, splitLongWords=0)
H1, H2, H3 = _style(15, spaceAfter=2), _style(12, spaceBefore=10, spaceAfter=4), _style(10)
GREY = colors.Color(68 / 255, 68 / 255, 68 / 255)
LINE = colors.Color(119 / 255, 119 / 255, 119 / 255)


def t(text: str) -> str:
    """Report text as paragraph markup: escaped, never read as markup."""
    return escape(text)


def en(text: str) -> str:
    return f'<font size="7" color="#444444">{t(text)}</font>'


def head(vi: str, e: str = "") -> Paragraph:
    return Paragraph(f"<b>{t(vi)}</b>" + (f"<br/>{en(e)}" if e else ""), CENTER)


def _numbered(footer: str) -> type[canvas.Canvas]:
    """A canvas that draws the footer text and "Trang N / M" once the page count is known."""

    class Numbered(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                width, _ = self._pagesize
                note = Paragraph(t(footer), _style(6.5))
                _, h = note.wrap(width - 24 * mm - 30 * mm, 16 * mm)
                note.drawOn(self, 12 * mm, 10 * mm - h + 6.5)
                self.setFont(FONT, 7)
                self.drawRightString(
                    width - 12 * mm, 10 * mm, f"Trang {self._pageNumber} / {len(self._pages)}"
                )
                super().showPage()
            super().save()

    return Numbered


def _grid(header_rows: int = 1) -> list[tuple[Any, ...]]:
    return [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # empty cells too: no Helvetica in the PDF
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        (
            "BACKGROUND",
            (0, 0),
            (-1, header_rows - 1),
            colors.Color(228 / 255, 228 / 255, 228 / 255),
        ),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
    ]


def auto(cells: list[str], heads: tuple[str, str] = ("", ""), bold: bool = False) -> float:
    """A column as wide as its widest cell or header line, as Typst's ``auto`` column."""
    face = FONT + "-Bold" if bold else FONT
    widths = [pdfmetrics.stringWidth(c, face, 7.5) for c in cells]
    widths += [pdfmetrics.stringWidth(heads[0], FONT + "-Bold", 7.5),
               pdfmetrics.stringWidth(heads[1], FONT, 7)]  # fmt: skip
    return float(max(widths)) + 6.5  # the cell's padding, 3 pt a side


def _masthead(meta: dict[str, Any], title: str, sub: str = "") -> list[Any]:
    top = f"TỈNH {meta['province']} · CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {meta['year']}".upper()
    story = [Paragraph(t(top), SMALL), Paragraph(f"<b>{title}</b>", H1)]
    if sub:
        story.append(Paragraph(sub, SMALL))
    story.append(Paragraph(t(f"{meta['status']} · {meta['index']}"), SMALL))
    return story


def _figure(c: str) -> Paragraph:
    return Paragraph(f"<i>{t(c)}</i>", CENTER) if c in ("KAD", "—") else Paragraph(t(c), RIGHT)


def annex_story(d: dict[str, Any]) -> list[Any]:
    m = d["meta"]
    story = _masthead(m, f"Phụ lục: kết quả Chỉ số CCHC năm {m['year']} {en('Ranking annex')}")
    width = landscape(A4)[0] - 24 * mm
    notes = Paragraph(t(m["notes_vi"]) + " " + en(m["notes_en"]), _style(7, textColor=GREY))
    for i, g in enumerate(d["annex"]["groups"]):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(f"<b>{t(g['title_vi'])}</b> {en(g['title_en'])}", H2))
        n = len(g["areas"])
        tail = (("Điểm nội dung", "content"), ("Điểm khảo sát", "survey"),
                ("Điểm thưởng", "bonus"), ("Điểm trừ", "penalty"), ("Tổng điểm", "total"),
                ("Tối đa", "max"), ("Chỉ số", "index"), ("Xếp loại", "class"))  # fmt: skip
        column = list(zip(*g["rows"], strict=True))
        fixed = [auto(list(column[0]), ("Hạng", "rank")), 58 * mm]
        fixed += [auto(list(column[2 + n + i]), h, bold=i in (4, 6)) for i, h in enumerate(tail)]
        cols = fixed[:2] + [(width - sum(fixed)) / n] * n + fixed[2:]
        header = [head("Hạng", "rank"), head("Đơn vị", "unit")]
        header += [head(a["id"]) for a in g["areas"]]
        header += [head(vi, e) for vi, e in tail]
        rows: list[list[Any]] = [header]
        last = len(header) - 1
        for r in g["rows"]:
            cells: list[Any] = []
            for j, c in enumerate(r):
                if j in (1, last):
                    cells.append(Paragraph(t(c), CELL))
                elif j in (last - 1, last - 3) and c not in ("KAD", "—"):
                    cells.append(Paragraph(f"<b>{t(c)}</b>", RIGHT))
                else:
                    cells.append(_figure(c))
            rows.append(cells)
        story.append(Table(rows, colWidths=cols, repeatRows=1, style=TableStyle(_grid())))
        legend = [
            Paragraph(f"<b>{t(a['id'])}</b>: {t(a['vi'])} {en(a['en'])}", NOTE) for a in g["areas"]
        ]
        half = (len(legend) + 1) // 2
        two = Table(
            [[legend[:half], legend[half:]]],
            colWidths=[width / 2] * 2,
            style=[("FONTNAME", (0, 0), (-1, -1), FONT)],
        )
        story += [Spacer(1, 4), KeepTogether([two]), notes]
    if d["annex"]["errors"]:
        story.append(
            Paragraph("Đơn vị không chấm được điểm " + en("Units that could not be scored"), H2)
        )
        story += [Paragraph(t(e), BODY) for e in d["annex"]["errors"]]
    return story


def _tree(lines: list[dict[str, Any]], third: str) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    rows: list[list[Any]] = []
    style: list[tuple[Any, ...]] = []
    for line in lines:
        bold = line["level"] in ("area", "node")
        fill = {"area": 217, "node": 242}.get(line["level"])
        b = (lambda s: f"<b>{s}</b>") if bold else (lambda s: s)
        y, depth = len(rows) + 1, line["depth"]
        rows.append([
            Paragraph(b(t(line["node"])), _style(7.5, leftIndent=6 * depth, splitLongWords=0)),
            Paragraph(b(t(line["title"])), CELL),
            Paragraph(b(t(line["scope"])), CELL) if third == "scope"
            else Paragraph(b(t(line["self"])), RIGHT),
            Paragraph(b(t(line["points"])), RIGHT),
            Paragraph(b(t(line["max"])), RIGHT),
        ])  # fmt: skip
        if fill is not None:
            style.append(("BACKGROUND", (0, y), (-1, y), colors.Color(*[fill / 255] * 3)))
        for note in line["notes"]:
            y = len(rows) + 1
            rows.append(["", Paragraph(t(note), _style(7, leftIndent=8)), "", "", ""])
            style.append(("SPAN", (1, y), (4, y)))
    return rows, style


def scorecard_story(d: dict[str, Any]) -> list[Any]:
    m, c = d["meta"], d["card"]
    width = A4[0] - 24 * mm
    sub = (f"Phiếu kết quả Chỉ số CCHC năm {m['year']} · {t(c['group_vi'])} "
           + en("Scorecard · " + c["group_en"]))  # fmt: skip
    story = _masthead(m, t(c["name"]), sub)
    facts: list[list[Any]] = []
    for i in range(0, len(c["facts"]), 3):
        row: list[Any] = []
        for vi, e, v in c["facts"][i : i + 3]:
            row.append(Paragraph(f"<b>{t(vi)}</b> {en(e)}", CELL))
            row.append(Paragraph(f"<b>{t(v)}</b>" if vi == "Chỉ số" else t(v), RIGHT))
        facts.append(row)
    style = _grid(0)[:-2] + [("BACKGROUND", (x, 0), (x, -1), colors.Color(*[240 / 255] * 3))
                              for x in (0, 2, 4)]  # fmt: skip
    story += [Spacer(1, 4), Table(facts, colWidths=[width / 6] * 6, style=TableStyle(style))]
    if (p := c["previous"]) is not None:
        year = p["year"]
        story.append(Paragraph(f"<b>So với năm {year}</b> {en(f'since {year}')} "
                               + t(p["text"]), BODY))  # fmt: skip
    else:
        story.append(Paragraph("Không có kết quả năm trước để so sánh. "
                               + en("No published result of the year before."), BODY))  # fmt: skip
    story += [Paragraph("⚠ " + t(w), BODY) for w in c["warnings"]]

    story.append(Paragraph(f"<b>Điểm theo lĩnh vực</b> {en('Points by area')}", H2))
    prev = c["previous"] is not None
    header = [head("Lĩnh vực", "area"), head("Điểm", "points"), head("Tối đa", "max"),
              head("Điểm mất", "lost"), head("Chỉ số lĩnh vực", "area %"),
              head("Trung vị nhóm", "group median %")]  # fmt: skip
    if prev:
        header += [head(f"Năm {c['previous']['year']}"), head("Thay đổi", "change")]
    names = [("Điểm", "points"), ("Tối đa", "max"), ("Điểm mất", "lost"),
             ("Chỉ số lĩnh vực", "area %"), ("Trung vị nhóm", "group median %"),
             (f"Năm {c['previous']['year']}" if prev else "", ""),
             ("Thay đổi", "change")]  # fmt: skip
    column = list(zip(*c["areas"], strict=True))
    cols = [auto(list(column[i + 1]), names[i]) for i in range(len(header) - 1)]
    cols = [width - sum(cols), *cols]
    areas = [[Paragraph(t(r[0]), CELL), *map(_figure, r[1:])] for r in c["areas"]]
    story.append(Table([header, *areas], colWidths=cols, repeatRows=1, style=TableStyle(_grid())))

    story.append(Paragraph(f"<b>Chi tiết chấm điểm</b> {en('Points item by item')}", H2))
    cols = [13 * mm, width - 72 * mm, 19 * mm, 25 * mm, 15 * mm]
    rows, extra = _tree(c["lines"], "self")
    header = [head("Mã", "id"), head("Nội dung", "item"), head("Tự chấm", "self-score"),
              head("Điểm thẩm định", "appraised"), head("Tối đa", "max")]  # fmt: skip
    story.append(Table([header, *rows], colWidths=cols, repeatRows=1,
                       style=TableStyle(_grid() + extra)))  # fmt: skip
    story.append(Paragraph("*: điểm do thẩm định thay đổi (lý do ghi ngay dưới). "
                           + en("*: points changed by the appraisal (reason below)."),
                           _style(7, textColor=GREY)))  # fmt: skip

    story.append(Paragraph(f"<b>Điểm thưởng, điểm trừ</b> {en('Bonuses and penalties')}", H2))
    if not c["adjustments"]:
        story.append(Paragraph("Không có. " + en("None."), BODY))
    else:
        cols = [13 * mm, width - 78 * mm, 30 * mm, 20 * mm, 15 * mm]
        rows, extra = _tree(c["adjustments"], "scope")
        header = [head("Mã", "id"), head("Nội dung", "item"), head("Áp dụng vào", "applies to"),
                  head("Điểm", "points"), head("Tối đa", "max")]  # fmt: skip
        story.append(Table([header, *rows], colWidths=cols, repeatRows=1,
                           style=TableStyle(_grid() + extra)))  # fmt: skip
    return story


def reportlab_pdf(d: dict[str, Any]) -> bytes:
    """One report part as PDF bytes, laid out by reportlab's platypus."""
    m = d["meta"]
    page = landscape(A4) if d["part"] == "annex" else A4
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=16 * mm, title=f"{m['campaign']} {d['part']}", author="parindex",
        invariant=True, initialFontName=FONT,  # else an unembedded Helvetica on every page
    )  # fmt: skip
    story = annex_story(d) if d["part"] == "annex" else scorecard_story(d)
    doc.build(story, canvasmaker=_numbered(m["footer"]))
    return buf.getvalue()


# ------------------------------------------------------------------ one timed render (child)


def typst_pdf(text: str) -> bytes:
    """The project's Typst compile of one report's JSON, as ``render_pdf`` does it."""
    from scoring.reports import pdf

    out = pdf._compiler().compile(
        format="pdf", sys_inputs={"data": unicodedata.normalize("NFC", text)}, timestamp=AT
    )
    assert isinstance(out, bytes)
    return out


def child(side: str, warm: Path, target: Path, out: Path) -> dict[str, float]:
    """Render ``warm`` untimed, then ``target`` timed; write the PDF to ``out``."""
    if side == "reportlab":
        register_fonts()

        def render(path: Path) -> bytes:
            return reportlab_pdf(json.loads(path.read_text(encoding="utf-8")))
    else:

        def render(path: Path) -> bytes:
            return typst_pdf(path.read_text(encoding="utf-8"))

    render(warm)
    gc.collect()
    gc.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    data = render(target)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    gc.enable()
    out.write_bytes(data)
    return {"cpu": cpu, "wall": wall}


# ------------------------------------------------------------------ quality checks


def quality(path: Path, header: str, names: list[str]) -> dict[str, Any]:
    """Pages, size, embedded fonts, NFC text, the names found, pages that repeat ``header``."""
    import ctypes

    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    fonts: set[str] = set()  # every font a text object of the PDF is drawn with
    doc = pdfium.PdfDocument(path)
    try:
        for i in range(len(doc)):
            for obj in doc[i].get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                font = raw.FPDFTextObj_GetFont(obj.raw)
                size = raw.FPDFFont_GetBaseFontName(font, None, 0)
                buf = ctypes.create_string_buffer(size)
                raw.FPDFFont_GetBaseFontName(font, buf, size)
                embedded = raw.FPDFFont_GetIsEmbedded(font) == 1
                fonts.add(buf.value.decode() + ("" if embedded else " (NOT embedded)"))
    finally:
        doc.close()
    doc = pdfium.PdfDocument(path)
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    flat = [" ".join(p.split()) for p in pages]
    text = " ".join(flat)
    return {
        "pages": len(pages),
        "bytes": path.stat().st_size,
        "fonts": sorted(fonts),
        "nfc": unicodedata.is_normalized("NFC", "".join(pages)),
        "names_found": sum(n in text for n in names),
        "names": len(names),
        "header_pages": sum(header in p for p in flat),
    }


# ------------------------------------------------------------------ the benchmark


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def test_typst_against_reportlab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from scoring.reports import build
    from scoring.reports.pdf import typst_data
    from scoring.store import cycle
    from scoring.store.db import open_store

    folder = tmp_path_factory.mktemp("renderers")
    store = open_store(f"sqlite:///{folder}/r.db")
    cycle.run_cycle(store, ROOT / "samples" / "2018", actor="bench")
    report = build(store, "langson-2018", generated_at=AT)
    last = list(report.scorecards)[-1]
    assert last != CARD

    def save(name: str, data: dict[str, Any]) -> Path:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def no_chart(data: dict[str, Any]) -> dict[str, Any]:
        data["card"]["chart"] = BLANK_SVG
        return data

    annex = save("annex", typst_data(report, "annex"))
    card_chart = save("card-chart", typst_data(report, "scorecard", CARD))
    card = save("card", no_chart(typst_data(report, "scorecard", CARD)))
    warm = save("warm", no_chart(typst_data(report, "scorecard", last)))
    warm_chart = save("warm-chart", typst_data(report, "scorecard", last))

    cases = {  # name: (target, warm-up, sides)
        "annex": (annex, warm, ("typst", "reportlab")),
        "scorecard": (card, warm, ("typst", "reportlab")),
        "scorecard+chart (Typst only)": (card_chart, warm_chart, ("typst",)),
    }
    disabled = request.config.getoption("benchmark_disable", default=False)
    rounds = int(os.environ.get("PARINDEX_PDF_ROUNDS", "1" if disabled else "7"))
    times: dict[str, dict[str, dict[str, list[float]]]] = {
        c: {s: {"cpu": [], "wall": []} for s in sides} for c, (_, _, sides) in cases.items()
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for r in range(rounds):
        for name, (target, warmup, sides) in cases.items():
            for side in sides if r % 2 == 0 else tuple(reversed(sides)):
                out = folder / f"{name.split()[0]}-{side}-{r}.pdf"
                done = subprocess.run(
                    [sys.executable, __file__, side, str(warmup), str(target), str(out)],
                    env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
                for k, v in json.loads(done.stdout.splitlines()[-1]).items():
                    times[name][side][k].append(v)

    figures: dict[str, Any] = {"rounds": rounds, "cases": {}}
    print(f"\nPDF renderers, 2018, {rounds} round(s), one new process per timed render:")
    for name, measured in times.items():
        med = {s: {k: _median(v) for k, v in kv.items()} for s, kv in measured.items()}
        figures["cases"][name] = {"median_seconds": med, "seconds": measured}
        line = "; ".join(
            f"{s} CPU {v['cpu'] * 1000:.0f} ms, wall {v['wall'] * 1000:.0f} ms"
            for s, v in med.items()
        )
        if "reportlab" in med:
            ratio = {k: med["reportlab"][k] / med["typst"][k] for k in ("cpu", "wall")}
            figures["cases"][name]["reportlab_over_typst"] = ratio
            line += f"; reportlab/Typst CPU ×{ratio['cpu']:.2f}, wall ×{ratio['wall']:.2f}"
        print(f"  {name}: {line}")

    names = [
        row[1] for g in json.loads(annex.read_text("utf-8"))["annex"]["groups"] for row in g["rows"]
    ]
    c = json.loads(card.read_text("utf-8"))["card"]
    leaves = [line["title"] for line in c["lines"] if line["level"] == "leaf"][:5]
    checks = {  # every unit name of the annex; the scorecard's unit, group, class, leaf titles
        "annex": ([*names, "UBND huyện, thành phố", "Điểm nội dung"], "Điểm nội dung"),
        "scorecard": ([c["name"], c["group_vi"], c["facts"][1][2], *leaves], "Điểm thẩm định"),
    }
    figures["quality"] = {}
    print("Quality (pages, bytes, fonts, NFC, names found, pages with the table header):")
    for name, (needles, header) in checks.items():
        for side in ("typst", "reportlab"):
            q = quality(
                folder / f"{name}-{side}-0.pdf",
                header,
                [unicodedata.normalize("NFC", n) for n in needles],
            )
            figures["quality"][f"{name}/{side}"] = q
            print(f"  {name} {side}: {q}")
            assert q["nfc"] and q["names_found"] == q["names"], (name, side, q)
            assert q["fonts"] and not any("NOT embedded" in f for f in q["fonts"]), q
    if not disabled:
        out = ROOT / ".benchmarks" / "pdf_renderers.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"saved {out}")


if __name__ == "__main__":  # one timed render in a new process (see the module docstring)
    side, warm_path, target_path, out_path = sys.argv[1:5]
    print(json.dumps(child(side, Path(warm_path), Path(target_path), Path(out_path))))
