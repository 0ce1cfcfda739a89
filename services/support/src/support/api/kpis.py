"""/api/v1/support-kpis: service KPIs of a period, overall, per agent and per team (T-7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from crm_chassis.errors import FieldError, InvalidInput
from support.api.deps import ReadReports, SupportDep
from support.domain.kpis import KpiReport
from support.operations.kpis import support_kpis

router = APIRouter(prefix="/api/v1/support-kpis", tags=["kpis"])

MAX_PERIOD = timedelta(days=366)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.get("")
async def get_kpis(
    support: SupportDep,
    _: ReadReports,
    period_start: Annotated[datetime | None, Query(alias="from")] = None,
    period_end: Annotated[datetime | None, Query(alias="to")] = None,
) -> KpiReport:
    """KPIs of the tickets opened in ``[from, to)``; the last 30 days by default."""
    end = _utc(period_end) if period_end else support.now()
    start = _utc(period_start) if period_start else end - timedelta(days=30)
    if not start < end <= start + MAX_PERIOD:
        raise InvalidInput(
            "The period must run forwards and last at most a year.",
            errors=[FieldError(field="query.from", reason="from < to <= from + 366 days")],
        )
    return await support_kpis(support, period_start=start, period_end=end)
