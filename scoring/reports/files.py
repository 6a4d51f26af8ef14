"""Which files a report run writes, and writing them (in worker processes if asked).

``DIR/annex.{html,pdf,xlsx,docx}`` (the ranking annex per group), ``DIR/summary.{html,pdf}`` and
``DIR/scorecards/<unit>.{html,pdf}``. Each page is written in every format asked for, HTML by
Jinja2 and PDF by Typst, from the same ``Report``. Nothing is written outside ``DIR``: a unit
id that is not a plain slug, or a path that would leave the folder, is refused before anything
is written.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from scoring.errors import Location, SubmissionError, suggest
from scoring.reports.html import Part, render_html, save_html
from scoring.reports.model import Report
from scoring.reports.pdf import render_pdf, save_pdf
from scoring.reports.word import render_docx, save_docx
from scoring.reports.xlsx import write_xlsx
from scoring.sources.files import make_folder

FORMATS = ("html", "pdf", "xlsx", "docx")
ANNEX_ONLY = ("xlsx", "docx")  # Excel and Word hold the ranking annex only
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")  # unit ids, as scoring.index.model.Slug


@dataclass(frozen=True, slots=True)
class Output:
    """One page of a report and the files it is written to (the suffix says the format)."""

    part: Part
    unit: str | None
    paths: tuple[Path, ...]

    @property
    def name(self) -> str:
        """What the output is named by: its unit, else its part."""
        return self.unit or self.part


def formats(text: str) -> tuple[str, ...]:
    """The formats of a comma-separated list (``html,pdf``), each known, in the given order."""
    chosen: list[str] = []
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise SubmissionError(
                f"unknown format {name!r}: use {', '.join(FORMATS)}",
                Location("--format"),
                suggest(name, FORMATS),
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise SubmissionError(f"no format given: use {', '.join(FORMATS)}", Location("--format"))
    return tuple(chosen)


def _inside(folder: Path, path: Path) -> Path:
    if not path.resolve().is_relative_to(folder.resolve()):
        raise SubmissionError(f"{path} would be written outside {folder}", Location(str(path)))
    return path


def outputs(
    report: Report, folder: Path, kinds: Iterable[str] = FORMATS, unit: str | None = None
) -> list[Output]:
    """The pages to write into ``folder``: annex, summary, then one scorecard per unit (or
    only ``unit``'s). Excel and Word hold the annex only; a page with no format left is
    skipped."""
    kinds = tuple(kinds)
    units: list[str] = [unit] if unit is not None else list(report.scorecards)
    for uid in units:
        report.scorecard(uid)  # an unknown unit is refused with a suggestion
        if not SLUG.fullmatch(uid):
            raise SubmissionError(
                f"unit id {uid!r} cannot name a file (expected [a-z0-9_-])", Location("store")
            )
    pages: list[tuple[Part, str | None, Path]] = [
        ("annex", None, folder / "annex"),
        ("summary", None, folder / "summary"),
    ]
    pages += [("scorecard", uid, folder / "scorecards" / uid) for uid in units]
    out = []
    for part, who, stem in pages:
        suffixes = [k for k in kinds if k not in ANNEX_ONLY or part == "annex"]
        paths = tuple(_inside(folder, stem.with_name(f"{stem.name}.{k}")) for k in suffixes)
        if paths:
            out.append(Output(part, who, paths))
    return out


def make_folders(folder: Path, planned: Iterable[Output]) -> None:
    """Create ``folder`` and the sub-folders the planned files go to."""
    for sub in sorted({p.parent for o in planned for p in o.paths} | {folder}):
        make_folder(sub)


def write(report: Report, output: Output) -> tuple[Path, ...]:
    """Write one page in each of its formats; the paths written."""
    for path in output.paths:
        if path.suffix == ".xlsx":
            write_xlsx(report, path)
        elif path.suffix == ".docx":
            save_docx(render_docx(report), path)
        elif path.suffix == ".pdf":
            save_pdf(render_pdf(report, output.part, output.unit), path)
        else:
            save_html(render_html(report, output.part, output.unit), path)
    return output.paths


_WORKER: dict[str, Report] = {}


def _start(report: Report) -> None:
    _WORKER["report"] = report


def _write(output: Output) -> tuple[Path, ...]:
    return write(_WORKER["report"], output)


def write_all(report: Report, planned: list[Output], jobs: int = 1) -> Iterator[Output]:
    """Write every planned page, yielding each once written; with ``jobs`` > 1 in that many
    worker processes (each page is independent), in the order they finish."""
    if jobs <= 1 or len(planned) <= 2:
        for output in planned:
            write(report, output)
            yield output
        return
    # spawn: a fresh interpreter per worker, never a fork of a process with running threads
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=_start, initargs=(report,)) as pool:
        futures: dict[Future[tuple[Path, ...]], Output] = {
            pool.submit(_write, o): o for o in planned
        }
        try:
            for done in as_completed(futures):
                done.result()
                yield futures[done]
        finally:
            for f in futures:
                f.cancel()
