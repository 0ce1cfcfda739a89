"""The times records are stamped with: UTC, to the millisecond.

MongoDB keeps a date to the millisecond (BSON dates), so a time with microseconds is
answered one way when a record is created and another when it is read back. Stamping
records with :func:`utc_now` makes both answers the same.
"""

from __future__ import annotations

from datetime import UTC, datetime


def stored_time(moment: datetime) -> datetime:
    """``moment`` in UTC, truncated to the millisecond as MongoDB stores it (a naive
    time is taken to be UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def utc_now() -> datetime:
    """Now, as a record stamped with it will be read back."""
    return stored_time(datetime.now(UTC))
