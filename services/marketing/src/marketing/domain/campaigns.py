"""Campaigns (M-1): budget, cost, channels, dates, goals and a guarded lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import CampaignStatusChanged
from crm_contracts.events.registry import to_cloud_event
from marketing.domain.errors import InvalidTransition


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


@dataclass(frozen=True)
class CampaignFacts:
    """What a status change needs to know about the campaign."""

    campaign_id: str
    name: str
    status: CampaignStatus
    budget: Decimal
    cost: Decimal


def check_transition(current: CampaignStatus, target: CampaignStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "none"
        raise InvalidTransition(
            f"A {current} campaign cannot become {target} (allowed: {allowed}).", field="status"
        )


def change_status(
    campaign: CampaignFacts, target: CampaignStatus, now: datetime
) -> list[CloudEvent]:
    """Validate a lifecycle step and return the event it causes."""
    check_transition(campaign.status, target)
    return [status_changed(campaign, campaign.status, target, now)]


def status_changed(
    campaign: CampaignFacts,
    previous: CampaignStatus | None,
    status: CampaignStatus,
    now: datetime,
) -> CloudEvent:
    data = CampaignStatusChanged(
        campaign_id=campaign.campaign_id,
        name=campaign.name,
        from_status=previous.value if previous else None,
        status=status.value,
        budget=campaign.budget,
        cost=campaign.cost,
        changed_at=now,
    )
    return to_cloud_event(data, subject=campaign.campaign_id)


def check_editable(status: CampaignStatus) -> None:
    if status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"A {status} campaign can no longer be edited.", field="status")


def check_dates(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise InvalidTransition("The campaign must end after it starts.", field="ends_at")
