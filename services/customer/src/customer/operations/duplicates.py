"""Duplicate detection and merge (C-9)."""

from __future__ import annotations

import logging
from datetime import datetime

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import RuleViolation, StateConflict, VersionConflict
from crm_contracts.events.registry import EventData
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.access import Visibility
from customer.domain.customer import Customer, CustomerStatus
from customer.operations.consumption import note_tier_changes
from customer.operations.profiles import visible

log = logging.getLogger(__name__)

FOLD_ATTEMPTS = 5


async def duplicate_groups(parts: Components, limit: int) -> list[tuple[str, list[Customer]]]:
    """Groups of active customers that are likely one: the same name at the same
    company, or one's contact has the other's email."""
    groups: list[tuple[str, list[Customer]]] = []
    for ids in await parts.customers.same_name_and_company(limit):
        members = [c for c in [await parts.customers.get(i) for i in ids] if c is not None]
        groups.append(("same name and company", members))
    for customer_id, other_id in await parts.customers.contact_email_matches(parts.contacts, limit):
        pair = [await parts.customers.get(customer_id), await parts.customers.get(other_id)]
        groups.append(("contact email", [c for c in pair if c is not None]))
    return [(reason, members) for reason, members in groups if len(members) > 1][:limit]


async def merge(
    parts: Components,
    surviving_id: str,
    merged_id: str,
    *,
    visibility: Visibility,
    actor: str,
) -> Customer:
    """Fold one customer into another, keep every interaction and re-point references.

    The merged customer is written first (it releases its email and phone and
    announces ``customer.merged`` so other services re-point theirs), then the
    survivor takes its values; timeline, contacts and relations follow.
    """
    if surviving_id == merged_id:
        raise RuleViolation("A customer cannot be merged into itself.", field="merged_id")
    surviving = await visible(parts, surviving_id, visibility)
    merged = await visible(parts, merged_id, visibility)
    now = utc_now()
    _, pointer, _, merged_events = rules.merge_customers(surviving, merged, now)
    pointer = await parts.customers.save(pointer, merged.version, merged_events)
    folded, caused = await _fold_into_survivor(parts, surviving.id, merged, now)
    await parts.timeline.repoint(merged_id, surviving_id)
    await parts.contacts.repoint(merged_id, surviving_id)
    await parts.relations.repoint(merged_id, surviving_id)
    tier = await note_tier_changes(parts, folded, caused)
    for customer, action, changes in (
        (pointer, f"merged into {surviving_id}", []),
        (folded, "merged", tier),
    ):
        await parts.audit.record(
            customer_id=customer.id,
            version=customer.version,
            actor=actor,
            action=action,
            at=now,
            changes=changes,
        )
    return folded


async def _fold_into_survivor(
    parts: Components, surviving_id: str, merged: Customer, now: datetime
) -> tuple[Customer, list[EventData]]:
    """Write the survivor with ``merged`` folded in; the new state and its events.

    The merged customer is a pointer already, so giving up here would leave the merge
    half done: a survivor that changed meanwhile (an edit, a payment counted) is read
    again and folded again.
    """
    caused: list[EventData] = []

    def fold(surviving: Customer) -> tuple[Customer, list[EventData]]:
        if surviving.status != CustomerStatus.ACTIVE:
            log.error("merge of %s: the survivor %s is gone", merged.id, surviving_id)
            raise StateConflict(f"Customer {surviving_id} was removed during the merge.")
        folded, _, events, _ = rules.merge_customers(surviving, merged, now)
        caused[:] = events
        return folded, events

    try:
        folded = await parts.customers.update(surviving_id, fold, attempts=FOLD_ATTEMPTS)
    except VersionConflict:
        log.error("merge of %s: the survivor %s kept changing", merged.id, surviving_id)
        raise StateConflict(
            f"Customer {surviving_id} kept changing during the merge; {merged.id} now points "
            "to it, but its values were not taken over."
        ) from None
    return folded, caused
