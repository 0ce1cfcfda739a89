"""Request and response models of the campaign routes."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field

from crm_chassis.inputs import InputModel
from marketing.domain.campaigns import Campaign, CampaignStatus, Channel
from marketing.domain.deliveries import DeliveryStatus
from marketing.domain.metrics import CampaignCounts, compute_metrics

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Ref = Annotated[str, Field(min_length=1, max_length=100)]


class Goals(InputModel):
    description: str | None = Field(default=None, max_length=2000)
    target_participants: int | None = Field(default=None, ge=0)
    target_conversions: int | None = Field(default=None, ge=0)
    target_revenue: Money | None = None


class CampaignCreate(InputModel):
    name: Name
    description: str | None = Field(default=None, max_length=5000)
    channels: Annotated[list[Channel], Field(min_length=1, max_length=5)]
    budget: Money
    cost: Money = Decimal("0")
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    goals: Goals = Goals()
    segment_id: Ref | None = None
    template_id: Ref | None = None
    promotion_id: Ref | None = None
    promotion_details: str | None = Field(default=None, max_length=2000)


class CampaignPatch(InputModel):
    name: Name | None = None
    description: str | None = Field(default=None, max_length=5000)
    channels: Annotated[list[Channel], Field(min_length=1, max_length=5)] | None = None
    budget: Money | None = None
    cost: Money | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    goals: Goals | None = None
    segment_id: Ref | None = None
    template_id: Ref | None = None
    promotion_id: Ref | None = None
    promotion_details: str | None = Field(default=None, max_length=2000)


class StatusChange(InputModel):
    status: CampaignStatus


class SendSummary(BaseModel):
    started_at: datetime
    segment_id: str
    template_id: str
    audience: int
    queued: int = 0
    suppressed: int = 0


class CampaignOut(BaseModel):
    id: str
    name: str
    description: str | None
    channels: list[Channel]
    budget: Decimal
    cost: Decimal
    currency: str
    starts_at: datetime | None
    ends_at: datetime | None
    goals: Goals
    status: CampaignStatus
    segment_id: str | None
    template_id: str | None
    promotion_id: str | None
    promotion_details: str | None
    send: SendSummary | None
    owner_id: str | None
    team: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class LaunchOut(BaseModel):
    campaign_id: str
    audience: int
    queued: int
    suppressed: int
    newly_queued: int


class DeliveryOut(BaseModel):
    id: str
    campaign_id: str
    customer_id: str
    email: str | None
    tier: str | None
    status: DeliveryStatus
    attempts: int
    suppressed_reason: str | None
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    opened_at: datetime | None
    clicked_at: datetime | None
    message_id: str


class MetricsOut(BaseModel):
    campaign_id: str
    audience: int
    queued: int
    sent: int
    delivered: int
    bounced: int
    failed: int
    suppressed: int
    opened: int
    clicked: int
    participants: int
    converted: int
    revenue: Decimal
    cost: Decimal
    participation_rate: Decimal | None
    conversion_rate: Decimal | None
    open_rate: Decimal | None
    click_rate: Decimal | None
    roi: Decimal | None
    cpa: Decimal | None
    as_of: datetime


def campaign_out(campaign: Campaign) -> CampaignOut:
    send = campaign.send
    return CampaignOut.model_validate(
        {
            **campaign.model_dump(exclude={"send", "goals"}),
            "goals": Goals.model_validate(campaign.goals.model_dump()),
            "send": SendSummary.model_validate(send.model_dump()) if send else None,
        }
    )


def delivery_out(document: dict[str, Any]) -> DeliveryOut:
    return DeliveryOut(
        id=document["_id"],
        campaign_id=document["campaign_id"],
        customer_id=document["customer_id"],
        email=document.get("email"),
        tier=document.get("tier"),
        status=DeliveryStatus(document["status"]),
        attempts=document.get("attempts", 0),
        suppressed_reason=document.get("suppressed_reason"),
        last_error=document.get("last_error"),
        next_attempt_at=document.get("next_attempt_at"),
        sent_at=document.get("sent_at"),
        opened_at=document.get("opened_at"),
        clicked_at=document.get("clicked_at"),
        message_id=document["message_id"],
    )


def metrics_out(
    campaign_id: str, counts: CampaignCounts, cost: Decimal, as_of: datetime
) -> MetricsOut:
    metrics = compute_metrics(counts, cost)
    rates = {k: v for k, v in asdict(metrics).items() if k not in ("counts", "cost")}
    return MetricsOut(campaign_id=campaign_id, **asdict(counts), cost=cost, **rates, as_of=as_of)
