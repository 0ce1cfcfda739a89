"""Report schedules: created, changed, deleted and sent now, within the caller's team."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from analytics.components import Components
from analytics.domain.schedules import ReportSchedule, changed_schedule, new_schedule
from analytics.store.schedules import ScheduleStore
from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RecordNotFound


async def visible_schedule(
    schedules: ScheduleStore, schedule_id: str, team: str | None
) -> ReportSchedule:
    """The schedule, if the caller may see it: one limited to ``team`` sees only that
    team's schedules, and any other answers like an unknown one."""
    schedule = await schedules.get(schedule_id)
    if schedule is None or (team is not None and schedule.team != team):
        raise RecordNotFound("No such report schedule.")
    return schedule


async def create_schedule(
    schedules: ScheduleStore, fields: dict[str, Any], *, team: str | None, actor: str
) -> ReportSchedule:
    schedule = new_schedule(
        schedule_id=uuid.uuid4().hex, team=team, actor=actor, now=utc_now(), **fields
    )
    await schedules.insert(schedule)
    return schedule


async def change_schedule(
    schedules: ScheduleStore,
    schedule_id: str,
    changes: dict[str, object],
    *,
    team: str | None,
    expected_version: int | None,
) -> ReportSchedule:
    """Apply ``changes`` if the schedule is still at ``expected_version`` (any version
    when None); :class:`VersionConflict` otherwise."""
    schedule = await visible_schedule(schedules, schedule_id, team)
    updated = changed_schedule(schedule, changes, utc_now())
    expected = schedule.version if expected_version is None else expected_version
    return await schedules.save(updated, expected)


async def delete_schedule(
    schedules: ScheduleStore, schedule_id: str, *, team: str | None, expected_version: int | None
) -> None:
    await visible_schedule(schedules, schedule_id, team)
    await schedules.delete_at(schedule_id, expected_version)


async def send_now(
    parts: Components, schedule_id: str, *, team: str | None, now: datetime | None = None
) -> ReportSchedule:
    """E-mail the report now, outside its weekly slot (which stays as it is)."""
    schedule = await visible_schedule(parts.schedules, schedule_id, team)
    return await parts.delivery.deliver(schedule, now or utc_now(), on_schedule=False)
