"""Request and response bodies of orders, invoices and payments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from crm_chassis.inputs import InputModel
from sales.domain.money import Money, Percent
from sales.domain.orders import (
    Contract,
    Delivery,
    Invoice,
    InvoiceStatus,
    Order,
    OrderStatus,
    Payment,
    StatusChange,
)
from sales.domain.pricing import LineItem, Totals
from sales.store.customers import CustomerLabel

Text = Annotated[str, Field(max_length=200)]


class OrderCreate(InputModel):
    customer_id: Annotated[str, Field(min_length=1, max_length=80)]
    opportunity_id: Text | None = None
    quote_id: Text | None = None
    campaign_id: Text | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"
    lines: list[LineItem] = Field(min_length=1, max_length=200)
    discount_percent: Percent = Decimal("0")
    tax_rate_percent: Percent = Decimal("0")


class StatusIn(InputModel):
    status: OrderStatus


class DeliveryIn(InputModel):
    carrier: Text | None = None
    tracking_number: Text | None = None
    shipped_at: datetime | None = None
    note: Annotated[str, Field(max_length=1000)] | None = None


class InvoiceOut(BaseModel):
    invoice_id: str
    invoice_number: str
    order_id: str
    order_number: str
    customer_id: str
    owner_id: str | None
    currency: str
    amount: Decimal
    paid: Decimal
    balance: Decimal
    status: InvoiceStatus
    issued_at: datetime
    due_date: date
    payments: list[Payment]

    @classmethod
    def of(cls, order: Order, invoice: Invoice, today: date) -> InvoiceOut:
        return cls(
            **invoice.model_dump(exclude={"reminded_at"}),
            order_id=order.order_id,
            order_number=order.order_number,
            customer_id=order.customer_id,
            owner_id=order.owner_id,
            currency=order.currency,
            paid=invoice.paid,
            balance=invoice.balance,
            status=invoice.status(today),
        )


class OrderOut(BaseModel):
    order_id: str
    order_number: str
    version: int
    customer_id: str
    customer_name: str | None = Field(
        description="The customer's name from sales' copy of customers; null when the "
        "customer was erased or its name is not known to sales yet"
    )
    opportunity_id: str | None
    quote_id: str | None
    campaign_id: str | None
    owner_id: str | None
    team: str | None
    currency: str
    lines: list[LineItem]
    discount_percent: Decimal
    tax_rate_percent: Decimal
    totals: Totals
    invoiced: Decimal
    paid: Decimal
    receivable: Decimal
    status: OrderStatus
    status_history: list[StatusChange]
    contract: Contract | None
    deliveries: list[Delivery]
    invoices: list[InvoiceOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order, today: date, customer: CustomerLabel | None) -> OrderOut:
        return cls(
            **order.model_dump(exclude={"invoices"}),
            customer_name=customer.name if customer else None,
            invoiced=order.invoiced,
            paid=order.paid,
            receivable=order.invoiced - order.paid,
            invoices=[InvoiceOut.of(order, invoice, today) for invoice in order.invoices],
        )


class InvoiceCreate(InputModel):
    order_id: Annotated[str, Field(min_length=1, max_length=80)]
    amount: Money | None = Field(default=None, description="Defaults to what is not yet invoiced")
    due_date: date


class PaymentCreate(InputModel):
    invoice_id: Annotated[str, Field(min_length=1, max_length=80)]
    amount: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
    paid_at: datetime | None = None
    method: Annotated[str, Field(pattern=r"^[a-z_]{2,30}$")] = "bank_transfer"
    reference: Text | None = None


class PaymentOut(Payment):
    invoice_id: str
    invoice_number: str
    order_id: str
    customer_id: str
    currency: str

    @classmethod
    def of(cls, payment: Payment, order: Order, invoice: Invoice) -> PaymentOut:
        return cls(
            **payment.model_dump(),
            invoice_id=invoice.invoice_id,
            invoice_number=invoice.invoice_number,
            order_id=order.order_id,
            customer_id=order.customer_id,
            currency=order.currency,
        )


class Receivables(BaseModel):
    currency_totals: dict[str, Decimal]
    overdue_totals: dict[str, Decimal]
    open_invoices: int
    overdue_invoices: int


class Statement(BaseModel):
    customer_id: str
    invoiced: Decimal
    paid: Decimal
    balance: Decimal
    invoices: list[InvoiceOut]
