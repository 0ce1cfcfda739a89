"""Customer lifetime value and churn risk (A-3).

Method
------
Inputs per customer come only from events: payments received and orders placed
(sales), tickets, complaints, SLA breaches and survey scores (support), interactions
(customer).

* Monetary value ``M`` = sum of payments received. Tenure = years from the first
  sign of the customer (creation or first purchase) to its last activity, at least
  one year. Annual value ``V = M / tenure``.
* Retention ``r`` rises with purchase frequency (orders per year of tenure ``f``):
  ``r = min(0.95, 0.5 + 0.1 * f)``, and falls by 0.05 per complaint and per SLA
  breach (floor 0.1): unhappy customers are less likely to stay.
* CLV = expected future margin x retention, the classic simple formula
  ``CLV = V * margin * r / (1 + d - r)`` with margin ``m`` and discount rate ``d``
  from settings (defaults 30 % and 10 %). It depends only on stored facts, so it is
  stored and sortable.
* Churn risk (0-100) is computed as of a date, from recency, frequency, monetary
  value and support signals:
  recency: ``min(days since last activity / 180, 1) * 45``;
  frequency: orders in the last 365 days, 0 -> 20, 1 -> 12, 2-3 -> 6, 4+ -> 0;
  monetary: ``(1 - min(M / 5000, 1)) * 10`` (5000 = the SVIP threshold of C-3);
  support: ``5`` per complaint and per SLA breach, ``+10`` when the average survey
  score is 2 or less, at most 25. Bands: high >= 60, medium >= 30, else low.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from analytics.domain.facts import CustomerFact
from analytics.domain.reports import money

YEAR = timedelta(days=365)


def _tenure_years(fact: CustomerFact) -> float:
    moments = [p.at for p in (*fact.orders, *fact.payments)]
    if fact.created_at is not None:
        moments.append(fact.created_at)
    last = fact.last_activity_at()
    if not moments or last is None:
        return 1.0
    return max((last - min(moments)) / YEAR, 1.0)


def retention(fact: CustomerFact) -> float:
    frequency = len(fact.orders) / _tenure_years(fact)
    rate = min(0.95, 0.5 + 0.1 * frequency)
    rate -= 0.05 * (len(fact.complaints) + len(fact.sla_breaches))
    return max(rate, 0.1)


def lifetime_value(fact: CustomerFact, *, margin: Decimal, discount_rate: Decimal) -> Decimal:
    annual_value = fact.monetary / Decimal(str(_tenure_years(fact)))
    r = Decimal(str(round(retention(fact), 4)))
    return money(annual_value * margin * r / (1 + discount_rate - r))


def churn_risk(fact: CustomerFact, as_of: datetime) -> int:
    last = fact.last_activity_at()
    days = (as_of - last).days if last is not None else 365
    recency = min(max(days, 0) / 180, 1.0) * 45
    recent_orders = sum(1 for o in fact.orders if as_of - YEAR <= o.at <= as_of)
    frequency = (
        20 if recent_orders == 0 else 12 if recent_orders == 1 else 6 if recent_orders < 4 else 0
    )
    monetary = (1 - min(float(fact.monetary) / 5000, 1.0)) * 10
    support = 5 * (len(fact.complaints) + len(fact.sla_breaches))
    scores = [score for _, score in fact.survey_scores]
    if scores and sum(scores) / len(scores) <= 2:
        support += 10
    return min(100, round(recency + frequency + monetary + min(support, 25)))


RiskBand = Literal["high", "medium", "low"]


def risk_band(score: int) -> RiskBand:
    return "high" if score >= 60 else "medium" if score >= 30 else "low"


class CustomerValue(BaseModel):
    customer_id: str
    name: str | None
    tier: str
    monetary: Decimal
    orders: int
    last_activity_at: datetime | None
    lifetime_value: Decimal
    churn_risk: int
    churn_band: RiskBand


def customer_value(
    fact: CustomerFact, as_of: datetime, *, margin: Decimal, discount_rate: Decimal
) -> CustomerValue:
    risk = churn_risk(fact, as_of)
    return CustomerValue(
        customer_id=fact.id,
        name=fact.name,
        tier=fact.tier,
        monetary=money(fact.monetary),
        orders=len(fact.orders),
        last_activity_at=fact.last_activity_at(),
        lifetime_value=lifetime_value(fact, margin=margin, discount_rate=discount_rate),
        churn_risk=risk,
        churn_band=risk_band(risk),
    )
