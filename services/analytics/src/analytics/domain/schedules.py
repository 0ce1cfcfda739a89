"""Scheduled reports: a report, its filters and format, e-mailed weekly to recipients."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, TypeAdapter, ValidationError

from analytics.domain.periods import as_utc
from crm_chassis.domain_errors import StateConflict
from crm_contracts.events.analytics import ReportDelivered
from crm_contracts.events.registry import EventData

# A real address check (email-validator), not a pattern: a pattern let control characters
# such as U+001D through, which the mail library then refuses in the To header.
Email = Annotated[EmailStr, Field(max_length=254)]
_EMAIL = TypeAdapter(Email)
ExportFormat = Literal["csv", "xlsx"]
ScheduledReport = Literal[
    "funnel", "performance", "revenue-trend", "forecast", "campaigns", "support"
]


class UndeliverableRecipients(StateConflict):
    """Stored recipients that are no e-mail address (kept from before addresses were checked
    when stored): the report cannot be mailed until they are replaced (409). ``reasons``
    says why, by the recipient's position."""

    def __init__(self, reasons: dict[int, str]) -> None:
        super().__init__(f"{len(reasons)} recipient(s) are not valid e-mail addresses")
        self.reasons = reasons


def recipient_problems(recipients: tuple[str, ...]) -> dict[int, str]:
    """Why each recipient that is not a valid address is refused, by its position."""
    problems: dict[int, str] = {}
    for index, recipient in enumerate(recipients):
        try:
            _EMAIL.validate_python(recipient)
        except ValidationError as error:
            problems[index] = str(error.errors()[0]["msg"])
    return problems


class ScheduleFilters(BaseModel):
    """Filters applied to the scheduled report; periods are the weeks before each run."""

    model_config = ConfigDict(extra="forbid")

    owner: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    pipeline: str | None = Field(default=None, max_length=200)
    group_by: Literal["owner", "team"] = "owner"


class ReportSchedule(BaseModel):
    """The stored schedule (the aggregate)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    report: ScheduledReport
    format: ExportFormat
    recipients: tuple[str, ...]
    weekday: int
    hour: int
    filters: ScheduleFilters
    team: str | None
    next_run_at: datetime
    last_sent_at: datetime | None = None
    deliveries: int = 0
    version: int = 1
    created_by: str
    created_at: datetime
    updated_at: datetime


def next_run(weekday: int, hour: int, after: datetime) -> datetime:
    """The first ``weekday`` (Monday = 0) at ``hour``:00 UTC strictly after ``after``."""
    after = as_utc(after)
    candidate = after.replace(hour=hour, minute=0, second=0, microsecond=0)
    candidate += timedelta(days=(weekday - after.weekday()) % 7)
    if candidate <= after:
        candidate += timedelta(days=7)
    return candidate


def new_schedule(
    *,
    schedule_id: str,
    name: str,
    report: ScheduledReport,
    format: ExportFormat,
    recipients: list[str],
    weekday: int,
    hour: int,
    filters: ScheduleFilters,
    team: str | None,
    actor: str,
    now: datetime,
) -> ReportSchedule:
    return ReportSchedule(
        id=schedule_id,
        name=name,
        report=report,
        format=format,
        recipients=tuple(dict.fromkeys(r.lower() for r in recipients)),
        weekday=weekday,
        hour=hour,
        filters=filters,
        team=team,
        next_run_at=next_run(weekday, hour, now),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )


def changed_schedule(
    schedule: ReportSchedule, changes: dict[str, object], now: datetime
) -> ReportSchedule:
    """The schedule with ``changes`` applied; a new day or hour moves the next run."""
    if "recipients" in changes:
        recipients = changes["recipients"]
        assert isinstance(recipients, list | tuple)
        changes["recipients"] = tuple(dict.fromkeys(str(r).lower() for r in recipients))
    updated = schedule.model_copy(update={**changes, "updated_at": now})
    if updated.weekday != schedule.weekday or updated.hour != schedule.hour:
        updated = updated.model_copy(
            update={"next_run_at": next_run(updated.weekday, updated.hour, now)}
        )
    return updated


def delivered(
    schedule: ReportSchedule, now: datetime, *, on_schedule: bool
) -> tuple[ReportSchedule, list[EventData]]:
    """Record a delivery; a scheduled one also moves the next run a week on."""
    changes: dict[str, object] = {"last_sent_at": now, "deliveries": schedule.deliveries + 1}
    if on_schedule:
        changes["next_run_at"] = next_run(schedule.weekday, schedule.hour, now)
    event = ReportDelivered(
        schedule_id=schedule.id,
        report=schedule.report,
        recipients=list(schedule.recipients),
        delivered_at=now,
    )
    return schedule.model_copy(update=changes), [event]


def report_window(now: datetime) -> tuple[str, str]:
    """The months a weekly e-mail covers: the month of the week before ``now`` and this one."""
    week_ago = as_utc(now) - timedelta(days=7)
    return f"{week_ago.year:04d}-{week_ago.month:02d}", f"{now.year:04d}-{now.month:02d}"
