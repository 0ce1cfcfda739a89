"""Sales and support reports computed from rollups (A-1, A-2, A-3 forecast, A-4 support).

Each function takes the rollups the store selected for the caller's filters and
only adds them up, which is why the reports stay fast however many events there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from analytics.domain.rollups import RollupKey

CENT = Decimal("0.01")
GroupBy = Literal["owner", "team"]


@dataclass(frozen=True)
class Rollup:
    key: RollupKey
    metrics: dict[str, Any]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


class FunnelStage(BaseModel):
    stage: str
    probability: Decimal
    entered: int
    conversion_to_next: float | None
    average_days_in_stage: float | None


class FunnelReport(BaseModel):
    opportunities: int
    stages: list[FunnelStage]
    overall_conversion: float | None


def funnel(rollups: Iterable[Rollup]) -> FunnelReport:
    """Opportunities that ever entered each stage, in pipeline order (by the stage's win
    probability), and the share of them that went on to enter the next stage.

    Stages with probability 0 (lost) are not steps of the funnel.
    """
    created = 0
    entered: dict[str, int] = defaultdict(int)
    probability: dict[str, Decimal] = {}
    seconds: dict[str, int] = defaultdict(int)
    exits: dict[str, int] = defaultdict(int)
    for rollup in rollups:
        created += int(rollup.metrics["created"])
        for row in rollup.metrics["stages"]:
            stage = str(row["stage"])
            entered[stage] += int(row["entered"])
            probability[stage] = max(
                probability.get(stage, Decimal(0)), Decimal(row["probability"])
            )
            seconds[stage] += int(row["seconds_in_stage"])
            exits[stage] += int(row["exits"])
    order = sorted((s for s in entered if probability[s] > 0), key=lambda s: (probability[s], s))
    stages = []
    for index, stage in enumerate(order):
        following = entered[order[index + 1]] if index + 1 < len(order) else None
        stages.append(
            FunnelStage(
                stage=stage,
                probability=probability[stage],
                entered=entered[stage],
                conversion_to_next=None if following is None else ratio(following, entered[stage]),
                average_days_in_stage=(
                    round(seconds[stage] / exits[stage] / 86400, 2) if exits[stage] else None
                ),
            )
        )
    overall = ratio(stages[-1].entered, stages[0].entered) if len(stages) > 1 else None
    return FunnelReport(opportunities=created, stages=stages, overall_conversion=overall)


class PerformanceRow(BaseModel):
    group: str
    opportunities: int
    won: int
    lost: int
    win_rate: float | None
    close_rate: float | None
    average_days_to_close: float | None
    revenue: Decimal


class PerformanceReport(BaseModel):
    group_by: GroupBy
    rows: list[PerformanceRow]
    totals: PerformanceRow


def performance(
    created: Iterable[Rollup], closed: Iterable[Rollup], group_by: GroupBy
) -> PerformanceReport:
    """Per rep or team: opportunities created in the period, and those closed in it.

    ``win_rate`` is won / opportunities (the "efficiency" of A-2); ``close_rate`` is
    won / (won + lost).
    """
    sums: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"created": 0, "won": 0, "lost": 0, "revenue": Decimal(0), "secs": 0, "timed": 0}
    )
    for rollup in created:
        sums[getattr(rollup.key, group_by)]["created"] += int(rollup.metrics["created"])
    for rollup in closed:
        row = sums[getattr(rollup.key, group_by)]
        row["won"] += int(rollup.metrics["won"])
        row["lost"] += int(rollup.metrics["lost"])
        row["revenue"] += Decimal(rollup.metrics["revenue"])
        row["secs"] += int(rollup.metrics["seconds_to_close"])
        row["timed"] += int(rollup.metrics["timed_wins"])
    rows = [_performance_row(group, sums[group]) for group in sorted(sums)]
    total: dict[str, Any] = {
        name: sum((s[name] for s in sums.values()), Decimal(0) if name == "revenue" else 0)
        for name in ("created", "won", "lost", "revenue", "secs", "timed")
    }
    return PerformanceReport(group_by=group_by, rows=rows, totals=_performance_row("all", total))


def _performance_row(group: str, sums: dict[str, Any]) -> PerformanceRow:
    return PerformanceRow(
        group=group,
        opportunities=sums["created"],
        won=sums["won"],
        lost=sums["lost"],
        win_rate=ratio(sums["won"], sums["created"]),
        close_rate=ratio(sums["won"], sums["won"] + sums["lost"]),
        average_days_to_close=round(sums["secs"] / sums["timed"] / 86400, 2)
        if sums["timed"]
        else None,
        revenue=money(sums["revenue"]),
    )


class TrendPoint(BaseModel):
    period: str
    won: int
    revenue: Decimal


def revenue_trend(closed: Iterable[Rollup]) -> list[TrendPoint]:
    """Won deals and revenue per period (month or ISO week) of closing."""
    won: dict[str, int] = defaultdict(int)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for rollup in closed:
        won[rollup.key.period] += int(rollup.metrics["won"])
        revenue[rollup.key.period] += Decimal(rollup.metrics["revenue"])
    return [
        TrendPoint(period=period, won=won[period], revenue=money(revenue[period]))
        for period in sorted(won)
    ]


class ForecastRow(BaseModel):
    group: str
    open: int
    amount: Decimal
    weighted: Decimal


class ForecastReport(BaseModel):
    open: int
    amount: Decimal
    weighted_pipeline: Decimal
    next_quarter: list[str]
    next_quarter_weighted: Decimal
    by_group: list[ForecastRow]
    by_expected_close: list[ForecastRow]


def forecast(
    open_rollups: Iterable[Rollup], next_quarter: list[str], group_by: GroupBy
) -> ForecastReport:
    """Weighted pipeline = sum(amount x stage probability) of open opportunities (S-10);
    the next-quarter forecast is that sum over those expected to close in it."""
    by_group: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    by_month: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for rollup in open_rollups:
        for table, name in (
            (by_group, getattr(rollup.key, group_by)),
            (by_month, rollup.key.period),
        ):
            table[name][0] += int(rollup.metrics["open"])
            table[name][1] += Decimal(rollup.metrics["amount"])
            table[name][2] += Decimal(rollup.metrics["weighted"])

    def rows(table: dict[str, list[Any]]) -> list[ForecastRow]:
        return [
            ForecastRow(group=name, open=v[0], amount=money(v[1]), weighted=money(v[2]))
            for name, v in sorted(table.items())
        ]

    return ForecastReport(
        open=sum(v[0] for v in by_group.values()),
        amount=money(sum((v[1] for v in by_group.values()), Decimal(0))),
        weighted_pipeline=money(sum((v[2] for v in by_group.values()), Decimal(0))),
        next_quarter=next_quarter,
        next_quarter_weighted=money(
            sum((v[2] for m, v in by_month.items() if m in next_quarter), Decimal(0))
        ),
        by_group=rows(by_group),
        by_expected_close=rows(by_month),
    )


class SupportPeriod(BaseModel):
    period: str
    opened: int
    resolved: int
    sla_attainment: float | None
    first_contact_resolution: float | None
    average_handling_hours: float | None
    average_first_response_minutes: float | None
    surveys: int
    csat: float | None
    average_score: float | None


class SupportReport(BaseModel):
    totals: SupportPeriod
    by_month: list[SupportPeriod]


def support_kpis(
    opened: Iterable[Rollup], resolved: Iterable[Rollup], surveys: Iterable[Rollup]
) -> SupportReport:
    """SLA attainment, FCR, handling and first-response times of tickets resolved in the
    period; CSAT = share of survey answers scoring 4 or 5 (T-6, T-7). By month (day
    keys count in their month)."""
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rollups in (opened, resolved, surveys):
        for rollup in rollups:
            for name, value in rollup.metrics.items():
                months[rollup.key.period[:7]][name] += int(value)
    total: dict[str, int] = defaultdict(int)
    for sums in months.values():
        for name, value in sums.items():
            total[name] += value
    return SupportReport(
        totals=_support_period("all", total),
        by_month=[_support_period(month, months[month]) for month in sorted(months)],
    )


def _support_period(period: str, sums: dict[str, int]) -> SupportPeriod:
    resolved = sums.get("resolved", 0)
    responded = sums.get("responded", 0)
    answered = sums.get("answered", 0)
    return SupportPeriod(
        period=period,
        opened=sums.get("opened", 0),
        resolved=resolved,
        sla_attainment=ratio(sums.get("sla_met", 0), resolved),
        first_contact_resolution=ratio(sums.get("first_contact", 0), resolved),
        average_handling_hours=round(sums.get("handling_seconds", 0) / resolved / 3600, 2)
        if resolved
        else None,
        average_first_response_minutes=round(
            sums.get("first_response_seconds", 0) / responded / 60, 2
        )
        if responded
        else None,
        surveys=answered,
        csat=ratio(sums.get("satisfied", 0), answered),
        average_score=round(sums.get("score_sum", 0) / answered, 2) if answered else None,
    )
