"""``/api/v1/customers/{id}/timeline`` and ``.../interactions``: the 360 view (C-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict

from crm_chassis.errors import NotFound
from customer.api.deps import ComponentsDep, ReadCustomers, WriteCustomers, visibility
from customer.domain.timeline import InteractionDraft, InteractionStatus, TimelineEntry
from customer.operations import timeline
from customer.operations.profiles import visible

router = APIRouter(prefix="/api/v1/customers/{customer_id}", tags=["timeline"])


class InteractionCreate(InteractionDraft):
    """A touch with the customer: channel, time, content and status."""


class TimelineOut(BaseModel):
    customer_id: str
    items: list[TimelineEntry]
    next_before: datetime | None


@router.post("/interactions", status_code=status.HTTP_201_CREATED, response_model=TimelineEntry)
async def record_interaction(
    customer_id: str,
    body: InteractionCreate,
    parts: ComponentsDep,
    principal: WriteCustomers,
) -> TimelineEntry:
    return await timeline.record_interaction(
        parts, customer_id, body, visibility=visibility(principal), actor=principal.subject
    )


class InteractionStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: InteractionStatus


@router.patch("/interactions/{interaction_id}", response_model=TimelineEntry)
async def change_interaction_status(
    customer_id: str,
    interaction_id: str,
    body: InteractionStatusChange,
    parts: ComponentsDep,
    principal: WriteCustomers,
) -> TimelineEntry:
    """Mark a touch replied, pending or to handle."""
    await visible(parts, customer_id, visibility(principal))
    entry = await parts.timeline.set_status(customer_id, interaction_id, body.status)
    if entry is None:
        raise NotFound(f"No interaction {interaction_id} recorded for customer {customer_id}.")
    return entry


@router.get("/timeline", response_model=TimelineOut)
async def customer_timeline(
    customer_id: str,
    parts: ComponentsDep,
    principal: ReadCustomers,
    before: Annotated[datetime | None, Query(description="Entries older than this")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TimelineOut:
    """Every touch, newest first: interactions recorded here, orders, payments and
    opportunities from sales, email and campaign responses from marketing, tickets
    and surveys from support."""
    entries = await timeline.timeline_of(
        parts, customer_id, visibility=visibility(principal), before=before, limit=limit
    )
    next_before = entries[-1].occurred_at if len(entries) == limit else None
    return TimelineOut(customer_id=customer_id, items=entries, next_before=next_before)
