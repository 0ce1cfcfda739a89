"""Business hours and holidays: how much working time lies between two instants.

SLA targets are budgets of *business* seconds. A calendar says when the support desk
works (per weekday, in its own time zone) and which dates are holidays; a calendar
without any hours is open around the clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator, model_validator

MAX_DAYS_SCANNED = 3 * 366  # a deadline further away than this means a misconfigured calendar

# Kept as ISO strings when dumped, so a calendar stores in BSON (which has no date or time).
LocalTime = Annotated[time, PlainSerializer(lambda value: value.isoformat(), return_type=str)]
LocalDate = Annotated[date, PlainSerializer(lambda value: value.isoformat(), return_type=str)]


class WorkingHours(BaseModel):
    """One opening interval on a weekday (0 = Monday) in the calendar's time zone."""

    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6)
    start: LocalTime
    end: LocalTime

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class BusinessCalendar(BaseModel):
    """When the desk works. No ``hours`` at all means 24x7."""

    timezone: str = "UTC"
    hours: list[WorkingHours] = []
    holidays: list[LocalDate] = []

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value

    def is_always_open(self) -> bool:
        return not self.hours

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The UTC working intervals of one local date (none on holidays)."""
        if day in self.holidays:
            return []
        zone = ZoneInfo(self.timezone)
        found = [
            (
                datetime.combine(day, slot.start, zone).astimezone(UTC),
                datetime.combine(day, slot.end, zone).astimezone(UTC),
            )
            for slot in self.hours
            if slot.weekday == day.weekday()
        ]
        return sorted(found)


ALWAYS_OPEN = BusinessCalendar()


def _intervals_from(
    calendar: BusinessCalendar, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    local_day = start.astimezone(ZoneInfo(calendar.timezone)).date() - timedelta(days=1)
    for offset in range(MAX_DAYS_SCANNED):
        for opens, closes in calendar.intervals_on(local_day + timedelta(days=offset)):
            if closes > start:
                yield max(opens, start), closes
    raise ValueError("the calendar has no working time within three years")


def add_business_seconds(calendar: BusinessCalendar, start: datetime, seconds: float) -> datetime:
    """The instant when ``seconds`` of working time have passed after ``start``."""
    if calendar.is_always_open():
        return start + timedelta(seconds=seconds)
    remaining = timedelta(seconds=max(seconds, 0.0))
    for opens, closes in _intervals_from(calendar, start):
        if opens + remaining <= closes:
            return opens + remaining
        remaining -= closes - opens
    raise AssertionError("unreachable: _intervals_from raises when exhausted")


def business_seconds_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Working seconds in ``[start, end)``; zero when ``end`` is not after ``start``."""
    if end <= start:
        return 0.0
    if calendar.is_always_open():
        return (end - start).total_seconds()
    total = 0.0
    for opens, closes in _intervals_from(calendar, start):
        if opens >= end:
            break
        total += (min(closes, end) - opens).total_seconds()
    return total


class CalendarFields(BusinessCalendar):
    """A calendar kept by administrators and referred to by SLA policies."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class NamedCalendar(CalendarFields):
    id: str
