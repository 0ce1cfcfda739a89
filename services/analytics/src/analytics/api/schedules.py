"""Report schedules: weekly e-mails of a report to a list of recipients (A-5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel, Field

from analytics.api.deps import ComponentsDep, ReportsAdmin, team_scope
from analytics.components import Components
from analytics.domain.schedules import (
    Email,
    ExportFormat,
    ReportSchedule,
    ScheduledReport,
    ScheduleFilters,
    UndeliverableRecipients,
    changed_schedule,
    new_schedule,
)
from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import (
    Conflict,
    FieldError,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
)
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


def _visible(schedule: ReportSchedule | None, principal: Principal) -> ReportSchedule:
    team = team_scope(principal)
    if schedule is None or (team is not None and schedule.team != team):
        raise NotFound("No such report schedule.")
    return schedule


async def _load(parts: Components, schedule_id: str, principal: Principal) -> ReportSchedule:
    return _visible(await parts.schedules.get(schedule_id), principal)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ScheduleOut)
async def create_schedule(
    body: ScheduleCreate, parts: ComponentsDep, principal: ReportsAdmin, response: Response
) -> ScheduleOut:
    schedule = new_schedule(
        schedule_id=uuid.uuid4().hex,
        name=body.name,
        report=body.report,
        format=body.format,
        recipients=body.recipients,
        weekday=body.weekday,
        hour=body.hour,
        filters=body.filters,
        team=team_scope(principal),
        actor=principal.subject,
        now=utc_now(),
    )
    await parts.schedules.insert(schedule)
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
    schedules, total = await parts.schedules.page(query, order, page.offset, page.limit)
    return Page[ScheduleOut](
        items=[ScheduleOut.of(s) for s in schedules],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{schedule_id}", response_model=ScheduleOut)
async def get_schedule(
    schedule_id: str, parts: ComponentsDep, principal: ReportsAdmin, response: Response
) -> ScheduleOut:
    schedule = await _load(parts, schedule_id, principal)
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
    schedule = await _load(parts, schedule_id, principal)
    if expected is not None and schedule.version != expected:
        raise PreconditionFailed("The schedule has changed; read it again.")
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "filters" in changes:
        changes["filters"] = body.filters
    updated = changed_schedule(schedule, changes, utc_now())
    if not await parts.schedules.replace(updated, schedule.version):
        raise PreconditionFailed("The schedule has changed; read it again.")
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
    await _load(parts, schedule_id, principal)
    if not await parts.schedules.delete(schedule_id, expected):
        raise PreconditionFailed("The schedule has changed; read it again.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{schedule_id}/deliveries", status_code=status.HTTP_202_ACCEPTED)
async def send_schedule_now(
    schedule_id: str, parts: ComponentsDep, principal: ReportsAdmin
) -> ScheduleOut:
    """E-mail the report now, outside its weekly slot (which stays as it is). A schedule
    with a recipient that is no e-mail address answers 409 until its recipients are
    replaced."""
    schedule = await _load(parts, schedule_id, principal)
    try:
        sent = await parts.delivery.deliver(schedule, utc_now(), on_schedule=False)
    except UndeliverableRecipients as error:
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
