"""Privacy (C-10): erasure, a person's data export, and the audit trail."""

from __future__ import annotations

from typing import Any

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import VersionConflict
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.access import Visibility
from customer.operations.profiles import visible


async def erase(
    parts: Components,
    customer_id: str,
    *,
    expected_version: int | None,
    visibility: Visibility,
    actor: str,
) -> None:
    """Remove the person: personal fields, contacts, free text of the timeline and the
    values in the audit trail. The record stays as an anonymous tombstone so other
    services' facts keep a target, and ``customer.erased`` tells them to do the same."""
    current = await visible(parts, customer_id, visibility)
    if expected_version is not None and expected_version != current.version:
        raise VersionConflict(customer_id)
    now = utc_now()
    erased, events = rules.erase_customer(current, now)
    erased = await parts.customers.save(erased, current.version, events)
    await parts.contacts.remove_all(customer_id)
    await parts.timeline.anonymise(customer_id)
    await parts.audit.anonymise(customer_id)
    await parts.audit.record(
        customer_id=customer_id, version=erased.version, actor=actor, action="erased", at=now
    )


async def personal_data(
    parts: Components, customer_id: str, *, visibility: Visibility
) -> dict[str, Any]:
    """Everything held about one person, in clear, for a data-subject access request."""
    customer = await visible(parts, customer_id, visibility)
    contacts = await parts.contacts.for_customer(customer_id)
    timeline = await parts.timeline.for_customer(customer_id, before=None, limit=10_000)
    audit = await parts.audit.entries(customer_id, limit=10_000)
    return {
        "customer": customer.model_dump(mode="json"),
        "contacts": [contact.model_dump(mode="json") for contact in contacts],
        "timeline": [entry.model_dump(mode="json") for entry in timeline],
        "audit": [{**entry, "at": entry["at"].isoformat()} for entry in audit],
        "exported_at": utc_now().isoformat(),
    }
