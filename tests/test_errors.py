"""The errors: the closest id, the one "not found (did you mean …)" error, and their words
in the reader's language (reason, text), English for str."""

from __future__ import annotations

from scoring.errors import (
    AccessError,
    ConflictError,
    ErrorList,
    Location,
    StorageError,
    SubmissionError,
    WorkflowError,
    unknown_id,
)


def test_unknown_id_names_the_closest_id() -> None:
    """A misspelt unit id is refused with where it was looked for and the closest real id."""
    e = unknown_id("no unit", "so-tai-chnh", ["so-tai-chinh", "so-y-te"], "in campaign 'x'")
    assert isinstance(e, SubmissionError)
    assert e.message == "no unit 'so-tai-chnh' in campaign 'x'"
    assert e.suggestion == "so-tai-chinh"
    assert str(e).endswith("(did you mean 'so-tai-chinh'?)")


def test_unknown_id_without_a_close_id_or_place() -> None:
    """Nothing close gives no suggestion; the location given is kept."""
    e = unknown_id("no campaign", "zzz", ["langson-2018"], location=Location("store"))
    assert (e.message, e.suggestion, e.location.file) == ("no campaign 'zzz'", None, "store")


def test_reason_speaks_the_readers_language() -> None:
    """``reason`` is the message alone: Vietnamese on a vi page where the raiser gave its
    words, English on an en page; ``str`` stays English and located for the CLI and logs."""
    e = WorkflowError(
        "unit x cannot go from submitted to submitted",
        Location("store"),
        vi="Hồ sơ đã nộp, không thể nộp lại",
    )
    assert e.reason("vi") == "Hồ sơ đã nộp, không thể nộp lại"
    assert e.reason("en") == "unit x cannot go from submitted to submitted"
    assert str(e) == "store: unit x cannot go from submitted to submitted"
    assert e.text("vi") == "store: Hồ sơ đã nộp, không thể nộp lại"


def test_reason_falls_back_to_english_without_vietnamese_words() -> None:
    """An error raised without ``vi=`` reads in English on either page, never empty."""
    e = StorageError("index version abc is missing")
    assert e.reason("vi") == e.reason("en") == "index version abc is missing"


def test_text_carries_the_location_and_trail_in_both_languages() -> None:
    """``text`` puts file:line:col and the trail by ids before the reason, in ``lang``."""
    where = Location("units/a.yaml", 3, 5, ("Unit(id='a')", "answers"))
    e = SubmissionError("expected a number", where, vi="phải là một số")
    assert e.text("en") == "units/a.yaml:3:5: Unit(id='a') ==> answers ==> expected a number"
    assert e.text("vi") == "units/a.yaml:3:5: Đơn vị(id='a') ==> answers ==> phải là một số"


def test_the_suggestion_is_worded_in_the_readers_language() -> None:
    """A "did you mean" reads "có phải là …?" in Vietnamese, "did you mean …?" in English."""
    e = unknown_id(
        "no unit",
        "so-tai-chnh",
        ["so-tai-chinh"],
        "in campaign 'x'",
        vi=("Không có đơn vị", "trong kỳ đánh giá 'x'"),
    )
    assert e.reason("vi") == (
        "Không có đơn vị 'so-tai-chnh' trong kỳ đánh giá 'x' (có phải là 'so-tai-chinh'?)"
    )
    assert e.reason("en") == "no unit 'so-tai-chnh' in campaign 'x' (did you mean 'so-tai-chinh'?)"
    assert "có phải" not in str(e)


def test_an_error_list_speaks_each_error_in_the_readers_language() -> None:
    """Several errors: ``reason`` joins them with "; ", ``text`` one per line, each in the
    reader's language (an error without Vietnamese words in English); ``str`` is English."""
    both = ErrorList(
        [
            ConflictError("changed by someone else", vi="Bản ghi đã bị người khác thay đổi"),
            AccessError("wrong username or password"),
        ]
    )
    assert both.reason("vi") == "Bản ghi đã bị người khác thay đổi; wrong username or password"
    assert both.reason("en") == "changed by someone else; wrong username or password"
    assert both.text("vi").splitlines() == [
        "Bản ghi đã bị người khác thay đổi",
        "wrong username or password",
    ]
    assert "Bản ghi" not in str(both)
    assert ErrorList.of([both]).reason("vi") == both.reason("vi")
