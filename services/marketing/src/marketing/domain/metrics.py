"""Campaign metrics (M-7): participation, conversion, ROI, CPA, open and click rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import CampaignMetricsUpdated
from crm_contracts.events.registry import to_cloud_event

_RATE = Decimal("0.0001")
_MONEY = Decimal("0.01")


@dataclass(frozen=True)
class CampaignCounts:
    """Raw figures of one campaign, counted from its deliveries and conversions.

    ``participants`` are recipients who engaged (opened or clicked); ``delivered``
    counts messages the SMTP server accepted (bounces reported later subtract).
    """

    audience: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    failed: int = 0
    suppressed: int = 0
    opened: int = 0
    clicked: int = 0
    participants: int = 0
    converted: int = 0
    revenue: Decimal = Decimal("0")


@dataclass(frozen=True)
class CampaignMetrics:
    counts: CampaignCounts
    cost: Decimal
    participation_rate: Decimal | None
    conversion_rate: Decimal | None
    open_rate: Decimal | None
    click_rate: Decimal | None
    roi: Decimal | None
    cpa: Decimal | None


def _ratio(
    numerator: Decimal | int, denominator: Decimal | int, quantum: Decimal
) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, ROUND_HALF_UP)


def compute_metrics(counts: CampaignCounts, cost: Decimal) -> CampaignMetrics:
    """The M-7 formulas; a ratio with a zero denominator is ``None`` (undefined), not 0."""
    return CampaignMetrics(
        counts=counts,
        cost=cost,
        participation_rate=_ratio(counts.participants, counts.audience, _RATE),
        conversion_rate=_ratio(counts.converted, counts.participants, _RATE),
        open_rate=_ratio(counts.opened, counts.delivered, _RATE),
        click_rate=_ratio(counts.clicked, counts.delivered, _RATE),
        roi=_ratio(counts.revenue - cost, cost, _RATE),
        cpa=_ratio(cost, counts.converted, _MONEY),
    )


def metrics_updated(
    campaign_id: str, name: str, counts: CampaignCounts, cost: Decimal, as_of: datetime
) -> CloudEvent:
    data = CampaignMetricsUpdated(
        campaign_id=campaign_id,
        name=name,
        audience=counts.audience,
        sent=counts.sent,
        delivered=counts.delivered,
        bounced=counts.bounced,
        opened=counts.opened,
        clicked=counts.clicked,
        participants=counts.participants,
        converted=counts.converted,
        revenue=counts.revenue,
        cost=cost,
        as_of=as_of,
    )
    return to_cloud_event(data, subject=campaign_id)
