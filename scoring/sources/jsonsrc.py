"""A unit file written as JSON: read with its positions, or as the YAML text the store keeps.

``load_json`` returns the data and a ``Source`` whose marks are the line and column of every key
and value in the JSON as written (as ``yamlsrc.load_yaml`` does for YAML), so later errors point
into the JSON. ``json_to_yaml`` writes the data back as YAML, numbers kept exact.

Both parse JSON with the limits ``yamlsrc`` applies to YAML (nesting depth, digits of a number,
no NaN or Infinity). Any problem is an ``InputFileError`` at the file, line and column of the
JSON as written: the standard ``json`` module alone would raise ``RecursionError`` on deep
nesting, ``ValueError`` on a 5,000-digit integer, and turn ``1e999999999`` into a billion-digit
YAML number.
"""

from __future__ import annotations

import bisect
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.errors import InputFileError, Location
from scoring.sources.yamlsrc import MAX_DEPTH, MAX_DIGITS, Path_, Source, dump_yaml

__all__ = ["json_to_yaml", "load_json"]


class _Refused(ValueError):
    """A literal the JSON decoder handed to a hook that the limits refuse."""

    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal, self.message = literal, message


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(text, f"number {text[:20]}… has more than {MAX_DIGITS} digits")
    return int(text)


def _float(text: str) -> Decimal:
    try:
        dec = Decimal(text)
    except InvalidOperation:  # the decoder only hands over valid JSON numbers: never reached
        raise _Refused(text, f"not a number: {text[:20]!r}") from None
    if dec and not -MAX_DIGITS <= dec.adjusted() < MAX_DIGITS:
        raise _Refused(
            text,
            f"number {text[:20]!r} is out of range "
            f"(at most {MAX_DIGITS} digits before or after the point)",
        )
    return dec


def _constant(text: str) -> Any:
    raise _Refused(text, f"{text} is not a number parindex accepts (write a finite number)")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(json.dumps(key), f"duplicate key {key!r}")
        out[key] = value
    return out


def _problem(data: Any) -> str | None:
    """What the limits refuse in parsed data: too deep, or a lone surrogate (``"\\ud800"``
    decodes to half a character that no file or database can store). Walked without recursion."""
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(node, dict):
            stack.extend((k, depth + 1) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and _SURROGATE.search(node):
            return f"text {node[:30]!r} holds an escaped lone surrogate (not a character)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _at(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def json_to_yaml(text: str, filename: str = "<input>") -> str:
    """The YAML text of a JSON document, or an InputFileError located in the JSON."""
    return dump_yaml(_parse(text, filename))


def load_json(text: str, filename: str = "<input>") -> tuple[Any, Source]:
    """Parse JSON text into plain data (as ``load_yaml`` returns it) and its Source map."""
    data = _parse(text, filename)
    return data, Source(filename, _Marks(text).of_document())


def _parse(text: str, filename: str) -> Any:
    try:
        data = json.loads(
            text,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"invalid JSON: {exc.msg}",
            Location(filename, exc.lineno, exc.colno),
            vi=f"JSON không hợp lệ: {exc.msg}",
        ) from None
    except _Refused as exc:  # the hooks get no position: the literal's first occurrence
        line, col = _at(text, max(text.find(exc.literal), 0))
        raise InputFileError(exc.message, Location(filename, line, col)) from None
    except RecursionError:
        raise InputFileError(
            f"nested deeper than {MAX_DEPTH} levels",
            Location(filename, 1, 1),
            vi=f"lồng sâu quá {MAX_DEPTH} cấp",
        ) from None
    if (problem := _problem(data)) is not None:
        raise InputFileError(problem, Location(filename, 1, 1))
    return data


_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"t": 4, "f": 5, "n": 4}  # true, false, null


class _Marks:
    """The (line, column) of every path of a document ``json.loads`` has already accepted.

    Keys are marked where the key starts and other values where they start, as ``yamlsrc``
    marks YAML; columns count characters, not bytes. Recursion is safe: ``_parse`` refused
    anything nested deeper than ``MAX_DEPTH``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [0, *(m.end() for m in re.finditer("\n", text))]
        self.marks: dict[Path_, tuple[int, int]] = {}

    def of_document(self) -> dict[Path_, tuple[int, int]]:
        self._value(0, ())
        return self.marks

    def _pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.lines, offset)
        return line, offset - self.lines[line - 1] + 1

    def _skip(self, i: int) -> int:
        m = _SPACE.match(self.text, i)
        return m.end() if m else i

    def _value(self, i: int, path: Path_) -> int:
        text = self.text
        i = self._skip(i)
        self.marks.setdefault(path, self._pos(i))
        c = text[i]
        if c == "{":
            return self._object(i + 1, path)
        if c == "[":
            return self._array(i + 1, path)
        if c == '"':
            return json.decoder.scanstring(text, i + 1)[1]  # type: ignore[attr-defined,no-any-return]
        if c in _LITERALS:
            return i + _LITERALS[c]
        m = _NUMBER.match(text, i)
        assert m is not None, "json.loads accepted the text"
        return m.end()

    def _object(self, i: int, path: Path_) -> int:
        text = self.text
        i = self._skip(i)
        if text[i] == "}":
            return i + 1
        while True:
            i = self._skip(i)
            key, end = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            self.marks[(*path, key)] = self._pos(i)
            i = self._skip(end) + 1  # past the colon
            i = self._skip(self._value(i, (*path, key)))
            if text[i] == "}":
                return i + 1
            i += 1  # past the comma

    def _array(self, i: int, path: Path_) -> int:
        text = self.text
        i = self._skip(i)
        if text[i] == "]":
            return i + 1
        n = 0
        while True:
            i = self._skip(self._value(i, (*path, n)))
            n += 1
            if text[i] == "]":
                return i + 1
            i += 1
