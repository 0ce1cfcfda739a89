"""The customer aggregate: a member profile with its consumption facts and tier.

Every operation returns the new state and the contract events it causes; the
store writes both in one single-document write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from crm_chassis.domain_errors import DuplicateValue
from crm_contracts.events import customer as events
from crm_contracts.events.registry import EventData
from customer.domain.consumption import Consumption, Payment, Tier, TierMove, tier_for
from customer.domain.fields import mask_national_id, mask_phone
from customer.domain.profile import PII_FIELDS, Profile

MEMBER_ID_PREFIX = "VIP"
MEMBER_ID_DIGITS = 10


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    ERASED = "erased"


def member_id(sequence: int) -> str:
    """``VIP`` and digits, e.g. ``VIP0000000042``."""
    return f"{MEMBER_ID_PREFIX}{sequence:0{MEMBER_ID_DIGITS}d}"


class DuplicateCustomer(DuplicateValue):
    """Another customer already has this email or phone (its own problem type, which
    clients branch on)."""

    slug, title = "duplicate-customer", "Another customer has this value"

    def __init__(self, field: str) -> None:
        super().__init__(field, f"Another customer already has this {field}.")

    @property
    def field_reason(self) -> str:
        return "already used by another customer"


class Customer(Profile):
    """The aggregate's whole state, with plain-text personal fields (the store encrypts)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_assignment=False)

    id: str
    member_id: str
    status: CustomerStatus = CustomerStatus.ACTIVE
    merged_into: str | None = None
    consumption: Consumption = Field(default_factory=Consumption)
    tier: Tier = Tier.NORMAL
    version: int = 1
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class FieldChange:
    """One audited change; personal fields are recorded masked, never in clear."""

    field: str
    before: Any
    after: Any


Outcome = tuple[Customer, list[EventData]]


def tier_changes(caused: list[EventData]) -> list[events.CustomerTierChanged]:
    """The tier changes among the events a change caused (for the timeline and audit)."""
    return [event for event in caused if isinstance(event, events.CustomerTierChanged)]


def audited_tier(change: events.CustomerTierChanged) -> FieldChange:
    return FieldChange(field="tier", before=change.previous_tier, after=change.tier)


def create_customer(
    profile: Profile, *, customer_id: str, member_id: str, now: datetime
) -> Outcome:
    # The profile is validated already; constructing skips validating it a second time.
    customer = Customer.model_construct(
        **profile.model_dump(), id=customer_id, member_id=member_id, created_at=now, updated_at=now
    )
    return customer, [created_event(customer)]


def created_event(customer: Customer) -> events.CustomerCreated:
    return events.CustomerCreated(
        customer_id=customer.id,
        member_id=customer.member_id,
        name=customer.name,
        email=customer.email,
        company=customer.company,
        industry=customer.industry,
        company_size=customer.company_size,
        region=customer.region,
        source_channel=customer.source_channel,
        owner_id=customer.owner_id,
        team=customer.team,
        tier=customer.tier.value,
        tags=list(customer.tags),
        created_at=customer.created_at,
        language=_language(customer),
    )


def _updated(customer: Customer) -> events.CustomerUpdated:
    return events.CustomerUpdated(
        customer_id=customer.id,
        version=customer.version,
        name=customer.name,
        email=customer.email,
        company=customer.company,
        industry=customer.industry,
        company_size=customer.company_size,
        region=customer.region,
        owner_id=customer.owner_id,
        team=customer.team,
        tags=list(customer.tags),
        updated_at=customer.updated_at,
        language=_language(customer),
    )


def _language(customer: Customer) -> str | None:
    return None if customer.language is None else customer.language.value


def _audited(field: str, value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if value is None or field not in PII_FIELDS:
        return value
    return mask_phone(value) if field == "phone" else mask_national_id(value)


def change_customer(
    customer: Customer, changes: dict[str, Any], now: datetime
) -> tuple[Customer, list[EventData], list[FieldChange]]:
    """Apply a patch; a patch that changes nothing causes no version bump and no event."""
    diffs = [
        FieldChange(name, _audited(name, getattr(customer, name)), _audited(name, value))
        for name, value in changes.items()
        if getattr(customer, name) != value
    ]
    if not diffs:
        return customer, [], []
    updated = customer.model_copy(
        update={**changes, "version": customer.version + 1, "updated_at": now}
    )
    return updated, [_updated(updated)], diffs


def record_payment(customer: Customer, payment: Payment, now: datetime) -> Outcome:
    """Count a payment in the consumption facts (C-2) and recompute the tier (C-3).

    A payment already counted changes nothing and causes no event, which makes
    redelivered payment events harmless. A payment that moves the tier is stored with
    that move (:class:`TierMove`), for the timeline and audit entries of the move.
    """
    if customer.consumption.counts(payment.payment_id):
        return customer, []
    total = customer.consumption.with_payment(payment).total
    tier = tier_for(total)
    if tier != customer.tier:
        move = TierMove(
            version=customer.version + 1,
            previous_tier=customer.tier,
            tier=tier,
            total=total,
            changed_at=now,
        )
        payment = payment.model_copy(update={"tier_move": move})
    return _with_consumption(customer, customer.consumption.with_payment(payment), now)


def tier_moved(customer_id: str, move: TierMove) -> events.CustomerTierChanged:
    """A payment's stored tier move as the tier change it was (for its timeline entry)."""
    return events.CustomerTierChanged(
        customer_id=customer_id,
        previous_tier=move.previous_tier.value,
        tier=move.tier.value,
        total_consumption=move.total,
        changed_at=move.changed_at,
    )


def _with_consumption(customer: Customer, consumption: Consumption, now: datetime) -> Outcome:
    tier = tier_for(consumption.total)
    updated = customer.model_copy(
        update={
            "consumption": consumption,
            "tier": tier,
            "version": customer.version + 1,
            "updated_at": now,
        }
    )
    caused: list[EventData] = [
        events.CustomerConsumptionChanged(
            customer_id=customer.id,
            total_consumption=consumption.total,
            last_consumption_at=consumption.last_consumption_at,
            purchases_last_year=consumption.purchases_in_year_before(now),
        )
    ]
    if tier != customer.tier:
        caused.append(
            events.CustomerTierChanged(
                customer_id=customer.id,
                previous_tier=customer.tier.value,
                tier=tier.value,
                total_consumption=consumption.total,
                changed_at=now,
            )
        )
    return updated, caused


ERASED_NAME = "(erased)"
_ERASABLE = (
    "email",
    "phone",
    "national_id",
    "company",
    "title",
    "address",
    "owner_id",
)


def erase_customer(customer: Customer, now: datetime) -> Outcome:
    """Right to erasure (C-10): personal fields go, facts without a person stay."""
    if customer.status == CustomerStatus.ERASED:
        return customer, []
    erased = customer.model_copy(
        update={
            **dict.fromkeys(_ERASABLE),
            "name": ERASED_NAME,
            "tags": [],
            "custom_fields": {},
            "status": CustomerStatus.ERASED,
            "version": customer.version + 1,
            "updated_at": now,
        }
    )
    return erased, [events.CustomerErased(customer_id=customer.id, erased_at=now)]


_FILLABLE = (
    "email",
    "phone",
    "national_id",
    "company",
    "title",
    "industry",
    "company_size",
    "region",
    "address",
    "source_channel",
    "owner_id",
    "team",
    "language",
)


def merge_customers(
    surviving: Customer, merged: Customer, now: datetime
) -> tuple[Customer, Customer, list[EventData], list[EventData]]:
    """Fold ``merged`` into ``surviving`` (C-9): the survivor keeps its values and takes
    the other's where it has none, both customers' tags and payments (each counted
    once), and a tier from the combined total. ``merged`` stays as a pointer to the
    survivor, without the unique values it handed over.

    Returns both new states and the events each write causes.
    """
    taken = {
        name: getattr(merged, name)
        for name in _FILLABLE
        if getattr(surviving, name) is None and getattr(merged, name) is not None
    }
    tags = list(dict.fromkeys([*surviving.tags, *merged.tags]))
    custom = {**merged.custom_fields, **surviving.custom_fields}
    combined = surviving.consumption.combined(merged.consumption)
    folded, events_of_survivor = (
        _with_consumption(surviving, combined, now)
        if combined != surviving.consumption
        else (surviving, [])
    )
    folded = folded.model_copy(
        update={
            **taken,
            "tags": tags,
            "custom_fields": custom,
            "version": surviving.version + 1,
            "updated_at": now,
        }
    )
    events_of_survivor = [_updated(folded), *events_of_survivor]
    pointer = merged.model_copy(
        update={
            "email": None,
            "phone": None,
            "national_id": None,
            "status": CustomerStatus.MERGED,
            "merged_into": surviving.id,
            "version": merged.version + 1,
            "updated_at": now,
        }
    )
    merged_event = events.CustomersMerged(
        surviving_id=surviving.id, merged_id=merged.id, merged_at=now
    )
    return folded, pointer, events_of_survivor, [merged_event]
