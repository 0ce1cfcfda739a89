"""The order aggregate (S-8): numbered orders, status flow, contract, deliveries,
invoices (receivables) and the payments against them.

Invoices and payments live inside their order, so recording a payment, checking
it against the balance and emitting its event is one atomic document write.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from crm_chassis.clock import utc_now
from crm_chassis.domain_errors import InvalidTransition, RuleViolation
from crm_contracts.events.registry import EventData
from crm_contracts.events.sales import (
    InvoiceIssued,
    InvoiceOverdue,
    OrderPlaced,
    OrderStatusChanged,
    PaymentReceived,
)
from sales.domain.money import ZERO
from sales.domain.pricing import LineItem, Totals, price


class OrderStatus(StrEnum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


_NEXT: dict[OrderStatus, set[OrderStatus]] = {
    OrderStatus.PLACED: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.COMPLETED},
    OrderStatus.COMPLETED: set(),
    OrderStatus.CANCELLED: set(),
}


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    OVERDUE = "overdue"


class StatusChange(BaseModel):
    from_status: OrderStatus | None
    status: OrderStatus
    changed_at: datetime
    changed_by: str | None = None


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=80)
    signed_at: datetime
    terms: str | None = Field(default=None, max_length=4000)


class Delivery(BaseModel):
    delivery_id: str
    carrier: str | None = None
    tracking_number: str | None = None
    shipped_at: datetime
    delivered_at: datetime | None = None
    note: str | None = None


class Payment(BaseModel):
    payment_id: str
    amount: Decimal
    paid_at: datetime
    method: str = "bank_transfer"
    reference: str | None = None


class Invoice(BaseModel):
    invoice_id: str
    invoice_number: str
    amount: Decimal
    issued_at: datetime
    due_date: date
    payments: list[Payment] = Field(default_factory=list)
    reminded_at: datetime | None = None

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid

    def status(self, today: date) -> InvoiceStatus:
        if self.balance <= 0:
            return InvoiceStatus.PAID
        return InvoiceStatus.OVERDUE if today > self.due_date else InvoiceStatus.OPEN


class Order(BaseModel):
    order_id: str
    order_number: str
    version: int = 1
    customer_id: str
    opportunity_id: str | None = None
    quote_id: str | None = None
    campaign_id: str | None = None
    owner_id: str | None = None
    team: str | None = None
    currency: str = "CNY"
    lines: list[LineItem]
    discount_percent: Decimal = Decimal("0")
    tax_rate_percent: Decimal = Decimal("0")
    totals: Totals
    status: OrderStatus = OrderStatus.PLACED
    status_history: list[StatusChange] = Field(default_factory=list)
    contract: Contract | None = None
    deliveries: list[Delivery] = Field(default_factory=list)
    invoices: list[Invoice] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime

    @property
    def invoiced(self) -> Decimal:
        return sum((invoice.amount for invoice in self.invoices), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((invoice.paid for invoice in self.invoices), ZERO)

    def invoice(self, invoice_id: str) -> Invoice | None:
        return next((i for i in self.invoices if i.invoice_id == invoice_id), None)


def place_order(
    *,
    order_id: str,
    order_number: str,
    customer_id: str,
    lines: list[LineItem],
    discount_percent: Decimal,
    tax_rate_percent: Decimal,
    now: datetime,
    actor: str | None,
    **details: str | None,
) -> tuple[Order, list[EventData]]:
    if not lines:
        raise RuleViolation("An order needs at least one line.", field="lines")
    order = Order(
        order_id=order_id,
        order_number=order_number,
        customer_id=customer_id,
        lines=lines,
        discount_percent=discount_percent,
        tax_rate_percent=tax_rate_percent,
        totals=price(lines, discount_percent, tax_rate_percent),
        status_history=[
            StatusChange(
                from_status=None, status=OrderStatus.PLACED, changed_at=now, changed_by=actor
            )
        ],
        created_at=now,
        updated_at=now,
        **details,
    )
    event = OrderPlaced(
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        opportunity_id=order.opportunity_id,
        campaign_id=order.campaign_id,
        owner_id=order.owner_id,
        amount=order.totals.total,
        currency=order.currency,
        placed_at=now,
    )
    return order, [event]


def change_status(
    order: Order, status: OrderStatus, *, actor: str | None, now: datetime
) -> tuple[Order, list[EventData]]:
    if status == order.status:
        return order, []
    if status not in _NEXT[order.status]:
        raise InvalidTransition(f"A {order.status.value} order cannot become {status.value}.")
    if status is OrderStatus.CANCELLED and order.paid > 0:
        raise InvalidTransition("An order with payments cannot be cancelled; refund it first.")
    if status is OrderStatus.SHIPPED and order.contract is None:
        raise RuleViolation("Record the signed contract before shipping.", field="contract")
    change = StatusChange(from_status=order.status, status=status, changed_at=now, changed_by=actor)
    changed = order.model_copy(
        update={
            "status": status,
            "status_history": [*order.status_history, change],
            "updated_at": now,
        }
    )
    event = OrderStatusChanged(
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        from_status=order.status.value,
        status=status.value,
        changed_at=now,
    )
    return changed, [event]


def sign_contract(order: Order, contract: Contract, now: datetime) -> Order:
    if order.status is OrderStatus.CANCELLED:
        raise InvalidTransition("A cancelled order cannot get a contract.")
    return order.model_copy(update={"contract": contract, "updated_at": now})


def add_delivery(order: Order, delivery: Delivery, now: datetime) -> Order:
    if order.status in (OrderStatus.PLACED, OrderStatus.CANCELLED):
        raise InvalidTransition(f"A {order.status.value} order cannot be shipped.")
    return order.model_copy(update={"deliveries": [*order.deliveries, delivery], "updated_at": now})


def mark_delivered(order: Order, delivery_id: str, delivered_at: datetime) -> Order:
    deliveries = list(order.deliveries)
    for position, delivery in enumerate(deliveries):
        if delivery.delivery_id == delivery_id:
            deliveries[position] = delivery.model_copy(update={"delivered_at": delivered_at})
            return order.model_copy(update={"deliveries": deliveries, "updated_at": delivered_at})
    raise RuleViolation("No delivery with that id on this order.", field="delivery_id")


def issue_invoice(
    order: Order,
    *,
    invoice_id: str,
    invoice_number: str,
    amount: Decimal | None,
    due_date: date,
    now: datetime,
) -> tuple[Order, Invoice, list[EventData]]:
    """Invoice part or all of what is not yet invoiced (never more than the order total);
    the customer owes it from now on (``invoice.issued``)."""
    if order.status is OrderStatus.CANCELLED:
        raise InvalidTransition("A cancelled order cannot be invoiced.")
    remaining = order.totals.total - order.invoiced
    amount = remaining if amount is None else amount
    if amount <= 0 or amount > remaining:
        raise RuleViolation(
            f"The invoice amount must be above 0 and at most {remaining}.", field="amount"
        )
    invoice = Invoice(
        invoice_id=invoice_id,
        invoice_number=invoice_number,
        amount=amount,
        issued_at=now,
        due_date=due_date,
    )
    event = InvoiceIssued(
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.invoice_number,
        order_id=order.order_id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        owner_id=order.owner_id,
        team=order.team,
        amount=invoice.amount,
        currency=order.currency,
        due_date=invoice.due_date,
        issued_at=now,
    )
    issued = order.model_copy(update={"invoices": [*order.invoices, invoice], "updated_at": now})
    return issued, invoice, [event]


def record_payment(
    order: Order, invoice_id: str, payment: Payment
) -> tuple[Order, list[EventData]]:
    """Apply a payment to an invoice; more than the open balance is refused."""
    invoice = order.invoice(invoice_id)
    if invoice is None:
        raise RuleViolation("No invoice with that id.", field="invoice_id")
    if payment.amount <= 0 or payment.amount > invoice.balance:
        raise RuleViolation(
            f"The payment must be above 0 and at most the open balance {invoice.balance}.",
            field="amount",
        )
    paid_invoice = invoice.model_copy(update={"payments": [*invoice.payments, payment]})
    invoices = [paid_invoice if i.invoice_id == invoice_id else i for i in order.invoices]
    event = PaymentReceived(
        payment_id=payment.payment_id,
        order_id=order.order_id,
        customer_id=order.customer_id,
        campaign_id=order.campaign_id,
        amount=payment.amount,
        currency=order.currency,
        paid_at=payment.paid_at,
        invoice_id=invoice_id,
        invoice_balance=paid_invoice.balance,
    )
    return order.model_copy(update={"invoices": invoices, "updated_at": utc_now()}), [event]


def overdue_reminders(
    order: Order, now: datetime, remind_every_days: int = 7
) -> tuple[Order, list[EventData]]:
    """Reminders for overdue invoices not reminded within ``remind_every_days``."""
    today = now.date()
    events: list[EventData] = []
    invoices = []
    for invoice in order.invoices:
        due = invoice.status(today) is InvoiceStatus.OVERDUE
        recent = (
            invoice.reminded_at is not None and (now - invoice.reminded_at).days < remind_every_days
        )
        if due and not recent:
            events.append(
                InvoiceOverdue(
                    invoice_id=invoice.invoice_id,
                    invoice_number=invoice.invoice_number,
                    order_id=order.order_id,
                    customer_id=order.customer_id,
                    owner_id=order.owner_id,
                    team=order.team,
                    amount_due=invoice.balance,
                    currency=order.currency,
                    due_date=invoice.due_date,
                    days_overdue=(today - invoice.due_date).days,
                    detected_at=now,
                )
            )
            invoice = invoice.model_copy(update={"reminded_at": now})
        invoices.append(invoice)
    return order.model_copy(update={"invoices": invoices}), events
