"""Request and response bodies of the lead resources."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from crm_chassis.inputs import InputModel
from crm_contracts.events.sales import ProspectDetails
from sales.domain.leads import Lead, LeadDraft, LeadStatus
from sales.domain.money import Money
from sales.domain.pipelines import DEFAULT_PIPELINE_ID
from sales.domain.scoring import AttributeScore
from sales.operations.leads import ConversionRequest

Text = Annotated[str, Field(max_length=200)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Phone = Annotated[str, Field(pattern=r"^(1[3-9]\d{9}|\+[1-9]\d{6,14})$")]
InterestLevel = Annotated[int, Field(ge=1, le=5)]


class ProspectFields(InputModel):
    email: Email | None = None
    phone: Phone | None = None
    company: Text | None = None
    title: Text | None = None
    industry: Text | None = None
    company_size: Text | None = None
    region: Text | None = None


class LeadCreate(ProspectFields):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    product: Text | None = None
    interest_level: InterestLevel | None = None
    visits: int = Field(default=0, ge=0, le=1_000_000)
    source_channel: Annotated[str, Field(pattern=r"^[a-z_]{2,30}$")] = "api"
    campaign_id: Text | None = None
    customer_id: Text | None = None

    def draft(self, source_channel: str | None = None) -> LeadDraft:
        prospect = ProspectDetails(
            name=self.name, **self.model_dump(include=set(ProspectFields.model_fields))
        )
        return LeadDraft(
            source_channel=source_channel or self.source_channel,
            prospect=prospect,
            product=self.product,
            interest_level=self.interest_level,
            visits=self.visits,
            campaign_id=self.campaign_id,
            customer_id=self.customer_id,
        )


class LeadPatch(ProspectFields):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    product: Text | None = None
    interest_level: InterestLevel | None = None
    status: LeadStatus | None = None
    disqualified_reason: Text | None = None


class LeadImport(InputModel):
    leads: list[LeadCreate] = Field(min_length=1, max_length=5000)


class ImportResult(BaseModel):
    imported: int
    lead_ids: list[str]


class ConversionOut(BaseModel):
    lead_id: str
    customer_id: str
    contact_id: str
    opportunity_id: str


class ConversionIn(InputModel):
    opportunity_name: Text | None = None
    amount: Money = Field(default=ConversionRequest().amount)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"
    pipeline_id: str = DEFAULT_PIPELINE_ID
    stage: str | None = None
    expected_close: date | None = None


class AssignmentIn(InputModel):
    """Name an owner, or leave it out to run the routing rules again."""

    owner_id: str | None = None


class LeadOut(BaseModel):
    lead_id: str
    version: int
    status: LeadStatus
    source_channel: str
    name: str
    email: str | None
    phone: str | None
    company: str | None
    title: str | None
    industry: str | None
    company_size: str | None
    region: str | None
    product: str | None
    interest_level: int | None
    visits: int
    campaign_id: str | None
    customer_id: str | None
    score: int
    score_breakdown: list[AttributeScore]
    owner_id: str | None
    team: str | None
    assignment_rule: str | None
    assigned_at: datetime | None
    disqualified_reason: str | None
    opportunity_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, lead: Lead) -> LeadOut:
        return cls(
            **lead.prospect.model_dump(),
            **lead.model_dump(exclude={"prospect", "conversion", "form_id"}),
            opportunity_id=lead.conversion.opportunity_id if lead.conversion else None,
        )
