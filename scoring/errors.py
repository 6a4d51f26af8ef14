"""Errors parindex raises, each pointing at where the problem is.

Hierarchy::

    ParindexError                 root; carries a Location and an optional suggestion
    ├── InputFileError            a file cannot be read or parsed as YAML at all
    ├── IndexDefinitionError      criteria.yaml or a rule pack is wrong
    ├── SubmissionError           a unit's answers, the campaign, survey or council file is wrong
    ├── WorkflowError             a step the campaign's workflow does not allow now
    ├── StorageError              the database cannot be opened, read or written
    │   └── ConflictError         someone else changed the record first (optimistic locking)
    ├── AccessError               sign-in failed, or the account may not do this
    └── EngineError               the rule engine misbehaved (a bug, never the user's input)

The CLI turns ``ParindexError`` into a message and exit code 1, except ``EngineError``
which is a bug (exit 3). An error a person may meet in the web app carries its Vietnamese
words too (``vi=``): ``text(lang)`` and ``reason(lang)`` say it in the reader's language, while
``str()`` and ``message`` stay English for logs, the CLI and ``--json``. ``suggest`` finds the
"did you mean" of a misspelt id, and ``unknown_id`` makes the one error for an id looked up and
not found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where in which file: 1-based line and column, and the breadcrumb trail by ids."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    trail: tuple[str, ...] = field(default_factory=tuple)

    def prefix(self) -> str:
        """``file:line:col`` as far as it is known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ParindexError(Exception):
    """Root of every error parindex raises on purpose."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        suggestion: str | None = None,
        *,
        vi: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.suggestion = suggestion
        self.vi = vi

    def reason(self, lang: str = "vi") -> str:
        """The message alone, in ``lang`` (vi or en), with its "did you mean": Vietnamese where
        the raiser gave its words (``vi=``), English otherwise."""
        if lang == "vi" and self.vi:
            text = self.vi
            if self.suggestion:
                text += f" (có phải là {self.suggestion!r}?)"
            return text
        text = self.message
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text

    def text(self, lang: str = "vi") -> str:
        """Where and what, in ``lang``: ``file:line: trail ==> reason`` (the trail's words
        in Vietnamese too: ``Mục(id='2.1') ==> Khóa: max``). In Vietnamese an error that points
        nowhere is its reason alone (English keeps the ``<input>:`` logs grep for)."""
        loc = self.location
        if lang != "en" and not loc.file and loc.line is None and not loc.trail:
            return self.reason(lang)
        text = f"{loc.prefix()}: "
        if loc.trail:
            steps = loc.trail if lang == "en" else tuple(_step_vi(s) for s in loc.trail)
            text += " ==> ".join(steps) + " ==> "
        return text + self.reason(lang)

    def __str__(self) -> str:
        return self.text("en")


# the breadcrumb words of a trail (sources.located builds them) as Vietnamese read them
_TRAIL_VI = {
    "At key: ": "Khóa: ",
    "Area(": "Lĩnh vực(",
    "Node(": "Mục(",
    "Group(": "Nhóm(",
    "Class(": "Xếp loại(",
    "Check(": "Kiểm tra(",
    "Bonus(": "Điểm thưởng(",
    "Penalty(": "Điểm trừ(",
    "Unit(": "Đơn vị(",
    "Answer(": "Mục(",
    "Adjustment(": "Điều chỉnh(",
    "Item(": "Phần tử(",
}


def _step_vi(step: str) -> str:
    """One breadcrumb of a trail in Vietnamese (a list's place counted from 1, as people
    count); a step of another shape as it is."""
    place = step.removeprefix("At index ")
    if place != step and place.isdigit():
        return f"Phần tử thứ {int(place) + 1}"
    for en, vi in _TRAIL_VI.items():
        if step.startswith(en):
            return vi + step[len(en) :]
    return step


class InputFileError(ParindexError):
    """A file is missing, unreadable, not UTF-8 or not well-formed YAML."""


class IndexDefinitionError(ParindexError):
    """The index (criteria.yaml) or a rule pack breaks the format."""


class SubmissionError(ParindexError):
    """A unit's self-assessment or a campaign, survey or council file is wrong."""


class WorkflowError(ParindexError):
    """A transition or change the workflow does not allow in the current state."""


class StorageError(ParindexError):
    """The store cannot be opened, migrated, read or written."""


class ConflictError(StorageError):
    """The record changed since it was read: reload and try again."""


class AccessError(ParindexError):
    """Sign-in failed, or the account may not do this (the web app answers 401/403)."""


class EngineError(ParindexError):
    """The rule engine failed or disagreed with itself; always a bug in parindex."""


class ErrorList(ParindexError):
    """Several errors found in one pass; ``errors`` keeps them all, in file order."""

    def __init__(self, errors: Iterable[ParindexError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.message, first.location, first.suggestion, vi=first.vi)

    def reason(self, lang: str = "vi") -> str:
        return "; ".join(e.reason(lang) for e in self.errors)

    def text(self, lang: str = "vi") -> str:
        return "\n".join(e.text(lang) for e in self.errors)

    def __str__(self) -> str:
        return self.text("en")

    @staticmethod
    def of(errors: Iterable[ParindexError]) -> ParindexError:
        """One error as itself, several as an ErrorList (flattening nested lists)."""
        flat: list[ParindexError] = []
        for e in errors:
            flat.extend(e.errors if isinstance(e, ErrorList) else [e])
        return flat[0] if len(flat) == 1 else ErrorList(flat)


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if any is close enough."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_id(
    what: str,
    key: object,
    known: Iterable[str],
    where: str = "",
    location: Location | None = None,
    *,
    vi: tuple[str, str] | None = None,
) -> SubmissionError:
    """The error for an id looked up and not found among ``known``, naming the closest one.

    Every "no unit X (did you mean …)" of parindex is made here, for units, campaigns and
    nodes alike: ``unknown_id("no unit", "so-tai-chnh", ids, "in campaign 'langson-2019'")``
    reads ``no unit 'so-tai-chnh' in campaign 'langson-2019' (did you mean 'so-tai-chinh'?)``.
    ``vi`` gives the same two parts in Vietnamese, ``("không có đơn vị", "trong đợt …")``.
    """
    message = f"{what} {key!r}" + (f" {where}" if where else "")
    said = None
    if vi is not None:
        said = f"{vi[0]} {key!r}" + (f" {vi[1]}" if vi[1] else "")
    return SubmissionError(message, location, suggest(str(key), known), vi=said)
