"""Forecasts (S-10): weighted pipeline = sum(amount x stage probability), by period,
rep and team; the next quarter; a weekly report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from sales.domain.money import HUNDRED, ZERO, cents
from sales.domain.opportunities import Opportunity, OpportunityStatus

UNSCHEDULED = "unscheduled"


class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class GroupBy(StrEnum):
    NONE = "none"
    OWNER = "owner"
    TEAM = "team"


class ForecastRow(BaseModel):
    period: str
    group: str | None
    currency: str
    opportunities: int
    pipeline_amount: Decimal
    weighted_amount: Decimal


class Quarter(BaseModel):
    label: str
    start: date
    end: date


class WeeklyReport(BaseModel):
    week_start: date
    week_end: date
    new_opportunities: int
    won: int
    won_amount: dict[str, Decimal]
    lost: int
    lost_amount: dict[str, Decimal]
    stage_changes: int
    open_opportunities: int
    weighted_pipeline: dict[str, Decimal]
    next_quarter: Quarter
    next_quarter_weighted: dict[str, Decimal]


def weighted(opportunity: Opportunity) -> Decimal:
    return cents(opportunity.amount * opportunity.probability / HUNDRED)


def period_of(day: date | None, granularity: Granularity) -> str:
    if day is None:
        return UNSCHEDULED
    if granularity is Granularity.MONTH:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def next_quarter(today: date) -> Quarter:
    index = (today.month - 1) // 3 + 1
    year, quarter = (today.year + 1, 1) if index == 4 else (today.year, index + 1)
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end_month = 3 * quarter
    end = (date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)) - timedelta(
        days=1
    )
    return Quarter(label=f"{year}-Q{quarter}", start=start, end=end)


def _group(opportunity: Opportunity, group_by: GroupBy) -> str | None:
    if group_by is GroupBy.OWNER:
        return opportunity.owner_id
    if group_by is GroupBy.TEAM:
        return opportunity.team
    return None


def forecast(
    opportunities: Iterable[Opportunity], granularity: Granularity, group_by: GroupBy
) -> list[ForecastRow]:
    """Open opportunities summed per (period, group, currency), sorted by period."""
    buckets: dict[tuple[str, str | None, str], list[Opportunity]] = defaultdict(list)
    for opportunity in opportunities:
        if opportunity.status is not OpportunityStatus.OPEN:
            continue
        key = (
            period_of(opportunity.expected_close, granularity),
            _group(opportunity, group_by),
            opportunity.currency,
        )
        buckets[key].append(opportunity)
    rows = [
        ForecastRow(
            period=period,
            group=group,
            currency=currency,
            opportunities=len(items),
            pipeline_amount=sum((o.amount for o in items), ZERO),
            weighted_amount=sum((weighted(o) for o in items), ZERO),
        )
        for (period, group, currency), items in buckets.items()
    ]
    return sorted(rows, key=lambda row: (row.period, row.group or "", row.currency))


def _by_currency(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for currency, amount in items:
        totals[currency] += amount
    return dict(totals)


def weekly_report(opportunities: Sequence[Opportunity], week_start: date) -> WeeklyReport:
    """What happened in the week starting ``week_start`` and where the pipeline stands."""
    week_end = week_start + timedelta(days=6)

    def in_week(moment: datetime | None) -> bool:
        return moment is not None and week_start <= moment.date() <= week_end

    won = [o for o in opportunities if o.status is OpportunityStatus.WON and in_week(o.closed_at)]
    lost = [o for o in opportunities if o.status is OpportunityStatus.LOST and in_week(o.closed_at)]
    open_now = [o for o in opportunities if o.status is OpportunityStatus.OPEN]
    quarter = next_quarter(week_end)
    upcoming = [
        o for o in open_now if o.expected_close and quarter.start <= o.expected_close <= quarter.end
    ]
    return WeeklyReport(
        week_start=week_start,
        week_end=week_end,
        new_opportunities=sum(1 for o in opportunities if in_week(o.created_at)),
        won=len(won),
        won_amount=_by_currency((o.currency, o.amount) for o in won),
        lost=len(lost),
        lost_amount=_by_currency((o.currency, o.amount) for o in lost),
        stage_changes=sum(
            1
            for o in opportunities
            for c in o.stage_history
            if c.from_stage and in_week(c.changed_at)
        ),
        open_opportunities=len(open_now),
        weighted_pipeline=_by_currency((o.currency, weighted(o)) for o in open_now),
        next_quarter=quarter,
        next_quarter_weighted=_by_currency((o.currency, weighted(o)) for o in upcoming),
    )
