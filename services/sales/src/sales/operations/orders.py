"""Order use cases: place with a generated number, move, contract, deliver, invoice, pay."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import DuplicateValue, VersionConflict
from crm_contracts.access import RecordScope
from crm_contracts.events.registry import EventData
from sales.components import Components
from sales.domain import orders as rules
from sales.domain.orders import Contract, Delivery, Order, OrderStatus, Payment
from sales.domain.pricing import LineItem
from sales.operations.ids import new_id
from sales.operations.references import check_not_ordered, check_references
from sales.store.orders import ORDERED_QUOTE


def _number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}-{year}-{value:06d}"


async def place(
    parts: Components,
    *,
    scope: RecordScope,
    customer_id: str,
    opportunity_id: str | None,
    quote_id: str | None,
    lines: list[LineItem],
    discount_percent: Decimal,
    tax_rate_percent: Decimal,
    actor: str | None,
    details: dict[str, str | None],
) -> Order:
    """Place an order; its number (``SO-2026-000042``) comes from an atomic per-year counter.

    Its opportunity and quote must be ones the caller (whose sales records are ``scope``)
    may name, checked before a number is taken; its quote must be accepted and not yet
    ordered, which the store's unique index holds to when two are placed at once."""
    await check_references(
        parts,
        scope,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        quote_id=quote_id,
        ordering=True,
    )
    now = utc_now()
    sequence = await parts.counters.next_value(f"order_number:{now.year}")
    order, events = rules.place_order(
        order_id=new_id(),
        order_number=_number("SO", now.year, sequence),
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        quote_id=quote_id,
        lines=lines,
        discount_percent=discount_percent,
        tax_rate_percent=tax_rate_percent,
        now=now,
        actor=actor,
        **details,
    )
    try:
        await parts.orders.insert(order, events)
    except DuplicateValue as error:
        if quote_id is not None and error.field == ORDERED_QUOTE:
            await check_not_ordered(parts, quote_id)  # the order placed meanwhile
        raise
    return order


async def move(
    parts: Components, order: Order, status: OrderStatus, version: int, actor: str | None
) -> Order:
    changed, events = rules.change_status(order, status, actor=actor, now=utc_now())
    if not events:
        return order
    return await parts.orders.save(changed, version, events)


async def sign(parts: Components, order: Order, contract: Contract, version: int) -> Order:
    return await parts.orders.save(rules.sign_contract(order, contract, utc_now()), version)


async def ship(parts: Components, order: Order, delivery: Delivery, version: int) -> Order:
    return await parts.orders.save(rules.add_delivery(order, delivery, utc_now()), version)


async def delivered(parts: Components, order: Order, delivery_id: str, version: int) -> Order:
    updated = rules.mark_delivered(order, delivery_id, utc_now())
    return await parts.orders.save(updated, version)


async def invoice(
    parts: Components, order_id: str, amount: Decimal | None, due_date: date
) -> tuple[Order, rules.Invoice]:
    """Issue an invoice with the next number of the year, its ``invoice.issued`` event in
    the same write; a concurrent change of the order makes it read the order again and
    retry (the number is taken once)."""
    now = utc_now()
    sequence = await parts.counters.next_value(f"invoice_number:{now.year}")
    invoice_id = new_id()

    def issue(order: Order) -> tuple[Order, list[EventData]]:
        updated, _, events = rules.issue_invoice(
            order,
            invoice_id=invoice_id,
            invoice_number=_number("INV", now.year, sequence),
            amount=amount,
            due_date=due_date,
            now=now,
        )
        return updated, events

    saved = await parts.orders.update(order_id, issue)
    issued = saved.invoice(invoice_id)
    assert issued is not None
    return saved, issued


async def pay(
    parts: Components,
    order_id: str,
    invoice_id: str,
    *,
    amount: Decimal,
    paid_at: datetime | None,
    method: str,
    reference: str | None,
) -> tuple[Order, Payment]:
    """Record a payment; the balance check and the event are in the same versioned write,
    retried on the order's current state when another write got in between."""
    payment = Payment(
        payment_id=new_id(),
        amount=amount,
        paid_at=paid_at or utc_now(),
        method=method,
        reference=reference,
    )
    saved = await parts.orders.update(
        order_id, lambda order: rules.record_payment(order, invoice_id, payment)
    )
    return saved, payment


async def remind_overdue(parts: Components, now: datetime) -> int:
    """Publish reminders for overdue invoices (at most one per invoice per week)."""
    sent = 0
    # Due dates are stored as ISO dates, which compare correctly as strings.
    past_due = {
        "status": {"$ne": "cancelled"},
        "invoices.due_date": {"$lt": now.date().isoformat()},
    }
    for order in await parts.orders.with_invoices(past_due):
        updated, events = rules.overdue_reminders(order, now)
        if events:
            try:
                await parts.orders.save(updated, order.version, events)
            except VersionConflict:
                continue  # changed meanwhile; the next run looks again
            sent += len(events)
    return sent
