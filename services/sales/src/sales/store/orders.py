"""Orders with their embedded invoices and payments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from sales.domain.orders import Order
from sales.store import collections as c

MAX_SCANNED_ORDERS = 5000


class OrderStore(VersionedStore[Order]):
    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(db[c.ORDERS], ModelCodec(Order, "order_id"), notify=notify)

    async def by_invoice(self, invoice_id: str) -> Order | None:
        found = await self.find({"invoices.invoice_id": invoice_id}, limit=1)
        return found[0] if found else None

    async def with_invoices(self, query: Mapping[str, Any]) -> list[Order]:
        """Orders that have invoices (receivables, statements), newest first, bounded."""
        return await self.find(
            {**query, "invoices.0": {"$exists": True}},
            sort=[("created_at", -1)],
            limit=MAX_SCANNED_ORDERS,
        )
