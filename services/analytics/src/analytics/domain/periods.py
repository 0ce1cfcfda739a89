"""Period keys used by the read models: months (``2026-11``), ISO weeks, quarters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

# Years 1900 to 2999: report periods of a business, and every month of them has a month
# after it that a date can hold (year 0 and the last month of 9999 have not).
MONTH_PATTERN = r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)


def month_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def day_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def week_of(moment: datetime | date) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"


def is_month(value: str) -> bool:
    return bool(_MONTH.match(value))


def next_quarter_months(today: date) -> list[str]:
    """The three month keys of the quarter after the one ``today`` is in."""
    first_month = ((today.month - 1) // 3 + 1) * 3 + 1
    year = today.year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    return [f"{year:04d}-{first_month + offset:02d}" for offset in range(3)]


def as_utc(moment: datetime) -> datetime:
    """Times read back from storage or events, always timezone-aware UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
