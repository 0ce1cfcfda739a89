"""The main dashboard: a month's headline figures from every service in one answer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from analytics.api.deps import ComponentsDep, Month, ReportsReader, team_scope
from analytics.operations.rendering.charts import MEDIA_TYPES, ChartFormat, render
from analytics.operations.rendering.dashboard import dashboard_figure
from analytics.operations.reporting import Dashboard, dashboard

router = APIRouter(prefix="/api/v1/dashboards", tags=["dashboards"])


@router.get("/main", response_model=Dashboard)
async def get_main_dashboard(
    parts: ComponentsDep, principal: ReportsReader, period: Month = None
) -> Dashboard:
    """Customers, pipeline, revenue, win rate, campaign ROI and support KPIs of a month
    (default: this month); a sales manager's sales figures cover their team."""
    today = datetime.now(UTC).date()
    return await dashboard(parts.store, period, today, team=team_scope(principal))


@router.get(
    "/main/chart",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
async def get_main_dashboard_chart(
    parts: ComponentsDep,
    principal: ReportsReader,
    period: Month = None,
    format: Annotated[ChartFormat, Query()] = "png",
) -> Response:
    today = datetime.now(UTC).date()
    figures = await dashboard(parts.store, period, today, team=team_scope(principal))
    image = await asyncio.to_thread(lambda: render(dashboard_figure(figures), format))
    return Response(image, media_type=MEDIA_TYPES[format])
