"""Events published by the customer service."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from crm_contracts.events.registry import EventData, event_type

SOURCE = "crm/customer"
TEAM = (
    "The sales team the customer belongs to; with owner_id it decides who may see the "
    "customer (crm_contracts.access.customer_scope), also in other services' copies."
)
LANGUAGE = (
    "The language mail to the customer is written in (zh-CN or en); none: the "
    "platform's default (zh-CN)."
)


@event_type("crm.customer.customer.created.v1", source=SOURCE)
class CustomerCreated(EventData):
    customer_id: str
    member_id: str
    name: str
    email: str | None = None
    company: str | None = None
    industry: str | None = None
    company_size: str | None = None
    region: str | None = None
    source_channel: str | None = None
    owner_id: str | None = None
    team: str | None = Field(default=None, description=TEAM)
    tier: str = "normal"
    tags: list[str] = []
    created_at: datetime
    language: str | None = Field(default=None, description=LANGUAGE)


@event_type("crm.customer.customer.updated.v1", source=SOURCE)
class CustomerUpdated(EventData):
    """The customer's shareable attributes after the change (a snapshot, not a diff)."""

    customer_id: str
    version: int
    name: str
    email: str | None = None
    company: str | None = None
    industry: str | None = None
    company_size: str | None = None
    region: str | None = None
    owner_id: str | None = None
    team: str | None = Field(default=None, description=TEAM)
    tags: list[str] = []
    updated_at: datetime
    language: str | None = Field(default=None, description=LANGUAGE)


@event_type("crm.customer.customer.tier_changed.v1", source=SOURCE)
class CustomerTierChanged(EventData):
    customer_id: str
    previous_tier: str
    tier: str
    total_consumption: Decimal
    changed_at: datetime


@event_type("crm.customer.customer.consumption_changed.v1", source=SOURCE)
class CustomerConsumptionChanged(EventData):
    customer_id: str
    total_consumption: Decimal
    last_consumption_at: datetime | None = None
    purchases_last_year: int = 0


@event_type("crm.customer.customer.merged.v1", source=SOURCE)
class CustomersMerged(EventData):
    """``merged_id`` no longer exists; every reference to it must point to ``surviving_id``."""

    surviving_id: str
    merged_id: str
    merged_at: datetime


@event_type("crm.customer.customer.erased.v1", source=SOURCE)
class CustomerErased(EventData):
    """Right to erasure: every service removes or anonymises this customer's personal data."""

    customer_id: str
    erased_at: datetime


@event_type("crm.customer.interaction.recorded.v1", source=SOURCE)
class InteractionRecorded(EventData):
    interaction_id: str
    customer_id: str
    channel: str
    status: str
    summary: str | None = None
    occurred_at: datetime


@event_type("crm.customer.import.finished.v1", source=SOURCE)
class ImportFinished(EventData):
    """A customer import ran to its end; rows with errors are counted in ``rejected``."""

    import_id: str
    started_by: str | None = None
    file_name: str | None = None
    total_rows: int
    created: int
    updated: int = 0
    rejected: int
    finished_at: datetime


@event_type("crm.customer.import.failed.v1", source=SOURCE)
class ImportFailed(EventData):
    """A customer import stopped before its end (an unreadable file, a limit, a crash)."""

    import_id: str
    started_by: str | None = None
    file_name: str | None = None
    reason: str
    failed_at: datetime
