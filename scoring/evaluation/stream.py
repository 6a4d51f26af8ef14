"""Scoring at national scale: submissions streamed through prepare and score in chunks.

``score_stream`` never holds more than one chunk of prepared units: it reads submissions from
any iterable (a generator reading files, a database cursor), checks a chunk with ``prepare``,
scores it with ``score_units`` and yields each result. A caller that keeps only what it needs
of each result (its total for the ranking, its trace written out) scores every unit of every
province in bounded memory; one that keeps every result keeps every unit's answers too, since
a trace is built from them when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scoring.campaign.submission import Ready, Submission, prepare
from scoring.errors import ErrorList, ParindexError
from scoring.evaluation.batch import score_units
from scoring.evaluation.trace import UnitResult
from scoring.index.loader import Index

CHUNK = 1000  # units prepared and scored at a time: the engine sees a chunk's facts at once


def score_stream(
    index: Index,
    submissions: Iterable[Submission | Ready],
    *,
    chunk: int = CHUNK,
    errors: dict[str, list[ParindexError]] | None = None,
    jobs: int = 1,
) -> Iterator[UnitResult]:
    """Each submission's result, in order, preparing and scoring ``chunk`` units at a time.

    Already prepared units (``Ready``) are scored as they are. A submission that ``prepare``
    refuses is left out and its errors go to ``errors`` under its unit id; without an
    ``errors`` mapping the first refusal raises. ``jobs`` is passed to ``score_units`` (worker
    processes only pay off for large chunks: see ``batch.PARALLEL_MIN``).
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    batch: list[Ready] = []
    for sub in submissions:
        if isinstance(sub, Ready):
            batch.append(sub)
        else:
            try:
                batch.append(prepare(index, sub))
            except ParindexError as exc:
                if errors is None:
                    raise
                errors.setdefault(sub.unit.id, []).extend(
                    exc.errors if isinstance(exc, ErrorList) else [exc]
                )
                continue
        if len(batch) >= chunk:
            yield from score_units(index, batch, jobs=jobs)
            batch = []
    if batch:
        yield from score_units(index, batch, jobs=jobs)
