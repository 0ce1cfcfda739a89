"""What the events about customers, invoices, orders and tickets change for the mail to
customers: the copies it reads, and the notices an event owes at once (an order's new
status, a ticket's acknowledgement). Every function is idempotent: copies keep the
newest event, payments and invoices are keyed by their ids, a notice by what it is for.
"""

from __future__ import annotations

from crm_chassis.clock import utc_now
from crm_chassis.local_copies import Stamp
from crm_contracts.events import customer, marketing, sales, support
from notifications.components import Components
from notifications.domain.customer_notices import Invoice, Payment
from notifications.domain.notice_templates import NOTIFIED_ORDER_STATUSES, NoticeKind

EMAIL_CHANNEL = "email"
# A customer's first event is older than any of their updates (versions start at 1).
CREATED_ORDER = 0


async def customer_created(
    parts: Components, data: customer.CustomerCreated, event_id: str
) -> None:
    await parts.customers.apply_profile(
        data.customer_id, Stamp(CREATED_ORDER, event_id), data.name, data.email, data.language
    )


async def customer_updated(
    parts: Components, data: customer.CustomerUpdated, event_id: str
) -> None:
    await parts.customers.apply_profile(
        data.customer_id, Stamp(data.version, event_id), data.name, data.email, data.language
    )


async def customer_erased(parts: Components, data: customer.CustomerErased) -> None:
    """Right to erasure: the copy becomes a tombstone, waiting notices are not sent and
    no notice keeps what it quoted."""
    await parts.customers.erase(data.customer_id, data.erased_at)
    await parts.notices.forget_customer(data.customer_id, utc_now())


async def subscription_changed(
    parts: Components, data: marketing.SubscriptionChanged, event_id: str
) -> None:
    if data.channel != EMAIL_CHANNEL:
        return
    await parts.customers.apply_consent(
        data.customer_id, data.email, Stamp(data.changed_at, event_id), data.subscribed
    )


async def invoice_issued(parts: Components, data: sales.InvoiceIssued) -> None:
    await parts.invoices.issued(
        Invoice(
            invoice_id=data.invoice_id,
            invoice_number=data.invoice_number,
            order_id=data.order_id,
            order_number=data.order_number,
            customer_id=data.customer_id,
            currency=data.currency,
            due_date=data.due_date,
            amount=data.amount,
            issued_at=data.issued_at,
        )
    )
    parts.customer_mail.wake()


async def invoice_overdue(parts: Components, data: sales.InvoiceOverdue) -> None:
    await parts.invoices.seen_overdue(
        Invoice(
            invoice_id=data.invoice_id,
            invoice_number=data.invoice_number,
            order_id=data.order_id,
            order_number=None,
            customer_id=data.customer_id,
            currency=data.currency,
            due_date=data.due_date,
            amount=data.amount_due,
        )
    )


async def payment_received(parts: Components, data: sales.PaymentReceived) -> None:
    await parts.invoices.paid(
        Payment(
            payment_id=data.payment_id,
            order_id=data.order_id,
            amount=data.amount,
            invoice_id=data.invoice_id,
            invoice_balance=data.invoice_balance,
        ),
        data.paid_at,
    )


async def order_status_changed(parts: Components, data: sales.OrderStatusChanged) -> None:
    """Confirmed, shipped and delivered orders are told to their customer, once each."""
    if data.status not in NOTIFIED_ORDER_STATUSES:
        return
    now = utc_now()
    made = await parts.notices.add(
        f"order:{data.order_id}:{data.status}",
        NoticeKind.ORDER_STATUS,
        data.customer_id,
        {"order_number": data.order_number, "status": data.status},
        now,
        now,
    )
    if made:
        parts.customer_mail.wake()


async def ticket_opened(parts: Components, data: support.TicketOpened) -> None:
    """A ticket's customer hears it arrived and when to expect the first answer; a ticket
    from no known customer (the public form) is acknowledged once an agent links it
    (the event comes again with the customer)."""
    if data.customer_id is None:
        return
    now = utc_now()
    made = await parts.notices.add(
        f"ticket:{data.ticket_id}:ack",
        NoticeKind.TICKET_ACKNOWLEDGEMENT,
        data.customer_id,
        {
            "ticket_id": data.ticket_id,
            "subject": data.subject,
            "first_response_due": data.first_response_due,
        },
        now,
        now,
    )
    if made:
        parts.customer_mail.wake()
