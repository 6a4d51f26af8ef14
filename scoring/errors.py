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
which is a bug (exit 3). ``suggest`` finds the "did you mean" of a misspelt id, and
``unknown_id`` makes the one error for an id looked up and not found.
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
        self, message: str, location: Location | None = None, suggestion: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.suggestion = suggestion

    def __str__(self) -> str:
        loc = self.location
        text = f"{loc.prefix()}: "
        if loc.trail:
            text += " ==> ".join(loc.trail) + " ==> "
        text += self.message
        if self.suggestion:
            text += f" (did you mean {self.suggestion!r}?)"
        return text


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
        super().__init__(first.message, first.location, first.suggestion)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

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
) -> SubmissionError:
    """The error for an id looked up and not found among ``known``, naming the closest one.

    Every "no unit X (did you mean …)" of parindex is made here, for units, campaigns and
    nodes alike: ``unknown_id("no unit", "so-tai-chnh", ids, "in campaign 'langson-2019'")``
    reads ``no unit 'so-tai-chnh' in campaign 'langson-2019' (did you mean 'so-tai-chinh'?)``.
    """
    message = f"{what} {key!r}" + (f" {where}" if where else "")
    return SubmissionError(message, location, suggest(str(key), known))
