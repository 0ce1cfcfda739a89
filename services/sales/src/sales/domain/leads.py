"""The lead aggregate (S-1, S-2, S-4): capture, scoring, assignment, qualification, conversion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from crm_chassis.domain_errors import InvalidTransition
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import LeadAssigned, LeadCaptured, LeadConverted, ProspectDetails
from sales.domain.lead_filters import FilteredField, LeadFilter, failed_filter, filter_reason
from sales.domain.scoring import AttributeScore, ScoreInputs, ScoringConfig, score_lead


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)

_ALLOWED_MOVES: dict[LeadStatus, set[LeadStatus]] = {
    LeadStatus.NEW: {LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED},
    LeadStatus.CONTACTED: {LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED},
    LeadStatus.QUALIFIED: {LeadStatus.CONTACTED, LeadStatus.DISQUALIFIED},
    LeadStatus.DISQUALIFIED: {LeadStatus.NEW},
    LeadStatus.CONVERTED: set(),
}


class Conversion(BaseModel):
    """Ids chosen before anything is written, so a retried conversion reuses them."""

    customer_id: str
    contact_id: str
    opportunity_id: str
    completed_at: datetime | None = None


class LeadDraft(BaseModel):
    """A lead as captured from a channel, before scoring and routing."""

    source_channel: str
    prospect: ProspectDetails
    product: str | None = None
    interest_level: int | None = None
    visits: int = 0
    campaign_id: str | None = None
    customer_id: str | None = None
    form_id: str | None = None


class Lead(LeadDraft):
    lead_id: str
    version: int = 1
    status: LeadStatus = LeadStatus.NEW
    score: int = 0
    score_breakdown: list[AttributeScore] = Field(default_factory=list)
    owner_id: str | None = None
    team: str | None = None
    assignment_rule: str | None = None
    assigned_at: datetime | None = None
    disqualified_reason: str | None = None
    conversion: Conversion | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def score_inputs(self) -> ScoreInputs:
        return ScoreInputs(
            industry=self.prospect.industry,
            company_size=self.prospect.company_size,
            visits=self.visits,
            interest_level=self.interest_level,
        )

    def filter_facts(self) -> dict[FilteredField, str | None]:
        return {
            FilteredField.REGION: self.prospect.region,
            FilteredField.INDUSTRY: self.prospect.industry,
            FilteredField.COMPANY_SIZE: self.prospect.company_size,
        }


def capture_lead(
    lead: Lead, config: ScoringConfig, filters: Sequence[LeadFilter]
) -> tuple[Lead, list[EventData]]:
    """A newly captured lead, scored and filtered, with the event announcing it."""
    lead = rescore(lead, config)
    rejected = failed_filter(filters, lead.filter_facts())
    if rejected is not None:
        lead = lead.model_copy(
            update={
                "status": LeadStatus.DISQUALIFIED,
                "disqualified_reason": filter_reason(rejected),
            }
        )
    event = LeadCaptured(
        lead_id=lead.lead_id,
        source_channel=lead.source_channel,
        company=lead.prospect.company,
        industry=lead.prospect.industry,
        region=lead.prospect.region,
        score=lead.score,
        campaign_id=lead.campaign_id,
        captured_at=lead.created_at,
    )
    return lead, [event]


def rescore(lead: Lead, config: ScoringConfig) -> Lead:
    result = score_lead(config, lead.score_inputs())
    return lead.model_copy(update={"score": result.score, "score_breakdown": result.breakdown})


def assign_lead(
    lead: Lead, *, owner_id: str, team: str | None, rule: str | None, now: datetime
) -> tuple[Lead, list[EventData]]:
    if not lead.is_open:
        raise InvalidTransition(f"A {lead.status.value} lead cannot be assigned.")
    assigned = lead.model_copy(
        update={"owner_id": owner_id, "team": team, "assignment_rule": rule, "assigned_at": now}
    )
    event = LeadAssigned(
        lead_id=lead.lead_id,
        owner_id=owner_id,
        team=team,
        rule=rule,
        name=lead.prospect.name,
        company=lead.prospect.company,
        assigned_at=now,
    )
    return assigned, [event]


def change_status(lead: Lead, status: LeadStatus, reason: str | None) -> Lead:
    if status == lead.status:
        return lead
    if status is LeadStatus.CONVERTED:
        raise InvalidTransition("Convert a lead with its conversion, not by setting the status.")
    if status not in _ALLOWED_MOVES[lead.status]:
        raise InvalidTransition(f"A {lead.status.value} lead cannot become {status.value}.")
    return lead.model_copy(
        update={
            "status": status,
            "disqualified_reason": reason if status is LeadStatus.DISQUALIFIED else None,
        }
    )


def start_conversion(lead: Lead, proposed: Conversion) -> Conversion:
    """The ids of this lead's conversion: those already reserved, else the proposed ones."""
    if lead.conversion is not None:
        return lead.conversion
    if lead.status is not LeadStatus.QUALIFIED:
        raise InvalidTransition(
            f"Only a qualified lead can be converted; this one is {lead.status.value}."
        )
    customer_id = lead.customer_id or proposed.customer_id
    return proposed.model_copy(update={"customer_id": customer_id})


def complete_conversion(lead: Lead, now: datetime) -> tuple[Lead, list[EventData]]:
    if lead.conversion is None:
        raise InvalidTransition("The conversion has not been started.")
    if lead.status is LeadStatus.CONVERTED:
        return lead, []
    conversion = lead.conversion.model_copy(update={"completed_at": now})
    converted = lead.model_copy(
        update={
            "status": LeadStatus.CONVERTED,
            "conversion": conversion,
            "customer_id": conversion.customer_id,
        }
    )
    event = LeadConverted(
        lead_id=lead.lead_id,
        customer_id=conversion.customer_id,
        contact_id=conversion.contact_id,
        opportunity_id=conversion.opportunity_id,
        owner_id=lead.owner_id,
        team=lead.team,
        prospect=lead.prospect,
        campaign_id=lead.campaign_id,
        converted_at=now,
    )
    return converted, [event]
