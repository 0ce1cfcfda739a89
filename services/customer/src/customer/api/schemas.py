"""Request and response bodies of the customer API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from customer.domain.consumption import TIER_RULE, TIER_THRESHOLDS
from customer.domain.customer import Customer
from customer.domain.fields import mask_national_id, mask_phone
from customer.domain.profile import LANGUAGE_RULE, MailLanguage, Profile, ProfileChanges
from customer.domain.value import value_score


class CustomerCreate(Profile):
    """A new member profile; unknown fields are refused."""


class CustomerPatch(ProfileChanges):
    """Fields to change; ``null`` clears an optional field."""


class ConsumptionOut(BaseModel):
    total_consumption: Decimal = Field(
        description=f"Sum of the payments received; it decides the tier: {TIER_THRESHOLDS}."
    )
    last_consumption_at: datetime | None
    purchases_last_year: int


class ValueOut(BaseModel):
    recency: int
    frequency: int
    monetary: int
    score: int
    segments: list[str]


class CustomerOut(BaseModel):
    id: str
    member_id: str
    name: str
    email: str | None
    phone: str | None
    national_id: str | None
    pii_masked: bool
    company: str | None
    title: str | None
    industry: str | None
    company_size: str | None
    region: str | None
    address: str | None
    source_channel: str | None
    owner_id: str | None
    team: str | None
    language: MailLanguage | None = Field(description=LANGUAGE_RULE)
    tags: list[str]
    custom_fields: dict[str, Any]
    tier: str = Field(description=TIER_RULE)
    consumption: ConsumptionOut
    value: ValueOut
    status: str
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, customer: Customer, *, reveal_pii: bool, now: datetime) -> CustomerOut:
        """Personal numbers in clear only when ``reveal_pii`` (see ``api.deps.reveals_pii``)."""
        phone, national_id = customer.phone, customer.national_id
        if not reveal_pii:
            phone = None if phone is None else mask_phone(phone)
            national_id = None if national_id is None else mask_national_id(national_id)
        facts = customer.consumption
        score = value_score(facts, customer.created_at, now)
        return cls(
            **customer.model_dump(
                exclude={"phone", "national_id", "consumption", "merged_into", "tier", "status"}
            ),
            phone=phone,
            national_id=national_id,
            pii_masked=not reveal_pii,
            tier=customer.tier.value,
            status=customer.status.value,
            consumption=ConsumptionOut(
                total_consumption=facts.total,
                last_consumption_at=facts.last_consumption_at,
                purchases_last_year=facts.purchases_in_year_before(now),
            ),
            value=ValueOut(
                recency=score.recency,
                frequency=score.frequency,
                monetary=score.monetary,
                score=score.score,
                segments=list(score.segments),
            ),
        )
