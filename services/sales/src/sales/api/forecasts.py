"""/api/v1/forecasts: weighted pipeline by period, rep and team; next quarter; weekly report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from sales.api.deps import ComponentsDep, ReadSales
from sales.api.visibility import restricted
from sales.components import Components
from sales.domain.forecast import (
    ForecastRow,
    Granularity,
    GroupBy,
    Quarter,
    WeeklyReport,
    forecast,
    next_quarter,
    weekly_report,
)
from sales.domain.opportunities import Opportunity

router = APIRouter(prefix="/api/v1/forecasts", tags=["forecasts"])

_SCAN = 50_000


class Forecast(BaseModel):
    granularity: Granularity
    group_by: GroupBy
    rows: list[ForecastRow]


class NextQuarterForecast(BaseModel):
    quarter: Quarter
    by_owner: list[ForecastRow]
    by_team: list[ForecastRow]


async def _opportunities(
    parts: Components, principal: Principal, query: dict[str, Any]
) -> list[Opportunity]:
    return await parts.opportunities.find(restricted(principal, query), limit=_SCAN)


@router.get("")
async def weighted_pipeline(
    principal: ReadSales,
    parts: ComponentsDep,
    granularity: Granularity = Granularity.QUARTER,
    group_by: GroupBy = GroupBy.NONE,
    close_from: date | None = None,
    close_to: date | None = None,
    team: str | None = None,
    owner_id: str | None = None,
) -> Forecast:
    """Open opportunities' ``amount x stage probability``, by expected close period."""
    query: dict[str, Any] = {"status": "open"}
    window = {
        k: v.isoformat() for k, v in (("$gte", close_from), ("$lte", close_to)) if v is not None
    }
    if window:
        query["expected_close"] = window
    query.update({k: v for k, v in {"team": team, "owner_id": owner_id}.items() if v is not None})
    rows = forecast(await _opportunities(parts, principal, query), granularity, group_by)
    return Forecast(granularity=granularity, group_by=group_by, rows=rows)


@router.get("/next-quarter")
async def next_quarter_forecast(principal: ReadSales, parts: ComponentsDep) -> NextQuarterForecast:
    quarter = next_quarter(utc_now().date())
    query = {
        "status": "open",
        "expected_close": {"$gte": quarter.start.isoformat(), "$lte": quarter.end.isoformat()},
    }
    found = await _opportunities(parts, principal, query)
    return NextQuarterForecast(
        quarter=quarter,
        by_owner=forecast(found, Granularity.QUARTER, GroupBy.OWNER),
        by_team=forecast(found, Granularity.QUARTER, GroupBy.TEAM),
    )


@router.get("/weekly-report")
async def weekly(
    principal: ReadSales,
    parts: ComponentsDep,
    week_of: Annotated[
        date | None, Query(description="Any day of the week; default this week")
    ] = None,
) -> WeeklyReport:
    day = week_of or utc_now().date()
    start = day - timedelta(days=day.weekday())
    since = datetime(start.year, start.month, start.day, tzinfo=UTC)
    # Open ones for the pipeline, plus anything touched during or after the week.
    query = {"$or": [{"status": "open"}, {"updated_at": {"$gte": since}}]}
    return weekly_report(await _opportunities(parts, principal, query), start)
