"""Report endpoints (A-1 to A-5): JSON with filters, charts, CSV/XLSX exports."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from analytics.api.deps import ComponentsDep, FiltersDep, ReportsReader, scoped
from analytics.components import Components
from analytics.domain.campaigns import CampaignReport
from analytics.domain.customer_value import CustomerValue
from analytics.domain.reports import (
    ForecastReport,
    FunnelReport,
    PerformanceReport,
    SupportReport,
    TrendPoint,
)
from analytics.operations.rendering.charts import MEDIA_TYPES, ChartFormat, chart_bytes
from analytics.operations.rendering.tables import report_table, to_csv, to_xlsx
from analytics.operations.reporting import (
    ReportFilters,
    ReportName,
    build_report,
    campaigns_report,
    customer_count,
    customer_values,
    forecast_report,
    funnel_report,
    one_customer_value,
    performance_report,
    support_report,
    trend_report,
)
from crm_chassis.auth import Principal
from crm_chassis.pagination import Page, PageDep, parse_sort

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

SALES_REPORTS = {"funnel", "performance", "revenue-trend", "forecast"}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CustomerCount(BaseModel):
    total: int


@router.get("/customer-count", response_model=CustomerCount)
async def get_customer_count(parts: ComponentsDep, principal: ReportsReader) -> CustomerCount:
    """Customers created and not merged away or erased."""
    return CustomerCount(total=await customer_count(parts.store))


@router.get("/funnel", response_model=FunnelReport)
async def get_funnel(
    parts: ComponentsDep, principal: ReportsReader, filters: FiltersDep
) -> FunnelReport:
    """Opportunities created in the period that entered each stage, with stage-to-stage
    conversion and average days in stage."""
    return await funnel_report(parts.store, scoped(filters, principal))


@router.get("/performance", response_model=PerformanceReport)
async def get_performance(
    parts: ComponentsDep, principal: ReportsReader, filters: FiltersDep
) -> PerformanceReport:
    """Per rep (``group_by=owner``) or team: opportunities, won, win rate, days to close,
    revenue."""
    return await performance_report(parts.store, scoped(filters, principal))


@router.get("/revenue-trend", response_model=list[TrendPoint])
async def get_revenue_trend(
    parts: ComponentsDep,
    principal: ReportsReader,
    filters: FiltersDep,
    granularity: Literal["month", "week"] = "month",
) -> list[TrendPoint]:
    scope = scoped(filters, principal).model_copy(update={"granularity": granularity})
    return await trend_report(parts.store, scope)


@router.get("/forecast", response_model=ForecastReport)
async def get_forecast(
    parts: ComponentsDep, principal: ReportsReader, filters: FiltersDep
) -> ForecastReport:
    """Weighted open pipeline now and the next quarter's forecast."""
    return await forecast_report(parts.store, scoped(filters, principal), _today())


@router.get("/campaigns", response_model=CampaignReport)
async def get_campaigns(
    parts: ComponentsDep,
    principal: ReportsReader,
    status: Annotated[str | None, Query(max_length=40)] = None,
) -> CampaignReport:
    """Campaign ROI, CPA, participation, conversion, open and click rates."""
    return await campaigns_report(parts.store, status)


@router.get("/support", response_model=SupportReport)
async def get_support(
    parts: ComponentsDep, principal: ReportsReader, filters: FiltersDep
) -> SupportReport:
    """SLA attainment, first contact resolution, handling time and CSAT by month;
    ``owner`` filters by agent, ``team`` by support team."""
    return await support_report(parts.store, filters)


@router.get("/customer-value", response_model=Page[CustomerValue])
async def list_customer_values(
    parts: ComponentsDep,
    principal: ReportsReader,
    page: PageDep,
    sort: Annotated[str | None, Query(description="-lifetime_value or last_activity_at")] = None,
    inactive_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
) -> Page[CustomerValue]:
    """Customers with lifetime value and churn risk (method in the service README); a
    sales manager gets their team's customers and their own, as in the customer service."""
    order = parse_sort(sort, ["lifetime_value", "last_activity_at"], "-lifetime_value")
    result = await customer_values(
        parts.store,
        margin=parts.settings.clv_margin,
        discount_rate=parts.settings.clv_discount_rate,
        sort=order,
        offset=page.offset,
        limit=page.limit,
        inactive_days=inactive_days,
        scope=principal.customer_scope(),
    )
    return Page[CustomerValue](
        items=result.items, total=result.total, offset=page.offset, limit=page.limit
    )


@router.get("/customer-value/{customer_id}", response_model=CustomerValue)
async def get_customer_value(
    customer_id: str, parts: ComponentsDep, principal: ReportsReader
) -> CustomerValue:
    """One customer's value; a customer the caller may not see answers 404 like an
    unknown one."""
    return await one_customer_value(
        parts.store,
        customer_id,
        margin=parts.settings.clv_margin,
        discount_rate=parts.settings.clv_discount_rate,
        scope=principal.customer_scope(),
    )


async def _report(
    parts: Components, name: ReportName, filters: ReportFilters, principal: Principal
) -> Any:
    if name in SALES_REPORTS:
        filters = scoped(filters, principal)
    return await build_report(parts.store, name, filters, _today())


@router.get(
    "/{report}/chart",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
async def get_chart(
    report: ReportName,
    parts: ComponentsDep,
    principal: ReportsReader,
    filters: FiltersDep,
    format: ChartFormat = "png",
) -> Response:
    """The report drawn as a chart (PNG or SVG)."""
    data = await _report(parts, report, filters, principal)
    image = await asyncio.to_thread(chart_bytes, data, format)
    return Response(image, media_type=MEDIA_TYPES[format])


@router.get(
    "/{report}/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
async def export_report(
    report: ReportName,
    parts: ComponentsDep,
    principal: ReportsReader,
    filters: FiltersDep,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The report as a CSV or XLSX table (text cells that look like formulas are
    neutralised)."""
    table = report_table(report, await _report(parts, report, filters, principal))
    if format == "xlsx":
        content, media_type = await asyncio.to_thread(to_xlsx, table), XLSX_MEDIA_TYPE
    else:
        content, media_type = to_csv(table), "text/csv; charset=utf-8"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{report}.{format}"'},
    )


def _today() -> date:
    return datetime.now(UTC).date()
