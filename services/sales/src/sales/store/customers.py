"""Sales' own small copy of customers (name, company, tier, owner and team), fed by
customer events; owner and team decide who may attach sales records to a customer.

Every write is safe to repeat: creation only fills a missing copy, snapshots apply
only when newer (by version or time), merges and erasures are naturally idempotent.
An erased customer's copy stays a tombstone (``crm_chassis.local_copies``): events
delivered after the erasure change nothing.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.local_copies import live, tombstone
from crm_chassis.mongo import Document
from sales.store import collections as c

ERASED_NAME = "(erased)"


class CustomerCopy(BaseModel):
    customer_id: str
    name: str
    company: str | None = None
    industry: str | None = None
    region: str | None = None
    owner_id: str | None = None
    team: str | None = None
    tier: str = "normal"
    confirmed: bool = False


class CustomerStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._customers = db[c.CUSTOMERS]
        self._leads = db[c.LEADS]
        self._opportunities = db[c.OPPORTUNITIES]
        self._orders = db[c.ORDERS]
        self._quotes = db[c.QUOTES]
        self._tasks = db[c.TASKS]

    async def get(self, customer_id: str) -> CustomerCopy | None:
        document = await self._customers.find_one(live({"_id": customer_id}))
        if document is None:
            return None
        return CustomerCopy.model_validate({**document, "customer_id": document["_id"]})

    async def tiers(self, customer_ids: list[str]) -> dict[str, str]:
        cursor = self._customers.find(live({"_id": {"$in": customer_ids}}), {"tier": 1})
        return {doc["_id"]: str(doc.get("tier", "normal")) async for doc in cursor}

    async def remember_converted(
        self,
        customer_id: str,
        name: str,
        company: str | None,
        owner_id: str | None = None,
        team: str | None = None,
    ) -> None:
        """The copy known before the customer service confirms it (conversion): the lead's
        owner and team may work with the new customer at once."""
        await self._customers.update_one(
            {"_id": customer_id},
            {
                "$setOnInsert": {
                    "name": name,
                    "company": company,
                    "owner_id": owner_id,
                    "team": team,
                    "tier": "normal",
                    "version": -1,
                }
            },
            upsert=True,
        )

    async def created(self, customer_id: str, fields: Document, tier: str) -> None:
        """The creation snapshot: inserted in one write when the copy is new (the usual
        case), otherwise it replaces only the copy remembered at a conversion."""
        snapshot = {**fields, "confirmed": True}
        with contextlib.suppress(DuplicateKeyError):  # inserted meanwhile: it exists now
            inserted = await self._customers.update_one(
                {"_id": customer_id},
                {"$setOnInsert": {**snapshot, "tier": tier, "version": 0}},
                upsert=True,
            )
            if inserted.upserted_id is not None:
                return
        await self._customers.update_one(
            live({"_id": customer_id, "version": {"$lt": 0}}),
            {"$set": {**snapshot, "version": 0}},
        )

    async def updated(self, customer_id: str, version: int, fields: Document) -> None:
        result = await self._customers.update_one(
            live({"_id": customer_id, "version": {"$lt": version}}),
            {"$set": {**fields, "version": version, "confirmed": True}},
        )
        if result.matched_count == 0:
            # A failed insert means the copy is already at this version or newer, or erased.
            with contextlib.suppress(DuplicateKeyError):
                await self._customers.insert_one(
                    {
                        "_id": customer_id,
                        **fields,
                        "version": version,
                        "tier": "normal",
                        "confirmed": True,
                    }
                )

    async def tier_changed(self, customer_id: str, tier: str, changed_at: datetime) -> None:
        newer = {
            "$or": [
                {"tier_changed_at": {"$exists": False}},
                {"tier_changed_at": {"$lt": changed_at}},
            ]
        }
        result = await self._customers.update_one(
            live({"_id": customer_id, **newer}),
            {"$set": {"tier": tier, "tier_changed_at": changed_at}},
        )
        if result.matched_count == 0:
            with contextlib.suppress(DuplicateKeyError):
                await self._customers.insert_one(
                    {
                        "_id": customer_id,
                        "name": "",
                        "tier": tier,
                        "tier_changed_at": changed_at,
                        "version": -1,
                    }
                )

    async def merged(self, surviving_id: str, merged_id: str) -> None:
        for collection in (
            self._leads,
            self._opportunities,
            self._orders,
            self._quotes,
            self._tasks,
        ):
            await collection.update_many(
                {"customer_id": merged_id}, {"$set": {"customer_id": surviving_id}}
            )
        await self._customers.delete_one({"_id": merged_id})

    async def erased(self, customer_id: str, erased_at: datetime) -> None:
        """Leave a tombstone for the copy and remove the personal data sales holds about
        the customer's prospect."""
        await tombstone(self._customers, customer_id, erased_at)
        await self._leads.update_many(
            {"customer_id": customer_id},
            {
                "$set": {
                    "prospect.name": ERASED_NAME,
                    "prospect.email": None,
                    "prospect.phone": None,
                    "prospect.title": None,
                }
            },
        )
