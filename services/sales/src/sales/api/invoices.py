"""/api/v1/invoices and /api/v1/payments: receivables, statements and payments.

Invoices and payments are stored inside their order; these routes address them
directly; their operations retry on a concurrent change of the same order.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from crm_chassis.auth import Principal
from crm_chassis.clock import utc_now
from crm_chassis.errors import NotFound
from crm_chassis.pagination import Page, PageDep
from sales.api.deps import ComponentsDep, ReadSales, WriteSales
from sales.api.order_models import (
    InvoiceCreate,
    InvoiceOut,
    PaymentCreate,
    PaymentOut,
    Receivables,
    Statement,
)
from sales.api.orders import visible_order
from sales.api.visibility import ensure_visible, restricted
from sales.components import Components
from sales.domain.money import ZERO
from sales.domain.orders import InvoiceStatus, Order
from sales.operations import orders as order_ops

invoices_router = APIRouter(prefix="/api/v1/invoices", tags=["invoices"])
payments_router = APIRouter(prefix="/api/v1/payments", tags=["payments"])


async def _order_of_invoice(parts: Components, principal: Principal, invoice_id: str) -> Order:
    order = await parts.orders.by_invoice(invoice_id)
    if order is None:
        raise NotFound("No invoice with that id.")
    ensure_visible(principal, order.owner_id, order.team, "invoice")
    return order


async def _invoices(
    parts: Components, principal: Principal, query: dict[str, Any]
) -> list[InvoiceOut]:
    today = utc_now().date()
    orders = await parts.orders.with_invoices(restricted(principal, query))
    return [InvoiceOut.of(order, invoice, today) for order in orders for invoice in order.invoices]


@invoices_router.post("", status_code=status.HTTP_201_CREATED)
async def issue_invoice(
    body: InvoiceCreate, principal: WriteSales, parts: ComponentsDep
) -> InvoiceOut:
    order = await visible_order(parts, principal, body.order_id)
    updated, invoice = await order_ops.invoice(parts, order.order_id, body.amount, body.due_date)
    return InvoiceOut.of(updated, invoice, utc_now().date())


@invoices_router.get("")
async def list_invoices(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    invoice_status: Annotated[InvoiceStatus | None, Query(alias="status")] = None,
    customer_id: str | None = None,
    order_id: str | None = None,
    overdue: Annotated[
        bool | None,
        Query(
            description="true: past the due date with a balance left (status overdue); "
            "false: every other invoice (open and not yet due, or paid)"
        ),
    ] = None,
) -> Page[InvoiceOut]:
    query = {
        k: v for k, v in {"customer_id": customer_id, "_id": order_id}.items() if v is not None
    }
    invoices = await _invoices(parts, principal, query)
    if invoice_status is not None:
        invoices = [invoice for invoice in invoices if invoice.status is invoice_status]
    if overdue is not None:
        invoices = [
            invoice for invoice in invoices if (invoice.status is InvoiceStatus.OVERDUE) is overdue
        ]
    items = invoices[page.offset : page.offset + page.limit]
    return Page(items=items, total=len(invoices), offset=page.offset, limit=page.limit)


@invoices_router.get("/receivables")
async def receivables(principal: ReadSales, parts: ComponentsDep) -> Receivables:
    """Open balances per currency, and how much of it is overdue."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    overdue: dict[str, Decimal] = defaultdict(lambda: ZERO)
    open_count = overdue_count = 0
    for invoice in await _invoices(parts, principal, {}):
        if invoice.status is InvoiceStatus.PAID:
            continue
        open_count += 1
        totals[invoice.currency] += invoice.balance
        if invoice.status is InvoiceStatus.OVERDUE:
            overdue_count += 1
            overdue[invoice.currency] += invoice.balance
    return Receivables(
        currency_totals=dict(totals),
        overdue_totals=dict(overdue),
        open_invoices=open_count,
        overdue_invoices=overdue_count,
    )


@invoices_router.get("/statement")
async def statement(customer_id: str, principal: ReadSales, parts: ComponentsDep) -> Statement:
    """A customer's statement: every invoice with its payments and the balance."""
    invoices = await _invoices(parts, principal, {"customer_id": customer_id})
    invoiced = sum((invoice.amount for invoice in invoices), ZERO)
    paid = sum((invoice.paid for invoice in invoices), ZERO)
    return Statement(
        customer_id=customer_id,
        invoiced=invoiced,
        paid=paid,
        balance=invoiced - paid,
        invoices=invoices,
    )


@invoices_router.get("/{invoice_id}")
async def get_invoice(invoice_id: str, principal: ReadSales, parts: ComponentsDep) -> InvoiceOut:
    order = await _order_of_invoice(parts, principal, invoice_id)
    invoice = order.invoice(invoice_id)
    assert invoice is not None
    return InvoiceOut.of(order, invoice, utc_now().date())


@payments_router.post("", status_code=status.HTTP_201_CREATED)
async def record_payment(
    body: PaymentCreate, principal: WriteSales, parts: ComponentsDep
) -> PaymentOut:
    """Record a payment against an invoice; more than its open balance is refused."""
    order = await _order_of_invoice(parts, principal, body.invoice_id)
    updated, payment = await order_ops.pay(
        parts,
        order.order_id,
        body.invoice_id,
        amount=body.amount,
        paid_at=body.paid_at,
        method=body.method,
        reference=body.reference,
    )
    invoice = updated.invoice(body.invoice_id)
    assert invoice is not None
    return PaymentOut.of(payment, updated, invoice)


@payments_router.get("")
async def list_payments(
    principal: ReadSales,
    parts: ComponentsDep,
    page: PageDep,
    customer_id: str | None = None,
    order_id: str | None = None,
) -> Page[PaymentOut]:
    query = {
        k: v for k, v in {"customer_id": customer_id, "_id": order_id}.items() if v is not None
    }
    orders = await parts.orders.with_invoices(restricted(principal, query))
    payments = [
        PaymentOut.of(payment, order, invoice)
        for order in orders
        for invoice in order.invoices
        for payment in invoice.payments
    ]
    payments.sort(key=lambda payment: payment.paid_at, reverse=True)
    items = payments[page.offset : page.offset + page.limit]
    return Page(items=items, total=len(payments), offset=page.offset, limit=page.limit)
