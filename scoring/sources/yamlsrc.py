"""Safe YAML reading that remembers where every value came from.

``load_yaml`` returns plain data (dicts, lists, str, int, Decimal, bool, date, None) and a
``Source`` that maps each path of keys and indexes back to its line and column, so that any
later error can point at the file and line. On top of ``yaml.SafeLoader`` it:

- refuses duplicate keys (``safe_load`` silently keeps the last one),
- refuses merge keys and any tag that is not a plain YAML type,
- reads every float as an exact ``Decimal`` from its text (never a binary float),
- stops alias bombs and runaway nesting with node-count and depth limits.

It is also parindex's one YAML writer: ``dump_yaml`` writes plain data (Decimals exactly,
Unicode kept) and ``canonical_yaml`` the canonical text of a unit file, the same data always
giving the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from scoring.errors import InputFileError, Location
from scoring.sources.numbers import fmt
from scoring.sources.text import nfc

Path_ = tuple[str | int, ...]

MAX_NODES = 2_000_000  # values built from one file, aliases counted each time they expand
MAX_DEPTH = 64
MAX_BYTES = 32 * 1024 * 1024
MAX_DIGITS = 30  # no count or score in an index needs more; huge ones would hang exact arithmetic

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


# libyaml's parser when PyYAML has it (about 10x faster); the same safe constructor either way
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """A loaded file: its name and the (line, column) of every path in it, 1-based."""

    file: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], trail: Sequence[str] = ()) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p and p not in self.marks:
            p = p[:-1]
        line, col = self.marks.get(p, (None, None))
        return Location(self.file, line, col, tuple(trail))


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be looked at. ``Path.is_dir`` raises
    on a name too long for the file system, a permission error or a NUL (ENAMETOOLONG, EACCES,
    ValueError): whatever then reads the path reports it, located."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def exists(path: Path) -> bool:
    """Whether ``path`` exists; False when it cannot be looked at (as ``is_dir``)."""
    try:
        path.stat()
    except (OSError, ValueError):
        return False
    return True


def read_text(path: Path) -> str:
    """The file's text as UTF-8, or an InputFileError naming the file."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Location(str(path), line),
            vi=f"không phải văn bản UTF-8 hợp lệ (byte 0x{data[exc.start]:02x} ở vị trí "
            f"{exc.start}); hãy lưu tệp với mã UTF-8",
        ) from None


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file within the size limit, or an InputFileError naming it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # /dev/zero never ends, a FIFO blocks for ever
            raise InputFileError(
                "not a regular file", Location(str(path)), vi="không phải tệp thông thường"
            )
        size = info.st_size
        if size > MAX_BYTES:
            raise InputFileError(
                f"file is {size} bytes; the limit is {MAX_BYTES}",
                Location(str(path)),
                vi=f"tệp có {size} byte; giới hạn là {MAX_BYTES} byte",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(
            "file not found", Location(str(path)), vi="không tìm thấy tệp"
        ) from None
    except IsADirectoryError:
        raise InputFileError(
            "is a directory, expected a file",
            Location(str(path)),
            vi="đây là thư mục, cần một tệp",
        ) from None
    except OSError as exc:
        raise InputFileError(
            f"cannot read: {exc.strerror}",
            Location(str(path)),
            vi=f"không đọc được tệp: {exc.strerror}",
        ) from None
    return data


def load_yaml_file(path: Path) -> tuple[Any, Source]:
    """Read and parse one YAML file."""
    return load_yaml(read_text(path), str(path))


def load_yaml(text: str, filename: str = "<input>") -> tuple[Any, Source]:
    """Parse YAML text into plain data and its Source map."""
    source = Source(filename)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, source
        builder = _Builder(loader, source)
        return builder.build(node, (), 0), source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = exc.problem or exc.context or "invalid YAML"
        raise InputFileError(
            f"invalid YAML: {msg}", Location(filename, line, col), vi=f"YAML không hợp lệ: {msg}"
        ) from None
    except yaml.YAMLError as exc:
        raise InputFileError(
            f"invalid YAML: {exc}", Location(filename), vi=f"YAML không hợp lệ: {exc}"
        ) from None
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader: Any, source: Source) -> None:
        self.loader = loader
        self.source = source
        self.count = 0

    def _fail(self, node: yaml.Node, message: str, vi: str) -> InputFileError:
        m = node.start_mark
        where = Location(self.source.file, m.line + 1, m.column + 1)
        return InputFileError(message, where, vi=vi)

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                node,
                f"more than {MAX_NODES} values (an alias bomb?)",
                f"quá {MAX_NODES} giá trị (tệp bị lặp tham chiếu?)",
            )
        if depth > MAX_DEPTH:
            raise self._fail(
                node, f"nested deeper than {MAX_DEPTH} levels", f"lồng sâu quá {MAX_DEPTH} cấp"
            )
        if node.tag not in _PLAIN_TAGS:
            raise self._fail(
                node,
                f"tag {node.tag!r} is not allowed: only plain YAML data",
                f"không được dùng thẻ {node.tag!r}: chỉ dữ liệu YAML thông thường",
            )
        self.source.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(
                    key_node, "merge keys (<<) are not supported", "không hỗ trợ khóa gộp (<<)"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(
                    key_node, "a key must be a plain value", "khóa phải là một giá trị đơn"
                )
            key = self._scalar(key_node)
            if not isinstance(key, str):
                # 1.1, 3, yes/no (YAML 1.1 booleans), dates: the key stays the text as written
                key = str(key_node.value)
            if key in out:
                raise self._fail(key_node, f"duplicate key {key!r}", f"khóa {key!r} bị lặp lại")
            key_path = (*path, key)
            m = key_node.start_mark
            self.source.marks[key_path] = (m.line + 1, m.column + 1)
            out[key] = self.build(value_node, key_path, depth + 1)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int"):
            return self._number(node)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise self._fail(
                node, f"invalid value: {exc}", f"giá trị không hợp lệ: {exc}"
            ) from None

    def _number(self, node: yaml.Node) -> int | Decimal:
        text = str(node.value).replace("_", "")
        if ":" in text:  # YAML 1.1 reads 1:30 as 90 (base 60): surely not what was meant
            raise self._fail(
                node,
                f"{node.value!r} is not a number (write it in quotes if it is text)",
                f"{node.value!r} không phải là số (nếu là văn bản, hãy đặt trong dấu nháy)",
            )
        if node.tag == "tag:yaml.org,2002:int":
            if len(text.lstrip("+-")) > MAX_DIGITS:
                raise self._fail(
                    node,
                    f"number {text[:20]}… has more than {MAX_DIGITS} digits",
                    f"số {text[:20]}… có quá {MAX_DIGITS} chữ số",
                )
            try:
                value = self.loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError) as exc:
                raise self._fail(
                    node, f"invalid number: {exc}", f"số không hợp lệ: {node.value!r}"
                ) from None
            return int(value)
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise self._fail(
                node,
                f"not a finite number: {node.value!r}",
                f"không phải số hữu hạn: {node.value!r}",
            ) from None
        if not dec.is_finite():
            raise self._fail(
                node,
                f"not a finite number: {node.value!r}",
                f"không phải số hữu hạn: {node.value!r}",
            )
        if dec and not -MAX_DIGITS <= dec.adjusted() < MAX_DIGITS:
            raise self._fail(
                node,
                f"number {node.value!r} is out of range (at most "
                f"{MAX_DIGITS} digits before or after the point)",
                f"số {node.value!r} vượt giới hạn (nhiều nhất {MAX_DIGITS} chữ số trước hoặc "
                "sau dấu thập phân)",
            )
        return dec


def dump_yaml(data: Any, fast: bool = False) -> str:
    """YAML text of plain data, Decimals written exactly (never through float), Unicode kept.

    ``fast`` uses libyaml's emitter (10× faster; its line breaks may differ from the Python
    emitter's, so files people read and compare keep the default)."""
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if fast else yaml.SafeDumper

    class _Dumper(base):  # type: ignore[misc]
        pass

    def _decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.Node:
        text = format(d, "f")
        tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
        return dumper.represent_scalar(tag, text)

    _Dumper.add_representer(Decimal, _decimal)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def canonical_yaml(
    head: Mapping[str, str],
    sections: Mapping[str, Mapping[str, Mapping[str, Any]]],
    comment: str = "",
) -> str:
    """The canonical YAML text of a record file such as a unit file (README, "Campaign
    directory"): ``comment`` on the first line, the ``head`` fields (slugs), then each section's
    records by quoted id, one field a line. Decimals are exact, dates ISO, text NFC and quoted
    (with escapes for what YAML refuses), a list field a block of flow mappings (a unit's
    evidence), an empty section ``{}``."""
    lines = [f"# {' '.join(nfc(comment).split())}"] if comment else []
    lines += [f"{key}: {_plain(value)}" for key, value in head.items()]
    for name, records in sections.items():
        lines.append(f"{name}:" if records else f"{name}: {{}}")
        for key, record in records.items():
            lines.append(f"  {_quote(key)}:")
            for field_name, value in record.items():
                if isinstance(value, list):
                    lines.append(f"    {field_name}:")
                    lines.extend(f"    - {_scalar(item, plain_keys=True)}" for item in value)
                else:
                    lines.append(f"    {field_name}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


# what YAML refuses even inside quotes, and the line breaks it would fold: written as escapes
_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEYWORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _plain(slug: str) -> str:
    """A slug as YAML reads it back as the same text: plain unless YAML would make it else."""
    typed = not re.fullmatch(r"[a-z][a-z0-9_-]*", slug) or slug in _KEYWORDS
    return _quote(slug) if typed else slug


def _quote(text: str) -> str:
    quoted = json.dumps(nfc(text), ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _scalar(value: Any, plain_keys: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else fmt(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = (f"{k if plain_keys else _quote(k)}: {_scalar(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return _quote(str(value))
