"""Consumption facts and tier from sales' payments (C-2, C-3)."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import PaymentReceived
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.consumption import Payment
from customer.domain.customer import Customer, CustomerStatus, FieldChange
from customer.domain.timeline import tier_change_entry
from customer.store.customers import VersionConflict

_ATTEMPTS = 10
# Who the audit names for a tier the payments sales reported moved.
PAYMENTS = "sales"


class UnknownCustomer(Exception):
    """The event names a customer not known here (yet): retried by the bus, then dead-lettered."""


async def count_payment(parts: Components, data: PaymentReceived) -> None:
    """Add a payment to its customer's facts once, however often the event arrives.

    The payment id is stored with the facts and the write is conditioned on the
    version read, so two deliveries racing each other cannot both count it.
    """
    payment = Payment(payment_id=data.payment_id, amount=data.amount, paid_at=data.paid_at)
    customer_id = data.customer_id
    for _ in range(_ATTEMPTS):
        customer = await parts.customers.get(customer_id)
        if customer is None:
            raise UnknownCustomer(customer_id)
        if customer.status == CustomerStatus.MERGED and customer.merged_into:
            customer_id = customer.merged_into
            continue
        now = utc_now()
        updated, events = rules.record_payment(customer, payment, now)
        if not events:
            return
        try:
            await parts.customers.save(customer, updated, events)
        except VersionConflict:
            continue
        parts.notify_outbox()
        audited = await note_tier_changes(parts, updated, events)
        if audited:
            await parts.audit.record(
                customer_id=updated.id,
                version=updated.version,
                actor=PAYMENTS,
                action="tier_changed",
                at=now,
                changes=audited,
            )
        return
    raise VersionConflict(customer_id)


async def note_tier_changes(
    parts: Components, saved: Customer, caused: list[EventData]
) -> list[FieldChange]:
    """Put each tier change a saved write caused on the customer's timeline (C-3, C-5);
    the changes to audit, for the caller's audit entry of that write (C-10)."""
    changes = rules.tier_changes(caused)
    for change in changes:
        await parts.timeline.add(tier_change_entry(change, version=saved.version))
    return [rules.audited_tier(change) for change in changes]
