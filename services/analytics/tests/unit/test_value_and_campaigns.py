"""Campaign formulas (M-7) and the customer value and churn model (A-3)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from analytics.domain.campaigns import campaign_report
from analytics.domain.customer_value import churn_risk, customer_value, lifetime_value, risk_band
from analytics.domain.facts import CampaignFact, CustomerFact, FactKind

from ..factories import (
    T0,
    campaign_metrics,
    customer_created,
    envelope,
    order_placed,
    payment_received,
    ticket_opened,
)
from .conftest import fold_all

DAY = timedelta(days=1)
MARGIN, DISCOUNT = Decimal("0.30"), Decimal("0.10")


def test_campaign_roi_cpa_conversion_and_rates_follow_the_m7_formulas() -> None:
    fact = fold_all([envelope(campaign_metrics("m1"))])[(FactKind.CAMPAIGN, "m1")]
    assert isinstance(fact, CampaignFact)
    row = campaign_report([fact]).campaigns[0]
    assert row.roi == 2.0  # (12000 - 4000) / 4000
    assert row.cpa == Decimal("200.00")  # 4000 / 20
    assert row.participation == 0.2  # 200 / 1000
    assert row.conversion == 0.1  # 20 / 200
    assert row.open_rate == 0.4  # 380 / 950
    assert row.click_rate == 0.1  # 95 / 950


def test_campaign_without_conversions_has_no_cpa() -> None:
    fact = fold_all([envelope(campaign_metrics("m1", converted=0))])[(FactKind.CAMPAIGN, "m1")]
    assert isinstance(fact, CampaignFact)
    assert campaign_report([fact]).campaigns[0].cpa is None


def loyal_customer() -> CustomerFact:
    events = [envelope(customer_created("c1", at=T0 - 400 * DAY))]
    for month in range(12):
        at = T0 - (30 * month + 1) * DAY
        events += [
            envelope(order_placed("c1", "500.00", at=at)),
            envelope(payment_received("c1", "500.00", at=at)),
        ]
    fact = fold_all(events)[(FactKind.CUSTOMER, "c1")]
    assert isinstance(fact, CustomerFact)
    return fact


def test_clv_follows_the_documented_formula() -> None:
    fact = loyal_customer()
    # 6000 paid over 400 days of tenure; 12 orders / 1.0959 years -> r capped at 0.95
    annual = Decimal(6000) / Decimal(str((T0 - DAY - (T0 - 400 * DAY)) / timedelta(days=365)))
    expected = annual * MARGIN * Decimal("0.95") / (1 + DISCOUNT - Decimal("0.95"))
    value = lifetime_value(fact, margin=MARGIN, discount_rate=DISCOUNT)
    assert abs(value - expected) < Decimal("0.01")


def test_an_active_big_spender_has_low_churn_risk_and_a_silent_one_high() -> None:
    fact = loyal_customer()
    assert risk_band(churn_risk(fact, T0)) == "low"
    a_year_later = T0 + 365 * DAY
    assert churn_risk(fact, a_year_later) >= 60
    assert customer_value(fact, a_year_later, margin=MARGIN, discount_rate=DISCOUNT).churn_band == (
        "high"
    )


def test_complaints_raise_churn_risk() -> None:
    calm = fold_all([envelope(customer_created("c1"))])[(FactKind.CUSTOMER, "c1")]
    angry_events = [envelope(customer_created("c1"))] + [
        envelope(ticket_opened(f"t{i}", customer_id="c1", type="complaint")) for i in range(3)
    ]
    angry = fold_all(angry_events)[(FactKind.CUSTOMER, "c1")]
    assert isinstance(calm, CustomerFact)
    assert isinstance(angry, CustomerFact)
    assert churn_risk(angry, T0 + DAY) == churn_risk(calm, T0 + DAY) + 15
