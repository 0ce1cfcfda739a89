"""Campaigns (M-1): budget, cost, channels, dates, goals and a guarded lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from crm_contracts.events.marketing import CampaignStatusChanged
from crm_contracts.events.registry import EventData


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    PREPARING = "preparing"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    SOCIAL = "social"
    EVENT = "event"
    ADS = "ads"


S = CampaignStatus

ALLOWED_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    S.PLANNED: frozenset({S.PREPARING, S.CANCELLED}),
    S.PREPARING: frozenset({S.PLANNED, S.RUNNING, S.CANCELLED}),
    S.RUNNING: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

EDITABLE_STATUSES = frozenset({S.PLANNED, S.PREPARING})


class Goals(BaseModel):
    description: str | None = None
    target_participants: int | None = None
    target_conversions: int | None = None
    target_revenue: Decimal | None = None


class TemplateSnapshot(BaseModel):
    subject: str
    html: str
    text: str | None = None


class SendSnapshot(BaseModel):
    """What an email campaign sends, fixed when it starts, and its audience figures."""

    started_at: datetime
    segment_id: str
    template_id: str
    template: TemplateSnapshot
    promotion_details: str | None = None
    audience: int = 0
    queued: int = 0
    suppressed: int = 0


class Campaign(BaseModel):
    """A campaign as stored: its plan, lifecycle state and (once sending) its snapshot."""

    id: str
    name: str
    description: str | None = None
    channels: list[Channel]
    budget: Decimal
    cost: Decimal = Decimal("0")
    currency: str = "CNY"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    goals: Goals = Goals()
    status: CampaignStatus = CampaignStatus.PLANNED
    segment_id: str | None = None
    template_id: str | None = None
    promotion_id: str | None = None
    promotion_details: str | None = None
    send: SendSnapshot | None = None
    owner_id: str | None = None
    team: str | None = None
    version: int = 1
    created_at: datetime
    updated_at: datetime

    def facts(self) -> CampaignFacts:
        return CampaignFacts(
            self.id, self.name, self.status, self.budget, self.cost, self.owner_id, self.team
        )


@dataclass(frozen=True)
class CampaignFacts:
    """What a status change needs to know about the campaign."""

    campaign_id: str
    name: str
    status: CampaignStatus
    budget: Decimal
    cost: Decimal
    # Who owns it (told when it completes) and their team.
    owner_id: str | None = None
    team: str | None = None


def check_transition(current: CampaignStatus, target: CampaignStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "none"
        raise InvalidTransition(
            f"A {current} campaign cannot become {target} (allowed: {allowed}).", field="status"
        )


def change_status(
    campaign: CampaignFacts, target: CampaignStatus, now: datetime
) -> list[EventData]:
    """Validate a lifecycle step and return the event it causes."""
    check_transition(campaign.status, target)
    return [status_changed(campaign, campaign.status, target, now)]


def status_changed(
    campaign: CampaignFacts,
    previous: CampaignStatus | None,
    status: CampaignStatus,
    now: datetime,
) -> EventData:
    return CampaignStatusChanged(
        campaign_id=campaign.campaign_id,
        name=campaign.name,
        from_status=previous.value if previous else None,
        status=status.value,
        owner_id=campaign.owner_id,
        team=campaign.team,
        budget=campaign.budget,
        cost=campaign.cost,
        changed_at=now,
    )


def check_editable(status: CampaignStatus) -> None:
    if status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"A {status} campaign can no longer be edited.", field="status")


def check_dates(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise RuleViolation("The campaign must end after it starts.", field="ends_at")
