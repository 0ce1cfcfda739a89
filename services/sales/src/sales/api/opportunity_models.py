"""Request and response bodies of opportunities and pipelines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from crm_chassis.inputs import InputModel
from sales.domain.money import Money
from sales.domain.opportunities import Opportunity, OpportunityStatus, StageChange
from sales.domain.pipelines import DEFAULT_PIPELINE_ID, Pipeline, Stage
from sales.store.customers import CustomerLabel

Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4000)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class OpportunityFields(InputModel):
    contact_id: Text | None = None
    amount: Money | None = None
    currency: Currency | None = None
    expected_close: date | None = None
    product: Text | None = None
    needs: LongText | None = None
    decision_maker: Text | None = None
    quote_id: Text | None = None
    contract_number: Text | None = None


class OpportunityCreate(OpportunityFields):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    customer_id: Annotated[str, Field(min_length=1, max_length=80)]
    pipeline_id: str = DEFAULT_PIPELINE_ID
    stage: str | None = None
    owner_id: Text | None = None


class OpportunityPatch(OpportunityFields):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    owner_id: Text | None = None


class StageMove(InputModel):
    stage: str = Field(min_length=1, max_length=40)
    reason: Annotated[str, Field(max_length=500)] | None = None


class OpportunityOut(BaseModel):
    opportunity_id: str
    version: int
    name: str
    customer_id: str
    customer_name: str | None = Field(
        default=None,
        description="The customer's name from sales' copy of customers; null when the "
        "customer was erased or its name is not known to sales yet",
    )
    customer_tier: str | None = None
    contact_id: str | None
    lead_id: str | None
    pipeline_id: str
    stage: str
    probability: Decimal
    weighted_amount: Decimal
    status: OpportunityStatus
    amount: Decimal
    currency: str
    expected_close: date | None
    owner_id: str | None
    team: str | None
    product: str | None
    needs: str | None
    decision_maker: str | None
    quote_id: str | None
    contract_number: str | None
    stage_history: list[StageChange]
    stage_changed_at: datetime
    stalled_since: datetime | None = Field(
        description="Since when it is stalled: the moment it had sat in its stage for the "
        "pipeline's stall days (set when the stall is detected); null while it is not "
        "stalled, cleared when it moves to another stage"
    )
    close_reason: str | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, opportunity: Opportunity, customer: CustomerLabel | None) -> OpportunityOut:
        weighted = (opportunity.amount * opportunity.probability / 100).quantize(Decimal("0.01"))
        return cls(
            **opportunity.model_dump(exclude={"stall_alerted_for", "source_channel", "lead_score"}),
            customer_name=customer.name if customer else None,
            customer_tier=customer.tier if customer else None,
            weighted_amount=weighted,
        )


class PipelineIn(InputModel):
    name: str = Field(min_length=1, max_length=120)
    stages: list[Stage] = Field(min_length=3, max_length=30)
    stall_days: int | None = Field(default=None, ge=1, le=365)


class PipelineOut(Pipeline):
    @classmethod
    def of(cls, pipeline: Pipeline) -> PipelineOut:
        return cls.model_validate(pipeline.model_dump())
