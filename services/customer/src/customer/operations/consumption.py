"""Consumption facts and tier from sales' payments (C-2, C-3)."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import VersionConflict
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import PaymentReceived
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.consumption import Payment
from customer.domain.customer import Customer, CustomerStatus, FieldChange
from customer.domain.timeline import tier_change_entry

_ATTEMPTS = 10
# Who the audit names for a tier the payments sales reported moved.
PAYMENTS = "sales"


class _MergedInto(Exception):
    """The customer was merged: the payment belongs to the survivor."""

    def __init__(self, survivor_id: str) -> None:
        super().__init__(survivor_id)
        self.survivor_id = survivor_id


async def count_payment(parts: Components, data: PaymentReceived) -> None:
    """Add a payment to its customer's facts once, however often the event arrives.

    The payment id is stored with the facts and the write is conditioned on the
    version read (the store's ``update`` reads again when another write got in
    between), so two deliveries racing each other cannot both count it. A customer not
    known here (yet) raises ``RecordNotFound``: the bus retries, then dead-letters.
    """
    payment = Payment(payment_id=data.payment_id, amount=data.amount, paid_at=data.paid_at)
    now = utc_now()
    caused: list[EventData] = []

    def add_payment(customer: Customer) -> tuple[Customer, list[EventData]] | None:
        if customer.status == CustomerStatus.MERGED and customer.merged_into:
            raise _MergedInto(customer.merged_into)
        updated, events = rules.record_payment(customer, payment, now)
        caused[:] = events
        return (updated, events) if events else None

    customer_id = data.customer_id
    for _ in range(_ATTEMPTS):
        try:
            saved = await parts.customers.update(customer_id, add_payment, attempts=_ATTEMPTS)
        except _MergedInto as merged:
            customer_id = merged.survivor_id
            continue
        if not caused:
            return  # counted already
        audited = await note_tier_changes(parts, saved, caused)
        if audited:
            await parts.audit.record(
                customer_id=saved.id,
                version=saved.version,
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
