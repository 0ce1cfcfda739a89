"""The unified timeline (C-5): touches recorded here and facts from other services.

Each consumed event becomes one entry, keyed by the event id so a redelivery
writes the same entry again instead of a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crm_contracts.events import customer, marketing, sales, support
from crm_contracts.events.registry import EventData


class Channel(StrEnum):
    CALL = "call"
    EMAIL = "email"
    CHAT = "chat"
    MEETING = "meeting"
    VISIT = "visit"
    SMS = "sms"
    TICKET = "ticket"
    ORDER = "order"
    CAMPAIGN = "campaign"
    OPPORTUNITY = "opportunity"
    SURVEY = "survey"


class InteractionStatus(StrEnum):
    REPLIED = "replied"
    PENDING = "pending"
    TO_HANDLE = "to_handle"


class TimelineEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    customer_id: str
    occurred_at: datetime
    source: str  # the service the fact comes from
    kind: str
    channel: Channel
    summary: str
    status: InteractionStatus | None = None
    content: str | None = None
    reference_id: str | None = None
    campaign_id: str | None = None
    recorded_by: str | None = None


class InteractionDraft(BaseModel):
    """A touch recorded by a person: a call, an email, a meeting, a visit."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    occurred_at: datetime
    summary: str = Field(min_length=1, max_length=300)
    content: str | None = Field(default=None, max_length=10_000)
    status: InteractionStatus = InteractionStatus.PENDING


def interaction_entry(
    draft: InteractionDraft, *, entry_id: str, customer_id: str, actor: str
) -> TimelineEntry:
    return TimelineEntry(
        id=entry_id,
        customer_id=customer_id,
        occurred_at=draft.occurred_at,
        source="customer",
        kind="interaction",
        channel=draft.channel,
        summary=draft.summary,
        content=draft.content,
        status=draft.status,
        recorded_by=actor,
    )


Describe = Callable[[Any], tuple[str, Channel, str, str | None, datetime]]


def _money(amount: object, currency: str) -> str:
    return f"{amount} {currency}"


_DESCRIBERS: dict[type[EventData], Describe] = {
    sales.OrderPlaced: lambda e: (
        "order_placed", Channel.ORDER,
        f"Order {e.order_number} placed: {_money(e.amount, e.currency)}", e.order_id, e.placed_at,
    ),
    sales.PaymentReceived: lambda e: (
        "payment_received", Channel.ORDER,
        f"Payment received: {_money(e.amount, e.currency)}", e.payment_id, e.paid_at,
    ),
    sales.OpportunityWon: lambda e: (
        "opportunity_won", Channel.OPPORTUNITY,
        f"Opportunity won: {_money(e.amount, e.currency)}", e.opportunity_id, e.closed_at,
    ),
    sales.OpportunityLost: lambda e: (
        "opportunity_lost", Channel.OPPORTUNITY,
        f"Opportunity lost{': ' + e.reason if e.reason else ''}", e.opportunity_id, e.closed_at,
    ),
    marketing.MessageOpened: lambda e: (
        "email_opened", Channel.EMAIL, "Opened a campaign email", e.message_id, e.opened_at,
    ),
    marketing.MessageClicked: lambda e: (
        "email_clicked", Channel.EMAIL, f"Clicked {e.url}", e.message_id, e.clicked_at,
    ),
    marketing.CampaignResponded: lambda e: (
        "campaign_responded", Channel.CAMPAIGN,
        f"Responded to a campaign{': ' + e.interest if e.interest else ''}",
        e.response_id, e.responded_at,
    ),
    support.TicketOpened: lambda e: (
        "ticket_opened", Channel.TICKET, f"Ticket opened: {e.subject}", e.ticket_id, e.opened_at,
    ),
    support.TicketResolved: lambda e: (
        "ticket_resolved", Channel.TICKET, "Ticket resolved", e.ticket_id, e.resolved_at,
    ),
    support.SurveyAnswered: lambda e: (
        "survey_answered", Channel.SURVEY, f"Satisfaction survey: {e.score}/5",
        e.survey_id, e.answered_at,
    ),
}  # fmt: skip

TIMELINE_EVENT_TYPES = tuple(model.TYPE for model in _DESCRIBERS)


def tier_change_entry(change: customer.CustomerTierChanged, *, version: int) -> TimelineEntry:
    """A tier change (C-3) as a timeline entry, keyed by the customer's version that made
    it, so writing it again keeps one entry."""
    return TimelineEntry(
        id=f"tier:{change.customer_id}:{version}",
        customer_id=change.customer_id,
        occurred_at=change.changed_at,
        source="customer",
        kind="tier_changed",
        channel=Channel.ORDER,  # the tier follows what the customer bought
        summary=(
            f"Tier changed from {change.previous_tier} to {change.tier} "
            f"(total consumption {change.total_consumption})"
        ),
    )


def entry_from_event(event_id: str, data: EventData) -> TimelineEntry | None:
    """The timeline entry for another service's event, or None if it names no customer."""
    customer_id = getattr(data, "customer_id", None)
    describe = _DESCRIBERS.get(type(data))
    if customer_id is None or describe is None:
        return None
    kind, channel, summary, reference_id, occurred_at = describe(data)
    return TimelineEntry(
        id=event_id,
        customer_id=customer_id,
        occurred_at=occurred_at,
        source=data.SOURCE.removeprefix("crm/"),
        kind=kind,
        channel=channel,
        summary=summary,
        reference_id=reference_id,
        campaign_id=getattr(data, "campaign_id", None),
    )
