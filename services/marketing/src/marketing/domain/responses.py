"""Campaign responses (someone answered: a form, a reply, an event sign-up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_chassis.domain_errors import InvalidTransition
from crm_contracts.envelope import CloudEvent
from crm_contracts.events.marketing import CampaignResponded
from crm_contracts.events.registry import to_cloud_event
from marketing.domain.campaigns import CampaignStatus

ACCEPTING_STATUSES = frozenset({CampaignStatus.RUNNING, CampaignStatus.COMPLETED})
"""Late answers to a finished campaign still count; a campaign not yet out has none."""


@dataclass(frozen=True)
class Respondent:
    name: str
    customer_id: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    region: str | None = None
    industry: str | None = None
    interest: str | None = None


def record_response(
    response_id: str,
    campaign_id: str,
    status: CampaignStatus,
    respondent: Respondent,
    now: datetime,
) -> list[CloudEvent]:
    """Accept a response for a campaign that is out; sales turns the event into a lead."""
    if status not in ACCEPTING_STATUSES:
        raise InvalidTransition(f"A {status} campaign takes no responses.", field="campaign")
    data = CampaignResponded(
        response_id=response_id,
        campaign_id=campaign_id,
        customer_id=respondent.customer_id,
        name=respondent.name,
        email=respondent.email,
        phone=respondent.phone,
        company=respondent.company,
        region=respondent.region,
        industry=respondent.industry,
        interest=respondent.interest,
        responded_at=now,
    )
    return [to_cloud_event(data, subject=campaign_id)]
