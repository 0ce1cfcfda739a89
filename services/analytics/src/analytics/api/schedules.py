"""Report schedules: weekly e-mails of a report to a list of recipients (A-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel, Field

from analytics.api.deps import ComponentsDep, ReportsAdmin, team_scope
from analytics.domain.schedules import (
    Email,
    ExportFormat,
    ReportSchedule,
    ScheduledReport,
    ScheduleFilters,
    UndeliverableRecipients,
)
from analytics.operations import schedules
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Conflict, FieldError, ServiceUnavailable
from crm_chassis.inputs import InputModel
from crm_chassis.pagination import Page, PageDep, parse_sort

router = APIRouter(prefix="/api/v1/report-schedules", tags=["report schedules"])


class ScheduleCreate(InputModel):
    name: str = Field(min_length=1, max_length=200)
    report: ScheduledReport
    format: ExportFormat = "xlsx"
    recipients: list[Email] = Field(min_length=1, max_length=50)
    weekday: int = Field(default=0, ge=0, le=6, description="Monday = 0")
    hour: int = Field(default=8, ge=0, le=23, description="UTC")
    filters: ScheduleFilters = ScheduleFilters()


class SchedulePatch(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    report: ScheduledReport | None = None
    format: ExportFormat | None = None
    recipients: list[Email] | None = Field(default=None, min_length=1, max_length=50)
    weekday: int | None = Field(default=None, ge=0, le=6)
    hour: int | None = Field(default=None, ge=0, le=23)
    filters: ScheduleFilters | None = None


class ScheduleOut(BaseModel):
    id: str
    name: str
    report: ScheduledReport
    format: ExportFormat
    recipients: list[str]
    weekday: int
    hour: int
    filters: ScheduleFilters
    team: str | None
    next_run_at: datetime
    last_sent_at: datetime | None
    deliveries: int
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, schedule: ReportSchedule) -> ScheduleOut:
        return cls.model_validate(
            {**schedule.model_dump(), "recipients": list(schedule.recipients)}
        )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ScheduleOut)
async def create_schedule(
    body: ScheduleCreate, parts: ComponentsDep, principal: ReportsAdmin, response: Response
) -> ScheduleOut:
    schedule = await schedules.create_schedule(
        parts.schedules, dict(body), team=team_scope(principal), actor=principal.subject
    )
    response.headers["ETag"] = etag(schedule.version)
    response.headers["Location"] = f"{router.prefix}/{schedule.id}"
    return ScheduleOut.of(schedule)


@router.get("", response_model=Page[ScheduleOut])
async def list_schedules(
    parts: ComponentsDep,
    principal: ReportsAdmin,
    page: PageDep,
    report: ScheduledReport | None = None,
    sort: str | None = None,
) -> Page[ScheduleOut]:
    query: dict[str, object] = {}
    if report is not None:
        query["report"] = report
    team = team_scope(principal)
    if team is not None:
        query["team"] = team
    order = parse_sort(sort, ["created_at", "next_run_at", "name"], "next_run_at")
    found = await parts.schedules.page(query, sort=order, offset=page.offset, limit=page.limit)
    return Page[ScheduleOut](
        items=[ScheduleOut.of(s) for s in found.items],
        total=found.total,
        offset=found.offset,
        limit=found.limit,
    )


@router.get("/{schedule_id}", response_model=ScheduleOut)
async def get_schedule(
    schedule_id: str, parts: ComponentsDep, principal: ReportsAdmin, response: Response
) -> ScheduleOut:
    schedule = await schedules.visible_schedule(parts.schedules, schedule_id, team_scope(principal))
    response.headers["ETag"] = etag(schedule.version)
    return ScheduleOut.of(schedule)


@router.patch("/{schedule_id}", response_model=ScheduleOut)
async def update_schedule(
    schedule_id: str,
    body: SchedulePatch,
    parts: ComponentsDep,
    principal: ReportsAdmin,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ScheduleOut:
    expected = expected_version(if_match)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "filters" in changes:
        changes["filters"] = body.filters
    updated = await schedules.change_schedule(
        parts.schedules,
        schedule_id,
        changes,
        team=team_scope(principal),
        expected_version=expected,
    )
    response.headers["ETag"] = etag(updated.version)
    return ScheduleOut.of(updated)


@router.delete("/{schedule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_schedule(
    schedule_id: str,
    parts: ComponentsDep,
    principal: ReportsAdmin,
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    expected = expected_version(if_match)
    await schedules.delete_schedule(
        parts.schedules, schedule_id, team=team_scope(principal), expected_version=expected
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{schedule_id}/deliveries", status_code=status.HTTP_202_ACCEPTED)
async def send_schedule_now(
    schedule_id: str, parts: ComponentsDep, principal: ReportsAdmin
) -> ScheduleOut:
    """E-mail the report now, outside its weekly slot (which stays as it is). A schedule
    with a recipient that is no e-mail address answers 409 until its recipients are
    replaced."""
    try:
        sent = await schedules.send_now(parts, schedule_id, team=team_scope(principal))
    except UndeliverableRecipients as error:
        # Several fields, each named as stored (not as this request's body): more than
        # the chassis's one-field domain errors carry.
        raise Conflict(
            "The schedule has recipients that are not e-mail addresses; replace its "
            "recipients before sending it.",
            errors=[
                FieldError(field=f"recipients.{index}", reason=reason)
                for index, reason in sorted(error.reasons.items())
            ],
        ) from None
    except OSError as error:
        raise ServiceUnavailable(f"The mail server did not accept the report: {error}.") from None
    return ScheduleOut.of(sent)
