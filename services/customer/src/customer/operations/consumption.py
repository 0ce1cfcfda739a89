"""Consumption facts and tier from sales' payments (C-2, C-3)."""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import VersionConflict
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import PaymentReceived
from customer.components import Components
from customer.domain import customer as rules
from customer.domain.consumption import Payment, TierMove
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

    A tier change is stored with the payment in that write, and its timeline and audit
    entries are written after it on every delivery, keyed so that they are kept once:
    a delivery that died between the writes leaves them to the redelivery.
    """
    payment = Payment(payment_id=data.payment_id, amount=data.amount, paid_at=data.paid_at)
    now = utc_now()

    def add_payment(customer: Customer) -> tuple[Customer, list[EventData]] | None:
        if customer.status == CustomerStatus.MERGED and customer.merged_into:
            raise _MergedInto(customer.merged_into)
        updated, events = rules.record_payment(customer, payment, now)
        return (updated, events) if events else None

    customer_id = data.customer_id
    for _ in range(_ATTEMPTS):
        try:
            saved = await parts.customers.update(customer_id, add_payment, attempts=_ATTEMPTS)
        except _MergedInto as merged:
            customer_id = merged.survivor_id
            continue
        counted = saved.consumption.payment(payment.payment_id)
        if counted is not None and counted.tier_move is not None:
            await note_tier_move(parts, saved.id, counted.tier_move)
        return
    raise VersionConflict(customer_id)


async def note_tier_move(parts: Components, customer_id: str, move: TierMove) -> None:
    """A payment's tier move on the customer's timeline (C-3, C-5) and in the audit
    (C-10), both keyed by the version that made it: writing them again keeps one each."""
    change = rules.tier_moved(customer_id, move)
    await parts.timeline.add(tier_change_entry(change, version=move.version))
    await parts.audit.record(
        customer_id=customer_id,
        version=move.version,
        actor=PAYMENTS,
        action="tier_changed",
        at=move.changed_at,
        changes=[rules.audited_tier(change)],
    )


async def note_tier_changes(
    parts: Components, saved: Customer, caused: list[EventData]
) -> list[FieldChange]:
    """Put each tier change a saved write caused on the customer's timeline (C-3, C-5);
    the changes to audit, for the caller's audit entry of that write (C-10)."""
    changes = rules.tier_changes(caused)
    for change in changes:
        await parts.timeline.add(tier_change_entry(change, version=saved.version))
    return [rules.audited_tier(change) for change in changes]
