from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from sales.domain.forecast import Granularity, GroupBy, forecast, next_quarter, weekly_report
from sales.domain.opportunities import Opportunity, move_to_stage
from sales.domain.pipelines import default_pipeline


def test_weighted_pipeline_is_amount_times_stage_probability_per_period_and_rep(
    make_opportunity: Callable[..., Opportunity],
) -> None:
    opportunities = [
        make_opportunity(amount=Decimal("1000.00"), expected_close=date(2027, 1, 15), owner_id="a"),
        make_opportunity(amount=Decimal("333.33"), expected_close=date(2027, 2, 1), owner_id="a"),
        make_opportunity(amount=Decimal("500.00"), expected_close=date(2027, 4, 1), owner_id="b"),
        make_opportunity(amount=Decimal("700.00"), owner_id="b"),
    ]
    rows = forecast(opportunities, Granularity.QUARTER, GroupBy.OWNER)
    summary = [(r.period, r.group, r.opportunities, str(r.weighted_amount)) for r in rows]
    # first stage: 10 %; 333.33 x 10 % = 33.333 -> 33.33
    assert summary == [
        ("2027-Q1", "a", 2, "133.33"),
        ("2027-Q2", "b", 1, "50.00"),
        ("unscheduled", "b", 1, "70.00"),
    ]


def test_next_quarter_rolls_over_the_year() -> None:
    quarter = next_quarter(date(2026, 11, 23))
    assert (quarter.label, quarter.start, quarter.end) == (
        "2027-Q1",
        date(2027, 1, 1),
        date(2027, 3, 31),
    )
    assert next_quarter(date(2026, 2, 1)).end == date(2026, 6, 30)


def test_weekly_report_counts_the_weeks_wins_losses_and_new_deals(
    make_opportunity: Callable[..., Opportunity], now: datetime
) -> None:
    pipeline = default_pipeline()
    lost, _ = move_to_stage(
        make_opportunity(amount=Decimal("50.00")),
        pipeline,
        "lost",
        actor="r",
        now=now,
        reason="price",
    )
    open_one = make_opportunity(amount=Decimal("200.00"), expected_close=date(2027, 2, 1))
    old = make_opportunity(created_at=now - timedelta(days=30))
    week_start = now.date() - timedelta(days=now.weekday())
    report = weekly_report([lost, open_one, old], week_start)
    assert report.lost == 1
    assert report.lost_amount == {"CNY": Decimal("50.00")}
    assert report.new_opportunities == 2
    assert report.open_opportunities == 2
    assert report.next_quarter_weighted == {"CNY": Decimal("20.00")}
