"""Events published by the marketing service."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/marketing"


@event_type("crm.marketing.campaign.status_changed.v1", source=SOURCE)
class CampaignStatusChanged(EventData):
    campaign_id: str
    name: str
    from_status: str | None = None
    status: str
    # The campaign's owner (alerted when it completes) and team.
    owner_id: str | None = None
    team: str | None = None
    budget: Decimal
    cost: Decimal
    changed_at: datetime


@event_type("crm.marketing.campaign.metrics_updated.v1", source=SOURCE)
class CampaignMetricsUpdated(EventData):
    """A snapshot of a campaign's figures; ``as_of`` orders snapshots (keep the newest)."""

    campaign_id: str
    name: str
    audience: int
    sent: int
    delivered: int
    bounced: int
    opened: int
    clicked: int
    participants: int
    converted: int
    revenue: Decimal
    cost: Decimal
    as_of: datetime


@event_type("crm.marketing.message.sent.v1", source=SOURCE)
class MessageSent(EventData):
    message_id: str
    campaign_id: str | None = None
    customer_id: str | None = None
    channel: str = "email"
    subject: str | None = None
    sent_at: datetime


@event_type("crm.marketing.message.bounced.v1", source=SOURCE)
class MessageBounced(EventData):
    message_id: str
    campaign_id: str | None = None
    customer_id: str | None = None
    reason: str | None = None
    bounced_at: datetime


@event_type("crm.marketing.message.opened.v1", source=SOURCE)
class MessageOpened(EventData):
    message_id: str
    campaign_id: str | None = None
    customer_id: str | None = None
    opened_at: datetime


@event_type("crm.marketing.message.clicked.v1", source=SOURCE)
class MessageClicked(EventData):
    message_id: str
    campaign_id: str | None = None
    customer_id: str | None = None
    url: str
    clicked_at: datetime


@event_type("crm.marketing.campaign.responded.v1", source=SOURCE)
class CampaignResponded(EventData):
    """Someone answered a campaign (form, reply, event sign-up): sales turns it into a lead."""

    response_id: str
    campaign_id: str
    customer_id: str | None = None
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    region: str | None = None
    industry: str | None = None
    interest: str | None = None
    responded_at: datetime


@event_type("crm.marketing.subscription.changed.v1", source=SOURCE)
class SubscriptionChanged(EventData):
    customer_id: str | None = None
    email: str | None = None
    channel: str
    subscribed: bool
    changed_at: datetime


@event_type("crm.marketing.coupon.issued.v1", source=SOURCE)
class CouponIssued(EventData):
    coupon_id: str
    code: str
    customer_id: str
    promotion_id: str | None = None
    reason: str | None = None
    issued_at: datetime
