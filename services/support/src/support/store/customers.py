"""The local projection of customers, fed by the customer and sales services' events.

It holds what support needs (name, e-mail, tier, owner, language) and the customer's recent
history, never read from the customer service's database (A-6, P-3). Every write is
idempotent: the profile and the tier are each written only by an event newer than the
last applied (``crm_chassis.local_copies.apply_if_newer``: the customer's version for the
profile, the change time for the tier, ties broken by event id), history entries are
keyed by entry. An erased customer stays a tombstone: events delivered after the
erasure change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.local_copies import Stamp, apply_if_newer, live, tombstone
from crm_chassis.mongo import Document
from support.domain.sla import Tier
from support.store import CUSTOMERS

HISTORY_KEPT = 20
PROFILE: Final = "profile"
TIER: Final = "tier"
# The tier a customer was created with yields to any tier change, whatever its order.
CREATION_TIER_ORDER: Final = datetime(1970, 1, 1, tzinfo=UTC)
NEW_COPY: Final[Mapping[str, Any]] = {"history": []}


class HistoryEntry(BaseModel):
    entry_id: str
    kind: str  # "interaction" or "order"
    channel: str | None = None
    status: str | None = None
    summary: str | None = None
    occurred_at: datetime


class CustomerView(BaseModel):
    id: str
    name: str | None = None
    email: str | None = None
    tier: Tier = Tier.NORMAL
    owner_id: str | None = None
    language: str | None = None  # what mail to the customer is written in
    history: list[HistoryEntry] = []


class CustomerStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._customers = db[CUSTOMERS]

    async def _ensure(self, customer_id: str) -> None:
        """Create the customer's document if missing, so later updates need no upsert
        (two concurrent upserts of one id can fail with a duplicate key)."""
        try:
            await self._customers.update_one(
                {"_id": customer_id}, {"$setOnInsert": {"history": []}}, upsert=True
            )
        except DuplicateKeyError:
            return  # created at the same moment by another handler: it exists now

    async def _update(self, customer_id: str, condition: Document, update: Document) -> None:
        """``update`` the customer's document if it meets ``condition``, creating the
        document first if it is missing (its events may overtake customer.created).
        One operation when the document exists, as it almost always does."""
        query = live({"_id": customer_id, **condition})
        if (await self._customers.update_one(query, update)).matched_count == 0:
            await self._ensure(customer_id)
            await self._customers.update_one(query, update)

    async def record_created(
        self, customer_id: str, fields: dict[str, Any], tier: Tier, *, event_id: str
    ) -> None:
        """The creation snapshot (version 0), unless an update or a tier change is
        already applied."""
        await self._apply(customer_id, PROFILE, Stamp(0, event_id), {**fields, "version": 0})
        await self._apply(
            customer_id, TIER, Stamp(CREATION_TIER_ORDER, event_id), {"tier": tier.value}
        )

    async def record_updated(
        self, customer_id: str, version: int, fields: dict[str, Any], *, event_id: str
    ) -> None:
        profile = {**fields, "version": version}  # the snapshot's version, kept to be seen
        await self._apply(customer_id, PROFILE, Stamp(version, event_id), profile)

    async def record_tier(
        self, customer_id: str, tier: Tier, changed_at: datetime, *, event_id: str
    ) -> None:
        """Keep the tier of the newest tier change (older deliveries change nothing)."""
        await self._apply(customer_id, TIER, Stamp(changed_at, event_id), {"tier": tier.value})

    async def _apply(
        self, customer_id: str, aspect: str, stamp: Stamp, fields: dict[str, Any]
    ) -> None:
        await apply_if_newer(
            self._customers, customer_id, aspect, stamp, fields, on_insert=NEW_COPY
        )

    async def add_history(self, customer_id: str, entry: HistoryEntry) -> None:
        await self._update(
            customer_id,
            {"history.entry_id": {"$ne": entry.entry_id}},
            {
                "$push": {
                    "history": {
                        "$each": [entry.model_dump()],
                        "$sort": {"occurred_at": -1},
                        "$slice": HISTORY_KEPT,
                    }
                }
            },
        )

    async def remove(self, customer_id: str) -> None:
        """Forget a merged customer (its events now concern the surviving one)."""
        await self._customers.delete_one({"_id": customer_id})

    async def erase(self, customer_id: str, erased_at: datetime) -> None:
        """Keep only a tombstone, so a late event cannot bring the customer back."""
        await tombstone(self._customers, customer_id, erased_at)

    async def get(self, customer_id: str) -> CustomerView | None:
        document = await self._customers.find_one(live({"_id": customer_id}))
        if document is None:
            return None
        return CustomerView.model_validate({**document, "id": document["_id"]})

    async def by_email(self, email: str) -> CustomerView | None:
        document = await self._customers.find_one(live({"email": email.lower()}))
        if document is None:
            return None
        return CustomerView.model_validate({**document, "id": document["_id"]})

    async def tier_of(self, customer_id: str | None) -> Tier:
        if customer_id is None:
            return Tier.NORMAL
        customer = await self.get(customer_id)
        return customer.tier if customer else Tier.NORMAL

    async def owned_by(self, owner_id: str) -> list[str]:
        cursor = self._customers.find(live({"owner_id": owner_id}), projection={"_id": True})
        return [str(d["_id"]) async for d in cursor]
