"""The browser's time zone, and "today" as the console reckons it.

The console groups tasks by the reader's local day and counts days overdue from it, so
every browser context runs in one fixed zone (the product's default, not the host's),
and the tests reckon local dates in that same zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm_chassis.testing import wait_until

TIMEZONE_ID = "Asia/Shanghai"
ZONE = ZoneInfo(TIMEZONE_ID)


def local_now() -> datetime:
    return datetime.now(ZONE)


def local_today() -> date:
    return local_now().date()


# For a test asking for a due time today: it may first wait up to 2 minutes for the
# new day, beyond the default 120 s.
WAITS_FOR_THE_NEW_DAY = pytest.mark.timeout(300)


async def due_later_today(
    ahead: timedelta = timedelta(minutes=5), least: timedelta = timedelta(minutes=1)
) -> datetime:
    """A due time at least ``least`` from now and still surely today in the browser's
    zone: ``ahead`` from now, or half the time left today if that is sooner. Too close
    to midnight for ``least`` (under 2 minutes left by default), it waits for the new
    day first (a test calling it is marked WAITS_FOR_THE_NEW_DAY), so a task due then
    shows under today on the page the test opens next."""
    now = local_now()
    left = _midnight_after(now) - now
    if left / 2 < least:
        today = now.date()
        await wait_until(
            lambda: local_today() != today,
            timeout=left.total_seconds() + 5,
            interval=0.5,
            what="the new day in the browser's zone",
        )
        now = local_now()
        left = _midnight_after(now) - now
    return now + min(ahead, left / 2)


def _midnight_after(moment: datetime) -> datetime:
    next_day = moment.date() + timedelta(days=1)
    return datetime(next_day.year, next_day.month, next_day.day, tzinfo=ZONE)
