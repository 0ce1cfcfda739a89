from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from support.domain.calendar import (
    BusinessCalendar,
    WorkingHours,
    add_business_seconds,
    business_seconds_between,
)

HOUR = 3600


def shanghai_office(holidays: list[date] | None = None) -> BusinessCalendar:
    """Mon-Fri 09:00-12:00 and 13:00-18:00 in Shanghai (UTC+8)."""
    hours = [
        WorkingHours(weekday=day, start=start, end=end)
        for day in range(5)
        for start, end in ((time(9), time(12)), (time(13), time(18)))
    ]
    return BusinessCalendar(timezone="Asia/Shanghai", hours=hours, holidays=holidays or [])


def local(y: int, m: int, d: int, h: int) -> datetime:
    """A Shanghai wall-clock time, in UTC."""
    return datetime(y, m, d, h, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def test_deadline_skips_lunch_break_and_night() -> None:
    # Friday 17:00 + 3 business hours: 1 h Friday, then Monday 09:00-11:00.
    due = add_business_seconds(shanghai_office(), local(2026, 11, 6, 17), 3 * HOUR)
    assert due == local(2026, 11, 9, 11)


def test_deadline_skips_a_holiday() -> None:
    calendar = shanghai_office(holidays=[date(2026, 11, 9)])
    due = add_business_seconds(calendar, local(2026, 11, 6, 17), 3 * HOUR)
    assert due == local(2026, 11, 10, 11)


def test_time_before_opening_starts_counting_at_opening() -> None:
    due = add_business_seconds(shanghai_office(), local(2026, 11, 2, 7), HOUR)
    assert due == local(2026, 11, 2, 10)


def test_business_seconds_between_counts_only_working_time() -> None:
    calendar = shanghai_office()
    assert (
        business_seconds_between(calendar, local(2026, 11, 6, 11), local(2026, 11, 9, 10))
        == 7 * HOUR
    )  # Fri 11-12, 13-18; Mon 9-10


def test_around_the_clock_calendar_counts_wall_time() -> None:
    start = datetime(2026, 11, 7, 23, tzinfo=UTC)
    assert add_business_seconds(BusinessCalendar(), start, 2 * HOUR) == datetime(
        2026, 11, 8, 1, tzinfo=UTC
    )


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError):
        BusinessCalendar(timezone="Mars/Olympus")


def test_working_hours_must_end_after_they_start() -> None:
    with pytest.raises(ValidationError):
        WorkingHours(weekday=0, start=time(18), end=time(9))
