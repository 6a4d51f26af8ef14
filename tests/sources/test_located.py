"""pydantic's validation errors as located parindex errors, in either language: the words a
Vietnamese officer reads by default, the English ones with --lang en (and in logs, str())."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from scoring.errors import ErrorList, Location, ParindexError, SubmissionError
from scoring.sources.located import validate
from scoring.sources.yamlsrc import load_yaml


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    numerator: int = Field(ge=0)
    share: Decimal = Field(le=Decimal("0.5"))
    done_on: date
    title: str = Field(min_length=1)


class _Unit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str
    answers: dict[str, _Answer]


TEXT = """\
unit: so-y-te
answers:
  1.1.1:
    numerator: -2
    share: 0.75
    done_on: hôm qua
    title: ""
    numbr: 3
"""


def _errors() -> list[ParindexError]:
    data, source = load_yaml(TEXT, "u.yaml")
    with pytest.raises(ParindexError) as caught:
        validate(_Unit, data, source, SubmissionError)
    exc = caught.value
    return exc.errors if isinstance(exc, ErrorList) else [exc]


def test_each_field_error_reads_in_vietnamese_with_its_place() -> None:
    """Every problem of the file is one located line; in Vietnamese the words and the trail."""
    texts = [e.text("vi") for e in _errors()]
    assert texts == [
        "u.yaml:4:5: Khóa: answers ==> Mục(id='1.1.1') ==> Khóa: numerator ==> "
        "phải lớn hơn hoặc bằng 0, nhận -2",
        "u.yaml:5:5: Khóa: answers ==> Mục(id='1.1.1') ==> Khóa: share ==> "
        "phải nhỏ hơn hoặc bằng 0,5, nhận 0,75",
        "u.yaml:6:5: Khóa: answers ==> Mục(id='1.1.1') ==> Khóa: done_on ==> "
        "cần một ngày (yyyy-mm-dd), nhận 'hôm qua'",
        "u.yaml:7:5: Khóa: answers ==> Mục(id='1.1.1') ==> Khóa: title ==> không được để trống",
        "u.yaml:8:5: Khóa: answers ==> Mục(id='1.1.1') ==> Khóa: numbr ==> "
        "không có khóa 'numbr' ở đây",
    ]


def test_the_same_errors_stay_english_for_english_readers_and_logs() -> None:
    """--lang en and str() keep pydantic's English words and the English trail."""
    errors = _errors()
    assert [e.text("en") for e in errors] == [str(e) for e in errors]
    first, last = str(errors[0]), str(errors[-1])
    assert first.startswith("u.yaml:4:5: At key: answers ==> Answer(id='1.1.1') ==> At key:")
    assert "greater than or equal to 0" in first
    assert last.endswith("unknown key 'numbr'")


def test_a_list_place_is_counted_from_one_in_vietnamese() -> None:
    """pydantic counts a list from 0; people count from 1."""
    e = SubmissionError("bad", Location("f.yaml", 3, 1, ("At key: units", "At index 0")), vi="sai")
    assert e.text("vi") == "f.yaml:3:1: Khóa: units ==> Phần tử thứ 1 ==> sai"
    assert e.text("en") == "f.yaml:3:1: At key: units ==> At index 0 ==> bad"
