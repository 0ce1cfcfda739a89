"""The unified timeline (C-5): interactions recorded here, facts from other services."""

from __future__ import annotations

import uuid
from datetime import datetime

from crm_contracts.envelope import CloudEvent
from crm_contracts.events import customer as customer_events
from crm_contracts.events.registry import parse_data
from customer.components import Components
from customer.domain.access import Visibility
from customer.domain.customer import CustomerStatus
from customer.domain.timeline import (
    InteractionDraft,
    TimelineEntry,
    entry_from_event,
    interaction_entry,
)
from customer.operations.profiles import visible


async def record_interaction(
    parts: Components,
    customer_id: str,
    draft: InteractionDraft,
    *,
    visibility: Visibility,
    actor: str,
) -> TimelineEntry:
    await visible(parts, customer_id, visibility)
    entry = interaction_entry(
        draft, entry_id=uuid.uuid4().hex, customer_id=customer_id, actor=actor
    )
    recorded = customer_events.InteractionRecorded(
        interaction_id=entry.id,
        customer_id=customer_id,
        channel=entry.channel.value,
        status=draft.status.value,
        summary=entry.summary,
        occurred_at=entry.occurred_at,
    )
    await parts.timeline.add(entry, [recorded])
    parts.notify_outbox()
    return entry


async def timeline_of(
    parts: Components,
    customer_id: str,
    *,
    visibility: Visibility,
    before: datetime | None,
    limit: int,
) -> list[TimelineEntry]:
    await visible(parts, customer_id, visibility)
    return await parts.timeline.for_customer(customer_id, before=before, limit=limit)


async def add_foreign_fact(parts: Components, event: CloudEvent) -> None:
    """Another service's event as a timeline entry, under the customer it names now
    (a merged customer's facts go to the survivor); unknown customers are skipped,
    since the fact belongs to no profile here."""
    entry = entry_from_event(event.id, parse_data(event))
    if entry is None:
        return
    customer = await parts.customers.get(entry.customer_id)
    if customer is None:
        return
    if customer.status == CustomerStatus.MERGED and customer.merged_into:
        entry = entry.model_copy(update={"customer_id": customer.merged_into})
    await parts.timeline.add(entry)
