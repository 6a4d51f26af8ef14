"""The error helpers: the closest id, and the one "not found (did you mean …)" error."""

from __future__ import annotations

from scoring.errors import Location, SubmissionError, unknown_id


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
