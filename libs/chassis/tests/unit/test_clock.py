"""Records are stamped to the millisecond, the precision MongoDB keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from crm_chassis.clock import stored_time, utc_now


def test_now_is_utc_to_the_millisecond() -> None:
    now = utc_now()
    assert now.tzinfo is UTC
    assert now.microsecond % 1000 == 0


def test_a_stored_time_is_utc_truncated_to_the_millisecond() -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 20, 18, 0, 0, 123_999, tzinfo=beijing)
    assert stored_time(moment) == datetime(2026, 11, 20, 10, 0, 0, 123_000, tzinfo=UTC)
    assert stored_time(moment).tzinfo is UTC
    naive = datetime(2026, 11, 20, 10, 0, 0, 999_999)
    assert stored_time(naive) == datetime(2026, 11, 20, 10, 0, 0, 999_000, tzinfo=UTC)
