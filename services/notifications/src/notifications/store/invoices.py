"""Invoices and payments as sales announced them, kept to remind customers.

Invoices by id: the issue event sets what it says; an overdue event fills in an invoice
not seen issued (its amount: the largest amount it was overdue with). Payments by id
(a redelivery writes the same payment again). Whether an invoice is paid is worked out
from its order's invoices and payments when it is needed
(:func:`notifications.domain.customer_notices.open_balances`), never stored, so two
replicas handling two payments at once cannot leave a stale answer behind.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from notifications.domain.customer_notices import Invoice, Payment
from notifications.store.schema import INVOICES, PAYMENTS


class InvoiceStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.invoices: AsyncCollection[Document] = db[INVOICES]
        self.payments: AsyncCollection[Document] = db[PAYMENTS]

    async def issued(self, invoice: Invoice) -> None:
        await self.invoices.update_one(
            {"_id": invoice.invoice_id},
            {
                "$set": {
                    **_facts(invoice),
                    "amount": invoice.amount,
                    "issued_at": invoice.issued_at,
                    "issued": True,
                },
                "$setOnInsert": {"steps_noticed": []},
            },
            upsert=True,
        )

    async def seen_overdue(self, invoice: Invoice) -> None:
        """An invoice sales found overdue with ``invoice.amount`` open: kept if not seen
        issued, its amount the largest of these."""
        await self.invoices.update_one(
            {"_id": invoice.invoice_id},
            {
                "$setOnInsert": {**_facts(invoice), "issued": False, "steps_noticed": []},
                "$max": {"overdue_amount": invoice.amount},
            },
            upsert=True,
        )

    async def paid(self, payment: Payment, paid_at: datetime) -> None:
        await self.payments.update_one(
            {"_id": payment.payment_id},
            {
                "$set": {
                    "order_id": payment.order_id,
                    "invoice_id": payment.invoice_id,
                    "amount": payment.amount,
                    "invoice_balance": payment.invoice_balance,
                    "paid_at": paid_at,
                }
            },
            upsert=True,
        )

    async def open_in(self, first_due: date, last_due: date) -> list[tuple[Invoice, set[str]]]:
        """Invoices due between the two dates (each with the steps already noticed)."""
        cursor = self.invoices.find(
            {"due_date": {"$gte": first_due.isoformat(), "$lte": last_due.isoformat()}}
        )
        return [
            (_invoice(document), set(document.get("steps_noticed", ())))
            async for document in cursor
        ]

    async def get(self, invoice_id: str) -> Invoice | None:
        document = await self.invoices.find_one({"_id": invoice_id})
        return None if document is None else _invoice(document)

    async def of_orders(self, order_ids: Collection[str]) -> tuple[list[Invoice], list[Payment]]:
        """Every invoice and payment of these orders."""
        orders = {"order_id": {"$in": list(order_ids)}}
        invoices = [_invoice(document) async for document in self.invoices.find(orders)]
        payments = [_payment(document) async for document in self.payments.find(orders)]
        return invoices, payments

    async def noticed(self, invoice_id: str, step: str) -> None:
        await self.invoices.update_one({"_id": invoice_id}, {"$addToSet": {"steps_noticed": step}})


def _facts(invoice: Invoice) -> Document:
    return {
        "invoice_number": invoice.invoice_number,
        "order_id": invoice.order_id,
        "order_number": invoice.order_number,
        "customer_id": invoice.customer_id,
        "currency": invoice.currency,
        "due_date": invoice.due_date.isoformat(),
    }


def _invoice(document: Mapping[str, Any]) -> Invoice:
    amount = document.get("amount") if document.get("issued") else None
    return Invoice(
        invoice_id=document["_id"],
        invoice_number=document["invoice_number"],
        order_id=document["order_id"],
        order_number=document.get("order_number"),
        customer_id=document["customer_id"],
        currency=document["currency"],
        due_date=date.fromisoformat(document["due_date"]),
        amount=amount if amount is not None else document.get("overdue_amount", Decimal(0)),
        issued_at=document.get("issued_at"),
    )


def _payment(document: Mapping[str, Any]) -> Payment:
    return Payment(
        payment_id=document["_id"],
        order_id=document["order_id"],
        amount=document["amount"],
        invoice_id=document.get("invoice_id"),
        invoice_balance=document.get("invoice_balance"),
    )
