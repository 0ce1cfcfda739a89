"""Reports add up rollups into the figures A-1 to A-4 ask for."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from analytics.domain.reports import (
    Rollup,
    forecast,
    funnel,
    performance,
    revenue_trend,
    support_kpis,
)
from analytics.domain.rollups import Family, RollupKey, merge_metrics

from ..factories import (
    T0,
    envelope,
    opportunity_created,
    opportunity_lost,
    opportunity_won,
    stage_changed,
    survey_answered,
    ticket_opened,
    ticket_resolved,
)
from .conftest import rollups_of

DAY = timedelta(days=1)


def sales_month() -> list:
    """Four deals: o1 won after demo, o2 lost in demo, o3 and o4 still open."""
    events = []
    for number, owner in ((1, "rep-1"), (2, "rep-1"), (3, "rep-2"), (4, "rep-2")):
        events.append(envelope(opportunity_created(f"o{number}", owner=owner, amount="1000.00")))
    events += [
        envelope(stage_changed("o1", "qualified", "demo", at=T0 + DAY, probability="0.5")),
        envelope(stage_changed("o2", "qualified", "demo", at=T0 + 3 * DAY, probability="0.5")),
        envelope(opportunity_won("o1", at=T0 + 5 * DAY, amount="1200.00")),
        envelope(opportunity_lost("o2", at=T0 + 6 * DAY)),
        envelope(
            stage_changed(
                "o3", "qualified", "demo", at=T0 + 2 * DAY, probability="0.5", owner="rep-2"
            )
        ),
    ]
    return events


def test_funnel_counts_stage_entries_in_pipeline_order_with_conversion_to_next() -> None:
    report = funnel(rollups_of(sales_month())[Family.OPPS_CREATED])
    assert report.opportunities == 4
    assert [(s.stage, s.entered) for s in report.stages] == [
        ("qualified", 4),
        ("demo", 3),
        ("won", 1),
    ]
    assert [s.conversion_to_next for s in report.stages] == [0.75, 0.3333, None]
    assert report.overall_conversion == 0.25
    # o1 spent 1 day in qualified, o2 3 days, o3 2 days: 2 days on average
    assert report.stages[0].average_days_in_stage == 2.0


def test_performance_per_rep_counts_wins_revenue_and_days_to_close() -> None:
    rollups = rollups_of(sales_month())
    report = performance(rollups[Family.OPPS_CREATED], rollups[Family.OPPS_CLOSED], "owner")
    rep1, rep2 = report.rows
    assert (rep1.group, rep1.opportunities, rep1.won, rep1.lost) == ("rep-1", 2, 1, 1)
    assert rep1.win_rate == 0.5
    assert rep1.close_rate == 0.5
    assert rep1.average_days_to_close == 5.0
    assert rep1.revenue == Decimal("1200.00")
    assert (rep2.opportunities, rep2.won, rep2.win_rate, rep2.revenue) == (2, 0, 0.0, 0)
    assert report.totals.opportunities == 4


def test_revenue_trend_is_by_period_of_closing() -> None:
    rollups = rollups_of(sales_month())
    weekly = revenue_trend(rollups[Family.OPPS_CLOSED_WEEKLY])
    assert [(p.period, p.won, p.revenue) for p in weekly] == [("2026-W45", 1, Decimal("1200.00"))]


def test_forecast_weighs_open_amounts_by_probability_and_picks_next_quarter() -> None:
    events = [
        envelope(opportunity_created("a", amount="1000.00", probability="0.5",
                                     expected_close=date(2027, 2, 10))),
        envelope(opportunity_created("b", amount="2000.00", probability="0.25", owner="rep-2",
                                     expected_close=date(2026, 12, 1))),
        envelope(opportunity_created("c", amount="4000.00", probability="0.1")),
        envelope(opportunity_won("c", at=T0 + DAY)),
    ]  # fmt: skip
    report = forecast(
        rollups_of(events)[Family.OPPS_OPEN], ["2027-01", "2027-02", "2027-03"], "owner"
    )
    assert report.open == 2
    assert report.weighted_pipeline == Decimal("1000.00")
    assert report.next_quarter_weighted == Decimal("500.00")
    assert [(r.group, r.weighted) for r in report.by_group] == [
        ("rep-1", Decimal("500.00")),
        ("rep-2", Decimal("500.00")),
    ]


def test_support_kpis_measure_sla_fcr_handling_time_and_csat() -> None:
    events = [
        envelope(ticket_opened("t1")),
        envelope(ticket_opened("t2")),
        envelope(ticket_resolved("t1", at=T0 + timedelta(hours=2), first_response_seconds=120)),
        envelope(
            ticket_resolved(
                "t2", at=T0 + timedelta(hours=6), sla_met=False, first_contact=False,
                first_response_seconds=600,
            )
        ),
        envelope(survey_answered(5, at=T0 + DAY)),
        envelope(survey_answered(4, at=T0 + DAY)),
        envelope(survey_answered(2, at=T0 + DAY)),
    ]  # fmt: skip
    rollups = rollups_of(events)
    report = support_kpis(
        rollups[Family.TICKETS_OPENED], rollups[Family.TICKETS_RESOLVED], rollups[Family.SURVEYS]
    )
    totals = report.totals
    assert (totals.opened, totals.resolved) == (2, 2)
    assert totals.sla_attainment == 0.5
    assert totals.first_contact_resolution == 0.5
    assert totals.average_handling_hours == 4.0
    assert totals.average_first_response_minutes == 6.0
    assert totals.csat == pytest.approx(0.6667)
    assert totals.average_score == pytest.approx(3.67)
    assert [m.period for m in report.by_month] == ["2026-11"]


def test_totals_over_every_rep_give_the_same_reports_as_the_rollups_they_add_up() -> None:
    leaves = rollups_of(sales_month())
    for family in (Family.OPPS_CREATED, Family.OPPS_CLOSED, Family.OPPS_OPEN):
        parts: dict[RollupKey, list[dict[str, Any]]] = defaultdict(list)
        for rollup in leaves[family]:
            parts[rollup.key.total].append(rollup.metrics)
        totals = [Rollup(key, merge_metrics(family, metrics)) for key, metrics in parts.items()]
        if family is Family.OPPS_CREATED:
            assert funnel(totals) == funnel(leaves[family])
        elif family is Family.OPPS_CLOSED:
            assert revenue_trend(totals) == revenue_trend(leaves[family])
        else:
            assert (
                forecast(totals, [], "owner").weighted_pipeline
                == forecast(leaves[family], [], "owner").weighted_pipeline
            )
