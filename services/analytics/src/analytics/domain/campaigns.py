"""Campaign report (A-4), with the formulas of M-7."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel

from analytics.domain.facts import CampaignFact
from analytics.domain.reports import money, ratio


class CampaignRow(BaseModel):
    campaign_id: str
    name: str
    status: str | None
    budget: Decimal
    cost: Decimal
    revenue: Decimal
    audience: int
    sent: int
    delivered: int
    opened: int
    clicked: int
    participants: int
    converted: int
    participation: float | None
    conversion: float | None
    roi: float | None
    cpa: Decimal | None
    open_rate: float | None
    click_rate: float | None
    bounce_rate: float | None


class CampaignReport(BaseModel):
    campaigns: list[CampaignRow]
    totals: CampaignRow


def campaign_row(fact: CampaignFact) -> CampaignRow:
    """participation = participants / audience, conversion = converted / participants,
    ROI = (revenue - cost) / cost, CPA = cost / converted, open and click rates over
    delivered messages, bounce rate over sent ones."""
    return CampaignRow(
        campaign_id=fact.id,
        name=fact.name,
        status=fact.status,
        budget=money(fact.budget),
        cost=money(fact.cost),
        revenue=money(fact.revenue),
        audience=fact.audience,
        sent=fact.sent,
        delivered=fact.delivered,
        opened=fact.opened,
        clicked=fact.clicked,
        participants=fact.participants,
        converted=fact.converted,
        participation=ratio(fact.participants, fact.audience),
        conversion=ratio(fact.converted, fact.participants),
        roi=ratio(float(fact.revenue - fact.cost), float(fact.cost)),
        cpa=money(fact.cost / fact.converted) if fact.converted else None,
        open_rate=ratio(fact.opened, fact.delivered),
        click_rate=ratio(fact.clicked, fact.delivered),
        bounce_rate=ratio(fact.bounced, fact.sent),
    )


def campaign_report(facts: Iterable[CampaignFact]) -> CampaignReport:
    ordered = sorted(facts, key=lambda fact: fact.id)
    total = CampaignFact(
        id="all",
        name="All campaigns",
        budget=sum((f.budget for f in ordered), Decimal(0)),
        cost=sum((f.cost for f in ordered), Decimal(0)),
        revenue=sum((f.revenue for f in ordered), Decimal(0)),
        **{
            name: sum(getattr(f, name) for f in ordered)
            for name in (
                "audience",
                "sent",
                "delivered",
                "bounced",
                "opened",
                "clicked",
                "participants",
                "converted",
            )
        },
    )
    return CampaignReport(campaigns=[campaign_row(f) for f in ordered], totals=campaign_row(total))
