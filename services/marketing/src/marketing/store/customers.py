"""The local copy of customers, kept from the customer service's events, and the
audience queries segments run over it.

Every write is idempotent and order-tolerant: profile snapshots apply only when
newer (``profile_version``), tier and consumption only when their event is newer
(``tier_as_of``, ``consumption_as_of``), activity moves forward with ``$max``. An
erased customer keeps only a tombstone, so a late event cannot bring them back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.local_copies import LIVE, live, tombstone
from crm_chassis.mongo import Document, is_duplicate_key
from marketing.store import CUSTOMERS


def _newer(field: str, value: Any) -> dict[str, Any]:
    return {"$or": [{field: {"$lt": value}}, {field: None}]}


class CustomerCopies:
    """The ``customer_projection`` collection: one document per customer (or tombstone)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._customers = db[CUSTOMERS]

    async def _upsert_if(self, customer_id: str, condition: Document, update: Document) -> None:
        """Apply ``update`` when ``condition`` holds; create the document when it is missing.

        When the document exists but the condition fails (an older event), the upsert
        collides with it on ``_id``: that is the "already newer" case and changes nothing.
        """
        try:
            await self._customers.update_one(
                live({"_id": customer_id, **condition}), update, upsert=True
            )
        except DuplicateKeyError as error:
            if not is_duplicate_key(error):
                raise

    async def apply_profile(self, customer_id: str, version: int, profile: Document) -> None:
        """A profile snapshot (created is version 0, updates carry the customer's version)."""
        fields = {**profile, "profile_version": version}
        await self._upsert_if(customer_id, _newer("profile_version", version), {"$set": fields})

    async def apply_created(
        self, customer_id: str, profile: Document, tier: str, at: datetime
    ) -> None:
        """A new customer: profile (version 0) and tier in one write when neither is known yet
        (the usual case); otherwise each part applies only where it is newer."""
        fields = {**profile, "profile_version": 0, "tier": tier, "tier_as_of": at}
        result = await self._customers.update_one(
            {"_id": customer_id}, {"$setOnInsert": fields}, upsert=True
        )
        if result.upserted_id is None:
            await self.apply_profile(customer_id, 0, profile)
            await self.apply_tier(customer_id, tier, at)

    async def apply_tier(self, customer_id: str, tier: str, as_of: datetime) -> None:
        await self._upsert_if(
            customer_id, _newer("tier_as_of", as_of), {"$set": {"tier": tier, "tier_as_of": as_of}}
        )

    async def apply_consumption(
        self,
        customer_id: str,
        total: Decimal,
        last_consumption_at: datetime | None,
        as_of: datetime,
    ) -> None:
        update: Document = {"$set": {"total_consumption": total, "consumption_as_of": as_of}}
        if last_consumption_at is not None:
            update["$max"] = {"last_activity_at": last_consumption_at}
        await self._upsert_if(customer_id, _newer("consumption_as_of", as_of), update)

    async def record_activity(self, customer_id: str, at: datetime) -> None:
        await self._upsert_if(customer_id, {}, {"$max": {"last_activity_at": at}})

    async def erase(self, customer_id: str, erased_at: datetime) -> None:
        """Keep only the customer's tombstone."""
        await tombstone(self._customers, customer_id, erased_at)

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
