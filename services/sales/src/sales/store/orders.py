"""Orders with their embedded invoices and payments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.mongo import Document
from crm_chassis.versioned_store import ModelCodec, VersionedStore
from sales.domain.orders import Order, OrderStatus
from sales.store import collections as c

MAX_SCANNED_ORDERS = 5000


# Held by an order placed from a quote until the order is cancelled, under a unique
# sparse index: one live order per quote, also when two are placed at the same moment,
# and the quote free again once its order is cancelled. A field of its own rather than
# a sparse index on ``quote_id``, which orders without a quote hold as null (those would
# collide), and which orders stored before the rule hold (they would stop the index).
ORDERED_QUOTE = "ordered_quote_id"


class OrderCodec(ModelCodec[Order]):
    """An order's fields, plus ``ordered_quote_id`` while it holds the quote it was
    placed from."""

    def __init__(self) -> None:
        super().__init__(Order, "order_id")

    def to_document(self, aggregate: Order) -> Document:
        document = super().to_document(aggregate)
        if aggregate.quote_id is not None and aggregate.status is not OrderStatus.CANCELLED:
            document[ORDERED_QUOTE] = aggregate.quote_id
        return document

    def from_document(self, document: Mapping[str, Any]) -> Order:
        return super().from_document({k: v for k, v in document.items() if k != ORDERED_QUOTE})


class OrderStore(VersionedStore[Order]):
    """Orders; placing a second one from a quote whose order is not cancelled raises
    ``DuplicateValue`` naming ``ordered_quote_id``."""

    def __init__(
        self, db: AsyncDatabase[Document], *, notify: Callable[[], None] | None = None
    ) -> None:
        super().__init__(
            db[c.ORDERS],
            OrderCodec(),
            notify=notify,
            removable_fields=frozenset({ORDERED_QUOTE}),
        )

    async def id_by_quote(self, quote_id: str) -> str | None:
        """The id of the order placed from ``quote_id`` and not cancelled, if any."""
        found = await self.find(
            {"quote_id": quote_id, "status": {"$ne": OrderStatus.CANCELLED.value}}, limit=1
        )
        return found[0].order_id if found else None

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
