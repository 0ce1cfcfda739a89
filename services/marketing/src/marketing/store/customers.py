"""The local copy of customers, kept from the customer service's events, and the
audience queries segments run over it.

Every write is idempotent and order-tolerant: profile, tier and consumption each apply
only when their event is newer (:func:`crm_chassis.local_copies.apply_if_newer`:
the customer's version or the event's time, ties broken by event id), activity moves
forward with ``$max``. An erased customer keeps only a tombstone, so a late event
cannot bring them back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.local_copies import LIVE, Stamp, apply_if_newer, live, tombstone
from crm_chassis.mongo import Document, is_duplicate_key
from marketing.store import CUSTOMERS


class CustomerCopies:
    """The ``customer_projection`` collection: one document per customer (or tombstone)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._customers = db[CUSTOMERS]

    async def apply_profile(
        self,
        customer_id: str,
        stamp: Stamp,
        profile: Document,
        on_insert: Document | None = None,
    ) -> None:
        """A profile snapshot, ordered by the customer's version (created is 0)."""
        await apply_if_newer(
            self._customers, customer_id, "profile", stamp, profile, on_insert=on_insert
        )

    async def apply_tier(self, customer_id: str, stamp: Stamp, tier: str) -> None:
        """The tier, ordered by when it changed."""
        await apply_if_newer(self._customers, customer_id, "tier", stamp, {"tier": tier})

    async def apply_consumption(
        self,
        customer_id: str,
        stamp: Stamp,
        total: Decimal,
        last_consumption_at: datetime | None,
    ) -> None:
        """Total consumption, ordered by the event's time; a purchase is activity too."""
        await apply_if_newer(
            self._customers, customer_id, "consumption", stamp, {"total_consumption": total}
        )
        if last_consumption_at is not None:
            await self.record_activity(customer_id, last_consumption_at)

    async def record_activity(self, customer_id: str, at: datetime) -> None:
        """Last activity only moves forward; an erased customer's tombstone stays as it is."""
        try:
            await self._customers.update_one(
                live({"_id": customer_id}), {"$max": {"last_activity_at": at}}, upsert=True
            )
        except DuplicateKeyError as error:
            if not is_duplicate_key(error):
                raise

    async def erase(self, customer_id: str, erased_at: datetime) -> None:
        """Keep only the customer's tombstone."""
        await tombstone(self._customers, customer_id, erased_at)

    async def language(self, customer_id: str) -> str | None:
        """The language the customer is written to in, None when not known (or erased)."""
        document = await self._customers.find_one(
            live({"_id": customer_id}), projection={"language": True}
        )
        return document.get("language") if document else None

    async def ids(self, query: Mapping[str, Any]) -> list[str]:
        """The ids of the (not erased) customers matching ``query``."""
        cursor = self._customers.find({"$and": [dict(query), dict(LIVE)]}, projection={"_id": True})
        return [document["_id"] async for document in cursor]

    async def count(self, query: Mapping[str, Any]) -> int:
        """How many customers an audience query selects."""
        return await self._customers.count_documents(query)

    async def sample(self, query: Mapping[str, Any], limit: int) -> list[Document]:
        cursor = self._customers.find(query).sort([("_id", 1)]).limit(limit)
        return await cursor.to_list(length=limit)

    async def chunks(
        self, query: Mapping[str, Any], batch_size: int = 1000
    ) -> AsyncIterator[list[Document]]:
        """The customers an audience query selects, in chunks, for queueing a send."""
        chunk: list[Document] = []
        cursor = self._customers.find(query).sort([("_id", 1)]).batch_size(batch_size)
        async for customer in cursor:
            chunk.append(customer)
            if len(chunk) >= batch_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
