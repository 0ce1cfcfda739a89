"""Must show: after a scripted month across every service, each report matches the
figures computed here by hand from the same script (A-1 to A-5)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from analytics.__main__ import rebuild_read_models
from crm_chassis.testing import ServiceRunner

from ..factories import envelope
from .conftest import Service, running
from .month_script import PIPELINE, Month, month_of_activity

pytestmark = pytest.mark.integration

CENT = Decimal("0.01")


def share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


@pytest.fixture(scope="module")
async def month_service(module_service_runner: ServiceRunner) -> AsyncIterator[Service]:
    """One service fed the scripted month once for the module (ingesting is the slow part);
    the tests only read it."""
    async with running(module_service_runner) as service:
        yield service


@pytest.fixture(scope="module")
async def month(month_service: Service) -> Month:
    """The month published out of order, a tenth of it delivered twice."""
    script = month_of_activity()
    events = [envelope(data) for data in script.events]
    shuffled = events + random.Random(3).sample(events, len(events) // 10)
    random.Random(4).shuffle(shuffled)
    await month_service.publish(*shuffled)
    await month_service.settled(archived=len(events), timeout=80)
    return script


@pytest.fixture
def service(month_service: Service, month: Month) -> Service:
    return month_service


async def test_customer_count_and_dashboard_match_the_script(
    service: Service, month: Month
) -> None:
    assert await service.get("/api/v1/reports/customer-count") == {"total": len(month.customers)}
    board = await service.get("/api/v1/dashboards/main", period="2026-11")
    won = [d for d in month.deals if d.outcome == "won"]
    closed = [d for d in month.deals if d.outcome != "open"]
    assert board["customers"] == board["new_customers"] == len(month.customers)
    assert board["won"] == len(won)
    assert Decimal(board["revenue"]) == sum(d.amount for d in won)
    assert board["win_rate"] == share(len(won), len(closed))
    assert board["open_opportunities"] == sum(1 for d in month.deals if d.outcome == "open")


async def test_funnel_matches_the_stages_each_deal_went_through(
    service: Service, month: Month
) -> None:
    report = await service.get("/api/v1/reports/funnel", period_from="2026-11", period_to="2026-11")
    entered = Counter(stage for deal in month.deals for stage in deal.path)
    entered["won"] = sum(1 for d in month.deals if d.outcome == "won")
    order = [stage for stage, _ in PIPELINE] + ["won"]
    expected = [(stage, entered[stage]) for stage in order if entered[stage]]
    assert [(s["stage"], s["entered"]) for s in report["stages"]] == expected
    for current, following in zip(report["stages"], report["stages"][1:], strict=False):
        assert current["conversion_to_next"] == share(following["entered"], current["entered"])
    assert report["opportunities"] == len(month.deals)


async def test_rep_and_team_performance_match_the_script(service: Service, month: Month) -> None:
    for group_by in ("owner", "team"):
        report = await service.get(
            "/api/v1/reports/performance", period_from="2026-11", period_to="2026-11",
            group_by=group_by,
        )  # fmt: skip
        rows = {row["group"]: row for row in report["rows"]}
        groups = {getattr(d, group_by) for d in month.deals}
        assert set(rows) == groups
        for group in groups:
            deals = [d for d in month.deals if getattr(d, group_by) == group]
            won = [d for d in deals if d.outcome == "won"]
            row = rows[group]
            assert row["opportunities"] == len(deals)
            assert row["won"] == len(won)
            assert row["lost"] == sum(1 for d in deals if d.outcome == "lost")
            assert row["win_rate"] == share(len(won), len(deals))
            assert Decimal(row["revenue"]) == sum((d.amount for d in won), Decimal(0))
            if won:
                days = [
                    (d.closed_at - d.created_at).total_seconds() / 86400 for d in won if d.closed_at
                ]
                assert row["average_days_to_close"] == pytest.approx(
                    sum(days) / len(days), abs=0.01
                )


async def test_forecast_weighs_the_open_deals_of_the_script(service: Service, month: Month) -> None:
    report = await service.get("/api/v1/reports/forecast")
    still_open = [d for d in month.deals if d.outcome == "open"]
    assert report["open"] == len(still_open)
    weighted = sum((d.amount * d.probability for d in still_open), Decimal(0))
    assert Decimal(report["weighted_pipeline"]) == weighted.quantize(CENT)
    by_month = {row["group"]: Decimal(row["weighted"]) for row in report["by_expected_close"]}
    for deal in still_open:
        assert deal.expected_close.strftime("%Y-%m") in by_month


async def test_campaign_report_uses_each_campaigns_latest_snapshot(
    service: Service, month: Month
) -> None:
    report = await service.get("/api/v1/reports/campaigns")
    rows = {row["campaign_id"]: row for row in report["campaigns"]}
    for campaign in month.campaigns:
        row = rows[campaign.id]
        assert row["roi"] == share(float(campaign.revenue - campaign.cost), float(campaign.cost))
        assert Decimal(row["cpa"]) == (campaign.cost / campaign.converted).quantize(CENT)
        assert row["conversion"] == share(campaign.converted, campaign.participants)
        assert row["open_rate"] == share(campaign.opened, campaign.delivered)
        assert row["click_rate"] == share(campaign.clicked, campaign.delivered)
    cost = sum(c.cost for c in month.campaigns)
    revenue = sum(c.revenue for c in month.campaigns)
    assert report["totals"]["roi"] == share(float(revenue - cost), float(cost))


async def test_support_kpis_match_the_scripted_tickets_and_surveys(
    service: Service, month: Month
) -> None:
    report = await service.get(
        "/api/v1/reports/support", period_from="2026-11", period_to="2026-12"
    )
    resolved = [t for t in month.tickets if t.resolved]
    totals = report["totals"]
    assert totals["opened"] == len(month.tickets)
    assert totals["resolved"] == len(resolved)
    assert totals["sla_attainment"] == share(sum(t.sla_met for t in resolved), len(resolved))
    assert totals["first_contact_resolution"] == share(
        sum(t.first_contact for t in resolved), len(resolved)
    )
    hours = sum(t.handling_seconds for t in resolved) / len(resolved) / 3600
    assert totals["average_handling_hours"] == pytest.approx(hours, abs=0.01)
    minutes = sum(t.first_response_seconds for t in resolved) / len(resolved) / 60
    assert totals["average_first_response_minutes"] == pytest.approx(minutes, abs=0.01)
    assert totals["surveys"] == len(month.scores)
    assert totals["csat"] == share(sum(1 for s in month.scores if s >= 4), len(month.scores))


async def test_customer_value_lists_every_customer_with_a_risk_band(
    service: Service, month: Month
) -> None:
    page = await service.get("/api/v1/reports/customer-value", limit=100)
    assert page["total"] == len(month.customers)
    values = [Decimal(item["lifetime_value"]) for item in page["items"]]
    assert values == sorted(values, reverse=True)
    assert {item["churn_band"] for item in page["items"]} <= {"low", "medium", "high"}


async def test_replaying_the_archive_into_empty_read_models_reproduces_them(
    service: Service, month: Month
) -> None:
    store = service.parts.store
    live = await store.dump_read_models()
    assert sum(len(documents) for documents in live.values()) > 100
    await rebuild_read_models(service.settings)
    assert await store.dump_read_models() == live
    assert await store.count_archived() == len(month.events)
