"""Sales' own small copy of customers (name, company, tier, owner, team and language), fed by
customer events; owner and team decide who may attach sales records to a customer.

Every write is safe to repeat. Snapshots go through ``crm_chassis.local_copies``:
the profile (creation and updates, ordered by the customer's version) and the tier
(ordered by the time of the change) each apply only when newer than the last event
applied, ties broken by event id. Merges and erasures are naturally idempotent, and
an erased customer's copy stays a tombstone: events delivered after the erasure
change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from crm_chassis.local_copies import Stamp, apply_if_newer, live, tombstone
from crm_chassis.mongo import Document
from sales.store import collections as c

ERASED_NAME = "(erased)"
_PROFILE = "profile"
_TIER = "tier"
# The creation is the customer's first version; updates carry theirs (1, 2, ...).
_CREATED_VERSION = 0


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
    language: str | None = None  # what quotes to the customer are written in


@dataclass(frozen=True)
class CustomerLabel:
    """What a sales record shows of its customer. ``name`` is None while the copy knows
    only the customer's tier (a tier event came first)."""

    name: str | None
    tier: str


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

    async def labels(self, customer_ids: Iterable[str]) -> dict[str, CustomerLabel]:
        """Name and tier of each of ``customer_ids`` the copy holds, read with one query
        however many there are (a whole page of records at once). An erased customer (a
        tombstone) or one the copy never heard of is left out of the answer."""
        wanted = sorted(set(customer_ids))
        if not wanted:
            return {}
        # Limit and batch size as large as the answer can be: the first reply holds it
        # all and closes the cursor, so no getMore follows, even for a page of 200.
        cursor = self._customers.find(
            live({"_id": {"$in": wanted}}),
            {"name": 1, "tier": 1},
            limit=len(wanted),
            batch_size=len(wanted),
        )
        return {
            doc["_id"]: CustomerLabel(
                name=str(doc["name"]) if doc.get("name") else None,
                tier=str(doc.get("tier", "normal")),
            )
            async for doc in cursor
        }

    async def label(self, customer_id: str) -> CustomerLabel | None:
        """What one record shows of its customer (see :meth:`labels`)."""
        return (await self.labels([customer_id])).get(customer_id)

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
                }
            },
            upsert=True,
        )

    async def created(self, customer_id: str, fields: Document, tier: str, event_id: str) -> None:
        """The creation snapshot: a new copy, or it replaces the one remembered at a
        conversion; any update already applied is newer and stays."""
        await apply_if_newer(
            self._customers,
            customer_id,
            _PROFILE,
            Stamp(_CREATED_VERSION, event_id),
            {**fields, "confirmed": True},
            on_insert={"tier": tier},
        )

    async def updated(
        self, customer_id: str, version: int, fields: Document, event_id: str
    ) -> None:
        await apply_if_newer(
            self._customers,
            customer_id,
            _PROFILE,
            Stamp(version, event_id),
            {**fields, "confirmed": True},
            on_insert={"tier": "normal"},
        )

    async def tier_changed(
        self, customer_id: str, tier: str, changed_at: datetime, event_id: str
    ) -> None:
        await apply_if_newer(
            self._customers,
            customer_id,
            _TIER,
            Stamp(changed_at, event_id),
            {"tier": tier, "tier_changed_at": changed_at},
            on_insert={"name": ""},
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
