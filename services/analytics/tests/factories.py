"""Event payloads as the other services publish them, with sensible defaults."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer, marketing, sales, support
from crm_contracts.events.registry import EventData, to_cloud_event

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def envelope(data: EventData, *, event_id: str | None = None) -> CloudEvent:
    extra: dict[str, Any] = {} if event_id is None else {"id": event_id}
    return to_cloud_event(data, **extra)


def customer_created(customer_id: str, *, at: datetime = T0, **fields: Any) -> EventData:
    values: dict[str, Any] = {
        "customer_id": customer_id,
        "member_id": "VIP0000000001",
        "name": f"Customer {customer_id}",
        "created_at": at,
    }
    return customer.CustomerCreated(**(values | fields))


def opportunity_created(
    opportunity_id: str,
    *,
    at: datetime = T0,
    owner: str = "rep-1",
    team: str = "north",
    stage: str = "qualified",
    probability: str = "0.2",
    amount: str = "1000.00",
    expected_close: date | None = None,
    pipeline: str = "default",
) -> EventData:
    return sales.OpportunityCreated(
        opportunity_id=opportunity_id,
        customer_id="c-1",
        name=f"Deal {opportunity_id}",
        owner_id=owner,
        team=team,
        pipeline_id=pipeline,
        stage=stage,
        probability=Decimal(probability),
        amount=Decimal(amount),
        expected_close=expected_close,
        created_at=at,
    )


def stage_changed(
    opportunity_id: str,
    from_stage: str,
    to_stage: str,
    *,
    at: datetime,
    probability: str,
    owner: str = "rep-1",
    team: str = "north",
    amount: str = "1000.00",
    pipeline: str = "default",
) -> EventData:
    return sales.OpportunityStageChanged(
        opportunity_id=opportunity_id,
        customer_id="c-1",
        owner_id=owner,
        team=team,
        pipeline_id=pipeline,
        from_stage=from_stage,
        to_stage=to_stage,
        probability=Decimal(probability),
        amount=Decimal(amount),
        changed_at=at,
    )


def _closing(
    opportunity_id: str, created_at: datetime, at: datetime, owner: str, team: str, amount: str
) -> dict[str, Any]:
    return {
        "opportunity_id": opportunity_id,
        "customer_id": "c-1",
        "owner_id": owner,
        "team": team,
        "amount": Decimal(amount),
        "created_at": created_at,
        "closed_at": at,
    }


def opportunity_won(
    opportunity_id: str,
    *,
    created_at: datetime = T0,
    at: datetime,
    owner: str = "rep-1",
    team: str = "north",
    amount: str = "1000.00",
) -> EventData:
    return sales.OpportunityWon(**_closing(opportunity_id, created_at, at, owner, team, amount))


def opportunity_lost(
    opportunity_id: str,
    *,
    created_at: datetime = T0,
    at: datetime,
    owner: str = "rep-1",
    team: str = "north",
    amount: str = "1000.00",
) -> EventData:
    return sales.OpportunityLost(**_closing(opportunity_id, created_at, at, owner, team, amount))


def order_placed(customer_id: str, amount: str, *, at: datetime) -> EventData:
    return sales.OrderPlaced(
        order_id=new_id("order"),
        order_number="SO-1",
        customer_id=customer_id,
        amount=Decimal(amount),
        placed_at=at,
    )


def payment_received(customer_id: str, amount: str, *, at: datetime) -> EventData:
    return sales.PaymentReceived(
        payment_id=new_id("pay"),
        order_id=new_id("order"),
        customer_id=customer_id,
        amount=Decimal(amount),
        paid_at=at,
    )


def campaign_metrics(campaign_id: str, *, as_of: datetime = T0, **fields: Any) -> EventData:
    values: dict[str, Any] = {
        "campaign_id": campaign_id,
        "name": f"Campaign {campaign_id}",
        "audience": 1000,
        "sent": 1000,
        "delivered": 950,
        "bounced": 50,
        "opened": 380,
        "clicked": 95,
        "participants": 200,
        "converted": 20,
        "revenue": Decimal("12000.00"),
        "cost": Decimal("4000.00"),
        "as_of": as_of,
    }
    return marketing.CampaignMetricsUpdated(**(values | fields))


def campaign_status(
    campaign_id: str, status: str, *, at: datetime = T0, cost: str = "4000.00"
) -> EventData:
    return marketing.CampaignStatusChanged(
        campaign_id=campaign_id,
        name=f"Campaign {campaign_id}",
        status=status,
        budget=Decimal("5000.00"),
        cost=Decimal(cost),
        changed_at=at,
    )


def ticket_opened(
    ticket_id: str, *, at: datetime = T0, customer_id: str | None = "c-1", type: str = "technical"
) -> EventData:
    return support.TicketOpened(
        ticket_id=ticket_id,
        customer_id=customer_id,
        type=type,
        priority="normal",
        channel="email",
        subject="Help",
        opened_at=at,
    )


def ticket_resolved(
    ticket_id: str,
    *,
    opened_at: datetime = T0,
    at: datetime,
    agent: str = "agent-1",
    team: str = "support-a",
    first_response_seconds: float = 240.0,
    sla_met: bool = True,
    first_contact: bool = True,
) -> EventData:
    return support.TicketResolved(
        ticket_id=ticket_id,
        customer_id="c-1",
        assignee_id=agent,
        team=team,
        priority="normal",
        opened_at=opened_at,
        resolved_at=at,
        first_response_seconds=first_response_seconds,
        handling_seconds=(at - opened_at).total_seconds(),
        first_contact_resolution=first_contact,
        sla_met=sla_met,
    )


def survey_answered(score: int, *, at: datetime, agent: str = "agent-1") -> EventData:
    return support.SurveyAnswered(
        survey_id=new_id("survey"),
        ticket_id=new_id("ticket"),
        customer_id="c-1",
        agent_id=agent,
        score=score,
        answered_at=at,
    )
