"""Turning pydantic's validation errors into located parindex errors.

A pydantic ``loc`` names fields and list indexes, plus discriminator tags that do not exist in
the data; ``locate_loc`` walks the data along it, keeps what exists, and builds the breadcrumb
trail by ids (``At Node(id='2.1') ==> At key: max``) that style.md asks for.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.errors import Location, ParindexError, suggest
from scoring.sources.numbers import said_value
from scoring.sources.yamlsrc import Source

_LABELS = {
    "tree": "Area",
    "children": "Node",
    "groups": "Group",
    "classification": "Class",
    "checks": "Check",
    "bonuses": "Bonus",
    "penalties": "Penalty",
    "units": "Unit",
    "answers": "Answer",
    "adjustments": "Adjustment",
}


def trail_for(data: Any, path: Sequence[str | int]) -> tuple[str, ...]:
    """The breadcrumb trail of ``path`` in ``data``: items by id, other steps by key/index."""
    trail: list[str] = []
    cur = data
    parent_key: str | int | None = None
    for step in path:
        if isinstance(cur, dict) and step in cur:
            cur = cur[step]
            if parent_key in ("answers", "adjustments", "units") and isinstance(cur, dict):
                trail.append(f"{_LABELS[str(parent_key)]}(id={step!r})")
            else:
                trail.append(f"At key: {step}")
        elif isinstance(cur, list) and isinstance(step, int) and 0 <= step < len(cur):
            cur = cur[step]
            if isinstance(cur, dict) and isinstance(cur.get("id"), str | int):
                trail.append(f"{_LABELS.get(str(parent_key), 'Item')}(id={str(cur['id'])!r})")
            else:
                trail.append(f"At index {step}")
        else:
            trail.append(f"At key: {step}")
            break
        parent_key = step
    return tuple(t for t in trail if t not in ("At key: tree", "At key: children"))


def data_path(data: Any, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """The part of a pydantic ``loc`` that exists in ``data`` (tags and wrappers dropped)."""
    out: list[str | int] = []
    cur = data
    for step in loc:  # steps missing from the data (discriminator tags, wrappers) are skipped
        if isinstance(cur, dict) and step in cur:
            cur = cur[step]
            out.append(step)
        elif isinstance(cur, list) and isinstance(step, int) and 0 <= step < len(cur):
            cur = cur[step]
            out.append(step)
    return tuple(out)


def _message(err: dict[str, Any]) -> tuple[str, str | None]:
    kind = err.get("type", "")
    loc = err.get("loc", ())
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}", None
    if kind == "missing":
        return f"required key {loc[-1]!r} is missing", None
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return (
            f"unknown rule kind {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}",
            None,
        )
    if kind == "union_tag_not_found":
        return "a rule needs a 'kind'", None
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    return f"{msg}, got {err.get('input')!r}" if kind.endswith("_type") else msg, None


def _message_vi(err: dict[str, Any]) -> str | None:
    """The Vietnamese words of a pydantic error by its type; ``None`` where the words are a
    validator's own (they stay as written)."""
    kind = str(err.get("type", ""))
    loc = err.get("loc", ())
    ctx = err.get("ctx") or {}
    got = f", nhận {said_value(err.get('input'))}"
    if kind == "extra_forbidden":
        return f"không có khóa {loc[-1]!r} ở đây"
    if kind == "missing":
        return f"thiếu khóa bắt buộc {loc[-1]!r}"
    if kind == "union_tag_invalid":
        return f"không có loại quy tắc {ctx.get('tag')!r}; cần một trong {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "quy tắc cần có khóa 'kind'"
    bounds = {
        "greater_than_equal": ("lớn hơn hoặc bằng", "ge"),
        "greater_than": ("lớn hơn", "gt"),
        "less_than_equal": ("nhỏ hơn hoặc bằng", "le"),
        "less_than": ("nhỏ hơn", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"phải {words} {said_value(ctx.get(key))}{got}"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        least = kind.endswith("short")
        n = ctx.get("min_length" if least else "max_length")
        what = "ký tự" if kind.startswith("string") else "phần tử"
        if least and n == 1:
            return "không được để trống"
        return f"cần {'ít' if least else 'nhiều'} nhất {n} {what}"
    if kind in ("literal_error", "enum"):
        return f"phải là một trong {ctx.get('expected')}{got}"
    if kind == "string_pattern_mismatch":
        return f"không đúng dạng {ctx.get('pattern')!r}{got}"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"quá nhiều chữ số{got}"
    if kind == "decimal_max_places":
        return f"nhiều nhất {ctx.get('decimal_places')} chữ số thập phân"
    expected = {
        "int": "một số nguyên",
        "float": "một số",
        "decimal": "một số",
        "finite_number": "một số hữu hạn",
        "bool": "có (true) hoặc không (false)",
        "string": "một đoạn văn bản",
        "date": "một ngày (yyyy-mm-dd)",
        "datetime": "ngày và giờ (yyyy-mm-ddTHH:MM)",
        "list": "một danh sách",
        "dict": "một bảng khóa: giá trị",
        "model": "một bảng khóa: giá trị",
    }
    for prefix, words in expected.items():
        if kind == prefix or kind.startswith(prefix + "_"):
            return f"cần {words}{got}"
    return None


def validate(
    cls: type[BaseModel],
    data: Any,
    source: Source,
    error: type[ParindexError],
    base: Sequence[str | int] = (),
    root: Any = None,
) -> Any:
    """``cls`` built from ``data``, or every problem as located errors (raised as a list)."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise to_errors(cls, exc, data, source, error, base, root) from None


def to_errors(
    cls: type[BaseModel],
    exc: ValidationError,
    data: Any,
    source: Source,
    error: type[ParindexError],
    base: Sequence[str | int] = (),
    root: Any = None,
) -> ParindexError:
    """A pydantic ``ValidationError`` as parindex errors, each located at the file, line and
    field it names (``base``: where ``data`` sits inside ``root``)."""
    from scoring.errors import ErrorList

    whole = data if root is None else root
    errors: list[ParindexError] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = (*base, *data_path(data, loc))
        msg, _ = _message(dict(err))
        sugg = None
        if err.get("type") == "extra_forbidden":
            parent = path[:-1] if path and path[-1] == loc[-1] else path
            sugg = suggest(str(loc[-1]), all_fields(cls))
            path = (*parent, loc[-1])
        elif err.get("type") == "missing":
            path = (*path, loc[-1]) if path[-1:] != (loc[-1],) else path
        trail = trail_for(whole, path)
        located: Location = source.locate(path, trail)
        errors.append(error(msg, located, sugg, vi=_message_vi(dict(err))))
    unique = list({str(e): e for e in errors}.values())
    return ErrorList.of(unique)


@functools.cache
def all_fields(cls: type[BaseModel]) -> frozenset[str]:
    """Every field name of ``cls`` and of the models nested in it (for "did you mean")."""
    names: set[str] = set()
    todo: list[Any] = [cls]
    seen: set[Any] = set()
    while todo:
        t = todo.pop()
        if t in seen:
            continue
        seen.add(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            for name, f in t.model_fields.items():
                names.add(name)
                todo.append(f.annotation)
            # a field typed by a base record takes its subclasses (each rule kind's record)
            todo.extend(t.__subclasses__())
        else:
            todo.extend(typing.get_args(t))
    return frozenset(names)
