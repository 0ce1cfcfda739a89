"""The read side: each report computed from the rollups and facts the filters select."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from analytics.domain.campaigns import CampaignReport, campaign_report
from analytics.domain.customer_value import CustomerValue, customer_value
from analytics.domain.facts import CampaignFact, CustomerFact, FactKind
from analytics.domain.periods import (
    MONTH_PATTERN,
    month_after,
    month_of,
    month_start,
    next_quarter_months,
    week_of,
)
from analytics.domain.reports import (
    ForecastReport,
    FunnelReport,
    GroupBy,
    PerformanceReport,
    SupportReport,
    TrendPoint,
    forecast,
    funnel,
    money,
    performance,
    revenue_trend,
    support_kpis,
)
from analytics.domain.rollups import Family
from analytics.store.read_models import AnalyticsStore
from crm_chassis.domain_errors import RecordNotFound
from crm_contracts.access import RecordScope

ReportName = Literal["funnel", "performance", "revenue-trend", "forecast", "campaigns", "support"]
REPORT_NAMES: tuple[ReportName, ...] = (
    "funnel",
    "performance",
    "revenue-trend",
    "forecast",
    "campaigns",
    "support",
)


class ReportFilters(BaseModel):
    """Which slice of the data a report covers: months ``period_from`` to ``period_to``
    (inclusive, ``YYYY-MM``) and optionally one rep, team or pipeline."""

    period_from: str | None = Field(default=None, pattern=MONTH_PATTERN)
    period_to: str | None = Field(default=None, pattern=MONTH_PATTERN)
    owner: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    pipeline: str | None = Field(default=None, max_length=200)
    group_by: GroupBy = "owner"
    granularity: Literal["month", "week"] = "month"

    @field_validator("period_to")
    @classmethod
    def _not_before_start(cls, value: str | None, info: Any) -> str | None:
        start = info.data.get("period_from")
        if value is not None and start is not None and value < start:
            raise ValueError("must not be before period_from")
        return value

    def period_bounds(self) -> tuple[str | None, str | None]:
        """``[from, before)`` over month and day keys, which sort like their dates."""
        before = month_after(self.period_to) if self.period_to else None
        return self.period_from, before

    def week_bounds(self) -> tuple[str | None, str | None]:
        start = week_of(month_start(self.period_from)) if self.period_from else None
        if self.period_to is None:
            return start, None
        last_day = month_start(month_after(self.period_to)) - timedelta(days=1)
        return start, week_of(last_day) + "~"  # "~" sorts after every week number

    def dims(self) -> dict[str, Any]:
        """Store arguments selecting these dims; the totals when no dim is filtered."""
        if self.owner is None and self.team is None and self.pipeline is None:
            return {"totals": True}
        return {"owner": self.owner, "team": self.team, "pipeline": self.pipeline}

    def leaf_dims(self) -> dict[str, Any]:
        return {"owner": self.owner, "team": self.team, "pipeline": self.pipeline}


async def funnel_report(store: AnalyticsStore, filters: ReportFilters) -> FunnelReport:
    start, before = filters.period_bounds()
    rollups = await store.rollups(
        Family.OPPS_CREATED, period_from=start, period_before=before, **filters.dims()
    )
    return funnel(rollups)


async def performance_report(
    store: AnalyticsStore, filters: ReportFilters, *, totals_only: bool = False
) -> PerformanceReport:
    """Rows per rep or team; ``totals_only`` reads the precomputed totals instead (only
    the totals row is then meaningful)."""
    start, before = filters.period_bounds()
    window: dict[str, Any] = {"period_from": start, "period_before": before}
    if totals_only:
        window["totals"] = True
    else:
        window.update(filters.leaf_dims())
    created, closed = await asyncio.gather(
        store.rollups(Family.OPPS_CREATED, **window), store.rollups(Family.OPPS_CLOSED, **window)
    )
    return performance(created, closed, filters.group_by)


async def trend_report(store: AnalyticsStore, filters: ReportFilters) -> list[TrendPoint]:
    if filters.granularity == "week":
        start, before = filters.week_bounds()
        family = Family.OPPS_CLOSED_WEEKLY
    else:
        start, before = filters.period_bounds()
        family = Family.OPPS_CLOSED
    rollups = await store.rollups(family, period_from=start, period_before=before, **filters.dims())
    return revenue_trend(rollups)


async def forecast_report(
    store: AnalyticsStore, filters: ReportFilters, today: date, *, totals_only: bool = False
) -> ForecastReport:
    """The open pipeline now (period filters do not apply: it is a snapshot)."""
    dims = filters.leaf_dims() if not totals_only else {"totals": True}
    rollups = await store.rollups(Family.OPPS_OPEN, **dims)
    return forecast(rollups, next_quarter_months(today), filters.group_by)


async def support_report(store: AnalyticsStore, filters: ReportFilters) -> SupportReport:
    start, before = filters.period_bounds()
    window: dict[str, Any] = {"period_from": start, "period_before": before}
    if filters.owner is None and filters.team is None:
        agents: dict[str, Any] = {"totals": True}
        teams: dict[str, Any] = {"totals": True}
    else:
        agents, teams = {"owner": filters.owner}, {"owner": filters.owner, "team": filters.team}
    opened, resolved, surveys = await asyncio.gather(
        store.rollups(Family.TICKETS_OPENED, **window, **teams),
        store.rollups(Family.TICKETS_RESOLVED, **window, **teams),
        store.rollups(Family.SURVEYS, **window, **agents),
    )
    return support_kpis(opened, resolved, surveys)


async def campaigns_report(store: AnalyticsStore, status: str | None = None) -> CampaignReport:
    query = {"status": status} if status else {}
    facts = await store.facts(FactKind.CAMPAIGN, query)
    return campaign_report(f for f in facts if isinstance(f, CampaignFact))


async def customer_count(store: AnalyticsStore) -> int:
    rollups = await store.rollups(Family.CUSTOMERS, totals=True)
    return sum(int(rollup.metrics["customers"]) for rollup in rollups)


class CustomerValuePage(BaseModel):
    items: list[CustomerValue]
    total: int
    offset: int
    limit: int
    as_of: datetime


async def customer_values(
    store: AnalyticsStore,
    *,
    margin: Decimal,
    discount_rate: Decimal,
    sort: list[tuple[str, int]],
    offset: int,
    limit: int,
    inactive_days: int | None,
    scope: RecordScope,
    as_of: datetime | None = None,
) -> CustomerValuePage:
    """The values of the customers ``scope`` lets the caller see."""
    moment = as_of or datetime.now(UTC)
    query: dict[str, Any] = {"active": True, **scope.query()}
    if inactive_days is not None:
        query["last_activity_at"] = {"$lte": moment - timedelta(days=inactive_days)}
    facts, total = await store.fact_page(FactKind.CUSTOMER, query, sort, offset, limit)
    items = [
        customer_value(fact, moment, margin=margin, discount_rate=discount_rate)
        for fact in facts
        if isinstance(fact, CustomerFact)
    ]
    return CustomerValuePage(items=items, total=total, offset=offset, limit=limit, as_of=moment)


async def one_customer_value(
    store: AnalyticsStore,
    customer_id: str,
    *,
    margin: Decimal,
    discount_rate: Decimal,
    scope: RecordScope,
    as_of: datetime | None = None,
) -> CustomerValue:
    """One customer's value; a customer ``scope`` hides answers like an unknown one."""
    fact = await store.fact(FactKind.CUSTOMER, customer_id)
    if (
        not isinstance(fact, CustomerFact)
        or not fact.active
        or not scope.allows(fact.owner_id, fact.team)
    ):
        raise RecordNotFound(f"No customer {customer_id}.")
    moment = as_of or datetime.now(UTC)
    return customer_value(fact, moment, margin=margin, discount_rate=discount_rate)


class Dashboard(BaseModel):
    period: str
    customers: int
    new_customers: int
    open_opportunities: int
    weighted_pipeline: Decimal
    won: int
    revenue: Decimal
    win_rate: float | None = Field(description="won / (won + lost) of deals closed in the month")
    campaign_roi: float | None
    tickets_resolved: int
    sla_attainment: float | None
    csat: float | None


async def dashboard(
    store: AnalyticsStore, period: str | None, today: date, *, team: str | None = None
) -> Dashboard:
    """The main dashboard: one month's headline figures and the current pipeline;
    ``team`` limits the sales figures to one team.

    The whole-company dashboard of a month is kept as one stored document, valid until
    the next ingested event or recomputed rollup (a generation counter), so the most
    read page costs one query.
    """
    month = period or month_of(today)
    if team is not None:
        return await compute_dashboard(store, month, today, team=team)
    generation, stored = await store.dashboard(f"main|{month}")
    if stored is not None:
        return Dashboard.model_validate(stored)
    figures = await compute_dashboard(store, month, today)
    await store.store_dashboard(f"main|{month}", generation, figures.model_dump(mode="json"))
    return figures


async def compute_dashboard(
    store: AnalyticsStore, month: str, today: date, *, team: str | None = None
) -> Dashboard:
    filters = ReportFilters(period_from=month, period_to=month)
    sales_filters = filters.model_copy(update={"team": team})
    everyone = team is None
    customers, sales, pipeline, support, campaigns = await asyncio.gather(
        store.rollups(Family.CUSTOMERS, totals=True),
        performance_report(store, sales_filters, totals_only=everyone),
        forecast_report(store, ReportFilters(team=team), today, totals_only=everyone),
        support_report(store, filters),
        campaigns_report(store),
    )
    new_customers = sum(int(r.metrics["customers"]) for r in customers if r.key.period == month)
    return Dashboard(
        period=month,
        customers=sum(int(r.metrics["customers"]) for r in customers),
        new_customers=new_customers,
        open_opportunities=pipeline.open,
        weighted_pipeline=money(pipeline.weighted_pipeline),
        won=sales.totals.won,
        revenue=sales.totals.revenue,
        win_rate=sales.totals.close_rate,
        campaign_roi=campaigns.totals.roi,
        tickets_resolved=support.totals.resolved,
        sla_attainment=support.totals.sla_attainment,
        csat=support.totals.csat,
    )


Report = FunnelReport | PerformanceReport | ForecastReport | CampaignReport | SupportReport
TrendReport = list[TrendPoint]


async def build_report(
    store: AnalyticsStore, name: ReportName, filters: ReportFilters, today: date
) -> Report | TrendReport:
    """Any report by name (exports, charts and scheduled e-mails use this)."""
    match name:
        case "funnel":
            return await funnel_report(store, filters)
        case "performance":
            return await performance_report(store, filters)
        case "revenue-trend":
            return await trend_report(store, filters)
        case "forecast":
            return await forecast_report(store, filters, today)
        case "campaigns":
            return await campaigns_report(store)
        case "support":
            return await support_report(store, filters)
