"""Safe, located YAML reading."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.campaign.folder import load_campaign
from scoring.errors import InputFileError
from scoring.sources.yamlsrc import canonical_yaml, load_yaml, load_yaml_file
from tests.support.fuzzing import bounded
from tests.support.paths import MINI


def test_floats_are_exact_decimals() -> None:
    """0.1 is read as Decimal('0.1'), never a binary float."""
    data, _ = load_yaml("a: 0.1\nb: 3\nc: 1.50\n")
    assert data == {"a": Decimal("0.1"), "b": 3, "c": Decimal("1.50")}
    assert isinstance(data["a"], Decimal)


def test_marks_are_one_based_lines_and_columns() -> None:
    """Every key and list item has its 1-based line and column."""
    _, src = load_yaml("top:\n  items:\n    - x: 1\n    - x: 2\n")
    assert src.marks[("top", "items", 1, "x")] == (4, 7)
    assert src.locate(("top", "items", 1, "missing")).line == 4


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "merge keys", 3),
        ("a: !!python/object/apply:os.system ['true']\n", "not allowed", 1),
        ("a: !!python/name:os.system\n", "not allowed", 1),
        ("a: [1, 2\n", "invalid YAML", 2),
        ("a: .inf\n", "not a finite number", 1),
        ("a: .nan\n", "not a finite number", 1),
        ("a: b: c\n", "invalid YAML", 1),
    ],
)
def test_bad_yaml_is_refused_with_a_line(text: str, message: str, line: int) -> None:
    """Duplicate keys, merges, object tags and malformed text fail with their line."""
    with pytest.raises(InputFileError) as exc:
        load_yaml(text, "f.yaml")
    assert message in str(exc.value)
    assert exc.value.location.line == line
    assert str(exc.value).startswith(f"f.yaml:{line}")


def test_alias_bomb_is_stopped() -> None:
    """A billion-laughs document stops at the node limit instead of eating memory."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(
            f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
            f"*{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
        )
    with pytest.raises(InputFileError, match="alias bomb"):
        load_yaml("\n".join(lines) + "\n")


def test_deep_nesting_is_stopped() -> None:
    """Runaway nesting is refused with a message, not a RecursionError."""
    with pytest.raises(InputFileError, match="nested deeper"):
        load_yaml("a: " + "[" * 200 + "]" * 200 + "\n")


def test_numeric_and_boolean_keys_keep_their_text() -> None:
    """Keys such as 1.1, 3 or yes stay the strings the author wrote."""
    data, _ = load_yaml("1.1: a\n3: b\nyes: c\n")
    assert data == {"1.1": "a", "3": "b", "yes": "c"}


def test_non_utf8_file(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are refused with the file and line."""
    p = tmp_path / "x.yaml"
    p.write_bytes(b"a: 1\nb: \xff\xfe\n")
    with pytest.raises(InputFileError) as exc:
        load_yaml_file(p)
    assert "not valid UTF-8" in str(exc.value)
    assert exc.value.location.line == 2


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """A missing path or a folder instead of a file gets a plain message."""
    with pytest.raises(InputFileError, match="file not found"):
        load_yaml_file(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="is a directory"):
        load_yaml_file(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1.0e+40\n", "out of range"),
        ("a: 1.0e+99999999\n", "out of range"),
        ("a: " + "7" * 4400 + "\n", "more than 30 digits"),
        ("a: 1:30\n", "is not a number"),
    ],
)
def test_numbers_too_big_to_compute_with_are_refused(text: str, message: str) -> None:
    """Numbers whose exact arithmetic would hang or overflow stop at reading."""
    with pytest.raises(InputFileError, match=message):
        load_yaml(text)


def test_anchors_and_aliases_are_plain_data() -> None:
    """A small alias is expanded like any value (only bombs are stopped)."""
    data, _ = load_yaml("a: &x {v: 1}\nb: *x\n")
    assert data == {"a": {"v": 1}, "b": {"v": 1}}


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_file_that_is_not_regular_is_refused_not_read(tmp_path: Path, kind: str) -> None:
    """A FIFO or a device as a unit file is refused at once (reading them hung for ever)."""
    if kind == "fifo":
        path = tmp_path / "u.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/null")  # /dev/zero hung too; /dev/null fails fast on a regression
    with bounded(5), pytest.raises(InputFileError, match="not a regular file") as exc:
        load_yaml_file(path)
    assert exc.value.location.file == str(path)


def test_campaign_naming_a_device_reports_the_unit_and_scores_the_others(tmp_path: Path) -> None:
    """`file: /dev/null` or /dev/zero in campaign.yaml spoils that unit only, never hangs."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    camp = folder / "campaign.yaml"
    text = camp.read_text(encoding="utf-8")
    camp.write_text(text.replace("{id: a, name", "{id: a, file: /dev/null, name"), "utf-8")
    with bounded(5):
        got = load_campaign(folder)
    assert "not a regular file" in str(got.errors["a"][0])
    assert set(got.submissions) == {"b", "c"}


def test_canonical_yaml_is_exact_and_reads_back() -> None:
    """The one YAML writer quotes ids, keeps decimals exact, writes lists as flow mappings and
    reads back (through load_yaml) as the same data, composed."""
    note = unicodedata.normalize("NFD", 'Sở "Tài chính"\nhai')
    answers = {
        "1.1": {"value": Decimal("91.30"), "na": False, "done_on": None},
        "1.2": {"evidence": [{"doc": "1/KH", "date": dt.date(2018, 1, 14)}], "note": note},
    }
    text = canonical_yaml({"unit": "yes", "index": "x-2018"}, {"answers": answers, "b": {}}, "c")
    lines = text.splitlines()
    assert lines[:4] == ["# c", 'unit: "yes"', "index: x-2018", "answers:"]
    assert '  "1.1":' in lines and "    value: 91.3" in lines and "b: {}" in lines
    assert '    - {doc: "1/KH", date: 2018-01-14}' in lines
    data, _ = load_yaml(text)
    assert data["unit"] == "yes" and data["answers"]["1.1"]["value"] == Decimal("91.3")
    assert data["answers"]["1.2"]["note"] == unicodedata.normalize("NFC", note)
    assert data["answers"]["1.2"]["evidence"] == [{"doc": "1/KH", "date": dt.date(2018, 1, 14)}]


def test_a_file_error_reads_in_vietnamese_and_in_english() -> None:
    """The reader of a unit's file gets the place and the words in the chosen language."""
    from scoring.errors import InputFileError

    with pytest.raises(InputFileError) as caught:
        load_yaml("unit: a\nunit: b\n", "u.yaml")
    assert caught.value.text("vi") == "u.yaml:2:1: khóa 'unit' bị lặp lại"
    assert caught.value.text("en") == "u.yaml:2:1: duplicate key 'unit'"
    with pytest.raises(InputFileError) as caught:
        load_yaml("a: [1, 2\n", "u.yaml")
    assert caught.value.reason("vi").startswith("YAML không hợp lệ: ")
