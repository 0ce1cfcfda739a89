"""Timeline entries of every customer, from here and from other services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crm_chassis.events import with_outbox
from crm_chassis.mongo import Document
from crm_chassis.versioned_store import STATE_PROJECTION
from crm_contracts.events.registry import EventData, to_cloud_event
from customer.domain.timeline import InteractionStatus, TimelineEntry
from customer.store.schema import TIMELINE


def _document(entry: TimelineEntry) -> Document:
    document = entry.model_dump(exclude={"id"}, exclude_none=True)
    document["channel"] = entry.channel.value
    if entry.status is not None:
        document["status"] = entry.status.value
    document["_id"] = entry.id
    return document


class TimelineStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._timeline = db[TIMELINE]

    async def add(self, entry: TimelineEntry, events: Sequence[EventData] = ()) -> bool:
        """Insert an entry (with the events it causes); False if it is already there."""
        cloud = [to_cloud_event(event, subject=entry.customer_id) for event in events]
        try:
            await self._timeline.insert_one(with_outbox(_document(entry), cloud))
        except DuplicateKeyError:
            return False
        return True

    async def for_customer(
        self, customer_id: str, *, before: datetime | None, limit: int
    ) -> list[TimelineEntry]:
        """Newest first; ``before`` pages further back in time."""
        query: Document = {"customer_id": customer_id}
        if before is not None:
            query["occurred_at"] = {"$lt": before}
        cursor = self._timeline.find(query, projection=STATE_PROJECTION)
        documents = await cursor.sort([("occurred_at", -1), ("_id", 1)]).limit(limit).to_list()
        return [TimelineEntry(id=document.pop("_id"), **document) for document in documents]

    async def set_status(
        self, customer_id: str, entry_id: str, status: InteractionStatus
    ) -> TimelineEntry | None:
        """Change the status of an interaction recorded here (facts from others are fixed)."""
        document = await self._timeline.find_one_and_update(
            {"_id": entry_id, "customer_id": customer_id, "source": "customer"},
            {"$set": {"status": status.value}},
            projection=STATE_PROJECTION,
            return_document=ReturnDocument.AFTER,
        )
        return None if document is None else TimelineEntry(id=document.pop("_id"), **document)

    async def repoint(self, from_id: str, to_id: str) -> None:
        await self._timeline.update_many({"customer_id": from_id}, {"$set": {"customer_id": to_id}})

    async def anonymise(self, customer_id: str) -> None:
        """Erasure: the entries stay as facts, their free text goes."""
        await self._timeline.update_many(
            {"customer_id": customer_id},
            {"$set": {"summary": "(erased)"}, "$unset": {"content": "", "recorded_by": ""}},
        )

    async def behaviour(self) -> tuple[dict[str, dict[str, int]], dict[str, set[str]]]:
        """Per customer: touches by channel, and the campaigns they transacted or
        responded in (the inputs of the relationship network, C-7)."""
        by_channel = [
            {"$group": {"_id": {"c": "$customer_id", "ch": "$channel"}, "n": {"$sum": 1}}}
        ]
        channels: dict[str, dict[str, int]] = {}
        async for row in await self._timeline.aggregate(by_channel):
            channels.setdefault(row["_id"]["c"], {})[row["_id"]["ch"]] = row["n"]
        campaigns: dict[str, set[str]] = {}
        cursor = self._timeline.find(
            {"campaign_id": {"$exists": True}}, projection={"customer_id": 1, "campaign_id": 1}
        )
        async for row in cursor:
            campaigns.setdefault(row["customer_id"], set()).add(row["campaign_id"])
        return channels, campaigns
