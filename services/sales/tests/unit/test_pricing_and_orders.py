from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from crm_contracts.events.sales import (
    InvoiceIssued,
    InvoiceOverdue,
    OrderPlaced,
    OrderStatusChanged,
    PaymentReceived,
)
from sales.domain.orders import (
    Contract,
    InvoiceStatus,
    Order,
    OrderStatus,
    Payment,
    change_status,
    issue_invoice,
    overdue_reminders,
    place_order,
    record_payment,
)
from sales.domain.pricing import LineItem, price


def line(quantity: str, unit_price: str, discount: str = "0") -> LineItem:
    return LineItem(
        product="p",
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        discount_percent=Decimal(discount),
    )


def test_totals_are_exact_where_floats_would_drift() -> None:
    # 0.1 + 0.2 in floats is 0.30000000000000004
    totals = price([line("1", "0.10"), line("1", "0.20")], Decimal(0), Decimal(0))
    assert totals.total == Decimal("0.30")
    assert isinstance(totals.total, Decimal)


def test_line_discount_then_document_discount_then_tax_round_half_up() -> None:
    totals = price([line("3", "19.99", "10"), line("1", "0.10")], Decimal(5), Decimal(13))
    assert (totals.subtotal, totals.discount, totals.tax, totals.total) == (
        Decimal("54.07"),
        Decimal("2.70"),
        Decimal("6.68"),
        Decimal("58.05"),
    )


def placed(now: datetime) -> Order:
    order, events = place_order(
        order_id="o-1",
        order_number="SO-2026-000001",
        customer_id="cust-1",
        lines=[line("2", "500.00")],
        discount_percent=Decimal(0),
        tax_rate_percent=Decimal(0),
        now=now,
        actor="rep-1",
    )
    assert isinstance(events[0], OrderPlaced)
    assert events[0].amount == Decimal("1000.00")
    return order


def test_status_flow_refuses_skips_and_shipping_without_contract(now: datetime) -> None:
    order = placed(now)
    with pytest.raises(InvalidTransition):
        change_status(order, OrderStatus.DELIVERED, actor="r", now=now)
    confirmed, _ = change_status(order, OrderStatus.CONFIRMED, actor="r", now=now)
    with pytest.raises(RuleViolation):
        change_status(confirmed, OrderStatus.SHIPPED, actor="r", now=now)
    signed = confirmed.model_copy(update={"contract": Contract(number="HT", signed_at=now)})
    shipped, events = change_status(signed, OrderStatus.SHIPPED, actor="r", now=now)
    assert shipped.status is OrderStatus.SHIPPED
    (changed,) = events
    assert isinstance(changed, OrderStatusChanged)
    assert changed.from_status == "confirmed"


def test_invoices_never_exceed_the_order_and_payments_never_exceed_the_balance(
    now: datetime,
) -> None:
    order = placed(now)
    with pytest.raises(RuleViolation):
        issue_invoice(
            order,
            invoice_id="i",
            invoice_number="n",
            amount=Decimal("1000.01"),
            due_date=now.date(),
            now=now,
        )
    order, invoice, _ = issue_invoice(
        order, invoice_id="i-1", invoice_number="INV-1", amount=None, due_date=now.date(), now=now
    )
    assert invoice.amount == Decimal("1000.00")
    payment = Payment(payment_id="p-1", amount=Decimal("400.00"), paid_at=now)
    order, events = record_payment(order, "i-1", payment)
    assert isinstance(events[0], PaymentReceived)
    assert events[0].amount == Decimal("400.00")
    # The customer's reminders stop when the invoice's balance reaches 0 (notifications).
    assert events[0].invoice_id == "i-1"
    assert events[0].invoice_balance == Decimal("600.00")
    too_much = Payment(payment_id="p-2", amount=Decimal("600.01"), paid_at=now)
    with pytest.raises(RuleViolation):
        record_payment(order, "i-1", too_much)
    rest = Payment(payment_id="p-3", amount=Decimal("600.00"), paid_at=now)
    order, settled = record_payment(order, "i-1", rest)
    assert order.invoices[0].status(now.date()) is InvoiceStatus.PAID
    assert isinstance(settled[0], PaymentReceived)
    assert settled[0].invoice_balance == Decimal("0.00")
    with pytest.raises(InvalidTransition):
        change_status(order, OrderStatus.CANCELLED, actor="r", now=now)


def test_overdue_invoice_is_reminded_once_a_week(now: datetime) -> None:
    order, _, _ = issue_invoice(
        placed(now),
        invoice_id="i-1",
        invoice_number="INV-1",
        amount=None,
        due_date=date(2026, 11, 1),
        now=now,
    )
    reminded, events = overdue_reminders(order, now)
    assert len(events) == 1
    assert isinstance(events[0], InvoiceOverdue)
    assert events[0].days_overdue == 22
    assert overdue_reminders(reminded, now + timedelta(days=3))[1] == []
    assert len(overdue_reminders(reminded, now + timedelta(days=7))[1]) == 1


def test_an_issued_invoice_tells_who_owes_what_by_when(now: datetime) -> None:
    order = placed(now).model_copy(update={"team": "north", "currency": "USD"})
    _, invoice, [event] = issue_invoice(
        order,
        invoice_id="i-1",
        invoice_number="INV-1",
        amount=Decimal("250.00"),
        due_date=date(2026, 12, 31),
        now=now,
    )
    assert isinstance(event, InvoiceIssued)
    assert event.model_dump() == {
        "invoice_id": "i-1",
        "invoice_number": "INV-1",
        "order_id": "o-1",
        "order_number": "SO-2026-000001",
        "customer_id": "cust-1",
        "owner_id": order.owner_id,
        "team": "north",
        "amount": Decimal("250.00"),
        "currency": "USD",
        "due_date": date(2026, 12, 31),
        "issued_at": now,
    }
    late = invoice.model_copy(update={"due_date": date(2026, 11, 1)})
    [reminder] = overdue_reminders(order.model_copy(update={"invoices": [late]}), now)[1]
    assert isinstance(reminder, InvoiceOverdue)
    assert reminder.team == "north"
