"""Local time: deadlines met in the campaign's zone, effective times checked, times shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.campaign.appraisal_files import ExplanationEntry
from scoring.errors import ParindexError, SubmissionError, WorkflowError
from scoring.sources import clock
from scoring.store import appraisal, campaigns, imports, moves
from scoring.store.appraisal import AppraisalChange
from tests.support.paths import MINI
from tests.support.stores import at

HANOI = "Asia/Ho_Chi_Minh"


def local(text: str, tz: str = HANOI) -> dt.datetime:
    """An aware time written as local wall-clock time in ``tz``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=clock.zone(tz))


def _campaign(store, folder: Path, zone: str | None) -> str:  # type: ignore[no-untyped-def]
    """The mini campaign (due 30/11, explanations 12/12) in ``zone``; returns its id."""
    camp = folder / "campaign.yaml"
    text = camp.read_text(encoding="utf-8").replace("late_submission: flag", "")
    if zone is not None:
        text += f"time_zone: {zone}\n"
    camp.write_text(text + "late_submission: refuse\n", encoding="utf-8")
    report = imports.import_folder(store, folder, actor="snv", now=at("2018-11-20"))
    assert report.created and not report.errors
    return report.campaign


DEADLINE_CASES = [  # (zone, local time, late?)
    (None, "2018-11-30T23:30", False),  # Hà Nội (the default): 16:30 UTC, the due day
    (None, "2018-12-01T01:00", True),  # Hà Nội: 18:00 UTC on the due day, but late
    (HANOI, "2018-11-30T00:00", False),
    ("America/New_York", "2018-11-30T23:30", False),  # 04:30 UTC the next day: on time
    ("America/New_York", "2018-12-01T00:01", True),
]


@pytest.mark.parametrize(("zone", "when", "late"), DEADLINE_CASES)
def test_submission_deadline_is_a_day_in_the_campaigns_zone(
    store,  # type: ignore[no-untyped-def]
    mini_copy: Path,
    zone: str | None,
    when: str,
    late: bool,
) -> None:
    """A file submitted on the due day in the campaign's zone is on time, the next day late
    (refused here), whatever the UTC date."""
    cid = _campaign(store, mini_copy, zone)
    now = local(when, zone or HANOI)
    if late:
        with pytest.raises(WorkflowError, match="refuses late files"):
            moves.submit(store, cid, "a", actor="a", now=now)
    else:
        row = moves.submit(store, cid, "a", actor="a", now=now)
        assert row.state == "submitted" and not row.late


@pytest.mark.parametrize(("zone", "when", "late"), DEADLINE_CASES)
def test_explanation_deadline_is_a_day_in_the_campaigns_zone(
    store,  # type: ignore[no-untyped-def]
    mini_copy: Path,
    zone: str | None,
    when: str,
    late: bool,
) -> None:
    """An explanation on the explanation due day in the campaign's zone is accepted, one on
    the next local day refused."""
    cid = _campaign(store, mini_copy, zone)
    for uid in "abc":
        moves.submit(store, cid, uid, actor=uid, now=at("2018-11-28"))
    moves.advance_campaign(store, cid, "appraisal", actor="snv", now=at("2018-12-01"))
    change = AppraisalChange("1.4", Decimal(6), "Sai số liệu", "x")
    appraisal.appraise(store, cid, "a", "1", [change], actor="x", now=at("2018-12-05"))
    for to in ("appraised_1", "explanation"):
        moves.advance_unit(store, cid, "a", to, actor="snv", now=at("2018-12-06"))
    # the same wall-clock times, twelve days on (the explanation deadline is 12/12)
    moment = local(when, zone or HANOI) + dt.timedelta(days=12)
    entry = [ExplanationEntry(node="1.4", text="t")]
    if late:
        with pytest.raises(WorkflowError, match="deadline 12/12/2018 has passed"):
            appraisal.respond(store, cid, "a", entry, actor="a", now=moment)
    else:
        appraisal.respond(store, cid, "a", entry, actor="a", now=moment)


def test_unknown_time_zone_in_campaign_yaml_is_located(mini_copy: Path) -> None:
    """A campaign.yaml naming an unknown zone is refused at its file and line, with the
    nearest known name."""
    from scoring.campaign.folder import read_campaign_file

    camp = mini_copy / "campaign.yaml"
    lines = camp.read_text(encoding="utf-8").splitlines()
    camp.write_text("\n".join([*lines, "time_zone: Asia/Ho_Chi_Mihn"]) + "\n", encoding="utf-8")
    with pytest.raises(ParindexError) as info:
        read_campaign_file(mini_copy)
    message = str(info.value)
    assert f"campaign.yaml:{len(lines) + 1}:" in message
    assert "unknown time zone 'Asia/Ho_Chi_Mihn'" in message and "Asia/Ho_Chi_Minh" in message


@pytest.mark.parametrize("name", ["Mars/Olympus", "ICT", "../../etc/passwd", "", "asia"])
def test_unknown_time_zone_names_are_refused(name: str) -> None:
    """Only IANA zone names are zones: no abbreviations, paths or made-up names."""
    with pytest.raises(SubmissionError, match="unknown time zone"):
        clock.zone(name or "x")


def test_campaign_create_records_its_zone(store) -> None:  # type: ignore[no-untyped-def]
    """create keeps the zone it was given, and refuses an unknown one."""
    row = campaigns.create(
        store,
        "ny",
        2018,
        MINI / "criteria.yaml",
        MINI / "rules",
        time_zone="America/New_York",
        actor="snv",
        now=at("2018-11-01"),
    )
    assert row.time_zone == "America/New_York"
    assert campaigns.status(store, "ny")["time_zone"] == "America/New_York"
    with pytest.raises(SubmissionError, match=r"--time-zone.*unknown time zone"):
        campaigns.create(
            store,
            "bad",
            2018,
            MINI / "criteria.yaml",
            MINI / "rules",
            time_zone="Asia/Hanoi-ish",
            actor="snv",
            now=at("2018-11-01"),
        )


EFFECTIVE_CASES = [  # (effective time, problem or None)
    ("2018-11-20T08:00:00+00:00", None),  # the moment it opened
    ("2018-11-25T10:00:00+07:00", None),
    ("2018-11-20T07:59:59+00:00", "before the campaign opened"),
    ("2030-01-01T00:00:00+00:00", "in the future"),
]


@pytest.mark.parametrize(("when", "problem"), EFFECTIVE_CASES)
def test_effective_time_is_not_future_nor_before_the_opening(
    when: str, problem: str | None
) -> None:
    """An effective time must lie between the campaign's opening and the machine's clock."""
    now = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    check = dict(opened="2018-11-20T08:00:00+00:00", tz=HANOI, now=now)
    moment = dt.datetime.fromisoformat(when)
    if problem is None:
        clock.check_effective(moment, **check)  # type: ignore[arg-type]
    else:
        with pytest.raises(WorkflowError, match=problem):
            clock.check_effective(moment, **check)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "tz", "utc"),
    [
        ("2018-11-30T23:30", None, "2018-11-30T16:30:00+00:00"),  # naive: Hà Nội
        ("2018-11-30", None, "2018-11-29T17:00:00+00:00"),  # a date: its local midnight
        ("2018-11-30T23:30", "America/New_York", "2018-12-01T04:30:00+00:00"),
        ("2018-11-30T23:30+00:00", "America/New_York", "2018-11-30T23:30:00+00:00"),
    ],
)
def test_naive_times_are_read_in_the_zone(text: str, tz: str | None, utc: str) -> None:
    """A time without an offset is wall-clock time in the campaign's zone, not UTC."""
    assert clock.parse(text, tz).astimezone(dt.UTC).isoformat() == utc


@pytest.mark.parametrize(
    ("value", "tz", "shown"),
    [
        ("2018-11-30T16:30:00+00:00", None, "30/11/2018 23:30"),
        ("2018-11-30T18:00:00+00:00", HANOI, "01/12/2018 01:00"),
        ("2018-12-01T04:30:00+00:00", "America/New_York", "30/11/2018 23:30"),
        ("2018-11-30", None, "30/11/2018"),
        (dt.date(2018, 11, 30), None, "30/11/2018"),
        (None, None, ""),
        ("not a time", None, "not a time"),
    ],
)
def test_show_writes_local_day_first_times(value: object, tz: str | None, shown: str) -> None:
    """Times for people are dd/mm/yyyy HH:MM in the zone; dates dd/mm/yyyy."""
    assert clock.show(value, tz) == shown
