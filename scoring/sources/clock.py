"""Time as a campaign lives it: its time zone, effective times, deadlines, and times for people.

A campaign has a time zone (``Asia/Ho_Chi_Minh`` unless it says otherwise). Times are stored
as aware ISO 8601 UTC text; a deadline (an ISO date) is met when the local date in the
campaign's zone is not after it, so 23:30 in Hà Nội on the due day is on time and 01:00 the
next day is late, whatever the UTC date. ``show`` is the one way a time is written for
people (CLI and web): dd/mm/yyyy HH:MM in the campaign's zone. JSON keeps the exact ISO text.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from scoring.errors import Location, SubmissionError, WorkflowError, suggest

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def system_now() -> dt.datetime:
    """The machine's clock, aware UTC (when a change is really written)."""
    return dt.datetime.now(dt.UTC)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: str | None, where: Location | None = None) -> ZoneInfo:
    """The time zone called ``name`` (IANA, e.g. Asia/Ho_Chi_Minh), or a located error
    with the nearest known names."""
    name = name or DEFAULT_ZONE
    try:
        if "/" in name or name == "UTC":  # never a path or a bare abbreviation like ICT
            return _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise SubmissionError(
        f"unknown time zone {name!r} (an IANA name such as {DEFAULT_ZONE})",
        where or Location("time_zone"),
        suggest(name, sorted(available_timezones())),
        vi=f"Không có múi giờ {name!r} (dùng tên IANA, ví dụ {DEFAULT_ZONE})",
    )


def check_zone(name: str) -> str:
    """``name`` if it is a known time zone (for validators: raises ValueError otherwise)."""
    try:
        zone(name)
    except SubmissionError as exc:
        hint = f"; did you mean {exc.suggestion}?" if exc.suggestion else ""
        raise ValueError(f"unknown time zone {name!r}{hint}") from None
    return name


def parse(text: str, tz: str | None, what: str = "--at") -> dt.datetime:
    """An ISO date or time as typed; without an offset it is read in the zone ``tz``."""
    try:
        t = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SubmissionError(
            f"{what}: not an ISO date or time: {text!r}",
            vi=f"{what}: {text!r} không phải ngày giờ theo dạng ISO (ví dụ 2019-11-20T09:00)",
        ) from None
    return t if t.tzinfo else t.replace(tzinfo=zone(tz))


def check_effective(
    at: dt.datetime, *, opened: str | None, tz: str | None, now: dt.datetime, what: str = "--at"
) -> None:
    """Refuse an effective time in the future, or before the campaign opened (``opened``: its
    stored created_at)."""
    if at > now:
        raise WorkflowError(
            f"{show(at, tz)} is in the future (it is now {show(now, tz)}): a change "
            "cannot be recorded as made later than it is written",
            Location(what),
            vi=f"{show(at, tz)} là thời điểm trong tương lai (bây giờ là {show(now, tz)}): "
            "không thể ghi nhận một thay đổi xảy ra sau lúc ghi",
        )
    if opened and at < dt.datetime.fromisoformat(opened):
        raise WorkflowError(
            f"{show(at, tz)} is before the campaign opened ({show(opened, tz)})",
            Location(what),
            vi=f"{show(at, tz)} là trước khi mở kỳ đánh giá ({show(opened, tz)})",
        )


def local_date(at: dt.datetime, tz: str | None) -> dt.date:
    """The calendar date of ``at`` in the zone ``tz`` (naive times are UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(zone(tz)).date()


def is_late(at: dt.datetime, due: str | None, tz: str | None) -> bool:
    """Whether ``at`` falls after the deadline ``due`` (an ISO date, the last day allowed) in
    the campaign's zone."""
    return bool(due) and local_date(at, tz).isoformat() > str(due)


def show(value: Any, tz: str | None = None) -> str:
    """A time for people: dd/mm/yyyy HH:MM in the zone ``tz``; a date as dd/mm/yyyy; None as
    ''; text that is not a date or time is returned as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    else:
        text = str(value)
        try:
            if "T" not in text and len(text) == 10:
                return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone(tz)).strftime("%d/%m/%Y %H:%M")
