"""Unit files written as JSON: read under the YAML reader's limits, every refusal located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scoring.campaign.folder import parse_unit_file
from scoring.errors import InputFileError
from scoring.sources.jsonsrc import json_to_yaml
from tests.support.cli import run
from tests.support.paths import MINI

# (name, JSON text, message, line, column); each of the first three was a crash before
# (RecursionError, ValueError) found while fuzzing the JSON import
BAD_JSON = [
    ("deep array", "[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels", 1, 1),
    ("deep in answers", '{"unit": "a", "answers": ' + "[" * 900 + "]" * 900 + "}", "deeper", 1, 1),
    ("5000-digit integer", '{"unit": "a",\n "n": ' + "9" * 5000 + "}", "more than 30 digits", 2, 7),
    ("exponent bomb", '{"unit": "a", "n": 1e999999999}', "out of range", 1, 20),
    ("NaN", '{"unit": "a",\n "n": NaN}', "NaN is not a number", 2, 7),
    ("Infinity", '{"n": -Infinity}', "-Infinity is not a number", 1, 7),
    ("duplicate key", '{"unit": "a", "unit": "b"}', "duplicate key 'unit'", 1, 2),
    ("lone surrogate", '{"unit": "a\\ud800"}', "lone surrogate", 1, 1),
    ("not JSON", '{"unit": "a",,}', "invalid JSON: Expecting property name", 1, 14),
]


@pytest.mark.parametrize(("text", "message", "line", "col"), [b[1:] for b in BAD_JSON],
                         ids=[b[0] for b in BAD_JSON])  # fmt: skip
def test_bad_json_is_a_located_input_error(text: str, message: str, line: int, col: int) -> None:
    """Deep nesting, huge numbers, NaN, duplicate keys and bad syntax: InputFileError at a line."""
    with pytest.raises(InputFileError) as exc:
        json_to_yaml(text, "u.json")
    assert message in exc.value.message
    assert (exc.value.location.file, exc.value.location.line) == ("u.json", line)
    assert exc.value.location.column == col


def test_good_json_reads_as_the_same_unit_file() -> None:
    """Numbers stay exact and Vietnamese text is kept: the YAML reads back to the same answers."""
    text = '{"unit": "a", "answers": {"1.1": {"numerator": 0.1, "count": 3, "note": "Sở"}}}'
    uf = parse_unit_file(json_to_yaml(text, "a.json"), "a.yaml")[0]
    ans = uf.answers["1.1"]
    assert (ans.numerator, ans.count, ans.note) == (Decimal("0.1"), 3, "Sở")
    assert parse_unit_file(text, "a.json")[0] == uf  # the name ends in .json: read as JSON


@pytest.mark.parametrize(("text", "message"), [(b[1], b[2]) for b in BAD_JSON[:4]],
                         ids=[b[0] for b in BAD_JSON[:4]])  # fmt: skip
def test_bad_json_import_exits_1_without_traceback(tmp_path: Path, text: str, message: str) -> None:
    """`parindex import x.json` of each former crash: a located message and exit 1, not 3."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("--lang", "en", "--db", db, "import", str(MINI)).exit_code == 0
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    r = run("--lang", "en", "--db", db, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1, r.output
    assert f"{path}:" in r.output and message in r.output
    assert "internal error" not in r.output and "Traceback" not in r.output


def test_non_utf8_json_import_is_located(tmp_path: Path) -> None:
    """A JSON unit file in a legacy encoding (TCVN3/Windows-1258 bytes) names the byte and line."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("--lang", "en", "--db", db, "import", str(MINI)).exit_code == 0
    path = tmp_path / "a.json"
    path.write_bytes(b'{"unit": "a",\n "answers": {"1.1": {"note": "S\xf5"}}}')
    r = run("--lang", "en", "--db", db, "import", str(path), "--campaign", "mini-2018")
    assert r.exit_code == 1, r.output
    assert f"{path}:2: not valid UTF-8 (byte 0xf5" in r.output
