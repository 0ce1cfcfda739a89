"""The campaign fact: status, budget, cost and the newest metrics snapshot."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from analytics.domain.facts.base import Fact, Marker, is_newer, marker
from crm_contracts.events import marketing
from crm_contracts.events.registry import EventData


class CampaignFact(Fact):
    name: str = ""
    status: str | None = None
    status_marker: Marker | None = None
    budget: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    cost_marker: Marker | None = None
    audience: int = 0
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    opened: int = 0
    clicked: int = 0
    participants: int = 0
    converted: int = 0
    revenue: Decimal = Decimal(0)
    metrics_as_of: datetime | None = None
    metrics_marker: Marker | None = None


def fold_campaign(fact: CampaignFact | None, event_id: str, data: EventData) -> CampaignFact:
    assert isinstance(data, marketing.CampaignStatusChanged | marketing.CampaignMetricsUpdated)
    current = fact or CampaignFact(id=data.campaign_id, name=data.name)
    changes: dict[str, object] = {}
    at = data.changed_at if isinstance(data, marketing.CampaignStatusChanged) else data.as_of
    point = marker(at, event_id)
    if is_newer(point, current.cost_marker):
        changes.update(name=data.name, cost=data.cost, cost_marker=point)
    if isinstance(data, marketing.CampaignStatusChanged):
        if is_newer(point, current.status_marker):
            changes.update(status=data.status, budget=data.budget, status_marker=point)
    elif is_newer(point, current.metrics_marker):
        changes.update(
            audience=data.audience,
            sent=data.sent,
            delivered=data.delivered,
            bounced=data.bounced,
            opened=data.opened,
            clicked=data.clicked,
            participants=data.participants,
            converted=data.converted,
            revenue=data.revenue,
            metrics_as_of=point.at,
            metrics_marker=point,
        )
    return current.model_copy(update=changes)
